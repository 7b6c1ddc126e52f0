//! Terraform: the policies as code, for one of two providers.
//!
//! - [`Provider::Msgraph`], the default: Microsoft's `msgraph` provider, one
//!   `msgraph_resource` per policy with the Graph collection `url` and the POST body as an
//!   HCL object, key for key and value for value, so nothing is lost.
//! - [`Provider::Azuread`]: `azuread_conditional_access_policy`, which has an argument for
//!   most properties but not all; a policy using one it lacks is refused, naming it
//!   (see `azuread`).
//!
//! Strings are written by `hcl` only. Resource names come from display names, made HCL
//! identifiers and unique in the file.

mod azuread;
pub mod hcl;

use std::collections::HashSet;
use std::fmt;

use serde_json::Value;

/// Which provider the file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Msgraph,
    Azuread,
}

impl Provider {
    /// The `--format` spelling.
    pub fn format_name(self) -> &'static str {
        match self {
            Provider::Msgraph => "terraform",
            Provider::Azuread => "terraform-azuread",
        }
    }

    fn source(self) -> (&'static str, &'static str) {
        match self {
            Provider::Msgraph => ("msgraph", "microsoft/msgraph"),
            Provider::Azuread => ("azuread", "hashicorp/azuread"),
        }
    }
}

/// The Graph collection the `msgraph` resource creates in (relative to the API version, as
/// the provider takes it; the provider defaults to v1.0).
pub const MSGRAPH_URL: &str = "identity/conditionalAccess/policies";

/// A policy the chosen provider cannot carry: the JSON pointer of the value (starting with
/// the policy's index in the input, `/0/conditions/authenticationFlows`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformError {
    pub pointer: String,
    pub message: String,
}

impl TerraformError {
    fn new(pointer: String, message: impl Into<String>) -> TerraformError {
        TerraformError {
            pointer,
            message: message.into(),
        }
    }

    fn cannot_express(pointer: String, field: &str) -> TerraformError {
        let message = format!(
            "azuread_conditional_access_policy has no argument for {field:?}; \
             export with --format terraform (the msgraph provider carries every property)"
        );
        TerraformError::new(pointer, message)
    }
}

impl fmt::Display for TerraformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for TerraformError {}

/// One Terraform file for `bodies` (POST bodies, in order): the provider requirement, then
/// one resource per policy.
pub fn render(provider: Provider, bodies: &[Value]) -> Result<String, TerraformError> {
    let (local, source) = provider.source();
    let mut out = format!(
        "terraform {{\n  required_providers {{\n    {local} = {{\n      source = {}\n    }}\n  }}\n}}\n",
        hcl::string(source)
    );
    let names = resource_names(bodies);
    for (i, (body, name)) in bodies.iter().zip(&names).enumerate() {
        out.push('\n');
        match provider {
            Provider::Msgraph => {
                out.push_str(&format!("resource \"msgraph_resource\" \"{name}\" {{\n"));
                out.push_str(&format!("  url = {}\n", hcl::string(MSGRAPH_URL)));
                out.push_str("  body = ");
                hcl::value(body, 1, &mut out);
                out.push('\n');
            }
            Provider::Azuread => {
                let block = azuread::policy(format!("/{i}"), body)?;
                out.push_str(&format!(
                    "resource \"azuread_conditional_access_policy\" \"{name}\" {{\n"
                ));
                block.write(1, &mut out);
            }
        }
        out.push_str("}\n");
    }
    Ok(out)
}

/// A resource name per body: the display name in lower case, each run of characters other
/// than ASCII letters and digits one `_`, at most 64 characters, starting with a letter
/// (`policy_` before a digit; `policy` when nothing is left); `_2`, `_3`, … after a name
/// already taken.
pub fn resource_names(bodies: &[Value]) -> Vec<String> {
    let mut taken = HashSet::new();
    bodies
        .iter()
        .map(|b| {
            let base = base_name(b.get("displayName").and_then(Value::as_str).unwrap_or(""));
            let mut name = base.clone();
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = format!("{base}_{n}");
            }
            name
        })
        .collect()
}

fn base_name(display_name: &str) -> String {
    let mut s = String::new();
    for c in display_name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('_') {
            s.push('_');
        }
    }
    let s: String = s.trim_end_matches('_').chars().take(64).collect();
    let s = s.trim_end_matches('_');
    match s.chars().next() {
        None => "policy".into(),
        Some(c) if c.is_ascii_digit() => format!("policy_{s}"),
        Some(_) => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_identifiers_and_unique() {
        let bodies: Vec<Value> = [
            "CA001: Require MFA",
            "CA001 - Require MFA!",
            "",
            "",
            "${evil}\n\"",
            "ünïcode only",
            "policy_2",
        ]
        .iter()
        .map(|n| json!({ "displayName": n }))
        .collect();
        let names = resource_names(&bodies);
        assert_eq!(
            names,
            [
                "ca001_require_mfa",
                "ca001_require_mfa_2",
                "policy",
                "policy_2",
                "evil",
                "n_code_only",
                "policy_2_2",
            ]
        );
        assert!(names.iter().all(|n| hcl::is_identifier(n)));
    }

    #[test]
    fn azuread_refuses_what_it_cannot_express_by_pointer() {
        let body = json!({
            "displayName": "x",
            "conditions": {"users": {"includeUsers": ["All"]}, "authenticationFlows": {"transferMethods": "deviceCodeFlow"}},
        });
        let e = render(Provider::Azuread, &[json!({"conditions": {}}), body]).unwrap_err();
        assert_eq!(e.pointer, "/1/conditions/authenticationFlows");
        assert!(e.message.contains("\"authenticationFlows\""), "{e}");
    }
}
