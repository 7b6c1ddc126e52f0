//! The change document, assembled for `ca-policy report` and the page's "Download change
//! document": the core's `export::report` given what only this layer may reach — the bootstrap
//! proof run over the policies (the analysis beside the exporters) and the permission each
//! step needs (the graph layer's table, so the document names what the page checks before a
//! call).

use crate::analysis::bootstrap::{builtin_personas, grid, MethodsPolicy, Proof, Step, Strengths};
use crate::analysis::whatif::evaluate::{Directory, NamedLocations};
use crate::builders::methods::{
    fido2_patch, tap_patch, Fido2Config, PasskeySettings, TapSettings, PILOT_GROUP_PLACEHOLDER,
};
use crate::export::report::{
    self, Action, Document, GridCell, GridPicture, MethodChange, MethodsPart, Permission,
    Permissions, ReportInput,
};
use crate::graph::permissions::GraphOp;
use crate::names::Labels;
use crate::policy::edit::IdList;
use crate::policy::Policy;

use super::bootstrap::step_title;
use super::draft::Draft;
use super::rollout::draft_pilot_id;

/// What a change document is made of.
#[derive(Debug, Clone, Default)]
pub struct ReportRequest {
    pub policies: Vec<Policy>,
    pub labels: Labels,
    /// The tenant's Authentication methods policy, when given.
    pub methods: Option<MethodsPolicy>,
    /// The pilot group's id; empty: found in the policies (see [`pilot_of`]).
    pub pilot_group: String,
    /// The tenant's policies, when they were read.
    pub tenant: Option<Vec<Policy>>,
}

/// Each step's permission, from the graph layer's table: the least-privileged set first.
pub fn permissions() -> Permissions {
    let op = |a: Action| match a {
        Action::ReadPolicies => GraphOp::ListPolicies,
        Action::ReadMethods => GraphOp::ReadAuthMethodsPolicy,
        Action::UpdateMethod => GraphOp::UpdateAuthMethod,
        Action::CreatePolicy => GraphOp::CreatePolicy,
        Action::UpdatePolicy => GraphOp::UpdatePolicy,
        Action::ReadSignIns => GraphOp::ReadSignIns,
    };
    Permissions(
        Action::ALL
            .into_iter()
            .map(|a| {
                let r = op(a).requirement();
                let permission = r
                    .any_of
                    .first()
                    .map_or(String::new(), |set| set.join(" + "));
                let roles = r.roles.iter().map(|s| s.to_string()).collect();
                (a, Permission { permission, roles })
            })
            .collect(),
    )
}

/// The pilot group: the first group included by a policy that does not include all users;
/// the placeholder the scripts fill in when there is none.
pub fn pilot_of(policies: &[Policy]) -> String {
    policies
        .iter()
        .filter(|p| {
            !IdList::IncludeUsers
                .get(p)
                .iter()
                .any(|u| u.eq_ignore_ascii_case("All"))
        })
        .find_map(|p| IdList::IncludeGroups.get(p).first().cloned())
        .unwrap_or_else(|| PILOT_GROUP_PLACEHOLDER.to_string())
}

/// The passkey and TAP PATCHes for `pilot` over the settings read.
pub fn methods_part(m: &MethodsPolicy, pilot: &str) -> MethodsPart {
    let fido2 = match &m.fido2 {
        Fido2Config::Legacy(current) => MethodChange {
            current: current.clone(),
            patch: fido2_patch(&PasskeySettings::new(pilot), current).map_err(|e| e.to_string()),
        },
        Fido2Config::Profiles(p) => MethodChange {
            current: p.current.clone(),
            patch: Err("the tenant is on passkey profiles: the pilot profile is added, read back and targeted in three PATCHes, which `ca-policy rollout` and the passkey panel plan".into()),
        },
    };
    let tap = MethodChange {
        current: m.tap.clone(),
        patch: tap_patch(&TapSettings::new(pilot), &m.tap).map_err(|e| e.to_string()),
    };
    MethodsPart {
        changes: vec![fido2, tap],
        notes: m.assumed.clone(),
    }
}

