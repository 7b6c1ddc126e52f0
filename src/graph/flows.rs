//! The operations the UI runs, transport-agnostic: deploy (look for the name → create or offer an
//! update), pilot (group → members → policy), audit load, monitor. Each returns what exists
//! afterwards, so a partial failure never leaves the admin guessing (a pilot whose policy call
//! failed still reports the group it created, with its id).

use crate::guid::Guid;
use crate::policy::model::Policy;

use super::body::read_json;
use super::cloud::ApiVersion;
use super::errors::{ErrorKind, GraphError};
use super::ops::{self, DirectoryAudit, Group, GroupMatch, SignIn, UserRef, WritePlan};
use super::paging::{next_page_request, Paged};
use super::permissions::GraphOp;
use super::session::Graph;
use super::transport::{Progress, Request, Transport};

// ---------------------------------------------------------------- deploy

/// What deploying the draft would do; the UI shows it and asks for confirmation.
#[derive(Debug, Clone, PartialEq)]
pub enum DeployPlan {
    /// No policy has this name: POST it.
    Create { plan: WritePlan },
    /// One policy has this name: offer to PATCH it instead (no duplicate on retry).
    /// `patch` is `None` when it already matches the draft.
    UpdateExisting {
        id: Guid,
        current: Box<Policy>,
        patch: Option<WritePlan>,
    },
    /// Several policies share the name: refuse to guess; ids listed.
    Ambiguous { ids: Vec<String> },
}

/// Looks for policies named like the draft and plans a create or an update.
pub async fn plan_deploy<T: Transport>(
    g: &Graph<T>,
    draft: &Policy,
) -> Result<DeployPlan, GraphError> {
    let name = draft.display_name.value().cloned().unwrap_or_default();
    let found = g
        .collect(ops::find_policies_by_name(g.cloud, &name), 5)
        .await?;
    let (policies, _) = ops::read_policies(found.items);
    let same: Vec<Policy> = policies
        .into_iter()
        .filter(|p| p.display_name.value() == Some(&name))
        .collect();
    match same.as_slice() {
        [] => Ok(DeployPlan::Create {
            plan: ops::plan_create(g.cloud, draft),
        }),
        [current] => {
            let id = ops::policy_id_of(current).ok_or_else(|| {
                GraphError::new(
                    GraphOp::ListPolicies,
                    ErrorKind::BadResponse,
                    format!("the policy named {name:?} has no valid id"),
                )
            })?;
            let patch = ops::update_policy(g.cloud, &id, current, draft);
            Ok(DeployPlan::UpdateExisting {
                id,
                current: Box::new(current.clone()),
                patch,
            })
        }
        many => Ok(DeployPlan::Ambiguous {
            ids: many.iter().filter_map(|p| p.id.value().cloned()).collect(),
        }),
    }
}

/// A policy that now exists.
#[derive(Debug, Clone, PartialEq)]
pub struct Deployed {
    pub id: Guid,
    /// As Graph returned it (after create) or re-read (after update).
    pub policy: Policy,
    pub created: bool,
}

/// POSTs the draft (201 with the created policy).
pub async fn create_policy<T: Transport>(
    g: &Graph<T>,
    draft: &Policy,
) -> Result<Deployed, GraphError> {
    send_create(g, &ops::create_policy(g.cloud, draft)).await
}

/// Sends a previewed create exactly as it was previewed.
pub async fn send_create<T: Transport>(
    g: &Graph<T>,
    request: &Request,
) -> Result<Deployed, GraphError> {
    let response = g.send(request).await?;
    let (id, policy) = ops::read_policy(&response, GraphOp::CreatePolicy)?;
    g.report(Progress::Step(format!("Created policy (id {id})")));
    Ok(Deployed {
        id,
        policy,
        created: true,
    })
}

/// Sends a planned PATCH (204), then re-reads the policy to show the stored result (a PATCH
/// answers 204 with no body, so the re-read is the only view of what Graph kept).
pub async fn apply_patch<T: Transport>(
    g: &Graph<T>,
    id: &Guid,
    plan: &WritePlan,
) -> Result<Deployed, GraphError> {
    g.send(&plan.request).await?;
    g.report(Progress::Step(format!("Updated policy (id {id})")));
    let response = g
        .send(&ops::get_policy(g.cloud, ApiVersion::V1, id))
        .await?;
    let (_, policy) = ops::read_policy(&response, GraphOp::GetPolicy)?;
    Ok(Deployed {
        id: id.clone(),
        policy,
        created: false,
    })
}

