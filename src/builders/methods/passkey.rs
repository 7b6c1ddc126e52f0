//! The passkey (FIDO2) PATCH: the admin's choices and the body merged with the current
//! configuration, AAGUID allow list included.

use super::current::CurrentConfig;
use super::effect::{info, warn, ListEffect, MethodPatch, PatchEffect};
use super::method::Method;
use super::setting_error::{setting, SettingError};
use super::targets::{check_group_id, excludes_effect, merge_targets, pilot_target};
use crate::builders::aaguid::{self, known_name};
use crate::guid::Guid;
use serde_json::{json, Map, Value};

/// The admin's passkey choices.
#[derive(Debug, Clone, PartialEq)]
pub struct PasskeySettings {
    /// The pilot security group's object id (or [`PILOT_GROUP_PLACEHOLDER`](super::PILOT_GROUP_PLACEHOLDER)).
    pub pilot_group: String,
    /// AAGUIDs to allow next to Microsoft Authenticator's two (e.g. security keys in use).
    pub extra_aaguids: Vec<Guid>,
    /// `isAttestationEnforced`: only genuine Authenticator apps / keys can register.
    pub enforce_attestation: bool,
    /// `isSelfServiceRegistrationAllowed`: users can add passkeys in Security info.
    pub self_service: bool,
}

impl PasskeySettings {
    pub fn new(pilot_group: &str) -> PasskeySettings {
        PasskeySettings {
            pilot_group: pilot_group.to_string(),
            extra_aaguids: vec![],
            enforce_attestation: true,
            self_service: true,
        }
    }

    /// Microsoft Authenticator's AAGUIDs followed by the extra ones, each once.
    pub fn allowed_aaguids(&self) -> Vec<Guid> {
        let mut out = aaguid::authenticator().to_vec();
        for a in &self.extra_aaguids {
            if !out.contains(a) {
                out.push(a.clone());
            }
        }
        out
    }
}

/// The FIDO2 PATCH
/// (<https://learn.microsoft.com/graph/api/fido2authenticationmethodconfiguration-update>): method enabled for the pilot group,
/// attestation as chosen, an allow list of AAGUIDs (Authenticator's, the admin's, and the ones
/// already allowed), self-service set-up as chosen — merged with `current` (see module docs).
///
/// Refuses a tenant that opted in to passkey profiles: there the top-level key restrictions
/// are deprecated and how they interact with profiles is undocumented, so the pilot
/// belongs in a profile (see `profile_plan`).
pub fn fido2_patch(
    settings: &PasskeySettings,
    current: &CurrentConfig,
) -> Result<MethodPatch, SettingError> {
    check_group_id("pilot_group", &settings.pilot_group)?;
    if current.method != Method::Fido2 {
        return Err(setting(
            "current",
            "the pasted configuration is not the passkey (FIDO2) one",
        ));
    }
    if !current.passkey_profile_ids.is_empty() {
        return Err(setting(
            "current",
            format!(
                "this tenant uses passkey profiles ({}). After opting in, the top-level keyRestrictions and \
                 isAttestationEnforced this single PATCH writes are deprecated and their interaction with profiles is \
                 undocumented. The pilot belongs in a profile \"Passkeys in Microsoft Authenticator\" (device-bound, \
                 attestation registrationOnly, allow list of the Authenticator AAGUIDs): added, read back and then \
                 targeted in separate PATCHes (the passkey profile plan), as Microsoft Learn's targeted rollout with \
                 passkey profiles describes.",
                current.passkey_profile_ids.join(", ")
            ),
        ));
    }
    let (targets, target_effect, mut notes) =
        merge_targets(current, pilot_target(&settings.pilot_group));

    // AAGUIDs: an allow list keeps what it already allows; a block list cannot be carried over.
    let wanted = settings.allowed_aaguids();
    let mut aaguids: Vec<String> = Vec::new();
    let mut aa = ListEffect {
        property: "keyRestrictions.aaGuids".into(),
        sent: true,
        ..Default::default()
    };
    let kr = current.key_restrictions.clone().unwrap_or_default();
    let was_allow = kr.enforcement_type.as_deref() == Some("allow");
    for a in &kr.aaguids {
        if was_allow {
            if !aaguids.iter().any(|x| x.eq_ignore_ascii_case(a)) {
                aaguids.push(a.clone());
                aa.kept.push(a.clone());
            }
        } else {
            aa.removed.push((
                a.clone(),
                format!(
                    "it was on a {} list; carried into an allow list it would allow the very key it blocked",
                    kr.enforcement_type.as_deref().unwrap_or("block")
                ),
            ));
        }
    }
    for a in &wanted {
        if !aaguids.iter().any(|x| x.eq_ignore_ascii_case(a.as_str())) {
            aaguids.push(a.to_string());
            aa.added.push(match known_name(a) {
                Some(n) => format!("{a} ({n})"),
                None => a.to_string(),
            });
        }
    }
    if !(kr.is_enforced && was_allow) {
        notes.push(warn(
            "key restrictions apply to the whole method, not only to the pilot: after this PATCH every user the \
             method targets can register and sign in only with the AAGUIDs listed. Add the AAGUIDs of security \
             keys already in use, or their users lose sign-in with them.",
        ));
    }
    if settings.enforce_attestation {
        notes.push(info(
            "with attestation enforced, passkeys can be registered only directly in the Authenticator app on the \
             phone (no QR code / cross-device registration), and registration depends on Apple App Attest and \
             Google Play Integrity being reachable. Attestation is checked at registration only: passkeys \
             registered earlier keep working.",
        ));
    }
    notes.push(info(
        "isAttestationEnforced and keyRestrictions are deprecated in v1.0 (they stop returning data on \
         2027-10-15) in favour of passkey profiles; this is the form for tenants not yet opted in to profiles.",
    ));
    let mut body = Map::new();
    body.insert("@odata.type".into(), json!(Method::Fido2.odata_type()));
    body.insert("state".into(), json!("enabled"));
    body.insert(
        "isSelfServiceRegistrationAllowed".into(),
        json!(settings.self_service),
    );
    body.insert(
        "isAttestationEnforced".into(),
        json!(settings.enforce_attestation),
    );
    body.insert(
        "keyRestrictions".into(),
        json!({ "isEnforced": true, "enforcementType": "allow", "aaGuids": aaguids }),
    );
    body.insert("includeTargets".into(), Value::Array(targets));
    Ok(MethodPatch {
        method: Method::Fido2,
        body: Value::Object(body),
        effect: PatchEffect {
            method: Method::Fido2,
            assumed_default: current.assumed,
            lists: vec![target_effect, excludes_effect(current), aa],
            notes,
        },
        expected_current: current.fingerprint(),
    })
}
