//! The three steps of the journey, each with whether it passes, what blocks it, why, and what
//! would fix it. A step after a failed one is not judged (`ok` is null).
//!
//! Which policies apply comes from the What-If's decision path (no words); words are written
//! only for what the step shows.

use serde::Serialize;

use super::held::Held;
use super::methods::{restrictions_admit, targeting, Targeting};
use super::strengths::Strength;
use super::{PolicyInfo, Proof};
use crate::analysis::grant::{Control, Operator};
use crate::analysis::whatif::{Decision, Requirement, Resource, Scenario, UserKind};
use crate::builders::aaguid::{AUTHENTICATOR_ANDROID, AUTHENTICATOR_IOS};
use crate::builders::methods::{Fido2Config, PasskeyProfile};
use crate::builders::strength::CREDENTIAL_REGISTRATION_APP;
use crate::policy::model::{DevicePlatform, GuestOrExternalUserType};

/// The steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    ReachRegistration,
    RegisterPasskey,
    SignInWithPasskey,
}

impl Step {
    pub const ALL: [Step; 3] = [
        Step::ReachRegistration,
        Step::RegisterPasskey,
        Step::SignInWithPasskey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::ReachRegistration => "reach-registration",
            Step::RegisterPasskey => "register-passkey",
            Step::SignInWithPasskey => "sign-in-with-passkey",
        }
    }
}

/// `blockedBy` for the passkey (FIDO2) method policy.
pub const METHODS_POLICY: &str = "authenticationMethodsPolicy";

/// One step's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepResult {
    pub step: Step,
    /// `None`: not judged, because an earlier step failed.
    pub ok: Option<bool>,
    /// Policy ids (a draft's display name when it has no id yet), or
    /// [`METHODS_POLICY`].
    pub blocked_by: Vec<String>,
    pub why: String,
    pub fix: Option<String>,
}

impl StepResult {
    fn pass(step: Step, why: String) -> StepResult {
        StepResult {
            step,
            ok: Some(true),
            blocked_by: vec![],
            why,
            fix: None,
        }
    }

    fn fail(step: Step, blocked_by: Vec<String>, why: String, fix: String) -> StepResult {
        StepResult {
            step,
            ok: Some(false),
            blocked_by,
            why,
            fix: Some(fix),
        }
    }

    pub(super) fn not_reached(step: Step, failed: Step) -> StepResult {
        StepResult {
            step,
            ok: None,
            blocked_by: vec![],
            why: format!("not judged: {} failed", failed.as_str()),
            fix: None,
        }
    }
}

/// Why a grant control is not met.
#[derive(Debug, Clone)]
enum Unmet<'p> {
    /// A device or client-app control this sign-in cannot give.
    Device(Control),
    /// MFA, or a strength (`None`: a strength this proof does not know).
    Strength(Option<&'p Strength>, String),
    /// A control Graph does not define.
    Unknown(String),
}

/// One sign-in of a step: the scenario, its decision, and which applying policies count.
type Part<'a> = (&'a Scenario, &'a Decision, fn(&PolicyInfo) -> bool);

/// The persona as one step sees it.
pub(super) struct Journey<'a> {
    pub user_id: &'a str,
    pub methods: &'a [super::MethodRegistered],
    /// The Register security information user action, on the persona's device.
    pub registration: &'a Scenario,
    /// The ordinary sign-in to the persona's resource, on the same device.
    pub resource: &'a Scenario,
}

fn is_external_guest(s: &Scenario) -> bool {
    matches!(&s.user.kind, UserKind::Guest { guest_type, .. } if *guest_type != GuestOrExternalUserType::InternalGuest)
}

