//! The pilot as a plan: what the tenant holds is read first ([`survey`], reads only), then
//! [`plan`] turns it into the ordered writes (create the group or reuse the one of that name,
//! add each member not in it yet, then the policy narrowed to the group), which the page
//! previews ([`PilotPlan::preview`]) and, once the admin confirms, [`send`]s exactly as
//! previewed. The only value filled in while sending is the id Graph gives a created group,
//! shown in the preview as [`NEW_GROUP_SHOWN`].
//!
//! Whatever already exists is left out of the plan, so a run stopped half-way is resumed by
//! running the pilot again, and a re-run over a finished pilot plans nothing.

use crate::graph::flows::{self, Deployed, NameCheckNote, PilotRequest};
use crate::graph::ops::{self, Change, Group, GroupMatch, UserRef, WritePlan};
use crate::graph::{Cloud, ErrorKind, Graph, GraphError, GraphOp, Request, Transport};
use crate::guid::{Guid, GuidKind};
use crate::policy::edit;

use super::AppError;
use crate::policy::Policy;

/// Stands for the id of the group the plan creates, in the preview (a GUID no group has, so
/// the requests are built the same way for the preview and the send).
pub const NEW_GROUP: &str = "00000000-0000-0000-0000-000000000000";
/// How the preview shows [`NEW_GROUP`].
pub const NEW_GROUP_SHOWN: &str = "{id of the new group}";

/// A member as the directory names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PilotUser {
    pub id: Guid,
    pub upn: String,
    pub display_name: String,
}

impl PilotUser {
    /// `Ada Lovelace (ada@contoso.com)`, or the one name there is.
    pub fn label(&self) -> String {
        crate::names::user_label(self.id.as_str(), &self.display_name, &self.upn)
    }

    /// Reads a user object (`id`, `userPrincipalName`, `displayName`).
    pub fn read(v: &serde_json::Value) -> Option<PilotUser> {
        let text = |k: &str| v.get(k).and_then(|s| s.as_str()).unwrap_or("").to_string();
        Some(PilotUser {
            id: Guid::parse(v.get("id")?.as_str()?, GuidKind::Object).ok()?,
            upn: text("userPrincipalName"),
            display_name: text("displayName"),
        })
    }
}

/// What the reads found, the planner's only input from the tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct Survey {
    pub group: GroupMatch,
    /// Users already in the group (empty when it does not exist).
    pub in_group: Vec<Guid>,
    /// Each entry of the member list, as typed, and the user it names or why not.
    pub users: Vec<(String, Result<PilotUser, AppError>)>,
    /// Policies with the pilot policy's name, as v1.0 and beta list them together.
    pub policies: Vec<Policy>,
    /// Ids of those only beta listed.
    pub beta_only: Vec<String>,
    /// Why beta's list was not read; `None` when it was.
    pub beta_unread: Option<GraphError>,
}

/// The group step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupStep {
    Reuse(Group),
    Create { name: String },
}

/// The policy step: what is found under its name, and whether to update it.
#[derive(Debug, Clone, PartialEq)]
enum PolicyFound {
    None,
    One { id: Guid, current: Box<Policy> },
}

/// The pilot's writes, planned from a [`Survey`].
#[derive(Debug, Clone, PartialEq)]
pub struct PilotPlan {
    pub cloud: Cloud,
    pub group: GroupStep,
    pub to_add: Vec<PilotUser>,
    /// Already members: nothing is sent for them.
    pub already: Vec<PilotUser>,
    /// Entries that name no user: left out, with why.
    pub unknown: Vec<(String, AppError)>,
    pub policy_name: String,
    policy: Policy,
    found: PolicyFound,
    update_existing: bool,
    /// What the name check did not see, or that the namesake is listed by beta only.
    pub name_note: Option<NameCheckNote>,
}

/// What one request does.
#[derive(Debug, Clone, PartialEq)]
pub enum StepKind {
    CreateGroup,
    AddMember(PilotUser),
    CreatePolicy,
    UpdatePolicy(Guid),
}

/// One request of the plan, with what the admin reads about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub kind: StepKind,
    /// `Create the security group "Pilot"`, `Add Ada Lovelace (ada@…) to "Pilot"`.
    pub label: String,
    pub request: Request,
    /// The policy's write: its plan (the diff rows the preview shows).
    pub write: Option<WritePlan>,
}

