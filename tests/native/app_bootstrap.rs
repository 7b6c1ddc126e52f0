//! The page's bootstrap grid (`app::bootstrap`): the draft's policies proved for the built-in
//! personas, the blocking policy named with its fix, the fix applied to the draft and the grid
//! recomputed from it, and the proof before switching a policy On.

use ca_builder::analysis::bootstrap::{read_registrations, MethodsPolicy, Step, Strengths};
use ca_builder::app::bootstrap::{
    grid_view, methods_of, planned_methods, step_state, switch_on, switchable, BootstrapForm, Fix,
    GridView, MethodsSource, TenantInputs,
};
use ca_builder::app::draft::{Action, Draft};
use ca_builder::app::rollout::{MethodsEdit, MethodsForm};
use ca_builder::app::tenant_reads::PilotRows;
use ca_builder::builders::aaguid::{AUTHENTICATOR_ANDROID, AUTHENTICATOR_IOS};
use ca_builder::builders::methods::Method;
use ca_builder::graph::flows::PolicyList;
use ca_builder::graph::ApiVersion;
use ca_builder::policy::edit::{self, IdList};
use ca_builder::policy::model::PolicyState;
use ca_builder::policy::{import_bytes, Policy};
use serde_json::{json, Value};

const CRED_REG: &str = "6aa00308-ea33-4caa-90d6-ae905d8cb51b";
const PILOT: &str = "5e769024-0f21-4be0-af23-dd6045caa1c9";
const NAME: &str = "All resources: compliant device or passkey";
const IPHONE: &str = "unregistered personal iPhone";
const PUSH: &str = "member, Authenticator push";

/// Learn, "Enable passkeys in Microsoft Authenticator", troubleshooting: a compliant-device
/// grant on All resources stops an unmanaged phone from registering unless Microsoft
/// Authenticator Credential Registration is excluded. The phishing-resistant alternative lets
/// the passkey be used from that phone once registered.
fn compliant_on_all(id: Option<&str>) -> Policy {
    let mut v = json!({"displayName": NAME, "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]},
        "grantControls": {"operator": "OR", "builtInControls": ["compliantDevice"],
            "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004"}}});
    if let Some(id) = id {
        v["id"] = json!(id);
    }
    import_bytes(v.to_string().as_bytes()).unwrap().remove(0)
}

/// A new draft (its templates report-only), with the compliant-device policy imported.
fn draft() -> Draft {
    let mut d = Draft::new();
    d.apply(Action::Import(vec![compliant_on_all(None)]));
    d
}

