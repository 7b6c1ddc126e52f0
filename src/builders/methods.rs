//! The Authentication methods policy: the passkey (FIDO2) and Temporary Access Pass method
//! configurations as PATCH bodies, and what such a PATCH does to the lists already stored.
//!
//! Why the merge (passkey-methods-policy.md §1.3): a PATCH replaces every collection it carries
//! whole — `includeTargets`, `keyRestrictions.aaGuids`. Sending only the pilot group and the
//! Authenticator AAGUIDs would silently remove every other target and every AAGUID already
//! allowed, and removing an allowed AAGUID stops its users from *signing in*. So the body is
//! built from the current configuration (a pasted `GET` response) and the preview lists what
//! is added, removed (with why) and kept. Without a pasted configuration the builder assumes
//! the documented service default, says so, and the generated script checks that assumption
//! (see [`CurrentConfig::fingerprint`]) before it sends anything.

use serde_json::{json, Map, Value};
use std::fmt;

use super::aaguid::Aaguid;
use crate::policy::templates::is_guid;

/// Write permission for both method configurations (§1.1, §4), delegated or application.
pub const METHODS_PERMISSION: &str = "Policy.ReadWrite.AuthenticationMethod";
/// Least-privileged Entra role for the write (§1.1).
pub const METHODS_ROLE: &str = "Authentication Policy Administrator";
/// Placeholder for the pilot group's id where it is not known yet (the reference's examples
/// use the same word); scripts replace it with the id of the group they find or create.
pub const PILOT_GROUP_PLACEHOLDER: &str = "PILOT_GROUP_ID";

/// The two method configurations this module writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Passkeys (FIDO2).
    Fido2,
    /// Temporary Access Pass.
    TemporaryAccessPass,
}

impl Method {
    /// Path below the API version. `fido2` as the API reference writes it (§1.1: the Entra
    /// how-tos' `/authenticationMethodsPolicy/…/FIDO2` lacks `/policies`); `TemporaryAccessPass`
    /// as the reference's table (§4).
    pub fn path(self) -> &'static str {
        match self {
            Method::Fido2 => "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2",
            Method::TemporaryAccessPass => {
                "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass"
            }
        }
    }

    /// The configuration's `id` in responses, which the SDK cmdlet takes as
    /// `-AuthenticationMethodConfigurationId`.
    pub fn config_id(self) -> &'static str {
        match self {
            Method::Fido2 => "Fido2",
            Method::TemporaryAccessPass => "TemporaryAccessPass",
        }
    }

    /// The schema type (graph-schema/authentication-methods.v1.json).
    pub fn schema_type(self) -> &'static str {
        match self {
            Method::Fido2 => "fido2AuthenticationMethodConfiguration",
            Method::TemporaryAccessPass => "temporaryAccessPassAuthenticationMethodConfiguration",
        }
    }

    /// Required in every PATCH body (§1.1, §4).
    pub fn odata_type(self) -> String {
        format!("#microsoft.graph.{}", self.schema_type())
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::Fido2 => "Passkey (FIDO2)",
            Method::TemporaryAccessPass => "Temporary Access Pass",
        }
    }
}

/// A setting the admin chose that Graph would refuse, or that cannot be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    /// The setting at fault, as the CLI option / form field names it.
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for SettingError {}

fn setting(field: &'static str, message: impl Into<String>) -> SettingError {
    SettingError {
        field,
        message: message.into(),
    }
}

/// A pasted configuration that cannot be used, located by 1-based line and column (0 when the
/// problem is the document as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ConfigError {}

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
    /// Ids of passkey profiles (non-empty once the tenant opted in to profiles, §1.4).
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
    /// shape errors with the property's JSON path.
    pub fn parse(method: Method, text: &str) -> Result<CurrentConfig, ConfigError> {
        let whole = |message: String| ConfigError {
            line: 0,
            column: 0,
            message,
        };
        let v: Value =
            serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| ConfigError {
                line: e.line(),
                column: e.column(),
                message: format!("not JSON: {e}"),
            })?;
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
        let targets = |key: &str, required: bool| -> Result<Vec<Map<String, Value>>, ConfigError> {
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

    fn is_enabled(&self) -> bool {
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

/// A notice in a preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub warning: bool,
    pub text: String,
}

fn warn(text: impl Into<String>) -> Note {
    Note {
        warning: true,
        text: text.into(),
    }
}

fn info(text: impl Into<String>) -> Note {
    Note {
        warning: false,
        text: text.into(),
    }
}

/// What a PATCH does to one collection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListEffect {
    /// JSON path of the collection (`includeTargets`, `keyRestrictions.aaGuids`).
    pub property: String,
    /// False when the body does not carry the list, so the stored one stays untouched.
    pub sent: bool,
    pub added: Vec<String>,
    /// Each removed item with the reason it is not carried over.
    pub removed: Vec<(String, String)>,
    pub kept: Vec<String>,
}