impl Step {
    /// The request line as the preview shows it.
    pub fn shown_line(&self) -> String {
        shown(&self.request.request_line())
    }

    /// The body as the preview shows it.
    pub fn shown_body(&self) -> String {
        shown(self.request.body.as_deref().unwrap_or(""))
    }

    /// The policy's changes (for an update, what differs; for a create, every property).
    pub fn changes(&self) -> &[Change] {
        self.write.as_ref().map_or(&[], |w| &w.changes)
    }
}

/// `text` with [`NEW_GROUP`] as [`NEW_GROUP_SHOWN`].
pub fn shown(text: &str) -> String {
    text.replace(NEW_GROUP, NEW_GROUP_SHOWN)
}

/// Plans the writes; `Err` when the name picks no single security group or several policies.
pub fn plan(req: &PilotRequest, cloud: Cloud, survey: Survey) -> Result<PilotPlan, AppError> {
    let name = req.group_name.trim().to_string();
    let group = match survey.group {
        GroupMatch::One(g) => GroupStep::Reuse(g),
        GroupMatch::None => GroupStep::Create { name: name.clone() },
        GroupMatch::Ambiguous(groups) => {
            return Err(AppError::AmbiguousGroup {
                name,
                ids: ids(&groups),
            })
        }
        GroupMatch::NotSecurity(groups) => {
            return Err(AppError::NotSecurityGroup {
                name,
                ids: ids(&groups),
            })
        }
    };
    let mut to_add: Vec<PilotUser> = vec![];
    let mut already: Vec<PilotUser> = vec![];
    let mut unknown = vec![];
    for (entry, user) in survey.users {
        match user {
            Err(why) => unknown.push((entry, why)),
            // The same user typed twice (by name and by id) is added once.
            Ok(u) if to_add.iter().chain(&already).any(|x| x.id == u.id) => {}
            Ok(u) if survey.in_group.contains(&u.id) => already.push(u),
            Ok(u) => to_add.push(u),
        }
    }
    let policy_name = edit::display_name(&req.policy);
    let found = match survey.policies.as_slice() {
        [] => PolicyFound::None,
        [one] => PolicyFound::One {
            id: ops::policy_id_of(one).ok_or_else(|| AppError::PolicyWithoutId {
                name: policy_name.clone(),
            })?,
            current: Box::new(one.clone()),
        },
        many => {
            return Err(AppError::AmbiguousPolicy {
                name: policy_name,
                ids: many.iter().filter_map(|p| p.id.value().cloned()).collect(),
            })
        }
    };
    let name_note = match &found {
        PolicyFound::One { id, .. } if !survey.beta_only.is_empty() => {
            // Only an update compares against beta's copy; a policy left alone needs no note.
            req.update_existing
                .then(|| NameCheckNote::BetaOnly { id: id.clone() })
        }
        _ => survey.beta_unread.map(NameCheckNote::BetaUnread),
    };
    Ok(PilotPlan {
        name_note,
        cloud,
        group,
        to_add,
        already,
        unknown,
        policy_name,
        policy: req.policy.clone(),
        found,
        update_existing: req.update_existing,
    })
}

fn ids(groups: &[Group]) -> Vec<Guid> {
    groups.iter().map(|g| g.id.clone()).collect()
}

fn new_group() -> Guid {
    Guid::parse(NEW_GROUP, GuidKind::Object).expect("a GUID")
}

impl PilotPlan {
    pub fn group_name(&self) -> &str {
        match &self.group {
            GroupStep::Reuse(g) => &g.display_name,
            GroupStep::Create { name } => name,
        }
    }

    /// The group's id when it exists already.
    pub fn existing_group(&self) -> Option<&Guid> {
        match &self.group {
            GroupStep::Reuse(g) => Some(&g.id),
            GroupStep::Create { .. } => None,
        }
    }

