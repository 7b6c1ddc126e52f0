//! The bootstrap proof as the page shows it: the built-in personas (members of the draft's
//! pilot group, when it has one) on the built-in devices, proved against the draft's policies
//! (imported ones among them) and, connected, the tenant's; with the passkey and Temporary
//! Access Pass methods as the rollout would set them, as a new tenant has them, or as pasted.
//!
//! Each cell says ready or blocked, the step that failed, the blocking policy by name and id,
//! why, and the fix in words; fixes the product can build are [`Fix`]es: a change to a draft
//! policy (previewed as a diff, then applied to the draft, after which the grid is recomputed
//! from the new draft), or a hand-off to the page's TAP issuance or passkey panel.
//!
//! Switching a report-only policy On is preceded by the proof: [`switch_on`] is the grid with
//! that one policy On, and the cells it would block that are ready now.

use serde_json::json;

use super::draft::CustomPersona;
use super::draft::{Draft, Step as DraftStep, StepKind};
use super::rollout::{draft_pilot_id, MethodsForm, MethodsSettings};
use super::tenant_reads::PilotRows;
use super::whatif::policy_set;
use crate::analysis::bootstrap::{
    builtin_personas, grid, Holder, MethodsPolicy, PersonaVerdict, Proof, Step, StepResult,
    Strengths, METHODS_POLICY,
};
use crate::analysis::read as policy_read;
use crate::analysis::whatif::evaluate::{Directory, NamedLocations};
use crate::builders::methods::Method;
use crate::builders::strength::CREDENTIAL_REGISTRATION_APP;
use crate::graph::flows::PolicyList;
use crate::policy::diff::{policy_changes, Names};
use crate::policy::edit::{self, IdList};
use crate::policy::model::{Policy, PolicyState};

/// Where the grid takes the passkey and Temporary Access Pass method settings from. Both
/// choices but the defaults read the draft's methods form ([`Draft::methods`]): its settings
/// (what the passkey panel plans) or its current configurations (what the tenant holds, pasted
/// in the passkey panel or read from the tenant by either panel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MethodsSource {
    /// As the passkey panel's rollout sets them for the pilot group (its settings).
    #[default]
    Planned,
    /// The tenant's current configurations, as the draft holds them.
    Tenant,
    /// Microsoft's defaults for a new tenant (both methods disabled).
    Defaults,
}

impl MethodsSource {
    pub const ALL: [MethodsSource; 3] = [
        MethodsSource::Planned,
        MethodsSource::Tenant,
        MethodsSource::Defaults,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MethodsSource::Planned => "planned",
            MethodsSource::Tenant => "tenant",
            MethodsSource::Defaults => "defaults",
        }
    }

    pub fn from_code(code: &str) -> MethodsSource {
        MethodsSource::ALL
            .into_iter()
            .find(|m| m.code() == code)
            .unwrap_or_default()
    }

    pub fn words(self) -> &'static str {
        match self {
            MethodsSource::Planned => "As the passkey panel plans them for the pilot group",
            MethodsSource::Tenant => "The tenant's current settings (read from the tenant, or pasted in the passkey panel)",
            MethodsSource::Defaults => "Microsoft's defaults for a new tenant",
        }
    }

    /// What the grid uses, said under the choice.
    pub fn explanation(self, form: &MethodsForm) -> String {
        match self {
            MethodsSource::Planned => "The grid uses the passkey panel's settings: Passkey (FIDO2) and Temporary Access Pass as its PATCHes leave them, for the pilot group (its override, else the Pilot phase's). An edit there changes the grid.".into(),
            MethodsSource::Tenant => {
                let held = |t: &str| if t.trim().is_empty() { "nothing read (Microsoft's default)" } else { "held" };
                format!(
                    "The grid uses the tenant's current configurations as the draft holds them (passkey: {}; Temporary Access Pass: {}): what the pilot meets before the PATCHes are sent.",
                    held(&form.fido2_current),
                    held(&form.tap_current)
                )
            }
            MethodsSource::Defaults => "The grid uses Microsoft's defaults for a new tenant: Passkey (FIDO2) and Temporary Access Pass disabled.".into(),
        }
    }
}

