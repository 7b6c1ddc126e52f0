//! Users named in the pilot's member list: an object id or a user principal name, each
//! checked before it goes into a path, and the lookup of a user by name.

use serde_json::Value;

use crate::guid::{Guid, GuidKind};

use super::{encode_component, url};
use crate::graph::cloud::{ApiVersion, Cloud};
use crate::graph::permissions::GraphOp;
use crate::graph::transport::Request;

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
    Id(Guid),
    Upn(Upn),
}

impl UserRef {
    /// Reads one entry (trimmed). The error names the value and what is wrong with it.
    pub fn parse(s: &str) -> Result<UserRef, UserRefError> {
        let s = s.trim();
        if let Ok(id) = Guid::parse(s, GuidKind::Object) {
            return Ok(UserRef::Id(id));
        }
        match upn_problem(s) {
            None => Ok(UserRef::Upn(Upn(s.to_string()))),
            Some(problem) => Err(UserRefError {
                input: s.to_string(),
                problem,
            }),
        }
    }
}

/// A member-list entry that is neither an object id nor a user principal name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRefError {
    /// The entry, trimmed.
    pub input: String,
    /// Why it is not a user principal name (an object id is checked first).
    pub problem: UpnProblem,
}

impl std::fmt::Display for UserRefError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:?} is not a user principal name (name@domain) or an object id: {}",
            self.input, self.problem
        )
    }
}

impl std::error::Error for UserRefError {}

/// Why a text is not a user principal name. Lengths and characters are Microsoft Entra's
/// (prefix up to 64 of `A-Z a-z 0-9 ' . - _ ! ^ ~`, domain up to 48); `#` only in a guest's
/// `#EXT#`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpnProblem {
    NoAt,
    /// A character no user principal name holds (`%`: it was percent-encoded).
    Character(char),
    /// `#` other than in a guest's `#EXT#` suffix.
    Hash,
    MoreThanOneAt,
    PrefixLength,
    PrefixDots,
    /// The part after `@` (as typed) is not a domain name.
    Domain(String),
}

impl std::fmt::Display for UpnProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UpnProblem::NoAt => f.write_str("it has no @"),
            UpnProblem::Character(c) => {
                write!(f, "it contains {c:?}")?;
                if *c == '%' {
                    f.write_str(" (type the name as it is, not percent-encoded)")?;
                }
                Ok(())
            }
            UpnProblem::Hash => f.write_str("'#' appears only in a guest's #EXT# name"),
            UpnProblem::MoreThanOneAt => f.write_str("it has more than one @"),
            UpnProblem::PrefixLength => {
                f.write_str("the part before @ must have 1 to 64 characters")
            }
            UpnProblem::PrefixDots => {
                f.write_str("the part before @ cannot start or end with '.' or hold '..'")
            }
            UpnProblem::Domain(domain) => {
                write!(f, "{domain:?} is not a domain name (such as contoso.com)")
            }
        }
    }
}

fn upn_problem(s: &str) -> Option<UpnProblem> {
    let Some((local, domain)) = s.split_once('@') else {
        return Some(UpnProblem::NoAt);
    };
    let prefix = local.strip_suffix("#EXT#").unwrap_or(local);
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "'.-_!^~@#".contains(*c)))
    {
        return Some(UpnProblem::Character(c));
    }
    if prefix.contains('#') || domain.contains('#') {
        return Some(UpnProblem::Hash);
    }
    if domain.contains('@') {
        return Some(UpnProblem::MoreThanOneAt);
    }
    if prefix.is_empty() || local.chars().count() > 64 {
        return Some(UpnProblem::PrefixLength);
    }
    if prefix.starts_with('.') || prefix.ends_with('.') || prefix.contains("..") {
        return Some(UpnProblem::PrefixDots);
    }
    if domain.chars().count() > 48
        || domain.split('.').count() < 2
        || domain
            .split('.')
            .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
        || domain.contains(['_', '\'', '!', '^', '~'])
    {
        return Some(UpnProblem::Domain(domain.to_string()));
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

pub fn read_user_id(v: &Value) -> Option<Guid> {
    Guid::parse(v.get("id")?.as_str()?, GuidKind::Object).ok()
}

/// `GET /users/{id}?$select=id,userPrincipalName,displayName`: the name of a member typed by
/// object id, so a message can say who it is.
pub fn get_user_by_id(cloud: Cloud, id: &Guid) -> Request {
    Request::get(
        GraphOp::GetUser,
        url(
            cloud,
            ApiVersion::V1,
            &format!("/users/{id}?$select=id,userPrincipalName,displayName"),
        ),
    )
}

/// `GET /reports/authenticationMethods/userRegistrationDetails/{id}`: the methods a user has
/// registered, as the registration report holds them (Entra ID P1/P2; up to 36 hours behind).
pub fn get_registration_details(cloud: Cloud, id: &Guid) -> Request {
    Request::get(
        GraphOp::ReadRegistrationDetails,
        url(
            cloud,
            ApiVersion::V1,
            &format!("/reports/authenticationMethods/userRegistrationDetails/{id}"),
        ),
    )
}
