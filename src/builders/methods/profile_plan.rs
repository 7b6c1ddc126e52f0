//! The targeted rollout of passkeys in Microsoft Authenticator on a tenant with passkey
//! profiles, as ordered PATCHes: add the pilot profile (every existing profile echoed, the new
//! one without an id), read it back, then target it.
//!
//! Why two PATCHes: the service assigns a new profile's id, and a target can only name a profile
//! by id, so the target is sent once the id is known. The target step writes the placeholder
//! [`placeholder`] where that id goes; the page and the scripts replace it with the id read back
//! ([`find_profile_id`], [`fill_profile_id`]).
//!
//! The plan is computed from what the tenant holds, so it is idempotent (a finished rollout
//! gives no step) and resumable (a profile already added gives only the target step).

use super::current::KeyRestrictions;
use super::effect::{info, warn, Note};
use super::method::Method;
use super::profiles::{allowed_profiles, PasskeyProfile, PasskeyTypes, ProfilesConfig};
use super::setting_error::SettingError;
use super::targets::{check_group_id, pilot_target};
use crate::builders::aaguid::{AUTHENTICATOR_ANDROID, AUTHENTICATOR_IOS};
use crate::guid::Guid;
use serde_json::{json, Map, Value};
use std::fmt;

/// The pilot profile's name, as Microsoft Learn's targeted rollout names it; a profile with
/// this name that admits Authenticator passkeys is taken as ours and reused.
pub const PILOT_PROFILE_NAME: &str = "Passkeys in Microsoft Authenticator";
/// Profiles per tenant, the Default included.
pub const MAX_PROFILES: usize = 3;
/// The policy size limit: 20 KB.
pub const MAX_POLICY_BYTES: usize = 20 * 1024;

/// Where a value only the service can give goes: `{{profile-id:NAME}}`.
pub fn placeholder(profile_name: &str) -> String {
    format!("{{{{profile-id:{profile_name}}}}}")
}

/// The admin's choices for the pilot profile.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileSettings {
    /// The pilot security group's object id.
    pub pilot_group: String,
    pub name: String,
    /// `attestationEnforcement: registrationOnly`.
    pub attestation: bool,
    pub passkey_types: PasskeyTypes,
    /// AAGUIDs the pilot profile allows next to Authenticator's two.
    pub extra_aaguids: Vec<Guid>,
    /// Block the Authenticator AAGUIDs in the Default profile, as the documented rollout does,
    /// so only the pilot can register Authenticator passkeys. Off: the Default is kept as is.
    pub block_authenticator_in_default: bool,
}

impl ProfileSettings {
    pub fn new(pilot_group: &str) -> ProfileSettings {
        ProfileSettings {
            pilot_group: pilot_group.to_string(),
            name: PILOT_PROFILE_NAME.to_string(),
            attestation: true,
            passkey_types: PasskeyTypes::DEVICE_BOUND,
            extra_aaguids: vec![],
            block_authenticator_in_default: false,
        }
    }
}

