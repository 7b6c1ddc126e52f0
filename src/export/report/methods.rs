//! The passkey (FIDO2) and Temporary Access Pass method settings: as the tenant holds them,
//! what each PATCH changes (the builders' preview: each list added, removed with why, kept),
//! and the body that puts the previous settings back.

use serde_json::{json, Map, Value};

use super::document::{Block, Section};
use crate::builders::methods::{CurrentConfig, Method, MethodPatch};
use crate::export::graph_json::pretty_body;

/// One method: its settings as read and the PATCH the rollout sends (or why none is built).
#[derive(Debug, Clone, PartialEq)]
pub struct MethodChange {
    pub current: CurrentConfig,
    pub patch: Result<MethodPatch, String>,
}

/// The method part of the document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MethodsPart {
    pub changes: Vec<MethodChange>,
    /// What was assumed reading the settings.
    pub notes: Vec<String>,
}

fn target_words(t: &Map<String, Value>) -> String {
    let id = t.get("id").and_then(Value::as_str).unwrap_or("");
    let kind = t.get("targetType").and_then(Value::as_str).unwrap_or("");
    let mut s = format!("{kind} {id}").trim().to_string();
    if t.get("isRegistrationRequired") == Some(&Value::Bool(true)) {
        s.push_str(" (registration required)");
    }
    s
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

/// The settings in words.
pub fn settings_facts(c: &CurrentConfig) -> Vec<(String, String)> {
    let targets = |t: &[Map<String, Value>]| list(&t.iter().map(target_words).collect::<Vec<_>>());
    let mut facts = vec![
        (
            "State".to_string(),
            c.state.clone().unwrap_or_else(|| "not given".into()),
        ),
        ("Included".into(), targets(&c.include_targets)),
        ("Excluded".into(), targets(&c.exclude_targets)),
    ];
    if let Some(k) = &c.key_restrictions {
        facts.push((
            "Key restrictions".into(),
            format!(
                "{} ({}), AAGUIDs: {}",
                if k.is_enforced {
                    "enforced"
                } else {
                    "not enforced"
                },
                k.enforcement_type.as_deref().unwrap_or("no type"),
                list(&k.aaguids)
            ),
        ));
    }
    if let Some(a) = c.is_attestation_enforced {
        facts.push(("Attestation enforced".into(), a.to_string()));
    }
    if !c.passkey_profile_ids.is_empty() {
        facts.push(("Passkey profiles".into(), c.passkey_profile_ids.join(", ")));
    }
    if c.assumed {
        facts.push((
            "Source".into(),
            "assumed: the service default for a tenant that never changed the method".into(),
        ));
    }
    facts
}

/// A PATCH that puts `c` back: the state and every list a rollout PATCH replaces.
pub fn restore_body(c: &CurrentConfig) -> Value {
    let mut body = json!({
        "@odata.type": c.method.odata_type(),
        "includeTargets": c.include_targets,
        "excludeTargets": c.exclude_targets,
    });
    if let Some(state) = &c.state {
        body["state"] = json!(state);
    }
    if let Some(k) = &c.key_restrictions {
        let mut kr = json!({ "isEnforced": k.is_enforced, "aaGuids": k.aaguids });
        if let Some(t) = &k.enforcement_type {
            kr["enforcementType"] = json!(t);
        }
        body["keyRestrictions"] = kr;
    }
    if let Some(a) = c.is_attestation_enforced {
        body["isAttestationEnforced"] = json!(a);
    }
    body
}

/// The sections: the part's heading, then per method the settings, the PATCH's effect and
/// its body.
pub fn methods_sections(part: &MethodsPart) -> Vec<Section> {
    let mut head = Section::new(2, "Passkey and Temporary Access Pass settings");
    if !part.notes.is_empty() {
        head.push(Block::List(part.notes.clone()));
    }
    let mut out = vec![head];
    for ch in &part.changes {
        let m: Method = ch.current.method;
        let mut sub = Section::new(3, format!("{} ({})", m.label(), m.path()));
        sub.push(Block::Paragraph("Settings now:".into()));
        sub.push(Block::Facts(settings_facts(&ch.current)));
        match &ch.patch {
            Ok(p) => {
                sub.push(Block::Paragraph(
                    "What the PATCH changes (a PATCH replaces each list it sends whole; these are merged with the settings above):".into(),
                ));
                let mut rows = vec![];
                for l in &p.effect.lists {
                    if !l.sent {
                        rows.push(vec![
                            l.property.clone(),
                            "not sent".into(),
                            String::new(),
                            list(&l.kept),
                        ]);
                        continue;
                    }
                    let removed: Vec<String> = l
                        .removed
                        .iter()
                        .map(|(item, why)| format!("{item} ({why})"))
                        .collect();
                    rows.push(vec![
                        l.property.clone(),
                        list(&l.added),
                        list(&removed),
                        list(&l.kept),
                    ]);
                }
                sub.push(Block::Table {
                    head: vec![
                        "List".into(),
                        "Added".into(),
                        "Removed".into(),
                        "Kept".into(),
                    ],
                    rows,
                });
                let notes: Vec<String> = p
                    .effect
                    .notes
                    .iter()
                    .map(|n| format!("{}{}", if n.warning { "Warning: " } else { "" }, n.text))
                    .collect();
                if !notes.is_empty() {
                    sub.push(Block::List(notes));
                }
                sub.push(Block::Paragraph(format!("PATCH {} with:", m.path())));
                sub.push(Block::Code(pretty_body(&p.body)));
            }
            Err(why) => {
                sub.push(Block::Paragraph(format!("No PATCH is built: {why}")));
            }
        }
        out.push(sub);
    }
    out
}
