//! The bootstrap proof's rules, each with the Microsoft source it rests on: which policies a
//! registration meets, what a Temporary Access Pass counts for, the passkey method policy and
//! its profiles, the sign-in with the passkey, the persona × device grid, and inputs read
//! strictly with their positions.

use ca_builder::analysis::bootstrap::{
    builtin_personas, grid, prove, read_personas, MethodsPolicy, Persona, PersonaVerdict, Proof,
    Step, Strengths, METHODS_POLICY,
};
use ca_builder::analysis::whatif::evaluate::{read_directory, Directory, NamedLocations};
use ca_builder::policy::{import_bytes, Policy};
use serde_json::{json, Value};

const IOS: &str = "90a3ccdf-635c-4729-a248-9b709135078f";
const ANDROID: &str = "de1e552d-db1d-4423-a619-566b625cdc84";
const CRED_REG: &str = "6aa00308-ea33-4caa-90d6-ae905d8cb51b";
const USER: &str = "aaaaaaaa-0000-4000-8000-000000000001";
const PILOT: &str = "5e769024-0f21-4be0-af23-dd6045caa1c9";
const COMPLIANT_ID: &str = "11111111-1111-4111-8111-111111111111";

fn policies(v: Value) -> Vec<Policy> {
    import_bytes(v.to_string().as_bytes()).unwrap()
}

/// An All-resources policy asking for a compliant device, or (so the passkey can be used from
/// a personal phone once registered) the phishing-resistant strength.
fn compliant_on_all(exclude: &[&str]) -> Value {
    json!({"id": COMPLIANT_ID, "displayName": "All resources: compliant device or passkey", "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"], "excludeApplications": exclude},
            "clientAppTypes": ["all"]},
        "grantControls": {"operator": "OR", "builtInControls": ["compliantDevice"],
            "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004"}}})
}

fn registration_policy(strength: &str) -> Value {
    json!({"id": "22222222-2222-4222-8222-222222222222", "displayName": "Register security info: strength", "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]},
            "applications": {"includeUserActions": ["urn:user:registersecurityinfo"]}, "clientAppTypes": ["all"]},
        "grantControls": {"operator": "OR", "authenticationStrength": {"id": strength}}})
}

fn profile(id: &str, name: &str, enforcement: &str, aaguids: &[&str]) -> Value {
    json!({"id": id, "name": name, "passkeyTypes": "deviceBound", "attestationEnforcement": "registrationOnly",
        "keyRestrictions": {"isEnforced": true, "enforcementType": enforcement, "aaGuids": aaguids}})
}