/// Why no plan was made.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanError {
    /// The pilot group id (or another setting) is wrong.
    Setting(SettingError),
    /// The tenant holds [`MAX_PROFILES`] profiles already and none is ours.
    ProfileLimit { names: Vec<String> },
    /// A PATCH would leave the configuration above [`MAX_POLICY_BYTES`].
    SizeLimit { step: StepKind, bytes: usize },
    /// Synced passkeys cannot be attested.
    SyncedWithAttestation,
    /// Neither device-bound nor synced passkeys allowed.
    NoPasskeyType,
    /// The method is disabled: enabling it would switch passkeys on for every existing target.
    MethodDisabled { targets: Vec<String> },
    /// A profile has our name but does not admit Authenticator passkeys.
    NameTaken { name: String, id: String },
    /// Several profiles have our name.
    AmbiguousName { name: String, count: usize },
    /// An existing include target names no profile; the service refuses such a target.
    TargetWithoutProfile { target: String },
    /// Blocking Authenticator in a Default profile whose allow list holds only Authenticator
    /// would leave it allowing nothing.
    DefaultWouldAllowNothing,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Setting(e) => e.fmt(f),
            PlanError::ProfileLimit { names } => write!(
                f,
                "this tenant already has {} passkey profiles ({}); the limit is {MAX_PROFILES} profiles, the Default \
                 included. Delete a profile no target uses in the admin center, or name one that admits Microsoft \
                 Authenticator passkeys {PILOT_PROFILE_NAME:?} to have it reused",
                names.len(),
                names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
            ),
            PlanError::SizeLimit { step, bytes } => write!(
                f,
                "after the {step} the passkey configuration would be {bytes} bytes, above the 20 KB limit \
                 ({MAX_POLICY_BYTES} bytes; the limit counts the other methods' settings too). Target fewer groups"
            ),
            PlanError::SyncedWithAttestation => f.write_str(
                "synced passkeys cannot be attested: allow synced passkeys only with attestation off (--no-attestation)",
            ),
            PlanError::NoPasskeyType => f.write_str("the profile must allow device-bound or synced passkeys"),
            PlanError::MethodDisabled { targets } => write!(
                f,
                "the passkey (FIDO2) method is disabled; enabling it would switch passkeys on for every target it \
                 holds ({}), not just the pilot. Review the targets and enable the method in the admin center first",
                targets.join(", ")
            ),
            PlanError::NameTaken { name, id } => write!(
                f,
                "the profile {name:?} ({id}) exists but does not admit device-bound passkeys in Microsoft \
                 Authenticator; rename it or choose another profile name"
            ),
            PlanError::AmbiguousName { name, count } => write!(
                f,
                "{count} profiles are named {name:?}; rename all but one in the admin center"
            ),
            PlanError::TargetWithoutProfile { target } => write!(
                f,
                "the include target {target} names no passkey profile; the service refuses such a target \
                 (\"Include conditions are missing passkey profile targets\"). Assign it a profile in the admin center first"
            ),
            PlanError::DefaultWouldAllowNothing => f.write_str(
                "the Default profile allows only the Authenticator AAGUIDs; blocking them would leave it allowing nothing",
            ),
        }
    }
}

impl std::error::Error for PlanError {}

impl From<SettingError> for PlanError {
    fn from(e: SettingError) -> PlanError {
        PlanError::Setting(e)
    }
}

/// What a step's PATCH changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// `passkeyProfiles`: every profile as read, the new one without an id.
    Profiles,
    /// `includeTargets`: every target as read, the pilot allowed the pilot profile.
    Targets,
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StepKind::Profiles => "passkeyProfiles PATCH",
            StepKind::Targets => "includeTargets PATCH",
        })
    }
}

/// One PATCH of the FIDO2 configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanStep {
    pub kind: StepKind,
    pub body: Value,
    /// The step reads the new profile's id back first (its body holds the placeholder).
    pub needs_profile_id: bool,
}

/// The rollout's PATCHes in order, with what to send if it must be undone.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfilePlan {
    pub profile_name: String,
    /// The pilot profile's id when it exists already (reused).
    pub profile_id: Option<String>,
    pub steps: Vec<PlanStep>,
    /// The `passkeyProfiles` PATCH that restores the profiles as read, for when a later step
    /// fails on a size or limit error; `None` when the plan adds no profile.
    pub undo: Option<Value>,
    pub notes: Vec<Note>,
}

impl ProfilePlan {
    /// `[{"method": "PATCH", "path": …, "body": …}, …]`, in order.
    pub fn requests(&self) -> Value {
        Value::Array(
            self.steps
                .iter()
                .map(|s| json!({"method": "PATCH", "path": Method::Fido2.path(), "body": s.body}))
                .collect(),
        )
    }
}

fn patch(key: &str, list: Vec<Value>) -> Value {
    let mut body = Map::new();
    body.insert("@odata.type".into(), json!(Method::Fido2.odata_type()));
    body.insert(key.into(), Value::Array(list));
    Value::Object(body)
}

fn target_label(t: &Map<String, Value>) -> String {
    let id = t.get("id").and_then(Value::as_str).unwrap_or("");
    match t.get("targetType").and_then(Value::as_str) {
        Some(kind) => format!("{kind} {id}"),
        None => id.to_string(),
    }
}