    /// The requests, in order, for the group `group` (the created group's id once it exists).
    pub fn steps(&self, group: &Guid) -> Vec<Step> {
        let cloud = self.cloud;
        let name = self.group_name();
        let mut steps = vec![];
        if let GroupStep::Create { name } = &self.group {
            steps.push(Step {
                kind: StepKind::CreateGroup,
                label: format!("Create the security group \"{name}\""),
                request: ops::create_group(cloud, name),
                write: None,
            });
        }
        for u in &self.to_add {
            steps.push(Step {
                kind: StepKind::AddMember(u.clone()),
                label: format!("Add {} to \"{name}\"", u.label()),
                request: ops::add_member(cloud, group, &u.id),
                write: None,
            });
        }
        let narrowed = ops::wire_pilot_group(&self.policy, group);
        match &self.found {
            PolicyFound::None => {
                let write = ops::plan_create(cloud, &narrowed);
                steps.push(Step {
                    kind: StepKind::CreatePolicy,
                    label: format!(
                        "Create the policy \"{}\", narrowed to \"{name}\"",
                        self.policy_name
                    ),
                    request: write.request.clone(),
                    write: Some(write),
                });
            }
            PolicyFound::One { id, current } if self.update_existing => {
                if let Some(write) = ops::update_policy(cloud, id, current, &narrowed) {
                    steps.push(Step {
                        kind: StepKind::UpdatePolicy(id.clone()),
                        label: format!(
                            "Update the policy \"{}\" (id {id}) to target \"{name}\"",
                            self.policy_name
                        ),
                        request: write.request.clone(),
                        write: Some(write),
                    });
                }
            }
            PolicyFound::One { .. } => {}
        }
        steps
    }

    /// The requests as the preview shows them: for a group to create, its id is
    /// [`NEW_GROUP`] (shown as [`NEW_GROUP_SHOWN`]).
    pub fn preview(&self) -> Vec<Step> {
        self.steps(
            self.existing_group()
                .cloned()
                .as_ref()
                .unwrap_or(&new_group()),
        )
    }

    /// What the plan leaves alone, in words (shown under the preview).
    pub fn notes(&self) -> Vec<String> {
        let mut notes = vec![];
        if let GroupStep::Reuse(g) = &self.group {
            notes.push(format!(
                "The security group \"{}\" exists (id {}): it is reused.",
                g.display_name, g.id
            ));
        }
        for u in &self.already {
            notes.push(format!("{} is already a member.", u.label()));
        }
        for (entry, why) in &self.unknown {
            notes.push(format!("{entry:?} is left out: {why}"));
        }
        if let PolicyFound::One { id, .. } = &self.found {
            let wanted = self.existing_group().cloned().unwrap_or_else(new_group);
            let narrowed = ops::wire_pilot_group(&self.policy, &wanted);
            let differs = self.existing_group().is_none()
                || ops::update_policy(self.cloud, id, self.current().unwrap(), &narrowed).is_some();
            if !differs {
                notes.push(format!(
                    "The policy \"{}\" (id {id}) already targets the group.",
                    self.policy_name
                ));
            } else if !self.update_existing {
                notes.push(format!(
                    "A policy named \"{}\" exists (id {id}) and is left unchanged (tick \"offer to update it\" to narrow it to the group).",
                    self.policy_name
                ));
            }
        }
        notes.extend(self.name_note.as_ref().map(NameCheckNote::text));
        notes
    }

    fn current(&self) -> Option<&Policy> {
        match &self.found {
            PolicyFound::One { current, .. } => Some(current),
            PolicyFound::None => None,
        }
    }
}

// ---------------------------------------------------------------- reads

