//! The rollout assembled from the admin's settings: the passkey and TAP PATCHes built for the
//! rollout's pilot group, the strength, and the policies, checked into one
//! [`Rollout`](crate::builders::rollout::Rollout). [`from_draft`] takes the policies from the
//! draft (the page's script download); `ca-policy rollout` has no draft and passes the
//! templates it was asked for to [`assemble`]; both end in the same [`finish`].
//!
//! The passkey panel's form ([`MethodsForm`]) is read here too: what it holds becomes the
//! settings, and what is wrong with it becomes the messages the panel lists.

use crate::builders::methods::{
    self, profile_plan, CurrentConfig, Fido2Config, Method, MethodPatch, PasskeySettings,
    PlanError, ProfileSettings, ProfilesConfig, SettingError, TapSettings,
};
use crate::builders::parse_aaguid_list;
use crate::builders::risk;
use crate::builders::rollout::{PasskeyChange, PilotGroup, ProfileRollout, Rollout, RolloutError};
use crate::builders::strength::StrengthSettings;
use crate::policy::edit::IdList;
use crate::policy::templates::{group_body, is_guid};
use crate::policy::Policy;

use serde::{Deserialize, Serialize};

use super::draft::{Draft, StepKind};
use super::error::AppError;

/// Everything but the policies: the two method configurations (their `pilot_group` is replaced
/// by the rollout's), what the tenant holds for each, the strength, and the policies whose
/// grant becomes that strength.
#[derive(Debug, Clone, PartialEq)]
pub struct RolloutSettings {
    pub passkey: PasskeySettings,
    pub tap: TapSettings,
    pub fido2_current: CurrentConfig,
    /// The passkey configuration with its profiles, when the tenant is on passkey profiles
    /// ([`profiles_of`]); the passkey change is then the profile plan's ordered PATCHes.
    pub fido2_profiles: Option<ProfilesConfig>,
    pub tap_current: CurrentConfig,
    pub strength: StrengthSettings,
    pub strength_for: Vec<String>,
}

/// The profiles configuration in a pasted (or read) passkey GET response; `None` when the
/// tenant is not on profiles or the text is not a configuration.
pub fn profiles_of(text: &str) -> Option<ProfilesConfig> {
    match Fido2Config::parse(text) {
        Ok(Fido2Config::Profiles(c)) => Some(c),
        _ => None,
    }
}

/// Why a rollout could not be assembled.
#[derive(Debug, Clone, PartialEq)]
pub enum AssemblyError {
    /// The draft has no pilot step to take the group from.
    NoPilotStep,
    /// The pilot step names neither an existing group nor one to create.
    NoPilotGroup,
    /// A method configuration Graph would refuse; `part` is `passkey method` or `TAP method`.
    Method {
        part: &'static str,
        error: SettingError,
    },
    /// The sign-in-risk policy could not be built from the draft's parameters.
    Policy(String),
    /// The parts do not fit together (`Rollout::build`).
    Plan(RolloutError),
}

