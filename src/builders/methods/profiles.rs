//! A passkey (FIDO2) configuration on passkey profiles, as the tenant holds it: the profiles
//! (read losslessly: members v1.0 does not declare are kept and echoed), the Default profile's
//! id, and the include targets with the profiles each allows.
//!
//! Why lossless: a PATCH of `passkeyProfiles` replaces the list whole, and a profile left out or
//! changed is deleted or rewritten. So every existing profile is sent back exactly as read
//! (<https://learn.microsoft.com/entra/identity/authentication/how-to-authentication-passkey-profiles>).

use super::current::{CurrentConfig, KeyRestrictions};
use super::method::Method;
use crate::builders::aaguid::{AUTHENTICATOR_ANDROID, AUTHENTICATOR_IOS};
use crate::located::Located;
use serde_json::{Map, Value};

/// Members of `passkeyProfile` that v1.0 declares (`id` from `entity`).
const PROFILE_KEYS: [&str; 5] = [
    "id",
    "name",
    "passkeyTypes",
    "attestationEnforcement",
    "keyRestrictions",
];

/// The `passkeyTypes` flags a profile allows (one comma-joined string on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PasskeyTypes {
    pub device_bound: bool,
    pub synced: bool,
}

impl PasskeyTypes {
    pub const DEVICE_BOUND: PasskeyTypes = PasskeyTypes {
        device_bound: true,
        synced: false,
    };
    pub const BOTH: PasskeyTypes = PasskeyTypes {
        device_bound: true,
        synced: true,
    };

    /// Reads the wire form; members this version does not know are ignored (the profile is
    /// echoed as read, so nothing is lost).
    pub fn parse(s: &str) -> PasskeyTypes {
        let mut t = PasskeyTypes::default();
        for part in s.split(',').map(str::trim) {
            match part {
                "deviceBound" => t.device_bound = true,
                "synced" => t.synced = true,
                _ => {}
            }
        }
        t
    }

    pub fn wire(self) -> &'static str {
        match (self.device_bound, self.synced) {
            (true, true) => "deviceBound,synced",
            (false, true) => "synced",
            _ => "deviceBound",
        }
    }

    pub fn words(self) -> &'static str {
        match (self.device_bound, self.synced) {
            (true, true) => "device-bound and synced passkeys",
            (false, true) => "synced passkeys only",
            (true, false) => "device-bound passkeys only",
            (false, false) => "no passkey type this tool knows",
        }
    }
}

/// One passkey profile as read.
#[derive(Debug, Clone, PartialEq)]
pub struct PasskeyProfile {
    /// Absent only on a profile not yet sent (the service assigns it).
    pub id: Option<String>,
    pub name: String,
    pub passkey_types: PasskeyTypes,
    /// `attestationEnforcement` is `registrationOnly`.
    pub attestation_enforced: bool,
    pub key_restrictions: Option<KeyRestrictions>,
    /// Every member as read, in order (annotations excepted): what a PATCH echoes.
    members: Map<String, Value>,
}

impl PasskeyProfile {
    /// A new profile (no id) from its settings.
    pub fn new(
        name: &str,
        passkey_types: PasskeyTypes,
        attestation_enforced: bool,
        key_restrictions: KeyRestrictions,
    ) -> PasskeyProfile {
        let mut members = Map::new();
        members.insert("name".into(), Value::from(name));
        members.insert("passkeyTypes".into(), Value::from(passkey_types.wire()));
        members.insert(
            "attestationEnforcement".into(),
            Value::from(if attestation_enforced {
                "registrationOnly"
            } else {
                "disabled"
            }),
        );
        members.insert(
            "keyRestrictions".into(),
            serde_json::json!({
                "isEnforced": key_restrictions.is_enforced,
                "enforcementType": key_restrictions.enforcement_type.clone().unwrap_or_else(|| "allow".into()),
                "aaGuids": key_restrictions.aaguids,
            }),
        );
        PasskeyProfile {
            id: None,
            name: name.to_string(),
            passkey_types,
            attestation_enforced,
            key_restrictions: Some(key_restrictions),
            members,
        }
    }

    /// The object a `passkeyProfiles` PATCH carries: as read, unchanged.
    pub fn body(&self) -> Value {
        Value::Object(self.members.clone())
    }

    /// Members v1.0 does not declare on a profile (kept and echoed; the caller may say so).
    pub fn undeclared_members(&self) -> Vec<&str> {
        self.members
            .keys()
            .map(String::as_str)
            .filter(|k| !PROFILE_KEYS.contains(k))
            .collect()
    }

    fn restricted(&self) -> Option<&KeyRestrictions> {
        self.key_restrictions.as_ref().filter(|k| k.is_enforced)
    }

