//! Every policy write of the Deploy button as a plan: what it would send (a create's POST or
//! an update's PATCH, with its exact body), the diff against the tenant's stored policy that
//! the preview shows, and what the page says before and after.
//! The page previews a [`PolicyWrite`] and, once the admin confirms, sends that same value's
//! [`PolicyWrite::send`]: nothing is re-planned between preview and send.
//!
//! Pure: the requests that look the policy up and the one that sends the write are made by the
//! page through `crate::graph`.

use std::rc::Rc;

use crate::builders::methods::MethodPatch;
use crate::export::Format;
use crate::graph::auth_methods::{MethodPatchOutcome, Restriction, StrengthOutcome};
use crate::graph::flows::{DeployPlan, Deployed, PilotRequest, PolicyList};
use crate::graph::ops::{self, WritePlan};
use crate::graph::{Cloud, ErrorKind, GraphError, GraphOp, Request};
use crate::guid::{Guid, GuidKind};
use crate::policy::edit;
use crate::policy::Policy;

use super::draft::{Draft, HiddenSetting};
use super::AppError;

/// A policy write waiting for the admin's confirmation.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyWrite {
    /// The policy's display name.
    pub name: String,
    /// Boxed: a plan is large, and a `Review` carries one.
    pub plan: Box<WritePlan>,
    /// `Some`: an update of this policy; `None`: a create.
    pub update: Option<Guid>,
    /// The draft it was planned from: any edit makes the preview stale, and it is dropped.
    pub draft: Rc<Draft>,
    /// What the name check behind it did not see (or saw only in beta), shown with the preview.
    pub note: Option<String>,
}

/// One row of the preview's table: a changed property, as stored and as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRow {
    /// Dotted path, e.g. `conditions.users.includeGroups`.
    pub path: String,
    /// Compact JSON, or `(not set)`.
    pub before: String,
    pub after: String,
}

/// What sending a confirmed write means: exactly the previewed request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Send<'a> {
    /// POST the previewed body.
    Create(&'a Request),
    /// PATCH the previewed body, then read the policy back.
    Update { id: &'a Guid, plan: &'a WritePlan },
}

fn compact(v: &serde_json::Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

impl PolicyWrite {
    pub fn verb(&self) -> &'static str {
        if self.update.is_some() {
            "Update"
        } else {
            "Create"
        }
    }

    /// Whether the preview still shows what `draft` would send.
    pub fn is_for(&self, draft: &Draft) -> bool {
        *self.draft == *draft
    }

    /// `PATCH https://…/policies/{id}` or `POST …/policies`.
    pub fn request_line(&self) -> String {
        self.plan.request.request_line()
    }

    /// The diff against the tenant: one row per changed leaf (every property, for a create).
    pub fn rows(&self) -> Vec<PreviewRow> {
        self.plan
            .changes
            .iter()
            .map(|c| PreviewRow {
                path: c.path.clone(),
                before: c
                    .before
                    .as_ref()
                    .map(compact)
                    .unwrap_or_else(|| "(not set)".into()),
                after: compact(&c.after),
            })
            .collect()
    }

    /// The exact request body, as sent.
    pub fn body(&self) -> String {
        self.plan.request.body.clone().unwrap_or_default()
    }

    /// The request to send once the admin confirms.
    pub fn send(&self) -> Send<'_> {
        match &self.update {
            None => Send::Create(&self.plan.request),
            Some(id) => Send::Update {
                id,
                plan: &self.plan,
            },
        }
    }

    /// What the page says once the write was sent (or failed), and what it shows next to it.
    pub fn report(&self, result: Result<Deployed, GraphError>) -> WriteReport {
        let (text, error) = match result {
            Ok(d) => (
                format!(
                    "{}d policy \"{}\" (id {}); it is now {}.",
                    self.verb(),
                    self.name,
                    d.id,
                    state_label(&d.policy)
                ),
                None,
            ),
            // The PATCH went through and only the read-back (apply_patch's one GET) failed: say
            // it was updated rather than leave the admin guessing.
            Err(e) if e.op == GraphOp::GetPolicy => (
                format!(
                    "Updated policy \"{}\", but reading it back failed ({}); load the audit to see its state.",
                    self.name,
                    e.user_message()
                ),
                None,
            ),
            Err(e) => (e.user_message(), Some(e)),
        };
        let field_error = error.as_ref().and_then(rejected_field);
        WriteReport {
            text,
            error,
            field_error,
        }
    }
}