/// Reads what the plan needs: the group by name and its members, every member of the list
/// (by name or id, so messages can name them), the policies with the pilot policy's name
/// (v1.0 and beta; a beta list that fails is kept in the survey, not an error).
/// Reads only: nothing is written. `Err` for a member list that does not parse (nothing was
/// read then) or a read that failed.
pub async fn survey<T: Transport>(g: &Graph<T>, req: &PilotRequest) -> Result<Survey, GraphError> {
    let entries = req.checked_members()?;
    let name = req.group_name.trim();
    let found = g.collect(ops::find_group_by_name(g.cloud, name), 5).await?;
    let group = ops::match_group(&found.items, name);
    let in_group = match &group {
        GroupMatch::One(grp) => g
            .collect(ops::list_user_members(g.cloud, &grp.id), 50)
            .await?
            .items
            .iter()
            .filter_map(PilotUser::read)
            .map(|u| u.id)
            .collect(),
        _ => vec![],
    };
    let mut users = vec![];
    for (entry, user) in entries {
        let request = match &user {
            UserRef::Upn(upn) => ops::get_user(g.cloud, upn),
            UserRef::Id(id) => ops::get_user_by_id(g.cloud, id),
        };
        let found = match g.send_json(&request).await {
            Ok(v) => PilotUser::read(&v).ok_or(AppError::UserWithoutId),
            Err(e) if e.kind == ErrorKind::NotFound => Err(AppError::NoSuchUser),
            Err(e) if e.kind == ErrorKind::Cancelled => return Err(e),
            Err(e) => Err(AppError::UserRead(Box::new(e))),
        };
        users.push((entry, found));
    }
    // v1.0 leaves out policies that use beta-only features: beta is listed too, so such a
    // namesake is not created a second time.
    let found = flows::find_namesakes(g, &edit::display_name(&req.policy)).await?;
    Ok(Survey {
        group,
        in_group,
        users,
        policies: found.policies,
        beta_only: found.beta_only,
        beta_unread: found.beta_unread,
    })
}

// ---------------------------------------------------------------- send

/// Where one step is while the plan is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum StepState {
    Waiting,
    Sending,
    Done,
    /// Graph said the user is in the group already: the same outcome.
    AlreadyDone,
    Failed(String),
    /// Not sent because an earlier step failed.
    NotSent,
}

/// What sending did: each step's state, and what exists now.
#[derive(Debug, Clone, PartialEq)]
pub struct SendReport {
    pub steps: Vec<(String, StepState)>,
    /// The group, once it exists (reused or created).
    pub group: Option<Guid>,
    pub policy: Option<Deployed>,
    /// The step that failed and Graph's error.
    pub failed: Option<(String, GraphError)>,
}

impl SendReport {
    /// One paragraph: what was done, which request failed and why, what was not sent.
    pub fn summary(&self, plan: &PilotPlan) -> String {
        let done: Vec<&str> = self
            .steps
            .iter()
            .filter(|(_, s)| matches!(s, StepState::Done | StepState::AlreadyDone))
            .map(|(l, _)| l.as_str())
            .collect();
        let group = self
            .group
            .as_ref()
            .map(|id| format!(" The group \"{}\" has id {id}.", plan.group_name()))
            .unwrap_or_default();
        match &self.failed {
            None => format!(
                "Pilot sent: {} request{} done.{group}{}",
                done.len(),
                if done.len() == 1 { "" } else { "s" },
                self.policy
                    .as_ref()
                    .map(|d| format!(
                        " The policy \"{}\" (id {}) is now {}.",
                        plan.policy_name,
                        d.id,
                        super::deploy::state_label(&d.policy)
                    ))
                    .unwrap_or_default()
            ),
            Some((label, e)) => {
                let position = self
                    .steps
                    .iter()
                    .position(|(l, _)| l == label)
                    .map_or(0, |i| i + 1);
                let not_sent = self
                    .steps
                    .iter()
                    .filter(|(_, s)| *s == StepState::NotSent)
                    .count();
                format!(
                    "Request {position} of {} failed: {label}: {} Done before it: {}.{group} \
                     {not_sent} request{} not sent. Run the pilot again to resume: what exists is reused, not created twice.",
                    self.steps.len(),
                    e.user_message(),
                    if done.is_empty() { "nothing".to_string() } else { done.join("; ") },
                    if not_sent == 1 { " was" } else { "s were" },
                )
            }
        }
    }
}

