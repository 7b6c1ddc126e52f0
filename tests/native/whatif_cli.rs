//! `ca-policy whatif`: the offline What-If that reads Graph's evaluate request and answers in
//! its response's shape. Microsoft's published request/response pairs are test cases; the
//! documented semantics (report-only evaluated, conditions not supplied do not match, app
//! groups in a request match nothing, disabled policies) each have a test; bad inputs are
//! refused at FILE:LINE:COLUMN; usage errors exit 2.

use std::path::PathBuf;

use ca_builder::analysis::whatif::evaluate::AnalysisReasons;
use serde_json::{json, Value};

use crate::support::cli;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/native/fixtures/evaluate")
        .join(name)
        .display()
        .to_string()
}

fn file(name: &str, content: &[u8]) -> String {
    cli::temp_file("whatif_cli", name, content)
        .display()
        .to_string()
}

fn json_file(name: &str, v: &Value) -> String {
    file(name, serde_json::to_string_pretty(v).unwrap().as_bytes())
}

fn whatif(args: &[&str], stdin: &[u8]) -> cli::Run {
    cli::ca_policy(&[&["whatif"], args].concat(), stdin)
}

/// `--json` output, parsed; the run must succeed.
fn response(args: &[&str]) -> Value {
    let r = whatif(&[&["--json"], args].concat(), b"");
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// (policyApplies, analysisReasons) of the policy with this id.
fn result_of(resp: &Value, id: &str) -> (bool, String) {
    let p = resp["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no policy {id} in {resp}"));
    (
        p["policyApplies"].as_bool().unwrap(),
        p["analysisReasons"].as_str().unwrap().to_string(),
    )
}

const USER: &str = "15dc174b-f34c-4588-ac45-61d6e05dce93";
const SHAREPOINT: &str = "00000003-0000-0ff1-ce00-000000000000";
const US_LOCATION: &str = "0b2a1d2e-5e4f-4c1a-9a11-000000000001";
const TRUSTED_LOCATION: &str = "0b2a1d2e-5e4f-4c1a-9a11-000000000002";

fn request(context: Value, conditions: Value) -> Value {
    json!({
        "signInIdentity": {"@odata.type": "#microsoft.graph.userSignIn", "userId": USER},
        "signInContext": context,
        "signInConditions": conditions,
        "appliedPoliciesOnly": false
    })
}

fn app(id: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.applicationContext", "includeApplications": [id]})
}

fn policy(id: &str, state: &str, conditions: Value) -> Value {
    json!({
        "id": id, "displayName": format!("policy {id}"), "state": state,
        "conditions": conditions,
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    })
}

fn all_users_all_apps() -> Value {
    json!({"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
           "clientAppTypes": ["all"]})
}

fn locations() -> Value {
    json!({"value": [
        {"@odata.type": "#microsoft.graph.countryNamedLocation", "id": US_LOCATION,
         "displayName": "United States", "countriesAndRegions": ["US"],
         "countryLookupMethod": "clientIpAddress", "includeUnknownCountriesAndRegions": false},
        {"@odata.type": "#microsoft.graph.ipNamedLocation", "id": TRUSTED_LOCATION,
         "displayName": "Office", "isTrusted": true,
         "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.0/24"}]}
    ]})
}

/// Microsoft's three published user examples of `POST /identity/conditionalAccess/evaluate`
/// (Graph v1.0, "conditionalAccessRoot: evaluate", Examples 1–3,
/// https://learn.microsoft.com/graph/api/conditionalaccessroot-evaluate?view=graph-rest-1.0):
/// the fixtures hold each request as published, the policies of its response (without the two
/// result members) as the tenant's policies, and the response as published. Example 3's
/// admin-role policy applies, so its user holds one of the roles (Global Administrator): the
/// directory Graph looks up server-side is given offline. Every member of every documented
/// result comes back as documented, `policyApplies` and `analysisReasons` included, and only the
/// applying policies, as the requests ask (`appliedPoliciesOnly`).
#[test]
fn microsofts_published_examples_come_back_as_documented() {
    for n in 1..=3 {
        let mut args = vec![
            "--policies".to_string(),
            fixture(&format!("example{n}.policies.json")),
        ];
        if n == 3 {
            args.extend([
                "--directory".to_string(),
                fixture("example3.directory.json"),
            ]);
        }
        args.push(fixture(&format!("example{n}.request.json")));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let ours = response(&args);
        let documented: Value = serde_json::from_str(
            &std::fs::read_to_string(fixture(&format!("example{n}.response.json"))).unwrap(),
        )
        .unwrap();
        let ours_list = ours["value"].as_array().unwrap();
        let documented_list = documented["value"].as_array().unwrap();
        assert_eq!(ours_list.len(), documented_list.len(), "example {n}");
        for (o, d) in ours_list.iter().zip(documented_list) {
            for (k, v) in d.as_object().unwrap() {
                assert_eq!(&o[k], v, "example {n}, policy {}, member {k}", d["id"]);
            }
            // The tool's own words sit apart from Graph's members.
            assert!(o["explanation"].as_array().is_some_and(|e| !e.is_empty()));
        }
        assert!(ours["verdict"].is_object(), "example {n}");
    }
}