/// The preview of one PATCH: what each stored list becomes, and what to know before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchEffect {
    pub method: Method,
    /// The configuration was not pasted; the service default was assumed.
    pub assumed_default: bool,
    pub lists: Vec<ListEffect>,
    pub notes: Vec<Note>,
}

impl fmt::Display for PatchEffect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Effect of PATCH {} ({}):",
            self.method.path(),
            self.method.label()
        )?;
        writeln!(
            f,
            "A PATCH replaces each list it sends as a whole; the lists below are the current ones merged \
             with the new entries, so nothing is dropped unless listed under \"removed\"."
        )?;
        if self.assumed_default {
            writeln!(
                f,
                "No current configuration was given: this assumes the service default (method disabled, \
                 target all_users, no AAGUID list). The script checks this before sending and stops if the \
                 tenant differs; paste the GET response for an exact preview."
            )?;
        }
        for l in &self.lists {
            if !l.sent {
                writeln!(
                    f,
                    "  {}: not sent, stays as stored ({})",
                    l.property,
                    list_or_none(&l.kept)
                )?;
                continue;
            }
            writeln!(f, "  {}:", l.property)?;
            writeln!(f, "    added:   {}", list_or_none(&l.added))?;
            if l.removed.is_empty() {
                writeln!(f, "    removed: (none)")?;
            } else {
                for (item, why) in &l.removed {
                    writeln!(f, "    removed: {item} ({why})")?;
                }
            }
            writeln!(f, "    kept:    {}", list_or_none(&l.kept))?;
        }
        for n in &self.notes {
            writeln!(
                f,
                "{} {}",
                if n.warning { "warning:" } else { "note:" },
                n.text
            )?;
        }
        Ok(())
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

/// A PATCH body with its preview and the state it was built against.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodPatch {
    pub method: Method,
    pub body: Value,
    pub effect: PatchEffect,
    /// [`CurrentConfig::fingerprint`] of the configuration the body was merged with.
    pub expected_current: String,
}

/// Checks a pilot group id: an object id (GUID). [`PILOT_GROUP_PLACEHOLDER`] is accepted too,
/// for bundles and scripts that create the group first.
pub fn check_group_id(field: &'static str, id: &str) -> Result<(), SettingError> {
    if is_guid(id) || id == PILOT_GROUP_PLACEHOLDER {
        Ok(())
    } else {
        Err(setting(
            field,
            format!("{id:?} is not a group object id: expected a GUID like 00000000-0000-0000-0000-000000000000"),
        ))
    }
}

fn target_label(t: &Map<String, Value>) -> String {
    let id = t.get("id").and_then(Value::as_str).unwrap_or("");
    match t.get("targetType").and_then(Value::as_str) {
        Some(kind) => format!("{kind} {id}"),
        None => id.to_string(),
    }
}

