//! Reading a policy the way the service reads it, for the audit, the lint and the What-If.
//!
//! - Absent and `null` collections are "not configured" (the service returns `[]` for them).
//! - A scalar where a list belongs (`"includeUsers": "All"`, a common slip) is read as a
//!   one-element list: the SDK's `-BodyParameter` coerces it so, and the admin clearly meant it.
//!   The lint reports the shape; everyone else sees what was meant.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::policy::model::*;

/// The policy's state, with the unknown and missing cases kept apart from the three real ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    On,
    ReportOnly,
    Off,
    /// Absent, null, or a value Graph does not define: the service would refuse the policy.
    Invalid(String),
}

impl State {
    pub fn of(p: &Policy) -> State {
        match &p.state {
            Field::Value(PolicyState::Enabled) => State::On,
            Field::Value(PolicyState::EnabledForReportingButNotEnforced) => State::ReportOnly,
            Field::Value(PolicyState::Disabled) => State::Off,
            Field::Value(PolicyState::Unknown(s)) => State::Invalid(s.clone()),
            Field::Absent => State::Invalid("(absent)".into()),
            Field::Null => State::Invalid("null".into()),
            Field::Mismatch(v) => State::Invalid(v.to_string()),
        }
    }

    pub fn label(&self) -> &str {
        match self {
            State::On => "On",
            State::ReportOnly => "Report-only",
            State::Off => "Off",
            State::Invalid(s) => s,
        }
    }
}

/// The display name, or a placeholder that says it is missing.
pub fn name(p: &Policy) -> &str {
    match &p.display_name {
        Field::Value(s) => s,
        _ => "(no display name)",
    }
}

pub fn conditions(p: &Policy) -> Option<&ConditionSet> {
    p.conditions.value()
}

pub fn users(p: &Policy) -> Option<&Users> {
    conditions(p).and_then(|c| c.users.value())
}

pub fn applications(p: &Policy) -> Option<&Applications> {
    conditions(p).and_then(|c| c.applications.value())
}

/// A list of strings; a scalar string is a one-element list; anything else is empty.
pub fn strings(f: &Field<Vec<String>>) -> Vec<&str> {
    match f {
        Field::Value(v) => v.iter().map(String::as_str).collect(),
        Field::Mismatch(Value::String(s)) => vec![s.as_str()],
        Field::Mismatch(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A list of enum members (`clientAppTypes`, `includePlatforms`, risk levels); a scalar member is
/// a one-element list.
pub fn members<T: DeserializeOwned + Clone>(f: &Field<Vec<T>>) -> Vec<T> {
    match f {
        Field::Value(v) => v.clone(),
        Field::Mismatch(v @ Value::String(_)) => T::deserialize(v).ok().into_iter().collect(),
        _ => Vec::new(),
    }
}

/// `a` contains `b`, ignoring ASCII case (object ids and tokens such as `All` come in any case
/// from hand-written files; GUIDs are case-insensitive).
pub fn has(list: &[&str], item: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(item))
}

/// True when the policy's users condition includes `All` users.
pub fn includes_all_users(p: &Policy) -> bool {
    users(p).is_some_and(|u| has(&strings(&u.include_users), "All"))
}

/// True when the policy targets `All` resources.
pub fn targets_all_resources(p: &Policy) -> bool {
    applications(p).is_some_and(|a| has(&strings(&a.include_applications), "All"))
}
