//! The passkey rollout on a tenant with passkey profiles, as the page runs it: what it
//! previews (the configuration in words, each PATCH as a diff against what was read), and the
//! step machine that sends the plan.
//!
//! Why a machine: the service assigns a new profile's id, so the pilot profile is added in one
//! PATCH (every existing profile echoed, the new one without an id), read back, and only then
//! targeted. Between the steps the tenant may change, and the admin may stop, so:
//! - before each PATCH the configuration is read again and nothing is sent if it is not the
//!   one the step was previewed on (the preview for the first step, the read-back of the add
//!   for the target step);
//! - after the add, the new id is found in the read-back and written where the placeholder is;
//! - a size or limit error on the target step after an add gives the PATCH that removes the
//!   added profile again (the plan's undo);
//! - a fresh read rebuilds the plan from what the tenant holds, so a run stopped halfway
//!   resumes with the missing steps and a finished one has none.
//!
//! [`send_next`] drives one step over Graph; the rest is pure.

// `GraphError` is returned as `crate::graph` returns it (large, and kept whole for the page).
#![allow(clippy::result_large_err)]

use serde_json::{Map, Value};
use std::fmt;

use super::error::AppError;
use super::rollout::MethodsSettings;
use crate::builders::methods::{
    describe, fill_profile_id, find_profile_id, first_read_notes, placeholder, profile_plan,
    Fido2Config, Method as AuthMethod, Note, PlanError, PlanStep, ProfilePlan, ProfileSettings,
    ProfilesConfig, StepKind,
};
use crate::export::graph_json::pretty_body;
use crate::graph::auth_methods::get_method_config;
use crate::graph::{ApiVersion, Graph, GraphError, GraphOp, GraphUrl, Method, Request, Transport};

/// One step as the page previews it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepPreview {
    pub kind: StepKind,
    /// What the step does, in a line.
    pub title: String,
    /// The body against what was read: `=` kept, `~` changed, `+` added.
    pub diff: String,
    /// The body as sent (the target step's with the placeholder until the id is read back).
    pub body: String,
}

/// What the page shows for a profiles configuration before anything is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfilesPreview {
    /// The configuration in words (`describe`).
    pub words: String,
    /// What the admin should hear first about what was read.
    pub first_read: Vec<Note>,
    /// Nothing was pasted or read: what was assumed instead, and how to get the real one.
    pub assumed: Option<String>,
    /// The plan, or why there is none.
    pub plan: Result<ProfilePlan, AppError>,
    pub steps: Vec<StepPreview>,
}

fn label(t: &Map<String, Value>) -> String {
    let id = t.get("id").and_then(Value::as_str).unwrap_or("");
    match t.get("targetType").and_then(Value::as_str) {
        Some(kind) => format!("{kind} {id}"),
        None => id.to_string(),
    }
}

fn profile_label(p: &Value) -> String {
    let name = p.get("name").and_then(Value::as_str).unwrap_or("");
    match p.get("id").and_then(Value::as_str) {
        Some(id) => format!("profile {name:?} ({id})"),
        None => format!("profile {name:?} (new: the service assigns its id)"),
    }
}

/// The members of `after` that differ from `before`, as `key: old → new`.
fn changed_members(before: &Value, after: &Value) -> Vec<String> {
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| {
            let show = |v: Option<&Value>| v.map_or("(absent)".to_string(), Value::to_string);
            format!("{k}: {} → {}", show(b.get(k)), show(a.get(k)))
        })
        .collect()
}

/// `list` (the body's) against `read` (the stored list), element by element, matched by id.
fn list_diff(read: &[Value], list: &[Value], name: impl Fn(&Value) -> String) -> String {
    let id = |v: &Value| {
        v.get("id")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
    };
    let mut lines = Vec::new();
    for v in list {
        let old = id(v).and_then(|i| read.iter().find(|r| id(r).as_deref() == Some(i.as_str())));
        match old {
            Some(old) if old == v => lines.push(format!("= {} (as read)", name(v))),
            Some(old) => lines.push(format!(
                "~ {}: {}",
                name(v),
                changed_members(old, v).join("; ")
            )),
            None => lines.push(format!("+ {}: {}", name(v), v)),
        }
    }
    for r in read {
        if !list.iter().any(|v| id(v).is_some() && id(v) == id(r)) {
            lines.push(format!("- {} (removed)", name(r)));
        }
    }
    lines.join("\n")
}

