//! A method configuration as the tenant holds it (a pasted `GET` response or the assumed service
//! default), and its fingerprint, which the generated scripts compare before sending a PATCH.

use super::method::Method;
use crate::located::Located;
use serde_json::{json, Map, Value};

/// `keyRestrictions` as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyRestrictions {
    pub is_enforced: bool,
    /// `allow`, `block`, or absent.
    pub enforcement_type: Option<String>,
    /// As stored; not re-validated (the tenant holds what it holds).
    pub aaguids: Vec<String>,
}

/// A method configuration as the tenant holds it: what a PATCH must merge with.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentConfig {
    pub method: Method,
    /// `enabled`, `disabled`, or absent.
    pub state: Option<String>,
    /// Each target as read, reduced to the properties v1.0 declares for it.
    pub include_targets: Vec<Map<String, Value>>,
    pub exclude_targets: Vec<Map<String, Value>>,
    pub key_restrictions: Option<KeyRestrictions>,
    pub is_attestation_enforced: Option<bool>,
    /// Ids of passkey profiles (non-empty once the tenant opted in to profiles).
    pub passkey_profile_ids: Vec<String>,
    /// True when nothing was pasted and this is the assumed service default.
    pub assumed: bool,
}

/// Properties v1.0 declares on a target (`passkeyAuthenticationMethodTarget` adds
/// `allowedPasskeyProfiles`); anything else a GET returns (annotations) is not sent back.
const TARGET_KEYS: [&str; 4] = [
    "id",
    "targetType",
    "isRegistrationRequired",
    "allowedPasskeyProfiles",
];

impl CurrentConfig {
    /// The documented default a tenant starts with: the method disabled, targeting all users
    /// (the `all_users` target of the official examples), no AAGUID list. Only used when the
    /// admin pasted nothing; every script checks it before sending (see [`Self::fingerprint`]).
    pub fn service_default(method: Method) -> CurrentConfig {
        let mut all_users = Map::new();
        all_users.insert("targetType".into(), json!("group"));
        all_users.insert("id".into(), json!("all_users"));
        all_users.insert("isRegistrationRequired".into(), json!(false));
        CurrentConfig {
            method,
            state: Some("disabled".into()),
            include_targets: vec![all_users],
            exclude_targets: vec![],
            key_restrictions: None,
            is_attestation_enforced: None,
            passkey_profile_ids: vec![],
            assumed: true,
        }
    }

