//! Pure request builders and response readers for every call the app makes. No I/O: a flow
//! sends what these build and hands the answer back to them.
//!
//! - [`policies`]: Conditional Access policies (list, get, find, create, the previewed PATCH).
//! - [`groups`]: the pilot group (find, create, pick the security group, add members).
//! - [`users`]: the pilot's member list (object ids and user principal names), user lookup and
//!   a user's registered methods (the registration report).
//! - [`tap`]: a Temporary Access Pass for a pilot user (the code held so it cannot be printed).
//! - [`evaluate`]: the service's What-If (the request body as given, the per-policy answer).
//! - [`directory_search`]: the pickers' searches (users, groups, roles, apps, named locations).
//! - [`name_lookup`]: names for the user and group ids the draft holds without one.
//! - [`logs`]: the monitoring queries (registration events, sign-ins, v1.0 properties only;
//!   no `authenticationProtocol`); [`log_entries`]: the entries they return.
//!
//! Values in `$filter` are OData string literals (`'` doubled) and then percent-encoded, so a
//! display name with quotes, `&`, `#` or non-ASCII cannot break out of the filter or the query
//! string. The endpoints are those of Microsoft Graph v1.0:
//! <https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy>.

pub mod directory_search;
pub mod evaluate;
pub mod groups;
pub mod log_entries;
pub mod logs;
pub mod name_lookup;
pub mod policies;
pub mod tap;
pub mod users;

pub use directory_search::*;
pub use evaluate::*;
pub use groups::*;
pub use log_entries::*;
pub use logs::*;
pub use name_lookup::*;
pub use policies::*;
pub use tap::*;
pub use users::*;

use super::cloud::{ApiVersion, Cloud, GraphUrl};

/// Sent on reads of policies: without it Graph returns evolvable-enum members that come after
/// `unknownFutureValue` (`linux`, `riskRemediation`, `qrCodePin`) as `unknownFutureValue`, and
/// a read-modify-write would lose them.
pub const PREFER_UNKNOWN_ENUMS: (&str, &str) = ("Prefer", "include-unknown-enum-members");

/// Shown next to the v1.0/beta choice in the audit.
pub const V1_OMISSION_NOTE: &str = "v1.0 can leave out policies that use beta-only features; \
    list with beta to see every policy (beta is not supported for production use)";

/// Percent-encodes everything but RFC 3986 unreserved characters (for query values and path
/// segments).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An OData string literal: single quotes, inner `'` doubled.
pub fn odata_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Every path built here is a constant, a checked GUID ([`Guid`](crate::guid::Guid)) or a checked
/// user principal name ([`Upn`]), and every query value is percent-encoded, so no input can
/// make the URL check fail; tests/native/graph_http.rs drives the builders with hostile values.
fn url(cloud: Cloud, version: ApiVersion, path_and_query: &str) -> GraphUrl {
    GraphUrl::new(cloud, version, path_and_query)
        .expect("paths built in this module are constants, GUIDs and checked UPNs")
}
