//! `ca-policy export --format maester`: the Pester file for the templates as a golden file;
//! every file parsed with the tree-sitter PowerShell grammar (no error node, data only in
//! single-quoted literals, only the expected commands); the checks it holds for ids, names,
//! break-glass accounts and the pilot group; hostile names carried as data; the CLI.
//! `INSTA_UPDATE=always cargo test --test native export_maester::` rewrites the snapshot.

use crate::support::cli;
use crate::support::corpus;
use crate::support::hostile::{random_text, Rng, CONTROLS, FLOOD, NON_ASCII};
use crate::support::powershell::check_pester;

use ca_builder::export::maester::{tests_file, MaesterOptions};
use ca_builder::policy::import_bytes;
use ca_builder::policy::templates::{Template, TemplateParams};
use serde_json::{json, Value};

const PILOT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const BREAK_GLASS: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";
const BREAK_GLASS_GROUP: &str = "5d0c7a1b-2e3f-4a5b-8c6d-7e8f9a0b1c2d";

/// Every command a Maester file may run: Pester's, the filters, and the one Graph read.
const COMMANDS: [&str; 7] = [
    "Describe",
    "BeforeAll",
    "It",
    "Should",
    "Where-Object",
    "ForEach-Object",
    "Invoke-MgGraphRequest",
];

fn options() -> MaesterOptions {
    MaesterOptions {
        break_glass_users: vec![BREAK_GLASS.into()],
        break_glass_groups: vec![BREAK_GLASS_GROUP.into()],
        pilot_group: Some(PILOT.into()),
    }
}

fn templates() -> Vec<Value> {
    let p = |t: Template| TemplateParams {
        exclude_users: vec![BREAK_GLASS.into()],
        pilot_group: (t == Template::Pilot).then(|| PILOT.to_string()),
        ..Default::default()
    };
    Template::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut v = t.build(&p(*t)).unwrap().to_value();
            // Deployed policies have ids; the last one is found by its name.
            if i + 1 < Template::ALL.len() {
                v["id"] = json!(format!("3b1f6c2e-8d4a-4f7e-9c21-5a6b7c8d9e0{i}"));
            }
            v
        })
        .collect()
}

#[test]
fn the_templates_as_maester_tests() {
    let text = tests_file(&templates(), &options()).unwrap();
    let checked = check_pester(&text, &COMMANDS).unwrap_or_else(|v| panic!("{v:#?}\n{text}"));
    // Each policy found by its id (or its name), in its state; the pilot policy only on the group.
    for p in templates() {
        let name = p["displayName"].as_str().unwrap();
        match p.get("id").and_then(Value::as_str) {
            Some(id) => assert!(checked.literals.iter().any(|l| l == id), "{id}"),
            None => assert!(checked.literals.iter().any(|l| l == name), "{name}"),
        }
        let label = format!(
            "Policy {name} exists in state {}",
            p["state"].as_str().unwrap()
        );
        assert!(checked.literals.contains(&label), "{label}");
    }
    let pilot = checked
        .literals
        .iter()
        .filter(|l| l.ends_with("includes only the pilot group"))
        .count();
    assert_eq!(pilot, 1);
    for id in [
        BREAK_GLASS,
        BREAK_GLASS_GROUP,
        PILOT,
        "urn:user:registersecurityinfo",
    ] {
        assert!(checked.literals.iter().any(|l| l == id), "{id}");
    }
    insta::assert_snapshot!("maester_templates", text);
}

#[test]
fn every_corpus_file_gives_a_file_that_parses() {
    for path in corpus::files() {
        if path.ends_with(corpus::BROKEN) || path.ends_with(corpus::DUPLICATE_KEY) {
            continue;
        }
        let policies: Vec<Value> = import_bytes(&std::fs::read(&path).unwrap())
            .unwrap()
            .iter()
            .map(|p| p.to_value())
            .collect();
        let text = tests_file(&policies, &MaesterOptions::default()).unwrap();
        let checked =
            check_pester(&text, &COMMANDS).unwrap_or_else(|v| panic!("{}: {v:#?}", path.display()));
        let its = checked
            .commands
            .iter()
            .filter(|c| c.as_str() == "It")
            .count();
        assert_eq!(its, policies.len() + 1, "{}", path.display());
    }
}

#[test]
fn hostile_names_and_ids_stay_data() {
    let mut rng = Rng::new("maester names");
    let mut pieces: Vec<&str> = vec![];
    pieces.extend(CONTROLS.iter().filter(|c| **c != "\0"));
    pieces.extend(NON_ASCII);
    pieces.extend(FLOOD);
    pieces.extend([
        "'",
        "\u{2019}",
        "$(Remove-Item x)",
        "`",
        "\"",
        "}",
        "{",
        "#",
        "\n",
    ]);
    let mut policies = vec![];
    let mut names = vec![];
    for i in 0..120 {
        let len = 1 + rng.below(48);
        let name = random_text(&mut rng, &pieces, len, true).replace('\0', "");
        let mut p = json!({
            "displayName": name,
            "state": name,
            "conditions": {"users": {"includeGroups": [name]}},
        });
        if i % 2 == 0 {
            p["id"] = json!(name);
        }
        names.push(name.clone());
        policies.push(p);
    }
    let options = MaesterOptions {
        break_glass_users: names[..10].to_vec(),
        break_glass_groups: names[10..20].to_vec(),
        pilot_group: Some(names[0].clone()),
    };
    let text = tests_file(&policies, &options).unwrap();
    assert!(text.is_ascii());
    let checked = check_pester(&text, &COMMANDS).unwrap_or_else(|v| panic!("{v:#?}"));
    for name in &names {
        assert!(checked.literals.iter().any(|l| l == name), "{name:?}");
    }
    // A NUL is refused, named by its place.
    let e = tests_file(
        &[json!({"displayName": "a\0b", "conditions": {}})],
        &options,
    )
    .unwrap_err();
    assert_eq!(e.location, "/0/displayName");
}

#[test]
fn the_cli_writes_the_file_and_keeps_its_options_to_it() {
    let file = cli::temp_file(
        "export_maester",
        "templates.json",
        serde_json::to_string(&templates()).unwrap().as_bytes(),
    );
    let path = file.to_str().unwrap();
    let r = cli::ca_policy(
        &[
            "export",
            "--format",
            "maester",
            "--break-glass-user",
            BREAK_GLASS,
            "--break-glass-group",
            BREAK_GLASS_GROUP,
            "--pilot-group",
            PILOT,
            path,
        ],
        b"",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, tests_file(&templates(), &options()).unwrap());
    let r = cli::ca_policy(
        &["export", "--format", "json", "--pilot-group", PILOT, path],
        b"",
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("apply to --format maester"),
        "{}",
        r.stderr
    );
    let r = cli::ca_policy(
        &[
            "export",
            "--format",
            "maester",
            "--update",
            "4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c5d",
            path,
        ],
        b"",
    );
    assert_eq!(r.code, 2);
}