/// The configuration's size after `profiles` and `targets` replace the stored lists; the
/// placeholder is measured as the GUID it becomes.
fn size_after(cfg: &ProfilesConfig, profiles: &[Value], targets: &[Value], name: &str) -> usize {
    let mut after = cfg.raw.clone();
    after.insert("passkeyProfiles".into(), Value::Array(profiles.to_vec()));
    after.insert("includeTargets".into(), Value::Array(targets.to_vec()));
    let text = Value::Object(after).to_string();
    let guid = "00000000-0000-0000-0000-000000000000";
    text.replace(&placeholder(name), guid).len()
        + if profiles.iter().any(|p| p.get("id").is_none()) {
            r#""id":"","#.len() + guid.len()
        } else {
            0
        }
}

fn authenticator() -> [&'static str; 2] {
    [AUTHENTICATOR_IOS, AUTHENTICATOR_ANDROID]
}

/// The Default profile's key restrictions with Authenticator blocked, or `None` if it blocks
/// them already.
fn blocked_in(p: &PasskeyProfile) -> Result<Option<KeyRestrictions>, PlanError> {
    if !p.admits_authenticator() {
        return Ok(None);
    }
    let kr = p.key_restrictions.clone().unwrap_or_default();
    let listed = |a: &str| kr.aaguids.iter().any(|x| x.eq_ignore_ascii_case(a));
    let out = match (kr.is_enforced, kr.enforcement_type.as_deref()) {
        (true, Some("allow")) => {
            let rest: Vec<String> = kr
                .aaguids
                .iter()
                .filter(|x| !authenticator().iter().any(|a| x.eq_ignore_ascii_case(a)))
                .cloned()
                .collect();
            if rest.is_empty() {
                return Err(PlanError::DefaultWouldAllowNothing);
            }
            KeyRestrictions {
                aaguids: rest,
                ..kr.clone()
            }
        }
        (true, _) => {
            let mut aaguids = kr.aaguids.clone();
            aaguids.extend(
                authenticator()
                    .iter()
                    .filter(|a| !listed(a))
                    .map(|a| a.to_string()),
            );
            KeyRestrictions {
                aaguids,
                ..kr.clone()
            }
        }
        // Not enforced: a stored but unenforced list is not switched on with it.
        (false, _) => KeyRestrictions {
            is_enforced: true,
            enforcement_type: Some("block".into()),
            aaguids: authenticator().iter().map(|a| a.to_string()).collect(),
        },
    };
    Ok(Some(out))
}

