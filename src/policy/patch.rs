//! Request bodies: POST (create) and PATCH (update); what Graph does with them is in
//! `docs/graph.md#creating-and-updating-policies`.
//!
//! Choices (documented because Graph does not document all of them):
//! - POST drops what the service owns: `id`, `createdDateTime`, `modifiedDateTime`,
//!   `deletedDateTime`, `templateId`; every OData annotation (`@odata.context`, `@odata.id`,
//!   `x@odata.type`, `…@odata.navigationLink`, …) and advertised action (`#microsoft.graph.restore`).
//!   The one annotation kept is `@odata.type` on `externalTenants`: the only property reachable
//!   from a policy whose declared type is abstract, so the service needs it to know the type.
//!   An expanded `authenticationStrength` (a GET can return the whole strength policy with its
//!   own read-only dates) is reduced to `{ "id": … }`, the documented write form.
//!   Properties this model does not know (beta fields) are kept: dropping them would silently
//!   change the policy; v1.0 refuses them with a 400 naming them, and the schema check flags them.
//! - PATCH sends only what changed. Nested objects are merged by Graph, so they are diffed key
//!   by key; collections are replaced whole, so a changed list is sent entire (narrowing to a
//!   pilot group sends `includeUsers: []` with `includeGroups: [id]` and leaves the exclusions
//!   alone). Objects whose members only mean something together — a filter's `mode` and `rule`,
//!   `externalTenants` with its `@odata.type`, each session control, `authenticationStrength` —
//!   are sent whole when any member changed.
//! - A property present in `old` and absent in `new` cannot be expressed by omission (omitted
//!   means "keep"), so it is sent cleared: `[]` for a list, `null` otherwise (`null` on
//!   complex properties is the documented way to remove e.g. a device filter). A property that
//!   was `null` and is now absent changed nothing and is not sent.

use serde_json::{Map, Value};

use super::model::Policy;

/// Service-owned properties of `conditionalAccessPolicy`; Graph refuses or ignores them on write.
pub const READ_ONLY: &[&str] = &[
    "id",
    "createdDateTime",
    "modifiedDateTime",
    "deletedDateTime",
    "templateId",
];

/// Objects sent whole in a PATCH when any of their members changed (see module docs).
const ATOMIC: &[&str] = &[
    "deviceFilter",
    "applicationFilter",
    "servicePrincipalFilter",
    "externalTenants",
    "authenticationStrength",
    "applicationEnforcedRestrictions",
    "cloudAppSecurity",
    "persistentBrowser",
    "signInFrequency",
    "secureSignInSession",
];

impl Policy {
    /// The body for `POST /identity/conditionalAccess/policies`.
    pub fn to_post_body(&self) -> Value {
        let mut v = self.to_value();
        if let Value::Object(o) = &mut v {
            for k in READ_ONLY {
                // `shift_remove`: `remove` is `swap_remove` under preserve_order, which would
                // move the last property into the removed one's place.
                o.shift_remove(*k);
            }
        }
        strip_annotations(&mut v, None);
        v
    }
}

/// The body for `PATCH /identity/conditionalAccess/policies/{id}` that turns `old` (as stored)
/// into `new`. `{}` when nothing writable changed.
pub fn to_patch_body(old: &Policy, new: &Policy) -> Value {
    let (old, new) = (old.to_post_body(), new.to_post_body());
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => Value::Object(diff_object(&o, &n)),
        (_, n) => n,
    }
}

fn diff_object(old: &Map<String, Value>, new: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, nv) in new {
        match old.get(k) {
            Some(ov) if ov == nv => {}
            Some(Value::Object(oo)) if !ATOMIC.contains(&k.as_str()) => {
                if let Value::Object(no) = nv {
                    let d = diff_object(oo, no);
                    if !d.is_empty() {
                        out.insert(k.clone(), Value::Object(d));
                    }
                } else {
                    out.insert(k.clone(), nv.clone());
                }
            }
            _ => {
                out.insert(k.clone(), nv.clone());
            }
        }
    }
    for (k, ov) in old {
        if new.contains_key(k) {
            continue;
        }
        match ov {
            Value::Null => {}
            Value::Array(_) => {
                out.insert(k.clone(), Value::Array(vec![]));
            }
            _ => {
                out.insert(k.clone(), Value::Null);
            }
        }
    }
    out
}

/// Removes OData annotations and advertised actions everywhere, keeps `@odata.type` under
/// `externalTenants`, and reduces an expanded `authenticationStrength` to its id.
fn strip_annotations(v: &mut Value, parent_key: Option<&str>) {
    match v {
        Value::Object(o) => {
            o.retain(|k, _| {
                let annotation = k.starts_with('#') || k.contains("@odata.");
                !annotation || (k == "@odata.type" && parent_key == Some("externalTenants"))
            });
            if parent_key == Some("authenticationStrength") {
                if let Some(id) = o.get("id").cloned() {
                    o.clear();
                    o.insert("id".into(), id);
                }
            }
            for (k, child) in o.iter_mut() {
                strip_annotations(child, Some(k));
            }
        }
        Value::Array(items) => {
            for item in items {
                strip_annotations(item, parent_key);
            }
        }
        _ => {}
    }
}
