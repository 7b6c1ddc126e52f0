//! The operations the UI runs, transport-agnostic: deploy (look for the name → create or offer an
//! update), the pilot's request (planned and sent by `crate::app::pilot`), audit load, monitor.
//! Each returns what exists afterwards, so a partial failure never leaves the admin guessing.

use crate::guid::Guid;
use crate::policy::model::Policy;

use super::cloud::ApiVersion;
use super::errors::{ErrorKind, GraphError};
use super::ops::{self, DirectoryAudit, SignIn, UserRef, WritePlan};
use super::paging::{next_page_request, Paged};
use super::permissions::GraphOp;
use super::session::Graph;
use super::transport::{Progress, Request, Transport};

// ---------------------------------------------------------------- deploy

/// What deploying the draft would do; the UI shows it and asks for confirmation.
#[derive(Debug, Clone, PartialEq)]
pub enum DeployPlan {
    /// No policy has this name: POST it. `note`: what the name check did not see.
    Create {
        plan: WritePlan,
        note: Option<NameCheckNote>,
    },
    /// One policy has this name: offer to PATCH it instead (no duplicate on retry).
    /// `patch` is `None` when it already matches the draft.
    UpdateExisting {
        id: Guid,
        current: Box<Policy>,
        patch: Option<WritePlan>,
        note: Option<NameCheckNote>,
    },
    /// Several policies share the name: refuse to guess; ids listed.
    Ambiguous { ids: Vec<String> },
}

/// What the admin must know about the name check behind a plan: v1.0 leaves out policies that
/// use beta-only features, so the check also lists beta, and says when that answer is missing
/// or is the only one that shows the namesake.
#[derive(Debug, Clone, PartialEq)]
pub enum NameCheckNote {
    /// Beta's list could not be read (refused, not found, a cloud without beta …): a
    /// namesake that only beta lists would not have been seen.
    BetaUnread(GraphError),
    /// The namesake is listed by beta only; its changes are compared against beta's copy.
    BetaOnly { id: Guid },
}

impl NameCheckNote {
    /// One or two sentences for the status line and the preview.
    pub fn text(&self) -> String {
        match self {
            NameCheckNote::BetaUnread(e) => format!(
                "Only v1.0 was searched for a policy with this name: the beta list could not be \
                 read ({}). v1.0 leaves out policies that use beta-only features, so such a \
                 policy with this name would not have been seen; check the portal before creating \
                 a second one.",
                short_reason(e)
            ),
            NameCheckNote::BetaOnly { id } => format!(
                "The policy with this name (id {id}) is listed only by beta: it uses features \
                 v1.0 does not show. The changes are compared against beta's copy and sent through \
                 v1.0; check every row that clears a setting."
            ),
        }
    }
}

/// Why a read failed, in a few words (the full message is for the step that failed itself).
fn short_reason(e: &GraphError) -> String {
    match (&e.kind, e.status) {
        (ErrorKind::Forbidden { .. }, _) => "permission denied, 403".into(),
        (ErrorKind::NotFound, _) => "not found, 404: the cloud may not offer beta".into(),
        (ErrorKind::Network, _) => "no response".into(),
        (_, Some(status)) => match &e.code {
            Some(code) => format!("{status} {code}"),
            None => format!("status {status}"),
        },
        (_, None) => e.message.clone(),
    }
}

/// The policies with one name, as v1.0 and beta list them together.
#[derive(Debug, Clone, PartialEq)]
pub struct Namesakes {
    /// Each policy once (by id), v1.0's copy where both list it: writes go through v1.0.
    pub policies: Vec<Policy>,
    /// Ids of those only beta listed.
    pub beta_only: Vec<String>,
    /// Why beta's list was not read; `None` when it was.
    pub beta_unread: Option<GraphError>,
}

/// The policies named `name`, from v1.0 and beta. A failed v1.0 read (or a cancel) is the
/// error; a failed beta read is kept in the answer, so the caller can say what was not seen.
pub async fn find_namesakes<T: Transport>(
    g: &Graph<T>,
    name: &str,
) -> Result<Namesakes, GraphError> {
    let named = |found: Paged| -> Vec<Policy> {
        ops::read_policies(found.items)
            .0
            .into_iter()
            .filter(|p| p.display_name.value().map(String::as_str) == Some(name))
            .collect()
    };
    let mut policies = named(
        g.collect(ops::find_policies_by_name(g.cloud, name), 5)
            .await?,
    );
    let beta = ops::find_policies_by_name_in(g.cloud, ApiVersion::Beta, name);
    let mut beta_only = vec![];
    let beta_unread = match g.collect(beta, 5).await {
        Ok(found) => {
            for p in named(found) {
                let id = p.id.value().cloned();
                let seen = policies
                    .iter()
                    .any(|q| q.id.value().is_some() && q.id.value() == id.as_ref());
                if !seen {
                    beta_only.extend(id);
                    policies.push(p);
                }
            }
            None
        }
        Err(e) if e.kind == ErrorKind::Cancelled => return Err(e),
        Err(e) => Some(e),
    };
    Ok(Namesakes {
        policies,
        beta_only,
        beta_unread,
    })
}

/// Looks for policies named like the draft (v1.0 and beta) and plans a create or an update.
pub async fn plan_deploy<T: Transport>(
    g: &Graph<T>,
    draft: &Policy,
) -> Result<DeployPlan, GraphError> {
    let name = draft.display_name.value().cloned().unwrap_or_default();
    let found = find_namesakes(g, &name).await?;
    let unread = found.beta_unread.map(NameCheckNote::BetaUnread);
    match found.policies.as_slice() {
        [] => Ok(DeployPlan::Create {
            plan: ops::plan_create(g.cloud, draft),
            note: unread,
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
            let note = match found.beta_only.is_empty() {
                true => unread,
                false => Some(NameCheckNote::BetaOnly { id: id.clone() }),
            };
            Ok(DeployPlan::UpdateExisting {
                id,
                current: Box::new(current.clone()),
                patch,
                note,
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
