//! Settings a step holds that its form does not show. A share link, a saved draft or an
//! imported file can carry any property; the form shows only some, so the rest would reach
//! the tenant seen only in the export JSON. This lists them, by JSON path, for the page to
//! show (and have acknowledged) before anything is deployed.
//!
//! What the form shows is what its accessors in `policy::edit` read. So the step's policy is
//! compared with its template (an imported step: an empty policy) after every form input has
//! been copied into it through those same accessors: whatever still differs is not on the form.

use serde_json::{Map, Value};

use super::{initial_policy, short_json, StepKind};
use crate::policy::edit::{self, IdList};
use crate::policy::model::{Field, Policy};

/// One setting the form does not show.
#[derive(Debug, Clone, PartialEq)]
pub struct HiddenSetting {
    /// Dotted JSON path, e.g. `conditions.clientAppTypes`.
    pub path: String,
    /// The step's value; `None` when the step leaves out what the template sets.
    pub value: Option<Value>,
    /// What the template with the form's inputs has there; `None` when nothing.
    pub template: Option<Value>,
}

impl HiddenSetting {
    /// In words, e.g. `This step sets conditions.clientAppTypes to ["other"], which the form
    /// does not show.`
    pub fn message(&self) -> String {
        let (path, shown) = (&self.path, |v: &Value| short_json(v, 120));
        match (&self.value, &self.template) {
            (Some(v), None) => {
                format!("This step sets {path} to {}, which the form does not show.", shown(v))
            }
            (Some(v), Some(t)) => format!(
                "This step sets {path} to {}, which the form does not show (the template has {}).",
                shown(v),
                shown(t)
            ),
            (None, Some(t)) => format!(
                "This step leaves out {path}, which the template sets to {} and the form does not show.",
                shown(t)
            ),
            (None, None) => format!("This step differs at {path}, which the form does not show."),
        }
    }
}

/// The settings of `policy` (a step of `kind`) that the form does not show, in document order.
/// Absent, `null`, `[]` and `{}` count as the same "not set", as they do in a create.
pub fn hidden_settings(kind: StepKind, policy: &Policy) -> Vec<HiddenSetting> {
    let shown = form_view(kind, policy);
    let mut out = vec![];
    diff(
        "",
        prune(policy.to_post_body()).as_ref(),
        prune(shown.to_post_body()).as_ref(),
        &mut out,
    );
    out
}

/// The template with every input the form shows copied from `p`.
fn form_view(kind: StepKind, p: &Policy) -> Policy {
    let mut v = initial_policy(kind);
    v.display_name = match &p.display_name {
        Field::Value(_) => p.display_name.clone(),
        _ => Field::Absent,
    };
    match edit::state(p) {
        Some(s) => edit::set_state(&mut v, s),
        None => v.state = Field::Absent,
    }
    for l in IdList::ALL {
        l.set(&mut v, l.get(p));
    }
    edit::set_client_app_types(&mut v, edit::client_app_types(p));
    for include in [true, false] {
        edit::set_platforms(&mut v, include, edit::platforms(p, include));
    }
    edit::set_grant_controls(&mut v, edit::grant_controls(p));
    match edit::grant_operator(p) {
        Some(op) => edit::set_grant_operator(&mut v, op),
        None => {
            if let Some(g) = v.grant_controls.value_mut() {
                g.operator = Field::Absent;
            }
        }
    }
    edit::set_authentication_strength(&mut v, &edit::authentication_strength(p));
    edit::set_device_filter(&mut v, edit::device_filter(p));
    v
}

/// `v` without `null`, `[]` and `{}` members (recursively); `None` when nothing is left.
fn prune(v: Value) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::Array(a) if a.is_empty() => None,
        Value::Object(o) => {
            let kept: Map<String, Value> = o
                .into_iter()
                .filter_map(|(k, v)| prune(v).map(|v| (k, v)))
                .collect();
            (!kept.is_empty()).then_some(Value::Object(kept))
        }
        other => Some(other),
    }
}

/// Objects are compared key by key (an object on one side only, leaf by leaf too); anything
/// else, lists included, as a whole. The depth is that of parsed JSON, which serde_json limits.
fn diff(path: &str, step: Option<&Value>, shown: Option<&Value>, out: &mut Vec<HiddenSetting>) {
    match (step, shown) {
        (None | Some(Value::Object(_)), None | Some(Value::Object(_)))
            if step.is_some() || shown.is_some() =>
        {
            let empty = Map::new();
            let a = step.and_then(Value::as_object).unwrap_or(&empty);
            let b = shown.and_then(Value::as_object).unwrap_or(&empty);
            for (k, av) in a {
                diff(&join(path, k), Some(av), b.get(k), out);
            }
            for (k, bv) in b {
                if !a.contains_key(k) {
                    diff(&join(path, k), None, Some(bv), out);
                }
            }
        }
        _ if step != shown => out.push(HiddenSetting {
            path: path.to_string(),
            value: step.cloned(),
            template: shown.cloned(),
        }),
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}