/// The plan over `cfg` (the configuration the admin previewed).
pub fn profile_plan(
    settings: &ProfileSettings,
    cfg: &ProfilesConfig,
) -> Result<ProfilePlan, PlanError> {
    check_group_id("pilot_group", &settings.pilot_group)?;
    let t = settings.passkey_types;
    if !t.device_bound && !t.synced {
        return Err(PlanError::NoPasskeyType);
    }
    if t.synced && settings.attestation {
        return Err(PlanError::SyncedWithAttestation);
    }
    if !cfg.current.is_enabled() {
        return Err(PlanError::MethodDisabled {
            targets: cfg
                .current
                .include_targets
                .iter()
                .map(target_label)
                .collect(),
        });
    }
    if let Some(t) = cfg
        .current
        .include_targets
        .iter()
        .find(|t| allowed_profiles(t).is_empty())
    {
        return Err(PlanError::TargetWithoutProfile {
            target: target_label(t),
        });
    }
    let name = settings.name.trim().to_string();
    let mut notes = Vec::new();

    // Ours: the profile with our name, if it admits Authenticator passkeys.
    let ours = match cfg.named(&name).as_slice() {
        [] => None,
        [p] if p.admits_authenticator() => Some((*p).clone()),
        [p] => {
            return Err(PlanError::NameTaken {
                name,
                id: p.id.clone().unwrap_or_default(),
            })
        }
        many => {
            return Err(PlanError::AmbiguousName {
                name,
                count: many.len(),
            })
        }
    };
    if ours.is_none() && cfg.profiles.len() >= MAX_PROFILES {
        return Err(PlanError::ProfileLimit {
            names: cfg.profiles.iter().map(|p| p.name.clone()).collect(),
        });
    }

    // Step 1: the profiles, every one as read (the Default with Authenticator blocked if asked).
    let mut profiles: Vec<Value> = Vec::new();
    let mut changed = false;
    for p in &cfg.profiles {
        let undeclared = p.undeclared_members();
        if !undeclared.is_empty() {
            notes.push(warn(format!(
                "the profile {:?} holds members v1.0 does not declare ({}); they are sent back as read so the \
                 PATCH does not reset them",
                p.name,
                undeclared.join(", ")
            )));
        }
        match cfg.is_default(p) && settings.block_authenticator_in_default {
            true => match blocked_in(p)? {
                Some(kr) => {
                    changed = true;
                    let mut body = p.body();
                    body["keyRestrictions"] = json!({"isEnforced": kr.is_enforced,
                        "enforcementType": kr.enforcement_type, "aaGuids": kr.aaguids});
                    profiles.push(body);
                }
                None => profiles.push(p.body()),
            },
            false => profiles.push(p.body()),
        }
    }
    let profile_id = ours.as_ref().and_then(|p| p.id.clone());
    let mut aaguids: Vec<String> = authenticator().iter().map(|a| a.to_string()).collect();
    for a in &settings.extra_aaguids {
        if !aaguids.iter().any(|x| x.eq_ignore_ascii_case(a.as_str())) {
            aaguids.push(a.to_string());
        }
    }
    if ours.is_none() {
        changed = true;
        let new = PasskeyProfile::new(
            &name,
            t,
            settings.attestation,
            KeyRestrictions {
                is_enforced: true,
                enforcement_type: Some("allow".into()),
                aaguids,
            },
        );
        profiles.push(new.body());
    }

    // Step 3: the targets, every one as read; the pilot allowed the pilot profile.
    let pilot_ref = profile_id.clone().unwrap_or_else(|| placeholder(&name));
    let mut targets: Vec<Value> = Vec::new();
    let mut targeted = false;
    let mut has_pilot = false;
    for tg in &cfg.current.include_targets {
        let mut tg = tg.clone();
        let is_pilot = tg
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| id.eq_ignore_ascii_case(&settings.pilot_group));
        if is_pilot {
            has_pilot = true;
            let allowed = allowed_profiles(&tg);
            if allowed.iter().any(|p| p.eq_ignore_ascii_case(&pilot_ref)) {
                targeted = true;
            } else {
                let mut list: Vec<Value> = allowed.iter().map(|p| json!(p)).collect();
                list.push(json!(pilot_ref));
                tg.insert("allowedPasskeyProfiles".into(), Value::Array(list));
            }
        }
        targets.push(Value::Object(tg));
    }
    if !has_pilot {
        let mut tg = pilot_target(&settings.pilot_group);
        tg.insert("allowedPasskeyProfiles".into(), json!([pilot_ref]));
        targets.push(Value::Object(tg));
    }

    let mut steps = Vec::new();
    if changed {
        let stored: Vec<Value> = cfg
            .current
            .include_targets
            .iter()
            .cloned()
            .map(Value::Object)
            .collect();
        let bytes = size_after(cfg, &profiles, &stored, &name);
        if bytes > MAX_POLICY_BYTES {
            return Err(PlanError::SizeLimit {
                step: StepKind::Profiles,
                bytes,
            });
        }
        steps.push(PlanStep {
            kind: StepKind::Profiles,
            body: patch("passkeyProfiles", profiles.clone()),
            needs_profile_id: false,
        });
    }
    if !targeted {
        let bytes = size_after(cfg, &profiles, &targets, &name);
        if bytes > MAX_POLICY_BYTES {
            return Err(PlanError::SizeLimit {
                step: StepKind::Targets,
                bytes,
            });
        }
        steps.push(PlanStep {
            kind: StepKind::Targets,
            body: patch("includeTargets", targets),
            needs_profile_id: profile_id.is_none(),
        });
    }
    let undo = changed.then(|| {
        patch(
            "passkeyProfiles",
            cfg.profiles.iter().map(PasskeyProfile::body).collect(),
        )
    });

    notes.extend(setting_notes(settings, cfg, ours.as_ref()));
    Ok(ProfilePlan {
        profile_name: name,
        profile_id,
        steps,
        undo,
        notes,
    })
}