    /// Reads a pasted `GET …/authenticationMethodConfigurations/{id}` response (with or
    /// without `@odata.context`). Errors say where: JSON syntax errors at their line:column,
    /// shape errors (about the document as a whole, `0:0`) with the property's JSON path.
    pub fn parse(method: Method, text: &str) -> Result<CurrentConfig, Located> {
        let whole = Located::whole;
        let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| Located::new(e.line(), e.column(), format!("not JSON: {e}")))?;
        let Some(obj) = v.as_object() else {
            return Err(whole(
                "expected the JSON object a GET of the configuration returns".into(),
            ));
        };
        let wanted = method.odata_type();
        if let Some(t) = obj.get("@odata.type") {
            if t.as_str() != Some(wanted.as_str()) {
                return Err(whole(format!(
                    "@odata.type is {t}, but this is the {} configuration ({wanted}); paste the GET response of {}",
                    method.label(),
                    method.path()
                )));
            }
        } else if let Some(id) = obj.get("id").and_then(Value::as_str) {
            if !id.eq_ignore_ascii_case(method.config_id()) {
                return Err(whole(format!(
                    "id is {id:?}, but this is the {} configuration (id {:?})",
                    method.label(),
                    method.config_id()
                )));
            }
        }
        let state = match obj.get("state") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                return Err(whole(format!(
                    "state: expected \"enabled\" or \"disabled\", found {other}"
                )))
            }
        };
        let targets = |key: &str, required: bool| -> Result<Vec<Map<String, Value>>, Located> {
            match obj.get(key) {
                None if required => Err(whole(format!(
                    "{key} is missing: paste the whole GET response (a PATCH replaces {key}, so the current list must be known)"
                ))),
                None | Some(Value::Null) => Ok(vec![]),
                Some(Value::Array(items)) => items
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let o = t
                            .as_object()
                            .ok_or_else(|| whole(format!("{key}[{i}]: expected an object with id and targetType")))?;
                        if !o.get("id").is_some_and(Value::is_string) {
                            return Err(whole(format!("{key}[{i}].id: expected a string")));
                        }
                        Ok(o.iter()
                            .filter(|(k, _)| TARGET_KEYS.contains(&k.as_str()))
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect())
                    })
                    .collect(),
                Some(other) => Err(whole(format!("{key}: expected an array, found {other}"))),
            }
        };
        let include_targets = targets("includeTargets", true)?;
        let exclude_targets = targets("excludeTargets", false)?;
        let key_restrictions = match obj.get("keyRestrictions") {
            None | Some(Value::Null) => None,
            Some(Value::Object(k)) => Some(KeyRestrictions {
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
                            x.as_str().map(str::to_string).ok_or_else(|| {
                                whole(format!("keyRestrictions.aaGuids[{i}]: expected a string"))
                            })
                        })
                        .collect::<Result<_, _>>()?,
                    Some(other) => {
                        return Err(whole(format!(
                            "keyRestrictions.aaGuids: expected an array, found {other}"
                        )))
                    }
                },
            }),
            Some(other) => {
                return Err(whole(format!(
                    "keyRestrictions: expected an object, found {other}"
                )))
            }
        };
        let passkey_profile_ids = match obj.get("passkeyProfiles") {
            Some(Value::Array(p)) => p
                .iter()
                .map(|x| {
                    x.get("id")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                })
                .collect(),
            _ => vec![],
        };
        Ok(CurrentConfig {
            method,
            state,
            include_targets,
            exclude_targets,
            key_restrictions,
            is_attestation_enforced: obj.get("isAttestationEnforced").and_then(Value::as_bool),
            passkey_profile_ids,
            assumed: false,
        })
    }

    pub(super) fn is_enabled(&self) -> bool {
        self.state.as_deref() == Some("enabled")
    }

    /// What the generated script compares with the live configuration before it sends the
    /// PATCH: state and every list the body was merged with, in stored order. If the tenant
    /// changed since the preview (or the assumed default was wrong), the script stops and
    /// nothing is sent. The script builds the same text from the GET response; the format is
    /// shared through [`FINGERPRINT_PARTS`].
    pub fn fingerprint(&self) -> String {
        let ids = |ts: &[Map<String, Value>]| {
            ts.iter()
                .map(|t| t.get("id").and_then(Value::as_str).unwrap_or(""))
                .collect::<Vec<_>>()
                .join(",")
        };
        let aaguids = self
            .key_restrictions
            .as_ref()
            .map(|k| k.aaguids.join(","))
            .unwrap_or_default();
        let values = [
            self.state.clone().unwrap_or_default(),
            ids(&self.include_targets),
            ids(&self.exclude_targets),
            aaguids,
            self.passkey_profile_ids.join(","),
        ];
        FINGERPRINT_PARTS
            .iter()
            .zip(values)
            .map(|((label, _), v)| format!("{label}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// `(label, PowerShell expression over $current)` of each fingerprint part, in order. The
/// expressions read the hashtable `Invoke-MgGraphRequest` returns; member enumeration
/// (`.id` on a list) collects every element's id, and `-join` of nothing is `''`.
pub const FINGERPRINT_PARTS: [(&str, &str); 5] = [
    ("state", "$current.state"),
    (
        "includeTargets",
        "(@($current.includeTargets.id) -join ',')",
    ),
    (
        "excludeTargets",
        "(@($current.excludeTargets.id) -join ',')",
    ),
    ("aaGuids", "(@($current.keyRestrictions.aaGuids) -join ',')"),
    (
        "passkeyProfiles",
        "(@($current.passkeyProfiles.id) -join ',')",
    ),
];