/// What the grid proves against from the tenant, as far as it has been read: its policies
/// (as the audit listed them), its authentication strengths, the pilot group's members with
/// their registered methods. Each missing part is said in the notes or left to the defaults.
#[derive(Debug, Clone, Copy, Default)]
pub struct TenantInputs<'a> {
    pub policies: Option<&'a PolicyList>,
    pub strengths: Option<&'a Strengths>,
    pub pilot_rows: Option<&'a PilotRows>,
}

impl<'a> TenantInputs<'a> {
    /// The tenant's policies and nothing else.
    pub fn policies(list: &'a PolicyList) -> TenantInputs<'a> {
        TenantInputs {
            policies: Some(list),
            ..TenantInputs::default()
        }
    }
}

/// The grid's own choices (the method settings themselves are the draft's).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BootstrapForm {
    /// Report-only policies enforced as if On (a preview of the rollout).
    pub preview_on: bool,
    /// Prove against the tenant's policies too, when they have been listed.
    pub with_tenant: bool,
    pub methods: MethodsSource,
}

/// The policy that blocks a cell, as the admin knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocker {
    /// The policy's id, its display name when it has none yet, or `authenticationMethodsPolicy`.
    pub id: String,
    pub name: String,
}

/// Where a policy of the proof came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Draft(usize),
    Tenant,
}

/// A fix the product can build.
#[derive(Debug, Clone, PartialEq)]
pub enum Fix {
    /// A change to a policy: the draft step's (`step`), or a tenant policy's, which is added
    /// to the draft as an imported step that updates it. `changes` is the diff in words,
    /// shown before the change is applied.
    Policy {
        step: Option<usize>,
        policy_name: String,
        what: String,
        changes: Vec<String>,
        after: Box<Policy>,
    },
    /// Issue a Temporary Access Pass to the pilot users (the Graph panel's TAP issuance).
    IssueTap,
    /// Enable passkeys in Microsoft Authenticator for the pilot group, admitting the
    /// Authenticator AAGUIDs in the pilot's passkey profile (the passkey panel's plan).
    PasskeyPlan,
}

impl Fix {
    /// The button's words.
    pub fn label(&self) -> String {
        match self {
            Fix::Policy {
                what, policy_name, ..
            } => format!("{what} in {policy_name:?}"),
            Fix::IssueTap => "Issue a Temporary Access Pass (Microsoft Graph panel)".into(),
            Fix::PasskeyPlan => {
                "Admit the Microsoft Authenticator AAGUIDs for the pilot (passkey panel's plan)"
                    .into()
            }
        }
    }

    /// The draft with the fix applied; `None` for a hand-off to another part of the page.
    pub fn apply(&self, draft: &Draft) -> Option<Draft> {
        let Fix::Policy { step, after, .. } = self else {
            return None;
        };
        let mut d = draft.clone();
        match step {
            Some(i) => d.steps.get_mut(*i)?.policy = (**after).clone(),
            None => d.steps.push(DraftStep {
                kind: StepKind::Imported,
                update_policy_id: after.id.value().cloned().unwrap_or_default(),
                policy: (**after).clone(),
                new_group_name: String::new(),
            }),
        }
        Some(d)
    }
}

/// One cell: persona (row) on device (column).
#[derive(Debug, Clone, PartialEq)]
pub struct CellView {
    pub ready: bool,
    pub step: Option<Step>,
    pub blocker: Option<Blocker>,
    pub journey: PersonaVerdict,
    pub fixes: Vec<Fix>,
}

