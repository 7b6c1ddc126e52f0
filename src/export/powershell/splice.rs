//! Ids a script learns only when it runs (the pilot group's, the new strength's): marking their
//! slots in a body and splicing the PowerShell expression that holds them into the literal.

use super::script::{hashtable_expr, literal, Flavour, Script, ScriptError};
use crate::export::graph_json;
use serde_json::Value;

/// Text that never occurs in the serialised body, to mark where the script splices in the
/// group id. Deterministic: the same body always gets the same marker.
pub(super) fn splice_marker(json_without_marker: &str) -> String {
    let base = "ca-builder-pilot-group-id";
    let mut marker = base.to_string();
    let mut n = 0;
    while json_without_marker.contains(&marker) {
        n += 1;
        marker = format!("{base}-{n}");
    }
    marker
}

/// The pretty JSON of `body` with a marker string as the only element of the array at `path`,
/// cut into the text before the marker and the text after it (both ends keep the JSON quotes,
/// so `before + id + after` is the body with `[ "id" ]` there).
pub(super) fn split_at_splice(body: &Value, path: &[&str]) -> (String, String) {
    let marker = splice_marker(&graph_json::pretty_body(body));
    let mut marked = body.clone();
    let mut slot = &mut marked;
    for key in path {
        // `pilot_body` created every object on this path.
        slot = slot
            .get_mut(*key)
            .expect("pilot_body created the splice path");
    }
    *slot = Value::Array(vec![Value::String(marker.clone())]);
    let json = graph_json::pretty_body(&marked);
    // The marker is absent from the unmarked text and needs no JSON escaping, so it occurs
    // exactly once: at the slot.
    let at = json.find(&marker).expect("the marker was just inserted");
    (
        json[..at].to_string(),
        json[at + marker.len()..].to_string(),
    )
}

/// Errors when a body still carries a placeholder a standalone script cannot fill in.
pub(super) fn refuse_placeholder(
    body: &Value,
    placeholder: &str,
    pointer: &str,
    what: &str,
) -> Result<(), ScriptError> {
    let (marked, _) = mark_placeholders(body, placeholder, "");
    if marked != *body {
        return Err(ScriptError::GroupProperty {
            pointer: pointer.to_string(),
            problem: format!("holds the placeholder {placeholder}: give {what} first"),
        });
    }
    Ok(())
}

/// `body` with every id slot holding `placeholder` replaced by a unique marker, and the marker.
/// Only id slots are looked at — an `id` property (`includeTargets[].id`,
/// `authenticationStrength.id`), an element of `includeGroups` or of `allowedPasskeyProfiles`
/// (a passkey profile's id) — so a display name or
/// description that happens to read like a placeholder stays data. The marker occurs nowhere
/// in the body's text nor in `taken` (markers already in use), so after code generation each
/// occurrence is exactly one placeholder.
fn mark_placeholders(body: &Value, placeholder: &str, taken: &str) -> (Value, String) {
    let marker = splice_marker(&format!("{}\n{taken}", graph_json::pretty_body(body)));
    fn walk(v: &mut Value, key: Option<&str>, placeholder: &str, marker: &str) {
        match v {
            Value::String(s)
                if s == placeholder
                    && matches!(key, Some("id" | "includeGroups" | "allowedPasskeyProfiles")) =>
            {
                *s = marker.to_string()
            }
            // Array elements inherit the array's key, so `includeGroups[i]` is an id slot.
            Value::Array(items) => items
                .iter_mut()
                .for_each(|i| walk(i, key, placeholder, marker)),
            Value::Object(map) => map
                .iter_mut()
                .for_each(|(k, i)| walk(i, Some(k), placeholder, marker)),
            _ => {}
        }
    }
    let mut marked = body.clone();
    walk(&mut marked, None, placeholder, &marker);
    (marked, marker)
}

impl Script {
    /// The PowerShell expression for `body` (hashtable for the SDK, JSON string for Invoke)
    /// with each placeholder value replaced by its code expression.
    pub(super) fn spliced_body(
        &self,
        body: &Value,
        subs: &[(&str, &str)],
        location: &str,
    ) -> Result<String, ScriptError> {
        let mut marked = body.clone();
        let mut markers: Vec<(String, &str)> = Vec::new();
        for (placeholder, code) in subs {
            let taken = markers
                .iter()
                .map(|(m, _)| m.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            let (m, marker) = mark_placeholders(&marked, placeholder, &taken);
            marked = m;
            markers.push((marker, *code));
        }
        match self.flavour {
            Flavour::Sdk => {
                let mut text = hashtable_expr(&marked, "")?;
                for (marker, code) in &markers {
                    // The marker is plain ASCII and absent from every value, so its literal is
                    // exactly `'marker'` and occurs only where a placeholder was.
                    text = text.replace(&format!("'{marker}'"), code);
                }
                Ok(text)
            }
            Flavour::Invoke => {
                let json = graph_json::pretty_body(&marked);
                // Cut the JSON at every marker string value (found with its JSON quotes, as one
                // marker may be a prefix of another); the quotes stay in the literals around it.
                let mut parts: Vec<String> = Vec::new();
                let mut rest = json.as_str();
                loop {
                    let next = markers
                        .iter()
                        .filter_map(|(m, code)| {
                            rest.find(&format!("\"{m}\"")).map(|at| (at, m, *code))
                        })
                        .min_by_key(|(at, _, _)| *at);
                    match next {
                        Some((at, m, code)) => {
                            parts.push(literal(&rest[..at + 1], location)?);
                            parts.push(code.to_string());
                            rest = &rest[at + 1 + m.len()..];
                        }
                        None => {
                            parts.push(literal(rest, location)?);
                            break;
                        }
                    }
                }
                Ok(parts.join(" + "))
            }
        }
    }
}
