//! The admin's work in progress in the web app: one policy per rollout step
//! (plus any imported policies), the break-glass accounts declared once for
//! the whole rollout, and which step is open. Pure and serialisable: the app
//! autosaves it, a share link carries it, and every edit goes through
//! [`Draft::apply`], so the reducer is tested natively.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AppError;
use crate::builders::strength::strength_conflicts;
use crate::export::{render, Format, Operation};
use crate::guid::{Guid, GuidKind};
use crate::located::Located;
use crate::names::{LabelError, Labels};
use crate::policy::edit::{self, IdList};
use crate::policy::import_bytes;
use crate::policy::model::*;
use crate::policy::templates::{is_guid, mail_nickname, Template, TemplateParams};

mod hidden;
mod personas;
pub use hidden::{hidden_settings, HiddenSetting};
pub use personas::{can_add, device_kinds, CustomPersona, PersonaError, MAX_PERSONAS};

use super::rollout::{MethodsEdit, MethodsForm};

/// Bumped when a saved draft of an older shape can no longer be read as is.
pub const DRAFT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    MfaCompensating,
    Pilot,
    Hardening,
    ProtectRegistration,
    UserRisk,
    Imported,
}

impl StepKind {
    /// The rollout's own steps, in order.
    pub const ROLLOUT: [StepKind; 5] = [
        StepKind::MfaCompensating,
        StepKind::Pilot,
        StepKind::Hardening,
        StepKind::ProtectRegistration,
        StepKind::UserRisk,
    ];

    pub fn template(self) -> Option<Template> {
        Some(match self {
            StepKind::MfaCompensating => Template::MfaCompensating,
            StepKind::Pilot => Template::Pilot,
            StepKind::Hardening => Template::Hardening,
            StepKind::ProtectRegistration => Template::ProtectRegistration,
            StepKind::UserRisk => Template::UserRisk,
            StepKind::Imported => return None,
        })
    }

    pub fn title(self) -> &'static str {
        match self {
            StepKind::MfaCompensating => "Everyone: compensating control for all users",
            StepKind::Pilot => "Pilot: compensating control for the pilot group",
            StepKind::Hardening => "Harden: only unmanaged devices challenged",
            StepKind::ProtectRegistration => "Pilot: protect security-info registration",
            StepKind::UserRisk => "Harden: user risk remediation",
            StepKind::Imported => "Imported policy",
        }
    }

    /// Why the step exists, in an admin's words.
    pub fn explanation(self) -> &'static str {
        match self {
            StepKind::MfaCompensating => "All users and all resources must do MFA, except on Entra-joined or hybrid-joined devices (device filter, exclude mode). This bridges the gap while phones cannot yet prove compliance because they have no passkey.",
            StepKind::Pilot => "The same policy, narrowed to a pilot security group first. Narrowing clears \"All users\" in the same change: Graph unions includes, so adding a group next to All would still target everyone.",
            StepKind::Hardening => "Exempt only compliant or hybrid-joined devices, so unmanaged and unregistered devices are challenged (positive operators never match an unregistered device, so it is not exempted).",
            StepKind::ProtectRegistration => "Require MFA for the \"Register security information\" user action instead of a compliant device. A Temporary Access Pass satisfies MFA, so new users can still register their first passkey: this is the way out of the compliance catch-22.",
            StepKind::UserRisk => "High user risk requires risk remediation, as Microsoft now recommends: Entra revokes the user's sessions, then a password user makes a secure password change and a passwordless user (a passkey pilot without a password) signs in again with the authentication strength (built-in Multifactor authentication, which a Temporary Access Pass meets), with sign-in frequency Every time. A password change could not remediate passwordless users. Needs Microsoft Entra ID P2; guests are not covered. Hybrid (synced) users remediate a password only with password writeback on and MFA already registered. The legacy ID Protection risk policies retired on 1 October 2026: without this policy (and a sign-in-risk policy: ca-policy template sign-in-risk) a tenant that relied on them has none; remove the legacy MFA registration policy too, which cannot register passkeys.",
            StepKind::Imported => "An existing policy, imported. Every field is kept, including those the form does not show.",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BreakGlass {
    pub users: Vec<String>,
    pub groups: Vec<String>,
    /// The admin said explicitly that there are no emergency-access accounts to exclude.
    pub none_acknowledged: bool,
}

impl BreakGlass {
    pub fn is_declared(&self) -> bool {
        !self.users.is_empty() || !self.groups.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub kind: StepKind,
    pub policy: Policy,
    /// Pilot step: the name of a security group to create when no existing group id is given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub new_group_name: String,
    /// When set, exports update (PATCH) this existing policy instead of creating one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub update_policy_id: String,
}

impl Step {
    /// A step as the rollout starts it: its template with default parameters.
    pub fn new(kind: StepKind) -> Step {
        Step {
            kind,
            policy: initial_policy(kind),
            new_group_name: String::new(),
            update_policy_id: String::new(),
        }
    }

    /// The edits of one step's form (the draft-wide actions are applied by [`Draft::apply`]).
    fn apply(&mut self, action: Action) {
        let p = &mut self.policy;
        match action {
            Action::SetDisplayName(n) => edit::set_display_name(p, n),
            Action::SetState(s) => edit::set_state(p, s),
            Action::SetIdList(l, v) => l.set(p, v),
            Action::SetClientAppTypes(v) => edit::set_client_app_types(p, v),
            Action::SetPlatforms { include, platforms } => {
                edit::set_platforms(p, include, platforms)
            }
            Action::SetGrantControls(v) => edit::set_grant_controls(p, v),
            Action::SetGrantOperator(op) => edit::set_grant_operator(p, op),
            Action::SetAuthenticationStrength(id) => edit::set_authentication_strength(p, &id),
            Action::SetDeviceFilter(f) => edit::set_device_filter(p, f),
            Action::SetPilotGroup(id) => {
                let id = id.trim().to_string();
                if id.is_empty() {
                    IdList::IncludeGroups.set(p, vec![]);
                } else {
                    // Narrowing replaces the includes: `All` next to a group still means everyone.
                    IdList::IncludeUsers.set(p, vec![]);
                    IdList::IncludeGroups.set(p, vec![id]);
                }
            }
            Action::SetNewGroupName(n) => self.new_group_name = n,
            Action::SetUpdatePolicyId(id) => self.update_policy_id = id.trim().to_string(),
            // Draft-wide actions never reach a step.
            Action::Select(_)
            | Action::SetBreakGlassUsers(_)
            | Action::SetBreakGlassGroups(_)
            | Action::AcknowledgeNoBreakGlass(_)
            | Action::SetLabel { .. }
            | Action::Methods(_)
            | Action::AddPersona(_)
            | Action::RemovePersona(_)
            | Action::AddPilotMember(_)
            | Action::RemovePilotMember(_)
            | Action::Import(_)
            | Action::Remove(_)
            | Action::Replace(_) => {}
        }
    }
}

/// What [`Draft::step`] returns for a draft that was built by hand without steps.
fn fallback_step() -> &'static Step {
    static STEP: std::sync::OnceLock<Step> = std::sync::OnceLock::new();
    STEP.get_or_init(|| Step::new(StepKind::MfaCompensating))
}

/// A template step saved without its policy gets its template's (said in the repairs); any
/// other shape is left for the reader to refuse with its message.
fn fill_template_policy(i: usize, step: &mut Value) -> Option<String> {
    let obj = step.as_object_mut()?;
    if obj.contains_key("policy") {
        return None;
    }
    // A template step's kind is its template's name (`StepKind` is kebab-case, as they are).
    let template = Template::from_name(obj.get("kind")?.as_str()?)?;
    let kind = StepKind::ROLLOUT
        .into_iter()
        .find(|k| k.template() == Some(template))?;
    obj.insert("policy".into(), initial_policy(kind).to_value());
    Some(format!(
        "step {} ({}) had no policy: started it from its template",
        i + 1,
        kind.title()
    ))
}

/// A JSON value for a message: compact, at most `max` characters.
fn short_json(v: &Value, max: usize) -> String {
    let text = v.to_string();
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub version: u32,
    /// The open step. Always a valid index: reading and every action keep it so.
    #[serde(default)]
    pub current: usize,
    pub steps: Vec<Step>,
    #[serde(default)]
    pub break_glass: BreakGlass,
    /// Names the admin picked for ids (never secrets: [`Labels`] refuses token-shaped text). A
    /// draft saved before names were kept has none, and still opens.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub labels: Labels,
    /// The passkey and Temporary Access Pass method settings (the passkey panel's form), read
    /// by the passkey panel, the bootstrap grid and the change document. Graph configurations
    /// and settings, never secrets ([`MethodsForm::edit`] refuses token-shaped text). Not
    /// written while the form is as it starts, so older drafts and share links open unchanged.
    #[serde(default, skip_serializing_if = "MethodsForm::is_default")]
    pub methods: MethodsForm,
    /// The admin's own personas, rows of the bootstrap grid after the built-in ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<CustomPersona>,
    /// Users the rollout script adds to the pilot group, as
    /// [`check_member`](crate::builders::rollout::check_member) keeps them: object ids or user
    /// principal names, so never token-shaped text (it refuses that).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pilot_members: Vec<String>,
}

impl Default for Draft {
    fn default() -> Self {
        Draft::new()
    }
}

/// One edit of the draft; the web app's reducer applies these and nothing else.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Select(usize),
    SetDisplayName(String),
    SetState(PolicyState),
    SetIdList(IdList, Vec<String>),
    SetClientAppTypes(Vec<ClientAppType>),
    SetPlatforms {
        include: bool,
        platforms: Vec<DevicePlatform>,
    },
    SetGrantControls(Vec<GrantControl>),
    SetGrantOperator(GrantOperator),
    /// The authentication strength's id; empty removes it.
    SetAuthenticationStrength(String),
    /// `None` removes the device filter.
    SetDeviceFilter(Option<(FilterMode, String)>),
    /// Pilot step: the existing group's object id; narrows the policy to it.
    SetPilotGroup(String),
    SetNewGroupName(String),
    SetUpdatePolicyId(String),
    SetBreakGlassUsers(Vec<String>),
    SetBreakGlassGroups(Vec<String>),
    AcknowledgeNoBreakGlass(bool),
    /// Keeps a name for an id (a picker's choice); a name [`Labels`] refuses is not kept.
    SetLabel {
        id: String,
        name: String,
    },
    /// An edit of the passkey and TAP method settings; token-shaped text is not kept.
    Methods(MethodsEdit),
    /// Adds a persona to the bootstrap grid; one [`can_add`] refuses is not added.
    AddPersona(CustomPersona),
    RemovePersona(usize),
    /// Adds a user to the pilot's members; one [`check_member`](crate::builders::rollout::check_member)
    /// refuses, or one already there (user principal names compare without case), is not added.
    AddPilotMember(String),
    RemovePilotMember(usize),
    /// Adds imported policies as steps and opens the first of them.
    Import(Vec<Policy>),
    /// Removes an imported step (template steps stay).
    Remove(usize),
    Replace(Box<Draft>),
}