impl CellView {
    /// "ready", or "blocked by NAME at STEP" (what a screen reader and the title say).
    pub fn words(&self) -> String {
        match (&self.blocker, self.step) {
            _ if self.ready => "ready".into(),
            (Some(b), Some(s)) => format!("blocked by {} at {}", b.name, step_title(s)),
            (None, Some(s)) => format!("blocked at {}", step_title(s)),
            _ => "blocked".into(),
        }
    }
}

/// The grid for the page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GridView {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub cells: Vec<Vec<CellView>>,
    /// Per row: `Some(column)` for a persona of the admin's, proved on that device only (its
    /// other cells are not shown or counted); `None` for a built-in row.
    pub only: Vec<Option<usize>>,
    /// What the proof assumed (methods, personas, report-only preview).
    pub notes: Vec<String>,
    /// Why there is no grid (a pasted methods policy that cannot be read, a persona the
    /// What-If cannot read).
    pub error: Option<String>,
}

impl GridView {
    pub fn ready_count(&self) -> (usize, usize) {
        let shown: Vec<&CellView> = self
            .cells
            .iter()
            .enumerate()
            .flat_map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .filter(move |(c, _)| self.shown(r, *c))
            })
            .map(|(_, cell)| cell)
            .collect();
        (shown.iter().filter(|c| c.ready).count(), shown.len())
    }

    /// Whether cell (`r`, `c`) is one the grid shows (a persona of the admin's is on one device).
    pub fn shown(&self, r: usize, c: usize) -> bool {
        match self.only.get(r) {
            Some(Some(col)) => *col == c,
            _ => true,
        }
    }
}

/// A step's name for a reader.
pub fn step_title(s: Step) -> &'static str {
    match s {
        Step::ReachRegistration => "1. reach registration",
        Step::RegisterPasskey => "2. register the passkey",
        Step::SignInWithPasskey => "3. sign in with it",
    }
}

/// The method policy the passkey panel's rollout leaves for the pilot group: Passkey (FIDO2)
/// enabled for it with self-service set-up and attestation as the panel has them and
/// Microsoft Authenticator's AAGUIDs (and the panel's extra ones) allowed; Temporary Access
/// Pass enabled for it. Without a pilot group the methods target nobody.
pub fn planned_methods(s: &MethodsSettings) -> MethodsPolicy {
    let r = &s.rollout;
    let targets = match s.pilot.trim() {
        "" => json!([]),
        g => json!([{"targetType": "group", "id": g, "isRegistrationRequired": false}]),
    };
    let aaguids: Vec<String> = r
        .passkey
        .allowed_aaguids()
        .iter()
        .map(|a| a.to_string())
        .collect();
    let body = json!({"authenticationMethodConfigurations": [
        {"@odata.type": Method::Fido2.odata_type(), "id": Method::Fido2.config_id(), "state": "enabled",
         "isSelfServiceRegistrationAllowed": r.passkey.self_service,
         "isAttestationEnforced": r.passkey.enforce_attestation,
         "keyRestrictions": {"isEnforced": true, "enforcementType": "allow", "aaGuids": aaguids},
         "includeTargets": targets, "excludeTargets": []},
        {"@odata.type": Method::TemporaryAccessPass.odata_type(), "id": Method::TemporaryAccessPass.config_id(),
         "state": "enabled", "isUsableOnce": r.tap.one_time, "includeTargets": targets, "excludeTargets": []}]});
    let mut m = MethodsPolicy::parse(body.to_string().as_bytes())
        .unwrap_or_else(|_| MethodsPolicy::default());
    m.assumed.push(if s.pilot.trim().is_empty() {
        "methods as the rollout sets them, but the draft has no pilot group: the passkey and Temporary Access Pass methods target nobody".into()
    } else {
        format!("methods as the rollout sets them: Passkey (FIDO2) and Temporary Access Pass enabled for the pilot group {}, Microsoft Authenticator's AAGUIDs allowed", s.pilot.trim())
    });
    m
}

