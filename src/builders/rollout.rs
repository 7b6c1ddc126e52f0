//! The whole rollout as one ordered plan: pilot group, the passkey and TAP method
//! configurations, the authentication strength, then the Conditional Access policies in
//! Report-only; switching them On is a separate, later step. [`Rollout::bundle`] writes the
//! plan as JSON files for a policies-as-code repository; `export::powershell::rollout_script`
//! writes it as one script.

use serde_json::{json, Value};

use super::app_protection::APP_PROTECTION_FOR_AUTHENTICATOR;
use super::methods::{
    self, MethodPatch, SettingError, METHODS_PERMISSION, METHODS_ROLE, PILOT_GROUP_PLACEHOLDER,
};
use super::risk::licence_notes;
use super::strength::{self, StrengthSettings, STRENGTH_PERMISSION, STRENGTH_PLACEHOLDER};
use crate::export::graph_json::{pretty_body, GROUPS_PATH, POLICIES_PATH};
use crate::policy::edit::{self, IdList};
use crate::policy::model::{Policy, PolicyState};
use crate::policy::templates::is_guid;

/// How the rollout gets its pilot group.
#[derive(Debug, Clone, PartialEq)]
pub enum PilotGroup {
    /// An existing security group's object id.
    Existing(String),
    /// A `POST /groups` body (`templates::group_body`); the group is found by name or created,
    /// and its id replaces [`PILOT_GROUP_PLACEHOLDER`] everywhere.
    Create(Value),
}

impl PilotGroup {
    /// The id the bodies carry: the real one, or the placeholder.
    pub fn id_in_bodies(&self) -> &str {
        match self {
            PilotGroup::Existing(id) => id,
            PilotGroup::Create(_) => PILOT_GROUP_PLACEHOLDER,
        }
    }
}

/// A Conditional Access policy of the rollout.
#[derive(Debug, Clone, PartialEq)]
pub struct RolloutPolicy {
    /// File-name part, e.g. `pilot`.
    pub slug: String,
    /// POST body, state Report-only; may carry the pilot group / strength placeholders.
    pub body: Value,
}

/// The plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Rollout {
    pub pilot: PilotGroup,
    pub fido2: MethodPatch,
    pub tap: MethodPatch,
    pub strength: StrengthSettings,
    pub policies: Vec<RolloutPolicy>,
    /// What building the plan changed or wants the admin to know (e.g. "state set to Report-only").
    pub notes: Vec<String>,
}

/// One file of the bundle: a path relative to the bundle's root, and its text.
pub type BundleFile = (String, String);

/// Where a plan could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloutError {
    /// What was being built (`pilot group`, `policy pilot`, `fido2`, …).
    pub item: String,
    pub message: String,
}

impl std::fmt::Display for RolloutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.item, self.message)
    }
}

impl std::error::Error for RolloutError {}

fn err(item: &str, message: impl std::fmt::Display) -> RolloutError {
    RolloutError {
        item: item.to_string(),
        message: message.to_string(),
    }
}

/// Slugs are file-name parts: lowercase ASCII letters, digits and `-`.
fn check_slug(slug: &str) -> Result<(), RolloutError> {
    if !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Ok(())
    } else {
        Err(err(
            "policy",
            format!("{slug:?} is not a file-name slug: use a-z, 0-9 and '-'"),
        ))
    }
}