/// The include targets after adding the pilot group, and their effect.
///
/// Kept when the method is enabled: those users rely on it today. Dropped when it is disabled:
/// a target of a disabled method grants nothing, and carrying it into a PATCH that enables the
/// method would switch passkeys (or TAPs) on for all of it — for the default `all_users`
/// target, for everyone — when the pilot is meant to be one group.
fn merge_targets(
    current: &CurrentConfig,
    pilot: Map<String, Value>,
) -> (Vec<Value>, ListEffect, Vec<Note>) {
    let pilot_id = pilot
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut effect = ListEffect {
        property: "includeTargets".into(),
        sent: true,
        ..Default::default()
    };
    let mut notes = Vec::new();
    let mut out = Vec::new();
    let mut has_pilot = false;
    for t in &current.include_targets {
        let id = t.get("id").and_then(Value::as_str).unwrap_or("");
        if !current.is_enabled() {
            effect.removed.push((
                target_label(t),
                "the method is disabled, so this target grants nothing today; keeping it while enabling \
                 the method would turn the method on for it as well, not just for the pilot"
                    .into(),
            ));
            continue;
        }
        if id.eq_ignore_ascii_case(&pilot_id) {
            has_pilot = true;
        }
        effect.kept.push(target_label(t));
        out.push(Value::Object(t.clone()));
    }
    if !has_pilot {
        effect.added.push(target_label(&pilot));
        out.push(Value::Object(pilot));
    }
    if current.exclude_targets.iter().any(|t| {
        t.get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| id.eq_ignore_ascii_case(&pilot_id))
    }) {
        notes.push(warn(format!(
            "the pilot group {pilot_id} is also in excludeTargets; an exclusion overrides every inclusion, \
             so its members still cannot use the method. Remove it from the exclusions in the admin center."
        )));
    }
    if current.is_enabled() && effect.kept.iter().any(|k| k.ends_with(" all_users")) {
        notes.push(info(
            "the method already targets all_users; adding the pilot group changes who can use it only through \
             the settings that apply to everyone (key restrictions, attestation).",
        ));
    }
    (out, effect, notes)
}

fn excludes_effect(current: &CurrentConfig) -> ListEffect {
    ListEffect {
        property: "excludeTargets".into(),
        sent: false,
        kept: current.exclude_targets.iter().map(target_label).collect(),
        ..Default::default()
    }
}

fn pilot_target(group_id: &str) -> Map<String, Value> {
    let mut t = Map::new();
    t.insert("targetType".into(), json!("group"));
    t.insert("id".into(), json!(group_id));
    t.insert("isRegistrationRequired".into(), json!(false));
    t
}

/// The admin's passkey choices.
#[derive(Debug, Clone, PartialEq)]
pub struct PasskeySettings {
    /// The pilot security group's object id (or [`PILOT_GROUP_PLACEHOLDER`]).
    pub pilot_group: String,
    /// AAGUIDs to allow next to Microsoft Authenticator's two (e.g. security keys in use).
    pub extra_aaguids: Vec<Aaguid>,
    /// `isAttestationEnforced`: only genuine Authenticator apps / keys can register (§2.2).
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
    pub fn allowed_aaguids(&self) -> Vec<Aaguid> {
        let mut out = Aaguid::authenticator().to_vec();
        for a in &self.extra_aaguids {
            if !out.contains(a) {
                out.push(a.clone());
            }
        }
        out
    }
}