/// The tenant's current passkey and TAP configurations as the draft's methods form holds them
/// (each box a GET response); an empty box is Microsoft's default for a new tenant, said in
/// the notes. An error names the box, line and column.
pub fn tenant_methods(form: &MethodsForm) -> Result<MethodsPolicy, String> {
    let mut out = MethodsPolicy::default();
    out.assumed.clear();
    for (method, text) in [
        (Method::Fido2, &form.fido2_current),
        (Method::TemporaryAccessPass, &form.tap_current),
    ] {
        if text.trim().is_empty() {
            out.assumed.push(format!(
                "the tenant's {} configuration was not read: assumed Microsoft's default for a new tenant (disabled, targeting all users)",
                method.label()
            ));
            continue;
        }
        let read = MethodsPolicy::parse(text.as_bytes()).map_err(|e| {
            format!(
                "Current {} configuration, line {}, column {}: {}",
                method.label(),
                e.line,
                e.column,
                e.message
            )
        })?;
        match method {
            Method::Fido2 => {
                out.fido2 = read.fido2;
                out.self_service = read.self_service;
            }
            Method::TemporaryAccessPass => out.tap = read.tap,
        }
    }
    Ok(out)
}

/// The methods the grid uses for the form's choice, from the draft's methods form; an error
/// (with the box, line and column) for a current configuration that cannot be read.
pub fn methods_of(form: &BootstrapForm, draft: &Draft) -> Result<MethodsPolicy, String> {
    match form.methods {
        MethodsSource::Planned => Ok(planned_methods(&draft.methods.settings(draft))),
        MethodsSource::Tenant => tenant_methods(&draft.methods),
        MethodsSource::Defaults => Ok(MethodsPolicy {
            // The core's note names the CLI's flag; the page says what it chose.
            assumed: vec!["methods as Microsoft's defaults for a new tenant: Passkey (FIDO2) and Temporary Access Pass disabled, targeting all users".into()],
            ..MethodsPolicy::default()
        }),
    }
}

/// The policy's label as the proof names it: its id, or its display name without one.
fn label(p: &Policy) -> String {
    match p.id.value() {
        Some(id) if !id.is_empty() => id.clone(),
        _ => policy_read::name(p).to_string(),
    }
}

/// The proof's policies and where each came from. `on`: a draft step enforced as On.
fn policies(
    draft: &Draft,
    tenant: Option<&PolicyList>,
    on: Option<usize>,
) -> (Vec<Policy>, Vec<Source>) {
    let mut set = policy_set(draft, &[], false, tenant);
    let n = draft.steps.len();
    if let Some(p) = on.and_then(|i| set.get_mut(i).filter(|_| i < n)) {
        edit::set_state(p, PolicyState::Enabled);
    }
    let sources = (0..set.len())
        .map(|i| {
            if i < n {
                Source::Draft(i)
            } else {
                Source::Tenant
            }
        })
        .collect();
    (set, sources)
}

/// The grid for the draft (and the tenant's policies when given): the built-in personas, in
/// the draft's pilot group, on the built-in devices.
pub fn grid_view(
    draft: &Draft,
    tenant: &TenantInputs,
    methods: MethodsPolicy,
    preview_on: bool,
) -> GridView {
    grid_with(draft, tenant, methods, preview_on, None)
}

