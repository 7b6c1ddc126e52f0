//! A policy in plain words: who is included and excluded, which resources or user actions,
//! each condition, the grant and session controls, and the state, with names beside ids
//! ([`Labels::describe_in`]: the admin's names, then the catalogue of built-in roles and
//! Microsoft apps). Read from the POST body, so the words are about the bytes Graph receives;
//! whatever the wording below does not know is listed under "Other settings" as path and JSON,
//! so nothing a policy sets is left out of the document.

use serde_json::{Map, Value};

use super::document::{Block, Section};
use crate::names::{Labels, Slot};
use crate::policy::Policy;

/// The policy's display name, or a stand-in when it has none.
pub fn policy_name(body: &Value) -> String {
    match body.get("displayName").and_then(Value::as_str) {
        Some(n) if !n.trim().is_empty() => n.to_string(),
        _ => "(no display name)".into(),
    }
}

/// The state in words.
pub fn state_words(state: Option<&str>) -> String {
    match state {
        Some("enabled") => "On (enforced)".into(),
        Some("enabledForReportingButNotEnforced") => {
            "Report-only (evaluated and logged, not enforced)".into()
        }
        Some("disabled") => "Off".into(),
        Some(other) => other.to_string(),
        None => "not set (Graph creates it On)".into(),
    }
}

/// The section for one policy (`number` counts from 1).
pub fn policy_section(number: usize, policy: &Policy, labels: &Labels) -> Section {
    let body = policy.to_post_body();
    let mut rest = body.clone();
    let mut facts = Vec::new();
    let mut fact = |term: &str, words: String| {
        if !words.is_empty() {
            facts.push((term.to_string(), words));
        }
    };
    take(&mut rest, &["displayName"]);
    if let Some(Value::String(id)) = take(&mut rest, &["id"]) {
        fact("Id", id);
    }
    let state = take(&mut rest, &["state"]);
    fact("State", state_words(state.as_ref().and_then(Value::as_str)));

    for (term, side) in [("Users included", "include"), ("Users excluded", "exclude")] {
        fact(term, users(&mut rest, side, labels));
    }
    fact("Resources", resources(&mut rest, labels));
    for (term, path, kind) in CONDITIONS {
        let words = match take(&mut rest, path) {
            Some(v) => condition(&v, *kind, labels),
            None => continue,
        };
        fact(term, words);
    }
    fact("Grant", grant(&mut rest, labels));
    if let Some(Value::Object(session)) = take(&mut rest, &["sessionControls"]) {
        fact("Session", session_words(&session));
    }
    let mut other = vec![];
    leaves("", &rest, &mut other);
    let mut section = Section::new(3, format!("{number}. {}", policy_name(&body)));
    section.push(Block::Facts(facts));
    if !other.is_empty() {
        section.push(Block::Paragraph(
            "Other settings, as Graph takes them:".into(),
        ));
        section.push(Block::List(other));
    }
    section
}

#[derive(Clone, Copy)]
enum Kind {
    Strings,
    Locations,
    Platforms,
    Filter,
    Object,
}

const CONDITIONS: &[(&str, &[&str], Kind)] = &[
    (
        "Client apps",
        &["conditions", "clientAppTypes"],
        Kind::Strings,
    ),
    ("Platforms", &["conditions", "platforms"], Kind::Platforms),
    ("Locations", &["conditions", "locations"], Kind::Locations),
    (
        "Sign-in risk",
        &["conditions", "signInRiskLevels"],
        Kind::Strings,
    ),
    (
        "User risk",
        &["conditions", "userRiskLevels"],
        Kind::Strings,
    ),
    (
        "Service principal risk",
        &["conditions", "servicePrincipalRiskLevels"],
        Kind::Strings,
    ),
    (
        "Insider risk",
        &["conditions", "insiderRiskLevels"],
        Kind::Strings,
    ),
    ("Devices", &["conditions", "devices"], Kind::Filter),
    (
        "Authentication flows",
        &["conditions", "authenticationFlows"],
        Kind::Object,
    ),
    (
        "Workload identities",
        &["conditions", "clientApplications"],
        Kind::Object,
    ),
];

/// Removes the value at `path` from `v` and returns it, unless it is unset (`null`, `[]`,
/// `{}`: Graph's way of saying nothing is set).
fn take(v: &mut Value, path: &[&str]) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut at = v;
    for p in parents {
        at = at.get_mut(*p)?;
    }
    let found = at.as_object_mut()?.remove(*last)?;
    (!unset(&found)).then_some(found)
}

fn unset(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.values().all(unset),
        _ => false,
    }
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().map(scalar).collect(),
        other => vec![scalar(other)],
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn named(v: &Value, slot: Slot, labels: &Labels) -> Vec<String> {
    strings(v)
        .iter()
        .map(|id| labels.describe_in(slot, id))
        .collect()
}

