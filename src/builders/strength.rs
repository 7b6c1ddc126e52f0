//! A custom authentication strength that accepts only passkeys from the allowed providers
//! (`docs/graph.md#authentication-strengths`), and setting it as a CA policy's grant.

use serde_json::{json, Value};

use super::aaguid;
use super::methods::SettingError;
use crate::guid::Guid;
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
    pub aaguids: Vec<Guid>,
}

impl Default for StrengthSettings {
    /// Authenticator passkeys only.
    fn default() -> Self {
        StrengthSettings {
            display_name: "Passkey in Microsoft Authenticator".into(),
            description: "FIDO2 restricted to Authenticator iOS/Android AAGUIDs".into(),
            aaguids: aaguid::authenticator().to_vec(),
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
        "allowedAAGUIDs": s.aaguids.iter().map(Guid::as_str).collect::<Vec<_>>(),
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
            // passwordChange next to a strength (under AND, sign-in frequency every time) is a
            // documented user-risk pattern: the strength stands in for mfa. Its own rules are the
            // lint's `password-change-rules`.
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

/// Microsoft Authenticator Credential Registration: the one app id Microsoft documents as an
/// exclusion from All-resources policies so that Authenticator can register a passkey
/// (<https://learn.microsoft.com/entra/identity/authentication/how-to-enable-authenticator-passkey>).
pub const CREDENTIAL_REGISTRATION_APP: &str = "6aa00308-ea33-4caa-90d6-ae905d8cb51b";
pub use crate::names::{PASSWORDLESS_STRENGTH, PHISHING_RESISTANT_STRENGTH};

/// A strength a user can only meet with a credential a first-time passkey user does not have
/// yet: the rollout's passkey strength, the built-in Phishing-resistant MFA, or a custom strength
/// whose every combination is a passkey, Windows Hello or a multifactor certificate.
fn needs_phishing_resistant(s: &AuthenticationStrength) -> bool {
    let id = s.id.value().map(String::as_str).unwrap_or_default();
    if id == STRENGTH_PLACEHOLDER || id.eq_ignore_ascii_case(PHISHING_RESISTANT_STRENGTH) {
        return true;
    }
    let combos = s.allowed_combinations.value().cloned().unwrap_or_default();
    !combos.is_empty()
        && combos.iter().all(|c| {
            !c.0.is_empty()
                && c.0.iter().all(|m| {
                    matches!(
                        m,
                        AuthenticationMethodMode::Fido2
                            | AuthenticationMethodMode::WindowsHelloForBusiness
                            | AuthenticationMethodMode::X509CertificateMultiFactor
                    )
                })
        })
}

/// Whether a Temporary Access Pass meets the strength: `Some(false)` for the passkey and
/// passwordless strengths and a custom strength whose combinations hold no TAP, `None` when
/// the strength is known only by an id that is not built in.
fn accepts_tap(s: &AuthenticationStrength) -> Option<bool> {
    let id = s.id.value().map(String::as_str).unwrap_or_default();
    if id.eq_ignore_ascii_case(crate::policy::templates::MFA_STRENGTH) {
        return Some(true);
    }
    if needs_phishing_resistant(s) || id.eq_ignore_ascii_case(PASSWORDLESS_STRENGTH) {
        return Some(false);
    }
    let combos = s.allowed_combinations.value()?;
    Some(combos.iter().any(|c| {
        c.0.iter().any(|m| {
            matches!(
                m,
                AuthenticationMethodMode::TemporaryAccessPassOneTime
                    | AuthenticationMethodMode::TemporaryAccessPassMultiUse
            )
        })
    }))
}

/// The authentication-strength loop: a policy whose strength the user can meet only with the
/// passkey they are about to register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrengthLoop {
    /// A phishing-resistant strength on All resources, which also covers Microsoft
    /// Authenticator's own sign-in: a passkey is needed to create one.
    AllResources,
    /// A strength without Temporary Access Pass on the Register security information user
    /// action: nobody can register a first passkey.
    Registration,
}

impl StrengthLoop {
    /// Why, in the admin's words.
    pub fn why(self) -> &'static str {
        match self {
            StrengthLoop::AllResources => "the policy requires a phishing-resistant (passkey) authentication strength on All resources, which also covers Microsoft Authenticator's own sign-in: users need a passkey to reach the page where they would register one",
            StrengthLoop::Registration => "the policy requires an authentication strength that a Temporary Access Pass does not satisfy on the Register security information user action: a user without a passkey cannot register their first one",
        }
    }

    /// The documented ways out.
    pub fn ways_out(self) -> &'static str {
        match self {
            StrengthLoop::AllResources => "target specific resources (filter for applications) instead of All resources; or split by platform, requiring the passkey strength on desktop platforms and, on Android and iOS, a strength users already meet (Temporary Access Pass or Authenticator push) that also meets the Register security information policy; or exclude Microsoft Authenticator Credential Registration (appId 6aa00308-ea33-4caa-90d6-ae905d8cb51b, after creating its service principal) in conditions.applications.excludeApplications",
            StrengthLoop::Registration => "require the built-in Multifactor authentication strength (00000000-0000-0000-0000-000000000002), which a Temporary Access Pass satisfies, or MFA, on the Register security information user action, with sign-in frequency Every time; keep the passkey strength for the resources",
        }
    }
}