// ---------------------------------------------------------------- pilot

/// What the pilot flow is asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct PilotRequest {
    pub group_name: String,
    /// UPNs (or object ids) to add.
    pub members: Vec<String>,
    /// The policy to create, before narrowing to the group (`ops::wire_pilot_group` does that).
    pub policy: Policy,
    /// When a policy with the same name exists: PATCH it (true) or leave it alone (false).
    pub update_existing: bool,
}

/// The group step's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PilotGroup {
    pub group: Group,
    /// `false`: an existing security group with this name was reused.
    pub created: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MemberResult {
    Added { user_id: Guid },
    AlreadyMember { user_id: Guid },
    Failed(GraphError),
}

/// The pilot policy's write, planned once the group exists and sent only after the page has
/// shown it and the admin confirmed ([`send_create`], [`apply_patch`]).
#[derive(Debug, Clone, PartialEq)]
pub enum PilotPolicy {
    /// No policy has the name: its creation, narrowed to the group.
    Create(WritePlan),
    /// A policy has the name and `update_existing` was set: the PATCH that narrows it.
    Update { id: Guid, plan: WritePlan },
    /// A policy with the name exists and `update_existing` was false.
    ExistsUnchanged { id: Guid },
    /// A policy with the name exists and already matches.
    AlreadyUpToDate { id: Guid },
}

/// Everything that exists after the pilot flow. Produced once the group exists; a failure of
/// the policy step is carried in `policy`, next to the group's id.
#[derive(Debug, Clone, PartialEq)]
pub struct PilotOutcome {
    pub group: PilotGroup,
    pub members: Vec<(String, MemberResult)>,
    pub policy: Result<PilotPolicy, GraphError>,
}

impl PilotOutcome {
    /// One paragraph saying what exists now.
    pub fn summary(&self) -> String {
        let g = &self.group.group;
        let mut s = format!(
            "{} security group \"{}\" (id {}).",
            if self.group.created {
                "Created"
            } else {
                "Reused existing"
            },
            g.display_name,
            g.id
        );
        let added = self
            .members
            .iter()
            .filter(|(_, r)| {
                matches!(
                    r,
                    MemberResult::Added { .. } | MemberResult::AlreadyMember { .. }
                )
            })
            .count();
        if !self.members.is_empty() {
            s.push_str(&format!(
                " Members: {added} of {} in the group.",
                self.members.len()
            ));
            for (upn, r) in &self.members {
                if let MemberResult::Failed(e) = r {
                    s.push_str(&format!(" {upn}: {}", e.user_message()));
                }
            }
        }
        match &self.policy {
            Ok(PilotPolicy::Create(_)) => s.push_str(
                " The pilot policy is not created yet: review its body below, then confirm.",
            ),
            Ok(PilotPolicy::Update { id, .. }) => s.push_str(&format!(
                " The pilot policy (id {id}) is not updated yet: review what changes below, then confirm."
            )),
            Ok(PilotPolicy::AlreadyUpToDate { id }) => s.push_str(&format!(
                " The pilot policy (id {id}) already targets the group."
            )),
            Ok(PilotPolicy::ExistsUnchanged { id }) => s.push_str(&format!(
                " A policy with this name already exists (id {id}) and was left unchanged."
            )),
            Err(e) => {
                s.push(' ');
                s.push_str(&policy_not_written(e, &g.id));
            }
        }
        s
    }
}

/// What to say when the pilot policy could not be planned or sent after the group was made.
pub fn policy_not_written(e: &GraphError, group: &Guid) -> String {
    format!(
        "The policy was NOT created: {} The group exists (id {group}); run the pilot again to \
         reuse it, or delete it.",
        e.user_message()
    )
}