fn grid_with(
    draft: &Draft,
    tenant: &TenantInputs,
    methods: MethodsPolicy,
    preview_on: bool,
    on: Option<usize>,
) -> GridView {
    let (set, sources) = policies(draft, tenant.policies, on);
    let builtin = Strengths::default();
    let proof = Proof::new(
        &set,
        methods,
        tenant.strengths.unwrap_or(&builtin),
        Directory::default(),
        NamedLocations::default(),
        preview_on,
    );
    let mut personas = builtin_personas();
    let pilot = draft_pilot_id(draft);
    let mut notes = proof.notes().to_vec();
    if !pilot.is_empty() {
        for h in &mut personas.holders {
            h.groups = vec![pilot.clone()];
        }
        notes.push(format!(
            "every persona is a member of the pilot group {pilot}"
        ));
    }
    let builtin_rows = personas.holders.len();
    let mut only = vec![None; builtin_rows];
    for (i, p) in draft.personas.iter().enumerate() {
        personas.holders.push(holder(i, p, &pilot));
        only.push(personas.devices.iter().position(|d| d.name == p.device));
    }
    if !draft.personas.is_empty() {
        notes.push(format!(
            "{} of the rows are your own personas, each proved on its own device only",
            draft.personas.len()
        ));
    }
    match tenant.pilot_rows {
        Some(rows) if rows.group.eq_ignore_ascii_case(&pilot) => {
            for r in &rows.rows {
                personas.holders.push(r.holder(vec![rows.group.clone()]));
                only.push(None);
            }
            notes.extend(rows.notes());
        }
        Some(rows) => notes.push(format!(
            "the pilot members read are those of the group {}, not of the draft's pilot group: read them again",
            rows.group
        )),
        None => {}
    }
    notes.push(match tenant.strengths {
        Some(_) => "authentication strengths as the tenant holds them (custom ones with their AAGUID restrictions)".into(),
        None => "authentication strengths: the three built-in ones; a custom strength a policy requires is unknown until the tenant's strengths are read".into(),
    });
    let g = match grid(&proof, &personas.holders, &personas.devices) {
        Ok(g) => g,
        Err(e) => {
            return GridView {
                error: Some(format!("the proof could not read a persona: {e}")),
                notes,
                ..GridView::default()
            }
        }
    };
    let labels: Vec<String> = set.iter().map(label).collect();
    let find = |id: &str| labels.iter().position(|l| l == id);
    let cells = g
        .cells
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|c| {
                    let failed = c.journey.failed();
                    let blocker = c.blocked_by.as_ref().map(|id| Blocker {
                        id: id.clone(),
                        name: match find(id) {
                            Some(i) => policy_read::name(&set[i]).to_string(),
                            None if id == METHODS_POLICY => {
                                "the Passkey (FIDO2) method policy".into()
                            }
                            None => id.clone(),
                        },
                    });
                    let fixes = failed
                        .map(|f| fixes(draft, f, &set, &sources, &find))
                        .unwrap_or_default();
                    CellView {
                        ready: c.ready,
                        step: c.step,
                        blocker,
                        journey: c.journey,
                        fixes,
                    }
                })
                .collect()
        })
        .collect();
    GridView {
        rows: g.rows,
        columns: g.columns,
        cells,
        only,
        notes,
        error: None,
    }
}

/// A persona of the admin's as a row: in its groups and, when the draft has one, the pilot
/// group (as every built-in row is).
fn holder(i: usize, p: &CustomPersona, pilot: &str) -> Holder {
    let mut groups = p.groups.clone();
    if !pilot.is_empty() && !groups.iter().any(|g| g.eq_ignore_ascii_case(pilot)) {
        groups.push(pilot.to_string());
    }
    Holder {
        name: p.row_name(),
        user_id: CustomPersona::user_id(i),
        groups,
        guest: p.guest,
        methods: p.methods_registered.clone(),
    }
}

