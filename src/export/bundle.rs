//! The rollout as a bundle for a policies-as-code repository: one JSON file per request, in
//! the order to send them, a `manifest.json` (method, path, permission and placeholders of
//! each) and a `README.md`. `powershell::rollout_script` writes the same plan as one script.

use serde_json::{json, Value};

use crate::builders::app_protection::APP_PROTECTION_FOR_AUTHENTICATOR;
use crate::builders::methods::{
    Method, StepKind, METHODS_PERMISSION, METHODS_ROLE, PILOT_GROUP_PLACEHOLDER,
};
use crate::builders::risk::licence_notes;
use crate::builders::rollout::{PasskeyChange, PilotGroup, ProfileRollout, Rollout};
use crate::builders::strength::{self, STRENGTH_PERMISSION, STRENGTH_PLACEHOLDER};
use crate::export::graph_json::{pretty_body, GROUPS_PATH, POLICIES_PATH};

/// One file of the bundle: a path relative to the bundle's root, and its text.
pub type BundleFile = (String, String);

/// The rollout as a bundle: one JSON file per request, in the order to send them, a `manifest.json`
/// saying method, path, permission and placeholders of each, and a `README.md`.
pub fn rollout_bundle(rollout: &Rollout) -> Vec<BundleFile> {
    let mut files: Vec<BundleFile> = Vec::new();
    let mut steps = Vec::new();
    let mut step = |files: &mut Vec<BundleFile>,
                    file: String,
                    method: &str,
                    path: String,
                    permission: &str,
                    what: String,
                    body: Option<&Value>,
                    extra: Value| {
        let mut s = json!({
            "order": steps.len() + 1,
            "file": file,
            "method": method,
            "path": path,
            "permission": permission,
            "description": what,
        });
        if let (Value::Object(s), Value::Object(extra)) = (&mut s, extra) {
            s.extend(extra);
            // A request without a body (a GET) has no file.
            if s["file"] == "" {
                s.remove("file");
            }
        }
        if let Some(b) = body {
            files.push((
                s["file"].as_str().unwrap_or_default().to_string(),
                format!("{}\n", pretty_body(b)),
            ));
        }
        steps.push(s);
    };
    if let PilotGroup::Create(g) = &rollout.pilot {
        step(&mut files, "00-pilot-group.json".into(), "POST", GROUPS_PATH.into(), "Group.ReadWrite.All",
            "Create the pilot security group (skip if a group of this name exists); its id replaces PILOT_GROUP_ID in the later files.".into(),
            Some(g), json!({ "provides": PILOT_GROUP_PLACEHOLDER }));
    }
    let mut methods = vec![("20-tap-method.json", &rollout.tap)];
    match &rollout.fido2 {
        PasskeyChange::Patch(p) => methods.insert(0, ("10-passkey-method.json", p)),
        PasskeyChange::Profiles(r) => {
            let path = Method::Fido2.path();
            let name = &r.plan.profile_name;
            let read = json!({
                "passkeyProfiles": r.read.profiles.iter().map(|p| p.body()).collect::<Vec<_>>(),
                "includeTargets": r.read.current.include_targets,
            });
            if let Some(body) = r.step(StepKind::Profiles) {
                step(&mut files, "11-passkey-profile-add.json".into(), "PATCH", path.into(), METHODS_PERMISSION,
                    format!("Add the passkey profile {name:?} (role: {METHODS_ROLE}): every existing profile sent back unchanged (one left out is deleted), the new one without an id. Skip it if a profile of this name exists. Send it only while passkeyProfiles and includeTargets are still expectCurrent."),
                    Some(body), json!({ "expectCurrent": read }));
            }
            step(&mut files, String::new(), "GET", path.into(), "Policy.Read.AuthenticationMethod",
                format!("Read the configuration back: the id of the one profile named {name:?} replaces {} in the next file (stop if not exactly one profile has the name).", r.placeholder()),
                None, json!({ "provides": r.placeholder() }));
            if let Some(body) = r.step(StepKind::Targets) {
                step(&mut files, "13-passkey-profile-target.json".into(), "PATCH", path.into(), METHODS_PERMISSION,
                    format!("Target the pilot group with the passkey profile {name:?}: every existing target sent back unchanged (the list is replaced whole). Send it only while includeTargets are still expectCurrent's and the profiles are the ones step 11 sent."),
                    Some(body), json!({ "expectCurrent": read, "needs": r.placeholder() }));
            }
        }
    }
    for (file, patch) in methods {
        step(&mut files, file.into(), "PATCH", patch.method.path().into(), METHODS_PERMISSION,
            format!("{} method configuration (role: {METHODS_ROLE}). A PATCH replaces includeTargets and aaGuids whole: the lists here are merged with the configuration the plan was built from.", patch.method.label()),
            Some(&patch.body), json!({ "expectCurrent": patch.expected_current, "assumedServiceDefault": patch.effect.assumed_default }));
    }
    let strength_body = strength::strength_body(&rollout.strength).unwrap_or_default();
    let combination = strength::combination_body(&rollout.strength).unwrap_or_default();
    step(
        &mut files,
        "30-auth-strength.json".into(),
        "POST",
        strength::STRENGTH_PATH.into(),
        STRENGTH_PERMISSION,
        "Custom authentication strength; its id replaces STRENGTH_ID in the later files.".into(),
        Some(&strength_body),
        json!({ "provides": STRENGTH_PLACEHOLDER }),
    );
    step(
        &mut files,
        "31-auth-strength-aaguids.json".into(),
        "POST",
        strength::combination_path(STRENGTH_PLACEHOLDER),
        STRENGTH_PERMISSION,
        "Restrict the strength's passkeys to the allowed AAGUIDs.".into(),
        Some(&combination),
        json!({}),
    );
    for (i, p) in rollout.policies.iter().enumerate() {
        let name = p.body["displayName"].as_str().unwrap_or_default();
        step(
            &mut files,
            format!("{}-ca-{}.json", 40 + i, p.slug),
            "POST",
            POLICIES_PATH.into(),
            "Policy.ReadWrite.ConditionalAccess",
            format!("Conditional Access policy {name:?}, Report-only."),
            Some(&p.body),
            json!({}),
        );
    }
    let switch_on = json!({ "state": "enabled" });
    files.push((
        "90-switch-on.json".into(),
        format!("{}\n", pretty_body(&switch_on)),
    ));
    steps.push(json!({
        "order": steps.len() + 1,
        "file": "90-switch-on.json",
        "method": "PATCH",
        "path": format!("{POLICIES_PATH}/{{id of each policy above}}"),
        "permission": "Policy.ReadWrite.ConditionalAccess",
        "description": "LATER, after reviewing the Report-only results in the sign-in logs: switch each policy On.",
        "later": true,
        "policies": rollout.policy_names(),
    }));
    let mut manifest = json!({
        "generatedBy": "ca-builder",
        "apiVersion": "v1.0",
        "placeholders": {
            PILOT_GROUP_PLACEHOLDER: match &rollout.pilot {
                PilotGroup::Existing(_) => "not used: the pilot group id is in the files",
                PilotGroup::Create(_) => "the id of the group created by 00-pilot-group.json",
            },
            STRENGTH_PLACEHOLDER: "the id returned by 30-auth-strength.json",
        },

        "licences": licence_notes(),
        "steps": steps,
    });
    if let (PasskeyChange::Profiles(r), Some(p)) =
        (&rollout.fido2, manifest["placeholders"].as_object_mut())
    {
        p.insert(r.placeholder(), json!(profile_fill(r)));
    }
    files.push((
        "manifest.json".into(),
        format!("{}\n", pretty_body(&manifest)),
    ));
    files.push(("README.md".into(), readme(rollout, &manifest)));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// How the profile id placeholder is filled, for the manifest and the README.
fn profile_fill(r: &ProfileRollout) -> String {
    format!(
        "the id of the one profile named {:?} in the configuration read back after 11-passkey-profile-add.json (GET {}); stop if not exactly one profile has that name",
        r.plan.profile_name,
        Method::Fido2.path()
    )
}

fn readme(rollout: &Rollout, manifest: &Value) -> String {
    let mut s = String::from("# Passkey rollout (generated by ca-builder)\n\nSend the requests in this order (Graph v1.0). `manifest.json` has the same list in machine-readable form.\n\n| # | file | request | permission |\n| --- | --- | --- | --- |\n");
    for st in manifest["steps"].as_array().into_iter().flatten() {
        let file = match st["file"].as_str() {
            Some(f) => format!("`{f}`"),
            None => "(no body)".into(),
        };
        s.push_str(&format!(
            "| {} | {} | `{} {}` | `{}` |\n",
            st["order"],
            file,
            st["method"].as_str().unwrap_or(""),
            st["path"].as_str().unwrap_or(""),
            st["permission"].as_str().unwrap_or("")
        ));
    }
    s.push_str("\nEvery Conditional Access policy is created in Report-only. Switch them On (step `90-switch-on.json`) only after the sign-in logs' Report-only results look right.\n\n");
    match &rollout.fido2 {
        PasskeyChange::Patch(p) => {
            s.push_str("Before sending `10-passkey-method.json` and `20-tap-method.json`, GET the configuration and compare it with `expectCurrent` in the manifest: a PATCH replaces the target and AAGUID lists whole, and these files were merged with that state.\n\n## What happens to the stored lists\n\n```\n");
            s.push_str(&p.effect.to_string());
            s.push('\n');
        }
        PasskeyChange::Profiles(r) => {
            s.push_str(&format!(
                "This tenant is on passkey profiles: the passkey steps are ordered and never one PATCH. Before each PATCH, GET the configuration and compare it with `expectCurrent` in the manifest (both lists are replaced whole). `{}` in `13-passkey-profile-target.json` is filled with {}.\n\n",
                r.placeholder(),
                profile_fill(r)
            ));
            if r.plan.undo.is_some() {
                s.push_str("Should the target step fail on the policy size limit, remove the new profile again: PATCH `passkeyProfiles` with the list in `expectCurrent`.\n\n");
            }
            s.push_str("## What happens to the stored lists\n\n```\n");
            for n in &r.plan.notes {
                s.push_str(&format!("{}\n", n.text));
            }
        }
    }
    s.push_str(&rollout.tap.effect.to_string());
    s.push_str("```\n\n## Licences\n\n");
    for l in licence_notes() {
        s.push_str(&format!("- {l}\n"));
    }
    s.push_str("\n## App Protection for Microsoft Authenticator\n\n");
    s.push_str(&APP_PROTECTION_FOR_AUTHENTICATOR.text());
    if !rollout.notes.is_empty() {
        s.push_str("\n## Changes made while building the plan\n\n");
        for n in &rollout.notes {
            s.push_str(&format!("- {n}\n"));
        }
    }
    s
}
