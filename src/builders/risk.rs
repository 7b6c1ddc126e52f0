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

/// The sign-in-risk counterpart of the user-risk template: all users (break-glass excluded)
/// and all resources, medium or high sign-in risk, MFA. Built from the user-risk template so
/// that validation and exclusions are the template's own; the condition becomes
/// `signInRiskLevels` and the grant plain MFA — `passwordChange` is tied to user risk
/// (`docs/graph.md#grant-controls`) and does not remediate a risky sign-in.
pub fn sign_in_risk_policy(p: &TemplateParams) -> Result<Policy, TemplateError> {
    let mut params = p.clone();
    params.display_name = Some(
        p.display_name
            .clone()
            .unwrap_or_else(|| SIGN_IN_RISK_NAME.to_string()),
    );
    let mut policy = Template::UserRisk.build(&params)?;
    let c = policy.conditions.get_or_default();
    c.user_risk_levels = Field::Absent;
    c.sign_in_risk_levels = Field::Value(vec![RiskLevel::High, RiskLevel::Medium]);
    c.client_app_types = Field::Value(vec![ClientAppType::All]);
    let g = policy.grant_controls.get_or_default();
    g.operator = Field::Value(GrantOperator::Or);
    g.built_in_controls = Field::Value(vec![GrantControl::Mfa]);
    Ok(policy)
}