/// The fixes the product can build for a failed step.
fn fixes(
    draft: &Draft,
    failed: &StepResult,
    set: &[Policy],
    sources: &[Source],
    find: &dyn Fn(&str) -> Option<usize>,
) -> Vec<Fix> {
    let mut out = Vec::new();
    let words = failed.fix.as_deref().unwrap_or("");
    // Microsoft's documented exclusion for registering passkeys in Authenticator, which the
    // step's fix names for each All-resources policy whose device control a phone can't give.
    if failed.step == Step::ReachRegistration && words.contains(CREDENTIAL_REGISTRATION_APP) {
        for id in &failed.blocked_by {
            let Some(i) = find(id) else { continue };
            if !words.contains(&format!("{:?}", policy_read::name(&set[i]))) {
                continue;
            }
            let (step, before) = match sources[i] {
                Source::Draft(s) => (Some(s), draft.steps[s].policy.clone()),
                Source::Tenant => (None, set[i].clone()),
            };
            let excluded = IdList::ExcludeApplications.get(&before);
            if excluded
                .iter()
                .any(|a| a.eq_ignore_ascii_case(CREDENTIAL_REGISTRATION_APP))
            {
                continue;
            }
            let mut after = before.clone();
            let merged = edit::union_ids(&excluded, &[CREDENTIAL_REGISTRATION_APP.to_string()]);
            IdList::ExcludeApplications.set(&mut after, merged);
            let names = credential_names();
            let mut changes: Vec<String> = policy_changes(&before, &after)
                .iter()
                .flat_map(|c| c.words(&names))
                .collect();
            if step.is_none() {
                changes.insert(0, format!("added to the draft as an imported step that updates the tenant's policy {id}"));
            }
            out.push(Fix::Policy {
                step,
                policy_name: policy_read::name(&before).to_string(),
                what: "Exclude Microsoft Authenticator Credential Registration".into(),
                changes,
                after: Box::new(after),
            });
        }
    }
    if words.contains("issue a Temporary Access Pass") {
        out.push(Fix::IssueTap);
    }
    if failed.step == Step::RegisterPasskey && failed.blocked_by.iter().any(|b| b == METHODS_POLICY)
    {
        out.push(Fix::PasskeyPlan);
    }
    out
}

fn credential_names() -> Names {
    let mut n = Names::default();
    n.insert(
        CREDENTIAL_REGISTRATION_APP,
        format!("Microsoft Authenticator Credential Registration ({CREDENTIAL_REGISTRATION_APP})"),
    );
    n
}

/// The proof before switching draft step `step` On.
#[derive(Debug, Clone, PartialEq)]
pub struct SwitchOn {
    pub step: usize,
    pub policy_name: String,
    /// The grid with the policy On (report-only ones as the form previews them).
    pub grid: GridView,
    /// Cells ready now that the policy On would block: (persona, device, why).
    pub newly_blocked: Vec<(String, String, String)>,
    /// The draft with the policy On.
    pub after: Draft,
}

/// The draft's steps that are report-only: the ones a switch On is offered for.
pub fn switchable(draft: &Draft) -> Vec<(usize, String)> {
    draft
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            edit::state(&s.policy) == Some(PolicyState::EnabledForReportingButNotEnforced)
        })
        .map(|(i, s)| (i, edit::display_name(&s.policy)))
        .collect()
}

/// The proof for switching step `step` On, against `now` (the grid as it is).
pub fn switch_on(
    draft: &Draft,
    tenant: &TenantInputs,
    methods: MethodsPolicy,
    preview_on: bool,
    step: usize,
    now: &GridView,
) -> Option<SwitchOn> {
    let s = draft.steps.get(step)?;
    let grid = grid_with(draft, tenant, methods, preview_on, Some(step));
    let mut newly_blocked = Vec::new();
    for (r, row) in grid.cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let was_ready = now
                .cells
                .get(r)
                .and_then(|x| x.get(c))
                .is_some_and(|x| x.ready);
            if was_ready && !cell.ready && grid.shown(r, c) {
                newly_blocked.push((grid.rows[r].clone(), grid.columns[c].clone(), cell.words()));
            }
        }
    }
    let mut after = draft.clone();
    edit::set_state(&mut after.steps[step].policy, PolicyState::Enabled);
    Some(SwitchOn {
        step,
        policy_name: edit::display_name(&s.policy),
        grid,
        newly_blocked,
        after,
    })
}

/// A journey step's state for the page: `ok`, `blocked` or `not-reached`.
pub fn step_state(s: &StepResult) -> &'static str {
    match s.ok {
        Some(true) => "ok",
        Some(false) => "blocked",
        None => "not-reached",
    }
}