fn step_preview(cfg: &ProfilesConfig, plan: &ProfilePlan, step: &PlanStep) -> StepPreview {
    let list = |key: &str| {
        step.body
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (title, diff) = match step.kind {
        StepKind::Profiles => {
            let read: Vec<Value> = cfg.profiles.iter().map(|p| p.body()).collect();
            (
                format!(
                    "Add the profile {:?}: PATCH passkeyProfiles, every profile as read and the new one without an id",
                    plan.profile_name
                ),
                list_diff(&read, &list("passkeyProfiles"), profile_label),
            )
        }
        StepKind::Targets => {
            let read: Vec<Value> = cfg
                .current
                .include_targets
                .iter()
                .cloned()
                .map(Value::Object)
                .collect();
            let by = |v: &Value| v.as_object().map(label).unwrap_or_default();
            (
                match step.needs_profile_id {
                    true => format!(
                        "Read the configuration back, then target the pilot: PATCH includeTargets with the new profile's id in place of {}",
                        placeholder(&plan.profile_name)
                    ),
                    false => "Target the pilot: PATCH includeTargets, every target as read and the pilot allowed the profile".to_string(),
                },
                list_diff(&read, &list("includeTargets"), |v| format!("target {}", by(v))),
            )
        }
    };
    StepPreview {
        kind: step.kind,
        title,
        diff,
        body: pretty_body(&step.body),
    }
}

/// What the panel says when it plans over [`ProfilesConfig::assumed_migrated`].
pub const ASSUMED_CONFIGURATION: &str = "Nothing was pasted or read, so this plan assumes Microsoft's default \
    migrated configuration: one \"Default passkey profile\" (device-bound and synced passkeys, attestation off, no \
    key restrictions) targeting all users, the shape tenants with passkeys on were migrated to in 2026, with no \
    opt-out. Your tenant may hold other profiles or targets (and one whose passkey method was \
    off may still have the older shape). To plan over the real one, paste the GET response of \
    /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2 in the box above, or connect in \
    the Microsoft Graph panel and read it; nothing can be sent over the assumption.";

/// The preview of `cfg` (the configuration read) under `settings`.
pub fn preview(cfg: &ProfilesConfig, settings: &ProfileSettings) -> ProfilesPreview {
    // No pilot group yet is a step not taken, not a malformed id: say which step.
    let plan = if settings.pilot_group.trim().is_empty() {
        Err(AppError::NoPilotForMethods)
    } else {
        profile_plan(settings, cfg).map_err(AppError::ProfilePlan)
    };
    let steps = match &plan {
        Ok(p) => p.steps.iter().map(|s| step_preview(cfg, p, s)).collect(),
        Err(_) => vec![],
    };
    ProfilesPreview {
        words: describe(cfg),
        first_read: first_read_notes(cfg),
        assumed: cfg.is_assumed().then(|| ASSUMED_CONFIGURATION.to_string()),
        plan,
        steps,
    }
}

/// The pilot profile's settings from the passkey panel's form: its pilot, attestation and
/// extra AAGUIDs; the rest as the documented rollout has them.
pub fn profile_settings(s: &MethodsSettings) -> ProfileSettings {
    let mut out = ProfileSettings::new(&s.pilot);
    out.attestation = s.rollout.passkey.enforce_attestation;
    out.extra_aaguids = s.rollout.passkey.extra_aaguids.clone();
    out
}

/// Where a step is.
#[derive(Debug, Clone, PartialEq)]
pub enum StepState {
    Pending,
    Done,
    /// Nothing was sent for it; why.
    Refused(String),
    /// Its PATCH failed; what Graph said.
    Failed(String),
    /// The run was undone after it (the added profile removed again).
    Undone,
}

impl StepState {
    /// The `data-state` the page writes.
    pub fn name(&self) -> &'static str {
        match self {
            StepState::Pending => "pending",
            StepState::Done => "done",
            StepState::Refused(_) => "refused",
            StepState::Failed(_) => "failed",
            StepState::Undone => "undone",
        }
    }
}