    fn lists(&self, aaguid: &str) -> bool {
        self.restricted()
            .is_some_and(|k| k.aaguids.iter().any(|a| a.eq_ignore_ascii_case(aaguid)))
    }

    /// Whether a device-bound passkey in Microsoft Authenticator (iOS and Android) fully meets
    /// this profile's type and key restrictions.
    pub fn admits_authenticator(&self) -> bool {
        if !self.passkey_types.device_bound {
            return false;
        }
        let both = [AUTHENTICATOR_IOS, AUTHENTICATOR_ANDROID];
        match self
            .restricted()
            .and_then(|k| k.enforcement_type.as_deref())
        {
            None => true,
            Some("allow") => both.iter().all(|a| self.lists(a)),
            Some("block") => !both.iter().any(|a| self.lists(a)),
            Some(_) => false,
        }
    }

    /// The key restrictions in words.
    pub fn restriction_words(&self) -> String {
        match self.restricted() {
            None => "no key restrictions".into(),
            Some(k) => {
                let how = match k.enforcement_type.as_deref() {
                    Some("block") => "blocks",
                    Some("allow") => "allows only",
                    _ => "restricts",
                };
                if k.aaguids.is_empty() {
                    format!("{how} an empty AAGUID list")
                } else {
                    format!("{how} {}", k.aaguids.join(", "))
                }
            }
        }
    }
}

/// A passkey (FIDO2) configuration on passkey profiles.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfilesConfig {
    /// State and targets (each target reduced to what v1.0 declares for it).
    pub current: CurrentConfig,
    /// `defaultPasskeyProfile`: the Default profile's id.
    pub default_profile: Option<String>,
    pub profiles: Vec<PasskeyProfile>,
    /// `isSelfServiceRegistrationAllowed` (global, profiles or not).
    pub self_service: Option<bool>,
    /// The configuration as read, annotations removed: what the size limit is measured on.
    pub raw: Map<String, Value>,
}

/// What a pasted passkey configuration is.
#[derive(Debug, Clone, PartialEq)]
pub enum Fido2Config {
    /// No `passkeyProfiles` (not migrated, or the method never enabled): the top-level settings.
    Legacy(CurrentConfig),
    /// On passkey profiles.
    Profiles(ProfilesConfig),
}

fn is_annotation(key: &str) -> bool {
    key.contains('@')
}

fn strip_annotations(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| !is_annotation(k))
                .map(|(k, v)| (k.clone(), strip_annotations(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_annotations).collect()),
        other => other.clone(),
    }
}

fn key_restrictions(v: &Value, at: &str) -> Result<Option<KeyRestrictions>, Located> {
    let whole = Located::whole;
    match v {
        Value::Null => Ok(None),
        Value::Object(k) => Ok(Some(KeyRestrictions {
            is_enforced: k
                .get("isEnforced")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            enforcement_type: k
                .get("enforcementType")
                .and_then(Value::as_str)
                .map(str::to_string),
            aaguids: match k.get("aaGuids") {
                None | Some(Value::Null) => vec![],
                Some(Value::Array(a)) => a
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        x.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| whole(format!("{at}.aaGuids[{i}]: expected a string")))
                    })
                    .collect::<Result<_, _>>()?,
                Some(other) => {
                    return Err(whole(format!(
                        "{at}.aaGuids: expected an array, found {other}"
                    )))
                }
            },
        })),
        other => Err(whole(format!("{at}: expected an object, found {other}"))),
    }
}

fn profile(i: usize, v: &Value) -> Result<PasskeyProfile, Located> {
    let whole = Located::whole;
    let at = format!("passkeyProfiles[{i}]");
    let Value::Object(o) = strip_annotations(v) else {
        return Err(whole(format!("{at}: expected a passkey profile object")));
    };
    let text = |key: &str| -> Result<Option<String>, Located> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(whole(format!(
                "{at}.{key}: expected a string, found {other}"
            ))),
        }
    };
    let id = text("id")?;
    if id.is_none() {
        return Err(whole(format!(
            "{at}.id is missing: paste the GET response (every stored profile has an id)"
        )));
    }
    Ok(PasskeyProfile {
        id,
        name: text("name")?.unwrap_or_default(),
        passkey_types: PasskeyTypes::parse(&text("passkeyTypes")?.unwrap_or_default()),
        attestation_enforced: text("attestationEnforcement")?.as_deref()
            == Some("registrationOnly"),
        key_restrictions: key_restrictions(
            o.get("keyRestrictions").unwrap_or(&Value::Null),
            &format!("{at}.keyRestrictions"),
        )?,
        members: o,
    })
}

