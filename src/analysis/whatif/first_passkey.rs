//! The one case where the What-If does not take an authentication strength as satisfiable: in a
//! registration (the Register security information user action, and the application sign-in
//! before it), a strength that someone registering their first passkey cannot meet. These are
//! the two kinds of the authentication-strength loop ([`StrengthLoop`]): a phishing-resistant
//! strength on All resources, which also covers Microsoft Authenticator's sign-in on the phone,
//! and a strength a Temporary Access Pass does not satisfy on the user action
//! (<https://learn.microsoft.com/entra/identity/authentication/how-to-enable-authenticator-passkey>).
//!
//! Word-free: the loop is found once per policy when the set is compiled, and a sign-in only
//! compares enums. The words are `explain`'s.

use super::compile::CompiledPolicy;
use super::scenario::Scenario;
use crate::analysis::grant::{Control, Grant};
use crate::builders::strength::{strength_loop, StrengthLoop};
use crate::policy::model::*;

/// The loop `p`'s authentication strength makes, judged on the strength alone: the other
/// controls of the grant are weighed per sign-in ([`blocks_first_passkey`]), so that an `OR`
/// alternative counts only where the sign-in can give it. `None` without a strength.
pub(super) fn strength_loop_of(p: &Policy) -> Option<StrengthLoop> {
    let g = p.grant_controls.value()?;
    g.authentication_strength.value()?;
    let alone = Policy {
        conditions: p.conditions.clone(),
        grant_controls: Field::Value(GrantControls {
            operator: Field::Value(GrantOperator::Or),
            authentication_strength: g.authentication_strength.clone(),
            ..Default::default()
        }),
        ..Default::default()
    };
    strength_loop(&alone)
}

impl CompiledPolicy {
    /// The loop this policy's strength makes for the sign-in `s` when `s` is a step of a
    /// registration (`registering`). A strength without Temporary Access Pass on the user action
    /// stops every registrant; a phishing-resistant strength on All resources stops the
    /// registrant on a phone, where Authenticator signs in. On a desktop platform it is not
    /// counted: Microsoft's split by platform requires the passkey there on purpose (users
    /// register on the phone), and Windows Hello or a certificate may meet it.
    pub(super) fn first_passkey_loop(
        &self,
        s: &Scenario,
        registering: bool,
    ) -> Option<StrengthLoop> {
        if !registering {
            return None;
        }
        match self.strength_loop? {
            StrengthLoop::Registration => Some(StrengthLoop::Registration),
            StrengthLoop::AllResources => matches!(
                s.platform,
                Some(DevicePlatform::Android | DevicePlatform::IOS)
            )
            .then_some(StrengthLoop::AllResources),
        }
    }
}

/// Whether the strength is what stops `g` for someone registering a first passkey: the sign-in
/// could meet the grant if the strength counted, and cannot without it (another control under
/// `OR` that the sign-in gives is a way past it). A grant the sign-in cannot meet anyway (a
/// compliant device on an unregistered phone) is not the loop's doing.
pub(super) fn blocks_first_passkey(g: &Grant, s: &Scenario) -> bool {
    let is_strength = |c: &Control| matches!(c, Control::AuthenticationStrength(_));
    g.satisfiable_by(|c| s.can_satisfy(c))
        && !g.satisfiable_by(|c| !is_strength(c) && s.can_satisfy(c))
}