/// Microsoft: report-only policies are evaluated and returned (every published example is
/// `enabledForReportingButNotEnforced` with `policyApplies: true`); enforcing them is the
/// `--report-only-as-on` preview.
#[test]
fn report_only_policies_are_evaluated_and_enforced_only_as_a_preview() {
    let args = [
        "--policies",
        &fixture("example3.policies.json"),
        "--directory",
        &fixture("example3.directory.json"),
        &fixture("example3.request.json"),
    ];
    let ids = [
        "37d51c45-8c60-4f82-98e0-6e1451cecf7c",
        "4aa7d105-d92b-4c07-9834-0e810ddb89ac",
        "11083471-5a50-43ad-90c0-23f1af0869e1",
    ];
    let plain = response(&args);
    assert_eq!(plain["verdict"]["outcome"], "allowed");
    assert_eq!(plain["verdict"]["reportOnly"], json!(ids));
    assert_eq!(plain["verdict"]["enforced"], json!([]));
    let on = response(&[&["--report-only-as-on"], &args[..]].concat());
    assert_eq!(on["verdict"]["outcome"], "challenged");
    assert_eq!(on["verdict"]["enforced"], json!(ids));
    assert_eq!(on["verdict"]["reportOnly"], json!([]));
    assert_eq!(on["verdict"]["reportOnlyAsOn"], true);
    assert_eq!(
        on["value"][0]["explanation"][0],
        "met: the policy is Report-only, previewed as On (--report-only-as-on)"
    );
    assert!(plain["value"][0]["explanation"][0]
        .as_str()
        .unwrap()
        .contains("never enforced"));
    // The readable report says the same.
    let text = whatif(&args, b"");
    assert_eq!(text.code, 0);
    assert!(text.stdout.contains("Applies (3 of 3)"), "{}", text.stdout);
    assert!(text.stdout.contains("Verdict: allowed"), "{}", text.stdout);
    assert!(text.stdout.contains("--report-only-as-on previews them On"));
}