/// Why the next PATCH is not sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The tenant holds something else than the step was previewed on; the members that differ.
    Changed { members: Vec<String> },
    /// The configuration read is not on profiles, or not readable.
    Unreadable(String),
    /// The read-back after the add does not hold the new profile (or holds it twice).
    ReadBack(String),
    /// The read-back is not what the step makes of the configuration: the plan over it differs.
    Unexpected(String),
    /// No step is left.
    Finished,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Changed { members } => write!(
                f,
                "the passkey configuration changed since it was previewed ({}); nothing was sent. Review the preview of what it holds now",
                members.join(", ")
            ),
            Refusal::Unreadable(m) => write!(f, "the passkey configuration read cannot be used: {m}"),
            Refusal::ReadBack(m) => f.write_str(m),
            Refusal::Unexpected(m) => write!(
                f,
                "the configuration read back is not what the step gives ({m}); nothing more was sent. Read it again and review the new preview"
            ),
            Refusal::Finished => f.write_str("every step was sent"),
        }
    }
}

/// Reads a GET response as a profiles configuration.
pub fn read_profiles(text: &str) -> Result<ProfilesConfig, Refusal> {
    match Fido2Config::parse(text) {
        Ok(Fido2Config::Profiles(c)) => Ok(c),
        Ok(Fido2Config::Legacy(_)) => Err(Refusal::Unreadable(
            "it has no passkeyProfiles (the tenant is not on passkey profiles)".into(),
        )),
        Err(e) => Err(Refusal::Unreadable(e.message)),
    }
}

/// The top-level members whose values differ between two reads (annotations aside).
fn differing(a: &ProfilesConfig, b: &ProfilesConfig) -> Vec<String> {
    let mut keys: Vec<&String> = a.raw.keys().chain(b.raw.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.raw.get(*k) != b.raw.get(*k))
        .cloned()
        .collect()
}

/// A size or limit error, as the service words them (HTTP 400).
pub fn is_limit_error(status: Option<u16>, message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    status == Some(400) && (m.contains("size") || m.contains("limit") || m.contains("exceed"))
}

/// What the page does after a failed PATCH.
#[derive(Debug, Clone, PartialEq)]
pub enum AfterError {
    /// Stop; nothing to undo (the failed PATCH changed nothing, and no earlier step added a profile).
    Stop,
    /// Send this `passkeyProfiles` PATCH (after a re-read, [`StepMachine::undo_body`]) to
    /// remove the profile the add step created.
    Undo,
}

/// The plan being sent, one step at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct StepMachine {
    settings: ProfileSettings,
    plan: ProfilePlan,
    /// What the next step was previewed on: the first read, then each step's read-back.
    baseline: ProfilesConfig,
    /// The read before the add (for [`find_profile_id`]).
    before_add: ProfilesConfig,
    pub states: Vec<StepState>,
    next: usize,
    /// The add step was sent in this run (so an undo has something to remove).
    added: bool,
    /// The last configuration read back, as GET returned it.
    pub read_back: Option<String>,
    /// The configuration a refused step was re-read as: what to preview again.
    pub refused_on: Option<String>,
}

impl StepMachine {
    /// The machine over the configuration previewed and its plan.
    pub fn new(
        read: &ProfilesConfig,
        settings: &ProfileSettings,
    ) -> Result<StepMachine, PlanError> {
        let plan = profile_plan(settings, read)?;
        Ok(StepMachine {
            settings: settings.clone(),
            states: vec![StepState::Pending; plan.steps.len()],
            plan,
            baseline: read.clone(),
            before_add: read.clone(),
            next: 0,
            added: false,
            read_back: None,
            refused_on: None,
        })
    }

    /// The run is about `cfg`: the configuration it started from, or the last read-back.
    pub fn is_about(&self, cfg: &ProfilesConfig) -> bool {
        *cfg == self.before_add || *cfg == self.baseline
    }

    pub fn plan(&self) -> &ProfilePlan {
        &self.plan
    }

    /// The index of the step to send next, `None` when every step was sent (or the run stopped).
    pub fn next_step(&self) -> Option<usize> {
        (self.next < self.plan.steps.len() && self.states[self.next] == StepState::Pending)
            .then_some(self.next)
    }