impl std::fmt::Display for AssemblyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AssemblyError::NoPilotStep => f.write_str("The draft has no pilot step: open a new draft (or a share link with one) to build the rollout."),
            AssemblyError::NoPilotGroup => f.write_str(
                "Set the pilot group (pick it, or give a name for a new group) in the Pilot phase first.",
            ),
            AssemblyError::Method { error, .. } => write!(f, "{error}"),
            AssemblyError::Policy(m) => f.write_str(m),
            AssemblyError::Plan(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for AssemblyError {}

/// A profile plan's refusal in the words of a method setting error (its field `current`: the
/// configuration read is what stands in the way).
fn plan_refusal(e: PlanError) -> SettingError {
    match e {
        PlanError::Setting(e) => e,
        e => SettingError {
            field: "current",
            message: e.to_string(),
        },
    }
}

/// The passkey change on a tenant with profiles: add the pilot profile, read its id back,
/// then target the pilot group with it.
fn profile_change(
    gid: &str,
    passkey: &PasskeySettings,
    read: &ProfilesConfig,
) -> Result<PasskeyChange, AssemblyError> {
    let mut settings = ProfileSettings::new(gid);
    settings.attestation = passkey.enforce_attestation;
    settings.extra_aaguids = passkey.extra_aaguids.clone();
    let plan = profile_plan(&settings, read).map_err(|e| AssemblyError::Method {
        part: "passkey method",
        error: plan_refusal(e),
    })?;
    Ok(PasskeyChange::Profiles(ProfileRollout {
        plan,
        read: read.clone(),
    }))
}

/// The passkey and TAP PATCHes for `pilot`: both carry the id the rollout's bodies carry.
fn method_patches(
    pilot: &PilotGroup,
    s: &RolloutSettings,
) -> Result<(PasskeyChange, MethodPatch), AssemblyError> {
    let gid = pilot.id_in_bodies().to_string();
    let mut passkey = s.passkey.clone();
    passkey.pilot_group = gid.clone();
    let mut tap = s.tap.clone();
    tap.pilot_group = gid;
    let fido2 = match &s.fido2_profiles {
        Some(read) => profile_change(&passkey.pilot_group, &passkey, read)?,
        None if !s.fido2_current.passkey_profile_ids.is_empty() => {
            // On profiles, but the profiles were not read with the configuration.
            return Err(AssemblyError::Method {
                part: "passkey method",
                error: SettingError {
                    field: "current",
                    message: "this tenant is on passkey profiles: read the passkey configuration with its \
                              passkeyProfiles (the whole GET response) to plan the profile steps"
                        .into(),
                },
            });
        }
        None => PasskeyChange::Patch(methods::fido2_patch(&passkey, &s.fido2_current).map_err(
            |error| AssemblyError::Method {
                part: "passkey method",
                error,
            },
        )?),
    };
    let tap = methods::tap_patch(&tap, &s.tap_current).map_err(|error| AssemblyError::Method {
        part: "TAP method",
        error,
    })?;
    Ok((fido2, tap))
}

/// The one place a rollout is put together.
fn finish(
    pilot: PilotGroup,
    (fido2, tap): (PasskeyChange, MethodPatch),
    policies: Vec<(String, Policy)>,
    s: &RolloutSettings,
) -> Result<Rollout, AssemblyError> {
    Rollout::build(
        pilot,
        fido2,
        tap,
        s.strength.clone(),
        policies,
        &s.strength_for,
    )
    .map_err(AssemblyError::Plan)
}

/// The rollout of `policies` (slug, policy), in that order, for `pilot`.
pub fn assemble(
    pilot: PilotGroup,
    policies: Vec<(String, Policy)>,
    s: &RolloutSettings,
) -> Result<Rollout, AssemblyError> {
    let patches = method_patches(&pilot, s)?;
    finish(pilot, patches, policies, s)
}

/// A step's file-name part in the rollout.
fn slug(kind: StepKind, i: usize) -> String {
    match kind {
        StepKind::MfaCompensating => "mfa-compensating".into(),
        StepKind::Pilot => "pilot".into(),
        StepKind::Hardening => "hardening".into(),
        StepKind::ProtectRegistration => "protect-registration".into(),
        StepKind::UserRisk => "user-risk".into(),
        StepKind::Imported => format!("imported-{i}"),
    }
}

/// The draft's pilot group: the pilot step's first included group when it is an object id,
/// else the group it names to create.
pub fn draft_pilot_group(draft: &Draft) -> Result<PilotGroup, AssemblyError> {
    let step = draft
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Pilot)
        .ok_or(AssemblyError::NoPilotStep)?;
    match IdList::IncludeGroups.get(&step.policy).first() {
        Some(id) if is_guid(id) => Ok(PilotGroup::Existing(id.clone())),
        _ if !step.new_group_name.trim().is_empty() => {
            Ok(PilotGroup::Create(group_body(step.new_group_name.trim())))
        }
        _ => Err(AssemblyError::NoPilotGroup),
    }
}

