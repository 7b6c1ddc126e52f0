//! The tenant's registration report as grid rows: `userRegistrationDetails`
//! (`GET /reports/authenticationMethods/userRegistrationDetails`, one entry per user), read
//! strictly like the proof's other files, so a report saved from Graph and the page's reads
//! of the pilot's members give the same rows.
//!
//! `methodsRegistered` is a free string collection in v1.0 (values have been renamed over
//! time: `fido2` became `passKeyDeviceBound`), so a value this model does not know is kept as
//! written and the proof treats it as it treats any unknown method:
//! <https://learn.microsoft.com/graph/api/resources/userregistrationdetails>.

use serde::Deserialize;

use super::grid::Holder;
use super::persona::MethodRegistered;
use super::read::{text_and_value, typed_list};
use crate::located::Located;

/// One user of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    /// The user's object id.
    pub id: String,
    pub user_principal_name: String,
    pub display_name: String,
    pub guest: bool,
    /// Holds an admin role (the report says so; which role it does not).
    pub is_admin: bool,
    pub methods: Vec<MethodRegistered>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegistrationIn {
    id: String,
    #[serde(default)]
    user_principal_name: Option<String>,
    #[serde(default)]
    user_display_name: Option<String>,
    /// `signInUserType`: `member`, `guest`, `unknownFutureValue`.
    #[serde(default)]
    user_type: Option<String>,
    #[serde(default)]
    is_admin: Option<bool>,
    #[serde(default)]
    methods_registered: Vec<MethodRegistered>,
}

/// Reads the report: a list response, an array, or one user's entry. Every other member of
/// an entry (`isMfaCapable`, `lastUpdatedDateTime`, …) is allowed and not used.
pub fn read_registrations(bytes: &[u8]) -> Result<Vec<Registration>, Located> {
    let (text, v) = text_and_value(bytes)?;
    let list: Vec<RegistrationIn> = typed_list(&text, &v)?;
    Ok(list
        .into_iter()
        .map(|r| Registration {
            user_principal_name: r.user_principal_name.unwrap_or_default(),
            display_name: r.user_display_name.unwrap_or_default(),
            guest: r.user_type.is_some_and(|t| t.eq_ignore_ascii_case("guest")),
            is_admin: r.is_admin.unwrap_or(false),
            methods: r.methods_registered,
            id: r.id,
        })
        .collect())
}

impl Registration {
    /// The row's name: the display name with the user principal name, whichever are known.
    pub fn row_name(&self) -> String {
        crate::names::user_label(&self.id, &self.display_name, &self.user_principal_name)
    }

    /// What the user holds: the methods registered and a password (the report lists no
    /// password; every member can sign in with one), so nothing registered is a password only.
    pub fn methods_held(&self) -> Vec<MethodRegistered> {
        let mut methods = self.methods.clone();
        if !methods.contains(&MethodRegistered::Password) {
            methods.insert(0, MethodRegistered::Password);
        }
        methods
    }

    /// The user as a grid row, in `groups`, holding [`Registration::methods_held`].
    pub fn holder(&self, groups: Vec<String>) -> Holder {
        Holder {
            name: self.row_name(),
            user_id: self.id.clone(),
            groups,
            guest: self.guest,
            methods: self.methods_held(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Learn, "List userRegistrationDetails" (v1.0): the response's members, with the
    // `methodsRegistered` values of the current report (`passKeyDeviceBoundAuthenticator`
    // for a passkey in Microsoft Authenticator).
    const REPORT: &str = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#reports/authenticationMethods/userRegistrationDetails",
      "value": [
        {"id": "86462606-fde0-4fc4-9e0c-a20eb73e54c6", "userPrincipalName": "AlexW@contoso.com",
         "userDisplayName": "Alex Wilber", "userType": "member", "isAdmin": false,
         "isMfaCapable": true, "isMfaRegistered": true, "isPasswordlessCapable": false,
         "methodsRegistered": ["microsoftAuthenticatorPush", "softwareOneTimePasscode"],
         "lastUpdatedDateTime": "2026-11-30T10:00:00Z"},
        {"id": "c8b7a0e1-5b35-4f3e-9a06-6a3b3c8f2e11", "userPrincipalName": "guest_fabrikam.com#EXT#@contoso.com",
         "userDisplayName": "", "userType": "guest", "methodsRegistered": ["passKeyDeviceBoundAuthenticator", "someFutureMethod"]}
      ]}"#;

    #[test]
    fn a_report_is_read_into_rows_with_the_users_methods() {
        let r = read_registrations(REPORT.as_bytes()).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].row_name(), "Alex Wilber (AlexW@contoso.com)");
        assert!(!r[0].guest);
        let h = r[0].holder(vec!["g".into()]);
        assert_eq!(
            h.methods,
            [
                MethodRegistered::Password,
                MethodRegistered::MicrosoftAuthenticatorPush,
                MethodRegistered::SoftwareOneTimePasscode
            ]
        );
        assert_eq!(h.groups, ["g"]);
        // A guest by userType; an unknown method kept as written; no display name: the UPN.
        assert!(r[1].guest);
        assert_eq!(r[1].row_name(), "guest_fabrikam.com#EXT#@contoso.com");
        assert_eq!(
            r[1].methods[1],
            MethodRegistered::Other("someFutureMethod".into())
        );
    }

    #[test]
    fn an_entry_of_the_wrong_shape_is_refused_at_its_line_and_column() {
        let e = read_registrations(
            b"{\"value\": [\n  {\"id\": \"x\", \"methodsRegistered\": \"email\"}]}",
        )
        .unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
        assert!(e.message.contains("sequence"), "{e:?}");
        let e = read_registrations(b"[{\"userType\": \"member\"}]").unwrap_err();
        assert!(e.message.contains("`id`"), "{e:?}");
    }
}