/// A draft as read, with what had to be repaired to open it, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub draft: Draft,
    /// E.g. "the open step was 9 but the draft has 5 steps: opened step 1". Empty when the
    /// draft was read as it was.
    pub repairs: Vec<String>,
}

/// Why a saved or shared draft could not be used. Texts that come from the draft (JSON
/// excerpts, serde's messages, which quote the input) are held escaped for display, so a
/// control character from a crafted link never reaches the page or a terminal raw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftLoadError {
    /// Not JSON, or JSON the policy reader refuses (colliding keys, numbers that would change).
    NotJson(crate::located::Located),
    /// A format version this build does not read.
    Version(u64),
    NoVersion,
    NotObject,
    /// `steps` is neither absent nor a list: an excerpt of what it is.
    StepsNotList(String),
    /// The draft's fields do not have the expected types: serde's words.
    Shape(String),
}

impl std::fmt::Display for DraftLoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let escaped = |s: &str| crate::filter::escape_for_display(s).into_owned();
        match self {
            DraftLoadError::NotJson(e) => write!(
                f,
                "the saved draft is not valid JSON ({}:{}: {})",
                e.line,
                e.column,
                escaped(&e.message)
            ),
            DraftLoadError::Version(v) => write!(
                f,
                "the saved draft has format version {v}; this version of ca-builder reads version {DRAFT_VERSION}"
            ),
            DraftLoadError::NoVersion => f.write_str("the saved draft has no format version"),
            DraftLoadError::NotObject => f.write_str("the saved draft is not a JSON object"),
            DraftLoadError::StepsNotList(what) => write!(
                f,
                "the saved draft's steps are {}, not a list",
                escaped(what)
            ),
            DraftLoadError::Shape(why) => write!(
                f,
                "the saved draft does not have the expected shape: {}",
                escaped(why)
            ),
        }
    }
}

impl Draft {
    /// The five rollout steps, each from its template with default parameters, report-only.
    pub fn new() -> Draft {
        let steps = StepKind::ROLLOUT.into_iter().map(Step::new).collect();
        Draft {
            version: DRAFT_VERSION,
            current: 0,
            steps,
            break_glass: BreakGlass::default(),
            labels: Labels::new(),
            methods: MethodsForm::default(),
            personas: Vec::new(),
            pilot_members: Vec::new(),
        }
    }

    /// The open step. Every way a draft is made (new, read, every action) keeps at least one
    /// step and `current` in range; a draft built by hand without steps gets a fresh
    /// template step here rather than a panic.
    pub fn step(&self) -> &Step {
        match self.steps.get(self.current).or(self.steps.last()) {
            Some(s) => s,
            None => fallback_step(),
        }
    }