    pub fn is_finished(&self) -> bool {
        self.states.iter().all(|s| *s == StepState::Done)
    }

    /// Given the configuration re-read just before the next PATCH: its body, or why nothing
    /// is sent (the step is then marked refused).
    pub fn before_send(&mut self, now: &str) -> Result<Value, Refusal> {
        let Some(i) = self.next_step() else {
            return Err(Refusal::Finished);
        };
        let out = read_profiles(now).and_then(|now| {
            let members = differing(&self.baseline, &now);
            let step = &self.plan.steps[i];
            match (members.is_empty(), step.needs_profile_id) {
                (false, _) => Err(Refusal::Changed { members }),
                // Never a target naming a profile whose id is not known yet.
                (true, true) => Err(Refusal::ReadBack(
                    "the new profile's id was not read back; nothing was targeted".into(),
                )),
                (true, false) => Ok(step.body.clone()),
            }
        });
        if let Err(e) = &out {
            self.states[i] = StepState::Refused(e.to_string());
            self.refused_on = Some(now.to_string());
        }
        out
    }

    /// The PATCH of the next step was accepted; `read_back` is the GET that followed it.
    /// After the add, the new profile's id is found in it and filled into the target step;
    /// after every step, the plan over it must be exactly the steps left.
    pub fn after_sent(&mut self, read_back: &str) -> Result<(), Refusal> {
        let Some(i) = self.next_step() else {
            return Err(Refusal::Finished);
        };
        self.states[i] = StepState::Done;
        self.next += 1;
        self.read_back = Some(read_back.to_string());
        let after = match read_profiles(read_back) {
            Ok(a) => a,
            Err(e) => {
                self.refuse_rest(&e);
                return Err(e);
            }
        };
        if self.plan.steps[i].kind == StepKind::Profiles {
            self.added = true;
            let name = self.plan.profile_name.clone();
            let id = find_profile_id(&self.before_add, &after, &name)
                .map_err(|e| Refusal::ReadBack(e.to_string()));
            let id = match id {
                Ok(id) => id,
                Err(e) => {
                    self.refuse_rest(&e);
                    return Err(e);
                }
            };
            for s in &mut self.plan.steps[self.next..] {
                if s.needs_profile_id {
                    s.body = fill_profile_id(&s.body, &name, &id);
                    s.needs_profile_id = false;
                }
            }
            self.plan.profile_id = Some(id);
        }
        // The read-back must be the step and nothing else: the plan over it is the steps left
        // (none after the last one).
        let rest: Vec<(StepKind, &Value)> = self.plan.steps[self.next..]
            .iter()
            .map(|s| (s.kind, &s.body))
            .collect();
        let check = match profile_plan(&self.settings, &after) {
            Ok(p)
                if p.steps
                    .iter()
                    .map(|s| (s.kind, &s.body))
                    .eq(rest.iter().copied()) =>
            {
                Ok(())
            }
            Ok(p) => Err(Refusal::Unexpected(format!(
                "the plan over it is {} step(s), {} were left",
                p.steps.len(),
                rest.len()
            ))),
            Err(e) => Err(Refusal::Unexpected(e.to_string())),
        };
        if let Err(e) = check {
            self.refuse_rest(&e);
            return Err(e);
        }
        self.baseline = after;
        Ok(())
    }

    fn refuse_rest(&mut self, why: &Refusal) {
        for s in &mut self.states[self.next..] {
            *s = StepState::Refused(why.to_string());
        }
    }

    /// The PATCH of the next step failed with `status` and Graph's `message`.
    pub fn after_error(&mut self, status: Option<u16>, message: &str) -> AfterError {
        let Some(i) = self.next_step() else {
            return AfterError::Stop;
        };
        self.states[i] = StepState::Failed(message.to_string());
        match self.added && self.plan.undo.is_some() && is_limit_error(status, message) {
            true => AfterError::Undo,
            false => AfterError::Stop,
        }
    }

    /// Given the configuration re-read before the undo: the undo body, only over the read-back
    /// of the add (someone else's change since is not overwritten).
    pub fn undo_body(&self, now: &str) -> Result<Value, Refusal> {
        let undo = self.plan.undo.clone().ok_or(Refusal::Finished)?;
        let now = read_profiles(now)?;
        let members = differing(&self.baseline, &now);
        match members.is_empty() {
            true => Ok(undo),
            false => Err(Refusal::Changed { members }),
        }
    }