fn users(rest: &mut Value, side: &str, labels: &Labels) -> String {
    let mut parts = vec![];
    for (key, what) in [("Users", "users"), ("Groups", "groups"), ("Roles", "roles")] {
        if let Some(v) = take(rest, &["conditions", "users", &format!("{side}{key}")]) {
            parts.push(format!(
                "{what}: {}",
                named(&v, Slot::Users, labels).join("; ")
            ));
        }
    }
    let guests = format!("{side}GuestsOrExternalUsers");
    if let Some(Value::Object(g)) = take(rest, &["conditions", "users", &guests]) {
        let kinds = g
            .get("guestOrExternalUserTypes")
            .map(scalar)
            .unwrap_or_default();
        let tenants = match g.get("externalTenants") {
            Some(Value::Object(t)) => match t.get("members") {
                Some(m) if !unset(m) => format!(" from tenants {}", strings(m).join(", ")),
                _ => format!(
                    " from {} tenants",
                    t.get("membershipKind").map(scalar).unwrap_or("all".into())
                ),
            },
            _ => String::new(),
        };
        parts.push(format!("guests or external users: {kinds}{tenants}"));
    }
    if side == "exclude" && parts.is_empty() {
        return "nobody".into();
    }
    parts.join(" · ")
}

fn resources(rest: &mut Value, labels: &Labels) -> String {
    let apps = |k: &'static str| ["conditions", "applications", k];
    let mut parts = vec![];
    if let Some(v) = take(rest, &apps("includeApplications")) {
        parts.push(named(&v, Slot::Applications, labels).join("; "));
    }
    if let Some(v) = take(rest, &apps("excludeApplications")) {
        parts.push(format!(
            "except {}",
            named(&v, Slot::Applications, labels).join("; ")
        ));
    }
    if let Some(v) = take(rest, &apps("includeUserActions")) {
        parts.push(format!(
            "user action: {}",
            named(&v, Slot::Applications, labels).join("; ")
        ));
    }
    if let Some(v) = take(rest, &apps("includeAuthenticationContextClassReferences")) {
        parts.push(format!(
            "authentication context: {}",
            strings(&v).join(", ")
        ));
    }
    if let Some(Value::Object(f)) = take(rest, &apps("applicationFilter")) {
        parts.push(format!("apps {}", filter_words(&f)));
    }
    parts.join(" · ")
}

fn filter_words(f: &Map<String, Value>) -> String {
    let mode = f.get("mode").map(scalar).unwrap_or_default();
    let rule = f.get("rule").map(scalar).unwrap_or_default();
    format!("{mode}d where {rule}")
}

fn include_exclude(o: &Map<String, Value>, name: impl Fn(&Value) -> Vec<String>) -> String {
    let mut parts = vec![];
    for (key, word) in [("include", "include"), ("exclude", "except")] {
        let found = o
            .iter()
            .find(|(k, v)| k.starts_with(key) && !unset(v))
            .map(|(_, v)| v);
        if let Some(v) = found {
            parts.push(format!("{word} {}", name(v).join("; ")));
        }
    }
    parts.join(", ")
}

fn condition(v: &Value, kind: Kind, labels: &Labels) -> String {
    match (kind, v) {
        (Kind::Locations, Value::Object(o)) => {
            include_exclude(o, |v| named(v, Slot::Locations, labels))
        }
        (Kind::Platforms, Value::Object(o)) => include_exclude(o, strings),
        (Kind::Filter, Value::Object(o)) => match o.get("deviceFilter") {
            Some(Value::Object(f)) => format!("devices {}", filter_words(f)),
            _ => object_words(o),
        },
        (Kind::Object, Value::Object(o)) => object_words(o),
        _ => strings(v).join(", "),
    }
}

/// `key: value` pairs of an object whose wording this module does not specialise.
fn object_words(o: &Map<String, Value>) -> String {
    let mut out = vec![];
    leaves("", &Value::Object(o.clone()), &mut out);
    out.join("; ")
}

/// Every set leaf below `v` as `path: value` (lists as their entries, comma-separated).
fn leaves(path: &str, v: &Value, out: &mut Vec<String>) {
    match v {
        _ if unset(v) => {}
        Value::Object(o) => {
            for (k, v) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                leaves(&p, v, out);
            }
        }
        Value::Array(a) if a.iter().all(|e| !e.is_object()) => {
            out.push(format!("{path}: {}", strings(v).join(", ")))
        }
        other => out.push(format!("{path}: {other}")),
    }
}