/// Microsoft's What If page, "conditions not supplied": a policy "All users / Office 365 /
/// Location US / Sign-in risk High" applies only when the request gives the user, an app of the
/// suite (SharePoint), US and high; each missing condition is its own reason, and both together
/// are two flags of the flags enum
/// (https://learn.microsoft.com/entra/identity/conditional-access/what-if-tool).
#[test]
fn conditions_not_supplied_do_not_match() {
    let p = policy(
        "a0000000-0000-0000-0000-000000000001",
        "enabled",
        json!({"users": {"includeUsers": ["All"]},
               "applications": {"includeApplications": ["Office365"]},
               "locations": {"includeLocations": [US_LOCATION]},
               "signInRiskLevels": ["high"], "clientAppTypes": ["all"]}),
    );
    let legacy = policy(
        "a0000000-0000-0000-0000-000000000002",
        "enabled",
        json!({"users": {"includeUsers": ["All"]},
               "applications": {"includeApplications": ["All"]},
               "clientAppTypes": ["exchangeActiveSync", "other"]}),
    );
    let policies = json_file("missing.policies.json", &json!([p, legacy]));
    let locs = json_file("missing.locations.json", &locations());
    let run = |conditions: Value, name: &str| {
        let req = json_file(name, &request(app(SHAREPOINT), conditions));
        response(&["--policies", &policies, "--locations", &locs, &req])
    };
    let id = "a0000000-0000-0000-0000-000000000001";
    let all = run(
        json!({"country": "US", "signInRiskLevel": "high", "clientAppType": "browser"}),
        "all.json",
    );
    assert_eq!(result_of(&all, id), (true, "notSet".into()));
    let no_country = run(
        json!({"signInRiskLevel": "high", "clientAppType": "browser"}),
        "no-country.json",
    );
    assert_eq!(result_of(&no_country, id), (false, "location".into()));
    let no_risk = run(
        json!({"country": "US", "clientAppType": "browser"}),
        "no-risk.json",
    );
    assert_eq!(result_of(&no_risk, id), (false, "signInRisk".into()));
    let neither = run(json!({"clientAppType": "browser"}), "neither.json");
    assert_eq!(
        result_of(&neither, id),
        (false, "location,signInRisk".into())
    );
    // No clientAppType: a policy that lists client apps does not apply; one on all does.
    let no_client = run(
        json!({"country": "US", "signInRiskLevel": "high"}),
        "no-client.json",
    );
    assert_eq!(
        result_of(&no_client, "a0000000-0000-0000-0000-000000000002"),
        (false, "clientApps".into())
    );
    assert_eq!(result_of(&no_client, id), (true, "notSet".into()));
    let notes = no_client["verdict"]["notes"].to_string();
    assert!(notes.contains("no clientAppType was supplied"), "{notes}");
}

/// Microsoft's What If page: app groups given as input ("Office 365", "Microsoft Admin
/// Portals") do not result in a match; the request must name an App ID. The Microsoft Admin
/// Portals group is documented by name, not app id, so no app id matches it (an assumption the
/// output states).
#[test]
fn app_groups_in_a_request_match_nothing_and_admin_portals_match_no_app_id() {
    let all = policy(
        "b0000000-0000-0000-0000-000000000001",
        "enabled",
        all_users_all_apps(),
    );
    let office = policy(
        "b0000000-0000-0000-0000-000000000002",
        "enabled",
        json!({"users": {"includeUsers": ["All"]},
               "applications": {"includeApplications": ["Office365"]}, "clientAppTypes": ["all"]}),
    );
    let portals = policy(
        "b0000000-0000-0000-0000-000000000003",
        "enabled",
        json!({"users": {"includeUsers": ["All"]},
               "applications": {"includeApplications": ["MicrosoftAdminPortals"]}, "clientAppTypes": ["all"]}),
    );
    let policies = json_file("groups.policies.json", &json!([all, office, portals]));
    for group in ["Office365", "MicrosoftAdminPortals"] {
        let req = json_file(
            &format!("{group}.json"),
            &request(app(group), json!({"clientAppType": "browser"})),
        );
        let resp = response(&["--policies", &policies, &req]);
        for p in resp["value"].as_array().unwrap() {
            assert_eq!(p["policyApplies"], false, "{group}: {}", p["id"]);
            assert_eq!(p["analysisReasons"], "application", "{group}: {}", p["id"]);
        }
        assert!(resp["verdict"]["notes"]
            .to_string()
            .contains(&format!("the app group {group}")));
    }
    // The Azure portal's app id: the All-resources policy applies, the Admin Portals one not.
    let azure_portal = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c";
    let req = json_file(
        "portal.json",
        &request(app(azure_portal), json!({"clientAppType": "browser"})),
    );
    let resp = response(&["--policies", &policies, &req]);
    assert_eq!(
        result_of(&resp, "b0000000-0000-0000-0000-000000000001"),
        (true, "notSet".into())
    );
    assert_eq!(
        result_of(&resp, "b0000000-0000-0000-0000-000000000003"),
        (false, "application".into())
    );
    assert!(resp["verdict"]["notes"]
        .to_string()
        .contains("Microsoft Admin Portals by name, not app id"));
}