/// Finds the security group by name, or creates it.
pub async fn find_or_create_group<T: Transport>(
    g: &Graph<T>,
    name: &str,
) -> Result<PilotGroup, GraphError> {
    let found = g.collect(ops::find_group_by_name(g.cloud, name), 5).await?;
    match ops::match_group(&found.items, name) {
        GroupMatch::One(group) => {
            g.report(Progress::Step(format!("Found group \"{}\" (id {})", group.display_name, group.id)));
            Ok(PilotGroup { group, created: false })
        }
        GroupMatch::None => {
            let response = g.send(&ops::create_group(g.cloud, name)).await?;
            let v = read_json(GraphOp::CreateGroup, &response, "the created group")?;
            let group = ops::read_group(&v).ok_or_else(|| {
                GraphError::bad_response(GraphOp::CreateGroup, &response, "the created group has no valid id")
            })?;
            g.report(Progress::Step(format!("Created group \"{}\" (id {})", group.display_name, group.id)));
            Ok(PilotGroup { group, created: true })
        }
        GroupMatch::Ambiguous(groups) => Err(name_conflict(
            format!(
                "{} security groups are named {name:?} (ids {}); pick one by id",
                groups.len(),
                ids(&groups)
            ),
        )),
        GroupMatch::NotSecurity(groups) => Err(name_conflict(format!(
            "a group named {name:?} exists but is not a security group (ids {}); choose another name",
            ids(&groups)
        ))),
    }
}

fn ids(groups: &[Group]) -> String {
    groups
        .iter()
        .map(|g| g.id.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn name_conflict(message: String) -> GraphError {
    GraphError::new(GraphOp::FindGroup, ErrorKind::Conflict, message)
}

/// Adds one user (by UPN or id) to the group.
pub async fn add_member<T: Transport>(g: &Graph<T>, group: &Guid, user: &UserRef) -> MemberResult {
    let user_id = match user {
        UserRef::Id(id) => id.clone(),
        UserRef::Upn(upn) => match g.send_json(&ops::get_user(g.cloud, upn)).await {
            Ok(v) => match ops::read_user_id(&v) {
                Some(id) => id,
                None => {
                    return MemberResult::Failed(GraphError::new(
                        GraphOp::GetUser,
                        ErrorKind::BadResponse,
                        format!("the user {:?} has no valid id", upn.as_str()),
                    ))
                }
            },
            Err(e) => return MemberResult::Failed(e),
        },
    };
    match g.send(&ops::add_member(g.cloud, group, &user_id)).await {
        Ok(_) => MemberResult::Added { user_id },
        Err(e) if ops::is_already_member(&e) => MemberResult::AlreadyMember { user_id },
        Err(e) => MemberResult::Failed(e),
    }
}

impl PilotRequest {
    /// The members to add (blank entries skipped), every one checked before anything is sent;
    /// the error names each entry that is neither a user principal name nor an object id.
    pub fn checked_members(&self) -> Result<Vec<(String, UserRef)>, GraphError> {
        let mut ok = vec![];
        let mut bad = vec![];
        for m in self
            .members
            .iter()
            .map(|m| m.trim())
            .filter(|m| !m.is_empty())
        {
            match UserRef::parse(m) {
                Ok(u) => ok.push((m.to_string(), u)),
                Err(e) => bad.push(e.to_string()),
            }
        }
        if self.group_name.trim().is_empty() {
            bad.insert(0, "the pilot group needs a name".into());
        }
        if bad.is_empty() {
            Ok(ok)
        } else {
            Err(GraphError::new(
                GraphOp::AddGroupMember,
                ErrorKind::Refused,
                format!("nothing was sent: {}.", bad.join("; ")),
            ))
        }
    }
}

/// Group → members → the policy's write, planned. Every member is checked first: one that is
/// not a user principal name or an object id stops the run before any request. `Err` only when
/// the check or the group step failed (then nothing was created by this run).
pub async fn pilot<T: Transport>(
    g: &Graph<T>,
    req: &PilotRequest,
) -> Result<PilotOutcome, GraphError> {
    let users = req.checked_members()?;
    let group = find_or_create_group(g, req.group_name.trim()).await?;
    let mut members = vec![];
    for (entry, user) in users {
        if g.cancel.is_cancelled() {
            members.push((
                entry,
                MemberResult::Failed(GraphError::cancelled(GraphOp::AddGroupMember)),
            ));
            continue;
        }
        let r = add_member(g, &group.group.id, &user).await;
        members.push((entry, r));
    }
    let draft = ops::wire_pilot_group(&req.policy, &group.group.id);
    let policy = plan_pilot_policy(g, &draft, req.update_existing).await;
    Ok(PilotOutcome {
        group,
        members,
        policy,
    })
}

async fn plan_pilot_policy<T: Transport>(
    g: &Graph<T>,
    draft: &Policy,
    update_existing: bool,
) -> Result<PilotPolicy, GraphError> {
    match plan_deploy(g, draft).await? {
        DeployPlan::Create { plan } => Ok(PilotPolicy::Create(plan)),
        DeployPlan::UpdateExisting {
            id, patch: None, ..
        } => Ok(PilotPolicy::AlreadyUpToDate { id }),
        DeployPlan::UpdateExisting { id, .. } if !update_existing => {
            Ok(PilotPolicy::ExistsUnchanged { id })
        }
        DeployPlan::UpdateExisting {
            id,
            patch: Some(plan),
            ..
        } => Ok(PilotPolicy::Update { id, plan }),
        DeployPlan::Ambiguous { ids } => Err(GraphError::new(
            GraphOp::ListPolicies,
            ErrorKind::Conflict,
            format!(
                "{} policies already have this name (ids {}); rename the draft",
                ids.len(),
                ids.join(", ")
            ),
        )),
    }
}

// ---------------------------------------------------------------- audit

/// All policies, for the audit table.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyList {
    pub version: ApiVersion,
    pub policies: Vec<Policy>,
    /// Items that could not be read as policies ("item 3: …").
    pub unreadable: Vec<String>,
    pub pages: usize,
    /// The page cap stopped the listing before the end.
    pub truncated: bool,
}

pub async fn load_policies<T: Transport>(
    g: &Graph<T>,
    version: ApiVersion,
    max_pages: usize,
) -> Result<PolicyList, GraphError> {
    let paged = g
        .collect(ops::list_policies(g.cloud, version), max_pages)
        .await?;
    let truncated = paged.truncated();
    let pages = paged.pages;
    let (policies, unreadable) = ops::read_policies(paged.items);
    Ok(PolicyList {
        version,
        policies,
        unreadable,
        pages,
        truncated,
    })
}

// ---------------------------------------------------------------- monitor

/// Log entries of one kind, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct LogPage<T> {
    pub entries: Vec<T>,
    /// Entries Graph returned that could not be read.
    pub unreadable: usize,
    /// Requests whose further pages were not loaded (page cap), to continue with
    /// [`Graph::page`] / [`Graph::collect`].
    pub more: Vec<Request>,
}

