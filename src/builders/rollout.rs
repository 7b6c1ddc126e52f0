//! The whole rollout as one ordered plan: pilot group, the passkey and TAP method
//! configurations, the authentication strength, then the Conditional Access policies in
//! Report-only; switching them On is a separate, later step. The exporters write the plan:
//! `export::bundle` as JSON files for a policies-as-code repository,
//! `export::powershell::rollout_script` as one script.

use serde_json::{json, Value};

use super::methods::{
    placeholder, MethodPatch, ProfilePlan, ProfilesConfig, SettingError, StepKind,
    PILOT_GROUP_PLACEHOLDER,
};
use super::strength::{self, StrengthSettings, STRENGTH_PLACEHOLDER};
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

/// How the rollout changes the passkey (FIDO2) configuration.
// One per rollout, never in a collection: the larger variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum PasskeyChange {
    /// A tenant without passkey profiles: one PATCH.
    Patch(MethodPatch),
    /// A tenant on passkey profiles: the ordered PATCHes of the plan, with the new profile's id
    /// read back between them.
    Profiles(ProfileRollout),
}

impl PasskeyChange {
    /// The single PATCH, when the tenant is not on profiles.
    pub fn patch(&self) -> Option<&MethodPatch> {
        match self {
            PasskeyChange::Patch(p) => Some(p),
            PasskeyChange::Profiles(_) => None,
        }
    }

    /// The include targets the change leaves: the PATCH's, the plan's target step's, or (when
    /// the plan has no target step) the targets as read.
    fn targets_after(&self) -> Vec<Value> {
        let from = |v: &Value| v["includeTargets"].as_array().cloned().unwrap_or_default();
        match self {
            PasskeyChange::Patch(p) => from(&p.body),
            PasskeyChange::Profiles(r) => match r.step(StepKind::Targets) {
                Some(body) => from(body),
                None => r
                    .read
                    .current
                    .include_targets
                    .iter()
                    .cloned()
                    .map(Value::Object)
                    .collect(),
            },
        }
    }
}

/// The profile steps and the configuration they were planned over (the script compares the
/// tenant with it before each PATCH).
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileRollout {
    pub plan: ProfilePlan,
    pub read: ProfilesConfig,
}

impl ProfileRollout {
    /// The body of the plan's step of `kind`, if the plan has one.
    pub fn step(&self, kind: StepKind) -> Option<&Value> {
        self.plan
            .steps
            .iter()
            .find(|s| s.kind == kind)
            .map(|s| &s.body)
    }

    /// `{{profile-id:NAME}}` for the pilot profile.
    pub fn placeholder(&self) -> String {
        placeholder(&self.plan.profile_name)
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
    pub fido2: PasskeyChange,
    pub tap: MethodPatch,
    pub strength: StrengthSettings,
    pub policies: Vec<RolloutPolicy>,
    /// Users the script adds to the pilot group (object ids or user principal names), each
    /// looked up first; see [`Rollout::with_members`].
    pub members: Vec<String>,
    /// What building the plan changed or wants the admin to know (e.g. "state set to Report-only").
    pub notes: Vec<String>,
}

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

/// A pilot member as a script may look it up: an object id, or a user principal name (trimmed).
/// A UPN starting with `$` is refused: `GET /users/{upn}` needs another URL form for it
/// (<https://learn.microsoft.com/graph/api/user-get?view=graph-rest-1.0>), and its object id works.
pub fn check_member(member: &str) -> Result<String, String> {
    let m = member.trim();
    let shown = || crate::filter::escape_for_display(m).into_owned();
    if m.is_empty() {
        return Err("empty: give an object id or a user principal name".into());
    }
    if is_guid(m) {
        return Ok(m.to_ascii_lowercase());
    }
    if m.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "\"{}\" holds a space or a control character; a user principal name has neither",
            shown()
        ));
    }
    match m.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@') => {}
        _ => {
            return Err(format!(
                "\"{}\" is neither an object id (a GUID) nor a user principal name (name@domain)",
                shown()
            ))
        }
    }
    if m.starts_with('$') {
        return Err(format!("\"{}\" starts with $, which Graph's /users/{{upn}} does not take as written: give the user's object id", shown()));
    }
    Ok(m.to_string())
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
        fido2: PasskeyChange,
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
        let tap_targets = tap.body["includeTargets"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (targets, what) in [
            (fido2.targets_after(), "passkey method"),
            (tap_targets, "TAP method"),
        ] {
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
            members: Vec::new(),
            notes,
        })
    }

    /// The plan with the pilot's members: each checked ([`check_member`]; the error names the
    /// member by its place in the list) and kept once, in the order given.
    pub fn with_members(mut self, members: &[String]) -> Result<Rollout, RolloutError> {
        let mut kept: Vec<String> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let m = check_member(m).map_err(|e| err(&format!("member {}", i + 1), e))?;
            if !kept.iter().any(|k| k.eq_ignore_ascii_case(&m)) {
                kept.push(m);
            }
        }
        self.members = kept;
        Ok(self)
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
}