impl Fido2Config {
    /// Reads a pasted `GET …/authenticationMethodConfigurations/fido2` response. A tenant is on
    /// profiles when `passkeyProfiles` is a non-empty array; both shapes are accepted.
    pub fn parse(text: &str) -> Result<Fido2Config, Located> {
        let current = CurrentConfig::parse(Method::Fido2, text)?;
        // CurrentConfig::parse accepted it, so it is a JSON object.
        let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| Located::new(e.line(), e.column(), format!("not JSON: {e}")))?;
        let Value::Object(raw) = strip_annotations(&v) else {
            return Err(Located::whole(String::from("expected a JSON object")));
        };
        let profiles = match raw.get("passkeyProfiles") {
            Some(Value::Array(p)) if !p.is_empty() => p
                .iter()
                .enumerate()
                .map(|(i, p)| profile(i, p))
                .collect::<Result<Vec<_>, _>>()?,
            None | Some(Value::Null) | Some(Value::Array(_)) => {
                return Ok(Fido2Config::Legacy(current))
            }
            Some(other) => {
                return Err(Located::whole(format!(
                    "passkeyProfiles: expected an array, found {other}"
                )))
            }
        };
        for (i, t) in current.include_targets.iter().enumerate() {
            match t.get("allowedPasskeyProfiles") {
                None | Some(Value::Null) => {}
                Some(Value::Array(a)) if a.iter().all(Value::is_string) => {}
                Some(other) => {
                    return Err(Located::whole(format!(
                        "includeTargets[{i}].allowedPasskeyProfiles: expected an array of profile ids, found {other}"
                    )))
                }
            }
        }
        Ok(Fido2Config::Profiles(ProfilesConfig {
            default_profile: raw
                .get("defaultPasskeyProfile")
                .and_then(Value::as_str)
                .map(str::to_string),
            self_service: raw
                .get("isSelfServiceRegistrationAllowed")
                .and_then(Value::as_bool),
            current,
            profiles,
            raw,
        }))
    }
}

/// The profile ids a target allows.
pub fn allowed_profiles(target: &Map<String, Value>) -> Vec<&str> {
    target
        .get("allowedPasskeyProfiles")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Microsoft's default migrated configuration: a tenant that had passkeys on with attestation
/// off and no key restrictions, targeting all users, after the 2026 migration to passkey
/// profiles (the Default profile allows device-bound and synced passkeys; the deprecated
/// top-level settings mirror it). Assembled from the v1.0 schema and Microsoft's examples, not
/// a captured response: it is what the page plans over until the tenant's own is pasted or
/// read, and says so.
pub const MIGRATED_DEFAULT: &str = r##"{
  "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
  "id": "Fido2",
  "state": "enabled",
  "isSelfServiceRegistrationAllowed": true,
  "isAttestationEnforced": false,
  "keyRestrictions": { "isEnforced": false, "enforcementType": "block", "aaGuids": [] },
  "defaultPasskeyProfile": "00000000-0000-0000-0000-000000000001",
  "passkeyProfiles": [
    { "id": "00000000-0000-0000-0000-000000000001", "name": "Default passkey profile",
      "passkeyTypes": "deviceBound,synced", "attestationEnforcement": "disabled",
      "keyRestrictions": { "isEnforced": false, "enforcementType": "block", "aaGuids": [] } }
  ],
  "includeTargets": [
    { "targetType": "group", "id": "all_users", "isRegistrationRequired": false,
      "allowedPasskeyProfiles": ["00000000-0000-0000-0000-000000000001"] }
  ],
  "excludeTargets": []
}"##;

impl ProfilesConfig {
    /// [`MIGRATED_DEFAULT`], marked as assumed (`current.assumed`): nothing was pasted or read.
    pub fn assumed_migrated() -> ProfilesConfig {
        match Fido2Config::parse(MIGRATED_DEFAULT) {
            Ok(Fido2Config::Profiles(mut c)) => {
                c.current.assumed = true;
                c
            }
            // The constant is held to parse as a profiles configuration by a test.
            _ => unreachable!("MIGRATED_DEFAULT is a configuration on passkey profiles"),
        }
    }

    /// True for [`Self::assumed_migrated`]: planned over an assumption, not the tenant.
    pub fn is_assumed(&self) -> bool {
        self.current.assumed
    }

