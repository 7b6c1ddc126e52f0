//! PowerShell export: every generated script, for a list of hostile names, parses cleanly,
//! invokes only the commands the exporter means to write, and every literal decodes (by
//! PowerShell's rules) back to exactly the name, rule or JSON that went in.

use crate::support::powershell as powershell_check;
use crate::support::ps_tokens;

use ca_builder::export::powershell::{self, Flavour, ScriptError};
use ca_builder::export::Operation;
use ca_builder::guid::{Guid, GuidKind};
use ca_builder::policy::templates::{self, Template, TemplateParams};
use powershell_check::{check, decode_single_quoted, Checked, Part};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const BREAK_GLASS: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";
const POLICY_ID: &str = "4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c5d";
/// A group id as Graph would return it, spliced in where the script uses `$group.id`.
const GROUP_ID: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

const INVOKE_METHODS: &[&str] = &["[uri]::EscapeDataString"];

/// Names written to break naive quoting: every quote PowerShell recognises (and U+201F,
/// which it does not), backticks, expansion, newlines and CR, here-string terminators at line
/// starts, comment delimiters, statement separators, dashes, emoji, and very long text.
fn hostile_names() -> Vec<String> {
    let mut names: Vec<String> = [
        "'",
        "‘",
        "’",
        "‚",
        "‛",
        "\"",
        "“",
        "”",
        "„",
        "‟",
        "''",
        "'''",
        "’’’",
        "'’‘‚‛",
        "O'Brien’s “Pilot” policy",
        "' + (Remove-Item x) + '",
        "’; Remove-Item x; ’",
        "‘) ; Remove-Item x ; (‘",
        "`n`r`$x `' `” ``",
        "$(Remove-Item x)",
        "@(Remove-Item x)",
        "${env:X}",
        "$env:USERNAME $true $null",
        "line1\nline2",
        "cr\rhere",
        "crlf\r\nafter",
        "\n'@\nRemove-Item x\n'@\n",
        "\n\"@\nRemove-Item x\n\"@",
        "\n’@\nRemove-Item x",
        "x\n@'\ny",
        "#> Remove-Item x <#",
        "<# Remove-Item x",
        "# comment",
        "a; Remove-Item x",
        "a | Remove-Item x",
        "a & Remove-Item x",
        "a && b || c",
        "--% stop parsing",
        "ALWAYS REQUIRE MFA – Compensating Control",
        "–WhatIf —Confirm ―Force",
        "🔐 Passkeys 👩‍💻 rollout",
        "tab\there",
        "esc \u{1b}[31m del \u{7f}",
        "ls\u{2028}ps\u{2029}nel\u{85}",
        "\u{feff}bom",
        "[uri]::new('x')",
        "displayName eq 'x' or true",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    names.push("’'".repeat(2000));
    names.push(format!("{}\n'@ $(Remove-Item x)", "long name ".repeat(500)));
    names
}

/// The seed's corrected policy (b) from the policy model, made hostile: the display name and
/// the device rule carry `name`.
fn policy_body(name: &str) -> Value {
    let params = TemplateParams {
        exclude_users: vec![BREAK_GLASS.into()],
        ..Default::default()
    };
    let mut body = Template::MfaCompensating
        .build(&params)
        .expect("template builds")
        .to_post_body();
    body["displayName"] = json!(name);
    body["conditions"]["devices"] = json!({
        "deviceFilter": {"mode": "exclude", "rule": format!("device.displayName -eq \"{name}\"")}
    });
    body
}

fn group_body(name: &str) -> Value {
    templates::group_body(name)
}

fn sorted(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn assert_commands(checked: &Checked, expected: &[&str], what: &str) {
    let got: BTreeSet<String> = checked.commands.iter().cloned().collect();
    assert_eq!(got, sorted(expected), "{what}: commands");
}

fn checked(script: &str, commands: &[&str], flavour: Flavour, what: &str) -> Checked {
    // The SDK flavour reads beta's policy list through Invoke-MgGraphRequest too.
    let methods: &[&str] = match flavour {
        Flavour::Sdk if !commands.contains(&"Invoke-MgGraphRequest") => &[],
        _ => INVOKE_METHODS,
    };
    // ASCII: every PowerShell reads it the same, with or without BOM (see ps_literal).
    assert!(script.is_ascii(), "{what}: not ASCII\n{script}");
    let c = check(script, commands, methods)
        .unwrap_or_else(|v| panic!("{what}: {v:#?}\n--- script ---\n{script}"));
    assert_commands(&c, commands, what);
    c
}

/// The test's own OData quoting, independent of the exporter: ASCII `'` doubled.
fn odata_decode(literal: &str) -> String {
    let inner = literal
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .expect("OData literal is quoted");
    assert!(
        !inner.replace("''", "").contains('\''),
        "lone ASCII quote in OData literal {literal:?}"
    );
    inner.replace("''", "'")
}

/// The display-name filter literal of the script decodes to a filter for exactly `name`.
fn assert_filter_for(c: &Checked, name: &str, what: &str) {
    // The name itself may look like a filter; the filter literals are the other ones.
    let filters: Vec<&String> = c
        .literals
        .iter()
        .filter(|l| l.starts_with("displayName eq ") && *l != name)
        .collect();
    assert!(!filters.is_empty(), "{what}: no display-name filter");
    for f in filters {
        assert_eq!(
            odata_decode(&f["displayName eq ".len()..]),
            name,
            "{what}: filter {f:?}"
        );
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

/// A create checks the name in v1.0 (the cmdlet) and beta (`Invoke-MgGraphRequest`, with a
/// warning when beta cannot be read).
const SDK_CREATE: &[&str] = &[
    "Import-Module",
    "Connect-MgGraph",
    "Get-MgIdentityConditionalAccessPolicy",
    "Invoke-MgGraphRequest",
    "New-MgIdentityConditionalAccessPolicy",
    "Write-Output",
    "Write-Warning",
];
const SDK_UPDATE: &[&str] = &[
    "Import-Module",
    "Connect-MgGraph",
    "Get-MgIdentityConditionalAccessPolicy",
    "Update-MgIdentityConditionalAccessPolicy",
    "Write-Output",
];
const SDK_GROUP: &[&str] = &[
    "Import-Module",
    "Connect-MgGraph",
    "Get-MgGroup",
    "New-MgGroup",
    "Write-Output",
];
const SDK_PILOT: &[&str] = &[
    "Import-Module",
    "Connect-MgGraph",
    "Get-MgIdentityConditionalAccessPolicy",
    "Get-MgGroup",
    "New-MgGroup",
    "Invoke-MgGraphRequest",
    "New-MgIdentityConditionalAccessPolicy",
    "Write-Output",
    "Write-Warning",
];
const INVOKE_ALL: &[&str] = &[
    "Import-Module",
    "Connect-MgGraph",
    "Invoke-MgGraphRequest",
    "Write-Output",
];
/// Scripts that create a policy: a warning when beta's list cannot be read.
const INVOKE_CREATE: &[&str] = &[
    "Import-Module",
    "Connect-MgGraph",
    "Invoke-MgGraphRequest",
    "Write-Output",
    "Write-Warning",
];

#[test]
fn create_policy_scripts_carry_hostile_names_as_inert_literals() {
    for name in hostile_names() {
        let body = policy_body(&name);
        let what = format!("create {name:?}");

        let sdk = powershell::script(Flavour::Sdk, &Operation::Create, &body).unwrap();
        let c = checked(&sdk, SDK_CREATE, Flavour::Sdk, &format!("{what} sdk"));
        assert_eq!(
            c.value_of("$params", 0).unwrap(),
            body,
            "{what} sdk: $params"
        );
        assert_filter_for(&c, &name, &what);
        assert!(c.literals.contains(&name), "{what} sdk: name literal");

        let inv = powershell::script(Flavour::Invoke, &Operation::Create, &body).unwrap();
        let c = checked(
            &inv,
            INVOKE_CREATE,
            Flavour::Invoke,
            &format!("{what} invoke"),
        );
        let json = match c.value_of("$body", 0).unwrap() {
            Value::String(s) => s,
            other => panic!("{what}: $body is {other}"),
        };
        assert_eq!(json, pretty(&body), "{what} invoke: JSON text");
        assert!(c.literals.contains(&name), "{what} invoke: name literal");
        assert_eq!(
            serde_json::from_str::<Value>(&json).unwrap(),
            body,
            "{what} invoke: JSON value"
        );
        assert_filter_for(&c, &name, &what);
    }
}

#[test]
fn update_scripts_send_the_exact_patch_body_to_the_checked_id() {
    let id = Guid::parse(POLICY_ID, GuidKind::Policy).unwrap();
    let op = Operation::Update { policy_id: id };
    for name in hostile_names() {
        let body = json!({"displayName": name, "conditions": {"users": {"includeUsers": [], "includeGroups": [GROUP_ID]}}});
        let what = format!("update {name:?}");

        let sdk = powershell::script(Flavour::Sdk, &op, &body).unwrap();
        let c = checked(&sdk, SDK_UPDATE, Flavour::Sdk, &what);
        assert_eq!(c.value_of("$policyId", 0).unwrap(), json!(POLICY_ID));
        assert_eq!(c.value_of("$params", 0).unwrap(), body, "{what}");
        assert!(sdk.contains("Update-MgIdentityConditionalAccessPolicy -ConditionalAccessPolicyId $policyId -BodyParameter $params"));

        let inv = powershell::script(Flavour::Invoke, &op, &body).unwrap();
        let c = checked(&inv, INVOKE_ALL, Flavour::Invoke, &what);
        let Value::String(json) = c.value_of("$body", 0).unwrap() else {
            panic!("{what}: $body")
        };
        assert_eq!(
            serde_json::from_str::<Value>(&json).unwrap(),
            body,
            "{what}"
        );
        let uri = format!("/v1.0/identity/conditionalAccess/policies/{POLICY_ID}");
        assert!(c.literals.contains(&uri), "{what}: PATCH uri literal");
        // Only POST defaults the content type; the PATCH must send it (reference §A).
        assert!(inv.contains(&format!(
            "Invoke-MgGraphRequest -Method PATCH -Uri '{uri}' -Body $body -ContentType 'application/json'"
        )));
    }
}

#[test]
fn group_scripts_find_before_they_create_and_keep_the_name_inert() {
    for name in hostile_names() {
        let group = group_body(&name);
        let what = format!("group {name:?}");

        let sdk = powershell::script(Flavour::Sdk, &Operation::CreateGroup, &group).unwrap();
        let c = checked(&sdk, SDK_GROUP, Flavour::Sdk, &what);
        assert_eq!(c.value_of("$groupName", 0).unwrap(), json!(name), "{what}");
        assert_filter_for(&c, &name, &what);
        let at = |cmd: &str| c.commands.iter().position(|x| x == cmd).unwrap();
        assert!(
            at("Get-MgGroup") < at("New-MgGroup"),
            "{what}: look up before create"
        );
        // Switch parameters take booleans only in colon form (errata (d)).
        assert!(
            sdk.contains("-MailEnabled:$false -SecurityEnabled:$true -MailNickname "),
            "{what}"
        );
        assert!(c
            .literals
            .contains(&group["mailNickname"].as_str().unwrap().to_string()));

        let inv = powershell::script(Flavour::Invoke, &Operation::CreateGroup, &group).unwrap();
        let c = checked(&inv, INVOKE_ALL, Flavour::Invoke, &what);
        assert_eq!(c.value_of("$groupName", 0).unwrap(), json!(name), "{what}");
        let Value::String(json) = c.value_of("$groupBody", 0).unwrap() else {
            panic!("{what}")
        };
        assert_eq!(
            serde_json::from_str::<Value>(&json).unwrap(),
            group,
            "{what}"
        );
        assert_filter_for(&c, &name, &what);
        assert!(
            c.literals.contains(&"/v1.0/groups?$filter=".to_string()),
            "{what}: $filter stays literal"
        );
    }
}

#[test]
fn pilot_scripts_wire_the_group_id_and_narrow_the_policy() {
    for name in hostile_names() {
        let policy = policy_body(&name);
        let group = group_body(&format!("Pilot {name}"));
        let mut expected = policy.clone();
        expected["conditions"]["users"]["includeUsers"] = json!([]);
        expected["conditions"]["users"]["includeGroups"] = json!([]);
        let what = format!("pilot {name:?}");

        let sdk = powershell::pilot_script(Flavour::Sdk, &group, &policy).unwrap();
        let c = checked(&sdk, SDK_PILOT, Flavour::Sdk, &what);
        assert_eq!(c.value_of("$params", 0).unwrap(), expected, "{what}");
        let wired = c.assignments("$params.conditions.users.includeGroups");
        assert_eq!(wired.len(), 1, "{what}");
        assert_eq!(&sdk[wired[0].byte_range()], "@($group.Id)");
        // The group exists (found or created) before the policy that targets it.
        let at = |cmd: &str| c.commands.iter().position(|x| x == cmd).unwrap();
        assert!(at("Get-MgIdentityConditionalAccessPolicy") < at("Get-MgGroup"));
        assert!(at("New-MgGroup") < at("New-MgIdentityConditionalAccessPolicy"));
        assert!(
            wired[0].start_byte()
                < sdk
                    .find("New-MgIdentityConditionalAccessPolicy -BodyParameter")
                    .unwrap()
        );

        let inv = powershell::pilot_script(Flavour::Invoke, &group, &policy).unwrap();
        let c = checked(&inv, INVOKE_CREATE, Flavour::Invoke, &what);
        let parts = c.concat_of("$body", 0).unwrap();
        let [Part::Literal(before), Part::Code(code), Part::Literal(after)] = parts.as_slice()
        else {
            panic!("{what}: $body is {parts:?}")
        };
        assert_eq!(code, "$group.id");
        let sent: Value = serde_json::from_str(&format!("{before}{GROUP_ID}{after}")).unwrap();
        let mut want = expected.clone();
        want["conditions"]["users"]["includeGroups"] = json!([GROUP_ID]);
        assert_eq!(sent, want, "{what}");
        assert_eq!(
            sent["conditions"]["users"]["excludeUsers"],
            json!([BREAK_GLASS]),
            "{what}: break-glass kept"
        );
    }
}

#[test]
fn the_opt_in_tap_step_issues_a_pass_per_member_and_prints_codes_only_with_write_host() {
    use powershell::{PilotScriptOptions, TAP_PERMISSION};
    let on = PilotScriptOptions { issue_taps: true };
    for name in hostile_names().into_iter().take(12) {
        let policy = policy_body(&name);
        let group = group_body(&format!("Pilot {name}"));
        let what = format!("pilot with passes {name:?}");
        for (flavour, allowed, code) in [
            (
                Flavour::Sdk,
                [
                    SDK_PILOT,
                    &[
                        "Invoke-MgGraphRequest",
                        "Get-MgGroupMemberAsUser",
                        "New-MgUserAuthenticationTemporaryAccessPassMethod",
                        "Write-Host",
                    ],
                ]
                .concat(),
                "$tap.TemporaryAccessPass",
            ),
            (
                Flavour::Invoke,
                [INVOKE_CREATE, &["ConvertTo-Json", "Write-Host"]].concat(),
                "$tap.temporaryAccessPass",
            ),
        ] {
            let off = powershell::pilot_script(flavour, &group, &policy).unwrap();
            assert_eq!(
                powershell::pilot_script_with(
                    flavour,
                    &group,
                    &policy,
                    PilotScriptOptions::default()
                )
                .unwrap(),
                off,
                "{what}: without the opt-in the script is unchanged"
            );
            let script = powershell::pilot_script_with(flavour, &group, &policy, on).unwrap();
            let c = checked(&script, &allowed, flavour, &what);
            assert!(
                script.contains(&format!(",'{TAP_PERMISSION}' -NoWelcome")),
                "{what}: asks for the TAP permission"
            );
            // The step runs once the policy exists, and the code is read in one place only:
            // the Write-Host line.
            let at = |cmd: &str| c.commands.iter().rposition(|x| x == cmd).unwrap();
            assert!(at("Write-Host") > at("Write-Output"), "{what}");
            let uses: Vec<&str> = script.lines().filter(|l| l.contains(code)).collect();
            assert_eq!(uses.len(), 1, "{what}: {uses:?}");
            assert!(
                uses[0].trim_start().starts_with("Write-Host ("),
                "{what}: {uses:?}"
            );
            assert_eq!(c.commands.iter().filter(|x| *x == "Write-Host").count(), 1);
            for forbidden in [
                "Out-File",
                "Set-Content",
                "Add-Content",
                "Export-",
                "Start-Transcript",
                "Write-Output $tap",
                "Write-Verbose",
                "Write-Information",
            ] {
                assert!(
                    script
                        .lines()
                        .filter(|l| !l.starts_with('#'))
                        .all(|l| !l.contains(forbidden)),
                    "{what}: {forbidden}"
                );
            }
            // The body: only the two properties the tenant's policy sets.
            let keys: BTreeSet<&str> = script
                .lines()
                .filter_map(|l| l.trim().strip_prefix("$tapBody['"))
                .filter_map(|l| l.split('\'').next())
                .collect();
            assert_eq!(
                keys,
                BTreeSet::from(["isUsableOnce", "lifetimeInMinutes"]),
                "{what}"
            );
            assert!(c
                .literals
                .iter()
                .any(|l| l.ends_with("/authenticationMethodConfigurations/TemporaryAccessPass")));
            // A failure names the user and Graph's reason, never the code.
            let catch = script
                .lines()
                .find(|l| l.contains("No Temporary Access Pass for"))
                .unwrap();
            assert!(!catch.contains("$tap."), "{what}: {catch}");
        }
    }
}

#[test]
fn headers_require_modules_stop_on_error_and_ask_least_privilege() {
    let body = policy_body("P");
    let group = group_body("G");
    let id = Operation::Update {
        policy_id: Guid::parse(POLICY_ID, GuidKind::Policy).unwrap(),
    };
    let ca =
        "Connect-MgGraph -Scopes 'Policy.Read.All','Policy.ReadWrite.ConditionalAccess' -NoWelcome";
    let grp = "Connect-MgGraph -Scopes 'Group.ReadWrite.All' -NoWelcome";
    let both = "Connect-MgGraph -Scopes 'Policy.Read.All','Policy.ReadWrite.ConditionalAccess','Group.ReadWrite.All' -NoWelcome";
    let auth = "#Requires -Modules Microsoft.Graph.Authentication\n";
    let cases: Vec<(String, &str, &str)> = vec![
        (powershell::script(Flavour::Sdk, &Operation::Create, &body).unwrap(), "#Requires -Modules Microsoft.Graph.Authentication, Microsoft.Graph.Identity.SignIns\n", ca),
        (powershell::script(Flavour::Sdk, &id, &body).unwrap(), "#Requires -Modules Microsoft.Graph.Authentication, Microsoft.Graph.Identity.SignIns\n", ca),
        (powershell::script(Flavour::Sdk, &Operation::CreateGroup, &group).unwrap(), "#Requires -Modules Microsoft.Graph.Authentication, Microsoft.Graph.Identity.SignIns, Microsoft.Graph.Groups\n", grp),
        (powershell::pilot_script(Flavour::Sdk, &group, &body).unwrap(), "#Requires -Modules Microsoft.Graph.Authentication, Microsoft.Graph.Identity.SignIns, Microsoft.Graph.Groups\n", both),
        (powershell::script(Flavour::Invoke, &Operation::Create, &body).unwrap(), auth, ca),
        (powershell::script(Flavour::Invoke, &id, &body).unwrap(), auth, ca),
        (powershell::script(Flavour::Invoke, &Operation::CreateGroup, &group).unwrap(), auth, grp),
        (powershell::pilot_script(Flavour::Invoke, &group, &body).unwrap(), auth, both),
    ];
    for (script, requires, connect) in cases {
        assert!(script.starts_with(requires), "{script}");
        let lines: Vec<&str> = script.lines().collect();
        let stop = lines
            .iter()
            .position(|l| *l == "$ErrorActionPreference = 'Stop'")
            .expect("stop on error");
        let conn = lines
            .iter()
            .position(|l| *l == connect)
            .unwrap_or_else(|| panic!("{connect}\n{script}"));
        assert!(stop < conn, "stop before the first Graph call");
        assert!(script.contains("# What this script does:"), "{script}");
    }
}

#[test]
fn several_policies_are_all_checked_before_any_is_created() {
    let bodies = vec![policy_body("First ’one’"), policy_body("Second\n'@")];
    for flavour in [Flavour::Sdk, Flavour::Invoke] {
        let script = powershell::create_policies_script(flavour, &bodies).unwrap();
        // Each name is looked up in v1.0 and in beta: the Invoke flavour's GETs are both.
        let (cmds, lookup, per_name, create) = match flavour {
            Flavour::Sdk => (
                SDK_CREATE,
                "Get-MgIdentityConditionalAccessPolicy -Filter",
                1,
                "New-MgIdentityConditionalAccessPolicy -BodyParameter",
            ),
            Flavour::Invoke => (
                INVOKE_CREATE,
                "Invoke-MgGraphRequest -Method GET",
                2,
                "Invoke-MgGraphRequest -Method POST",
            ),
        };
        let c = checked(&script, cmds, flavour, "two policies");
        let lookups: Vec<usize> = script.match_indices(lookup).map(|(i, _)| i).collect();
        let beta: Vec<usize> = script
            .match_indices("-Uri ('/beta/identity/conditionalAccess/policies?$filter='")
            .map(|(i, _)| i)
            .collect();
        let creates: Vec<usize> = script.match_indices(create).map(|(i, _)| i).collect();
        assert_eq!(
            (lookups.len(), beta.len(), creates.len()),
            (2 * per_name, 2, 2)
        );
        assert!(
            lookups[lookups.len() - 1] < creates[0] && beta[1] < creates[0],
            "every name is checked, in v1.0 and beta, before the first create"
        );
        match flavour {
            Flavour::Sdk => {
                assert_eq!(c.value_of("$params", 0).unwrap(), bodies[0]);
                assert_eq!(c.value_of("$params", 1).unwrap(), bodies[1]);
            }
            Flavour::Invoke => {
                for (i, body) in bodies.iter().enumerate() {
                    let Value::String(json) = c.value_of("$body", i).unwrap() else {
                        panic!()
                    };
                    assert_eq!(&serde_json::from_str::<Value>(&json).unwrap(), body);
                }
            }
        }
    }
}

#[test]
fn hostile_keys_and_nested_values_round_trip_through_hashtables() {
    let body = json!({
        "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
        "if": ["x"],
        "it’s $(Remove-Item x)": {"a b": [1, -2, 2.5, true, false, null]},
        "nested": [["only"]],
        "pairs": [["a", "b"], ["c"]],
        "objs": [{"k": "v"}, {}],
        "empty": {},
        "conditions": {"users": {"includeUsers": ["All"]}}
    });
    let sdk = powershell::script(Flavour::Sdk, &Operation::Create, &body).unwrap();
    // No displayName, so there is no name to look up before creating.
    let cmds = [
        "Import-Module",
        "Connect-MgGraph",
        "New-MgIdentityConditionalAccessPolicy",
        "Write-Output",
    ];
    let c = checked(&sdk, &cmds, Flavour::Sdk, "hostile keys");
    assert_eq!(c.value_of("$params", 0).unwrap(), body);
}

#[test]
fn nul_is_refused_with_the_place_it_was_found() {
    let body = policy_body("bad\0name");
    for flavour in [Flavour::Sdk, Flavour::Invoke] {
        match powershell::script(flavour, &Operation::Create, &body) {
            Err(ScriptError::Literal(e)) => {
                assert_eq!(e.location, "/displayName");
                assert_eq!(e.char_index, 3);
            }
            other => panic!("{other:?}"),
        }
    }
    let mut body = policy_body("ok");
    body["conditions"]["devices"]["deviceFilter"]["rule"] = json!("device.x -eq \"\0\"");
    let err = powershell::script(Flavour::Sdk, &Operation::Create, &body).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/conditions/devices/deviceFilter/rule: character 15 is NUL"),
        "{err}"
    );
    // JSON escapes NUL as \u0000, so the Invoke flavour carries it safely.
    let inv = powershell::script(Flavour::Invoke, &Operation::Create, &body).unwrap();
    assert!(inv.contains("\\u0000") && !inv.contains('\0'));
}

#[test]
fn group_bodies_graph_would_refuse_are_refused() {
    let mut g = group_body("Pilot");
    g.as_object_mut().unwrap().remove("mailNickname");
    let err = powershell::group_script(Flavour::Sdk, &g).unwrap_err();
    assert_eq!(
        err.to_string(),
        "group body /mailNickname: Graph requires this property as a string"
    );
    g["mailNickname"] = json!("pilot users");
    let err = powershell::group_script(Flavour::Invoke, &g).unwrap_err();
    assert!(
        err.to_string().contains("character 6 (' ') is not allowed"),
        "{err}"
    );
    g["mailNickname"] = json!("x".repeat(65));
    assert!(powershell::group_script(Flavour::Invoke, &g).is_err());
    g["mailNickname"] = json!("pilot");
    g["mailEnabled"] = json!("false");
    assert!(powershell::group_script(Flavour::Sdk, &g)
        .unwrap_err()
        .to_string()
        .contains("/mailEnabled"));
}

// ---- negative controls: the checker catches what naive quoting would produce ----

fn naive_sdk_script(name: &str) -> String {
    format!("$ErrorActionPreference = 'Stop'\n$params = @{{\n    displayName = '{name}'\n}}\nNew-MgIdentityConditionalAccessPolicy -BodyParameter $params\n")
}

#[test]
fn checker_catches_naive_ascii_quote_wrapping() {
    let script = naive_sdk_script("O'Brien'; Remove-Item x; '");
    let err = check(&script, SDK_CREATE, &[])
        .err()
        .expect("naive quoting must fail the check");
    assert!(
        err.iter()
            .any(|v| v.contains("Remove-Item") || v.contains("ERROR")),
        "{err:#?}"
    );
}

#[test]
fn checker_catches_curly_quotes_the_grammar_does_not_know() {
    // tree-sitter reads this as ONE literal; PowerShell ends it at ’ and runs Remove-Item.
    let script = naive_sdk_script("it’; Remove-Item x; ’s");
    let err = check(&script, SDK_CREATE, &[])
        .err()
        .expect("curly-quote injection must fail");
    assert!(
        err.iter().any(|v| v.contains("ends this literal early")),
        "{err:#?}"
    );
    assert!(decode_single_quoted("'it’s'").is_err());
    assert_eq!(decode_single_quoted("'it’’s'").unwrap(), "it’s");
    // A lone quote before the grammar's closing quote pairs with it in PowerShell.
    assert!(decode_single_quoted("'a’'").is_err());
}

#[test]
fn checker_catches_double_quoted_expansion_and_here_strings() {
    let script = "$name = \"$(Remove-Item x)\"\n";
    let err = check(script, &[], &[])
        .err()
        .expect("expandable string must fail");
    assert!(
        err.iter().any(|v| v.contains("expandable_string_literal")),
        "{err:#?}"
    );
    assert!(err.iter().any(|v| v.contains("Remove-Item")), "{err:#?}");

    let script = "$body = @'\n{\"a\": \"x\n'@\nRemove-Item y\n'@\n";
    let err = check(script, &[], &[])
        .err()
        .expect("here-string must fail");
    assert!(
        err.iter()
            .any(|v| v.contains("here_string") || v.contains("Remove-Item")),
        "{err:#?}"
    );
}

#[test]
fn checker_catches_a_comment_escape_and_unicode_dashes_in_code() {
    let script = "# Policy: a\nRemove-Item x\n$x = 'ok'\n";
    assert!(
        check(script, &[], &[]).is_err(),
        "a newline in a comment must not go unnoticed"
    );
    let script = "Write-Output 'x' –Verbose\n";
    let err = check(script, &["Write-Output"], &[])
        .err()
        .expect("en dash outside a literal");
    assert!(err.iter().any(|v| v.contains("non-ASCII")), "{err:#?}");
}

#[test]
fn checker_accepts_what_the_reference_shows() {
    // The article's compensating-control example, corrected (a real hashtable, an en dash
    // inside a literal), parses and evaluates.
    let script = "$params = @{\n  displayName = 'ALWAYS REQUIRE MFA – Compensating Control'\n  grantControls = @{ operator = 'OR'; builtInControls = @('mfa') }\n}\nNew-MgIdentityConditionalAccessPolicy -BodyParameter $params\n";
    let c = check(script, &["New-MgIdentityConditionalAccessPolicy"], &[]).unwrap();
    assert_eq!(
        c.value_of("$params", 0).unwrap(),
        json!({"displayName": "ALWAYS REQUIRE MFA – Compensating Control", "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}})
    );
}

#[test]
fn scripts_are_ascii_so_windows_powershell_reads_them_as_written() {
    // Ђ is D0 82 and ђ is D1 92 in UTF-8; read as Windows-1252, 0x82 and 0x92 are ‚ and ’.
    let name = "Ђорђе";
    let script = powershell::script(Flavour::Sdk, &Operation::Create, &policy_body(name)).unwrap();
    assert!(script.is_ascii(), "{script}");
    let bytes = powershell::script_file_bytes(&script);
    assert_eq!(bytes, script.as_bytes(), "ASCII needs no BOM");
    let read_by_5_1 = ps_tokens::windows_1252(&bytes);
    assert_eq!(read_by_5_1, script);
    let c = checked(
        &read_by_5_1,
        SDK_CREATE,
        Flavour::Sdk,
        "read as Windows-1252",
    );
    assert!(c.literals.contains(&name.to_string()));

    // The checker catches the raw literal a BOM-less UTF-8 script would hold.
    let misread = ps_tokens::windows_1252(naive_sdk_script(name).as_bytes());
    let err = check(&misread, SDK_CREATE, &[])
        .err()
        .expect("BOM-less UTF-8 read as ANSI breaks literals");
    assert!(
        err.iter().any(|v| v.contains("ends this literal early")),
        "{err:#?}"
    );
    // Text that is not ASCII (no exporter writes it) would get a BOM.
    assert_eq!(
        &powershell::script_file_bytes("# é\n")[..3],
        b"\xef\xbb\xbf"
    );
}