    /// The undo was accepted; `read_back` is the GET that followed it.
    pub fn after_undo(&mut self, read_back: &str) {
        for s in &mut self.states {
            if *s == StepState::Done {
                *s = StepState::Undone;
            }
        }
        self.read_back = Some(read_back.to_string());
    }
}

// ---------------------------------------------------------------- over Graph

/// `PATCH …/authenticationMethodConfigurations/fido2` with `body`.
pub fn patch_request(cloud: crate::graph::Cloud, body: &Value) -> Result<Request, GraphError> {
    let op = GraphOp::UpdateAuthMethod;
    let url = GraphUrl::new(cloud, ApiVersion::V1, AuthMethod::Fido2.path())
        .map_err(|e| GraphError::refused_url(op, &e))?;
    Ok(Request::with_body(
        op,
        Method::Patch,
        url,
        pretty_body(body),
    ))
}

async fn read_text<T: Transport>(g: &Graph<T>) -> Result<String, GraphError> {
    let v = g
        .send_json(&get_method_config(g.cloud, AuthMethod::Fido2))
        .await?;
    Ok(pretty_body(&v))
}

/// What [`send_next`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum SendOutcome {
    /// The step was sent and read back.
    Sent,
    /// Nothing was sent.
    Refused(Refusal),
    /// The PATCH failed; `undone` when the added profile was removed again after it.
    Failed { error: String, undone: bool },
}