/// The rollout from the draft: the pilot (existing id or a group to create), every step but the
/// org-wide compensating policy (the pilot is its narrowed form), and the sign-in-risk policy.
pub fn from_draft(draft: &Draft, s: &RolloutSettings) -> Result<Rollout, AssemblyError> {
    let pilot = draft_pilot_group(draft)?;
    let patches = method_patches(&pilot, s)?;
    let mut policies = Vec::new();
    for (i, step) in draft.steps.iter().enumerate() {
        if step.kind != StepKind::MfaCompensating {
            policies.push((slug(step.kind, i), draft.effective_policy(i)));
        }
    }
    let mut params = draft.template_params();
    params.pilot_group = None;
    policies.push((
        "sign-in-risk".into(),
        risk::sign_in_risk_policy(&params).map_err(|e| AssemblyError::Policy(e.to_string()))?,
    ));
    finish(pilot, patches, policies, s)?
        .with_members(&draft.pilot_members)
        .map_err(AssemblyError::Plan)
}

/// The passkey panel's form, as typed. Kept in the draft ([`Draft::methods`]), so the passkey
/// panel, the bootstrap grid and the change document read one set of settings, and a reload or
/// a share link keeps them. Every field is a setting or a Graph configuration (a GET response),
/// never a secret; [`MethodsForm::edit`] refuses text shaped like an access token all the same
/// (see [`holds_token`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MethodsForm {
    /// The pilot group's object id; the draft's pilot step's when blank.
    pub pilot_override: String,
    /// Extra AAGUIDs, one per line.
    pub aaguids: String,
    pub attestation: bool,
    pub self_service: bool,
    /// The TAP lifetime in minutes, as typed.
    pub tap_lifetime: String,
    pub one_time: bool,
    /// The pasted (or read) GET responses; blank means the service default (for the passkey
    /// method: Microsoft's default migrated configuration, on passkey profiles).
    pub fido2_current: String,
    pub tap_current: String,
    pub strength_name: String,
}

impl Default for MethodsForm {
    fn default() -> Self {
        MethodsForm {
            pilot_override: String::new(),
            aaguids: String::new(),
            attestation: true,
            self_service: true,
            tap_lifetime: "60".into(),
            one_time: true,
            fido2_current: String::new(),
            tap_current: String::new(),
            strength_name: StrengthSettings::default().display_name,
        }
    }
}

/// One edit of the methods form (the draft's [`Action::Methods`](super::draft::Action::Methods)).
#[derive(Debug, Clone, PartialEq)]
pub enum MethodsEdit {
    PilotOverride(String),
    Aaguids(String),
    Attestation(bool),
    SelfService(bool),
    TapLifetime(String),
    OneTime(bool),
    StrengthName(String),
    /// A method's current configuration: pasted, or read from the tenant (its GET response).
    Current(Method, String),
}

/// Why an edit of the methods form was not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MethodsEditError {
    /// The text holds something shaped like an access token (`field`: the box's words). The
    /// text itself is never repeated.
    LooksLikeToken { field: &'static str },
}

impl std::fmt::Display for MethodsEditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MethodsEditError::LooksLikeToken { field } => write!(
                f,
                "{field}: not kept, the text looks like an access token. This box takes a Graph configuration or a setting, never a secret, and the draft (saved in this browser, carried by share links) must never hold a token."
            ),
        }
    }
}

impl std::error::Error for MethodsEditError {}

/// Whether `text` holds a JWT-shaped word (three base64url segments, the first starting `eyJ`,
/// as `{"` encodes). Why the methods form checks at all, when its boxes take Graph
/// configurations, which hold no secret: the same page has a box for the access token, and the
/// configuration boxes invite pastes, so a token pasted into the wrong box (or a GET response
/// copied with its request's `Authorization` header) would otherwise be autosaved and put in
/// share links. The check is the one `Labels` makes for a name, applied to every word, since a
/// configuration is JSON text rather than one name.
pub fn holds_token(text: &str) -> bool {
    let b64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.split(|c: char| !(b64url(c) || c == '.')).any(|w| {
        let parts: Vec<&str> = w.split('.').collect();
        parts.len() == 3 && w.starts_with("eyJ") && parts.iter().all(|p| !p.is_empty())
    })
}