/// Passkeys in Authenticator and TAP on for everyone.
fn open_methods() -> MethodsPolicy {
    let v = json!({"authenticationMethodConfigurations": [
        {"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": "enabled",
         "isSelfServiceRegistrationAllowed": true, "isAttestationEnforced": false,
         "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}], "excludeTargets": []},
        {"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", "id": "TemporaryAccessPass",
         "state": "enabled", "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}], "excludeTargets": []}]});
    MethodsPolicy::parse(v.to_string().as_bytes()).unwrap()
}

fn cell<'g>(g: &'g GridView, row: &str, col: &str) -> &'g ca_builder::app::bootstrap::CellView {
    let r = g.rows.iter().position(|x| x == row).unwrap();
    let c = g.columns.iter().position(|x| x == col).unwrap();
    &g.cells[r][c]
}

fn exclusion(fixes: &[Fix]) -> &Fix {
    fixes
        .iter()
        .find(|f| matches!(f, Fix::Policy { .. }))
        .expect("a fix to the policy")
}

#[test]
fn the_blocking_policy_is_named_with_a_fix_that_makes_the_cell_ready() {
    let d = draft();
    let g = grid_view(&d, &TenantInputs::default(), open_methods(), false);
    assert_eq!(g.error, None);
    assert_eq!(g.cells.len(), g.rows.len());
    let c = cell(&g, PUSH, IPHONE);
    assert!(!c.ready);
    assert_eq!(c.step, Some(Step::ReachRegistration));
    let b = c.blocker.as_ref().unwrap();
    // A draft policy has no id yet: the proof names it by its display name.
    assert_eq!((b.id.as_str(), b.name.as_str()), (NAME, NAME));
    assert_eq!(
        c.words(),
        format!("blocked by {NAME} at 1. reach registration")
    );
    assert_eq!(step_state(&c.journey.steps[0]), "blocked");
    assert_eq!(step_state(&c.journey.steps[1]), "not-reached");
    // The compliant laptop is not blocked by it.
    assert!(cell(&g, PUSH, "Entra-joined compliant laptop").ready);

    let fix = exclusion(&c.fixes);
    let Fix::Policy {
        step,
        changes,
        policy_name,
        ..
    } = fix
    else {
        unreachable!()
    };
    let imported = d.steps.len() - 1;
    assert_eq!(*step, Some(imported));
    assert_eq!(policy_name, NAME);
    // The diff shown before the change is applied: the one exclusion, by name.
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(
        changes[0].contains("conditions.applications.excludeApplications")
            && changes[0].contains(CRED_REG)
            && changes[0].contains("Credential Registration"),
        "{changes:?}"
    );
    assert!(fix.label().contains(NAME), "{}", fix.label());

    let after = fix.apply(&d).unwrap();
    assert_eq!(
        IdList::ExcludeApplications.get(&after.steps[imported].policy),
        [CRED_REG]
    );
    // Only that policy changed.
    for (i, (a, b)) in d.steps.iter().zip(&after.steps).enumerate() {
        if i != imported {
            assert_eq!(a, b, "step {i}");
        }
    }
    let g2 = grid_view(&after, &TenantInputs::default(), open_methods(), false);
    let c2 = cell(&g2, PUSH, IPHONE);
    assert!(c2.ready, "{:#?}", c2.journey);
    assert!(c2.fixes.is_empty());
    assert_eq!(c2.words(), "ready");
    // Once excluded, the fix is no longer offered anywhere.
    assert!(g2
        .cells
        .iter()
        .flatten()
        .all(|c| !c.fixes.iter().any(|f| matches!(f, Fix::Policy { .. }))));
}

#[test]
fn a_tenant_policy_is_fixed_as_an_imported_step_that_updates_it() {
    const ID: &str = "11111111-1111-4111-8111-111111111111";
    let tenant = PolicyList {
        version: ApiVersion::V1,
        policies: vec![compliant_on_all(Some(ID))],
        unreadable: vec![],
        pages: 1,
        truncated: false,
    };
    let d = Draft::new();
    let g = grid_view(&d, &TenantInputs::policies(&tenant), open_methods(), false);
    let c = cell(&g, PUSH, IPHONE);
    let b = c.blocker.as_ref().unwrap();
    assert_eq!((b.id.as_str(), b.name.as_str()), (ID, NAME));
    let fix = exclusion(&c.fixes);
    let Fix::Policy { step, changes, .. } = fix else {
        unreachable!()
    };
    assert_eq!(*step, None);
    assert!(changes[0].contains(ID), "{changes:?}");
    let after = fix.apply(&d).unwrap();
    assert_eq!(after.steps.len(), d.steps.len() + 1);
    assert_eq!(after.steps.last().unwrap().update_policy_id, ID);
    // The step replaces the tenant's policy in the proof.
    assert!(
        cell(
            &grid_view(
                &after,
                &TenantInputs::policies(&tenant),
                open_methods(),
                false
            ),
            PUSH,
            IPHONE
        )
        .ready
    );
}

#[test]
fn a_password_only_persona_is_offered_a_tap_and_default_methods_the_passkey_plan() {
    let d = Draft::new();
    let g = grid_view(&d, &TenantInputs::default(), open_methods(), false);
    let c = cell(&g, "member, password only", IPHONE);
    assert_eq!(c.step, Some(Step::ReachRegistration));
    assert!(c.blocker.is_none());
    assert!(c.fixes.contains(&Fix::IssueTap), "{:?}", c.fixes);

    // A new tenant's defaults: the passkey method is disabled.
    let g = grid_view(
        &d,
        &TenantInputs::default(),
        MethodsPolicy::default(),
        false,
    );
    let c = cell(&g, PUSH, IPHONE);
    assert_eq!(c.step, Some(Step::RegisterPasskey));
    assert_eq!(
        c.blocker.as_ref().unwrap().id,
        "authenticationMethodsPolicy"
    );
    assert!(c.fixes.contains(&Fix::PasskeyPlan));
    assert!(
        g.notes.iter().any(|n| n.contains("defaults")),
        "{:?}",
        g.notes
    );
}

#[test]
fn the_planned_methods_target_the_pilot_group_its_members_are_proved_for() {
    let d = with_pilot(Draft::new());
    let settings = MethodsForm::default().settings(&d);
    let form = BootstrapForm::default();
    assert_eq!(form.methods, MethodsSource::Planned);
    let m = methods_of(&form, &d).unwrap();
    assert_eq!(m, planned_methods(&settings));
    let g = grid_view(&d, &TenantInputs::default(), m, false);
    assert!(g.notes.iter().any(|n| n.contains(PILOT)), "{:?}", g.notes);
    let c = cell(&g, PUSH, IPHONE);
    assert!(c.ready, "{:#?}", c.journey);
    // Without a pilot group the methods target nobody, and the grid says why.
    let none = MethodsForm::default().settings(&Draft::new());
    let g = grid_view(
        &Draft::new(),
        &TenantInputs::default(),
        planned_methods(&none),
        false,
    );
    assert_eq!(cell(&g, PUSH, IPHONE).step, Some(Step::RegisterPasskey));

    let tenant = BootstrapForm {
        methods: MethodsSource::Tenant,
        ..BootstrapForm::default()
    };
    let mut bad = d.clone();
    bad.apply(Action::Methods(MethodsEdit::Current(
        Method::Fido2,
        "{\"authenticationMethodConfigurations\": 3}".into(),
    )));
    let e = methods_of(&tenant, &bad).unwrap_err();
    assert!(
        e.starts_with("Current Passkey (FIDO2) configuration, line 1, column "),
        "{e}"
    );
}

/// The draft `d` with its pilot step narrowed to `PILOT`.
fn with_pilot(d: Draft) -> Draft {
    crate::support::drafts::with_pilot(d, PILOT)
}

#[test]
fn the_grid_follows_the_draft_methods_the_passkey_panel_edits() {
    let form = BootstrapForm::default();
    let mut d = with_pilot(Draft::new());
    let grid = |d: &Draft| {
        grid_view(
            d,
            &TenantInputs::default(),
            methods_of(&form, d).unwrap(),
            false,
        )
    };
    assert!(cell(&grid(&d), PUSH, IPHONE).ready);
    // The passkey panel aims the methods at another group: passkeys are not enabled for the
    // pilot, so registration is refused by the method policy.
    d.apply(Action::Methods(MethodsEdit::PilotOverride(
        "99999999-2222-3333-4444-555555555555".into(),
    )));
    let g = grid(&d);
    let c = cell(&g, PUSH, IPHONE);
    assert_eq!(c.step, Some(Step::RegisterPasskey), "{:#?}", c.journey);
    assert_eq!(
        c.blocker.as_ref().map(|b| b.id.as_str()),
        Some("authenticationMethodsPolicy")
    );
    assert!(c.fixes.contains(&Fix::PasskeyPlan), "{:?}", c.fixes);
    // Self-service set-up off blocks it too; both undone, the cell is ready again.
    d.apply(Action::Methods(MethodsEdit::PilotOverride(String::new())));
    d.apply(Action::Methods(MethodsEdit::SelfService(false)));
    assert_eq!(
        cell(&grid(&d), PUSH, IPHONE).step,
        Some(Step::RegisterPasskey)
    );
    d.apply(Action::Methods(MethodsEdit::SelfService(true)));
    assert!(cell(&grid(&d), PUSH, IPHONE).ready);
}

#[test]
fn the_tenant_choice_reads_the_draft_current_configurations() {
    let form = BootstrapForm {
        methods: MethodsSource::Tenant,
        ..BootstrapForm::default()
    };
    let mut d = with_pilot(Draft::new());
    // Nothing read: Microsoft's defaults for a new tenant, said in the notes.
    let m = methods_of(&form, &d).unwrap();
    assert_eq!(m.assumed.len(), 2, "{:?}", m.assumed);
    assert!(m.assumed[0].contains("was not read"), "{:?}", m.assumed);
    let g = grid_view(&d, &TenantInputs::default(), m, false);
    assert_eq!(cell(&g, PUSH, IPHONE).step, Some(Step::RegisterPasskey));
    assert!(MethodsSource::Tenant
        .explanation(&d.methods)
        .contains("nothing read"));
    // The tenant's configurations, as read (one GET response per box): enabled for all users.
    let open = open_methods();
    let fido2 = json!({"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": "enabled",
         "isSelfServiceRegistrationAllowed": true, "isAttestationEnforced": false,
         "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}], "excludeTargets": []});
    let tap = json!({"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", "id": "TemporaryAccessPass",
         "state": "enabled", "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}], "excludeTargets": []});
    d.apply(Action::Methods(MethodsEdit::Current(
        Method::Fido2,
        fido2.to_string(),
    )));
    d.apply(Action::Methods(MethodsEdit::Current(
        Method::TemporaryAccessPass,
        tap.to_string(),
    )));
    let m = methods_of(&form, &d).unwrap();
    assert_eq!(
        (&m.fido2, &m.tap, m.self_service),
        (&open.fido2, &open.tap, open.self_service)
    );
    assert!(m.assumed.is_empty(), "{:?}", m.assumed);
    assert!(
        cell(
            &grid_view(&d, &TenantInputs::default(), m, false),
            PUSH,
            IPHONE
        )
        .ready
    );
    // The defaults ignore the draft.
    let defaults = BootstrapForm {
        methods: MethodsSource::Defaults,
        ..BootstrapForm::default()
    };
    let m = methods_of(&defaults, &d).unwrap();
    let new_tenant = MethodsPolicy::default();
    assert_eq!((&m.fido2, &m.tap), (&new_tenant.fido2, &new_tenant.tap));
    assert!(
        m.assumed[0].contains("Microsoft's defaults for a new tenant")
            && !m.assumed[0].contains("--methods"),
        "{:?}",
        m.assumed
    );
}

#[test]
fn a_persona_of_the_admins_is_a_row_proved_on_its_own_device() {
    use ca_builder::analysis::bootstrap::MethodRegistered as M;
    use ca_builder::app::draft::CustomPersona;
    let mut d = with_pilot(Draft::new());
    let push = CustomPersona::new(
        "Nurse, shared iPad",
        &[M::Password, M::MicrosoftAuthenticatorPush],
        IPHONE,
        false,
        &[],
    )
    .unwrap();
    let guest = CustomPersona::new("Auditor", &[M::Email], "hybrid-joined PC", true, &[]).unwrap();
    d.apply(Action::AddPersona(push));
    d.apply(Action::AddPersona(guest));
    let before = grid_view(&d, &TenantInputs::default(), open_methods(), false);
    let r = before.rows.len() - 2;
    assert_eq!(
        &before.rows[r..],
        ["Nurse, shared iPad (yours)", "Auditor (yours)"]
    );
    let iphone = before.columns.iter().position(|c| c == IPHONE).unwrap();
    let pc = before
        .columns
        .iter()
        .position(|c| c == "hybrid-joined PC")
        .unwrap();
    assert_eq!(&before.only[r..], [Some(iphone), Some(pc)]);
    assert!(before.only[..r].iter().all(Option::is_none));
    // Its own device is shown and counted, the other columns are not.
    assert!(before.shown(r, iphone) && !before.shown(r, pc));
    let (_, total) = before.ready_count();
    assert_eq!(total, 8 * 6 + 2);
    // Proved like the built-in row that holds the same methods (in the pilot group too).
    assert_eq!(
        before.cells[r][iphone].ready,
        cell(&before, PUSH, IPHONE).ready
    );
    assert!(before
        .notes
        .iter()
        .any(|n| n.contains("2 of the rows are your own personas")));
    // Kept in the draft: a reload keeps the rows.
    let reopened = Draft::from_json(&d.to_json()).unwrap().draft;
    assert_eq!(
        grid_view(&reopened, &TenantInputs::default(), open_methods(), false),
        before
    );
    d.apply(Action::RemovePersona(0));
    let after = grid_view(&d, &TenantInputs::default(), open_methods(), false);
    assert_eq!(
        after.rows.last().map(String::as_str),
        Some("Auditor (yours)")
    );
}

#[test]
fn report_only_is_previewed_as_on_and_switching_on_is_preceded_by_the_proof() {
    let mut d = draft();
    let i = d.steps.len() - 1;
    d.apply(Action::Select(i));
    d.apply(Action::SetState(
        PolicyState::EnabledForReportingButNotEnforced,
    ));
    let now = grid_view(&d, &TenantInputs::default(), open_methods(), false);
    assert!(cell(&now, PUSH, IPHONE).ready);
    assert!(
        !cell(
            &grid_view(&d, &TenantInputs::default(), open_methods(), true),
            PUSH,
            IPHONE
        )
        .ready
    );

    assert!(switchable(&d).iter().any(|(s, n)| *s == i && n == NAME));
    let s = switch_on(&d, &TenantInputs::default(), open_methods(), false, i, &now).unwrap();
    assert_eq!(s.policy_name, NAME);
    assert!(!cell(&s.grid, PUSH, IPHONE).ready);
    assert!(s
        .newly_blocked
        .iter()
        .any(|(p, dev, why)| p == PUSH && dev == IPHONE && why.contains(NAME)));
    assert!(!s
        .newly_blocked
        .iter()
        .any(|(_, dev, _)| dev == "Entra-joined compliant laptop"));
    assert_eq!(
        edit::state(&s.after.steps[i].policy),
        Some(PolicyState::Enabled)
    );
    let v: Value = serde_json::to_value(&s.grid.cells[0][0].journey).unwrap();
    assert_eq!(v["steps"].as_array().unwrap().len(), 3);
}

/// The pilot group's members, read from the registration report (Learn, "List
/// userRegistrationDetails": `methodsRegistered` per user), are rows of the grid: each proved
/// on every device exactly as the built-in persona holding the same methods, since they are in
/// the same pilot group. A report for another group than the draft's pilot is not used.
#[test]
fn the_pilot_members_registered_methods_are_rows_of_the_grid() {
    let d = with_pilot(Draft::new());
    let report = json!({"value": [
        {"id": "0b1e6f4a-0000-4000-8000-00000000000a", "userPrincipalName": "ada@contoso.com",
         "userDisplayName": "Ada Lovelace", "userType": "member", "isAdmin": false,
         "methodsRegistered": ["microsoftAuthenticatorPush"]},
        {"id": "0b1e6f4a-0000-4000-8000-00000000000b", "userPrincipalName": "bob@contoso.com",
         "userDisplayName": "Bob", "userType": "member", "methodsRegistered": []}]});
    let rows = PilotRows {
        group: PILOT.into(),
        rows: read_registrations(report.to_string().as_bytes()).unwrap(),
        members: 30,
        not_in_report: vec!["Cy (cy@contoso.com)".into()],
    };
    let m = planned_methods(&MethodsForm::default().settings(&d));
    let inputs = TenantInputs {
        pilot_rows: Some(&rows),
        ..TenantInputs::default()
    };
    let g = grid_view(&d, &inputs, m.clone(), false);
    let plain = grid_view(&d, &TenantInputs::default(), m.clone(), false);
    assert_eq!(g.rows.len(), plain.rows.len() + 2);
    for (row, like) in [
        ("Ada Lovelace (ada@contoso.com)", PUSH),
        ("Bob (bob@contoso.com)", "member, password only"),
    ] {
        for col in &g.columns {
            let (a, b) = (cell(&g, row, col), cell(&g, like, col));
            assert_eq!((a.ready, a.step), (b.ready, b.step), "{row} on {col}");
        }
    }
    assert!(cell(&g, "Ada Lovelace (ada@contoso.com)", IPHONE).ready);
    let bob = cell(&g, "Bob (bob@contoso.com)", IPHONE);
    assert!(!bob.ready && bob.fixes.contains(&Fix::IssueTap), "{bob:?}");
    let notes = g.notes.join("\n");
    assert!(notes.contains("36 hours"), "{notes}");
    assert!(notes.contains("Cy (cy@contoso.com)"), "{notes}");
    assert!(
        notes.contains("has 30 user members: only the first 3 were read"),
        "{notes}"
    );

    // The draft's pilot is another group now: the rows are not proved, and the notes say why.
    let other =
        crate::support::drafts::with_pilot(Draft::new(), "7d7d7d7d-0000-4000-8000-000000000001");
    let g = grid_view(&other, &inputs, m, false);
    assert_eq!(g.rows.len(), plain.rows.len());
    assert!(
        g.notes.iter().any(|n| n.contains("read them again")),
        "{:?}",
        g.notes
    );
}

/// A policy on Exchange Online for the pilot requiring a custom strength: unknown until the
/// tenant's strengths are read; read, the strength's fido2 AAGUID restriction decides (Learn,
/// "Custom authentication strengths", advanced options for FIDO2 security keys: only the listed
/// AAGUIDs satisfy fido2).
#[test]
fn the_tenants_custom_strength_and_its_aaguids_decide_the_sign_in() {
    const STRENGTH: &str = "c0ffee00-0000-4000-8000-000000000001";
    let exo = json!({"displayName": "Exchange: passkeys in Authenticator", "state": "enabled",
        "conditions": {"users": {"includeGroups": [PILOT]},
            "applications": {"includeApplications": ["00000002-0000-0ff1-ce00-000000000000"]}, "clientAppTypes": ["all"]},
        "grantControls": {"operator": "OR", "authenticationStrength": {"id": STRENGTH}}});
    let mut d = with_pilot(Draft::new());
    d.apply(Action::Import(
        import_bytes(exo.to_string().as_bytes()).unwrap(),
    ));
    let strengths = |aaguids: &[&str]| {
        let v = json!({"value": [{"id": STRENGTH, "displayName": "Authenticator passkeys", "policyType": "custom",
            "allowedCombinations": ["fido2"],
            "combinationConfigurations": [{"@odata.type": "#microsoft.graph.fido2CombinationConfiguration",
                "appliesToCombinations": ["fido2"], "allowedAAGUIDs": aaguids}]}]});
        Strengths::parse(v.to_string().as_bytes()).unwrap()
    };
    let m = planned_methods(&MethodsForm::default().settings(&d));
    let sign_in = |s: Option<&Strengths>| {
        let inputs = TenantInputs {
            strengths: s,
            ..TenantInputs::default()
        };
        let g = grid_view(&d, &inputs, m.clone(), false);
        let c = cell(&g, "member, passkey already", IPHONE).clone();
        (c, g.notes)
    };
    let (unknown, notes) = sign_in(None);
    assert_eq!(unknown.step, Some(Step::SignInWithPasskey), "{unknown:?}");
    assert!(
        notes.iter().any(|n| n.contains("three built-in")),
        "{notes:?}"
    );
    let yubikey = strengths(&["cb69481e-8ff7-4039-93ec-0a2729a154a8"]);
    let (refused, _) = sign_in(Some(&yubikey));
    assert_eq!(refused.step, Some(Step::SignInWithPasskey), "{refused:?}");
    let fix = refused
        .journey
        .failed()
        .and_then(|f| f.fix.clone())
        .unwrap();
    assert!(fix.contains(AUTHENTICATOR_IOS), "{fix}");
    let authenticator = strengths(&[AUTHENTICATOR_IOS, AUTHENTICATOR_ANDROID]);
    let (ready, notes) = sign_in(Some(&authenticator));
    assert!(ready.ready, "{:#?}", ready.journey);
    assert!(
        notes.iter().any(|n| n.contains("as the tenant holds them")),
        "{notes:?}"
    );
}