fn control_words(c: &str) -> String {
    match c {
        "block" => "block access",
        "mfa" => "multifactor authentication",
        "compliantDevice" => "a device marked compliant",
        "domainJoinedDevice" => "a Microsoft Entra hybrid joined device",
        "approvedApplication" => "an approved client app",
        "compliantApplication" => "an app protection policy",
        "passwordChange" => "a password change",
        other => other,
    }
    .to_string()
}

fn grant(rest: &mut Value, labels: &Labels) -> String {
    let g = |k: &'static str| ["grantControls", k];
    let operator = take(rest, &g("operator"))
        .map(|v| scalar(&v))
        .unwrap_or_else(|| "OR".into());
    let mut parts: Vec<String> = vec![];
    let controls = take(rest, &g("builtInControls"))
        .map(|v| strings(&v))
        .unwrap_or_default();
    if controls.iter().any(|c| c == "block") {
        parts.push("block access".into());
    }
    parts.extend(
        controls
            .iter()
            .filter(|c| *c != "block")
            .map(|c| control_words(c)),
    );
    if let Some(Value::Object(s)) = take(rest, &g("authenticationStrength")) {
        let id = s.get("id").map(scalar).unwrap_or_default();
        let strength = match s.get("displayName").and_then(Value::as_str) {
            Some(n) => format!("{n} ({id})"),
            None => labels.describe(&id),
        };
        parts.push(format!("authentication strength {strength}"));
    }
    if let Some(v) = take(rest, &g("termsOfUse")) {
        parts.push(format!(
            "terms of use {}",
            named(&v, Slot::Users, labels).join("; ")
        ));
    }
    if let Some(v) = take(rest, &g("customAuthenticationFactors")) {
        parts.push(format!("custom controls {}", strings(&v).join(", ")));
    }
    match parts.len() {
        0 => "none (the policy grants access as the other policies decide)".into(),
        _ if parts[0] == "block access" => parts.join(", "),
        1 => format!("require {}", parts[0]),
        _ => {
            let joiner = if operator == "AND" { " and " } else { " or " };
            let word = if operator == "AND" {
                "all of"
            } else {
                "one of"
            };
            format!("require {word}: {}", parts.join(joiner))
        }
    }
}

fn session_words(s: &Map<String, Value>) -> String {
    let mut parts = vec![];
    for (k, v) in s {
        if unset(v) {
            continue;
        }
        let o = v.as_object();
        let get = |key: &str| o.and_then(|o| o.get(key)).map(scalar).unwrap_or_default();
        parts.push(match k.as_str() {
            "signInFrequency" if get("frequencyInterval") == "everyTime" => {
                "sign-in frequency: every time".to_string()
            }
            "signInFrequency" => {
                format!("sign-in frequency: every {} {}", get("value"), get("type"))
            }
            "persistentBrowser" => format!("persistent browser session: {}", get("mode")),
            "applicationEnforcedRestrictions" => "app enforced restrictions".to_string(),
            "cloudAppSecurity" => format!(
                "Conditional Access App Control: {}",
                get("cloudAppSecurityType")
            ),
            "disableResilienceDefaults" => format!("resilience defaults disabled: {v}"),
            _ => {
                let mut inner = vec![];
                leaves(k, v, &mut inner);
                inner.join("; ")
            }
        });
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn words(v: Value) -> Vec<(String, String)> {
        let p: Policy = serde_json::from_value(v).unwrap();
        match &policy_section(1, &p, &Labels::new()).blocks[0] {
            Block::Facts(f) => f.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn fact<'a>(f: &'a [(String, String)], term: &str) -> &'a str {
        f.iter().find(|(t, _)| t == term).map_or("", |(_, w)| w)
    }

    #[test]
    fn grants_read_as_the_operator_says() {
        let both = words(json!({"displayName": "x", "conditions": {},
            "grantControls": {"operator": "AND", "builtInControls": ["mfa", "compliantDevice"]}}));
        assert_eq!(
            fact(&both, "Grant"),
            "require all of: multifactor authentication and a device marked compliant"
        );
        let block = words(json!({"displayName": "x", "conditions": {},
            "grantControls": {"operator": "OR", "builtInControls": ["block"]}}));
        assert_eq!(fact(&block, "Grant"), "block access");
    }

    #[test]
    fn what_the_wording_does_not_know_is_still_listed() {
        let p: Policy = serde_json::from_value(json!({"displayName": "x",
            "conditions": {"users": {"includeUsers": ["All"]}, "futureCondition": {"a": 1}}}))
        .unwrap();
        let s = policy_section(1, &p, &Labels::new());
        assert!(
            s.blocks
                .iter()
                .any(|b| matches!(b, Block::List(l) if l.contains(&"conditions.futureCondition.a: 1".to_string()))),
            "{s:?}"
        );
    }
}
