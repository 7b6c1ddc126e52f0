//! The passkey (FIDO2) configuration of a tenant on passkey profiles: the seeded shapes
//! ([`ProfilesTenant`]) and what the service does with a PATCH of such a configuration
//! ([`patch_profiles`]).
//!
//! What the service is known to do (Microsoft's support material on passkey profiles): a new
//! profile is sent without an `id` and the service assigns one, which is then returned on GET;
//! `passkeyProfiles` and `includeTargets` are replaced whole; at most three profiles, the
//! Default included, which cannot be deleted; every include target names at least one profile;
//! and the stored policy may not exceed 20 KB. Where the service's wording is not published
//! (the profile limit, the Default removed, a target naming no such profile), the message here
//! is this fake's own, written to read like the service's.

use serde_json::{json, Map, Value};

/// The Default profile's id, as every migrated tenant has it.
pub const DEFAULT_PROFILE_ID: &str = "00000000-0000-0000-0000-000000000001";
/// The name the page gives its pilot profile (Microsoft Learn's targeted rollout).
pub const OUR_PROFILE_NAME: &str = "Passkeys in Microsoft Authenticator";
/// The id the seeded "ours" profile carries: one the service assigned in a published example.
pub const SEEDED_OURS_ID: &str = "84c712c1-8688-4679-8546-a603ff82da46";
/// The two profiles besides the Default in [`ProfilesTenant::ThreeProfiles`].
pub const SEEDED_DEVICE_BOUND_ID: &str = "032c8781-d687-48d8-ba7d-457518f349b6";
pub const SEEDED_FIPS_ID: &str = "c2450bed-0ebd-48ca-9c74-3dedbaada48f";
/// Microsoft Authenticator's AAGUIDs (iOS, Android).
pub const AUTHENTICATOR_AAGUIDS: [&str; 2] = [
    "90a3ccdf-635c-4729-a248-9b709135078f",
    "de1e552d-db1d-4423-a619-566b625cdc84",
];
/// Profiles per tenant, the Default included.
pub const MAX_PROFILES: usize = 3;
/// The policy size limit the service enforces: 20 KB.
pub const MAX_POLICY_BYTES: usize = 20 * 1024;

/// The group the seeded non-default profiles target.
pub const SEEDED_ADMINS_GROUP: &str = "44444444-5555-6666-7777-888888888888";

/// A tenant on passkey profiles, as the fake can seed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfilesTenant<'a> {
    /// Migrated, nothing added: the Default profile only (attestation off, so synced allowed),
    /// all users targeted with it.
    DefaultOnly,
    /// The Default and two more profiles: the limit reached, none of them ours.
    ThreeProfiles,
    /// The Default and a profile named like ours that admits the two Authenticator AAGUIDs,
    /// not yet targeted at any group.
    OursNamed,
    /// As [`ProfilesTenant::OursNamed`], with `pilot_group` targeted with that profile.
    OursTargeted { pilot_group: &'a str },
}

fn profile(id: &str, name: &str, types: &str, attestation: &str, kr: Value) -> Value {
    json!({"id": id, "name": name, "passkeyTypes": types, "attestationEnforcement": attestation,
        "keyRestrictions": kr})
}

fn default_profile() -> Value {
    profile(
        DEFAULT_PROFILE_ID,
        "Default passkey profile",
        "deviceBound,synced",
        "disabled",
        json!({"isEnforced": false, "enforcementType": "block", "aaGuids": []}),
    )
}

fn ours() -> Value {
    profile(
        SEEDED_OURS_ID,
        OUR_PROFILE_NAME,
        "deviceBound",
        "registrationOnly",
        json!({"isEnforced": true, "enforcementType": "allow", "aaGuids": AUTHENTICATOR_AAGUIDS}),
    )
}

fn target(id: &str, profiles: &[&str]) -> Value {
    json!({"targetType": "group", "id": id, "isRegistrationRequired": false,
        "allowedPasskeyProfiles": profiles})
}

