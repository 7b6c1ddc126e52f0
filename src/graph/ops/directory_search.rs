//! The pickers' searches: users, groups, directory roles, applications (service principals) and
//! named locations by the text the admin types, each one request with a small `$top`, and the
//! answer read into (id, name) pairs the draft can keep.
//!
//! - Users, groups and service principals use `$search`, an advanced query: it needs the header
//!   `ConsistencyLevel: eventual`
//!   (<https://learn.microsoft.com/graph/aad-advanced-queries>). `$count=true` is needed only
//!   where `$search` is combined with `$filter` (groups); it is sent with every `$search` so the
//!   three requests stay alike, as Microsoft's own examples send it.
//! - Directory roles: `GET /roleManagement/directory/roleDefinitions?$filter=isBuiltIn eq true`,
//!   not `/directoryRoleTemplates` (the older API, which has no `isBuiltIn`) and never
//!   `/directoryRoles` (only the roles activated in the tenant). Conditional Access enforces
//!   built-in roles only and takes the role template id, which is a built-in role's `id`
//!   (`templateId` is read first). The list supports no `startswith`, so it is filtered here.
//! - Named locations: a tenant has few, and `startswith` on them is not documented, so the list
//!   is read once and filtered here.
//!
//! The typed text is bounded ([`MAX_TERM_CHARS`]) and cleaned of control characters. In a
//! `$search` clause (`"displayName:term"`) the characters `"` and `\` become spaces: either could
//! end the clause however the service reads escapes, and `displayName` is tokenized on symbols,
//! so the match is the same. Every query value is then percent-encoded.

use serde_json::Value;

use super::{encode_component, url};
use crate::graph::body::read_json;
use crate::graph::cloud::{ApiVersion, Cloud};
use crate::graph::errors::GraphError;
use crate::graph::permissions::GraphOp;
use crate::graph::transport::{Request, Response};
use crate::guid::is_guid;

/// At most this many results per search: a picker shows a short list to choose from.
pub const SEARCH_TOP: usize = 25;
/// The longest text searched; longer input is cut (a prefix that long already names one object).
pub const MAX_TERM_CHARS: usize = 64;

/// What a picker looks for; `as_str` is the page's `data-picker` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DirectoryKind {
    User,
    Group,
    Role,
    App,
    Location,
}

impl DirectoryKind {
    pub const ALL: [DirectoryKind; 5] = [
        DirectoryKind::User,
        DirectoryKind::Group,
        DirectoryKind::Role,
        DirectoryKind::App,
        DirectoryKind::Location,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DirectoryKind::User => "user",
            DirectoryKind::Group => "group",
            DirectoryKind::Role => "role",
            DirectoryKind::App => "app",
            DirectoryKind::Location => "location",
        }
    }

    /// The Graph operation the search is, which names its permission.
    pub fn op(self) -> GraphOp {
        match self {
            DirectoryKind::User => GraphOp::SearchUsers,
            DirectoryKind::Group => GraphOp::SearchGroups,
            DirectoryKind::Role => GraphOp::ListRoleDefinitions,
            DirectoryKind::App => GraphOp::SearchServicePrincipals,
            DirectoryKind::Location => GraphOp::ReadNamedLocations,
        }
    }

    /// Whether the service filters by the text (`$search`), or the whole (short) list is read
    /// and filtered here.
    pub fn searched_by_graph(self) -> bool {
        matches!(
            self,
            DirectoryKind::User | DirectoryKind::Group | DirectoryKind::App
        )
    }
}

/// One search result: the id a policy holds (for an app its `appId`, not the service
/// principal's object id), lowercase, and the name to show; `detail` is a second line (a user's
/// principal name, an app's service principal type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: String,
    pub name: String,
    pub detail: Option<String>,
}

/// The typed text as searched: trimmed, control characters dropped, at most
/// [`MAX_TERM_CHARS`] characters. Empty when nothing is left.
pub fn search_term(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_TERM_CHARS)
        .collect();
    cleaned.trim().to_string()
}