/// After a write: the status text, the error (when it failed), the property Graph rejected
/// (shown by the Deploy button).
#[derive(Debug, Clone, PartialEq)]
pub struct WriteReport {
    pub text: String,
    pub error: Option<GraphError>,
    pub field_error: Option<(String, String)>,
}

/// The pilot flow's result line: what it did, the group, and whether its policy was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PilotResult {
    pub summary: String,
    pub group_id: String,
    pub policy_ok: bool,
}

/// Graph's 400 names the property it rejected: shown by the deploy button with that name.
pub fn rejected_field(e: &GraphError) -> Option<(String, String)> {
    match &e.kind {
        ErrorKind::BadRequest { field: Some(f) } => Some((f.clone(), e.message.clone())),
        _ => None,
    }
}

/// "Report-only", "On", "Off" for a policy's `state`.
pub fn state_label(policy: &Policy) -> &'static str {
    match policy.to_post_body().get("state").and_then(|s| s.as_str()) {
        Some("enabled") => "On",
        Some("disabled") => "Off",
        Some("enabledForReportingButNotEnforced") => "Report-only",
        _ => "(no state)",
    }
}

/// Which tenant policy the open step's "Update an existing policy" id is, in words: its name and
/// state from the audit's list, or why the page cannot say. `None` for an empty field or one
/// that is not a GUID (the form's own check says so).
pub fn update_target(id: &str, tenant: Option<&PolicyList>, connected: bool) -> Option<String> {
    let id = id.trim();
    if !crate::guid::is_guid(id) {
        return None;
    }
    let Some(list) = tenant else {
        return Some(if connected {
            "List the tenant's policies (Prepare, \"Audit the tenant's policies\") to see which policy this id is.".into()
        } else {
            "Connect and list the tenant's policies (Prepare) to see which policy this id is."
                .into()
        });
    };
    let found = list.policies.iter().find(|p| {
        p.id.value()
            .is_some_and(|pid| pid.trim().eq_ignore_ascii_case(id))
    });
    Some(match found {
        Some(p) => format!(
            "Updates \u{201c}{}\u{201d} in the tenant, now {}.",
            edit::display_name(p),
            state_label(p)
        ),
        None => format!(
            "None of the {} polic{} listed from the tenant has this id{}: an update would find no policy to change.",
            list.policies.len(),
            if list.policies.len() == 1 { "y" } else { "ies" },
            if list.truncated { " (the list stopped at its page limit)" } else { "" }
        ),
    })
}

/// The settings the open step sends that its form does not show: the admin acknowledges them
/// before either write button runs. `fingerprint` (the step and the messages, as shown)
/// changes with them, so any change asks again.
#[derive(Debug, Clone, PartialEq)]
pub struct Unshown {
    pub settings: Vec<HiddenSetting>,
    pub fingerprint: String,
}

pub fn unshown(draft: &Draft) -> Unshown {
    let idx = draft.current;
    let settings = draft.hidden_settings(idx);
    let fingerprint = format!(
        "{idx}\n{}",
        settings
            .iter()
            .map(|h| h.message())
            .collect::<Vec<_>>()
            .join("\n")
    );
    Unshown {
        settings,
        fingerprint,
    }
}

impl Unshown {
    /// Whether the writes may run: nothing is hidden, or the admin acknowledged exactly this.
    pub fn cleared(&self, acknowledged: Option<&str>) -> bool {
        self.settings.is_empty() || acknowledged == Some(self.fingerprint.as_str())
    }
}

/// What the Deploy button writes: the open step's policy exactly as the export panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeployRequest {
    pub name: String,
    pub policy: Policy,
    /// The id the step names to update, as typed; empty: look the policy up by name.
    pub update_id: String,
}