impl MethodsEdit {
    /// Why the edit would not be kept, if it would not.
    pub fn refusal(&self) -> Option<MethodsEditError> {
        let (field, text) = match self {
            MethodsEdit::PilotOverride(t) => ("Pilot group object id", t),
            MethodsEdit::Aaguids(t) => ("Extra AAGUIDs", t),
            MethodsEdit::TapLifetime(t) => ("Temporary Access Pass lifetime", t),
            MethodsEdit::StrengthName(t) => ("Authentication strength name", t),
            MethodsEdit::Current(Method::Fido2, t) => ("Current passkey (FIDO2) configuration", t),
            MethodsEdit::Current(Method::TemporaryAccessPass, t) => {
                ("Current Temporary Access Pass configuration", t)
            }
            MethodsEdit::Attestation(_) | MethodsEdit::SelfService(_) | MethodsEdit::OneTime(_) => {
                return None
            }
        };
        holds_token(text).then_some(MethodsEditError::LooksLikeToken { field })
    }
}

/// What the form holds, read: the pilot id the PATCH previews use, the rollout's settings, and
/// the form's errors (each part at fault falls back to its default and is listed here).
#[derive(Debug, Clone, PartialEq)]
pub struct MethodsSettings {
    pub pilot: String,
    pub rollout: RolloutSettings,
    pub errors: Vec<String>,
}

/// The draft pilot step's first included group, as typed (empty when there is none).
pub fn draft_pilot_id(draft: &Draft) -> String {
    draft
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Pilot)
        .and_then(|s| IdList::IncludeGroups.get(&s.policy).first().cloned())
        .unwrap_or_default()
}

/// The configuration pasted (or read from the tenant) for `method`; the service default when
/// the box is empty or unusable (the error is reported with its line and column).
fn current_config(method: Method, text: &str, errors: &mut Vec<String>) -> CurrentConfig {
    if text.trim().is_empty() {
        return CurrentConfig::service_default(method);
    }
    CurrentConfig::parse(method, text).unwrap_or_else(|e| {
        errors.push(format!(
            "Current {} configuration, line {}, column {}: {}",
            method.label(),
            e.line,
            e.column,
            e.message
        ));
        CurrentConfig::service_default(method)
    })
}

impl MethodsForm {
    /// The form as the passkey panel starts it (a draft that never changed it saves no
    /// `methods`).
    pub fn is_default(&self) -> bool {
        *self == MethodsForm::default()
    }

    /// Applies one edit to its field only (so a configuration read from Graph after more typing
    /// keeps the typing); text shaped like a token is refused and changes nothing.
    pub fn edit(&mut self, e: MethodsEdit) -> Result<(), MethodsEditError> {
        if let Some(refused) = e.refusal() {
            return Err(refused);
        }
        match e {
            MethodsEdit::PilotOverride(v) => self.pilot_override = v,
            MethodsEdit::Aaguids(v) => self.aaguids = v,
            MethodsEdit::Attestation(v) => self.attestation = v,
            MethodsEdit::SelfService(v) => self.self_service = v,
            MethodsEdit::TapLifetime(v) => self.tap_lifetime = v,
            MethodsEdit::OneTime(v) => self.one_time = v,
            MethodsEdit::StrengthName(v) => self.strength_name = v,
            MethodsEdit::Current(Method::Fido2, v) => self.fido2_current = v,
            MethodsEdit::Current(Method::TemporaryAccessPass, v) => self.tap_current = v,
        }
        Ok(())
    }