fn is_b2b_collaboration(s: &Scenario) -> bool {
    matches!(
        &s.user.kind,
        UserKind::Guest {
            guest_type: GuestOrExternalUserType::B2bCollaborationGuest
                | GuestOrExternalUserType::B2bCollaborationMember,
            ..
        }
    )
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Proof {
    /// Whether a Temporary Access Pass issued to the user can be used: only users in the TAP
    /// method's targets can sign in with one, and a TAP cannot be added to an external guest
    /// (Learn, "Configure Temporary Access Pass").
    fn tap_usable(&self, s: &Scenario) -> Result<(), String> {
        if is_external_guest(s) {
            return Err("a Temporary Access Pass can't be added to an external guest".into());
        }
        if self.methods.tap.state.as_deref() != Some("enabled") {
            return Err("the Temporary Access Pass method is disabled".into());
        }
        match targeting(&self.methods.tap, &s.user.id, &s.user.groups) {
            Targeting::Included(_) => Ok(()),
            Targeting::Excluded(t) => Err(format!(
                "the user is in the Temporary Access Pass method's exclusions ({})",
                t.get("id").and_then(|v| v.as_str()).unwrap_or("")
            )),
            Targeting::NotIncluded => Err("the user is not in the Temporary Access Pass method's targets (a sign-in with it fails with \"Temporary Access Pass sign in was blocked due to User Credential Policy\")".into()),
        }
    }

    fn tap_fix(&self, s: &Scenario, held: &Held) -> String {
        let issue = format!(
            "issue a Temporary Access Pass (POST /v1.0/users/{}/authentication/temporaryAccessPassMethods {{\"isUsableOnce\": true, \"lifetimeInMinutes\": 60}}), Microsoft's documented onboarding for a user without an MFA method",
            s.user.id
        );
        match (&held.unusable_tap, self.tap_usable(s)) {
            (_, Err(why)) if is_external_guest(s) => format!(
                "{why}: the guest registers a passkey in their home tenant, or use a method they already hold"
            ),
            (Some(why), _) => format!(
                "the Temporary Access Pass issued cannot be used: {why}; enable the method for a group holding the user (ca-policy tap-policy --pilot-group ID)"
            ),
            (None, Err(why)) => format!(
                "{issue}, after enabling the method for them ({why}; ca-policy tap-policy --pilot-group ID)"
            ),
            (None, Ok(())) => issue,
        }
    }

    /// Whether the requirement is met: `Ok` with how, or every control that is not.
    fn meets<'p>(
        &'p self,
        r: &Requirement,
        held: &Held,
        s: &Scenario,
    ) -> Result<String, Vec<Unmet<'p>>> {
        let info = &self.policies[r.policy];
        let mut met = Vec::new();
        let mut unmet = Vec::new();
        for c in &r.grant.controls {
            let result = match c {
                Control::Mfa | Control::PasswordChange | Control::RiskRemediation => {
                    match self.mfa.met_by(held) {
                        Some(by) => Ok(format!("{} ({by})", c.label())),
                        None => Err(Unmet::Strength(Some(&self.mfa), c.label())),
                    }
                }
                Control::AuthenticationStrength(label) => match info.strength() {
                    Some(st) => match st.met_by(held) {
                        Some(by) => Ok(format!("authentication strength {:?} ({by})", st.name)),
                        None => Err(Unmet::Strength(Some(st), st.name.clone())),
                    },
                    None => Err(Unmet::Strength(None, label.clone())),
                },
                Control::TermsOfUse(_) | Control::CustomFactor(_) => {
                    Ok(format!("{} (answered by the user)", c.label()))
                }
                Control::Unknown(s) => Err(Unmet::Unknown(s.clone())),
                Control::Block => Err(Unmet::Unknown("block".into())),
                device => {
                    if s.can_satisfy(device) {
                        Ok(device.label())
                    } else {
                        Err(Unmet::Device(device.clone()))
                    }
                }
            };
            match result {
                Ok(m) => {
                    met.push(m);
                    if r.grant.operator == Operator::Any {
                        return Ok(m_last(&met));
                    }
                }
                Err(u) => unmet.push(u),
            }
        }
        if unmet.is_empty() {
            Ok(met.join(" and "))
        } else {
            Err(unmet)
        }
    }

    /// The blocking policies and the unmet requirements of `parts`, each scenario's own
    /// decision filtered by its `keep` (which policies count for it).
    fn judge(
        &self,
        step: Step,
        parts: &[Part],
        held: &Held,
        fix_unmet: &dyn Fn(&PolicyInfo, &[Unmet], &Scenario) -> String,
    ) -> Result<Vec<String>, StepResult> {
        let mut blocked: Vec<usize> = Vec::new();
        for (_, d, keep) in parts {
            for &i in &d.blocked_by {
                if keep(&self.policies[i]) && !blocked.contains(&i) {
                    blocked.push(i);
                }
            }
        }
        if !blocked.is_empty() {
            let names: Vec<&str> = blocked
                .iter()
                .map(|&i| self.policies[i].name.as_str())
                .collect();
            return Err(StepResult::fail(
                step,
                blocked.iter().map(|&i| self.policies[i].label.clone()).collect(),
                format!("blocked by {}", quoted(&names)),
                "the policy blocks this sign-in: exclude the persona (or a group holding them) from it, or sign in from where it does not apply".into(),
            ));
        }
        let mut seen: Vec<usize> = Vec::new();
        let mut met = Vec::new();
        let mut failed: Vec<(usize, String, String)> = Vec::new();
        for (s, d, keep) in parts {
            for r in &d.requirements {
                let info = &self.policies[r.policy];
                if !keep(info) || seen.contains(&r.policy) {
                    continue;
                }
                seen.push(r.policy);
                match self.meets(r, held, s) {
                    Ok(how) => met.push(format!("{:?}: {how}", info.name)),
                    Err(unmet) => failed.push((
                        r.policy,
                        format!(
                            "{:?} requires {}, which the persona cannot give here{}",
                            info.name,
                            info.describe(&r.grant),
                            held.unusable_tap
                                .as_ref()
                                .map(|w| format!(
                                    " (the Temporary Access Pass issued cannot be used: {w})"
                                ))
                                .unwrap_or_default()
                        ),
                        fix_unmet(info, &unmet, s),
                    )),
                }
            }
        }
        if !failed.is_empty() {
            return Err(StepResult::fail(
                step,
                failed
                    .iter()
                    .map(|(i, _, _)| self.policies[*i].label.clone())
                    .collect(),
                failed
                    .iter()
                    .map(|(_, w, _)| w.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                dedup(failed.iter().map(|(_, _, f)| f.clone())).join("; "),
            ));
        }
        Ok(met)
    }

    /// Step 1: the Conditional Access policies on the Register security information user
    /// action, and (for a passkey registered in Microsoft Authenticator) the application
    /// sign-in Authenticator makes to Microsoft Authenticator Credential Registration, which
    /// the policies on All resources cover unless they exclude it; then MFA within the last
    /// five minutes, which passkey registration requires.
    pub(super) fn reach_registration(&self, j: &Journey) -> StepResult {
        let step = Step::ReachRegistration;
        let ua = j.registration;
        let app = Scenario {
            resource: Resource::App(CREDENTIAL_REGISTRATION_APP.into()),
            ..ua.clone()
        };
        let held = Held::new(j.methods, ua.platform.as_ref(), self.tap_usable(ua));
        let d_ua = self.set.decide(ua);
        let d_app = self.set.decide(&app);
        fn on_action(p: &PolicyInfo) -> bool {
            !p.targets_apps
        }
        fn any(_: &PolicyInfo) -> bool {
            true
        }
        let fix = |info: &PolicyInfo, unmet: &[Unmet], s: &Scenario| -> String {
            let on_apps = matches!(s.resource, Resource::App(_));
            let mut out = Vec::new();
            for u in unmet {
                out.push(match u {
                    Unmet::Device(c) if on_apps => format!(
                        "exclude Microsoft Authenticator Credential Registration from {:?}: create its service principal once (POST /v1.0/servicePrincipals {{\"appId\": \"{CREDENTIAL_REGISTRATION_APP}\"}}) and add {CREDENTIAL_REGISTRATION_APP} to conditions.applications.excludeApplications (Microsoft's documented exclusion for registering passkeys in Authenticator), or offer an OR alternative to {} that this device can give",
                        info.name,
                        c.label()
                    ),
                    Unmet::Device(c) => format!(
                        "register from a device that gives {}, or offer an OR alternative in {:?} the persona can meet, such as the Multifactor authentication strength (a Temporary Access Pass satisfies it)",
                        c.label(),
                        info.name
                    ),
                    Unmet::Strength(None, label) => format!(
                        "the strength {label:?} is not known: pass the tenant's strengths with --strengths (GET /identity/conditionalAccess/authenticationStrength/policies)"
                    ),
                    Unmet::Strength(Some(st), _) => {
                        if let Some(l) = info.strength_loop {
                            l.ways_out().to_string()
                        } else if st.accepts_tap() {
                            self.tap_fix(s, &held)
                        } else {
                            format!(
                                "{:?} does not accept a Temporary Access Pass: require the Multifactor authentication strength (00000000-0000-0000-0000-000000000002) or a custom strength that includes Temporary Access Pass on {:?}",
                                st.name, info.name
                            )
                        }
                    }
                    Unmet::Unknown(c) => format!(
                        "{:?} names the grant control {c:?}, which Graph does not define: correct it",
                        info.name
                    ),
                });
            }
            dedup(out.into_iter()).join("; ")
        };
        let met = match self.judge(
            step,
            &[(ua, &d_ua, on_action), (&app, &d_app, any)],
            &held,
            &fix,
        ) {
            Ok(met) => met,
            Err(r) => return r,
        };
        // Combined registration asks for MFA within the last five minutes before a passkey
        // is added (Learn, "Combined security information registration"; the Authenticator
        // passkey how-to's prerequisites).
        let Some(fresh) = self.mfa.met_by(&held) else {
            let why = match &held.unusable_tap {
                Some(w) => format!("registering a passkey requires MFA within the last five minutes, and the persona has no MFA method it can use here (the Temporary Access Pass issued cannot be used: {w})"),
                None => "registering a passkey requires MFA within the last five minutes, and the persona holds no MFA method (only a password)".into(),
            };
            return StepResult::fail(step, vec![], why, self.tap_fix(ua, &held));
        };
        let policies = if met.is_empty() {
            "no Conditional Access policy applies to the registration".to_string()
        } else {
            format!("met: {}", met.join("; "))
        };
        StepResult::pass(
            step,
            format!("{policies}; MFA within the last five minutes by {fresh}"),
        )
    }

    /// Step 2: the passkey (FIDO2) method policy: enabled for the persona (an exclusion
    /// overrides every inclusion), self-service set-up allowed, and a passkey profile in scope
    /// (or the legacy key restrictions) admitting a device-bound passkey in Microsoft
    /// Authenticator.
    pub(super) fn register_passkey(&self, j: &Journey) -> StepResult {
        let step = Step::RegisterPasskey;
        let s = j.registration;
        let m = vec![METHODS_POLICY.to_string()];
        // Learn, "Enable passkeys in Microsoft Authenticator", known limitations.
        if is_b2b_collaboration(s) {
            return StepResult::fail(
                step,
                vec![],
                "B2B collaboration users can't register passkeys in the resource tenant".into(),
                "the guest registers a passkey in their home tenant".into(),
            );
        }
        let current = self.methods.fido2_current();
        if current.state.as_deref() != Some("enabled") {
            return StepResult::fail(
                step,
                m,
                format!(
                    "the Passkey (FIDO2) method is {}{}",
                    current.state.as_deref().unwrap_or("not enabled"),
                    if current.assumed { " (assumed default)" } else { "" }
                ),
                "enable Passkey (FIDO2) for a group holding the persona (ca-policy passkey-policy --pilot-group ID)".into(),
            );
        }
        let target = match targeting(current, j.user_id, &s.user.groups) {
            Targeting::Excluded(t) => {
                let id = t.get("id").and_then(|v| v.as_str()).unwrap_or("");
                return StepResult::fail(
                    step,
                    m,
                    format!("the persona is in the Passkey (FIDO2) method's exclusions ({id}); an exclusion overrides every inclusion"),
                    format!("remove {id} from the method's excludeTargets, or the persona from that group"),
                );
            }
            Targeting::NotIncluded => {
                return StepResult::fail(
                    step,
                    m,
                    "the persona is in none of the Passkey (FIDO2) method's targets".into(),
                    "add a group holding the persona to the method's includeTargets (ca-policy passkey-policy --pilot-group ID)".into(),
                )
            }
            Targeting::Included(t) => t,
        };
        if self.methods.self_service == Some(false) {
            return StepResult::fail(
                step,
                m,
                "self-service set-up is off (isSelfServiceRegistrationAllowed: false): users can't register passkeys in Security info".into(),
                "set isSelfServiceRegistrationAllowed to true on the Passkey (FIDO2) configuration".into(),
            );
        }
        let aaguids = super::held::authenticator_aaguids(s.platform.as_ref());
        let names = aaguids
            .iter()
            .map(|a| {
                if *a == AUTHENTICATOR_IOS {
                    "iOS"
                } else {
                    "Android"
                }
            })
            .collect::<Vec<_>>()
            .join(" and ");
        let target_id = target.get("id").and_then(|v| v.as_str()).unwrap_or("");
        let (admitted, attestation) = match &self.methods.fido2 {
            Fido2Config::Legacy(c) => {
                if !restrictions_admit(c.key_restrictions.as_ref(), aaguids) {
                    return StepResult::fail(
                        step,
                        m,
                        format!("the method's key restrictions do not admit Microsoft Authenticator ({names})"),
                        format!("allow the Microsoft Authenticator AAGUIDs ({AUTHENTICATOR_IOS}, {AUTHENTICATOR_ANDROID}) in keyRestrictions (ca-policy passkey-policy --pilot-group ID), keeping the AAGUIDs already allowed"),
                    );
                }
                (
                    format!("target {target_id}, the method's key restrictions admit Microsoft Authenticator"),
                    c.is_attestation_enforced == Some(true),
                )
            }
            Fido2Config::Profiles(p) => {
                // Every profile of every include target that covers the persona is in scope;
                // the passkey must fully meet one of them.
                let mut in_scope: Vec<&PasskeyProfile> = Vec::new();
                for t in p
                    .current
                    .include_targets
                    .iter()
                    .filter(|t| super::methods::covers(t, j.user_id, &s.user.groups))
                {
                    let ids: Vec<&str> = t
                        .get("allowedPasskeyProfiles")
                        .and_then(|v| v.as_array())
                        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
                        .unwrap_or_default();
                    let listed: Vec<&PasskeyProfile> = if ids.is_empty() {
                        p.default().into_iter().collect()
                    } else {
                        p.profiles
                            .iter()
                            .filter(|pr| {
                                pr.id.as_deref().is_some_and(|id| {
                                    ids.iter().any(|x| x.eq_ignore_ascii_case(id))
                                })
                            })
                            .collect()
                    };
                    for pr in listed {
                        if !in_scope.iter().any(|x| x.id == pr.id) {
                            in_scope.push(pr);
                        }
                    }
                }
                let admits = |pr: &PasskeyProfile| {
                    pr.passkey_types.device_bound
                        && restrictions_admit(pr.key_restrictions.as_ref(), aaguids)
                };
                match in_scope.iter().find(|pr| admits(pr)) {
                    Some(pr) => (
                        format!(
                            "passkey profile {:?} admits a device-bound passkey in Microsoft Authenticator{}",
                            pr.name,
                            if pr.passkey_types.synced {
                                " (it allows synced passkeys too, so Authenticator needs iOS 6.8.37 / Android 6.2507.4749 or later)"
                            } else {
                                ""
                            }
                        ),
                        pr.attestation_enforced,
                    ),
                    None => {
                        let listed: Vec<String> = in_scope
                            .iter()
                            .map(|pr| format!("{:?} ({}, {})", pr.name, pr.passkey_types.words(), pr.restriction_words()))
                            .collect();
                        let first = in_scope.first().map_or("the pilot's profile".to_string(), |pr| format!("{:?}", pr.name));
                        return StepResult::fail(
                            step,
                            m,
                            format!(
                                "no passkey profile in scope admits a device-bound passkey in Microsoft Authenticator ({names}): {}",
                                if listed.is_empty() { "none in scope".into() } else { listed.join("; ") }
                            ),
                            format!(
                                "admit the Microsoft Authenticator AAGUIDs ({AUTHENTICATOR_IOS}, {AUTHENTICATOR_ANDROID}) and device-bound passkeys in {first}, or target the persona's group with a profile \"Passkeys in Microsoft Authenticator\" (ca-policy passkey-policy --pilot-group ID --current FIDO2.json)"
                            ),
                        );
                    }
                }
            }
        };
        let attest = if !attestation {
            "; attestation is off, so Entra can't guarantee the passkey's provider (AAGUID lists only guide)"
        } else if matches!(
            s.platform,
            Some(DevicePlatform::IOS | DevicePlatform::Android)
        ) {
            "; attestation is enforced: register directly in the Authenticator app on this phone"
        } else {
            "; attestation is enforced: the passkey is registered directly in the Authenticator app on the phone (cross-device registration from this device is unavailable)"
        };
        StepResult::pass(
            step,
            format!("enabled for the persona (target {target_id}), self-service set-up allowed, {admitted}{attest}"),
        )
    }

    /// Step 3: an ordinary sign-in to the persona's resource on the same device, with the
    /// passkey in Microsoft Authenticator and nothing else.
    pub(super) fn sign_in_with_passkey(&self, j: &Journey) -> StepResult {
        let step = Step::SignInWithPasskey;
        let s = j.resource;
        let held = Held::authenticator_passkey(s.platform.as_ref());
        let d = self.set.decide(s);
        fn any(_: &PolicyInfo) -> bool {
            true
        }
        let fix = |info: &PolicyInfo, unmet: &[Unmet], _: &Scenario| -> String {
            let mut out = Vec::new();
            for u in unmet {
                out.push(match u {
                    Unmet::Device(c) => format!(
                        "sign in from a device that gives {} (enrol this one), or offer an alternative in {:?}",
                        c.label(),
                        info.name
                    ),
                    Unmet::Strength(None, label) => format!(
                        "the strength {label:?} is not known: give the tenant's strengths (--strengths, or read them from the tenant)"
                    ),
                    Unmet::Strength(Some(st), _) if st.fido2_aaguids().is_some() => format!(
                        "add the Microsoft Authenticator AAGUIDs ({AUTHENTICATOR_IOS}, {AUTHENTICATOR_ANDROID}) to the fido2 combination configuration of {:?}",
                        st.name
                    ),
                    Unmet::Strength(Some(st), _) => format!(
                        "{:?} does not accept passkeys (fido2): require a strength that does, such as Phishing-resistant MFA",
                        st.name
                    ),
                    Unmet::Unknown(c) => format!(
                        "{:?} names the grant control {c:?}, which Graph does not define: correct it",
                        info.name
                    ),
                });
            }
            dedup(out.into_iter()).join("; ")
        };
        match self.judge(step, &[(s, &d, any)], &held, &fix) {
            Err(r) => r,
            Ok(met) if met.is_empty() => StepResult::pass(
                step,
                "no Conditional Access policy asks anything of this sign-in".into(),
            ),
            Ok(met) => StepResult::pass(step, format!("met with the passkey: {}", met.join("; "))),
        }
    }
}

fn m_last(met: &[String]) -> String {
    met.last().cloned().unwrap_or_default()
}

fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}