/// One `$search` clause, `"property:term"`, with `"` and `\` made spaces (see the module doc).
pub fn search_clause(property: &str, term: &str) -> String {
    let safe: String = term
        .chars()
        .map(|c| if matches!(c, '"' | '\\') { ' ' } else { c })
        .collect();
    format!("\"{property}:{}\"", safe.trim())
}

/// The request that searches `kind` for `text`; `None` when the text is empty and the kind is
/// searched by Graph (an empty `$search` is refused). Roles and locations list everything.
pub fn search_request(cloud: Cloud, kind: DirectoryKind, text: &str) -> Option<Request> {
    let term = search_term(text);
    if term.is_empty() && kind.searched_by_graph() {
        return None;
    }
    let path = match kind {
        DirectoryKind::User => format!(
            "/users?$search={}&$select=id,displayName,userPrincipalName&$top={SEARCH_TOP}&$count=true",
            encode_component(&format!(
                "{} OR {}",
                search_clause("displayName", &term),
                search_clause("userPrincipalName", &term)
            ))
        ),
        DirectoryKind::Group => format!(
            "/groups?$search={}&$filter={}&$select=id,displayName,securityEnabled&$top={SEARCH_TOP}&$count=true",
            encode_component(&search_clause("displayName", &term)),
            encode_component("securityEnabled eq true")
        ),
        DirectoryKind::App => format!(
            "/servicePrincipals?$search={}&$select=id,appId,displayName,servicePrincipalType&$top={SEARCH_TOP}&$count=true",
            encode_component(&search_clause("displayName", &term))
        ),
        DirectoryKind::Role => format!(
            "/roleManagement/directory/roleDefinitions?$filter={}&$select=id,displayName,templateId,isBuiltIn",
            encode_component("isBuiltIn eq true")
        ),
        DirectoryKind::Location => {
            "/identity/conditionalAccess/namedLocations?$select=id,displayName".to_string()
        }
    };
    let request = Request::get(kind.op(), url(cloud, ApiVersion::V1, &path));
    Some(if kind.searched_by_graph() {
        request.header("ConsistencyLevel", "eventual")
    } else {
        request
    })
}

/// Reads a search's answer: `value` must be a list whose every entry has a GUID id (`appId`
/// for apps, `templateId` or `id` for roles) and a string `displayName`; anything else refuses
/// the whole answer, naming the entry. Roles and locations are filtered here by `text`
/// (letter case ignored). At most [`SEARCH_TOP`] hits, in the service's order.
pub fn read_search(
    kind: DirectoryKind,
    text: &str,
    response: &Response,
) -> Result<Vec<Hit>, GraphError> {
    let op = kind.op();
    let body = read_json(op, response, "the search answer")?;
    let bad = |detail: String| GraphError::bad_response(op, response, detail);
    let Some(items) = body.get("value").and_then(Value::as_array) else {
        return Err(bad("the search answer has no list of results".into()));
    };
    let needle = search_term(text).to_lowercase();
    let mut hits = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let hit = read_hit(kind, item).ok_or_else(|| {
            bad(format!(
                "result {} of the search answer has no GUID id or no displayName",
                i + 1
            ))
        })?;
        if !kind.searched_by_graph() && !hit.name.to_lowercase().contains(&needle) {
            continue;
        }
        if hits.len() < SEARCH_TOP {
            hits.push(hit);
        }
    }
    Ok(hits)
}

/// One entry of a list answer as a [`Hit`], or `None` without a GUID id or a `displayName`.
pub(super) fn read_hit(kind: DirectoryKind, item: &Value) -> Option<Hit> {
    let text = |k: &str| item.get(k).and_then(Value::as_str);
    let id = match kind {
        DirectoryKind::App => text("appId")?,
        DirectoryKind::Role => text("templateId").filter(|t| is_guid(t)).or(text("id"))?,
        _ => text("id")?,
    };
    if !is_guid(id) {
        return None;
    }
    let detail = match kind {
        DirectoryKind::User => text("userPrincipalName"),
        DirectoryKind::App => text("servicePrincipalType"),
        _ => None,
    };
    Some(Hit {
        id: id.to_ascii_lowercase(),
        name: text("displayName")?.to_string(),
        detail: detail.map(str::to_string),
    })
}