/// What the admin's choices mean, and what in the tenant works against the pilot.
fn setting_notes(
    s: &ProfileSettings,
    cfg: &ProfilesConfig,
    ours: Option<&PasskeyProfile>,
) -> Vec<Note> {
    let mut notes = Vec::new();
    if let Some(p) = ours {
        notes.push(info(format!(
            "the profile {:?} ({}) exists and admits Authenticator passkeys; it is reused as it is ({}, attestation {}, {})",
            p.name,
            p.id.as_deref().unwrap_or(""),
            p.passkey_types.words(),
            if p.attestation_enforced { "enforced" } else { "off" },
            p.restriction_words()
        )));
    } else if s.attestation {
        notes.push(info(
            "attestation registrationOnly: at registration Entra checks that the genuine Authenticator app made the \
             passkey (Apple App Attest, Google Play Integrity), so passkeys are registered directly in the app on the \
             phone (no QR code / cross-device registration); checked at registration only.",
        ));
    } else {
        notes.push(warn(
            "attestation off: Entra cannot guarantee any attribute of a passkey, including whether it is synced or \
             device-bound; the AAGUID allow list is then a guide, not a security control.",
        ));
    }
    if ours.is_none() && s.passkey_types.device_bound && s.passkey_types.synced {
        notes.push(info(
            "the profile allows device-bound and synced passkeys in Authenticator: users need Microsoft Authenticator \
             iOS 6.8.37 or Android 6.2507.4749 or later.",
        ));
    }
    if cfg.self_service == Some(false) {
        notes.push(warn(
            "isSelfServiceRegistrationAllowed is false (a global setting): pilot users cannot add a passkey in \
             Security info until it is allowed.",
        ));
    }
    if cfg.current.exclude_targets.iter().any(|t| {
        t.get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| id.eq_ignore_ascii_case(&s.pilot_group))
    }) {
        notes.push(warn(format!(
            "the pilot group {} is in excludeTargets; an exclusion overrides every profile, so its members still \
             cannot use passkeys. Remove it from the exclusions in the admin center.",
            s.pilot_group
        )));
    }
    notes
}

/// Why the new profile's id was not found in the configuration read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadBackError {
    /// No profile has the name, and no single new id appeared.
    NotFound { name: String },
    /// Several profiles have the name.
    Ambiguous { name: String },
}

impl fmt::Display for ReadBackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadBackError::NotFound { name } => write!(
                f,
                "the profile {name:?} is not in the configuration read back; nothing was targeted"
            ),
            ReadBackError::Ambiguous { name } => write!(
                f,
                "several profiles named {name:?} were read back; nothing was targeted"
            ),
        }
    }
}

impl std::error::Error for ReadBackError {}

/// The id the service gave the profile `name`: found by name, or, failing that, the one id in
/// `after` that `before` did not have.
pub fn find_profile_id(
    before: &ProfilesConfig,
    after: &ProfilesConfig,
    name: &str,
) -> Result<String, ReadBackError> {
    match after.named(name).as_slice() {
        [p] => {
            return p
                .id
                .clone()
                .ok_or(ReadBackError::NotFound { name: name.into() })
        }
        [] => {}
        _ => return Err(ReadBackError::Ambiguous { name: name.into() }),
    }
    let old: Vec<&str> = before
        .profiles
        .iter()
        .filter_map(|p| p.id.as_deref())
        .collect();
    let new: Vec<&str> = after
        .profiles
        .iter()
        .filter_map(|p| p.id.as_deref())
        .filter(|id| !old.iter().any(|o| o.eq_ignore_ascii_case(id)))
        .collect();
    match new.as_slice() {
        [id] => Ok(id.to_string()),
        _ => Err(ReadBackError::NotFound { name: name.into() }),
    }
}