    /// The settings the form holds, for the draft it is shown beside.
    pub fn settings(&self, draft: &Draft) -> MethodsSettings {
        let pilot = if self.pilot_override.trim().is_empty() {
            draft_pilot_id(draft)
        } else {
            self.pilot_override.trim().to_string()
        };
        let mut errors: Vec<String> = Vec::new();
        let extra = match parse_aaguid_list(&self.aaguids) {
            Ok(list) => list,
            Err(errs) => {
                errors.extend(errs.iter().map(|e| {
                    format!(
                        "Extra AAGUIDs, line {}, column {}: {}",
                        e.line, e.column, e.message
                    )
                }));
                vec![]
            }
        };
        let fido2_current = current_config(Method::Fido2, &self.fido2_current, &mut errors);
        // Nothing usable pasted or read: tenants with passkeys on were all migrated to passkey
        // profiles, so the plan is over Microsoft's default migrated configuration (marked as
        // assumed, and said so by the panel), not the legacy single PATCH.
        let fido2_profiles = match fido2_current.assumed {
            true => Some(ProfilesConfig::assumed_migrated()),
            false => profiles_of(&self.fido2_current),
        };
        let fido2_current = match &fido2_profiles {
            Some(p) if p.is_assumed() => p.current.clone(),
            _ => fido2_current,
        };
        let tap_current =
            current_config(Method::TemporaryAccessPass, &self.tap_current, &mut errors);
        let mut passkey = PasskeySettings::new(&pilot);
        passkey.extra_aaguids = extra.clone();
        passkey.enforce_attestation = self.attestation;
        passkey.self_service = self.self_service;
        let mut tap = TapSettings::new(&pilot);
        match self.tap_lifetime.trim().parse::<i32>() {
            Ok(v) => tap.lifetime_minutes = v,
            Err(_) => errors.push(format!(
                "TAP lifetime: {:?} is not a whole number of minutes.",
                self.tap_lifetime.as_str()
            )),
        }
        tap.one_time = self.one_time;
        let mut strength = StrengthSettings {
            display_name: self.strength_name.clone(),
            ..StrengthSettings::default()
        };
        for a in &extra {
            if !strength.aaguids.contains(a) {
                strength.aaguids.push(a.clone());
            }
        }
        MethodsSettings {
            pilot,
            rollout: RolloutSettings {
                passkey,
                tap,
                fido2_current,
                fido2_profiles,
                tap_current,
                strength,
                strength_for: Vec::new(),
            },
            errors,
        }
    }
}

impl MethodsSettings {
    /// The passkey and TAP PATCHes the panel previews (and, connected, sends), for the pilot
    /// the form names.
    pub fn patches(&self) -> Result<(MethodPatch, MethodPatch), AppError> {
        if self.pilot.is_empty() {
            return Err(AppError::NoPilotForMethods);
        }
        let r = &self.rollout;
        methods::fido2_patch(&r.passkey, &r.fido2_current)
            .and_then(|f| Ok((f, methods::tap_patch(&r.tap, &r.tap_current)?)))
            .map_err(AppError::MethodSetting)
    }