/// Microsoft's What If page: only enabled and report-only policies are evaluated; a disabled
/// one comes back with `policyNotEnabled`, its one reason.
#[test]
fn disabled_policies_come_back_as_policy_not_enabled() {
    let off = policy(
        "c0000000-0000-0000-0000-000000000001",
        "disabled",
        json!({"users": {"includeUsers": ["None"]}, "applications": {"includeApplications": ["All"]}}),
    );
    let policies = json_file("off.policies.json", &json!([off]));
    let req = json_file(
        "off.request.json",
        &request(app(SHAREPOINT), json!({"clientAppType": "browser"})),
    );
    let resp = response(&["--policies", &policies, &req]);
    assert_eq!(
        result_of(&resp, "c0000000-0000-0000-0000-000000000001"),
        (false, "policyNotEnabled".into())
    );
    let text = whatif(&["--policies", &policies, &req], b"");
    assert!(
        text.stdout.contains("[Off]: policyNotEnabled"),
        "{}",
        text.stdout
    );
}

/// `analysisReasons` is a flags enum (CSDL `IsFlags="true"`): several unmet conditions come
/// back comma-separated, in value order, and read back with `AnalysisReasons::parse`.
#[test]
fn several_reasons_are_flags_that_parse_back() {
    let p = policy(
        "d0000000-0000-0000-0000-000000000001",
        "enabledForReportingButNotEnforced",
        json!({"users": {"includeGroups": ["e0000000-0000-0000-0000-000000000001"]},
               "applications": {"includeApplications": ["All"]},
               "platforms": {"includePlatforms": ["iOS"]},
               "devices": {"deviceFilter": {"mode": "exclude", "rule": "device.isCompliant -eq True"}},
               "clientAppTypes": ["all"]}),
    );
    let policies = json_file("flags.policies.json", &json!([p]));
    let req = json_file(
        "flags.request.json",
        &request(
            app(SHAREPOINT),
            json!({"clientAppType": "browser", "devicePlatform": "android",
                   "deviceInfo": {"isCompliant": true}}),
        ),
    );
    let resp = response(&["--policies", &policies, &req]);
    let (applies, reasons) = result_of(&resp, "d0000000-0000-0000-0000-000000000001");
    assert!(!applies);
    assert_eq!(reasons, "users,devicePlatform,devices");
    let (parsed, unknown) = AnalysisReasons::parse(&reasons);
    assert!(unknown.is_empty());
    assert!(parsed.contains(AnalysisReasons::USERS));
    assert!(parsed.contains(AnalysisReasons::DEVICE_PLATFORM));
    assert!(parsed.contains(AnalysisReasons::DEVICES));
    assert!(!parsed.contains(AnalysisReasons::LOCATION));
    // The user in the group (from the directory) leaves the other two.
    let dir = json_file(
        "flags.directory.json",
        &json!({"users": {USER: {"groups": ["e0000000-0000-0000-0000-000000000001"]}}}),
    );
    let resp = response(&["--policies", &policies, "--directory", &dir, &req]);
    assert_eq!(
        result_of(&resp, "d0000000-0000-0000-0000-000000000001").1,
        "devicePlatform,devices"
    );
}

/// Named locations: an address in a trusted IP range is a trusted location, so a policy on any
/// location except trusted ones does not apply there and applies elsewhere.
#[test]
fn ip_addresses_resolve_through_the_named_locations() {
    let p = policy(
        "f0000000-0000-0000-0000-000000000001",
        "enabled",
        json!({"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
               "locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
               "clientAppTypes": ["all"]}),
    );
    let policies = json_file("loc.policies.json", &json!([p]));
    let locs = json_file("loc.locations.json", &locations());
    let at = |ip: &str| {
        let req = json_file(
            &format!("loc-{ip}.json"),
            &request(
                app(SHAREPOINT),
                json!({"ipAddress": ip, "clientAppType": "browser"}),
            ),
        );
        result_of(
            &response(&["--policies", &policies, "--locations", &locs, &req]),
            "f0000000-0000-0000-0000-000000000001",
        )
    };
    assert_eq!(at("203.0.113.10"), (false, "location".into()));
    assert_eq!(at("198.51.100.7"), (true, "notSet".into()));
}

