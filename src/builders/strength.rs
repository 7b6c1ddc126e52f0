//! A custom authentication strength that accepts only passkeys from the allowed providers
//! (`docs/graph.md#authentication-strengths`), and setting it as a CA policy's grant.

use serde_json::{json, Value};

use super::aaguid::Aaguid;
use super::methods::SettingError;
use crate::policy::model::*;
use crate::policy::templates::is_guid;

/// `POST` here creates the strength (201, `policyType: custom`).
pub const STRENGTH_PATH: &str = "/policies/authenticationStrengthPolicies";
/// Least-privileged permission for the strength; `Policy.ReadWrite.AuthenticationMethod`
/// also works. Roles: Conditional Access Administrator or Security Administrator.
pub const STRENGTH_PERMISSION: &str = "Policy.ReadWrite.ConditionalAccess";
/// Placeholder for the strength's id before it exists (the service assigns it).
pub const STRENGTH_PLACEHOLDER: &str = "STRENGTH_ID";

/// The documented second step: `POST` the AAGUID restriction to the new strength.
pub fn combination_path(strength_id: &str) -> String {
    format!("/identity/conditionalAccess/authenticationStrength/policies/{strength_id}/combinationConfigurations")
}

#[derive(Debug, Clone, PartialEq)]
pub struct StrengthSettings {
    pub display_name: String,
    pub description: String,
    /// `allowedAAGUIDs` of the fido2 combination configuration.
    pub aaguids: Vec<Aaguid>,
}

impl Default for StrengthSettings {
    /// Authenticator passkeys only.
    fn default() -> Self {
        StrengthSettings {
            display_name: "Passkey in Microsoft Authenticator".into(),
            description: "FIDO2 restricted to Authenticator iOS/Android AAGUIDs".into(),
            aaguids: Aaguid::authenticator().to_vec(),
        }
    }
}

impl StrengthSettings {
    fn validate(&self) -> Result<(), SettingError> {
        if self.display_name.trim().is_empty() {
            return Err(SettingError {
                field: "display_name",
                message: "the strength needs a display name (Graph requires displayName)".into(),
            });
        }
        if self.aaguids.is_empty() {
            return Err(SettingError {
                field: "aaguids",
                message: "an empty AAGUID list would restrict nothing; keep at least the Authenticator AAGUIDs".into(),
            });
        }
        Ok(())
    }
}

/// `POST /policies/authenticationStrengthPolicies`: only `fido2` satisfies it. Flags strings
/// without spaces, as every service response writes them (one Learn sample has a space).
pub fn strength_body(s: &StrengthSettings) -> Result<Value, SettingError> {
    s.validate()?;
    Ok(json!({
        "displayName": s.display_name,
        "description": s.description,
        "allowedCombinations": ["fido2"],
    }))
}

/// The body for [`combination_path`]: passkeys count only from the listed AAGUIDs.
pub fn combination_body(s: &StrengthSettings) -> Result<Value, SettingError> {
    s.validate()?;
    Ok(json!({
        "@odata.type": "#microsoft.graph.fido2CombinationConfiguration",
        "appliesToCombinations": ["fido2"],
        "allowedAAGUIDs": s.aaguids.iter().map(Aaguid::as_str).collect::<Vec<_>>(),
    }))
}

/// Both in one body, as the Graph PowerShell SDK example passes it to
/// `New-MgPolicyAuthenticationStrengthPolicy`.
pub fn strength_body_inline(s: &StrengthSettings) -> Result<Value, SettingError> {
    let mut body = strength_body(s)?;
    body["combinationConfigurations"] = json!([combination_body(s)?]);
    Ok(body)
}

/// Why a policy cannot take an authentication strength as its grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrengthGrantError {
    pub message: String,
}

impl std::fmt::Display for StrengthGrantError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StrengthGrantError {}

/// A built-in grant control that cannot go with an authentication strength in one policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrengthConflict {
    pub control: GrantControl,
    /// Why, in the admin's words.
    pub message: &'static str,
    /// What to do about it.
    pub fix: &'static str,
}

/// The controls among `controls` that cannot be combined with a required authentication
/// strength (`docs/graph.md#grant-controls`). One list serves the
/// form, the policy-set lint and [`require_strength`].
pub fn strength_conflicts(controls: &[GrantControl]) -> Vec<StrengthConflict> {
    let mut out = Vec::new();
    for c in controls {
        let (message, fix) = match c {
            GrantControl::Mfa => (
                "Require multifactor authentication and Require authentication strength can't be used together",
                "remove the built-in mfa control: the strength is itself multifactor",
            ),
            GrantControl::Block => (
                "the policy blocks access; a block grants nothing, so there is no strength to require",
                "remove the authentication strength or the block",
            ),
            GrantControl::PasswordChange => (
                "Require password change is accepted only together with the built-in mfa control under AND, which can't go with a strength",
                "require the strength in a separate policy",
            ),
            _ => continue,
        };
        out.push(StrengthConflict {
            control: c.clone(),
            message,
            fix,
        });
    }
    out
}

/// Makes `strength_id` the policy's grant (`grantControls.authenticationStrength`, written as
/// `{ "id": … }`). Removes the built-in `mfa` control, since "Require multifactor
/// authentication and Require authentication strength can't be used together"; the other
/// built-in controls stay with their operator. Returns what changed, in words.
///
/// Refuses a block policy (it grants nothing) and a policy with `passwordChange`, which must
/// stay combined with `mfa` under AND.
pub fn require_strength(
    policy: &mut Policy,
    strength_id: &str,
) -> Result<Vec<String>, StrengthGrantError> {
    if !is_guid(strength_id) && strength_id != STRENGTH_PLACEHOLDER {
        return Err(StrengthGrantError {
            message: format!(
                "{strength_id:?} is not an authentication strength id: expected a GUID (the id the POST returned, \
                 or a built-in one such as 00000000-0000-0000-0000-000000000004)"
            ),
        });
    }
    let grant = policy.grant_controls.get_or_default();
    let controls = grant.built_in_controls.value().cloned().unwrap_or_default();
    let mut notes = Vec::new();
    // mfa is removed (with a note); the other conflicts need the admin's decision.
    for c in strength_conflicts(&controls) {
        if c.control == GrantControl::Mfa {
            notes.push(format!(
                "removed the built-in mfa control: {} (the strength is itself multifactor)",
                c.message
            ));
        } else {
            return Err(StrengthGrantError {
                message: format!("{}: {}", c.message, c.fix),
            });
        }
    }
    let rest: Vec<GrantControl> = controls
        .into_iter()
        .filter(|c| *c != GrantControl::Mfa)
        .collect();
    grant.built_in_controls = Field::Value(rest);
    if grant.operator.is_absent() || matches!(grant.operator, Field::Null) {
        grant.operator = Field::Value(GrantOperator::Or);
    }
    grant.authentication_strength = Field::Value(AuthenticationStrength {
        id: Field::Value(strength_id.to_string()),
        ..Default::default()
    });
    notes.push(format!(
        "grantControls.authenticationStrength set to {{ \"id\": \"{strength_id}\" }}"
    ));
    Ok(notes)
}
