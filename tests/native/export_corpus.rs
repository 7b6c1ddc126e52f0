//! Every real policy in `../shared/corpus/policies/` exports to Graph JSON and to both
//! PowerShell flavours, and each export carries exactly the POST body the model produced:
//! the JSON parses back to it, the SDK script's `$params` hashtable evaluates to it, and the
//! Invoke script's `$body` literal decodes to its JSON text.

use crate::support::corpus;
use crate::support::powershell as powershell_check;

use ca_builder::export::graph_json;
use ca_builder::export::powershell::{self, Flavour};
use ca_builder::export::Operation;
use ca_builder::policy::import_bytes;
use serde_json::Value;

fn corpus_bodies() -> Vec<(String, Value)> {
    let mut bodies = Vec::new();
    for path in corpus::files() {
        if path.ends_with(corpus::BROKEN) || path.ends_with(corpus::DUPLICATE_KEY) {
            continue;
        }
        let policies = import_bytes(&std::fs::read(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (i, p) in policies.iter().enumerate() {
            bodies.push((format!("{}#{i}", path.display()), p.to_post_body()));
        }
    }
    bodies
}

#[test]
fn every_corpus_policy_exports_its_exact_body() {
    let bodies = corpus_bodies();
    assert!(
        bodies.len() >= 400,
        "corpus has 403 policies, found {}",
        bodies.len()
    );
    for (what, body) in &bodies {
        let json = graph_json::export(&Operation::Create, body);
        assert_eq!(
            &serde_json::from_str::<Value>(&json.body).unwrap(),
            body,
            "{what}: json"
        );

        let has_name = body.get("displayName").is_some_and(Value::is_string);
        let mut sdk_cmds = vec![
            "Import-Module",
            "Connect-MgGraph",
            "New-MgIdentityConditionalAccessPolicy",
            "Write-Output",
        ];
        if has_name {
            // v1.0 through the SDK cmdlet, beta through Invoke-MgGraphRequest.
            sdk_cmds.extend([
                "Get-MgIdentityConditionalAccessPolicy",
                "Invoke-MgGraphRequest",
                "Write-Warning",
            ]);
        }
        let sdk = powershell::script(Flavour::Sdk, &Operation::Create, body).unwrap();
        let c = powershell_check::check(&sdk, &sdk_cmds, &["[uri]::EscapeDataString"])
            .unwrap_or_else(|v| panic!("{what}: {v:#?}"));
        assert_eq!(&c.value_of("$params", 0).unwrap(), body, "{what}: sdk");

        let inv = powershell::script(Flavour::Invoke, &Operation::Create, body).unwrap();
        let cmds = [
            "Import-Module",
            "Connect-MgGraph",
            "Invoke-MgGraphRequest",
            "Write-Output",
            "Write-Warning",
        ];
        let c = powershell_check::check(&inv, &cmds, &["[uri]::EscapeDataString"])
            .unwrap_or_else(|v| panic!("{what}: {v:#?}"));
        assert_eq!(
            c.value_of("$body", 0).unwrap(),
            Value::String(json.body.clone()),
            "{what}: invoke"
        );
    }
}