/// Sends the previewed steps in order, reporting each step's state through `on_step`
/// (`index`, state). The requests are [`PilotPlan::steps`] for the group's id, which are the
/// preview's with the created group's id in place of [`NEW_GROUP`]; the first failure stops
/// the run.
pub async fn send<T: Transport>(
    g: &Graph<T>,
    plan: &PilotPlan,
    on_step: impl Fn(usize, StepState),
) -> SendReport {
    let preview = plan.preview();
    let mut report = SendReport {
        steps: preview
            .iter()
            .map(|s| (s.label.clone(), StepState::Waiting))
            .collect(),
        group: plan.existing_group().cloned(),
        policy: None,
        failed: None,
    };
    let set = |report: &mut SendReport, i: usize, state: StepState| {
        report.steps[i].1 = state.clone();
        on_step(i, state);
    };
    let mut steps = preview.clone();
    for i in 0..preview.len() {
        set(&mut report, i, StepState::Sending);
        let step = &steps[i];
        let outcome: Result<StepState, GraphError> = match &step.kind {
            StepKind::CreateGroup => match created_group(g, &step.request).await {
                Ok(id) => {
                    // From here on the requests carry the created group's id.
                    steps = plan.steps(&id);
                    report.group = Some(id);
                    Ok(StepState::Done)
                }
                Err(e) => Err(e),
            },
            StepKind::AddMember(_) => match g.send(&step.request).await {
                Ok(_) => Ok(StepState::Done),
                Err(e) if ops::is_already_member(&e) => Ok(StepState::AlreadyDone),
                Err(e) => Err(e),
            },
            StepKind::CreatePolicy => flows::send_create(g, &step.request).await.map(|d| {
                report.policy = Some(d);
                StepState::Done
            }),
            StepKind::UpdatePolicy(id) => {
                let write = step
                    .write
                    .as_ref()
                    .expect("an update step carries its plan");
                match flows::apply_patch(g, id, write).await {
                    Ok(d) => {
                        report.policy = Some(d);
                        Ok(StepState::Done)
                    }
                    // The PATCH went through; only reading it back failed.
                    Err(e) if e.op == GraphOp::GetPolicy => Ok(StepState::Done),
                    Err(e) => Err(e),
                }
            }
        };
        match outcome {
            Ok(state) => set(&mut report, i, state),
            Err(e) => {
                set(&mut report, i, StepState::Failed(e.user_message()));
                for j in i + 1..preview.len() {
                    set(&mut report, j, StepState::NotSent);
                }
                report.failed = Some((steps[i].label.clone(), e));
                break;
            }
        }
    }
    report
}