/// Insider risk and guests come from the request: a policy on elevated insider risk applies to
/// an elevated request only; `externalUserType` makes the user a guest of that type.
#[test]
fn insider_risk_and_guest_types_come_from_the_request() {
    let insider = policy(
        "f1000000-0000-0000-0000-000000000001",
        "enabled",
        json!({"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
               "insiderRiskLevels": "elevated", "clientAppTypes": ["all"]}),
    );
    let guests = policy(
        "f1000000-0000-0000-0000-000000000002",
        "enabled",
        json!({"users": {"includeGuestsOrExternalUsers": {
                   "guestOrExternalUserTypes": "b2bCollaborationGuest",
                   "externalTenants": {"@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", "membershipKind": "all"}}},
               "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]}),
    );
    let policies = json_file("insider.policies.json", &json!([insider, guests]));
    let run = |level: &str, guest: bool| {
        let mut r = request(
            app(SHAREPOINT),
            json!({"clientAppType": "browser", "insiderRiskLevel": level}),
        );
        if guest {
            r["signInIdentity"]["externalUserType"] = json!("b2bCollaborationGuest");
        }
        let req = json_file(&format!("insider-{level}-{guest}.json"), &r);
        response(&["--policies", &policies, &req])
    };
    let elevated = run("elevated", false);
    assert_eq!(
        result_of(&elevated, "f1000000-0000-0000-0000-000000000001"),
        (true, "notSet".into())
    );
    assert_eq!(
        result_of(&elevated, "f1000000-0000-0000-0000-000000000002"),
        (false, "users".into())
    );
    let minor = run("minor", true);
    assert_eq!(
        result_of(&minor, "f1000000-0000-0000-0000-000000000001"),
        (false, "insiderRisk".into())
    );
    assert_eq!(
        result_of(&minor, "f1000000-0000-0000-0000-000000000002"),
        (true, "notSet".into())
    );
}

/// `appliedPoliciesOnly: false` lists every policy; the report names why the others do not
/// apply, and the request read from standard input gives the same answer as from a file.
#[test]
fn every_policy_is_listed_unless_only_applied_ones_are_asked_for_and_stdin_works() {
    let policies = fixture("example1.policies.json");
    let mut r: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("example1.request.json")).unwrap())
            .unwrap();
    r["signInConditions"]["userRiskLevel"] = json!("low");
    r["appliedPoliciesOnly"] = json!(false);
    let body = serde_json::to_vec(&r).unwrap();
    let from_stdin = whatif(&["--json", "--policies", &policies, "-"], &body);
    assert_eq!(from_stdin.code, 0, "{}", from_stdin.stderr);
    let from_file = whatif(
        &[
            "--json",
            "--policies",
            &policies,
            &file("low-risk.json", &body),
        ],
        b"",
    );
    assert_eq!(from_stdin.stdout, from_file.stdout);
    let resp: Value = serde_json::from_str(&from_file.stdout).unwrap();
    assert_eq!(resp["value"].as_array().unwrap().len(), 2);
    assert_eq!(
        result_of(&resp, "37d51c45-8c60-4f82-98e0-6e1451cecf7c"),
        (false, "userRisk".into())
    );
    let text = whatif(&["--policies", &policies, "-"], &body);
    assert!(
        text.stdout.contains("Does not apply (1):"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains(": userRisk"), "{}", text.stdout);
}

/// A file's error names FILE:LINE:COLUMN and exits 1: JSON that does not parse, in UTF-8 or
/// UTF-16; a wrong `@odata.type`; an unknown property; a value outside Graph's enum; an
/// address that is not one; broken directory, locations and policy files. UTF-16 with a BOM
/// reads like UTF-8.
#[test]
fn input_errors_name_file_line_and_column() {
    let policies = fixture("example1.policies.json");
    let good = std::fs::read_to_string(fixture("example1.request.json")).unwrap();
    let check = |name: &str, body: &[u8], want: &str| {
        let req = file(name, body);
        let r = whatif(&["--policies", &policies, &req], b"");
        assert_eq!(r.code, 1, "{name}: {}", r.stderr);
        let expected = format!("{req}:{want}");
        assert!(
            r.stderr.contains(&expected),
            "{name}: {} lacks {expected}",
            r.stderr
        );
    };
    check(
        "broken.json",
        b"{\n  \"signInIdentity\": {,\n}",
        "2:22: invalid JSON",
    );
    let utf16 = |s: &str| -> Vec<u8> {
        let mut b = vec![0xff, 0xfe];
        b.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        b
    };
    check(
        "broken16.json",
        &utf16("{\n  \"signInIdentity\": {,\n}"),
        "2:22: invalid JSON",
    );
    let wrong_type = good.replace(
        "#microsoft.graph.applicationContext",
        "#microsoft.graph.appContext",
    );
    check(
        "type.json",
        wrong_type.as_bytes(),
        "7:24: signInContext.@odata.type is \"#microsoft.graph.appContext\"",
    );
    let unknown = good.replace("\"clientAppType\"", "\"clientApp\"");
    check(
        "unknown.json",
        unknown.as_bytes(),
        "14:9: unknown property \"clientApp\" in signInConditions",
    );
    let device = good.replace("\"isCompliant\"", "\"compliant\"");
    check(
        "device.json",
        device.as_bytes(),
        "24:13: unknown property \"compliant\" in signInConditions.deviceInfo",
    );
    let platform = good.replace("\"android\"", "\"Android\"");
    check(
        "platform.json",
        platform.as_bytes(),
        "13:27: signInConditions.devicePlatform is \"Android\"; expected one of",
    );
    let ip = good.replace("40.77.182.32", "40.77.182");
    check(
        "ip.json",
        ip.as_bytes(),
        "18:22: signInConditions.ipAddress is \"40.77.182\", not an IPv4 or IPv6 address",
    );
    check(
        "identity.json",
        b"{\"signInIdentity\": 1}",
        "1:20: signInIdentity must be an object, found a number",
    );
    check(
        "top.json",
        b"{\"signIn\": 1}",
        "1:2: unknown property \"signIn\"",
    );
    // UTF-16 with a BOM reads like UTF-8.
    let r8 = whatif(
        &[
            "--json",
            "--policies",
            &policies,
            &file("ok8.json", good.as_bytes()),
        ],
        b"",
    );
    let r16 = whatif(
        &[
            "--json",
            "--policies",
            &policies,
            &file("ok16.json", &utf16(&good)),
        ],
        b"",
    );
    assert_eq!((r8.code, r16.code), (0, 0), "{}", r16.stderr);
    assert_eq!(r8.stdout, r16.stdout);
    // The other files.
    let req = fixture("example1.request.json");
    let bad_dir = file("dir.json", b"{\"users\": {\"x\": {\"group\": []}}}");
    let r = whatif(
        &["--policies", &policies, "--directory", &bad_dir, &req],
        b"",
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains(&format!("{bad_dir}:1:18: unknown property \"group\"")),
        "{}",
        r.stderr
    );
    let bad_locs = file(
        "locs.json",
        b"[{\"@odata.type\": \"#microsoft.graph.ipNamedLocation\", \"id\": \"x\",\n  \"ipRanges\": [{\"@odata.type\": \"#microsoft.graph.iPv4CidrRange\", \"cidrAddress\": \"10.0.0.0/40\"}]}]",
    );
    let r = whatif(
        &["--policies", &policies, "--locations", &bad_locs, &req],
        b"",
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(&format!(
            "{bad_locs}:2:81: [0].ipRanges[0].cidrAddress is \"10.0.0.0/40\""
        )),
        "{}",
        r.stderr
    );
    let bad_policies = file("policies.json", b"[\n  {\"conditions\": }\n]");
    let r = whatif(&["--policies", &bad_policies, &req], b"");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(&format!("{bad_policies}:2:")),
        "{}",
        r.stderr
    );
}