/// The loop `policy` makes, if it makes one. Only a grant that the strength alone can satisfy
/// counts: under OR, another control is a way past it.
pub fn strength_loop(policy: &Policy) -> Option<StrengthLoop> {
    let g = policy.grant_controls.value()?;
    let s = g.authentication_strength.value()?;
    let others = g.built_in_controls.value().map_or(0, |c| c.len())
        + g.terms_of_use.value().map_or(0, |c| c.len())
        + g.custom_authentication_factors
            .value()
            .map_or(0, |c| c.len());
    if others > 0 && g.operator.value() == Some(&GrantOperator::Or) {
        return None;
    }
    let c = policy.conditions.value()?;
    let apps = c.applications.value()?;
    let has = |f: &Field<Vec<String>>, x: &str| {
        f.value()
            .is_some_and(|v| v.iter().any(|y| y.eq_ignore_ascii_case(x)))
    };
    if has(
        &apps.include_user_actions,
        crate::policy::templates::REGISTER_SECURITY_INFO,
    ) && accepts_tap(s) == Some(false)
    {
        return Some(StrengthLoop::Registration);
    }
    if has(&apps.include_applications, "All")
        && !has(&apps.exclude_applications, CREDENTIAL_REGISTRATION_APP)
        && needs_phishing_resistant(s)
        && reaches_phones(c)
    {
        return Some(StrengthLoop::AllResources);
    }
    None
}

/// Whether the platforms condition leaves Android or iOS in scope (the platform split is one
/// of the ways out).
fn reaches_phones(c: &ConditionSet) -> bool {
    let Some(p) = c.platforms.value() else {
        return true;
    };
    let list = |f: &Field<Vec<DevicePlatform>>| f.value().cloned().unwrap_or_default();
    let include = list(&p.include_platforms);
    let exclude = list(&p.exclude_platforms);
    [DevicePlatform::Android, DevicePlatform::IOS]
        .iter()
        .any(|phone| {
            (include.is_empty()
                || include.contains(&DevicePlatform::All)
                || include.contains(phone))
                && !exclude.contains(phone)
        })
}

/// The loop `require_strength(policy, strength_id)` would make.
pub fn loop_if_required(policy: &Policy, strength_id: &str) -> Option<StrengthLoop> {
    let mut p = policy.clone();
    require_strength(&mut p, strength_id).ok()?;
    strength_loop(&p)
}

/// Makes `strength_id` the policy's grant (`grantControls.authenticationStrength`, written as
/// `{ "id": … }`). Removes the built-in `mfa` control, since "Require multifactor
/// authentication and Require authentication strength can't be used together"; the other
/// built-in controls stay with their operator. Returns what changed, in words.
///
/// Refuses a block policy (it grants nothing).
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