async fn created_group<T: Transport>(g: &Graph<T>, request: &Request) -> Result<Guid, GraphError> {
    let response = g.send(request).await?;
    let v = crate::graph::body::read_json(GraphOp::CreateGroup, &response, "the created group")?;
    ops::read_group(&v).map(|grp| grp.id).ok_or_else(|| {
        GraphError::bad_response(
            GraphOp::CreateGroup,
            &response,
            "the created group has no valid id",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::draft::{Action, Draft, StepKind as DraftStep};
    use serde_json::json;

    const GROUP: &str = "11111111-2222-3333-4444-555555555555";
    const CREATED: &str = "99999999-2222-3333-4444-555555555555";
    const ADA: &str = "aaaaaaaa-0000-0000-0000-000000000001";
    const BOB: &str = "aaaaaaaa-0000-0000-0000-000000000002";
    const POLICY: &str = "cccccccc-0000-0000-0000-000000000001";

    fn request(members: &[&str]) -> PilotRequest {
        let mut draft = Draft::new();
        let i = draft
            .steps
            .iter()
            .position(|s| s.kind == DraftStep::Pilot)
            .unwrap();
        draft.apply(Action::Select(i));
        draft.apply(Action::SetNewGroupName("Passkey pilot".into()));
        let mut req =
            super::super::deploy::pilot_request(&draft, &members.join("\n"), true).unwrap();
        req.update_existing = true;
        req
    }

    fn user(id: &str, upn: &str, name: &str) -> PilotUser {
        PilotUser {
            id: Guid::parse(id, GuidKind::Object).unwrap(),
            upn: upn.into(),
            display_name: name.into(),
        }
    }

    fn group() -> Group {
        Group {
            id: Guid::parse(GROUP, GuidKind::Object).unwrap(),
            display_name: "Passkey pilot".into(),
            security_enabled: true,
            mail_enabled: false,
        }
    }

    fn fresh_survey() -> Survey {
        Survey {
            group: GroupMatch::None,
            in_group: vec![],
            users: vec![
                (
                    "ada@contoso.com".into(),
                    Ok(user(ADA, "ada@contoso.com", "Ada Lovelace")),
                ),
                ("nobody@contoso.com".into(), Err(AppError::NoSuchUser)),
                (BOB.into(), Ok(user(BOB, "bob@contoso.com", "Bob"))),
            ],
            policies: vec![],
            beta_only: vec![],
            beta_unread: None,
        }
    }

    #[test]
    fn a_new_pilot_plans_group_members_then_policy_in_order() {
        let req = request(&["ada@contoso.com", "nobody@contoso.com", BOB]);
        let p = plan(&req, Cloud::Global, fresh_survey()).unwrap();
        let preview = p.preview();
        let kinds: Vec<_> = preview
            .iter()
            .map(|s| std::mem::discriminant(&s.kind))
            .collect();
        assert_eq!(kinds.len(), 4);
        assert_eq!(preview[0].kind, StepKind::CreateGroup);
        assert_eq!(
            preview[0].label,
            "Create the security group \"Passkey pilot\""
        );
        assert_eq!(
            preview[1].label,
            "Add Ada Lovelace (ada@contoso.com) to \"Passkey pilot\""
        );
        assert!(preview[1]
            .shown_line()
            .contains("/groups/{id of the new group}/members/$ref"));
        assert_eq!(preview[3].kind, StepKind::CreatePolicy);
        assert!(preview[3].shown_body().contains("{id of the new group}"));
        assert!(p
            .notes()
            .iter()
            .any(|n| n.contains("nobody@contoso.com") && n.contains("no such user")));
    }

    #[test]
    fn what_is_sent_is_the_preview_with_the_created_group_id_filled_in() {
        let req = request(&["ada@contoso.com", BOB]);
        let p = plan(&req, Cloud::Global, fresh_survey()).unwrap();
        let preview = p.preview();
        let sent = p.steps(&Guid::parse(CREATED, GuidKind::Object).unwrap());
        assert_eq!(preview.len(), sent.len());
        for (shown, sent) in preview.iter().zip(&sent) {
            let fill = |t: String| t.replace(NEW_GROUP_SHOWN, CREATED);
            assert_eq!(fill(shown.shown_line()), sent.request.request_line());
            assert_eq!(
                fill(shown.shown_body()),
                sent.request.body.clone().unwrap_or_default()
            );
            assert_eq!(shown.request.method, sent.request.method);
            assert_eq!(shown.label, sent.label);
        }
        // A group that exists: the preview's requests are the sent ones, byte for byte.
        let mut survey = fresh_survey();
        survey.group = GroupMatch::One(group());
        let p = plan(&req, Cloud::Global, survey).unwrap();
        assert_eq!(
            p.preview(),
            p.steps(&Guid::parse(GROUP, GuidKind::Object).unwrap())
        );
        assert!(p
            .preview()
            .iter()
            .all(|s| !s.shown_line().contains(NEW_GROUP_SHOWN)));
    }

    #[test]
    fn a_rerun_over_a_finished_pilot_plans_nothing() {
        let req = request(&["ada@contoso.com", BOB]);
        let gid = Guid::parse(GROUP, GuidKind::Object).unwrap();
        let mut stored = ops::wire_pilot_group(&req.policy, &gid).to_post_body();
        stored["id"] = json!(POLICY);
        let survey = Survey {
            group: GroupMatch::One(group()),
            in_group: vec![
                Guid::parse(ADA, GuidKind::Object).unwrap(),
                Guid::parse(BOB, GuidKind::Object).unwrap(),
            ],
            users: fresh_survey()
                .users
                .into_iter()
                .filter(|(_, u)| u.is_ok())
                .collect(),
            policies: vec![serde_json::from_value(stored).unwrap()],
            beta_only: vec![],
            beta_unread: None,
        };
        let p = plan(&req, Cloud::Global, survey.clone()).unwrap();
        assert_eq!(p.preview(), vec![]);
        let notes = p.notes();
        assert!(
            notes
                .iter()
                .any(|n| n.contains("already targets the group")),
            "{notes:?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n == "Bob (bob@contoso.com) is already a member."),
            "{notes:?}"
        );
        // Half done (Bob not added yet, the policy not written): only the rest is planned.
        let half = Survey {
            in_group: vec![Guid::parse(ADA, GuidKind::Object).unwrap()],
            policies: vec![],
            ..survey
        };
        let p = plan(&req, Cloud::Global, half).unwrap();
        let labels: Vec<_> = p.preview().into_iter().map(|s| s.kind).collect();
        assert!(
            matches!(labels.as_slice(), [StepKind::AddMember(u), StepKind::CreatePolicy] if u.upn == "bob@contoso.com")
        );
    }

    #[test]
    fn an_existing_policy_is_updated_only_when_asked() {
        let mut req = request(&[]);
        let mut stored = req.policy.to_post_body();
        stored["id"] = json!(POLICY);
        let survey = Survey {
            group: GroupMatch::One(group()),
            in_group: vec![],
            users: vec![],
            policies: vec![serde_json::from_value(stored).unwrap()],
            beta_only: vec![],
            beta_unread: None,
        };
        let p = plan(&req, Cloud::Global, survey.clone()).unwrap();
        let steps = p.preview();
        assert!(matches!(&steps[..], [s] if matches!(s.kind, StepKind::UpdatePolicy(_))));
        assert!(steps[0]
            .changes()
            .iter()
            .any(|c| c.path.starts_with("conditions.users")));
        req.update_existing = false;
        let p = plan(&req, Cloud::Global, survey).unwrap();
        assert_eq!(p.preview(), vec![]);
        assert!(p.notes().iter().any(|n| n.contains("left unchanged")));
    }

    #[test]
    fn a_name_that_picks_no_single_group_or_policy_is_refused() {
        let req = request(&[]);
        let mut survey = fresh_survey();
        survey.group = GroupMatch::Ambiguous(vec![group(), group()]);
        let e = plan(&req, Cloud::Global, survey).unwrap_err();
        assert!(matches!(&e, AppError::AmbiguousGroup { ids, .. } if ids.len() == 2));
        assert!(
            e.to_string().starts_with("2 security groups are named"),
            "{e}"
        );
        let mut survey = fresh_survey();
        let mut a = req.policy.to_post_body();
        a["id"] = json!(POLICY);
        survey.policies = vec![
            serde_json::from_value(a.clone()).unwrap(),
            serde_json::from_value(a).unwrap(),
        ];
        let e = plan(&req, Cloud::Global, survey).unwrap_err();
        assert!(matches!(&e, AppError::AmbiguousPolicy { ids, .. } if ids.len() == 2));
        assert!(
            e.to_string()
                .starts_with("2 policies already have the name"),
            "{e}"
        );
    }

    #[test]
    fn a_failure_names_the_request_the_user_and_what_was_done() {
        let req = request(&["ada@contoso.com", BOB]);
        let p = plan(&req, Cloud::Global, fresh_survey()).unwrap();
        let labels: Vec<String> = p.preview().into_iter().map(|s| s.label).collect();
        let e = GraphError::new(GraphOp::AddGroupMember, ErrorKind::Other, "boom".into());
        let report = SendReport {
            steps: vec![
                (labels[0].clone(), StepState::Done),
                (labels[1].clone(), StepState::Done),
                (labels[2].clone(), StepState::Failed(e.user_message())),
                (labels[3].clone(), StepState::NotSent),
            ],
            group: Some(Guid::parse(CREATED, GuidKind::Object).unwrap()),
            policy: None,
            failed: Some((labels[2].clone(), e)),
        };
        let s = report.summary(&p);
        assert!(
            s.starts_with(
                "Request 3 of 4 failed: Add Bob (bob@contoso.com) to \"Passkey pilot\": "
            ),
            "{s}"
        );
        assert!(
            s.contains(
                "Done before it: Create the security group \"Passkey pilot\"; Add Ada Lovelace"
            ),
            "{s}"
        );
        assert!(
            s.contains(CREATED) && s.contains("1 request was not sent"),
            "{s}"
        );
    }

    #[test]
    fn a_user_is_named_by_what_the_directory_holds() {
        assert_eq!(
            user(ADA, "ada@contoso.com", "Ada").label(),
            "Ada (ada@contoso.com)"
        );
        assert_eq!(
            user(ADA, "ada@contoso.com", "ada@contoso.com").label(),
            "ada@contoso.com"
        );
        assert_eq!(user(ADA, "", "").label(), ADA);
    }
}