/// The FIDO2 configuration of `shape`, as GET returns it (without `@odata.context`).
pub fn profiles_config(shape: ProfilesTenant) -> Value {
    let all_users = target("all_users", &[DEFAULT_PROFILE_ID]);
    let (profiles, targets) = match shape {
        ProfilesTenant::DefaultOnly => (vec![default_profile()], vec![all_users]),
        ProfilesTenant::ThreeProfiles => (
            vec![
                default_profile(),
                profile(
                    SEEDED_DEVICE_BOUND_ID,
                    "All device-bound passkeys (excluding Microsoft Authenticator)",
                    "deviceBound",
                    "registrationOnly",
                    json!({"isEnforced": true, "enforcementType": "block", "aaGuids": AUTHENTICATOR_AAGUIDS}),
                ),
                profile(
                    SEEDED_FIPS_ID,
                    "FIPS security keys for administrators",
                    "deviceBound",
                    "registrationOnly",
                    json!({"isEnforced": true, "enforcementType": "allow",
                        "aaGuids": ["fa2b99dc-9e39-4257-8f92-4a30d23c4118"]}),
                ),
            ],
            vec![
                all_users,
                target(
                    SEEDED_ADMINS_GROUP,
                    &[SEEDED_FIPS_ID, SEEDED_DEVICE_BOUND_ID],
                ),
            ],
        ),
        ProfilesTenant::OursNamed => (vec![default_profile(), ours()], vec![all_users]),
        ProfilesTenant::OursTargeted { pilot_group } => (
            vec![default_profile(), ours()],
            vec![all_users, target(pilot_group, &[SEEDED_OURS_ID])],
        ),
    };
    json!({
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        "id": "Fido2",
        "state": "enabled",
        "isSelfServiceRegistrationAllowed": true,
        "isAttestationEnforced": false,
        "keyRestrictions": {"isEnforced": false, "enforcementType": "block", "aaGuids": []},
        "defaultPasskeyProfile": DEFAULT_PROFILE_ID,
        "passkeyProfiles": profiles,
        "includeTargets": targets,
        "excludeTargets": []
    })
}

/// Whether a configuration is on passkey profiles: `passkeyProfiles` a non-empty array.
pub fn is_on_profiles(v: &Value) -> bool {
    v.get("passkeyProfiles")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
}