/// The method policy as the PATCHes leave it (the document is about the state after the
/// change); a method without a PATCH stays as read.
pub fn after_change(read: &MethodsPolicy, part: &MethodsPart) -> MethodsPolicy {
    let configs: Vec<serde_json::Value> = part
        .changes
        .iter()
        .filter_map(|c| c.patch.as_ref().ok())
        .map(|p| {
            let mut body = p.body.clone();
            body["id"] = serde_json::json!(p.method.config_id());
            body
        })
        .collect();
    if configs.is_empty() {
        return read.clone();
    }
    let text = serde_json::json!({ "authenticationMethodConfigurations": configs }).to_string();
    match MethodsPolicy::parse(text.as_bytes()) {
        Ok(mut after) => {
            if part.changes.iter().any(|c| c.patch.is_err()) {
                after.fido2 = read.fido2.clone();
            }
            after.assumed = vec![
                "methods as the rollout's PATCHes leave them (the settings before are in the method section)".into(),
            ];
            after
        }
        Err(_) => read.clone(),
    }
}

/// The proof's grid over `policies` switched On (the document is about switching them On),
/// the built-in personas in the pilot group; blocking policies named as the admin knows them.
pub fn grid_picture(
    policies: &[Policy],
    methods: MethodsPolicy,
    pilot: &str,
    labels: &Labels,
) -> GridPicture {
    let proof = Proof::new(
        policies,
        methods,
        &Strengths::default(),
        Directory::default(),
        NamedLocations::default(),
        true,
    );
    let mut personas = builtin_personas();
    // The proof's own note names the CLI flag; the document says what it means here.
    let mut notes: Vec<String> = proof
        .notes()
        .iter()
        .map(|n| {
            if n.starts_with("--report-only-as-on") {
                "report-only policies are proved as if On: the state this change leads to".into()
            } else {
                n.clone()
            }
        })
        .collect();
    if pilot != PILOT_GROUP_PLACEHOLDER {
        for h in &mut personas.holders {
            h.groups = vec![pilot.to_string()];
        }
        notes.push(format!(
            "every persona is a member of the pilot group {}",
            labels.describe(pilot)
        ));
    }
    let name_of = |label: &str| {
        policies
            .iter()
            .find(|p| p.id.value().is_some_and(|id| id == label))
            .and_then(|p| p.display_name.value().cloned())
            .map_or_else(|| label.to_string(), |n| format!("{n} ({label})"))
    };
    match grid(&proof, &personas.holders, &personas.devices) {
        Ok(g) => GridPicture {
            cells: g
                .cells
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|c| GridCell {
                            ready: c.ready,
                            blocked_by: c.blocked_by.as_deref().map(name_of),
                            step: c.step.map(|s: Step| step_title(s).to_string()),
                        })
                        .collect()
                })
                .collect(),
            rows: g.rows,
            columns: g.columns,
            notes,
        },
        Err(e) => GridPicture {
            notes: vec![format!("the proof could not run: {e}")],
            ..Default::default()
        },
    }
}

/// The document for `r`.
pub fn document(r: &ReportRequest) -> Document {
    let pilot = match r.pilot_group.trim() {
        "" => pilot_of(&r.policies),
        g => g.to_string(),
    };
    let read = r.methods.clone().unwrap_or_default();
    let planned = methods_part(&read, &pilot);
    let methods = r.methods.as_ref().map(|_| planned.clone());
    let grid = grid_picture(
        &r.policies,
        after_change(&read, &planned),
        &pilot,
        &r.labels,
    );
    let permissions = permissions();
    report::document(&ReportInput {
        policies: &r.policies,
        labels: &r.labels,
        methods: methods.as_ref(),
        grid: Some(&grid),
        permissions: &permissions,
        tenant: r.tenant.as_deref(),
    })
}

/// The page's download: the draft's policies and labels, as one HTML file.
pub fn draft_html(draft: &Draft, tenant: Option<Vec<Policy>>) -> String {
    let r = ReportRequest {
        policies: (0..draft.steps.len())
            .map(|i| draft.effective_policy(i))
            .collect(),
        labels: draft.labels.clone(),
        methods: None,
        pilot_group: draft_pilot_id(draft),
        tenant,
    };
    report::html(&document(&r))
}
