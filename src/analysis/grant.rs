//! What a policy's grant asks for, in admin words, and whether a given sign-in can give it.
//! Shared by the audit (passkey catch-22), the lint and the What-If.

use serde::Serialize;
use serde_json::Value;

use super::read;
use crate::policy::model::*;

/// One grant control.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "control", content = "id", rename_all = "camelCase")]
pub enum Control {
    Block,
    Mfa,
    CompliantDevice,
    /// "Require Microsoft Entra hybrid joined device".
    DomainJoinedDevice,
    ApprovedApplication,
    /// "Require app protection policy".
    CompliantApplication,
    PasswordChange,
    RiskRemediation,
    /// An authentication strength, by display name or id.
    AuthenticationStrength(String),
    TermsOfUse(String),
    CustomFactor(String),
    /// A `builtInControls` member Graph does not define; the service would refuse it.
    Unknown(String),
}

impl Control {
    /// The portal's words.
    pub fn label(&self) -> String {
        match self {
            Control::Block => "block access".into(),
            Control::Mfa => "multifactor authentication".into(),
            Control::CompliantDevice => "a device marked as compliant".into(),
            Control::DomainJoinedDevice => "a Microsoft Entra hybrid joined device".into(),
            Control::ApprovedApplication => "an approved client app".into(),
            Control::CompliantApplication => "an app protection policy".into(),
            Control::PasswordChange => "a password change".into(),
            Control::RiskRemediation => "risk remediation".into(),
            Control::AuthenticationStrength(s) => format!("authentication strength {s:?}"),
            Control::TermsOfUse(s) => format!("terms of use {s}"),
            Control::CustomFactor(s) => format!("custom control {s}"),
            Control::Unknown(s) => format!("unknown control {s:?}"),
        }
    }

    /// Whether an unmanaged phone (not registered, not compliant, registering security info in
    /// Microsoft Authenticator or a browser) can satisfy this control. Device-state controls need
    /// a registered device; approved-app and app-protection controls need an Intune-protected
    /// client, which Authenticator is not (`docs/graph.md#app-protection-and-authenticator`).
    /// MFA, strengths, terms of use and custom controls are answered by the user (a Temporary
    /// Access Pass counts as MFA for registration).
    pub fn unmanaged_phone_can_satisfy(&self) -> bool {
        !matches!(
            self,
            Control::Block
                | Control::CompliantDevice
                | Control::DomainJoinedDevice
                | Control::ApprovedApplication
                | Control::CompliantApplication
        )
    }
}

/// How a policy's controls combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operator {
    /// `AND`: every control.
    All,
    /// `OR`: any one control.
    Any,
}

/// A policy's grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub operator: Operator,
    pub controls: Vec<Control>,
    /// Set when the operator was missing or unknown with several controls; the documentation
    /// does not say how the service reads that, so `All` (the stricter) was assumed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Grant {
    /// The policy's grant, or `None` when it has no grant control (session controls only, or
    /// nothing at all).
    pub fn of(p: &Policy) -> Option<Grant> {
        let g = p.grant_controls.value()?;
        let mut controls: Vec<Control> = read::members(&g.built_in_controls)
            .into_iter()
            .map(|c| match c {
                GrantControl::Block => Control::Block,
                GrantControl::Mfa => Control::Mfa,
                GrantControl::CompliantDevice => Control::CompliantDevice,
                GrantControl::DomainJoinedDevice => Control::DomainJoinedDevice,
                GrantControl::ApprovedApplication => Control::ApprovedApplication,
                GrantControl::CompliantApplication => Control::CompliantApplication,
                GrantControl::PasswordChange => Control::PasswordChange,
                GrantControl::RiskRemediation => Control::RiskRemediation,
                GrantControl::UnknownFutureValue => Control::Unknown("unknownFutureValue".into()),
                GrantControl::Unknown(s) => Control::Unknown(s),
            })
            .collect();
        if let Some(s) = g.authentication_strength.value() {
            let label = s
                .display_name
                .value()
                .or(s.id.value())
                .cloned()
                .unwrap_or_default();
            controls.push(Control::AuthenticationStrength(label));
        } else if let Field::Mismatch(Value::Object(o)) = &g.authentication_strength {
            let id = o.get("id").and_then(Value::as_str).unwrap_or("?");
            controls.push(Control::AuthenticationStrength(id.to_string()));
        }
        controls.extend(
            read::strings(&g.terms_of_use)
                .into_iter()
                .map(|s| Control::TermsOfUse(s.into())),
        );
        controls.extend(
            read::strings(&g.custom_authentication_factors)
                .into_iter()
                .map(|s| Control::CustomFactor(s.into())),
        );
        if controls.is_empty() {
            return None;
        }
        let (operator, note) = match g.operator.value() {
            Some(GrantOperator::And) => (Operator::All, None),
            Some(GrantOperator::Or) => (Operator::Any, None),
            _ if controls.len() == 1 => (Operator::All, None),
            other => (
                Operator::All,
                Some(format!(
                    "the grant operator is {}; the documentation is silent on how the service reads several controls without AND/OR; assumed AND",
                    other.map_or("missing".to_string(), |o| format!("{:?}", o.as_str()))
                )),
            ),
        };
        Some(Grant {
            operator,
            controls,
            note,
        })
    }

    /// `block` is exclusive: a grant holding it blocks, whatever else it lists.
    pub fn is_block(&self) -> bool {
        self.controls.contains(&Control::Block)
    }

    pub fn requires(&self, c: &Control) -> bool {
        self.controls.contains(c)
    }

    /// Whether `can` satisfies the grant, with the operator taken into account: under OR one
    /// satisfiable control is enough (a compliant device OR MFA lets an unmanaged phone through).
    pub fn satisfiable_by(&self, can: impl Fn(&Control) -> bool) -> bool {
        if self.is_block() {
            return false;
        }
        match self.operator {
            Operator::All => self.controls.iter().all(&can),
            Operator::Any => self.controls.iter().any(&can),
        }
    }

    /// "multifactor authentication AND a device marked as compliant".
    pub fn describe(&self) -> String {
        let sep = match self.operator {
            Operator::All => " AND ",
            Operator::Any => " OR ",
        };
        self.controls
            .iter()
            .map(Control::label)
            .collect::<Vec<_>>()
            .join(sep)
    }
}