    /// The strength the panel offers to create: `None` while it has no name.
    pub fn strength_to_create(&self) -> Option<StrengthSettings> {
        let s = &self.rollout.strength;
        (!s.display_name.trim().is_empty()).then(|| s.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::draft::Action;
    use crate::builders::methods::PILOT_GROUP_PLACEHOLDER;

    const GROUP: &str = "11111111-2222-3333-4444-555555555555";

    fn settings() -> RolloutSettings {
        RolloutSettings {
            passkey: PasskeySettings::new("ignored"),
            tap: TapSettings::new("ignored"),
            fido2_current: CurrentConfig::service_default(Method::Fido2),
            fido2_profiles: None,
            tap_current: CurrentConfig::service_default(Method::TemporaryAccessPass),
            strength: StrengthSettings::default(),
            strength_for: Vec::new(),
        }
    }

    /// A new draft whose pilot step is narrowed to `GROUP`.
    fn pilot_draft() -> Draft {
        let mut d = Draft::new();
        let i = d
            .steps
            .iter()
            .position(|s| s.kind == StepKind::Pilot)
            .unwrap();
        d.apply(Action::Select(i));
        d.apply(Action::SetPilotGroup(GROUP.into()));
        d
    }

    fn targets(p: &MethodPatch) -> Vec<String> {
        p.body["includeTargets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn a_new_draft_without_a_group_says_to_set_one() {
        let e = from_draft(&Draft::new(), &settings()).unwrap_err();
        assert_eq!(e, AssemblyError::NoPilotGroup);
        assert!(e.to_string().contains("in the Pilot phase"), "{e}");
    }

    #[test]
    fn a_draft_without_a_pilot_step_is_refused() {
        let mut d = Draft::new();
        d.steps.retain(|s| s.kind != StepKind::Pilot);
        d.current = 0;
        assert_eq!(
            from_draft(&d, &settings()).unwrap_err(),
            AssemblyError::NoPilotStep
        );
    }

    #[test]
    fn the_draft_rollout_targets_its_pilot_group_and_skips_the_compensating_step() {
        let d = pilot_draft();
        let r = from_draft(&d, &settings()).unwrap();
        assert_eq!(r.pilot, PilotGroup::Existing(GROUP.into()));
        assert!(targets(r.fido2.patch().unwrap()).contains(&GROUP.to_string()));
        assert!(targets(&r.tap).contains(&GROUP.to_string()));
        // The draft's order, without the org-wide compensating step, then sign-in risk.
        let slugs: Vec<&str> = r.policies.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(
            slugs,
            [
                "pilot",
                "hardening",
                "protect-registration",
                "user-risk",
                "sign-in-risk"
            ]
        );
        for (p, i) in r.policies.iter().zip(1..) {
            if p.slug != "sign-in-risk" {
                assert_eq!(
                    p.body["displayName"],
                    d.effective_policy(i).to_post_body()["displayName"]
                );
            }
        }
    }

    #[test]
    fn a_group_to_create_puts_the_placeholder_in_every_body() {
        let mut d = Draft::new();
        let i = d
            .steps
            .iter()
            .position(|s| s.kind == StepKind::Pilot)
            .unwrap();
        d.steps[i].new_group_name = "Passkey pilot".into();
        let r = from_draft(&d, &settings()).unwrap();
        assert!(matches!(r.pilot, PilotGroup::Create(_)));
        assert!(targets(r.fido2.patch().unwrap()).contains(&PILOT_GROUP_PLACEHOLDER.to_string()));
        let pilot = r.policies.iter().find(|p| p.slug == "pilot").unwrap();
        assert_eq!(
            pilot.body["conditions"]["users"]["includeGroups"],
            serde_json::json!([PILOT_GROUP_PLACEHOLDER])
        );
    }

    #[test]
    fn assemble_keeps_the_policies_in_the_order_given() {
        let d = pilot_draft();
        let p = d.effective_policy(0);
        let r = assemble(
            PilotGroup::Existing(GROUP.into()),
            vec![("b".into(), p.clone()), ("a".into(), p.clone())],
            &settings(),
        );
        // Two policies of one display name are still two files; the slugs keep the order.
        let slugs: Vec<String> = r.unwrap().policies.into_iter().map(|p| p.slug).collect();
        assert_eq!(slugs, ["b", "a"]);
    }

    #[test]
    fn a_bad_method_setting_names_its_part() {
        let mut s = settings();
        s.tap.lifetime_minutes = 0;
        match assemble(PilotGroup::Existing(GROUP.into()), vec![], &s) {
            Err(AssemblyError::Method { part, .. }) => assert_eq!(part, "TAP method"),
            other => panic!("{other:?}"),
        }
    }

    const PROFILES_TENANT: &str = r#"{"id": "Fido2", "state": "enabled",
        "passkeyProfiles": [{"id": "00000000-0000-0000-0000-000000000001", "name": "Default passkey profile",
            "passkeyTypes": "deviceBound,synced", "attestationEnforcement": "disabled"}],
        "includeTargets": [{"targetType": "group", "id": "all_users",
            "allowedPasskeyProfiles": ["00000000-0000-0000-0000-000000000001"]}]}"#;

    #[test]
    fn a_profiles_tenant_gets_the_profile_steps_in_order() {
        let mut s = settings();
        s.fido2_current = CurrentConfig::parse(Method::Fido2, PROFILES_TENANT).unwrap();
        s.fido2_profiles = profiles_of(PROFILES_TENANT);
        let r = assemble(PilotGroup::Existing(GROUP.into()), vec![], &s).unwrap();
        let PasskeyChange::Profiles(p) = &r.fido2 else {
            panic!("{:?}", r.fido2)
        };
        let kinds: Vec<_> = p.plan.steps.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [methods::StepKind::Profiles, methods::StepKind::Targets]
        );
        let t = &p.plan.steps[1].body["includeTargets"][1];
        assert_eq!(t["id"], GROUP);
        assert_eq!(
            t["allowedPasskeyProfiles"],
            serde_json::json!(["{{profile-id:Passkeys in Microsoft Authenticator}}"])
        );
        // Read without its profiles: refused, saying what to read.
        s.fido2_profiles = None;
        let e = assemble(PilotGroup::Existing(GROUP.into()), vec![], &s).unwrap_err();
        assert!(e.to_string().contains("passkeyProfiles"), "{e}");
    }

    /// A tenant not migrated to passkey profiles (no `passkeyProfiles`).
    const NOT_MIGRATED: &str = r##"{"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        "id": "Fido2", "state": "disabled", "isAttestationEnforced": false,
        "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}],
        "excludeTargets": []}"##;