    fn step_mut(&mut self) -> Option<&mut Step> {
        let i = self.current.min(self.steps.len().saturating_sub(1));
        self.steps.get_mut(i)
    }

    /// Restores the invariants (at least one step; `current` names one) and says what it
    /// changed.
    pub fn repair(&mut self) -> Vec<String> {
        let mut repairs = vec![];
        if self.steps.is_empty() {
            self.steps = Draft::new().steps;
            self.current = 0;
            repairs.push("the draft has no steps: started the five rollout steps afresh".into());
        } else if self.current >= self.steps.len() {
            repairs.push(format!(
                "the open step was {} but the draft has {} step{}: opened step 1",
                self.current.saturating_add(1),
                self.steps.len(),
                if self.steps.len() == 1 { "" } else { "s" }
            ));
            self.current = 0;
        }
        let mut kept: Vec<CustomPersona> = Vec::new();
        for p in std::mem::take(&mut self.personas) {
            match can_add(&kept, &p) {
                Ok(()) => kept.push(p),
                Err(e) => repairs.push(format!("a persona was left out: {e}")),
            }
        }
        self.personas = kept;
        let before = self.pilot_members.len();
        self.pilot_members
            .retain(|m| crate::builders::rollout::check_member(m).as_deref() == Ok(m.as_str()));
        if self.pilot_members.len() < before {
            repairs.push(format!(
                "{} pilot member(s) left out: neither an object id nor a user principal name",
                before - self.pilot_members.len()
            ));
        }
        let m = &mut self.methods;
        for (field, text) in [
            ("the pilot group override", &mut m.pilot_override),
            ("the extra AAGUIDs", &mut m.aaguids),
            ("the TAP lifetime", &mut m.tap_lifetime),
            ("the strength name", &mut m.strength_name),
            ("the current passkey configuration", &mut m.fido2_current),
            ("the current TAP configuration", &mut m.tap_current),
        ] {
            if super::rollout::holds_token(text) {
                text.clear();
                repairs.push(format!(
                    "{field} looked like an access token: emptied (the draft never holds a token)"
                ));
            }
        }
        repairs
    }

