//! Risk-based policies and the licence each part of the rollout needs.

use crate::policy::model::*;
use crate::policy::templates::{Template, TemplateError, TemplateParams};

/// One line per part of the rollout, for outputs that must say what the tenant needs.
pub fn licence_notes() -> [&'static str; 3] {
    [
        "User-risk and sign-in-risk policies need Microsoft Entra ID P2 (ID Protection computes the risk); without \
         it the risk condition never matches.",
        "Conditional Access, and so authentication strengths, needs Microsoft Entra ID P1.",
        "Passkeys (FIDO2), including passkeys in Microsoft Authenticator, and Temporary Access Pass are available in \
         every Entra ID edition, Free included.",
    ]
}

pub const SIGN_IN_RISK_NAME: &str = "Require MFA for medium or high sign-in risk";

/// The sign-in-risk template: all users (break-glass excluded) and all resources, high or
/// medium sign-in risk, the built-in MFA strength, sign-in frequency every time — Microsoft's
/// recommended policy. Risk remediation is for user risk; a risky sign-in is answered by MFA.
pub fn sign_in_risk_policy(p: &TemplateParams) -> Result<Policy, TemplateError> {
    Template::SignInRisk.build(p)
}

/// Why the user-risk template is written as it is, and what to check before switching it On:
/// for the form and the CLI.
pub const USER_RISK_NOTES: [&str; 5] = [
    "Require risk remediation, as Microsoft now recommends: when a user's risk is high, Entra revokes their \
     sessions; a password user then makes a secure password change, and a passwordless user (a passkey pilot who \
     no longer has a password) signs in again with the authentication strength, which remediates the risk. \
     Require password change cannot remediate a passwordless user.",
    "The grant is riskRemediation AND an authentication strength (the built-in Multifactor authentication \
     strength, which a Temporary Access Pass and Authenticator push satisfy), with sign-in frequency Every time: \
     the portal adds both, and the sign-in frequency is mandatory.",
    "Licence: user risk needs Microsoft Entra ID P2 (ID Protection computes it); without P2 the condition never \
     matches. Guests and workload identities cannot use risk remediation.",
    "Hybrid (synced) users remediate with a password change only when password writeback is on, and must already \
     be registered for MFA to remediate themselves.",
    LEGACY_RETIREMENT,
];

/// The sign-in-risk counterpart of [`USER_RISK_NOTES`].
pub const SIGN_IN_RISK_NOTES: [&str; 3] = [
    "Microsoft's recommended sign-in-risk policy: high and medium sign-in risk require the built-in Multifactor \
     authentication strength, with sign-in frequency Every time so that a remembered session does not skip it. \
     For a group of passwordless users, a Passwordless MFA or Phishing-resistant MFA strength can replace it.",
    "Licence: sign-in risk needs Microsoft Entra ID P2; without P2 the condition never matches.",
    LEGACY_RETIREMENT,
];

/// What the retirement of the legacy ID Protection policies means for a tenant.
pub const LEGACY_RETIREMENT: &str =
    "The legacy user-risk and sign-in-risk policies in ID Protection retired on 1 October 2026: a tenant that \
     relied on them has no risk policy until Conditional Access risk policies like this one are On. The legacy \
     MFA registration policy sends users to interrupt-mode registration, which cannot register a passkey: remove \
     it in favour of a registration campaign or the Register security information policy.";