/// The open step's write; an export error blocks it as it blocks the export panel.
pub fn deploy_request(draft: &Draft) -> Result<DeployRequest, AppError> {
    let idx = draft.current;
    draft
        .export(idx, Format::Json)
        .map_err(|e| AppError::NotDeployable(Box::new(e)))?;
    let policy = draft.effective_policy(idx);
    Ok(DeployRequest {
        name: edit::display_name(&policy),
        policy,
        update_id: draft.step().update_policy_id.clone(),
    })
}

impl DeployRequest {
    /// `None`: look the policy up by name; `Some`: the policy the step names to update.
    pub fn update_target(&self) -> Result<Option<Guid>, AppError> {
        if self.update_id.is_empty() {
            return Ok(None);
        }
        Guid::parse(&self.update_id, GuidKind::Policy)
            .map(Some)
            .map_err(AppError::UpdateTarget)
    }

    /// The update of the policy the step names (as the tenant stores it, `current`): compared
    /// against it, not a namesake.
    pub fn update_plan(&self, cloud: Cloud, id: Guid, current: Policy) -> DeployPlan {
        DeployPlan::UpdateExisting {
            patch: ops::update_policy(cloud, &id, &current, &self.policy),
            id,
            current: Box::new(current),
            note: None,
        }
    }

    /// What the page says about `plan`, and the write to preview when there is one. A note of
    /// the name check follows the message and goes with the preview.
    pub fn review(&self, plan: DeployPlan, draft: Rc<Draft>) -> Review {
        let name = &self.name;
        let write = |plan, update, note: &Option<String>| PolicyWrite {
            name: name.clone(),
            plan: Box::new(plan),
            update,
            draft: draft.clone(),
            note: note.clone(),
        };
        let with_note = |message: String, note: &Option<String>| match note {
            Some(n) => format!("{message} {n}"),
            None => message,
        };
        match plan {
            DeployPlan::Create { plan, note } => {
                let note = note.map(|n| n.text());
                Review::Confirm {
                    message: with_note(
                        format!("No policy is named \"{name}\": review the new policy below, then confirm."),
                        &note,
                    ),
                    write: write(plan, None, &note),
                }
            }
            DeployPlan::UpdateExisting {
                id,
                patch: None,
                note,
                ..
            } => Review::Nothing(with_note(
                format!("The policy \"{name}\" (id {id}) already matches the draft: nothing to send."),
                &note.map(|n| n.text()),
            )),
            DeployPlan::UpdateExisting {
                id,
                patch: Some(plan),
                note,
                ..
            } => {
                let note = note.map(|n| n.text());
                Review::Confirm {
                    message: with_note(
                        format!("A policy named \"{name}\" already exists (id {id}). Review what the update changes, then confirm."),
                        &note,
                    ),
                    write: write(plan, Some(id), &note),
                }
            }
            DeployPlan::Ambiguous { ids } => Review::Refused(format!(
                "{} policies are named \"{name}\" (ids {}): rename the draft, or put the id of the one to update in \"Update an existing policy\".",
                ids.len(),
                ids.join(", ")
            )),
        }
    }
}

/// What the page does with a deploy plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Review {
    /// Show `message` and preview `write`.
    Confirm { message: String, write: PolicyWrite },
    /// Nothing to send (said as a success).
    Nothing(String),
    /// The plan cannot go ahead (said as a problem).
    Refused(String),
}

