//! Users named in the pilot's member list: an object id or a user principal name, each
//! checked before it goes into a path, and the lookup of a user by name.

use serde_json::Value;

use crate::guid::is_guid;

use super::{encode_component, url};
use crate::graph::cloud::{ApiVersion, Cloud};
use crate::graph::permissions::GraphOp;
use crate::graph::transport::Request;

/// A directory object id (user, group): a GUID, so it is safe in a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectId(String);

impl ObjectId {
    pub fn parse(s: &str) -> Option<ObjectId> {
        is_guid(s).then(|| ObjectId(s.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ObjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A user principal name checked to be one (`name@domain.tld`, the characters Microsoft
/// Entra allows), so it is safe as a path segment once percent-encoded: `.`, `..`, `/`, `?`,
/// `%` and control characters cannot get in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Upn(String);

impl Upn {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A user named in the pilot's member list: an object id or a user principal name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UserRef {
    Id(ObjectId),
    Upn(Upn),
}

impl UserRef {
    /// Reads one entry (trimmed). The error names the value and what is wrong with it.
    pub fn parse(s: &str) -> Result<UserRef, String> {
        let s = s.trim();
        if let Some(id) = ObjectId::parse(s) {
            return Ok(UserRef::Id(id));
        }
        upn_problem(s)
            .map(|why| {
                format!("{s:?} is not a user principal name (name@domain) or an object id: {why}")
            })
            .map_or(Ok(UserRef::Upn(Upn(s.to_string()))), Err)
    }
}

/// Why `s` is not a user principal name. Lengths and characters are Microsoft Entra's (prefix
/// up to 64 of `A-Z a-z 0-9 ' . - _ ! ^ ~`, domain up to 48); `#` only in a guest's `#EXT#`.
fn upn_problem(s: &str) -> Option<String> {
    let Some((local, domain)) = s.split_once('@') else {
        return Some("it has no @".into());
    };
    let prefix = local.strip_suffix("#EXT#").unwrap_or(local);
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "'.-_!^~@#".contains(*c)))
    {
        let hint = if c == '%' {
            " (type the name as it is, not percent-encoded)"
        } else {
            ""
        };
        return Some(format!("it contains {c:?}{hint}"));
    }
    if prefix.contains('#') || domain.contains('#') {
        return Some("'#' appears only in a guest's #EXT# name".into());
    }
    if domain.contains('@') {
        return Some("it has more than one @".into());
    }
    if prefix.is_empty() || local.chars().count() > 64 {
        return Some("the part before @ must have 1 to 64 characters".into());
    }
    if prefix.starts_with('.') || prefix.ends_with('.') || prefix.contains("..") {
        return Some("the part before @ cannot start or end with '.' or hold '..'".into());
    }
    if domain.chars().count() > 48
        || domain.split('.').count() < 2
        || domain
            .split('.')
            .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
        || domain.contains(['_', '\'', '!', '^', '~'])
    {
        return Some(format!(
            "{domain:?} is not a domain name (such as contoso.com)"
        ));
    }
    None
}

/// `GET /users/{upn}?$select=id,userPrincipalName,displayName`.
pub fn get_user(cloud: Cloud, upn: &Upn) -> Request {
    Request::get(
        GraphOp::GetUser,
        url(
            cloud,
            ApiVersion::V1,
            &format!(
                "/users/{}?$select=id,userPrincipalName,displayName",
                encode_component(upn.as_str())
            ),
        ),
    )
}

pub fn read_user_id(v: &Value) -> Option<ObjectId> {
    ObjectId::parse(v.get("id")?.as_str()?)
}