    #[test]
    fn an_empty_or_unusable_passkey_box_plans_over_the_assumed_profiles_shape() {
        let d = pilot_draft();
        for text in ["", "  \n", "{"] {
            let form = MethodsForm {
                fido2_current: text.into(),
                ..MethodsForm::default()
            };
            let s = form.settings(&d);
            let r = &s.rollout;
            let read = r.fido2_profiles.as_ref().expect("planned on profiles");
            assert!(read.is_assumed(), "{text:?}");
            assert_eq!(read, &ProfilesConfig::assumed_migrated());
            assert!(r.fido2_current.assumed);
            // Not the legacy single PATCH: it refuses a configuration on profiles.
            let e = s.patches().unwrap_err();
            assert!(e.to_string().contains("passkey profiles"), "{e}");
            let plan = assemble(PilotGroup::Existing(GROUP.into()), vec![], r).unwrap();
            let PasskeyChange::Profiles(p) = &plan.fido2 else {
                panic!("{text:?}: the legacy PATCH was planned")
            };
            assert_eq!(
                p.plan.steps.iter().map(|s| s.kind).collect::<Vec<_>>(),
                [methods::StepKind::Profiles, methods::StepKind::Targets]
            );
        }
        // A pasted configuration is the tenant's: legacy stays legacy, profiles are not assumed.
        let form = MethodsForm {
            fido2_current: NOT_MIGRATED.into(),
            ..MethodsForm::default()
        };
        let s = form.settings(&d);
        assert_eq!(s.rollout.fido2_profiles, None);
        assert!(!s.rollout.fido2_current.assumed);
        assert!(s.patches().is_ok());
        let form = MethodsForm {
            fido2_current: PROFILES_TENANT.into(),
            ..MethodsForm::default()
        };
        let s = form.settings(&d);
        assert!(!s.rollout.fido2_profiles.unwrap().is_assumed());
    }

    #[test]
    fn the_form_lists_each_error_and_falls_back() {
        let form = MethodsForm {
            aaguids: "not-a-guid".into(),
            tap_lifetime: "soon".into(),
            fido2_current: "{".into(),
            ..MethodsForm::default()
        };
        let s = form.settings(&Draft::new());
        assert_eq!(s.errors.len(), 3, "{:?}", s.errors);
        assert!(
            s.errors[0].starts_with("Extra AAGUIDs, line 1"),
            "{:?}",
            s.errors
        );
        assert!(s.errors[1].starts_with("Current "), "{:?}", s.errors);
        assert_eq!(
            s.errors[2],
            "TAP lifetime: \"soon\" is not a whole number of minutes."
        );
        assert_eq!(
            s.rollout.tap.lifetime_minutes,
            TapSettings::new("").lifetime_minutes
        );
        let e = s.patches().unwrap_err();
        assert_eq!(e, AppError::NoPilotForMethods);
        assert_eq!(
            e.to_string(),
            "Set the pilot group in the Pilot phase (or its object id in this panel) first."
        );
    }

    #[test]
    fn the_form_takes_the_draft_pilot_unless_overridden() {
        let d = pilot_draft();
        let form = MethodsForm {
            fido2_current: NOT_MIGRATED.into(),
            ..MethodsForm::default()
        };
        let s = form.settings(&d);
        assert_eq!(s.pilot, GROUP);
        let (f, t) = s.patches().unwrap();
        assert!(targets(&f).contains(&GROUP.to_string()));
        assert!(targets(&t).contains(&GROUP.to_string()));
        let other = "99999999-2222-3333-4444-555555555555";
        let form = MethodsForm {
            pilot_override: format!(" {other} "),
            strength_name: " ".into(),
            ..MethodsForm::default()
        };
        let s = form.settings(&d);
        assert_eq!(s.pilot, other);
        assert_eq!(s.strength_to_create(), None);
    }
}