/// `body` with the placeholder of the profile `name` replaced by `id`.
pub fn fill_profile_id(body: &Value, name: &str, id: &str) -> Value {
    let ph = placeholder(name);
    match body {
        Value::String(s) if *s == ph => Value::String(id.to_string()),
        Value::Array(a) => Value::Array(a.iter().map(|v| fill_profile_id(v, name, id)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), fill_profile_id(v, name, id)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::profiles::Fido2Config;
    use super::*;

    const PILOT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    const DEFAULT_ID: &str = "00000000-0000-0000-0000-000000000001";
    const OURS_ID: &str = "84c712c1-8688-4679-8546-a603ff82da46";

    fn migrated() -> Value {
        json!({
            "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
            "id": "Fido2", "state": "enabled", "isSelfServiceRegistrationAllowed": true,
            "defaultPasskeyProfile": DEFAULT_ID,
            "passkeyProfiles": [{ "id": DEFAULT_ID, "name": "Default passkey profile",
                "passkeyTypes": "deviceBound,synced", "attestationEnforcement": "disabled",
                "keyRestrictions": { "isEnforced": false, "enforcementType": "block", "aaGuids": [] } }],
            "includeTargets": [{ "targetType": "group", "id": "all_users", "isRegistrationRequired": false,
                "allowedPasskeyProfiles": [DEFAULT_ID] }],
            "excludeTargets": []
        })
    }

    fn cfg(v: &Value) -> ProfilesConfig {
        match Fido2Config::parse(&v.to_string()).unwrap() {
            Fido2Config::Profiles(c) => c,
            Fido2Config::Legacy(_) => panic!("legacy"),
        }
    }

    fn with_ours(targeted: bool) -> Value {
        let mut v = migrated();
        v["passkeyProfiles"].as_array_mut().unwrap().push(json!({
            "id": OURS_ID, "name": PILOT_PROFILE_NAME, "passkeyTypes": "deviceBound",
            "attestationEnforcement": "registrationOnly",
            "keyRestrictions": {"isEnforced": true, "enforcementType": "allow",
                "aaGuids": [AUTHENTICATOR_IOS, AUTHENTICATOR_ANDROID]}}));
        if targeted {
            v["includeTargets"]
                .as_array_mut()
                .unwrap()
                .push(json!({"targetType": "group", "id": PILOT,
                "isRegistrationRequired": false, "allowedPasskeyProfiles": [OURS_ID]}));
        }
        v
    }

    #[test]
    fn a_default_only_tenant_gets_add_then_target() {
        let v = migrated();
        let p = profile_plan(&ProfileSettings::new(PILOT), &cfg(&v)).unwrap();
        assert_eq!(p.steps.len(), 2);
        let profiles = p.steps[0].body["passkeyProfiles"].as_array().unwrap();
        assert_eq!(profiles[0], v["passkeyProfiles"][0]);
        assert!(profiles[1].get("id").is_none());
        assert_eq!(profiles[1]["attestationEnforcement"], "registrationOnly");
        assert!(p.steps[0].body.get("includeTargets").is_none());
        let targets = p.steps[1].body["includeTargets"].as_array().unwrap();
        assert_eq!(targets[0], v["includeTargets"][0]);
        assert_eq!(
            targets[1]["allowedPasskeyProfiles"],
            json!([placeholder(PILOT_PROFILE_NAME)])
        );
        assert!(p.steps[1].needs_profile_id);
        assert_eq!(
            p.undo.unwrap()["passkeyProfiles"],
            json!([v["passkeyProfiles"][0]])
        );
    }

    #[test]
    fn a_finished_rollout_is_no_step_and_a_half_done_one_is_the_target() {
        let done = profile_plan(&ProfileSettings::new(PILOT), &cfg(&with_ours(true))).unwrap();
        assert!(done.steps.is_empty());
        assert_eq!(done.requests(), json!([]));
        let half = profile_plan(&ProfileSettings::new(PILOT), &cfg(&with_ours(false))).unwrap();
        assert_eq!(half.steps.len(), 1);
        assert_eq!(half.steps[0].kind, StepKind::Targets);
        assert_eq!(
            half.steps[0].body["includeTargets"][1]["allowedPasskeyProfiles"],
            json!([OURS_ID])
        );
        assert!(half.undo.is_none());
    }

    #[test]
    fn the_pilot_already_targeted_gets_the_profile_added_to_its_list() {
        let mut v = with_ours(false);
        v["includeTargets"]
            .as_array_mut()
            .unwrap()
            .push(json!({"targetType": "group", "id": PILOT,
            "isRegistrationRequired": true, "allowedPasskeyProfiles": [DEFAULT_ID]}));
        let p = profile_plan(&ProfileSettings::new(PILOT), &cfg(&v)).unwrap();
        let t = &p.steps[0].body["includeTargets"][1];
        assert_eq!(t["allowedPasskeyProfiles"], json!([DEFAULT_ID, OURS_ID]));
        assert_eq!(t["isRegistrationRequired"], true);
    }

    #[test]
    fn limits_and_choices_are_typed_errors() {
        let mut v = migrated();
        for (i, n) in ["A", "B"].iter().enumerate() {
            v["passkeyProfiles"].as_array_mut().unwrap().push(
                json!({"id": format!("00000000-0000-0000-0000-00000000000{}", i + 2),
                "name": n, "passkeyTypes": "deviceBound", "attestationEnforcement": "disabled"}),
            );
        }
        let e = profile_plan(&ProfileSettings::new(PILOT), &cfg(&v)).unwrap_err();
        assert!(matches!(&e, PlanError::ProfileLimit { names } if names.len() == 3));
        assert!(e.to_string().contains("the limit is 3 profiles"), "{e}");

        let mut s = ProfileSettings::new(PILOT);
        s.passkey_types = PasskeyTypes::BOTH;
        assert_eq!(
            profile_plan(&s, &cfg(&migrated())).unwrap_err(),
            PlanError::SyncedWithAttestation
        );
        s.attestation = false;
        let p = profile_plan(&s, &cfg(&migrated())).unwrap();
        assert!(p.notes.iter().any(|n| n.text.contains("6.8.37")));

        let mut v = migrated();
        let many: Vec<Value> = (0..200)
            .map(|i| {
                json!({"targetType": "group", "id": format!("00000000-0000-0000-0000-{i:012}"),
                "isRegistrationRequired": false, "allowedPasskeyProfiles": [DEFAULT_ID]})
            })
            .collect();
        v["includeTargets"] = Value::Array(many);
        let e = profile_plan(&ProfileSettings::new(PILOT), &cfg(&v)).unwrap_err();
        assert!(matches!(e, PlanError::SizeLimit { .. }), "{e}");
        assert!(e.to_string().contains("20 KB"));

        let mut v = migrated();
        v["state"] = json!("disabled");
        assert!(matches!(
            profile_plan(&ProfileSettings::new(PILOT), &cfg(&v)).unwrap_err(),
            PlanError::MethodDisabled { .. }
        ));
    }

    #[test]
    fn blocking_authenticator_in_the_default_is_asked_for_and_idempotent() {
        let mut s = ProfileSettings::new(PILOT);
        s.block_authenticator_in_default = true;
        let p = profile_plan(&s, &cfg(&with_ours(true))).unwrap();
        assert_eq!(p.steps.len(), 1);
        let d = &p.steps[0].body["passkeyProfiles"][0];
        assert_eq!(d["keyRestrictions"]["enforcementType"], "block");
        assert_eq!(d["name"], "Default passkey profile");
        let mut v = with_ours(true);
        v["passkeyProfiles"][0] = d.clone();
        assert!(profile_plan(&s, &cfg(&v)).unwrap().steps.is_empty());
    }

    #[test]
    fn the_id_read_back_fills_the_placeholder() {
        let before = cfg(&migrated());
        let after = cfg(&with_ours(false));
        let id = find_profile_id(&before, &after, PILOT_PROFILE_NAME).unwrap();
        assert_eq!(id, OURS_ID);
        let p = profile_plan(&ProfileSettings::new(PILOT), &before).unwrap();
        let filled = fill_profile_id(&p.steps[1].body, PILOT_PROFILE_NAME, &id);
        assert_eq!(
            filled["includeTargets"][1]["allowedPasskeyProfiles"],
            json!([OURS_ID])
        );
        assert_eq!(
            find_profile_id(&before, &before, PILOT_PROFILE_NAME),
            Err(ReadBackError::NotFound {
                name: PILOT_PROFILE_NAME.into()
            })
        );
    }
}
