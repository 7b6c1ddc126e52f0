//! Monitoring queries: registration events from `auditLogs/directoryAudits` and sign-ins from
//! `auditLogs/signIns`, using only v1.0 properties and the operators documented for them.

use crate::guid::is_guid;

use super::{encode_component, odata_string, url};
use crate::graph::cloud::{ApiVersion, Cloud};
use crate::graph::permissions::GraphOp;
use crate::graph::time::format_utc;
use crate::graph::transport::Request;

/// Audit activities around security-info registration. Passkeys registered through
/// the security-info page appear as "User registered security info".
pub const REGISTRATION_ACTIVITIES: [&str; 6] = [
    "User registered security info",
    "User registered all required security info",
    "User started security info registration",
    "User updated security info",
    "User deleted security info",
    "Admin registered security info",
];

/// `$top` bound: the logs accept up to 1000 per page.
pub const MAX_TOP: u32 = 999;

/// A registration-events query: one `GET auditLogs/directoryAudits` per activity, because the
/// documented operators on `activityDisplayName` are `eq` and `startswith` (no `in`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationQuery {
    pub activities: Vec<String>,
    /// Only events at or after this instant (`activityDateTime ge …`).
    pub since_unix: Option<i64>,
    pub top: u32,
}

impl Default for RegistrationQuery {
    fn default() -> Self {
        RegistrationQuery {
            activities: vec![REGISTRATION_ACTIVITIES[0].to_string()],
            since_unix: None,
            top: 100,
        }
    }
}

impl RegistrationQuery {
    pub fn requests(&self, cloud: Cloud) -> Vec<Request> {
        self.activities
            .iter()
            .map(|a| {
                let mut filter = format!("activityDisplayName eq {}", odata_string(a));
                if let Some(t) = self.since_unix {
                    filter.push_str(&format!(" and activityDateTime ge {}", format_utc(t)));
                }
                Request::get(
                    GraphOp::ReadDirectoryAudits,
                    url(
                        cloud,
                        ApiVersion::V1,
                        &format!(
                            "/auditLogs/directoryAudits?$filter={}&$top={}",
                            encode_component(&filter),
                            self.top.clamp(1, MAX_TOP)
                        ),
                    ),
                )
            })
            .collect()
    }
}

/// A sign-in log query using only v1.0 `signIn` properties and their documented operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInQuery {
    /// `createdDateTime ge …`.
    pub since_unix: Option<i64>,
    /// `status/errorCode ne 0`.
    pub failures_only: bool,
    /// `appId eq '…'` (ignored unless a GUID). Microsoft Authenticator: [`AUTHENTICATOR_APP_ID`].
    pub app_id: Option<String>,
    /// `userPrincipalName eq '…'`.
    pub user_principal_name: Option<String>,
    pub top: u32,
}

/// Microsoft Authenticator's app id (as third-party lists of Microsoft's application ids give it).
pub const AUTHENTICATOR_APP_ID: &str = "4813382a-8fa7-425e-ab75-3b753aab3abb";

impl Default for SignInQuery {
    fn default() -> Self {
        SignInQuery {
            since_unix: None,
            failures_only: true,
            app_id: None,
            user_principal_name: None,
            top: 100,
        }
    }
}

impl SignInQuery {
    pub fn filter(&self) -> Option<String> {
        let mut parts = vec![];
        if let Some(t) = self.since_unix {
            parts.push(format!("createdDateTime ge {}", format_utc(t)));
        }
        if self.failures_only {
            parts.push("status/errorCode ne 0".to_string());
        }
        if let Some(app) = self.app_id.as_deref().filter(|a| is_guid(a)) {
            parts.push(format!("appId eq {}", odata_string(app)));
        }
        if let Some(upn) = self
            .user_principal_name
            .as_deref()
            .filter(|u| !u.trim().is_empty())
        {
            parts.push(format!("userPrincipalName eq {}", odata_string(upn.trim())));
        }
        (!parts.is_empty()).then(|| parts.join(" and "))
    }

    pub fn request(&self, cloud: Cloud) -> Request {
        let mut q = format!("/auditLogs/signIns?$top={}", self.top.clamp(1, MAX_TOP));
        if let Some(f) = self.filter() {
            q.push_str(&format!("&$filter={}", encode_component(&f)));
        }
        Request::get(GraphOp::ReadSignIns, url(cloud, ApiVersion::V1, &q))
    }
}