impl Rollout {
    /// Builds the plan. Every policy is forced to Report-only (switching On is the later step);
    /// a policy whose pilot-narrowed `includeGroups` holds the pilot id gets the placeholder when
    /// the group is to be created; `strength_for` names the slugs whose grant becomes the
    /// custom strength (via [`strength::require_strength`]).
    pub fn build(
        pilot: PilotGroup,
        fido2: MethodPatch,
        tap: MethodPatch,
        strength_settings: StrengthSettings,
        policies: Vec<(String, Policy)>,
        strength_for: &[String],
    ) -> Result<Rollout, RolloutError> {
        if let PilotGroup::Existing(id) = &pilot {
            if !is_guid(id) {
                return Err(err(
                    "pilot group",
                    format!("{id:?} is not an object id (a GUID)"),
                ));
            }
        }
        strength::strength_body(&strength_settings)
            .map_err(|e: SettingError| err("authentication strength", e))?;
        for (patch, what) in [(&fido2, "passkey method"), (&tap, "TAP method")] {
            let targets = patch.body["includeTargets"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if !targets
                .iter()
                .any(|t| t["id"] == json!(pilot.id_in_bodies()))
            {
                return Err(err(what, "its includeTargets do not hold the rollout's pilot group; build it with the same pilot group"));
            }
        }
        let mut notes = Vec::new();
        let mut out = Vec::new();
        for s in strength_for {
            if !policies.iter().any(|(slug, _)| slug == s) {
                return Err(err(
                    &format!("policy {s}"),
                    "--strength-for names a policy that is not in the rollout",
                ));
            }
        }
        for (slug, mut policy) in policies {
            check_slug(&slug)?;
            if out.iter().any(|p: &RolloutPolicy| p.slug == slug) {
                return Err(err(
                    &format!("policy {slug}"),
                    "two policies have the same slug",
                ));
            }
            if edit::state(&policy) != Some(PolicyState::EnabledForReportingButNotEnforced) {
                edit::set_state(&mut policy, PolicyState::EnabledForReportingButNotEnforced);
                notes.push(format!(
                    "policy {slug}: state set to Report-only; switching On is the later step"
                ));
            }
            if let PilotGroup::Create(_) = &pilot {
                // The pilot policy carries whatever id the form had; the created group's replaces it.
                let groups = IdList::IncludeGroups.get(&policy);
                if slug == "pilot" || groups.iter().any(|g| g == PILOT_GROUP_PLACEHOLDER) {
                    IdList::IncludeGroups
                        .set(&mut policy, vec![PILOT_GROUP_PLACEHOLDER.to_string()]);
                }
            }
            if strength_for.contains(&slug) {
                let changed = strength::require_strength(&mut policy, STRENGTH_PLACEHOLDER)
                    .map_err(|e| err(&format!("policy {slug}"), e))?;
                notes.extend(changed.into_iter().map(|c| format!("policy {slug}: {c}")));
            }
            out.push(RolloutPolicy {
                slug,
                body: policy.to_post_body(),
            });
        }
        Ok(Rollout {
            pilot,
            fido2,
            tap,
            strength: strength_settings,
            policies: out,
            notes,
        })
    }

    /// Display names of the policies, in order (what the switch-on step looks up).
    pub fn policy_names(&self) -> Vec<String> {
        self.policies
            .iter()
            .map(|p| {
                p.body["displayName"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    }

    /// The bundle: one JSON file per request, in the order to send them, a `manifest.json`
    /// saying method, path, permission and placeholders of each, and a `README.md`.
    pub fn bundle(&self) -> Vec<BundleFile> {
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
            }
            if let Some(b) = body {
                files.push((
                    s["file"].as_str().unwrap_or_default().to_string(),
                    format!("{}\n", pretty_body(b)),
                ));
            }
            steps.push(s);
        };
        if let PilotGroup::Create(g) = &self.pilot {
            step(&mut files, "00-pilot-group.json".into(), "POST", GROUPS_PATH.into(), "Group.ReadWrite.All",
                "Create the pilot security group (skip if a group of this name exists); its id replaces PILOT_GROUP_ID in the later files.".into(),
                Some(g), json!({ "provides": PILOT_GROUP_PLACEHOLDER }));
        }
        for (file, patch) in [
            ("10-passkey-method.json", &self.fido2),
            ("20-tap-method.json", &self.tap),
        ] {
            step(&mut files, file.into(), "PATCH", patch.method.path().into(), METHODS_PERMISSION,
                format!("{} method configuration (role: {METHODS_ROLE}). A PATCH replaces includeTargets and aaGuids whole: the lists here are merged with the configuration the plan was built from.", patch.method.label()),
                Some(&patch.body), json!({ "expectCurrent": patch.expected_current, "assumedServiceDefault": patch.effect.assumed_default }));
        }
        let strength_body = strength::strength_body(&self.strength).unwrap_or_default();
        let combination = strength::combination_body(&self.strength).unwrap_or_default();
        step(
            &mut files,
            "30-auth-strength.json".into(),
            "POST",
            strength::STRENGTH_PATH.into(),
            STRENGTH_PERMISSION,
            "Custom authentication strength; its id replaces STRENGTH_ID in the later files."
                .into(),
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
        for (i, p) in self.policies.iter().enumerate() {
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
            "policies": self.policy_names(),
        }));
        let manifest = json!({
            "generatedBy": "ca-builder",
            "apiVersion": "v1.0",
            "placeholders": {
                PILOT_GROUP_PLACEHOLDER: match &self.pilot {
                    PilotGroup::Existing(_) => "not used: the pilot group id is in the files",
                    PilotGroup::Create(_) => "the id of the group created by 00-pilot-group.json",
                },
                STRENGTH_PLACEHOLDER: "the id returned by 30-auth-strength.json",
            },
            "licences": licence_notes(),
            "steps": steps,
        });
        files.push((
            "manifest.json".into(),
            format!("{}\n", pretty_body(&manifest)),
        ));
        files.push(("README.md".into(), self.readme(&manifest)));
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }

    fn readme(&self, manifest: &Value) -> String {
        let mut s = String::from("# Passkey rollout (generated by ca-builder)\n\nSend the requests in this order (Graph v1.0). `manifest.json` has the same list in machine-readable form.\n\n| # | file | request | permission |\n| --- | --- | --- | --- |\n");
        for st in manifest["steps"].as_array().into_iter().flatten() {
            s.push_str(&format!(
                "| {} | `{}` | `{} {}` | `{}` |\n",
                st["order"],
                st["file"].as_str().unwrap_or(""),
                st["method"].as_str().unwrap_or(""),
                st["path"].as_str().unwrap_or(""),
                st["permission"].as_str().unwrap_or("")
            ));
        }
        s.push_str("\nEvery Conditional Access policy is created in Report-only. Switch them On (step `90-switch-on.json`) only after the sign-in logs' Report-only results look right.\n\n");
        s.push_str("Before sending `10-passkey-method.json` and `20-tap-method.json`, GET the configuration and compare it with `expectCurrent` in the manifest: a PATCH replaces the target and AAGUID lists whole, and these files were merged with that state.\n\n## What happens to the stored lists\n\n```\n");
        s.push_str(&self.fido2.effect.to_string());
        s.push('\n');
        s.push_str(&self.tap.effect.to_string());
        s.push_str("```\n\n## Licences\n\n");
        for l in licence_notes() {
            s.push_str(&format!("- {l}\n"));
        }
        s.push_str("\n## App Protection for Microsoft Authenticator\n\n");
        s.push_str(&APP_PROTECTION_FOR_AUTHENTICATOR.text());
        if !self.notes.is_empty() {
            s.push_str("\n## Changes made while building the plan\n\n");
            for n in &self.notes {
                s.push_str(&format!("- {n}\n"));
            }
        }
        s
    }
}

/// Rebuilds the FIDO2 and TAP patches for a pilot group; a convenience for front ends that
/// take the same settings for both.
pub fn method_patches(
    passkey: &methods::PasskeySettings,
    tap: &methods::TapSettings,
    current_fido2: &methods::CurrentConfig,
    current_tap: &methods::CurrentConfig,
) -> Result<(MethodPatch, MethodPatch), SettingError> {
    Ok((
        methods::fido2_patch(passkey, current_fido2)?,
        methods::tap_patch(tap, current_tap)?,
    ))
}