/// The FIDO2 PATCH (passkey-methods-policy.md §6.1): method enabled for the pilot group,
/// attestation as chosen, an allow list of AAGUIDs (Authenticator's, the admin's, and the ones
/// already allowed), self-service set-up as chosen — merged with `current` (see module docs).
///
/// Refuses a tenant that opted in to passkey profiles: there the top-level key restrictions
/// are deprecated and how they interact with profiles is undocumented (§1.4), so the pilot
/// belongs in a profile (§6.2).
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
                 isAttestationEnforced this builder writes are deprecated and their interaction with profiles is \
                 undocumented. Add a profile \"Passkeys in Microsoft Authenticator\" (device-bound, attestation \
                 registrationOnly, allow list of the Authenticator AAGUIDs) for the pilot group in the admin \
                 center instead, as Microsoft Learn's \"Enable passkeys in Microsoft Authenticator\" describes for a targeted \
                 rollout with passkey profiles.",
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
            aa.added.push(match a.known_name() {
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

/// The admin's Temporary Access Pass choices (§4; limits from the resource page).
#[derive(Debug, Clone, PartialEq)]
pub struct TapSettings {
    pub pilot_group: String,
    /// `defaultLifetimeInMinutes`, between the minimum and the maximum.
    pub lifetime_minutes: i32,
    pub minimum_lifetime_minutes: i32,
    pub maximum_lifetime_minutes: i32,
    /// `defaultLength`, 8–48.
    pub length: i32,
    /// `isUsableOnce`: every TAP in the tenant is one-time.
    pub one_time: bool,
}

impl TapSettings {
    /// One-time, 60 minutes (the reference's onboarding example), service defaults otherwise.
    pub fn new(pilot_group: &str) -> TapSettings {
        TapSettings {
            pilot_group: pilot_group.to_string(),
            lifetime_minutes: 60,
            minimum_lifetime_minutes: 60,
            maximum_lifetime_minutes: 480,
            length: 8,
            one_time: true,
        }
    }

    fn validate(&self) -> Result<(), SettingError> {
        check_group_id("pilot_group", &self.pilot_group)?;
        if !(8..=48).contains(&self.length) {
            return Err(setting(
                "length",
                format!("{} characters: a TAP has 8 to 48", self.length),
            ));
        }
        for (field, v) in [
            ("minimum_lifetime_minutes", self.minimum_lifetime_minutes),
            ("maximum_lifetime_minutes", self.maximum_lifetime_minutes),
            ("lifetime_minutes", self.lifetime_minutes),
        ] {
            if !(10..=43200).contains(&v) {
                return Err(setting(
                    field,
                    format!("{v} minutes: Graph allows 10 to 43200 (30 days)"),
                ));
            }
        }
        if self.minimum_lifetime_minutes > self.maximum_lifetime_minutes {
            return Err(setting(
                "minimum_lifetime_minutes",
                format!(
                    "the minimum ({}) is above the maximum ({})",
                    self.minimum_lifetime_minutes, self.maximum_lifetime_minutes
                ),
            ));
        }
        if !(self.minimum_lifetime_minutes..=self.maximum_lifetime_minutes)
            .contains(&self.lifetime_minutes)
        {
            return Err(setting(
                "lifetime_minutes",
                format!(
                    "{} minutes is outside the minimum-maximum range {}-{}",
                    self.lifetime_minutes,
                    self.minimum_lifetime_minutes,
                    self.maximum_lifetime_minutes
                ),
            ));
        }
        Ok(())
    }
}

/// The TAP PATCH: the method enabled for the pilot group, so a user with no MFA method can sign
/// in to Authenticator with a TAP and register a passkey there (§4). Only users the TAP method
/// targets can sign in with a TAP, which is why the pilot group must be in it.
pub fn tap_patch(
    settings: &TapSettings,
    current: &CurrentConfig,
) -> Result<MethodPatch, SettingError> {
    settings.validate()?;
    if current.method != Method::TemporaryAccessPass {
        return Err(setting(
            "current",
            "the pasted configuration is not the Temporary Access Pass one",
        ));
    }
    let (targets, target_effect, mut notes) =
        merge_targets(current, pilot_target(&settings.pilot_group));
    if settings.one_time {
        notes.push(info(
            "isUsableOnce is tenant-wide: every TAP becomes one-time. After signing in with a one-time TAP the \
             user has 10 minutes to register the passkey.",
        ));
    }
    notes.push(info(format!(
        "issue a TAP per user with POST /users/{{id}}/authentication/temporaryAccessPassMethods \
         (New-MgUserAuthenticationTemporaryAccessPassMethod); that needs UserAuthenticationMethod.ReadWrite.All \
         and the Authentication Administrator role, and the code is shown only once. Lifetime {} minutes.",
        settings.lifetime_minutes
    )));
    let body = json!({
        "@odata.type": Method::TemporaryAccessPass.odata_type(),
        "state": "enabled",
        "defaultLifetimeInMinutes": settings.lifetime_minutes,
        "defaultLength": settings.length,
        "minimumLifetimeInMinutes": settings.minimum_lifetime_minutes,
        "maximumLifetimeInMinutes": settings.maximum_lifetime_minutes,
        "isUsableOnce": settings.one_time,
        "includeTargets": targets,
    });
    Ok(MethodPatch {
        method: Method::TemporaryAccessPass,
        body,
        effect: PatchEffect {
            method: Method::TemporaryAccessPass,
            assumed_default: current.assumed,
            lists: vec![target_effect, excludes_effect(current)],
            notes,
        },
        expected_current: current.fingerprint(),
    })
}
