//! Maester tests: a Pester file that checks, against the live tenant, what the deployed
//! rollout promises. Maester (<https://maester.dev>) runs Pester tests with a Graph session
//! (`Connect-Maester`); `Invoke-Pester` after `Connect-MgGraph -Scopes Policy.Read.All` runs
//! them too. The file reads every Conditional Access policy once (`GET …/policies`, each page),
//! then asserts:
//!
//! - each policy of the rollout exists (by id; by display name, exactly once, for a policy
//!   without one) in the state the file gives it;
//! - each declared break-glass user and group is excluded from every policy that is not off;
//! - registering security info is protected: a policy that is on targets the user action with
//!   a grant control;
//! - with a pilot group, the rollout's policies that include it include nothing else.
//!
//! Data is written by `ps_literal` only (single-quoted literals, ASCII), as in every script.

use serde_json::Value;

use super::graph_json::{API_VERSION, POLICIES_PATH};
use super::ps_literal::{comment_text, string_expr, NulCharacter};

/// What the tests check besides the policies themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MaesterOptions {
    pub break_glass_users: Vec<String>,
    pub break_glass_groups: Vec<String>,
    pub pilot_group: Option<String>,
}

const REGISTER_SECURITY_INFO: &str = "urn:user:registersecurityinfo";

/// The Pester file for `policies` (as read: `id` kept, so a policy is found by it).
pub fn tests_file(policies: &[Value], options: &MaesterOptions) -> Result<String, NulCharacter> {
    let mut s = String::new();
    s.push_str(
        "# Maester tests written by ca-builder: the rollout's invariants, checked against the tenant.\n\
         # Run them with Invoke-Maester after Connect-Maester, or with Invoke-Pester after\n\
         # Connect-MgGraph -Scopes Policy.Read.All. They only read.\n\n",
    );
    s.push_str("Describe 'ca-builder rollout' -Tag 'ca-builder', 'ConditionalAccess' {\n");
    s.push_str("    BeforeAll {\n");
    s.push_str(&format!(
        "        $uri = {}\n",
        string_expr(&format!("/{API_VERSION}{POLICIES_PATH}"), "uri")?
    ));
    s.push_str("        $script:policies = @()\n");
    s.push_str("        while ($uri) {\n");
    s.push_str(
        "            $page = Invoke-MgGraphRequest -Method GET -Uri $uri -OutputType PSObject\n",
    );
    s.push_str("            $script:policies += @($page.value)\n");
    s.push_str("            $uri = $page.'@odata.nextLink'\n");
    s.push_str("        }\n");
    s.push_str("    }\n");

    for (i, p) in policies.iter().enumerate() {
        let at = |k: &str| format!("/{i}/{k}");
        let name = p.get("displayName").and_then(Value::as_str).unwrap_or("");
        let state = p.get("state").and_then(Value::as_str);
        let id = p
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty());
        s.push('\n');
        s.push_str(&format!("    # Policy {i}: {}\n", comment_text(name, 80)));
        let label = match state {
            Some(st) => format!("Policy {name} exists in state {st}"),
            None => format!("Policy {name} exists"),
        };
        s.push_str(&format!(
            "    It {} {{\n",
            string_expr(&label, &at("displayName"))?
        ));
        match id {
            Some(id) => s.push_str(&format!(
                "        $found = @($script:policies | Where-Object {{ $_.id -eq {} }})\n",
                string_expr(id, &at("id"))?
            )),
            None => s.push_str(&format!(
                "        $found = @($script:policies | Where-Object {{ $_.displayName -ceq {} }})\n",
                string_expr(name, &at("displayName"))?
            )),
        }
        s.push_str("        $found.Count | Should -Be 1\n");
        if let Some(st) = state {
            s.push_str(&format!(
                "        $found[0].state | Should -Be {}\n",
                string_expr(st, &at("state"))?
            ));
        }
        s.push_str("    }\n");
        if let Some(group) = &options.pilot_group {
            if includes_group(p, group) {
                pilot_only(&mut s, name, id, group, &at("displayName"))?;
            }
        }
    }

    for (kind, list, ids) in [
        ("user", "excludeUsers", &options.break_glass_users),
        ("group", "excludeGroups", &options.break_glass_groups),
    ] {
        for id in ids {
            let label =
                format!("Break-glass {kind} {id} is excluded from every policy that is not off");
            s.push('\n');
            s.push_str(&format!(
                "    It {} {{\n",
                string_expr(&label, "break-glass id")?
            ));
            s.push_str(&format!(
                "        $missing = @($script:policies | Where-Object {{ $_.state -ne 'disabled' -and $_.conditions.users -and @($_.conditions.users.{list}) -notcontains {} }} | ForEach-Object {{ $_.displayName }})\n",
                string_expr(id, "break-glass id")?
            ));
            s.push_str("        $missing | Should -BeNullOrEmpty\n");
            s.push_str("    }\n");
        }
    }

    s.push('\n');
    s.push_str("    It 'Registering security info is protected by a policy that is on' {\n");
    s.push_str(&format!(
        "        $found = @($script:policies | Where-Object {{ $_.state -eq 'enabled' -and @($_.conditions.applications.includeUserActions) -contains {} -and (@($_.grantControls.builtInControls).Count -gt 0 -or $_.grantControls.authenticationStrength) }})\n",
        string_expr(REGISTER_SECURITY_INFO, "user action")?
    ));
    s.push_str("        $found.Count | Should -BeGreaterThan 0\n");
    s.push_str("    }\n");
    s.push_str("}\n");
    Ok(s)
}

fn includes_group(p: &Value, group: &str) -> bool {
    p.pointer("/conditions/users/includeGroups")
        .and_then(Value::as_array)
        .is_some_and(|l| {
            l.iter()
                .any(|g| g.as_str().is_some_and(|g| g.eq_ignore_ascii_case(group)))
        })
}

/// The pilot-phase policy includes the pilot group and no one else.
fn pilot_only(
    s: &mut String,
    name: &str,
    id: Option<&str>,
    group: &str,
    at: &str,
) -> Result<(), NulCharacter> {
    let label = format!("Policy {name} includes only the pilot group");
    s.push_str(&format!("    It {} {{\n", string_expr(&label, at)?));
    match id {
        Some(id) => s.push_str(&format!(
            "        $p = @($script:policies | Where-Object {{ $_.id -eq {} }})[0]\n",
            string_expr(id, at)?
        )),
        None => s.push_str(&format!(
            "        $p = @($script:policies | Where-Object {{ $_.displayName -ceq {} }})[0]\n",
            string_expr(name, at)?
        )),
    }
    s.push_str("        $p | Should -Not -BeNullOrEmpty\n");
    s.push_str("        @($p.conditions.users.includeGroups).Count | Should -Be 1\n");
    s.push_str(&format!(
        "        @($p.conditions.users.includeGroups) | Should -Contain {}\n",
        string_expr(group, "pilot group")?
    ));
    s.push_str("        @($p.conditions.users.includeUsers).Count | Should -Be 0\n");
    s.push_str("        @($p.conditions.users.includeRoles).Count | Should -Be 0\n");
    s.push_str(
        "        $p.conditions.users.includeGuestsOrExternalUsers | Should -BeNullOrEmpty\n",
    );
    s.push_str("    }\n");
    Ok(())
}