    /// Reads a saved or shared draft, repairing what can be repaired and saying so: an open
    /// step that is missing, not a whole number or past the end opens step 1; no steps starts
    /// the rollout afresh; a template step without a policy starts from its template. Anything
    /// else unreadable is an error, never a panic or a silent reset.
    pub fn from_json(text: &str) -> Result<Opened, DraftLoadError> {
        // The policy reader's parse: a crafted link whose step carries `state` and `STATE`
        // (one shown, the other sent) is refused like such a file is.
        let mut value: Value =
            crate::policy::import::parse_json(text).map_err(DraftLoadError::NotJson)?;
        match value.get("version").and_then(Value::as_u64) {
            Some(v) if v == u64::from(DRAFT_VERSION) => {}
            Some(v) => return Err(DraftLoadError::Version(v)),
            None => return Err(DraftLoadError::NoVersion),
        }
        let Some(obj) = value.as_object_mut() else {
            return Err(DraftLoadError::NotObject);
        };
        let mut repairs = vec![];
        // The open step is read by hand: a negative, fractional or huge number must not
        // make the whole draft unreadable.
        let current = match obj.shift_remove("current") {
            None => {
                repairs.push("the draft did not say which step was open: opened step 1".into());
                0
            }
            Some(v) => match v.as_u64().and_then(|n| usize::try_from(n).ok()) {
                Some(n) => n,
                None => {
                    repairs.push(format!(
                        "the open step {} is not a step number: opened step 1",
                        crate::filter::escape_for_display(&short_json(&v, 60))
                    ));
                    0
                }
            },
        };
        match obj.get_mut("steps") {
            None | Some(Value::Null) => {
                obj.insert("steps".into(), Value::Array(vec![]));
            }
            Some(Value::Array(steps)) => {
                for (i, step) in steps.iter_mut().enumerate() {
                    if let Some(repair) = fill_template_policy(i, step) {
                        repairs.push(repair);
                    }
                }
            }
            Some(other) => return Err(DraftLoadError::StepsNotList(short_json(other, 60))),
        }
        let mut draft: Draft =
            serde_json::from_value(value).map_err(|e| DraftLoadError::Shape(e.to_string()))?;
        // `current` was taken out above; set it back before the range check.
        draft.current = current;
        repairs.extend(draft.repair());
        Ok(Opened { draft, repairs })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a draft always serialises")
    }

    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Select(i) => self.current = i.min(self.steps.len().saturating_sub(1)),
            Action::SetBreakGlassUsers(v) => self.break_glass.users = clean_ids(v),
            Action::SetBreakGlassGroups(v) => self.break_glass.groups = clean_ids(v),
            Action::AcknowledgeNoBreakGlass(b) => self.break_glass.none_acknowledged = b,
            Action::SetLabel { id, name } => {
                // The picker checks with `label` first and says why; here a refusal changes nothing.
                let _ = self.label(&id, &name);
            }
            Action::Methods(e) => {
                // The panel checks with `MethodsEdit::refusal` first and says why.
                let _ = self.methods.edit(e);
            }
            Action::AddPersona(p) => {
                if can_add(&self.personas, &p).is_ok() {
                    self.personas.push(p);
                }
            }
            Action::AddPilotMember(m) => {
                if let Ok(m) = crate::builders::rollout::check_member(&m) {
                    if !self
                        .pilot_members
                        .iter()
                        .any(|k| k.eq_ignore_ascii_case(&m))
                    {
                        self.pilot_members.push(m);
                    }
                }
            }
            Action::RemovePilotMember(i) => {
                if i < self.pilot_members.len() {
                    self.pilot_members.remove(i);
                }
            }
            Action::RemovePersona(i) => {
                if i < self.personas.len() {
                    self.personas.remove(i);
                }
            }
            Action::Import(policies) => {
                if policies.is_empty() {
                    return;
                }
                let first = self.steps.len();
                for policy in policies {
                    self.steps.push(Step {
                        kind: StepKind::Imported,
                        policy,
                        new_group_name: String::new(),
                        update_policy_id: String::new(),
                    });
                }
                self.current = first;
            }
            Action::Remove(i) => {
                if self.can_remove(i).is_ok() {
                    self.steps.remove(i);
                    if self.current >= i && self.current > 0 {
                        self.current -= 1;
                    }
                }
            }
            Action::Replace(d) => {
                *self = *d;
                self.repair();
            }
            step_action => {
                if let Some(step) = self.step_mut() {
                    step.apply(step_action);
                }
            }
        }
    }

    /// Keeps `name` for `id` in the draft's labels, or says why it is refused.
    pub fn label(&mut self, id: &str, name: &str) -> Result<(), LabelError> {
        self.labels.insert(id, name)
    }

    /// Whether step `i` can be removed, or why not: only imported steps go, and never the
    /// last step of a draft.
    pub fn can_remove(&self, i: usize) -> Result<(), AppError> {
        match self.steps.get(i) {
            None => Err(AppError::NoSuchStep),
            Some(s) if s.kind != StepKind::Imported => Err(AppError::OwnStep),
            Some(_) if self.steps.len() == 1 => Err(AppError::OnlyStep),
            Some(_) => Ok(()),
        }
    }

    /// Imports a policy file's bytes as new steps (any encoding and shape `ca-policy import` takes).
    pub fn import(&mut self, bytes: &[u8]) -> Result<usize, Located> {
        let policies = import_bytes(bytes)?;
        let n = policies.len();
        self.apply(Action::Import(policies));
        Ok(n)
    }

    /// The policy as exported: template steps also exclude the declared break-glass accounts.
    /// Imported policies are exported exactly as they are (a lint finding says when they lack
    /// the exclusions), so importing and exporting never changes a policy silently.
    /// An index past the end (the app never passes one) gives an empty policy.
    pub fn effective_policy(&self, index: usize) -> Policy {
        let Some(step) = self.steps.get(index) else {
            return Policy::default();
        };
        let mut p = step.policy.clone();
        if step.kind != StepKind::Imported {
            for (list, ids) in [
                (IdList::ExcludeUsers, &self.break_glass.users),
                (IdList::ExcludeGroups, &self.break_glass.groups),
            ] {
                if !ids.is_empty() {
                    let merged = edit::union_ids(&list.get(&p), ids);
                    list.set(&mut p, merged);
                }
            }
        }
        p
    }

    /// Settings of step `index` that its form does not show (see [`hidden_settings`]).
    pub fn hidden_settings(&self, index: usize) -> Vec<HiddenSetting> {
        self.steps
            .get(index)
            .map(|s| hidden_settings(s.kind, &s.policy))
            .unwrap_or_default()
    }

    /// The operation an export performs for a step: update when a valid policy id is given.
    pub fn operation(&self, index: usize) -> Result<Operation, AppError> {
        let id = self
            .steps
            .get(index)
            .map(|s| s.update_policy_id.as_str())
            .unwrap_or_default();
        if id.is_empty() {
            return Ok(Operation::Create);
        }
        Guid::parse(id, GuidKind::Policy)
            .map(|policy_id| Operation::Update { policy_id })
            .map_err(AppError::PolicyId)
    }

    /// Exactly what `ca-policy export --format F [--update ID]` prints for the effective policy.
    pub fn export(&self, index: usize, format: Format) -> Result<String, AppError> {
        let op = self.operation(index)?;
        let body = self.effective_policy(index).to_post_body();
        Ok(render(format, &op, &[body])?)
    }

    /// The same as `ca-policy template NAME` would take for this step, when the step still
    /// matches its template's shape; used to explain what the form adds.
    pub fn template_params(&self) -> TemplateParams {
        TemplateParams {
            exclude_users: self.break_glass.users.clone(),
            exclude_groups: self.break_glass.groups.clone(),
            ..Default::default()
        }
    }

    /// The pilot step's `POST /groups` body, when a new group is to be created.
    pub fn new_group_body(&self, index: usize) -> Option<Value> {
        let step = self.steps.get(index)?;
        let name = step.new_group_name.trim();
        (step.kind == StepKind::Pilot && !name.is_empty())
            .then(|| crate::policy::templates::group_body(name))
    }

    /// Problems the form shows next to its fields: (field id, message, is it an error).
    pub fn form_checks(&self, index: usize) -> Vec<FormCheck> {
        let Some(step) = self.steps.get(index) else {
            return vec![];
        };
        let p = &step.policy;
        let mut out = Vec::new();
        if edit::display_name(p).trim().is_empty() {
            out.push(FormCheck::error(
                "display-name",
                "The policy needs a display name.",
            ));
        }
        if step.kind != StepKind::Imported
            && !self.break_glass.is_declared()
            && !self.break_glass.none_acknowledged
        {
            out.push(FormCheck::error(
                "break-glass-users",
                "Declare your emergency-access (break-glass) accounts or group, or confirm that you have none. Microsoft recommends excluding them from every policy so a mistake cannot lock every administrator out.",
            ));
        }
        for id in self
            .break_glass
            .users
            .iter()
            .chain(&self.break_glass.groups)
        {
            if !is_guid(id) {
                out.push(FormCheck::error("break-glass-users", format!("{id:?} is not an object id (a GUID such as 00000000-0000-0000-0000-000000000000).")));
            }
        }
        if edit::state(p) == Some(PolicyState::Enabled) {
            out.push(FormCheck::warning(
                "state",
                "\"On\" enforces the policy at once. Run it in Report-only first and check the sign-in logs' Report-only results before switching it on.",
            ));
        }
        if step.kind == StepKind::Pilot {
            let groups = IdList::IncludeGroups.get(p);
            match groups.first() {
                None if step.new_group_name.trim().is_empty() => out.push(FormCheck::error(
                    "pilot-group",
                    "Give the pilot group's object id, or a name for a new security group to create.",
                )),
                Some(g) if !is_guid(g) => out.push(FormCheck::error("pilot-group", format!("{g:?} is not an object id (a GUID)."))),
                _ => {}
            }
            if IdList::IncludeUsers.get(p).iter().any(|u| u == "All") {
                out.push(FormCheck::error("pilot-group", "The pilot still includes All users: Graph unions includes, so the group would not narrow anything."));
            }
        }
        let strength = edit::authentication_strength(p);
        if !strength.is_empty() {
            if !is_guid(&strength) {
                out.push(FormCheck::error(
                    "authentication-strength",
                    format!("{strength:?} is not an authentication strength id (a GUID)."),
                ));
            }
            for c in strength_conflicts(&edit::grant_controls(p)) {
                out.push(FormCheck::error(
                    "authentication-strength",
                    format!("{}: {}.", c.message, c.fix),
                ));
            }
        }
        if let Err(e) = self.operation(index) {
            out.push(FormCheck::error(
                "update-policy-id",
                format!("Policy id to update: {e}"),
            ));
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormCheck {
    /// The id of the form field it concerns (without the `field-` prefix the page adds).
    pub field: &'static str,
    pub message: String,
    pub is_error: bool,
}

impl FormCheck {
    fn error(field: &'static str, message: impl Into<String>) -> Self {
        FormCheck {
            field,
            message: message.into(),
            is_error: true,
        }
    }
    fn warning(field: &'static str, message: impl Into<String>) -> Self {
        FormCheck {
            field,
            message: message.into(),
            is_error: false,
        }
    }
}

/// One id per entry, trimmed, empties dropped.
fn clean_ids(v: Vec<String>) -> Vec<String> {
    v.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A step's starting policy: its template with default parameters (an imported step starts
/// empty). The pilot template needs a group id, so the pilot step starts as the compensating
/// policy with its includes emptied, and the form asks for the group.
fn initial_policy(kind: StepKind) -> Policy {
    let Some(template) = kind.template() else {
        return Policy::default();
    };
    let params = TemplateParams::default();
    match template {
        Template::Pilot => {
            let mut p = Template::MfaCompensating
                .build(&params)
                .expect("default parameters are valid");
            edit::set_display_name(&mut p, Template::Pilot.default_display_name().to_string());
            IdList::IncludeUsers.set(&mut p, vec![]);
            p
        }
        t => t.build(&params).expect("default parameters are valid"),
    }
}

/// A mail nickname preview for the pilot form.
pub fn nickname_preview(name: &str) -> String {
    mail_nickname(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::templates::RolloutState;
    use serde_json::json;

    const BG: &str = "11111111-2222-3333-4444-555555555555";
    const GROUP: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    #[test]
    fn a_template_step_with_the_same_inputs_exports_what_the_template_builds() {
        let mut d = Draft::new();
        d.apply(Action::SetBreakGlassUsers(vec![BG.into()]));
        d.apply(Action::Select(1));
        d.apply(Action::SetPilotGroup(GROUP.into()));
        d.apply(Action::SetDisplayName("Pilot MFA".into()));
        let params = TemplateParams {
            display_name: Some("Pilot MFA".into()),
            exclude_users: vec![BG.into()],
            pilot_group: Some(GROUP.into()),
            state: RolloutState::ReportOnly,
            ..Default::default()
        };
        let expected = Template::Pilot.build(&params).unwrap().to_post_body();
        assert_eq!(d.effective_policy(1).to_post_body(), expected);
        assert_eq!(
            d.export(1, Format::Json).unwrap(),
            render(Format::Json, &Operation::Create, &[expected]).unwrap()
        );
    }

    #[test]
    fn imported_policies_are_not_changed_by_break_glass_declarations() {
        let mut d = Draft::new();
        d.apply(Action::SetBreakGlassUsers(vec![BG.into()]));
        let n = d
            .import(
                br#"{"displayName":"x","conditions":{"users":{"includeUsers":["All"]}},"beta":1}"#,
            )
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(d.current, 5);
        assert_eq!(
            d.effective_policy(5).to_value(),
            serde_json::json!({"displayName":"x","conditions":{"users":{"includeUsers":["All"]}},"beta":1})
        );
    }

    #[test]
    fn a_link_whose_policy_says_state_twice_is_refused_naming_both_keys() {
        // The form would show one `state`, the exports would send both.
        let d = Draft::new();
        let json = d.to_json();
        let crafted = json.replacen("\"state\":", "\"STATE\":\"enabled\",\"state\":", 1);
        assert_ne!(
            crafted, json,
            "the draft's JSON holds a policy state to double"
        );
        let e = Draft::from_json(&crafted).unwrap_err().to_string();
        assert!(
            e.contains("state") && e.contains("STATE"),
            "names both keys: {e}"
        );
    }

    #[test]
    fn saved_drafts_round_trip_and_bad_ones_are_reported() {
        let mut d = Draft::new();
        d.apply(Action::SetDisplayName("x \"y\" ‘z’".into()));
        let opened = Draft::from_json(&d.to_json()).unwrap();
        assert_eq!(opened.draft, d);
        assert_eq!(opened.repairs, Vec::<String>::new());
        assert!(Draft::from_json("{not json")
            .unwrap_err()
            .to_string()
            .contains("1:2"));
        let e = Draft::from_json(r#"{"version":99,"steps":[]}"#).unwrap_err();
        assert_eq!(e, DraftLoadError::Version(99));
        assert!(e.to_string().contains("version 99"));
        assert!(
            Draft::from_json(r#"{"version":1,"current":0,"steps":[{"kind":"nope"}]}"#).is_err()
        );
        assert!(
            Draft::from_json(r#"{"version":1,"current":0,"steps":{"a":1}}"#)
                .unwrap_err()
                .to_string()
                .contains("not a list")
        );
        // An imported step has no template to start from: its policy cannot be made up.
        assert!(
            Draft::from_json(r#"{"version":1,"current":0,"steps":[{"kind":"imported"}]}"#)
                .unwrap_err()
                .to_string()
                .contains("policy")
        );
    }

    /// The default draft's JSON with `current` replaced (`None`: removed).
    fn with_current(current: Option<Value>) -> String {
        let mut v: Value = serde_json::from_str(&Draft::new().to_json()).unwrap();
        let o = v.as_object_mut().unwrap();
        match current {
            Some(c) => o.insert("current".into(), c),
            None => o.shift_remove("current"),
        };
        v.to_string()
    }

    /// Everything the page calls on every render works on the opened draft.
    fn renders(d: &Draft) {
        let i = d.current;
        assert!(i < d.steps.len(), "current {i} of {}", d.steps.len());
        let _ = d.step();
        let _ = d.form_checks(i);
        let _ = d.export(i, Format::Json).unwrap();
        let _ = d.hidden_settings(i);
        let _ = d.new_group_body(i);
    }

    #[test]
    fn an_open_step_past_the_end_or_not_a_number_opens_step_1_and_says_so() {
        let cases: [(Option<Value>, &str); 9] = [
            (
                Some(json!(9)),
                "the open step was 10 but the draft has 5 steps: opened step 1",
            ),
            (
                Some(json!(5)),
                "the open step was 6 but the draft has 5 steps: opened step 1",
            ),
            (
                Some(json!(u64::MAX)),
                "but the draft has 5 steps: opened step 1",
            ),
            (
                Some(json!(1e300)),
                "the open step 1e+300 is not a step number: opened step 1",
            ),
            (
                Some(serde_json::from_str("18446744073709551616").unwrap()),
                "is not a step number: opened step 1",
            ),
            (
                Some(json!(-1)),
                "the open step -1 is not a step number: opened step 1",
            ),
            (
                Some(json!(1.5)),
                "the open step 1.5 is not a step number: opened step 1",
            ),
            (
                Some(json!("2")),
                "the open step \"2\" is not a step number: opened step 1",
            ),
            (
                None,
                "the draft did not say which step was open: opened step 1",
            ),
        ];
        for (current, said) in cases {
            let text = with_current(current.clone());
            let opened = Draft::from_json(&text).unwrap_or_else(|e| panic!("{current:?}: {e}"));
            assert_eq!(opened.draft.current, 0, "{current:?}");
            assert_eq!(opened.draft.steps.len(), 5);
            assert_eq!(opened.repairs.len(), 1, "{current:?}: {:?}", opened.repairs);
            assert!(
                opened.repairs[0].contains(said),
                "{current:?}: {:?}",
                opened.repairs
            );
            renders(&opened.draft);
        }
        // A valid open step is kept, and nothing is said.
        let opened = Draft::from_json(&with_current(Some(json!(4)))).unwrap();
        assert_eq!((opened.draft.current, opened.repairs.len()), (4, 0));
    }

    #[test]
    fn a_draft_without_steps_starts_afresh_and_keeps_its_break_glass() {
        for text in [
            format!(r#"{{"version":1,"current":3,"steps":[],"breakGlass":{{"users":["{BG}"]}}}}"#),
            format!(r#"{{"version":1,"current":0,"breakGlass":{{"users":["{BG}"]}}}}"#),
            format!(r#"{{"version":1,"steps":null,"breakGlass":{{"users":["{BG}"]}}}}"#),
        ] {
            let opened = Draft::from_json(&text).unwrap();
            assert_eq!(opened.draft.steps, Draft::new().steps, "{text}");
            assert_eq!(opened.draft.break_glass.users, vec![BG.to_string()]);
            assert!(
                opened.repairs.iter().any(|r| r.contains("no steps")),
                "{text}: {:?}",
                opened.repairs
            );
            renders(&opened.draft);
        }
    }

    #[test]
    fn a_template_step_saved_without_its_policy_starts_from_its_template() {
        let text = r#"{"version":1,"current":1,"steps":[{"kind":"mfa-compensating","policy":{"displayName":"A"}},{"kind":"user-risk"}]}"#;
        let opened = Draft::from_json(text).unwrap();
        assert_eq!(opened.draft.steps[1], Step::new(StepKind::UserRisk));
        assert_eq!(
            opened.repairs,
            [format!(
                "step 2 ({}) had no policy: started it from its template",
                StepKind::UserRisk.title()
            )]
        );
        renders(&opened.draft);
    }

    #[test]
    fn a_rollout_step_kind_is_written_as_its_template_name() {
        for k in StepKind::ROLLOUT {
            let name = k.template().map(|t| t.name()).unwrap();
            assert_eq!(serde_json::to_value(k).unwrap(), json!(name));
        }
    }

    #[test]
    fn the_last_step_is_never_removed() {
        let one = r#"{"version":1,"current":0,"steps":[{"kind":"imported","policy":{"displayName":"only"}}]}"#;
        let mut d = Draft::from_json(one).unwrap().draft;
        assert_eq!(d.can_remove(0), Err(AppError::OnlyStep));
        assert!(AppError::OnlyStep.to_string().contains("only step"));
        d.apply(Action::Remove(0));
        assert_eq!(d.steps.len(), 1, "refused");
        renders(&d);
        // With two imported steps, one can go; the rollout's own steps never can.
        d.apply(Action::Import(vec![Policy::default()]));
        assert_eq!(d.current, 1);
        d.apply(Action::Remove(1));
        assert_eq!((d.steps.len(), d.current), (1, 0));
        renders(&d);
        let mut full = Draft::new();
        assert_eq!(full.can_remove(0), Err(AppError::OwnStep));
        full.apply(Action::Remove(0));
        assert_eq!(full.steps.len(), 5);
        assert_eq!(full.can_remove(9), Err(AppError::NoSuchStep));
        // A replacement without steps is repaired, not kept broken.
        let mut empty = Draft::new();
        empty.steps.clear();
        empty.current = 7;
        full.apply(Action::Replace(Box::new(empty)));
        assert_eq!(full.steps.len(), 5);
        renders(&full);
        full.apply(Action::Select(99));
        assert_eq!(full.current, 4);
    }

    /// The default draft's step `i` with `f` applied to its policy JSON.
    fn with_policy(i: usize, f: impl FnOnce(&mut Value)) -> Draft {
        let mut v: Value = serde_json::from_str(&Draft::new().to_json()).unwrap();
        f(&mut v["steps"][i]["policy"]);
        Draft::from_json(&v.to_string()).unwrap().draft
    }

    #[test]
    fn settings_the_form_does_not_show_are_listed_by_path() {
        // A plain draft, and one edited through every form input: nothing hidden.
        let mut d = Draft::new();
        for i in 0..d.steps.len() {
            assert_eq!(d.hidden_settings(i), vec![], "step {i}");
        }
        d.apply(Action::SetBreakGlassUsers(vec![BG.into()]));
        d.apply(Action::Select(1));
        d.apply(Action::SetPilotGroup(GROUP.into()));
        d.apply(Action::SetDisplayName(String::new()));
        d.apply(Action::SetState(PolicyState::Enabled));
        d.apply(Action::SetClientAppTypes(vec![ClientAppType::Other]));
        d.apply(Action::SetPlatforms {
            include: false,
            platforms: vec![DevicePlatform::parse("android")],
        });
        d.apply(Action::SetGrantControls(vec![GrantControl::Block]));
        d.apply(Action::SetGrantOperator(GrantOperator::And));
        d.apply(Action::SetAuthenticationStrength(GROUP.into()));
        d.apply(Action::SetDeviceFilter(None));
        d.apply(Action::SetIdList(IdList::IncludeApplications, vec![]));
        assert_eq!(d.hidden_settings(1), vec![]);

        // A property the form has no field for, a changed template-only setting, and one left out.
        let d = with_policy(4, |p| {
            p["sessionControls"] =
                json!({"signInFrequency": {"isEnabled": true, "value": 1, "type": "hours"}});
            p["conditions"]["userRiskLevels"] = json!(["low"]);
        });
        let hidden = d.hidden_settings(4);
        let paths: Vec<&str> = hidden.iter().map(|h| h.path.as_str()).collect();
        // The user-risk template sets sign-in frequency every time: isEnabled matches it, value
        // and type are additions, authenticationType and frequencyInterval are left out.
        assert_eq!(
            paths,
            [
                "conditions.userRiskLevels",
                "sessionControls.signInFrequency.value",
                "sessionControls.signInFrequency.type",
                "sessionControls.signInFrequency.authenticationType",
                "sessionControls.signInFrequency.frequencyInterval",
            ]
        );
        assert_eq!(
            hidden[0].message(),
            "This step sets conditions.userRiskLevels to [\"low\"], which the form does not show (the template has [\"high\"])."
        );
        assert_eq!(
            hidden[1].message(),
            "This step sets sessionControls.signInFrequency.value to 1, which the form does not show."
        );
        assert_eq!(
            hidden[4].message(),
            "This step leaves out sessionControls.signInFrequency.frequencyInterval, which the template sets to \"everyTime\" and the form does not show."
        );
        let d = with_policy(3, |p| {
            p["conditions"]["users"]
                .as_object_mut()
                .unwrap()
                .shift_remove("excludeGuestsOrExternalUsers");
        });
        let hidden = d.hidden_settings(3);
        assert_eq!(hidden.len(), 3, "{hidden:?}");
        assert_eq!(
            hidden[2].message(),
            "This step leaves out conditions.users.excludeGuestsOrExternalUsers.externalTenants.membershipKind, which the template sets to \"all\" and the form does not show."
        );
        // A value of the wrong shape in a field the form shows is not shown either.
        let d = with_policy(0, |p| p["conditions"]["clientAppTypes"] = json!("other"));
        assert_eq!(
            d.hidden_settings(0)[0].message(),
            "This step sets conditions.clientAppTypes to \"other\", which the form does not show."
        );
        // null, [] and {} mean "not set", as in a create: not listed.
        let d = with_policy(0, |p| {
            p["sessionControls"] = Value::Null;
            p["conditions"]["signInRiskLevels"] = json!([]);
            p["conditions"]["devices"]["extra"] = json!({});
        });
        assert_eq!(d.hidden_settings(0), vec![]);
    }

    #[test]
    fn an_imported_policy_lists_what_the_form_does_not_show() {
        let mut d = Draft::new();
        d.import(br#"{"id":"x","createdDateTime":"2024-01-01T00:00:00Z","displayName":"x","state":"enabled",
            "conditions":{"users":{"includeUsers":["All"]},"signInRiskLevels":["high"],"applications":{"includeApplications":["All"]}},
            "grantControls":{"operator":"OR","builtInControls":["mfa"]},"sessionControls":null}"#)
            .unwrap();
        let hidden = d.hidden_settings(5);
        assert_eq!(
            hidden.iter().map(|h| h.path.as_str()).collect::<Vec<_>>(),
            ["conditions.signInRiskLevels"],
            "read-only properties are not sent, so not listed"
        );
    }

    #[test]
    fn the_form_asks_for_break_glass_and_a_pilot_group() {
        let mut d = Draft::new();
        assert!(d
            .form_checks(0)
            .iter()
            .any(|c| c.field == "break-glass-users" && c.is_error));
        d.apply(Action::AcknowledgeNoBreakGlass(true));
        assert!(!d
            .form_checks(0)
            .iter()
            .any(|c| c.field == "break-glass-users"));
        assert!(d
            .form_checks(1)
            .iter()
            .any(|c| c.field == "pilot-group" && c.is_error));
        d.apply(Action::Select(1));
        d.apply(Action::SetPilotGroup(GROUP.into()));
        assert!(!d.form_checks(1).iter().any(|c| c.field == "pilot-group"));
        d.apply(Action::SetState(PolicyState::Enabled));
        assert!(d
            .form_checks(1)
            .iter()
            .any(|c| c.field == "state" && !c.is_error));
    }

    #[test]
    fn an_authentication_strength_is_written_as_its_id_and_checked_against_the_other_controls() {
        let strength = "00000000-0000-0000-0000-000000000004";
        let mut d = Draft::new();
        d.apply(Action::AcknowledgeNoBreakGlass(true));
        // The compensating policy requires MFA: with a strength too, Graph would refuse it.
        d.apply(Action::SetAuthenticationStrength(format!(" {strength} ")));
        let body = d.effective_policy(0).to_post_body();
        assert_eq!(
            body["grantControls"]["authenticationStrength"],
            serde_json::json!({ "id": strength })
        );
        assert_eq!(
            body["grantControls"]["builtInControls"],
            serde_json::json!(["mfa"]),
            "controls are not changed behind the admin's back"
        );
        let checks = d.form_checks(0);
        assert!(
            checks.iter().any(|c| c.field == "authentication-strength"
                && c.is_error
                && c.message.contains("can't be used together")),
            "{checks:?}"
        );
        d.apply(Action::SetGrantControls(vec![]));
        assert!(!d
            .form_checks(0)
            .iter()
            .any(|c| c.field == "authentication-strength"));
        d.apply(Action::SetAuthenticationStrength(
            "Phishing-resistant".into(),
        ));
        assert!(d
            .form_checks(0)
            .iter()
            .any(|c| c.field == "authentication-strength"
                && c.message.contains("not an authentication strength id")));
        // Emptied: gone from the body.
        d.apply(Action::SetAuthenticationStrength(String::new()));
        assert_eq!(
            d.effective_policy(0).to_post_body()["grantControls"].get("authenticationStrength"),
            None
        );
        assert!(!d
            .form_checks(0)
            .iter()
            .any(|c| c.field == "authentication-strength"));
    }

    #[test]
    fn a_bad_update_id_is_an_error_not_a_request_to_somewhere_else() {
        let mut d = Draft::new();
        d.apply(Action::SetUpdatePolicyId("../../users".into()));
        assert!(matches!(
            d.export(0, Format::Json),
            Err(AppError::PolicyId(_))
        ));
        assert!(d
            .form_checks(0)
            .iter()
            .any(|c| c.field == "update-policy-id"));
    }

    /// A JWT's shape (three base64url parts, the first `{"` encoded); not a real token.
    const TOKEN_SHAPED: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln";

    fn persona(name: &str) -> CustomPersona {
        use crate::analysis::bootstrap::MethodRegistered as M;
        CustomPersona::new(
            name,
            &[M::Password, M::TemporaryAccessPass],
            "registered phone",
            true,
            &[format!(" {GROUP} ")],
        )
        .unwrap()
    }

    #[test]
    fn a_draft_with_methods_and_personas_round_trips_and_an_older_draft_opens_without_them() {
        let mut d = Draft::new();
        d.apply(Action::Methods(MethodsEdit::PilotOverride(GROUP.into())));
        d.apply(Action::Methods(MethodsEdit::SelfService(false)));
        d.apply(Action::Methods(MethodsEdit::TapLifetime("90".into())));
        d.apply(Action::Methods(MethodsEdit::Current(
            crate::builders::methods::Method::TemporaryAccessPass,
            r#"{"id":"TemporaryAccessPass","state":"enabled"}"#.into(),
        )));
        d.apply(Action::AddPersona(persona("Contractor on a phone")));
        let text = d.to_json();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["methods"]["pilotOverride"], json!(GROUP));
        assert_eq!(v["methods"]["selfService"], json!(false));
        assert_eq!(
            v["personas"][0]["methodsRegistered"],
            json!(["password", "temporaryAccessPass"])
        );
        assert_eq!(v["personas"][0]["groups"], json!([GROUP]));
        let opened = Draft::from_json(&text).unwrap();
        assert_eq!(opened.draft, d);
        assert_eq!(opened.repairs, Vec::<String>::new());

        // A draft as saved before methods and personas were kept: nothing written for them, and
        // it opens with the form as it starts and no personas.
        let plain = Draft::new().to_json();
        let v: Value = serde_json::from_str(&plain).unwrap();
        assert!(
            v.get("methods").is_none() && v.get("personas").is_none(),
            "{plain}"
        );
        let old = r#"{"version":1,"current":0,"steps":[{"kind":"imported","policy":{"displayName":"x"}}],"breakGlass":{"users":[]}}"#;
        let opened = Draft::from_json(old).unwrap();
        assert_eq!(opened.draft.methods, MethodsForm::default());
        assert!(opened.draft.personas.is_empty());
        assert_eq!(opened.repairs, Vec::<String>::new());
        // A partial methods object keeps the defaults for what it leaves out.
        let partial = r#"{"version":1,"current":0,"steps":[{"kind":"imported","policy":{}}],"methods":{"oneTime":false}}"#;
        let m = Draft::from_json(partial).unwrap().draft.methods;
        assert!(!m.one_time);
        assert_eq!(m.tap_lifetime, "60");
    }

    #[test]
    fn a_method_edit_changes_its_field_only_so_a_read_after_typing_keeps_the_typing() {
        use crate::builders::methods::Method;
        let mut d = Draft::new();
        d.apply(Action::Methods(MethodsEdit::Aaguids("typed".into())));
        // The tenant's answer lands after more typing: both are kept.
        d.apply(Action::Methods(MethodsEdit::StrengthName(
            "Pilot passkeys".into(),
        )));
        d.apply(Action::Methods(MethodsEdit::Current(
            Method::Fido2,
            "{\"id\":\"Fido2\"}".into(),
        )));
        assert_eq!(d.methods.aaguids, "typed");
        assert_eq!(d.methods.strength_name, "Pilot passkeys");
        assert_eq!(d.methods.fido2_current, "{\"id\":\"Fido2\"}");
        assert_eq!(d.methods.tap_current, "");
        d.apply(Action::Methods(MethodsEdit::Attestation(false)));
        d.apply(Action::Methods(MethodsEdit::OneTime(false)));
        assert!(!d.methods.attestation && !d.methods.one_time && d.methods.self_service);
    }

    #[test]
    fn token_shaped_text_is_never_kept_in_the_methods_nor_read_from_a_link() {
        use crate::builders::methods::Method;
        let mut d = Draft::new();
        let pasted = format!("{{\"id\":\"Fido2\"}}\nAuthorization: Bearer {TOKEN_SHAPED}");
        let e = MethodsEdit::Current(Method::Fido2, pasted.clone());
        let refused = e.refusal().expect("refused");
        assert!(!refused.to_string().contains("eyJ"), "{refused}");
        assert!(refused
            .to_string()
            .contains("Current passkey (FIDO2) configuration"));
        d.apply(Action::Methods(e));
        d.apply(Action::Methods(MethodsEdit::StrengthName(
            TOKEN_SHAPED.into(),
        )));
        assert_eq!(d.methods, MethodsForm::default());
        assert!(!d.to_json().contains("eyJ"));
        // A GET response is not token-shaped (its dotted words are not three base64url parts
        // starting eyJ).
        let config = r##"{"@odata.type":"#microsoft.graph.fido2AuthenticationMethodConfiguration","id":"Fido2","state":"enabled","includeTargets":[{"id":"all_users"}]}"##;
        assert_eq!(
            MethodsEdit::Current(Method::Fido2, config.into()).refusal(),
            None
        );
        // A crafted link that carries one: emptied on reading, and said.
        let mut v: Value = serde_json::from_str(&Draft::new().to_json()).unwrap();
        v["methods"] = json!({"fido2Current": pasted, "tapLifetime": "30"});
        let opened = Draft::from_json(&v.to_string()).unwrap();
        assert_eq!(opened.draft.methods.fido2_current, "");
        assert_eq!(opened.draft.methods.tap_lifetime, "30");
        assert_eq!(opened.repairs.len(), 1, "{:?}", opened.repairs);
        assert!(
            opened.repairs[0].contains("current passkey configuration looked like an access token")
        );
        assert!(!opened.draft.to_json().contains("eyJ"));
    }

    #[test]
    fn a_persona_is_checked_when_added_and_when_read() {
        use crate::analysis::bootstrap::MethodRegistered as M;
        let p = persona("  Contractor  ");
        assert_eq!(p.name, "Contractor");
        assert_eq!(p.row_name(), "Contractor (yours)");
        let refused = |name: &str, methods: &[M], device: &str, groups: &[&str]| {
            let groups: Vec<String> = groups.iter().map(|g| g.to_string()).collect();
            CustomPersona::new(name, methods, device, false, &groups).unwrap_err()
        };
        let pw = [M::Password];
        assert_eq!(
            refused(" ", &pw, "registered phone", &[]),
            PersonaError::EmptyName
        );
        assert_eq!(
            refused("x", &[], "registered phone", &[]),
            PersonaError::NoMethods
        );
        assert_eq!(
            refused(TOKEN_SHAPED, &pw, "registered phone", &[]),
            PersonaError::LooksLikeToken
        );
        assert_eq!(
            refused("a\u{202E}b", &pw, "registered phone", &[]),
            PersonaError::ControlCharacter
        );
        assert!(matches!(
            refused(&"n".repeat(81), &pw, "registered phone", &[]),
            PersonaError::NameTooLong { chars: 81 }
        ));
        assert_eq!(
            refused(
                "x",
                &[M::Other("smoke signals".into())],
                "registered phone",
                &[]
            ),
            PersonaError::UnknownMethod("smoke signals".into())
        );
        assert_eq!(
            refused("x", &pw, "toaster", &[]),
            PersonaError::UnknownDevice("toaster".into())
        );
        assert_eq!(
            refused("x", &pw, "registered phone", &["pilot"]),
            PersonaError::NotAGroupId("pilot".into())
        );
        for device in device_kinds() {
            assert!(
                CustomPersona::new("x", &pw, &device, false, &[]).is_ok(),
                "{device}"
            );
        }

        let mut d = Draft::new();
        d.apply(Action::AddPersona(p.clone()));
        // The same name again, or a built-in row's name, is not added.
        d.apply(Action::AddPersona(persona("contractor")));
        d.apply(Action::AddPersona(persona("member, password only")));
        assert_eq!(d.personas, vec![p.clone()]);
        assert_eq!(
            can_add(&d.personas, &persona("CONTRACTOR")),
            Err(PersonaError::Duplicate("CONTRACTOR".into()))
        );
        for i in 1..MAX_PERSONAS {
            d.apply(Action::AddPersona(persona(&format!("p{i}"))));
        }
        assert_eq!(d.personas.len(), MAX_PERSONAS);
        assert_eq!(
            can_add(&d.personas, &persona("one more")),
            Err(PersonaError::TooMany)
        );
        d.apply(Action::RemovePersona(99));
        d.apply(Action::RemovePersona(0));
        assert_eq!(d.personas.len(), MAX_PERSONAS - 1);
        assert_eq!(d.personas[0].name, "p1");

        // A link with a persona the grid cannot prove: left out, and said; the others open.
        let mut v: Value = serde_json::from_str(&Draft::new().to_json()).unwrap();
        v["personas"] = json!([
            {"name": "ok", "methodsRegistered": ["password"], "device": "hybrid-joined PC"},
            {"name": "bad", "methodsRegistered": ["password"], "device": "toaster"},
            {"name": "OK", "methodsRegistered": ["email"], "device": "hybrid-joined PC"}
        ]);
        let opened = Draft::from_json(&v.to_string()).unwrap();
        assert_eq!(opened.draft.personas.len(), 1);
        assert_eq!(opened.repairs.len(), 2, "{:?}", opened.repairs);
        assert!(opened.repairs[0].contains("\"toaster\" is not one of the grid's devices"));
        assert!(opened.repairs[1].contains("already in the grid"));
        // Not a list at all: the draft's shape error, not a panic.
        v["personas"] = json!("x");
        assert!(matches!(
            Draft::from_json(&v.to_string()),
            Err(DraftLoadError::Shape(_))
        ));
    }
}