/// The pilot flow's request from the open (pilot) step and the members typed (one per line, or
/// separated by `,` or `;`).
pub fn pilot_request(
    draft: &Draft,
    members: &str,
    update_existing: bool,
) -> Result<PilotRequest, AppError> {
    let idx = draft.current;
    draft
        .export(idx, Format::Json)
        .map_err(|e| AppError::NotDeployable(Box::new(e)))?;
    Ok(PilotRequest {
        group_name: draft.step().new_group_name.trim().to_string(),
        members: members
            .split(['\n', ',', ';'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        policy: draft.effective_policy(idx),
        update_existing,
    })
}

/// What the page says once a method configuration's PATCH was tried: the text (a success when
/// `ok`, else a problem) and the configuration the tenant now holds, which goes back in the
/// method's "current configuration" box so the preview is computed from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodReport {
    pub ok: bool,
    pub text: String,
    pub stored: Option<String>,
}

pub fn method_patch_report(patch: &MethodPatch, outcome: MethodPatchOutcome) -> MethodReport {
    let label = patch.method.label();
    match outcome {
        MethodPatchOutcome::Sent { after: Ok(after) } => MethodReport {
            ok: true,
            text: format!(
                "Updated the {label} configuration. The preview now shows the stored result."
            ),
            stored: Some(after.text),
        },
        MethodPatchOutcome::Sent { after: Err(e) } => MethodReport {
            ok: true,
            text: format!(
                "Updated the {label} configuration, but reading it back failed ({}); read the configurations again before another change.",
                e.user_message()
            ),
            stored: None,
        },
        MethodPatchOutcome::Changed { now } => MethodReport {
            ok: false,
            text: format!(
                "Nothing was sent: the tenant's {label} configuration is not the one the preview was built on ({}). \
                 The preview now shows the live configuration: review what the PATCH changes, then send again.",
                if patch.effect.assumed_default {
                    "the preview assumed the service default"
                } else {
                    "it changed since it was read"
                }
            ),
            stored: Some(now.text),
        },
    }
}

/// The strength step's text, and whether it is a success: created with its restriction, or
/// an existing one that allows exactly the AAGUIDs (or had no restriction and got it).
pub fn strength_report(name: &str, out: &StrengthOutcome) -> (bool, String) {
    let ok = matches!(
        out,
        StrengthOutcome::Created {
            restriction_error: None,
            ..
        } | StrengthOutcome::Existing {
            restriction: Restriction::Same | Restriction::Added,
            ..
        }
    );
    (ok, out.summary(name.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::draft::Action;
    use serde_json::{json, Value};

    const ID: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    const GROUP: &str = "11111111-2222-3333-4444-555555555555";

    /// The policy as the tenant stores it: the draft's, with an id and `changes` applied.
    fn stored(policy: &Policy, changes: Value) -> Policy {
        let mut body = policy.to_post_body();
        body["id"] = json!(ID);
        for (k, v) in changes.as_object().unwrap() {
            body[k] = v.clone();
        }
        serde_json::from_value(body).unwrap()
    }

    /// The value at a dotted path of a body.
    fn at<'a>(body: &'a Value, path: &str) -> &'a Value {
        path.split('.').fold(body, |v, k| &v[k])
    }

    /// What the confirmed write sends, as JSON.
    fn sent_body(w: &PolicyWrite) -> (String, Value) {
        let request = match w.send() {
            Send::Create(r) => r,
            Send::Update { plan, .. } => &plan.request,
        };
        let body = request.body.clone().unwrap();
        (request.request_line(), serde_json::from_str(&body).unwrap())
    }

    fn confirm(r: Review) -> PolicyWrite {
        match r {
            Review::Confirm { write, .. } => write,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_update_sends_exactly_what_its_preview_shows() {
        let draft = Rc::new(Draft::new());
        let req = deploy_request(&draft).unwrap();
        let current = stored(
            &req.policy,
            json!({ "state": "disabled", "displayName": req.name }),
        );
        let id = Guid::parse(ID, GuidKind::Policy).unwrap();
        let write = confirm(req.review(
            req.update_plan(Cloud::Global, id.clone(), current),
            draft.clone(),
        ));
        assert_eq!(write.verb(), "Update");
        assert_eq!(write.update, Some(id.clone()));
        let rows = write.rows();
        assert_eq!(
            rows,
            [PreviewRow {
                path: "state".into(),
                before: "\"disabled\"".into(),
                after: "\"enabledForReportingButNotEnforced\"".into(),
            }]
        );
        let (line, sent) = sent_body(&write);
        assert_eq!(line, write.request_line());
        assert!(line.starts_with("PATCH ") && line.ends_with(&format!("/policies/{ID}")));
        // Every row's "after" is what the body carries, and the body carries nothing else.
        for r in &rows {
            assert_eq!(serde_json::to_string(at(&sent, &r.path)).unwrap(), r.after);
        }
        assert_eq!(
            sent,
            json!({ "state": "enabledForReportingButNotEnforced" })
        );
        assert_eq!(write.body(), write.plan.request.body.clone().unwrap());
        match write.send() {
            Send::Update { id: sent_id, plan } => {
                assert_eq!(sent_id, &id);
                assert_eq!(plan, &*write.plan);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_create_previews_every_property_of_the_body_it_posts() {
        let draft = Rc::new(Draft::new());
        let req = deploy_request(&draft).unwrap();
        let plan = DeployPlan::Create {
            plan: ops::plan_create(Cloud::Global, &req.policy),
            note: None,
        };
        let write = confirm(req.review(plan, draft.clone()));
        assert_eq!(write.verb(), "Create");
        let (line, sent) = sent_body(&write);
        assert!(
            line.starts_with("POST ") && line.ends_with("/policies"),
            "{line}"
        );
        assert_eq!(sent, req.policy.to_post_body());
        let rows = write.rows();
        assert!(rows.iter().any(|r| r.path == "state"), "{rows:?}");
        for r in &rows {
            assert_eq!(r.before, "(not set)");
            assert_eq!(serde_json::to_string(at(&sent, &r.path)).unwrap(), r.after);
        }
        assert!(matches!(write.send(), Send::Create(r) if *r == write.plan.request));
    }

    #[test]
    fn what_the_name_check_did_not_see_goes_with_the_message_and_the_preview() {
        use crate::graph::flows::NameCheckNote;
        let draft = Rc::new(Draft::new());
        let req = deploy_request(&draft).unwrap();
        let refused = GraphError::new(
            GraphOp::ListPolicies,
            ErrorKind::NotFound,
            "Resource not found.".into(),
        );
        let note = NameCheckNote::BetaUnread(refused);
        let plan = DeployPlan::Create {
            plan: ops::plan_create(Cloud::Global, &req.policy),
            note: Some(note.clone()),
        };
        match req.review(plan, draft.clone()) {
            Review::Confirm { message, write } => {
                assert!(message.starts_with("No policy is named"), "{message}");
                assert!(message.ends_with(&note.text()), "{message}");
                assert_eq!(write.note, Some(note.text()));
            }
            other => panic!("{other:?}"),
        }
        assert!(note
            .text()
            .contains("beta list could not be read (not found, 404"));
        // Without a note the message is the one it always was.
        let plan = DeployPlan::Create {
            plan: ops::plan_create(Cloud::Global, &req.policy),
            note: None,
        };
        let write = confirm(req.review(plan, draft.clone()));
        assert_eq!(write.note, None);
        // A namesake only beta lists: the update says so.
        let id = Guid::parse(ID, GuidKind::Policy).unwrap();
        let current = stored(&req.policy, json!({ "state": "disabled" }));
        let DeployPlan::UpdateExisting { patch, .. } =
            req.update_plan(Cloud::Global, id.clone(), current.clone())
        else {
            unreachable!()
        };
        let plan = DeployPlan::UpdateExisting {
            id: id.clone(),
            current: Box::new(current),
            patch,
            note: Some(NameCheckNote::BetaOnly { id }),
        };
        match req.review(plan, draft) {
            Review::Confirm { message, write } => {
                assert!(message.contains("is listed only by beta"), "{message}");
                assert!(write.note.unwrap().contains(ID));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_edit_makes_the_preview_stale() {
        let draft = Rc::new(Draft::new());
        let req = deploy_request(&draft).unwrap();
        let plan = DeployPlan::Create {
            plan: ops::plan_create(Cloud::Global, &req.policy),
            note: None,
        };
        let write = confirm(req.review(plan, draft.clone()));
        assert!(write.is_for(&draft));
        let mut edited = (*draft).clone();
        edited.apply(Action::SetDisplayName("Renamed".into()));
        assert!(!write.is_for(&edited));
    }

    #[test]
    fn a_matching_policy_and_namesakes_send_nothing() {
        let draft = Rc::new(Draft::new());
        let req = deploy_request(&draft).unwrap();
        let current = stored(&req.policy, json!({}));
        let id = Guid::parse(ID, GuidKind::Policy).unwrap();
        match req.review(req.update_plan(Cloud::Global, id, current), draft.clone()) {
            Review::Nothing(m) => assert!(
                m.ends_with("already matches the draft: nothing to send."),
                "{m}"
            ),
            other => panic!("{other:?}"),
        }
        let plan = DeployPlan::Ambiguous {
            ids: vec!["a".into(), "b".into()],
        };
        match req.review(plan, draft) {
            Review::Refused(m) => assert!(m.starts_with("2 policies are named"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_id_to_update_is_checked_before_anything_is_read() {
        let mut draft = Draft::new();
        assert_eq!(deploy_request(&draft).unwrap().update_target(), Ok(None));
        // The export already refuses a step whose id is not one.
        draft.apply(Action::SetUpdatePolicyId("not-an-id".into()));
        let e = deploy_request(&draft).unwrap_err();
        assert!(
            matches!(&e, AppError::NotDeployable(inner) if matches!(**inner, AppError::PolicyId(_)))
        );
        assert!(
            e.to_string().starts_with("The draft cannot be deployed: "),
            "{e}"
        );
        draft.apply(Action::SetUpdatePolicyId(ID.into()));
        let mut req = deploy_request(&draft).unwrap();
        assert_eq!(
            req.update_target(),
            Ok(Some(Guid::parse(ID, GuidKind::Policy).unwrap()))
        );
        req.update_id = "not-an-id".into();
        let e = req.update_target().unwrap_err();
        assert!(matches!(e, AppError::UpdateTarget(_)));
        assert!(
            e.to_string()
                .starts_with("The policy id to update is not valid: "),
            "{e}"
        );
    }

    #[test]
    fn hidden_settings_must_be_acknowledged_as_shown() {
        let mut draft = Draft::new();
        assert!(unshown(&draft).cleared(None));
        let mut imported = draft.effective_policy(0);
        imported.id = serde_json::from_value(json!(ID)).unwrap();
        let mut body = imported.to_post_body();
        body["sessionControls"] =
            json!({ "signInFrequency": { "isEnabled": true, "value": 1, "type": "hours" } });
        draft.apply(Action::Import(vec![serde_json::from_value(body).unwrap()]));
        let u = unshown(&draft);
        assert!(!u.settings.is_empty());
        assert!(!u.cleared(None));
        assert!(u.cleared(Some(&u.fingerprint)));
        // Acknowledged on another step (or for other settings): asked again.
        assert!(!u.cleared(Some(&format!("0{}", &u.fingerprint[1..]))));
    }

    fn update_write(draft: &Draft) -> PolicyWrite {
        let policy = draft.effective_policy(draft.current);
        PolicyWrite {
            name: edit::display_name(&policy),
            plan: Box::new(ops::plan_create(Cloud::Global, &policy)),
            update: Some(Guid::parse(ID, GuidKind::Policy).unwrap()),
            draft: Rc::new(draft.clone()),
            note: None,
        }
    }

    #[test]
    fn the_report_says_what_exists_after_the_send() {
        let draft = Draft::new();
        let w = update_write(&draft);
        let done = Deployed {
            id: Guid::parse(ID, GuidKind::Policy).unwrap(),
            policy: draft.effective_policy(0),
            created: false,
        };
        let r = w.report(Ok(done));
        assert_eq!(
            r.text,
            format!(
                "Updated policy \"{}\" (id {ID}); it is now Report-only.",
                w.name
            )
        );
        assert!(r.error.is_none());
        let read_back = GraphError::new(GraphOp::GetPolicy, ErrorKind::BadResponse, "x".into());
        let r = w.report(Err(read_back));
        assert!(r.text.contains("but reading it back failed"), "{}", r.text);
        assert!(r.error.is_none());
        let rejected = GraphError::new(
            GraphOp::UpdatePolicy,
            ErrorKind::BadRequest {
                field: Some("state".into()),
            },
            "bad state".into(),
        );
        let r = w.report(Err(rejected));
        assert!(r.error.is_some());
        assert_eq!(r.field_error, Some(("state".into(), "bad state".into())));
    }

    #[test]
    fn the_pilot_request_reads_the_members_box() {
        let mut draft = Draft::new();
        let i = draft
            .steps
            .iter()
            .position(|s| s.kind == crate::app::draft::StepKind::Pilot)
            .unwrap();
        draft.apply(Action::Select(i));
        draft.apply(Action::SetNewGroupName("  Passkey pilot ".into()));
        let req = pilot_request(
            &draft,
            "a@contoso.com\n b@contoso.com ;c@contoso.com,,\n",
            true,
        )
        .unwrap();
        assert_eq!(req.group_name, "Passkey pilot");
        assert_eq!(
            req.members,
            ["a@contoso.com", "b@contoso.com", "c@contoso.com"]
        );
        assert!(req.update_existing);
        assert_eq!(req.policy, draft.effective_policy(i));
    }

    fn fido2_patch() -> MethodPatch {
        use crate::builders::methods::{self, CurrentConfig, Method, PasskeySettings};
        let current = CurrentConfig::service_default(Method::Fido2);
        methods::fido2_patch(&PasskeySettings::new(GROUP), &current).unwrap()
    }

    fn read(text: &str) -> crate::graph::auth_methods::ReadConfig {
        use crate::builders::methods::{CurrentConfig, Method};
        crate::graph::auth_methods::ReadConfig {
            config: CurrentConfig::service_default(Method::Fido2),
            text: text.into(),
        }
    }

    #[test]
    fn a_method_patch_report_puts_what_the_tenant_holds_back_in_the_box() {
        let patch = fido2_patch();
        let label = patch.method.label();
        let sent = method_patch_report(
            &patch,
            MethodPatchOutcome::Sent {
                after: Ok(read("stored")),
            },
        );
        assert!(sent.ok);
        assert_eq!(sent.stored.as_deref(), Some("stored"));
        assert!(sent
            .text
            .starts_with(&format!("Updated the {label} configuration.")));
        let e = GraphError::new(
            GraphOp::ReadAuthMethodsPolicy,
            ErrorKind::BadResponse,
            "x".into(),
        );
        let unread = method_patch_report(&patch, MethodPatchOutcome::Sent { after: Err(e) });
        assert!(unread.ok && unread.stored.is_none());
        assert!(
            unread.text.contains("reading it back failed"),
            "{}",
            unread.text
        );
        let changed =
            method_patch_report(&patch, MethodPatchOutcome::Changed { now: read("live") });
        assert!(!changed.ok);
        assert_eq!(changed.stored.as_deref(), Some("live"));
        assert!(
            changed.text.starts_with("Nothing was sent"),
            "{}",
            changed.text
        );
        assert!(patch.effect.assumed_default);
        assert!(changed
            .text
            .contains("the preview assumed the service default"));
    }

    #[test]
    fn a_strength_is_a_success_only_when_it_allows_exactly_the_aaguids() {
        let created = StrengthOutcome::Created {
            id: "s1".into(),
            restriction_error: None,
        };
        let (ok, text) = strength_report(" Passkeys ", &created);
        assert!(ok);
        assert_eq!(text, created.summary("Passkeys"));
        let differs = StrengthOutcome::Existing {
            id: "s1".into(),
            restriction: Restriction::Differs { stored: vec![] },
        };
        assert!(!strength_report("Passkeys", &differs).0);
        let same = StrengthOutcome::Existing {
            id: "s1".into(),
            restriction: Restriction::Added,
        };
        assert!(strength_report("Passkeys", &same).0);
        let taken = StrengthOutcome::NameTaken {
            ids: vec![],
            built_in: true,
        };
        assert!(!strength_report("Passkeys", &taken).0);
    }
}
