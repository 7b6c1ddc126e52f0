//! Names beside ids in the comments of a policy script: a catalogue name or the admin's label
//! appears next to its id above the creation, and a hostile name stays inside its comment (the
//! code and every string of the script are those of the script without names).

use crate::support::hostile::{random_text, Rng, FLOOD, NON_ASCII};
use crate::support::powershell as powershell_check;
use crate::support::ps_tokens::{raw_tokens, Token};

use ca_builder::export::powershell::{
    create_policies_script, create_policies_script_labelled, Flavour,
};
use ca_builder::export::{render, render_labelled, Format, Operation};
use ca_builder::names::Labels;
use serde_json::{json, Value};

const GROUP: &str = "5e769024-0f21-4be0-af23-dd6045caa1c9";
const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";

fn body() -> Value {
    json!({
        "displayName": "Pilot: require MFA",
        "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "users": {"includeUsers": [], "includeGroups": [GROUP], "excludeRoles": [GLOBAL_ADMIN]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"]
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    })
}

/// The tokens outside comments; line ends left out too, as a name adds a comment line.
fn without_comments(script: &str) -> Vec<Token> {
    raw_tokens(script)
        .unwrap()
        .into_iter()
        .filter(|t| !matches!(t, Token::Comment(_) | Token::NewLine))
        .collect()
}

fn commands(flavour: Flavour) -> Vec<&'static str> {
    match flavour {
        Flavour::Sdk => vec![
            "Import-Module",
            "Connect-MgGraph",
            "Get-MgIdentityConditionalAccessPolicy",
            "Invoke-MgGraphRequest",
            "New-MgIdentityConditionalAccessPolicy",
            "Write-Output",
            "Write-Warning",
        ],
        Flavour::Invoke => vec![
            "Import-Module",
            "Connect-MgGraph",
            "Invoke-MgGraphRequest",
            "Write-Output",
            "Write-Warning",
        ],
    }
}

#[test]
fn catalogue_names_and_labels_stand_beside_their_ids() {
    let script = create_policies_script(Flavour::Sdk, &[body()]).unwrap();
    assert!(
        script.contains(&format!(
            "\n#   excludeRoles: Global Administrator ({GLOBAL_ADMIN})\n"
        )),
        "{script}"
    );
    // No name for the group: the comment says nothing about it.
    assert!(!script.contains("#   includeGroups"), "{script}");
    let mut labels = Labels::new();
    labels.insert(GROUP, "Passkey pilot").unwrap();
    let named = create_policies_script_labelled(Flavour::Sdk, &[body()], &labels).unwrap();
    assert!(
        named.contains(&format!("\n#   includeGroups: Passkey pilot ({GROUP})\n")),
        "{named}"
    );
    // render is the labelled render without labels, and names change comments only.
    let f = Format::PowerShell(Flavour::Invoke);
    assert_eq!(
        render(f, &Operation::Create, &[body()]).unwrap(),
        render_labelled(f, &Operation::Create, &[body()], &Labels::new()).unwrap()
    );
    let labelled = render_labelled(f, &Operation::Create, &[body()], &labels).unwrap();
    assert_eq!(
        without_comments(&labelled),
        without_comments(&render(f, &Operation::Create, &[body()]).unwrap())
    );
}

#[test]
fn a_hostile_name_never_ends_its_comment_or_starts_code() {
    let mut rng = Rng::new("comment-names");
    let mut pieces: Vec<&str> = FLOOD.to_vec();
    pieces.extend(NON_ASCII);
    pieces.extend([
        "#>",
        "<#",
        "'; Remove-Item C:\\ -Recurse; '",
        "$(calc)",
        "`n",
        "\n",
        "\r",
    ]);
    let mut tried = 0;
    for round in 0..40 {
        let name = random_text(&mut rng, &pieces, 20 + round * 3, true);
        let mut labels = Labels::new();
        // Labels refuses some names (control characters, too long): those never reach a script.
        if labels.insert(GROUP, &name).is_err() {
            continue;
        }
        tried += 1;
        for flavour in [Flavour::Sdk, Flavour::Invoke] {
            let plain = create_policies_script(flavour, &[body()]).unwrap();
            let got = create_policies_script_labelled(flavour, &[body()], &labels).unwrap();
            assert!(got.is_ascii(), "{name:?}");
            assert_eq!(
                without_comments(&got),
                without_comments(&plain),
                "{name:?}: the name changed code or strings"
            );
            // Both flavours read beta's list through Invoke-MgGraphRequest.
            powershell_check::check(&got, &commands(flavour), &["[uri]::EscapeDataString"])
                .unwrap_or_else(|v| panic!("{name:?}: {v:#?}"));
            // One more line than without names, a comment naming the group's id.
            assert_eq!(got.lines().count(), plain.lines().count() + 1, "{name:?}");
            let line = got
                .lines()
                .find(|l| l.starts_with("#   includeGroups: "))
                .unwrap_or_else(|| panic!("{name:?}: {got}"));
            assert!(line.ends_with(&format!("({GROUP})")), "{line}");
        }
    }
    assert!(tried >= 10, "only {tried} names were accepted as labels");
}