/// Why the service refused a PATCH: `(status, code, message)`.
pub type Refused = (u16, &'static str, String);

fn bad(message: impl Into<String>) -> Refused {
    (400, "badRequest", message.into())
}

fn id_of(v: &Value) -> Option<&str> {
    v.get("id").and_then(Value::as_str)
}

/// What the service makes of `patch` over `stored` (a configuration on profiles, or one the
/// PATCH puts on profiles): the configuration to store and the ids it assigned, in order. `new_id`
/// gives a fresh id; `limit` is the policy size budget in bytes.
pub fn patch_profiles(
    stored: &Value,
    patch: &Value,
    limit: usize,
    mut new_id: impl FnMut() -> String,
) -> Result<(Value, Vec<String>), Refused> {
    let mut patch = patch.clone();
    let mut assigned = Vec::new();
    if let Some(list) = patch
        .get_mut("passkeyProfiles")
        .and_then(Value::as_array_mut)
    {
        // A profile sent without an id is a new one: the service gives it an id, first member.
        for p in list.iter_mut() {
            let Value::Object(members) = p else {
                return Err(bad("Invalid passkey profile in passkeyProfiles."));
            };
            if !matches!(members.get("id"), Some(Value::String(s)) if !s.is_empty()) {
                let id = new_id();
                let mut with_id = Map::new();
                with_id.insert("id".into(), json!(id));
                members.remove("id");
                with_id.append(members);
                *p = Value::Object(with_id);
                assigned.push(id);
            }
        }
    }
    let mut after = stored.clone();
    crate::merge(&mut after, &patch);

    let profiles: Vec<Value> = after["passkeyProfiles"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if profiles.len() > MAX_PROFILES {
        return Err(bad(format!(
            "Maximum number of passkey profiles limit reached: a tenant can have at most {MAX_PROFILES} passkey profiles, the default passkey profile included."
        )));
    }
    let default = after["defaultPasskeyProfile"]
        .as_str()
        .unwrap_or(DEFAULT_PROFILE_ID);
    if !profiles.iter().any(|p| id_of(p) == Some(default)) {
        return Err(bad("The default passkey profile cannot be deleted."));
    }
    let known = |id: &str| {
        profiles
            .iter()
            .any(|p| id_of(p).is_some_and(|p| p.eq_ignore_ascii_case(id)))
    };
    for t in after["includeTargets"].as_array().into_iter().flatten() {
        let allowed: Vec<&str> = t["allowedPasskeyProfiles"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if allowed.is_empty() {
            return Err(bad(
                "Include conditions are missing passkey profile targets",
            ));
        }
        if let Some(unknown) = allowed.iter().find(|id| !known(id)) {
            return Err(bad(format!(
                "Invalid value '{unknown}' in allowedPasskeyProfiles of include target '{}': no passkey profile has this id.",
                t["id"].as_str().unwrap_or("")
            )));
        }
    }
    let size = after.to_string().len();
    if size > limit {
        return Err(bad(format!(
            "Persistence of policy failed with error: Policy size is larger than allowed by {} bytes. Please change your targeting to fewer groups or settings and try again.",
            size - limit
        )));
    }
    Ok((after, assigned))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("00000000-0000-4000-8000-{n:012x}")
        }
    }

    fn add_ours(stored: &Value) -> Value {
        let mut list = stored["passkeyProfiles"].as_array().unwrap().clone();
        let mut new = ours();
        new.as_object_mut().unwrap().remove("id");
        list.push(new);
        json!({"@odata.type": stored["@odata.type"], "passkeyProfiles": list})
    }

    #[test]
    fn a_new_profile_gets_an_id_and_a_target_may_then_name_it() {
        let stored = profiles_config(ProfilesTenant::DefaultOnly);
        let (after, assigned) =
            patch_profiles(&stored, &add_ours(&stored), MAX_POLICY_BYTES, ids()).unwrap();
        assert_eq!(assigned, ["00000000-0000-4000-8000-000000000001"]);
        let new = &after["passkeyProfiles"][1];
        assert_eq!(new.as_object().unwrap().keys().next().unwrap(), "id");
        assert_eq!(new["id"], json!(assigned[0]));
        assert_eq!(new["name"], json!(OUR_PROFILE_NAME));
        assert_eq!(after["includeTargets"], stored["includeTargets"]);

        let mut targets = after["includeTargets"].as_array().unwrap().clone();
        targets.push(target(
            "22222222-3333-4444-5555-666666666666",
            &[&assigned[0]],
        ));
        let body = json!({"@odata.type": stored["@odata.type"], "includeTargets": targets});
        let (end, none) = patch_profiles(&after, &body, MAX_POLICY_BYTES, ids()).unwrap();
        assert!(none.is_empty());
        assert_eq!(
            end["includeTargets"][1]["allowedPasskeyProfiles"],
            json!([assigned[0]])
        );
    }

    #[test]
    fn a_target_naming_no_such_profile_is_refused() {
        let stored = profiles_config(ProfilesTenant::DefaultOnly);
        let body = json!({"includeTargets": [target("all_users", &[DEFAULT_PROFILE_ID]),
            target("g", &["{{profile-id:Passkeys in Microsoft Authenticator}}"])]});
        let (status, code, message) =
            patch_profiles(&stored, &body, MAX_POLICY_BYTES, ids()).unwrap_err();
        assert_eq!((status, code), (400, "badRequest"));
        assert!(
            message.contains("no passkey profile has this id"),
            "{message}"
        );
        let body = json!({"includeTargets": [{"targetType": "group", "id": "all_users"}]});
        let (_, _, message) = patch_profiles(&stored, &body, MAX_POLICY_BYTES, ids()).unwrap_err();
        assert_eq!(
            message,
            "Include conditions are missing passkey profile targets"
        );
    }

    #[test]
    fn a_fourth_profile_and_a_missing_default_are_refused() {
        let stored = profiles_config(ProfilesTenant::ThreeProfiles);
        let (_, _, message) =
            patch_profiles(&stored, &add_ours(&stored), MAX_POLICY_BYTES, ids()).unwrap_err();
        assert!(message.contains("limit reached"), "{message}");
        let body = json!({"passkeyProfiles": [ours()]});
        let stored = profiles_config(ProfilesTenant::OursNamed);
        let (_, _, message) = patch_profiles(&stored, &body, MAX_POLICY_BYTES, ids()).unwrap_err();
        assert!(message.contains("default passkey profile"), "{message}");
    }

    #[test]
    fn a_policy_over_the_limit_is_refused_with_the_bytes_over() {
        let stored = profiles_config(ProfilesTenant::DefaultOnly);
        let size = stored.to_string().len();
        let (status, _, message) =
            patch_profiles(&stored, &json!({}), size - 7, ids()).unwrap_err();
        assert_eq!(status, 400);
        assert_eq!(message, "Persistence of policy failed with error: Policy size is larger than allowed by 7 bytes. Please change your targeting to fewer groups or settings and try again.");
        let mut big = stored["includeTargets"].as_array().unwrap().clone();
        for i in 0..200 {
            big.push(target(
                &format!("00000000-0000-0000-0000-{i:012}"),
                &[DEFAULT_PROFILE_ID],
            ));
        }
        let body = json!({"includeTargets": big});
        assert!(body.to_string().len() > MAX_POLICY_BYTES);
        let (_, _, message) = patch_profiles(&stored, &body, MAX_POLICY_BYTES, ids()).unwrap_err();
        assert!(
            message.contains("Policy size is larger than allowed by"),
            "{message}"
        );
    }

    const PATH: &str =
        "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2";

    fn send(g: &crate::FakeGraph, method: &str, body: &Value) -> crate::Reply {
        let auth = vec![("Authorization".to_string(), "Bearer t".to_string())];
        g.handle(method, PATH, &auth, &body.to_string())
    }

    #[test]
    fn over_the_fake_the_assigned_id_is_recorded_and_a_refusal_changes_nothing() {
        let g = crate::FakeGraph::new();
        g.seed_profiles(ProfilesTenant::DefaultOnly);
        let stored = g.method_config("fido2");
        assert_eq!(send(&g, "PATCH", &add_ours(&stored)).status, 204);
        let ids = g.assigned_profile_ids();
        assert_eq!(ids.len(), 1);
        let read: Value = serde_json::from_str(&send(&g, "GET", &json!(null)).body).unwrap();
        assert_eq!(read["passkeyProfiles"][1]["id"], json!(ids[0]));
        // A second new id is a fresh one, and a refused PATCH stores nothing.
        let before = g.method_config("fido2");
        let third = send(&g, "PATCH", &add_ours(&before));
        assert_eq!(third.status, 204, "a third profile is within the limit");
        assert_ne!(g.assigned_profile_ids()[1], ids[0]);
        let before = g.method_config("fido2");
        let refused = send(&g, "PATCH", &add_ours(&before));
        assert_eq!(refused.status, 400);
        assert!(refused.body.contains("limit reached"), "{}", refused.body);
        assert_eq!(g.method_config("fido2"), before);
        let sent = g.sent_to(
            "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2",
        );
        let methods: Vec<&str> = sent.iter().map(|r| r.method.as_str()).collect();
        assert_eq!(methods, ["PATCH", "GET", "PATCH", "PATCH"]);
    }

    #[test]
    fn a_legacy_configuration_is_merged_as_before() {
        let g = crate::FakeGraph::new();
        let body = json!({"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
            "state": "enabled", "includeTargets": [{"targetType": "group", "id": "g"}]});
        assert_eq!(send(&g, "PATCH", &body).status, 204);
        let c = g.method_config("fido2");
        assert_eq!(c["includeTargets"], body["includeTargets"]);
        assert!(g.assigned_profile_ids().is_empty());
    }

    #[test]
    fn the_seeded_shapes() {
        for shape in [
            ProfilesTenant::DefaultOnly,
            ProfilesTenant::ThreeProfiles,
            ProfilesTenant::OursNamed,
            ProfilesTenant::OursTargeted { pilot_group: "p" },
        ] {
            let v = profiles_config(shape);
            assert!(is_on_profiles(&v));
            // Each shape is one the service would accept as is.
            assert!(
                patch_profiles(&v, &json!({}), MAX_POLICY_BYTES, ids()).is_ok(),
                "{shape:?}"
            );
        }
        let three = profiles_config(ProfilesTenant::ThreeProfiles);
        assert_eq!(
            three["passkeyProfiles"].as_array().unwrap().len(),
            MAX_PROFILES
        );
    }
}
