//! The admin's work in progress in the web app: one policy per rollout step
//! (plus any imported policies), the break-glass accounts declared once for
//! the whole rollout, and which step is open. Pure and serialisable: the app
//! autosaves it, a share link carries it, and every edit goes through
//! [`Draft::apply`], so the reducer is tested natively.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::edit::{self, IdList};
use super::model::*;
use super::templates::{is_guid, mail_nickname, Template, TemplateParams};
use super::{import_bytes, ImportError};
use crate::builders::strength::strength_conflicts;
use crate::export::{render, Format, Operation, PolicyId, ScriptError};

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
            StepKind::MfaCompensating => "1. Compensating control: always require MFA",
            StepKind::Pilot => "2. Pilot group",
            StepKind::Hardening => "3. Hardening: only unmanaged devices",
            StepKind::ProtectRegistration => "Protect security-info registration",
            StepKind::UserRisk => "User risk",
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
            StepKind::UserRisk => "High user risk requires MFA and a password change (needs Microsoft Entra ID P2).",
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub version: u32,
    pub current: usize,
    pub steps: Vec<Step>,
    #[serde(default)]
    pub break_glass: BreakGlass,
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
    /// Adds imported policies as steps and opens the first of them.
    Import(Vec<Policy>),
    /// Removes an imported step (template steps stay).
    Remove(usize),
    Replace(Box<Draft>),
}

/// Why a saved or shared draft could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftLoadError {
    pub message: String,
}

impl std::fmt::Display for DraftLoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl Draft {
    /// The five rollout steps, each from its template with default parameters, report-only.
    pub fn new() -> Draft {
        let steps = [
            StepKind::MfaCompensating,
            StepKind::Pilot,
            StepKind::Hardening,
            StepKind::ProtectRegistration,
            StepKind::UserRisk,
        ]
        .into_iter()
        .map(|kind| Step {
            kind,
            policy: initial_policy(kind),
            new_group_name: String::new(),
            update_policy_id: String::new(),
        })
        .collect();
        Draft {
            version: DRAFT_VERSION,
            current: 0,
            steps,
            break_glass: BreakGlass::default(),
        }
    }

    pub fn step(&self) -> &Step {
        &self.steps[self.current.min(self.steps.len() - 1)]
    }

    fn step_mut(&mut self) -> &mut Step {
        let i = self.current.min(self.steps.len() - 1);
        &mut self.steps[i]
    }