    /// The Default profile: named by `defaultPasskeyProfile`, else the first profile.
    pub fn default(&self) -> Option<&PasskeyProfile> {
        match &self.default_profile {
            Some(id) => self
                .profiles
                .iter()
                .find(|p| p.id.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(id))),
            None => self.profiles.first(),
        }
    }

    pub fn is_default(&self, p: &PasskeyProfile) -> bool {
        self.default().is_some_and(|d| d.id == p.id)
    }

    /// The profiles named `name` (compared without case or surrounding space).
    pub fn named(&self, name: &str) -> Vec<&PasskeyProfile> {
        self.profiles
            .iter()
            .filter(|p| p.name.trim().eq_ignore_ascii_case(name.trim()))
            .collect()
    }

    /// The include targets that allow the profile `id`.
    pub fn targets_of(&self, id: &str) -> Vec<&Map<String, Value>> {
        self.current
            .include_targets
            .iter()
            .filter(|t| {
                allowed_profiles(t)
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(id))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) fn migrated() -> Value {
        json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x",
            "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
            "id": "Fido2", "state": "enabled", "isSelfServiceRegistrationAllowed": true,
            "defaultPasskeyProfile": "00000000-0000-0000-0000-000000000001",
            "passkeyProfiles": [{ "id": "00000000-0000-0000-0000-000000000001",
                "name": "Default passkey profile", "passkeyTypes": "deviceBound,synced",
                "attestationEnforcement": "disabled", "futureSetting": {"x": 1},
                "keyRestrictions": { "isEnforced": false, "enforcementType": "block", "aaGuids": [] } }],
            "includeTargets": [{ "targetType": "group", "id": "all_users", "isRegistrationRequired": false,
                "allowedPasskeyProfiles": ["00000000-0000-0000-0000-000000000001"] }],
            "excludeTargets": []
        })
    }

    #[test]
    fn a_migrated_configuration_reads_losslessly() {
        let Fido2Config::Profiles(c) = Fido2Config::parse(&migrated().to_string()).unwrap() else {
            panic!("on profiles")
        };
        let d = c.default().unwrap();
        assert_eq!(d.name, "Default passkey profile");
        assert_eq!(d.passkey_types, PasskeyTypes::BOTH);
        assert!(!d.attestation_enforced);
        assert!(d.admits_authenticator());
        assert_eq!(d.undeclared_members(), vec!["futureSetting"]);
        assert_eq!(d.body(), migrated()["passkeyProfiles"][0]);
        assert!(!c.raw.contains_key("@odata.context"));
        assert_eq!(
            c.targets_of("00000000-0000-0000-0000-000000000001").len(),
            1
        );
    }

    #[test]
    fn no_or_empty_profiles_is_legacy_and_bad_shapes_say_where() {
        let mut v = migrated();
        v["passkeyProfiles"] = json!([]);
        assert!(matches!(
            Fido2Config::parse(&v.to_string()).unwrap(),
            Fido2Config::Legacy(_)
        ));
        v["passkeyProfiles"] = json!([{"name": "x"}]);
        let e = Fido2Config::parse(&v.to_string()).unwrap_err();
        assert!(e.message.contains("passkeyProfiles[0].id"), "{e:?}");
        let mut v = migrated();
        v["includeTargets"][0]["allowedPasskeyProfiles"] = json!("x");
        let e = Fido2Config::parse(&v.to_string()).unwrap_err();
        assert!(e.message.contains("allowedPasskeyProfiles"), "{e:?}");
    }

    #[test]
    fn the_assumed_default_is_the_migrated_shape_and_says_it_is_assumed() {
        let c = ProfilesConfig::assumed_migrated();
        assert!(c.is_assumed());
        let d = c.default().unwrap();
        assert_eq!(d.name, "Default passkey profile");
        assert_eq!(d.passkey_types, PasskeyTypes::BOTH);
        assert!(!d.attestation_enforced);
        assert_eq!(c.profiles.len(), 1);
        assert_eq!(c.current.passkey_profile_ids, vec![d.id.clone().unwrap()]);
        assert_eq!(c.targets_of(d.id.as_deref().unwrap()).len(), 1);
        // The same text pasted is the tenant's own, not an assumption.
        let Fido2Config::Profiles(pasted) = Fido2Config::parse(MIGRATED_DEFAULT).unwrap() else {
            panic!("on profiles")
        };
        assert!(!pasted.is_assumed());
        assert_eq!(pasted.raw, c.raw);
    }

    #[test]
    fn authenticator_is_admitted_by_the_restrictions() {
        let kr = |t: &str, a: &[&str]| KeyRestrictions {
            is_enforced: true,
            enforcement_type: Some(t.into()),
            aaguids: a.iter().map(|s| s.to_string()).collect(),
        };
        let p = |k| PasskeyProfile::new("p", PasskeyTypes::DEVICE_BOUND, true, k);
        assert!(p(kr("allow", &[AUTHENTICATOR_IOS, AUTHENTICATOR_ANDROID])).admits_authenticator());
        assert!(!p(kr("allow", &[AUTHENTICATOR_IOS])).admits_authenticator());
        assert!(!p(kr("block", &[AUTHENTICATOR_ANDROID])).admits_authenticator());
        assert!(p(kr("block", &[])).admits_authenticator());
        assert_eq!(
            PasskeyTypes::parse("deviceBound,synced"),
            PasskeyTypes::BOTH
        );
        assert_eq!(PasskeyTypes::BOTH.wire(), "deviceBound,synced");
    }
}