/// The monitor's order (also after a further page is merged in): newest first.
pub fn newest_audits_first(v: &mut [DirectoryAudit]) {
    crate::sort::sort_by(v, |a, b| b.activity_date_time.cmp(&a.activity_date_time));
}

pub fn newest_sign_ins_first(v: &mut [SignIn]) {
    crate::sort::sort_by(v, |a, b| b.created_date_time.cmp(&a.created_date_time));
}

/// Registration events (one query per activity, merged newest first).
pub async fn load_registration_events<T: Transport>(
    g: &Graph<T>,
    query: &ops::RegistrationQuery,
    max_pages: usize,
) -> Result<LogPage<DirectoryAudit>, GraphError> {
    let mut entries: Vec<DirectoryAudit> = vec![];
    let mut unreadable = 0;
    let mut more = vec![];
    for request in query.requests(g.cloud) {
        let paged = g.collect(request.clone(), max_pages).await?;
        collect_more(&request, &paged, &mut more);
        let (ok, bad) = ops::read_entries(paged.items);
        entries.extend(ok);
        unreadable += bad;
    }
    newest_audits_first(&mut entries);
    Ok(LogPage {
        entries,
        unreadable,
        more,
    })
}

/// Sign-ins matching the query.
pub async fn load_sign_ins<T: Transport>(
    g: &Graph<T>,
    query: &ops::SignInQuery,
    max_pages: usize,
) -> Result<LogPage<SignIn>, GraphError> {
    let request = query.request(g.cloud);
    let paged = g.collect(request.clone(), max_pages).await?;
    let mut more = vec![];
    collect_more(&request, &paged, &mut more);
    let (mut entries, unreadable): (Vec<SignIn>, usize) = ops::read_entries(paged.items);
    newest_sign_ins_first(&mut entries);
    Ok(LogPage {
        entries,
        unreadable,
        more,
    })
}

fn collect_more(first: &Request, paged: &Paged, more: &mut Vec<Request>) {
    if let Some(next) = &paged.more {
        more.push(next_page_request(first, next.clone()));
    }
}