    /// Reads a saved draft; anything unreadable is an error, never a panic or a silent reset.
    pub fn from_json(text: &str) -> Result<Draft, DraftLoadError> {
        let value: Value = serde_json::from_str(text).map_err(|e| DraftLoadError {
            message: format!(
                "the saved draft is not valid JSON ({}:{}: {e})",
                e.line(),
                e.column()
            ),
        })?;
        match value.get("version").and_then(Value::as_u64) {
            Some(v) if v == u64::from(DRAFT_VERSION) => {}
            Some(v) => {
                return Err(DraftLoadError {
                    message: format!("the saved draft has format version {v}; this version of ca-builder reads version {DRAFT_VERSION}"),
                })
            }
            None => return Err(DraftLoadError { message: "the saved draft has no format version".into() }),
        }
        let draft: Draft = serde_json::from_value(value).map_err(|e| DraftLoadError {
            message: format!("the saved draft does not have the expected shape: {e}"),
        })?;
        if draft.steps.is_empty() {
            return Err(DraftLoadError {
                message: "the saved draft has no steps".into(),
            });
        }
        Ok(draft)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a draft always serialises")
    }

    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Select(i) => self.current = i.min(self.steps.len() - 1),
            Action::SetDisplayName(n) => edit::set_display_name(&mut self.step_mut().policy, n),
            Action::SetState(s) => edit::set_state(&mut self.step_mut().policy, s),
            Action::SetIdList(l, v) => l.set(&mut self.step_mut().policy, v),
            Action::SetClientAppTypes(v) => {
                edit::set_client_app_types(&mut self.step_mut().policy, v)
            }
            Action::SetPlatforms { include, platforms } => {
                edit::set_platforms(&mut self.step_mut().policy, include, platforms)
            }
            Action::SetGrantControls(v) => edit::set_grant_controls(&mut self.step_mut().policy, v),
            Action::SetGrantOperator(op) => {
                edit::set_grant_operator(&mut self.step_mut().policy, op)
            }
            Action::SetAuthenticationStrength(id) => {
                edit::set_authentication_strength(&mut self.step_mut().policy, &id)
            }
            Action::SetDeviceFilter(f) => edit::set_device_filter(&mut self.step_mut().policy, f),
            Action::SetPilotGroup(id) => {
                let p = &mut self.step_mut().policy;
                let id = id.trim().to_string();
                if id.is_empty() {
                    IdList::IncludeGroups.set(p, vec![]);
                } else {
                    // Narrowing replaces the includes (errata (e) 3): All next to a group still means everyone.
                    IdList::IncludeUsers.set(p, vec![]);
                    IdList::IncludeGroups.set(p, vec![id]);
                }
            }
            Action::SetNewGroupName(n) => self.step_mut().new_group_name = n,
            Action::SetUpdatePolicyId(id) => {
                self.step_mut().update_policy_id = id.trim().to_string()
            }
            Action::SetBreakGlassUsers(v) => self.break_glass.users = clean_ids(v),
            Action::SetBreakGlassGroups(v) => self.break_glass.groups = clean_ids(v),
            Action::AcknowledgeNoBreakGlass(b) => self.break_glass.none_acknowledged = b,
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
                if self
                    .steps
                    .get(i)
                    .is_some_and(|s| s.kind == StepKind::Imported)
                {
                    self.steps.remove(i);
                    if self.current >= i && self.current > 0 {
                        self.current -= 1;
                    }
                }
            }
            Action::Replace(d) => *self = *d,
        }
    }

    /// Imports a policy file's bytes as new steps (any encoding and shape `ca-policy import` takes).
    pub fn import(&mut self, bytes: &[u8]) -> Result<usize, ImportError> {
        let policies = import_bytes(bytes)?;
        let n = policies.len();
        self.apply(Action::Import(policies));
        Ok(n)
    }

    /// The policy as exported: template steps also exclude the declared break-glass accounts.
    /// Imported policies are exported exactly as they are (a lint finding says when they lack
    /// the exclusions), so importing and exporting never changes a policy silently.
    pub fn effective_policy(&self, index: usize) -> Policy {
        let step = &self.steps[index];
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

    /// The operation an export performs for a step: update when a valid policy id is given.
    pub fn operation(&self, index: usize) -> Result<Operation, String> {
        let id = &self.steps[index].update_policy_id;
        if id.is_empty() {
            return Ok(Operation::Create);
        }
        PolicyId::parse(id)
            .map(|policy_id| Operation::Update { policy_id })
            .map_err(|e| e.to_string())
    }

    /// Exactly what `ca-policy export --format F [--update ID]` prints for the effective policy.
    pub fn export(&self, index: usize, format: Format) -> Result<String, String> {
        let op = self.operation(index)?;
        let body = self.effective_policy(index).to_post_body();
        render(format, &op, &[body]).map_err(|e: ScriptError| e.to_string())
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
        let step = &self.steps[index];
        let name = step.new_group_name.trim();
        (step.kind == StepKind::Pilot && !name.is_empty())
            .then(|| super::templates::group_body(name))
    }

    /// Problems the form shows next to its fields: (field id, message, is it an error).
    pub fn form_checks(&self, index: usize) -> Vec<FormCheck> {
        let step = &self.steps[index];
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

/// A step's starting policy: its template with default parameters. The pilot template needs a
/// group id, so the pilot step starts as the compensating policy with its includes emptied,
/// and the form asks for the group.
fn initial_policy(kind: StepKind) -> Policy {
    let template = kind
        .template()
        .expect("only template steps are created empty");
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
    fn saved_drafts_round_trip_and_bad_ones_are_reported() {
        let mut d = Draft::new();
        d.apply(Action::SetDisplayName("x \"y\" ‘z’".into()));
        assert_eq!(Draft::from_json(&d.to_json()).unwrap(), d);
        assert!(Draft::from_json("{not json")
            .unwrap_err()
            .message
            .contains("1:2"));
        assert!(Draft::from_json(r#"{"version":99,"steps":[]}"#)
            .unwrap_err()
            .message
            .contains("version 99"));
        assert!(Draft::from_json(r#"{"version":1,"current":0,"steps":[]}"#).is_err());
        assert!(
            Draft::from_json(r#"{"version":1,"current":0,"steps":[{"kind":"nope"}]}"#).is_err()
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
        assert!(d.export(0, Format::Json).is_err());
        assert!(d
            .form_checks(0)
            .iter()
            .any(|c| c.field == "update-policy-id"));
    }
}
