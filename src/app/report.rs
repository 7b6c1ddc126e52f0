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

use super::bootstrap::{grid_view, planned_methods, step_title, TenantInputs};
use super::draft::Draft;
use super::rollout::{draft_pilot_id, MethodsSettings};

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

/// The passkey and TAP PATCHes for `pilot` over the settings read, with the rollout's default
/// settings (what `ca-policy report --methods FILE` documents).
pub fn methods_part(m: &MethodsPolicy, pilot: &str) -> MethodsPart {
    methods_part_with(m, &PasskeySettings::new(pilot), &TapSettings::new(pilot))
}

/// The passkey and TAP PATCHes of `passkey` and `tap` (their pilot group set) over the settings
/// read: the one writer of the document's method part, for the CLI's defaults and the page's
/// methods form alike.
pub fn methods_part_with(
    m: &MethodsPolicy,
    passkey: &PasskeySettings,
    tap: &TapSettings,
) -> MethodsPart {
    let fido2 = match &m.fido2 {
        Fido2Config::Legacy(current) => MethodChange {
            current: current.clone(),
            patch: fido2_patch(passkey, current).map_err(|e| e.to_string()),
        },
        Fido2Config::Profiles(p) => MethodChange {
            current: p.current.clone(),
            patch: Err("the tenant is on passkey profiles: the pilot profile is added, read back and targeted in three PATCHes, which `ca-policy rollout` and the passkey panel plan".into()),
        },
    };
    let tap = MethodChange {
        current: m.tap.clone(),
        patch: tap_patch(tap, &m.tap).map_err(|e| e.to_string()),
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

/// The request's pilot group, or the one found in its policies (see [`pilot_of`]).
fn pilot_for(r: &ReportRequest) -> String {
    match r.pilot_group.trim() {
        "" => pilot_of(&r.policies),
        g => g.to_string(),
    }
}

/// The document for `r`.
pub fn document(r: &ReportRequest) -> Document {
    let pilot = pilot_for(r);
    let read = r.methods.clone().unwrap_or_default();
    let planned = methods_part(&read, &pilot);
    let methods = r.methods.as_ref().map(|_| planned.clone());
    let grid_methods = after_change(&read, &planned);
    assemble(r, &pilot, methods.as_ref(), grid_methods, vec![])
}

/// The document from its parts: the method part (when there is one) and the methods the grid
/// picture is proved with.
fn assemble(
    r: &ReportRequest,
    pilot: &str,
    methods: Option<&MethodsPart>,
    grid_methods: MethodsPolicy,
    grid_notes: Vec<String>,
) -> Document {
    let mut grid = grid_picture(&r.policies, grid_methods, pilot, &r.labels);
    grid.notes.extend(grid_notes);
    let permissions = permissions();
    report::document(&ReportInput {
        policies: &r.policies,
        labels: &r.labels,
        methods,
        grid: Some(&grid),
        permissions: &permissions,
        tenant: r.tenant.as_deref(),
    })
}

/// The settings the draft's methods form holds as the document reads them: the current
/// configurations (on passkey profiles, pasted or assumed, as the passkey panel plans over
/// them) and, as notes, what was assumed and what the form could not read.
pub fn form_methods(s: &MethodsSettings) -> MethodsPolicy {
    let r = &s.rollout;
    let mut notes: Vec<String> = s.errors.clone();
    let fido2 = match &r.fido2_profiles {
        Some(p) => {
            if p.is_assumed() {
                notes.push("no passkey configuration read: assumed Microsoft's default migrated configuration (on passkey profiles), as the passkey panel does".into());
            }
            Fido2Config::Profiles(p.clone())
        }
        None => Fido2Config::Legacy(r.fido2_current.clone()),
    };
    if r.tap_current.assumed {
        notes.push("no Temporary Access Pass configuration read: assumed Microsoft's default for a new tenant (disabled, targeting all users)".into());
    }
    MethodsPolicy {
        fido2,
        self_service: None,
        tap: r.tap_current.clone(),
        assumed: notes,
    }
}

/// The page's change document: the draft's policies and labels, the passkey and TAP method
/// settings of the draft's methods form with what each PATCH changes (the CLI's method part,
/// [`methods_part_with`]), and the grid proved with the methods as the page's grid plans them.
pub fn draft_document(draft: &Draft, tenant: Option<Vec<Policy>>) -> Document {
    let r = ReportRequest {
        policies: (0..draft.steps.len())
            .map(|i| draft.effective_policy(i))
            .collect(),
        labels: draft.labels.clone(),
        methods: None,
        pilot_group: draft_pilot_id(draft),
        tenant,
    };
    let settings = draft.methods.settings(draft);
    let target = match settings.pilot.as_str() {
        "" => pilot_of(&r.policies),
        g => g.to_string(),
    };
    let (mut passkey, mut tap) = (
        settings.rollout.passkey.clone(),
        settings.rollout.tap.clone(),
    );
    passkey.pilot_group = target.clone();
    tap.pilot_group = target;
    let part = methods_part_with(&form_methods(&settings), &passkey, &tap);
    let planned = planned_methods(&settings);
    let yours = personas_in_words(draft, planned.clone());
    assemble(&r, &pilot_for(&r), Some(&part), planned, yours)
}

/// The admin's own personas (the page grid's rows after the built-in ones, each on its one
/// device), proved as the document proves the grid (report-only policies as if On), in words.
fn personas_in_words(draft: &Draft, methods: MethodsPolicy) -> Vec<String> {
    if draft.personas.is_empty() {
        return vec![];
    }
    let g = grid_view(draft, &TenantInputs::default(), methods, true);
    g.only
        .iter()
        .enumerate()
        .filter_map(|(r, only)| {
            let c = (*only)?;
            let cell = g.cells.get(r)?.get(c)?;
            Some(format!(
                "your persona {} on {}: {}",
                g.rows[r],
                g.columns[c],
                cell.words()
            ))
        })
        .collect()
}

/// The page's download: [`draft_document`] as one HTML file.
pub fn draft_html(draft: &Draft, tenant: Option<Vec<Policy>>) -> String {
    report::html(&draft_document(draft, tenant))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::draft::{Action, StepKind};
    use crate::app::rollout::MethodsEdit;
    use crate::builders::methods::Method;

    const GROUP: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    const EXTRA: &str = "cb69481e-8ff7-4039-93ec-0a2729a154a8";

    /// A tenant not migrated to passkey profiles, passkeys disabled.
    const LEGACY: &str = r##"{"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        "id": "Fido2", "state": "disabled", "isAttestationEnforced": false,
        "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}],
        "excludeTargets": []}"##;

    fn pilot_draft() -> Draft {
        let mut d = Draft::new();
        let i = d
            .steps
            .iter()
            .position(|s| s.kind == StepKind::Pilot)
            .unwrap();
        d.apply(Action::Select(i));
        d.apply(Action::SetPilotGroup(GROUP.into()));
        d
    }

    #[test]
    fn the_page_document_holds_the_draft_method_settings_and_what_each_patch_changes() {
        let mut d = pilot_draft();
        d.apply(Action::Methods(MethodsEdit::Current(
            Method::Fido2,
            LEGACY.into(),
        )));
        d.apply(Action::Methods(MethodsEdit::Aaguids(EXTRA.into())));
        d.apply(Action::Methods(MethodsEdit::TapLifetime("90".into())));
        let md = report::markdown(&draft_document(&d, None));
        assert!(
            md.contains("## Passkey and Temporary Access Pass settings"),
            "{md}"
        );
        assert!(md.contains("What the PATCH changes"), "{md}");
        // The form's settings, not the CLI's defaults: its extra AAGUID and TAP lifetime.
        assert!(md.contains(EXTRA), "{md}");
        assert!(md.contains("\"defaultLifetimeInMinutes\": 90"), "{md}");
        assert!(
            md.contains(&format!("PATCH {}", Method::Fido2.path())),
            "{md}"
        );
        // The same method part the CLI writes for these settings over the same configurations.
        let s = d.methods.settings(&d);
        let part = methods_part_with(&form_methods(&s), &s.rollout.passkey, &s.rollout.tap);
        let cli_shaped =
            crate::export::report::markdown(&crate::export::report::document(&ReportInput {
                policies: &[],
                labels: &Labels::new(),
                methods: Some(&part),
                grid: None,
                permissions: &permissions(),
                tenant: None,
            }));
        let section = |t: &str| {
            let at = t
                .find("## Passkey and Temporary Access Pass settings")
                .unwrap();
            let end = t[at + 3..].find("\n## ").map_or(t.len(), |e| at + 3 + e);
            t[at..end].to_string()
        };
        assert_eq!(section(&md), section(&cli_shaped));
        // The grid picture is proved with the methods as the page's grid plans them: the pilot's
        // members get a passkey.
        let html = draft_html(&d, None);
        assert!(
            html.contains("Passkey and Temporary Access Pass settings"),
            "{html}"
        );
    }

    #[test]
    fn a_draft_with_nothing_read_says_what_the_document_assumed() {
        let md = report::markdown(&draft_document(&pilot_draft(), None));
        assert!(
            md.contains("assumed Microsoft's default migrated configuration"),
            "{md}"
        );
        // On profiles the passkey change is the profile steps, said; the TAP PATCH is built.
        assert!(
            md.contains("No PATCH is built: the tenant is on passkey profiles"),
            "{md}"
        );
        assert!(
            md.contains(&format!("PATCH {}", Method::TemporaryAccessPass.path())),
            "{md}"
        );
        // A form error is listed with the assumptions, not hidden.
        let mut d = pilot_draft();
        d.apply(Action::Methods(MethodsEdit::TapLifetime("soon".into())));
        let md = report::markdown(&draft_document(&d, None));
        assert!(
            md.contains("TAP lifetime: \"soon\" is not a whole number"),
            "{md}"
        );
    }

    #[test]
    fn the_admins_personas_are_in_the_document_grid_notes() {
        use crate::analysis::bootstrap::MethodRegistered as M;
        use crate::app::draft::CustomPersona;
        let mut d = pilot_draft();
        let p = CustomPersona::new(
            "Nurse",
            &[M::Password, M::MicrosoftAuthenticatorPush],
            "unregistered personal iPhone",
            false,
            &[],
        )
        .unwrap();
        d.apply(Action::AddPersona(p));
        let md = report::markdown(&draft_document(&d, None));
        assert!(
            md.contains("your persona Nurse (yours) on unregistered personal iPhone: "),
            "{md}"
        );
        assert!(!report::markdown(&draft_document(&pilot_draft(), None)).contains("your persona"));
    }

    #[test]
    fn the_cli_method_part_is_the_default_settings_case() {
        let m = MethodsPolicy::default();
        assert_eq!(
            methods_part(&m, GROUP),
            methods_part_with(&m, &PasskeySettings::new(GROUP), &TapSettings::new(GROUP))
        );
    }
}
