//! A configuration on passkey profiles in words: each profile, what it allows, and which
//! targets (groups) it reaches; and what an admin should hear on first read.

use super::effect::{warn, Note};
use super::profiles::{allowed_profiles, PasskeyProfile, ProfilesConfig};
use serde_json::{Map, Value};

fn group_words(t: &Map<String, Value>) -> String {
    let id = t.get("id").and_then(Value::as_str).unwrap_or("");
    match (id, t.get("targetType").and_then(Value::as_str)) {
        ("all_users", _) => "all users (all_users)".to_string(),
        (id, Some(kind)) => format!("{kind} {id}"),
        (id, None) => id.to_string(),
    }
}

fn profile_words(cfg: &ProfilesConfig, p: &PasskeyProfile) -> String {
    let id = p.id.as_deref().unwrap_or("");
    let reach: Vec<String> = cfg.targets_of(id).into_iter().map(group_words).collect();
    format!(
        "profile {:?}{} ({id}): {}, attestation {}, {}; reaches {}",
        p.name,
        if cfg.is_default(p) { " [Default]" } else { "" },
        p.passkey_types.words(),
        if p.attestation_enforced {
            "enforced at registration"
        } else {
            "off"
        },
        p.restriction_words(),
        if reach.is_empty() {
            "no one (no target allows it)".to_string()
        } else {
            reach.join(", ")
        }
    )
}

/// One line per profile, then the targets and the exclusions.
pub fn describe(cfg: &ProfilesConfig) -> String {
    let mut lines = vec![format!(
        "Passkey (FIDO2) method {}, on passkey profiles ({} of 3):",
        cfg.current.state.as_deref().unwrap_or("state unknown"),
        cfg.profiles.len()
    )];
    lines.extend(
        cfg.profiles
            .iter()
            .map(|p| format!("  {}", profile_words(cfg, p))),
    );
    for t in &cfg.current.include_targets {
        let names: Vec<String> = allowed_profiles(t)
            .iter()
            .map(|id| {
                cfg.profiles
                    .iter()
                    .find(|p| p.id.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(id)))
                    .map(|p| format!("{:?}", p.name))
                    .unwrap_or_else(|| format!("{id} (no such profile)"))
            })
            .collect();
        lines.push(format!(
            "  target {}: {}",
            group_words(t),
            if names.is_empty() {
                "no profile".to_string()
            } else {
                names.join(", ")
            }
        ));
    }
    for t in &cfg.current.exclude_targets {
        lines.push(format!(
            "  excluded {}: no passkey registration or sign-in, whatever profile includes it",
            group_words(t)
        ));
    }
    lines.join("\n")
}

/// What the admin should hear first: synced passkeys allowed for everyone a Default profile
/// with attestation off reaches (what migration made of a tenant whose attestation was off).
pub fn first_read_notes(cfg: &ProfilesConfig) -> Vec<Note> {
    let mut notes = Vec::new();
    if let Some(d) = cfg.default() {
        if d.passkey_types.synced && !d.attestation_enforced {
            let reach: Vec<String> = cfg
                .targets_of(d.id.as_deref().unwrap_or(""))
                .into_iter()
                .map(group_words)
                .collect();
            if !reach.is_empty() {
                notes.push(warn(format!(
                    "the Default profile {:?} allows synced passkeys with attestation off, for everyone it reaches ({}): \
                     a tenant migrated with attestation off gets this. Synced passkeys can be copied to other devices; \
                     leave it only if that is intended.",
                    d.name,
                    reach.join(", ")
                )));
            }
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::super::profiles::Fido2Config;
    use super::*;
    use serde_json::json;

    #[test]
    fn profiles_targets_and_reach_in_words() {
        let v = json!({
            "id": "Fido2", "state": "enabled",
            "defaultPasskeyProfile": "00000000-0000-0000-0000-000000000001",
            "passkeyProfiles": [{ "id": "00000000-0000-0000-0000-000000000001",
                "name": "Default passkey profile", "passkeyTypes": "deviceBound,synced",
                "attestationEnforcement": "disabled" }],
            "includeTargets": [{ "targetType": "group", "id": "all_users", "isRegistrationRequired": false,
                "allowedPasskeyProfiles": ["00000000-0000-0000-0000-000000000001"] }],
            "excludeTargets": [{ "targetType": "group", "id": "11111111-1111-1111-1111-111111111111" }]
        });
        let Fido2Config::Profiles(c) = Fido2Config::parse(&v.to_string()).unwrap() else {
            panic!()
        };
        let text = describe(&c);
        assert!(
            text.contains("profile \"Default passkey profile\" [Default]"),
            "{text}"
        );
        assert!(text.contains("device-bound and synced passkeys, attestation off, no key restrictions; reaches all users (all_users)"), "{text}");
        assert!(
            text.contains("target all users (all_users): \"Default passkey profile\""),
            "{text}"
        );
        assert!(
            text.contains("excluded group 11111111-1111-1111-1111-111111111111"),
            "{text}"
        );
        let notes = first_read_notes(&c);
        assert!(notes.len() == 1 && notes[0].warning && notes[0].text.contains("synced"));
    }
}
