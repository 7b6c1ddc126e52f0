//! The include targets a PATCH sends: the stored ones merged with the pilot group, and the check
//! of a pilot group id.

use super::current::CurrentConfig;
use super::effect::{info, warn, ListEffect, Note};
use super::setting_error::{setting, SettingError};
use crate::policy::templates::is_guid;
use serde_json::{json, Map, Value};

/// Placeholder for the pilot group's id where it is not known yet; scripts replace it with the
/// id of the group they find or create.
pub const PILOT_GROUP_PLACEHOLDER: &str = "PILOT_GROUP_ID";

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
pub(super) fn merge_targets(
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

pub(super) fn excludes_effect(current: &CurrentConfig) -> ListEffect {
    ListEffect {
        property: "excludeTargets".into(),
        sent: false,
        kept: current.exclude_targets.iter().map(target_label).collect(),
        ..Default::default()
    }
}

pub(super) fn pilot_target(group_id: &str) -> Map<String, Value> {
    let mut t = Map::new();
    t.insert("targetType".into(), json!("group"));
    t.insert("id".into(), json!(group_id));
    t.insert("isRegistrationRequired".into(), json!(false));
    t
}