/// The method policy: FIDO2 on profiles (`profiles`, each target `(group, profile ids)`), and
/// TAP enabled or not for all users.
fn methods(profiles: Vec<Value>, targets: &[(&str, &[&str])], tap: bool) -> MethodsPolicy {
    let targets: Vec<Value> = targets
        .iter()
        .map(|(id, ps)| json!({"targetType": "group", "id": id, "isRegistrationRequired": false, "allowedPasskeyProfiles": ps}))
        .collect();
    let v = json!({"authenticationMethodConfigurations": [
        {"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": "enabled",
         "isSelfServiceRegistrationAllowed": true, "defaultPasskeyProfile": "00000000-0000-0000-0000-000000000001",
         "passkeyProfiles": profiles, "includeTargets": targets, "excludeTargets": []},
        {"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", "id": "TemporaryAccessPass",
         "state": if tap { "enabled" } else { "disabled" },
         "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}], "excludeTargets": []}]});
    MethodsPolicy::parse(v.to_string().as_bytes()).unwrap()
}

/// Passkeys in Authenticator for everyone, TAP on.
fn open_methods() -> MethodsPolicy {
    methods(
        vec![profile(
            "00000000-0000-0000-0000-000000000001",
            "Default passkey profile",
            "allow",
            &[IOS, ANDROID],
        )],
        &[("all_users", &["00000000-0000-0000-0000-000000000001"])],
        true,
    )
}

fn persona(methods: &[&str], conditions: Value) -> Persona {
    let v = json!([{"name": "p", "userId": USER, "methodsRegistered": methods, "signInConditions": conditions}]);
    read_personas(v.to_string().as_bytes()).unwrap().remove(0)
}

fn iphone() -> Value {
    json!({"devicePlatform": "iOS", "clientAppType": "mobileAppsAndDesktopClients", "deviceInfo": {}})
}

fn laptop() -> Value {
    json!({"devicePlatform": "windows", "clientAppType": "browser", "deviceInfo": {"trustType": "AzureAD", "isCompliant": true}})
}

fn proof_with(ps: Value, m: MethodsPolicy, strengths: &Strengths, dir: Directory) -> Proof {
    Proof::new(
        &policies(ps),
        m,
        strengths,
        dir,
        NamedLocations::default(),
        false,
    )
}

fn proof(ps: Value, m: MethodsPolicy) -> Proof {
    proof_with(ps, m, &Strengths::default(), Directory::default())
}

fn step(v: &PersonaVerdict, s: Step) -> &ca_builder::analysis::bootstrap::StepResult {
    v.steps.iter().find(|x| x.step == s).unwrap()
}

/// Learn, "Enable passkeys in Microsoft Authenticator", troubleshooting: a "Require device to
/// be marked as compliant" grant on All resources stops a personal, unmanaged phone from
/// registering (the write goes through the compliance check) unless Microsoft Authenticator
/// Credential Registration (6aa00308-…) is excluded from the policy.
#[test]
fn a_compliant_device_policy_on_all_resources_blocks_an_unregistered_phone_until_the_documented_exclusion(
) {
    let p = persona(&["password", "microsoftAuthenticatorPush"], iphone());
    let v = proof(json!([compliant_on_all(&[])]), open_methods())
        .prove(&p)
        .unwrap();
    assert!(!v.ready);
    let r = step(&v, Step::ReachRegistration);
    assert_eq!(r.ok, Some(false));
    assert_eq!(r.blocked_by, vec![COMPLIANT_ID]);
    assert!(r.why.contains("a device marked as compliant"), "{}", r.why);
    let fix = r.fix.as_deref().unwrap();
    assert!(
        fix.contains(CRED_REG) && fix.contains("excludeApplications"),
        "{fix}"
    );
    // A step after a failed one is not judged.
    assert_eq!(step(&v, Step::RegisterPasskey).ok, None);
    assert_eq!(step(&v, Step::SignInWithPasskey).ok, None);

    let v = proof(json!([compliant_on_all(&[CRED_REG])]), open_methods())
        .prove(&p)
        .unwrap();
    assert!(v.ready, "{v:#?}");
    // The passkey then meets the phishing-resistant alternative on the resource.
    assert!(
        step(&v, Step::SignInWithPasskey).why.contains("fido2"),
        "{v:#?}"
    );
}

/// Combined security information registration: a passkey is added only after strong
/// authentication within the last five minutes; Learn, "Configure Temporary Access Pass": a
/// TAP is the documented onboarding for a user without methods. A password-only persona fails,
/// with no policy to blame, and the fix issues a TAP.
#[test]
fn a_password_only_persona_cannot_reach_registration() {
    let v = proof(json!([]), open_methods())
        .prove(&persona(&["password"], iphone()))
        .unwrap();
    let r = step(&v, Step::ReachRegistration);
    assert_eq!(r.ok, Some(false));
    assert!(r.blocked_by.is_empty());
    assert!(r.why.contains("five minutes"), "{}", r.why);
    assert!(
        r.fix
            .as_deref()
            .unwrap()
            .contains("temporaryAccessPassMethods"),
        "{r:?}"
    );
    assert!(!v.ready);
}

/// Graph `evaluate` v1.0 Example 2: the built-in Multifactor authentication strength lists
/// `temporaryAccessPassOneTime` and `temporaryAccessPassMultiUse`; Learn, "Require MFA to
/// register security info": a TAP satisfies it on the user action.
#[test]
fn a_tap_satisfies_the_mfa_strength_on_registration() {
    let ps = json!([registration_policy("00000000-0000-0000-0000-000000000002")]);
    let v = proof(ps.clone(), open_methods())
        .prove(&persona(&["password", "temporaryAccessPass"], iphone()))
        .unwrap();
    let r = step(&v, Step::ReachRegistration);
    assert_eq!(r.ok, Some(true), "{r:?}");
    assert!(r.why.contains("temporaryAccessPass"), "{}", r.why);
    assert!(v.ready, "{v:#?}");

    // Only users in the TAP method's targets can sign in with one (TAP how-to).
    let mut m = open_methods();
    m.tap.state = Some("disabled".into());
    let v = proof(ps, m)
        .prove(&persona(&["password", "temporaryAccessPass"], iphone()))
        .unwrap();
    let r = step(&v, Step::ReachRegistration);
    assert_eq!(r.ok, Some(false));
    assert!(
        r.why.contains("Temporary Access Pass method is disabled"),
        "{}",
        r.why
    );
    assert!(r.fix.as_deref().unwrap().contains("tap-policy"), "{r:?}");
}

/// Learn, "Authentication strengths": Phishing-resistant MFA lists Windows Hello for Business,
/// passkeys and certificate MFA only, so a TAP-bootstrapped user is locked out of a
/// registration policy that requires it; the fix is the MFA strength (or a custom one with
/// TAP) on the user action.
#[test]
fn a_phishing_resistant_strength_on_registration_locks_out_tap_users() {
    let v = proof(
        json!([registration_policy("00000000-0000-0000-0000-000000000004")]),
        open_methods(),
    )
    .prove(&persona(&["password", "temporaryAccessPass"], iphone()))
    .unwrap();
    let r = step(&v, Step::ReachRegistration);
    assert_eq!(r.ok, Some(false));
    assert_eq!(r.blocked_by, vec!["22222222-2222-4222-8222-222222222222"]);
    assert!(r.why.contains("Phishing-resistant MFA"), "{}", r.why);
    assert!(
        r.fix
            .as_deref()
            .unwrap()
            .contains("00000000-0000-0000-0000-000000000002"),
        "{r:?}"
    );
}

/// Learn, "Passkey profiles": a passkey must fully meet at least one profile in scope; the
/// documented targeted rollout blocks the Authenticator AAGUIDs in the Default profile and
/// allows them in the pilot's. A profile that does not admit them fails register-passkey,
/// blamed on the method policy; the pilot profile admits them.
#[test]
fn a_profile_that_does_not_admit_authenticator_fails_register_passkey() {
    let default = profile(
        "00000000-0000-0000-0000-000000000001",
        "All device-bound passkeys (excluding Microsoft Authenticator)",
        "block",
        &[IOS, ANDROID],
    );
    let pilot = profile(
        "84c712c1-8688-4679-8546-a603ff82da46",
        "Passkeys in Microsoft Authenticator",
        "allow",
        &[IOS, ANDROID],
    );
    let m = methods(
        vec![default.clone(), pilot.clone()],
        &[
            ("all_users", &["00000000-0000-0000-0000-000000000001"]),
            (PILOT, &["84c712c1-8688-4679-8546-a603ff82da46"]),
        ],
        true,
    );
    let p = persona(&["password", "microsoftAuthenticatorPush"], iphone());
    let v = proof(json!([]), m.clone()).prove(&p).unwrap();
    let r = step(&v, Step::RegisterPasskey);
    assert_eq!(r.ok, Some(false), "{r:?}");
    assert_eq!(r.blocked_by, vec![METHODS_POLICY]);
    assert!(
        r.why.contains("excluding Microsoft Authenticator"),
        "{}",
        r.why
    );
    assert!(r.fix.as_deref().unwrap().contains(IOS), "{r:?}");
    assert_eq!(step(&v, Step::SignInWithPasskey).ok, None);

    let dir = read_directory(
        json!({"users": {USER: {"groups": [PILOT]}}})
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    let v = proof_with(json!([]), m, &Strengths::default(), dir)
        .prove(&p)
        .unwrap();
    let r = step(&v, Step::RegisterPasskey);
    assert_eq!(r.ok, Some(true), "{r:?}");
    assert!(
        r.why.contains("Passkeys in Microsoft Authenticator"),
        "{}",
        r.why
    );
    assert!(v.ready);
}

/// Learn, passkey profiles: membership in an excluded group blocks passkey registration and
/// overrides every inclusion; "Enable passkeys (FIDO2)": without self-service set-up users
/// can't register in Security info.
#[test]
fn exclusions_and_self_service_decide_register_passkey() {
    let p = persona(&["password", "microsoftAuthenticatorPush"], laptop());
    let mut m = open_methods();
    if let ca_builder::builders::methods::Fido2Config::Profiles(c) = &mut m.fido2 {
        c.current.exclude_targets =
            vec![serde_json::from_value(json!({"targetType": "group", "id": PILOT})).unwrap()];
    }
    let dir = read_directory(
        json!({"users": {USER: {"groups": [PILOT]}}})
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    let v = proof_with(json!([]), m, &Strengths::default(), dir)
        .prove(&p)
        .unwrap();
    let r = step(&v, Step::RegisterPasskey);
    assert_eq!(r.ok, Some(false));
    assert!(r.why.contains("exclusions"), "{}", r.why);

    let mut m = open_methods();
    m.self_service = Some(false);
    let r = proof(json!([]), m).prove(&p).unwrap();
    assert!(step(&r, Step::RegisterPasskey)
        .why
        .contains("isSelfServiceRegistrationAllowed"));
}

/// Without --methods: the builders' assumed default (passkeys disabled), and the run says so.
#[test]
fn without_a_method_policy_the_defaults_are_assumed_and_said() {
    let pr = Proof::new(
        &[],
        MethodsPolicy::default(),
        &Strengths::default(),
        Directory::default(),
        NamedLocations::default(),
        false,
    );
    let report = prove(
        &pr,
        &[persona(
            &["password", "microsoftAuthenticatorPush"],
            laptop(),
        )],
    )
    .unwrap();
    assert!(report.notes[0].contains("Microsoft's defaults for a new tenant"));
    let r = step(&report.personas[0], Step::RegisterPasskey);
    assert_eq!(r.ok, Some(false));
    assert!(r.why.contains("disabled (assumed default)"), "{}", r.why);
}

/// Graph `fido2CombinationConfiguration.allowedAAGUIDs`: a custom strength restricted to
/// other AAGUIDs does not accept an Authenticator passkey at sign-in; restricted to
/// Authenticator's, it does.
#[test]
fn a_custom_strength_with_aaguids_decides_the_sign_in() {
    let custom = "c2450bed-0ebd-48ca-9c74-3dedbaada48f";
    let on_exchange = json!([{"id": "33333333-3333-4333-8333-333333333333", "displayName": "Exchange: passkey strength", "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["00000002-0000-0ff1-ce00-000000000000"]}, "clientAppTypes": ["all"]},
        "grantControls": {"operator": "OR", "authenticationStrength": {"id": custom}}}]);
    let strengths = |aaguids: &[&str]| {
        Strengths::parse(json!({"value": [{"id": custom, "displayName": "Security keys only", "allowedCombinations": ["fido2"],
            "combinationConfigurations": [{"@odata.type": "#microsoft.graph.fido2CombinationConfiguration",
                "appliesToCombinations": ["fido2"], "allowedAAGUIDs": aaguids}]}]}).to_string().as_bytes()).unwrap()
    };
    let p = persona(&["password", "microsoftAuthenticatorPush"], iphone());
    let v = proof_with(
        on_exchange.clone(),
        open_methods(),
        &strengths(&["cb69481e-8ff7-4039-93ec-0a2729a154a8"]),
        Directory::default(),
    )
    .prove(&p)
    .unwrap();
    let r = step(&v, Step::SignInWithPasskey);
    assert_eq!(r.ok, Some(false), "{v:#?}");
    assert!(r.why.contains("Security keys only"), "{}", r.why);
    assert!(r.fix.as_deref().unwrap().contains(IOS), "{r:?}");
    // On an iPhone the passkey is the iOS app's; elsewhere either app's, so both must be listed.
    let v = proof_with(
        on_exchange.clone(),
        open_methods(),
        &strengths(&[IOS]),
        Directory::default(),
    )
    .prove(&p)
    .unwrap();
    assert!(v.ready, "{v:#?}");
    let v = proof_with(
        on_exchange,
        open_methods(),
        &strengths(&[IOS]),
        Directory::default(),
    )
    .prove(&persona(
        &["password", "microsoftAuthenticatorPush"],
        laptop(),
    ))
    .unwrap();
    assert_eq!(step(&v, Step::SignInWithPasskey).ok, Some(false));
}

/// Learn, "Enable passkeys in Microsoft Authenticator", known limitations: B2B collaboration
/// users can't register passkeys in the resource tenant.
#[test]
fn a_b2b_guest_cannot_register_a_passkey_here() {
    let dir = read_directory(
        json!({"users": {USER: {"userType": "guest"}}})
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    let v = proof_with(json!([]), open_methods(), &Strengths::default(), dir)
        .prove(&persona(
            &["password", "microsoftAuthenticatorPush"],
            laptop(),
        ))
        .unwrap();
    let r = step(&v, Step::RegisterPasskey);
    assert_eq!(r.ok, Some(false));
    assert!(r.why.contains("B2B collaboration"), "{}", r.why);
}

/// Report-only policies are not enforced (Learn, "Report-only mode"); --report-only-as-on
/// previews switching them On.
#[test]
fn report_only_policies_block_only_as_a_preview() {
    let mut block = registration_policy("00000000-0000-0000-0000-000000000002");
    block["state"] = json!("enabledForReportingButNotEnforced");
    block["grantControls"] = json!({"operator": "OR", "builtInControls": ["block"]});
    let p = persona(&["password", "microsoftAuthenticatorPush"], laptop());
    let ps = policies(json!([block]));
    let run = |on| {
        Proof::new(
            &ps,
            open_methods(),
            &Strengths::default(),
            Directory::default(),
            NamedLocations::default(),
            on,
        )
        .prove(&p)
        .unwrap()
    };
    assert!(run(false).ready);
    let v = run(true);
    assert!(!v.ready);
    assert_eq!(
        step(&v, Step::ReachRegistration).blocked_by,
        vec!["22222222-2222-4222-8222-222222222222"]
    );
}

/// `ready` is true only when all three steps are ok.
#[test]
fn ready_means_every_step_is_ok() {
    let pr = proof(json!([compliant_on_all(&[])]), open_methods());
    for (methods, conditions) in [
        (&["password"][..], iphone()),
        (&["password", "microsoftAuthenticatorPush"][..], iphone()),
        (&["password", "microsoftAuthenticatorPush"][..], laptop()),
    ] {
        let v = pr.prove(&persona(methods, conditions)).unwrap();
        assert_eq!(
            v.ready,
            v.steps.iter().all(|s| s.ok == Some(true)),
            "{v:#?}"
        );
        let failed = v.steps.iter().position(|s| s.ok == Some(false));
        if let Some(i) = failed {
            assert!(v.steps[i + 1..].iter().all(|s| s.ok.is_none()));
        }
    }
}

/// The grid over the built-in personas: on the compliant-device tenant, a member with
/// Authenticator push is blocked on an unregistered iPhone by that policy and ready on the
/// compliant laptop; after the documented exclusion the iPhone cell is ready too.
#[test]
fn the_grid_shows_the_block_and_the_fixed_cell() {
    let b = builtin_personas();
    assert_eq!(b.holders.len(), 8);
    assert_eq!(b.devices.len(), 6);
    let member_push = b
        .holders
        .iter()
        .position(|h| h.name == "member, Authenticator push")
        .unwrap();
    let iphone = b
        .devices
        .iter()
        .position(|d| d.name == "unregistered personal iPhone")
        .unwrap();
    let laptop = b
        .devices
        .iter()
        .position(|d| d.name == "Entra-joined compliant laptop")
        .unwrap();
    let g = grid(
        &proof(json!([compliant_on_all(&[])]), open_methods()),
        &b.holders,
        &b.devices,
    )
    .unwrap();
    assert_eq!(g.rows.len(), 8);
    let cell = &g.cells[member_push][iphone];
    assert!(!cell.ready);
    assert_eq!(cell.step, Some(Step::ReachRegistration));
    assert_eq!(cell.blocked_by.as_deref(), Some(COMPLIANT_ID));
    assert!(
        g.cells[member_push][laptop].ready,
        "{:#?}",
        g.cells[member_push][laptop]
    );
    // Guests hold no passkey of this tenant (B2B), whatever the device.
    let guest = b.holders.iter().position(|h| h.guest).unwrap();
    assert!(g.cells[guest].iter().all(|c| !c.ready));

    let g = grid(
        &proof(json!([compliant_on_all(&[CRED_REG])]), open_methods()),
        &b.holders,
        &b.devices,
    )
    .unwrap();
    assert!(
        g.cells[member_push][iphone].ready,
        "{:#?}",
        g.cells[member_push][iphone]
    );
}

/// Inputs are read strictly, each error at its file line:column.
#[test]
fn bad_inputs_say_where() {
    let e = read_personas(b"[\n  {\"name\": \"a\", \"userId\": \"u\", \"methodsRegistered\": [], \"signInConditions\": {}, \"colour\": 1}\n]").unwrap_err();
    assert_eq!(e.line, 2, "{e:?}");
    assert!(e.message.contains("colour"), "{e:?}");

    let text = "[{\"name\": \"a\", \"userId\": \"u\", \"methodsRegistered\": [],\n  \"signInConditions\": {\"clientAppType\": \"browser\",\n     \"devicePlatform\": \"iPhoneOS\"}}]";
    let e = read_personas(text.as_bytes()).unwrap_err();
    assert_eq!(e.line, 3, "{e:?}");
    assert_eq!(
        e.column,
        text.lines().nth(2).unwrap().find("\"iPhoneOS\"").unwrap() + 1,
        "{e:?}"
    );
    assert!(e.message.starts_with("persona 0 (\"a\")"), "{e:?}");

    let text =
        "[{\"name\": \"a\", \"userId\": 7, \"methodsRegistered\": [], \"signInConditions\": {}}]";
    let e = read_personas(text.as_bytes()).unwrap_err();
    assert_eq!(
        (e.line, e.column),
        (1, text.find('7').unwrap() + 1),
        "{e:?}"
    );

    let text = "{\"value\": [\n  {\"id\": \"Fido2\", \"state\": \"enabled\", \"includeTargets\": [], \"keyRestrictions\": 5}\n]}";
    let e = MethodsPolicy::parse(text.as_bytes()).unwrap_err();
    assert_eq!((e.line, e.column), (2, 3), "{e:?}");
    assert!(e.message.contains("keyRestrictions"), "{e:?}");

    let e = Strengths::parse(b"{\"value\": [{\"id\": \"x\", \"allowedCombinations\": \"fido2\"}]}")
        .unwrap_err();
    assert_eq!(e.line, 1, "{e:?}");
    assert!(e.message.contains("invalid type"), "{e:?}");
}