/// Usage errors exit 2 with the command's usage: no --policies, an unknown option, two
/// requests, standard input asked for twice, a file that cannot be read.
#[test]
fn usage_errors_exit_2() {
    let policies = fixture("example1.policies.json");
    let req = fixture("example1.request.json");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec![req.as_str()], "expected at least one --policies FILE"),
        (
            vec!["--policies", &policies, "--frobnicate", &req],
            "--frobnicate",
        ),
        (
            vec!["--policies", &policies, &req, &req],
            "whatif takes one REQUEST",
        ),
        (
            vec!["--policies", "-", "-"],
            "standard input (-) can be read once",
        ),
        (
            vec!["--policies", "/nonexistent/p.json", &req],
            "/nonexistent/p.json",
        ),
    ];
    for (args, want) in cases {
        let r = whatif(&args, b"");
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(want), "{args:?}: {}", r.stderr);
    }
    let help = whatif(&["--help"], b"");
    assert_eq!(help.code, 0);
    assert!(help.stdout.starts_with("usage: ca-policy whatif"));
}

/// A service principal sign-in meets only the policies on workload identities: Microsoft's
/// Example 4 (evaluate page, "Identify conditional access policies that apply to a service
/// principal") returns its policy "All ST SPs_All resources_Any location_Block" as applying
/// (the request, and that policy's conditions, as published); a policy for users does not
/// apply, and the workload policy does not apply to a user.
#[test]
fn service_principal_sign_ins_meet_the_workload_identity_policies() {
    let workload = json!({
        "id": "461478d2-5896-4761-84ba-4d241c396a29",
        "displayName": "All ST SPs_All resources_Any location_Block",
        "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "userRiskLevels": [], "signInRiskLevels": [], "clientAppTypes": ["all"],
            "servicePrincipalRiskLevels": [], "insiderRiskLevels": null,
            "applications": {"includeApplications": ["All"], "excludeApplications": [],
                             "includeUserActions": [], "includeAuthenticationContextClassReferences": []},
            "users": {"includeUsers": ["None"], "excludeUsers": [], "includeGroups": [],
                      "excludeGroups": [], "includeRoles": [], "excludeRoles": []},
            "locations": {"includeLocations": ["All"], "excludeLocations": []},
            "clientApplications": {"includeServicePrincipals": ["ServicePrincipalsInMyTenant"],
                                   "excludeServicePrincipals": []}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]}
    });
    let users = policy(
        "f2000000-0000-0000-0000-000000000001",
        "enabled",
        all_users_all_apps(),
    );
    let policies = json_file("sp.policies.json", &json!([workload, users]));
    let sp = json_file(
        "sp.request.json",
        &json!({
            "signInIdentity": {"@odata.type": "#microsoft.graph.servicePrincipalSignIn",
                               "servicePrincipalId": "c65b94a5-0049-439a-a6fd-bce307077730"},
            "signInContext": app(SHAREPOINT),
            "signInConditions": {"servicePrincipalRiskLevel": "high", "country": "CA",
                                 "ipAddress": "40.77.182.32"},
            "appliedPoliciesOnly": true
        }),
    );
    let resp = response(&["--policies", &policies, &sp]);
    let listed: Vec<&Value> = resp["value"].as_array().unwrap().iter().collect();
    assert_eq!(listed.len(), 1, "{resp}");
    assert_eq!(listed[0]["id"], "461478d2-5896-4761-84ba-4d241c396a29");
    assert_eq!(listed[0]["policyApplies"], true);
    assert_eq!(listed[0]["analysisReasons"], "notSet");
    let user = json_file(
        "sp-user.request.json",
        &request(app(SHAREPOINT), json!({"clientAppType": "browser"})),
    );
    let resp = response(&["--policies", &policies, &user]);
    assert_eq!(
        result_of(&resp, "461478d2-5896-4761-84ba-4d241c396a29"),
        (false, "users".into())
    );
    assert_eq!(
        result_of(&resp, "f2000000-0000-0000-0000-000000000001"),
        (true, "notSet".into())
    );
}

/// evaluate's `deviceInfo.ownership` is the attribute device filters call `deviceOwnership`
/// (Learn, "Filter for devices": supported attributes), so a filter on it sees the request's value.
#[test]
fn device_info_ownership_reaches_a_device_filter_on_device_ownership() {
    let mut conditions = all_users_all_apps();
    conditions["devices"] = json!({"deviceFilter": {"mode": "include",
        "rule": "device.deviceOwnership -eq \"Company\""}});
    let id = "a0000000-0000-0000-0000-0000000000d0";
    let policies = json_file(
        "ownership.policies.json",
        &json!([policy(id, "enabled", conditions)]),
    );
    let run = |ownership: &str, name: &str| {
        let req = json_file(
            name,
            &request(
                app(SHAREPOINT),
                json!({"clientAppType": "browser", "devicePlatform": "windows",
                       "deviceInfo": {"ownership": ownership, "trustType": "AzureAD"}}),
            ),
        );
        response(&["--policies", &policies, &req])
    };
    assert!(result_of(&run("Company", "company.json"), id).0);
    assert_eq!(
        result_of(&run("Personal", "personal.json"), id),
        (false, "devices".into())
    );
}