/// The next step over Graph: re-read, PATCH, read back (and, on a size or limit error after
/// an add, the undo). A failed read is returned as the error: nothing was sent after it.
pub async fn send_next<T: Transport>(
    g: &Graph<T>,
    m: &mut StepMachine,
) -> Result<SendOutcome, GraphError> {
    let now = read_text(g).await?;
    let body = match m.before_send(&now) {
        Ok(b) => b,
        Err(e) => return Ok(SendOutcome::Refused(e)),
    };
    if let Err(e) = g.send(&patch_request(g.cloud, &body)?).await {
        let error = e.user_message();
        return match m.after_error(e.status, &e.message) {
            AfterError::Stop => Ok(SendOutcome::Failed {
                error,
                undone: false,
            }),
            AfterError::Undo => {
                let now = read_text(g).await?;
                let undo = match m.undo_body(&now) {
                    Ok(u) => u,
                    Err(r) => {
                        return Ok(SendOutcome::Failed {
                            error: format!("{error}; the undo was not sent: {r}"),
                            undone: false,
                        })
                    }
                };
                g.send(&patch_request(g.cloud, &undo)?).await?;
                let back = read_text(g).await?;
                m.after_undo(&back);
                Ok(SendOutcome::Failed {
                    error,
                    undone: true,
                })
            }
        };
    }
    let back = read_text(g).await?;
    match m.after_sent(&back) {
        Ok(()) => Ok(SendOutcome::Sent),
        Err(e) => Ok(SendOutcome::Refused(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builders::methods::{PasskeyTypes, PILOT_PROFILE_NAME};
    use serde_json::json;

    const PILOT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    const DEFAULT_ID: &str = "00000000-0000-0000-0000-000000000001";
    const NEW_ID: &str = "84c712c1-8688-4679-8546-a603ff82da46";

    fn migrated() -> Value {
        json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x",
            "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
            "id": "Fido2", "state": "enabled", "isSelfServiceRegistrationAllowed": true,
            "defaultPasskeyProfile": DEFAULT_ID,
            "passkeyProfiles": [{ "id": DEFAULT_ID, "name": "Default passkey profile",
                "passkeyTypes": "deviceBound,synced", "attestationEnforcement": "disabled",
                "keyRestrictions": { "isEnforced": false, "enforcementType": "block", "aaGuids": [] } }],
            "includeTargets": [{ "targetType": "group", "id": "all_users", "isRegistrationRequired": false,
                "allowedPasskeyProfiles": [DEFAULT_ID] }],
            "excludeTargets": []
        })
    }

    fn cfg(v: &Value) -> ProfilesConfig {
        read_profiles(&v.to_string()).unwrap()
    }

    /// What the service does with a PATCH: lists replaced, a profile without an id given one.
    fn service_patch(stored: &Value, body: &Value) -> Value {
        let mut out = stored.clone();
        for (k, v) in body.as_object().unwrap() {
            if k.starts_with('@') {
                continue;
            }
            let mut v = v.clone();
            if k == "passkeyProfiles" {
                for p in v.as_array_mut().unwrap() {
                    if p.get("id").is_none() {
                        p["id"] = json!(NEW_ID);
                    }
                }
            }
            out[k] = v;
        }
        out
    }

    fn settings() -> ProfileSettings {
        ProfileSettings::new(PILOT)
    }

    /// Runs every step against `stored`, returning the configuration at the end.
    fn run(m: &mut StepMachine, mut stored: Value) -> Value {
        while m.next_step().is_some() {
            let body = m.before_send(&stored.to_string()).unwrap();
            assert!(!body.to_string().contains("{{profile-id"), "{body}");
            stored = service_patch(&stored, &body);
            m.after_sent(&stored.to_string()).unwrap();
        }
        stored
    }

    #[test]
    fn the_preview_says_the_configuration_in_words_and_each_step_as_a_diff() {
        let p = preview(&cfg(&migrated()), &settings());
        assert!(
            p.words.contains("\"Default passkey profile\" [Default]"),
            "{}",
            p.words
        );
        assert!(
            p.words.contains("target all users (all_users)"),
            "{}",
            p.words
        );
        assert_eq!(p.first_read.len(), 1);
        assert_eq!(p.steps.len(), 2);
        let add = &p.steps[0];
        assert_eq!(add.kind, StepKind::Profiles);
        assert!(
            add.diff.contains(&format!(
                "= profile \"Default passkey profile\" ({DEFAULT_ID}) (as read)"
            )),
            "{}",
            add.diff
        );
        assert!(
            add.diff.contains(&format!(
                "+ profile {PILOT_PROFILE_NAME:?} (new: the service assigns its id)"
            )),
            "{}",
            add.diff
        );
        let target = &p.steps[1];
        assert!(
            target.diff.contains("= target group all_users (as read)"),
            "{}",
            target.diff
        );
        assert!(
            target.diff.contains(&format!("+ target group {PILOT}")),
            "{}",
            target.diff
        );
        assert!(target.title.contains(&placeholder(PILOT_PROFILE_NAME)));
        assert!(target.body.contains(&placeholder(PILOT_PROFILE_NAME)));
    }

    #[test]
    fn an_assumed_configuration_is_planned_and_says_what_was_assumed() {
        let p = preview(&ProfilesConfig::assumed_migrated(), &settings());
        let said = p.assumed.expect("the assumption is stated");
        assert!(
            said.contains("Microsoft's default migrated configuration"),
            "{said}"
        );
        assert!(said.contains("paste the GET response"), "{said}");
        assert!(
            said.contains("connect in the Microsoft Graph panel"),
            "{said}"
        );
        assert_eq!(
            p.steps.iter().map(|s| s.kind).collect::<Vec<_>>(),
            [StepKind::Profiles, StepKind::Targets]
        );
        // The same configuration read from the tenant is not an assumption.
        assert_eq!(preview(&cfg(&migrated()), &settings()).assumed, None);
    }

    #[test]
    fn a_changed_member_is_shown_as_old_and_new() {
        let mut s = settings();
        s.block_authenticator_in_default = true;
        let p = preview(&cfg(&migrated()), &s);
        assert!(
            p.steps[0]
                .diff
                .contains("~ profile \"Default passkey profile\""),
            "{}",
            p.steps[0].diff
        );
        assert!(
            p.steps[0].diff.contains("keyRestrictions: "),
            "{}",
            p.steps[0].diff
        );
    }

    #[test]
    fn without_a_pilot_group_the_preview_says_which_step_sets_it() {
        let p = preview(&cfg(&migrated()), &ProfileSettings::new(" "));
        assert_eq!(p.plan, Err(AppError::NoPilotForMethods));
        let text = p.plan.unwrap_err().to_string();
        assert!(
            text.starts_with("Set the pilot group in the Pilot phase"),
            "{text}"
        );
        assert!(!text.contains("pilot_group"), "{text}");
        assert!(p.steps.is_empty());
    }

    #[test]
    fn a_plan_error_is_the_preview_with_no_step() {
        let mut s = settings();
        s.passkey_types = PasskeyTypes::BOTH;
        let p = preview(&cfg(&migrated()), &s);
        assert_eq!(
            p.plan,
            Err(AppError::ProfilePlan(PlanError::SyncedWithAttestation))
        );
        assert!(p.steps.is_empty());
        assert!(!p.words.is_empty());
    }

    #[test]
    fn add_read_back_then_target_with_the_id_the_service_gave() {
        let read = migrated();
        let mut m = StepMachine::new(&cfg(&read), &settings()).unwrap();
        let end = run(&mut m, read);
        assert!(m.is_finished());
        assert_eq!(m.plan().profile_id.as_deref(), Some(NEW_ID));
        assert_eq!(
            end["includeTargets"][1]["allowedPasskeyProfiles"],
            json!([NEW_ID])
        );
        assert_eq!(end["passkeyProfiles"].as_array().unwrap().len(), 2);
        assert!(m.read_back.as_deref().unwrap().contains(NEW_ID));
        // A re-run over the finished rollout changes nothing.
        let again = StepMachine::new(&cfg(&end), &settings()).unwrap();
        assert_eq!(again.next_step(), None);
        assert!(again.is_finished());
    }

    #[test]
    fn stopped_after_the_add_a_fresh_read_resumes_with_the_target_only() {
        let read = migrated();
        let mut m = StepMachine::new(&cfg(&read), &settings()).unwrap();
        let body = m.before_send(&read.to_string()).unwrap();
        let stored = service_patch(&read, &body);
        m.after_sent(&stored.to_string()).unwrap();
        // The admin stops here; later the page reads the tenant again.
        let mut fresh = StepMachine::new(&cfg(&stored), &settings()).unwrap();
        assert_eq!(fresh.plan().steps.len(), 1);
        assert_eq!(fresh.plan().steps[0].kind, StepKind::Targets);
        let end = run(&mut fresh, stored);
        assert_eq!(
            end["includeTargets"][1]["allowedPasskeyProfiles"],
            json!([NEW_ID])
        );
        assert_eq!(end["passkeyProfiles"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn a_configuration_changed_since_the_preview_is_not_patched() {
        let read = migrated();
        let mut m = StepMachine::new(&cfg(&read), &settings()).unwrap();
        let mut now = read.clone();
        now["includeTargets"][0]["isRegistrationRequired"] = json!(true);
        let e = m.before_send(&now.to_string()).unwrap_err();
        assert_eq!(
            e,
            Refusal::Changed {
                members: vec!["includeTargets".into()]
            }
        );
        assert!(e.to_string().contains("nothing was sent"));
        assert_eq!(m.refused_on, Some(now.to_string()), "to preview again");
        assert_eq!(m.states[0].name(), "refused");
        assert_eq!(m.next_step(), None, "a refused step stops the run");
        // Annotations are not the configuration.
        let mut m = StepMachine::new(&cfg(&read), &settings()).unwrap();
        let mut now = read.clone();
        now["@odata.context"] = json!("elsewhere");
        assert!(m.before_send(&now.to_string()).is_ok());
    }

    #[test]
    fn a_change_between_the_add_and_the_target_is_not_patched() {
        let read = migrated();
        let mut m = StepMachine::new(&cfg(&read), &settings()).unwrap();
        let body = m.before_send(&read.to_string()).unwrap();
        let stored = service_patch(&read, &body);
        m.after_sent(&stored.to_string()).unwrap();
        let mut now = stored.clone();
        now["excludeTargets"] = json!([{"targetType": "group", "id": PILOT}]);
        let e = m.before_send(&now.to_string()).unwrap_err();
        assert_eq!(
            e,
            Refusal::Changed {
                members: vec!["excludeTargets".into()]
            }
        );
        assert_eq!(m.states[0], StepState::Done);
        assert_eq!(m.states[1].name(), "refused");
    }

    #[test]
    fn a_read_back_without_the_new_profile_stops_before_the_target() {
        let read = migrated();
        let mut m = StepMachine::new(&cfg(&read), &settings()).unwrap();
        m.before_send(&read.to_string()).unwrap();
        let e = m.after_sent(&read.to_string()).unwrap_err();
        assert!(matches!(e, Refusal::ReadBack(_)), "{e:?}");
        assert_eq!(m.states[1].name(), "refused");
        assert_eq!(m.next_step(), None);
    }

    #[test]
    fn a_read_back_with_other_changes_stops_before_the_target() {
        let read = migrated();
        let mut m = StepMachine::new(&cfg(&read), &settings()).unwrap();
        let body = m.before_send(&read.to_string()).unwrap();
        let mut stored = service_patch(&read, &body);
        stored["includeTargets"][0]["isRegistrationRequired"] = json!(true);
        let e = m.after_sent(&stored.to_string()).unwrap_err();
        assert!(matches!(e, Refusal::Unexpected(_)), "{e:?}");
        assert_eq!(m.next_step(), None);
    }

    #[test]
    fn a_target_the_read_back_does_not_hold_is_reported() {
        let read = migrated();
        let mut m = StepMachine::new(&cfg(&read), &settings()).unwrap();
        let body = m.before_send(&read.to_string()).unwrap();
        let stored = service_patch(&read, &body);
        m.after_sent(&stored.to_string()).unwrap();
        m.before_send(&stored.to_string()).unwrap();
        // The service answered 204 but kept the old targets.
        let e = m.after_sent(&stored.to_string()).unwrap_err();
        assert!(matches!(e, Refusal::Unexpected(_)), "{e:?}");
        assert!(e.to_string().contains("1 step(s), 0 were left"), "{e}");
        assert_eq!(m.states[1], StepState::Done, "it was sent");
    }

    #[test]
    fn a_size_error_on_the_target_gives_the_undo_over_the_read_back() {
        let read = migrated();
        let mut m = StepMachine::new(&cfg(&read), &settings()).unwrap();
        let body = m.before_send(&read.to_string()).unwrap();
        let stored = service_patch(&read, &body);
        m.after_sent(&stored.to_string()).unwrap();
        m.before_send(&stored.to_string()).unwrap();
        let after = m.after_error(Some(400), "The policy size exceeds the limit of 20KB.");
        assert_eq!(after, AfterError::Undo);
        assert_eq!(m.states[1].name(), "failed");
        let undo = m.undo_body(&stored.to_string()).unwrap();
        assert_eq!(undo["passkeyProfiles"], json!([read["passkeyProfiles"][0]]));
        let end = service_patch(&stored, &undo);
        m.after_undo(&end.to_string());
        assert_eq!(m.states[0].name(), "undone");
        assert_eq!(end["passkeyProfiles"], read["passkeyProfiles"]);
        // Over a configuration changed since, the undo is not sent.
        let mut other = stored.clone();
        other["state"] = json!("disabled");
        assert!(matches!(
            m.undo_body(&other.to_string()),
            Err(Refusal::Changed { .. })
        ));
    }

    #[test]
    fn other_errors_and_an_error_on_the_add_are_not_undone() {
        let read = migrated();
        let mut m = StepMachine::new(&cfg(&read), &settings()).unwrap();
        m.before_send(&read.to_string()).unwrap();
        assert_eq!(m.after_error(Some(400), "size limit"), AfterError::Stop);
        let mut m = StepMachine::new(&cfg(&read), &settings()).unwrap();
        let body = m.before_send(&read.to_string()).unwrap();
        let stored = service_patch(&read, &body);
        m.after_sent(&stored.to_string()).unwrap();
        m.before_send(&stored.to_string()).unwrap();
        assert_eq!(m.after_error(Some(403), "Forbidden"), AfterError::Stop);
        assert!(!is_limit_error(Some(500), "size"));
        assert!(is_limit_error(
            Some(400),
            "Maximum number of passkey profiles limit reached"
        ));
    }

    #[test]
    fn a_legacy_configuration_is_not_a_profiles_read() {
        let legacy = json!({"id": "Fido2", "state": "enabled", "includeTargets": []});
        assert!(matches!(
            read_profiles(&legacy.to_string()),
            Err(Refusal::Unreadable(_))
        ));
    }
}
