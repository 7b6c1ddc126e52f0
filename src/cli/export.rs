//! `ca-policy export --format json|powershell|powershell-invoke|terraform|terraform-azuread|maester [options] FILE|-`
//!
//! Reads a policy file (any shape `ca-policy import` accepts), and prints:
//! - `json`: for each policy, the Graph Explorer request (`POST …/policies`, or `PATCH
//!   …/policies/{id}` with `--update`), a blank line and the body; several policies give
//!   several requests, in file order, separated by a blank line;
//! - `powershell` / `powershell-invoke`: ONE script (SDK cmdlets / `Invoke-MgGraphRequest`)
//!   that creates every policy of the file in order, after checking that none of their display
//!   names exists yet; with `--update`, a script that PATCHes the one policy;
//! - `terraform` / `terraform-azuread`: ONE Terraform file with a resource per policy, for
//!   the `msgraph` provider (the body as an HCL object, every property kept) or the
//!   `azuread` provider (refusing, exit 1, a property it has no argument for). Terraform
//!   keeps its own state, so `--update` does not apply (exit 2);
//! - `maester`: ONE Pester file for Maester checking the deployed rollout against the tenant
//!   (`export::maester`); `--break-glass-user`, `--break-glass-group` and `--pilot-group`
//!   add their checks, and apply to this format only (exit 2 with another).
//!
//! `--update` names one policy, so a file holding several is refused (exit 2) rather than
//! guessing which one is meant. The body sent is the policy's POST body (read-only properties
//! such as `id` dropped); as a PATCH it replaces every list it contains and merges objects.
//!
//! PowerShell output is ASCII, so a redirected `.ps1` reads the same in Windows PowerShell 5.1
//! (which reads a file without BOM in the ANSI code page) as in PowerShell 7; its bytes are
//! `powershell::script_file_bytes`.
//!
//! Exit codes: 0 ok; 1 the input has errors (message names the file, and line:column for
//! JSON errors, or the JSON pointer of the value for content no script can carry); 2 usage
//! (unknown option, bad option value, unreadable file).

use super::args::ExportArgs;
use super::error::{CliError, InputError};
use super::output;
use super::usage::Family;
use crate::export::maester::{self, MaesterOptions};
use crate::export::terraform::{self, Provider};
use crate::export::{render, Format, Operation};
use crate::policy::import_bytes;

/// What `--format` names: one of the core's exports, or Terraform for a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportFormat {
    Core(Format),
    Terraform(Provider),
    /// Pester tests for Maester, checking the deployed rollout against the tenant.
    Maester,
}

impl ExportFormat {
    pub(crate) fn parse(s: &str) -> Option<ExportFormat> {
        match s {
            "terraform" => Some(ExportFormat::Terraform(Provider::Msgraph)),
            "terraform-azuread" => Some(ExportFormat::Terraform(Provider::Azuread)),
            "maester" => Some(ExportFormat::Maester),
            _ => Format::parse(s).map(ExportFormat::Core),
        }
    }
}

fn usage(msg: impl Into<String>) -> CliError {
    CliError::usage(Family::Export, msg)
}

pub(crate) fn run(args: ExportArgs) -> Result<i32, CliError> {
    let Some(format) = args.format else {
        return Err(usage("--format is required"));
    };
    let source = super::source_name(args.file.as_deref());
    let bytes =
        super::file_or_stdin(args.file.as_deref()).map_err(|e| CliError::unreadable(&source, e))?;
    let policies = import_bytes(&bytes).map_err(|e| CliError::located(&source, e))?;
    let bodies: Vec<serde_json::Value> = policies.iter().map(|p| p.to_post_body()).collect();
    if bodies.is_empty() {
        return Err(CliError::Input(InputError::NoPolicy { source }));
    }
    // A script (or Terraform file) that creates a policy Graph refuses fails halfway through
    // a rollout: refuse it here, naming each policy and its errors. Maester only reads.
    if format != ExportFormat::Maester {
        let blocked = crate::app::export::blocked_policies(&policies);
        if !blocked.is_empty() {
            return Err(CliError::Input(InputError::Blocked { source, blocked }));
        }
    }
    let maester_only = !args.break_glass_users.is_empty()
        || !args.break_glass_groups.is_empty()
        || args.pilot_group.is_some();
    if maester_only && format != ExportFormat::Maester {
        return Err(usage(
            "--break-glass-user, --break-glass-group and --pilot-group apply to --format maester",
        ));
    }
    let format = match format {
        ExportFormat::Core(f) => f,
        ExportFormat::Maester => {
            if args.update.is_some() {
                return Err(usage("--update does not apply to --format maester"));
            }
            let options = MaesterOptions {
                break_glass_users: args.break_glass_users,
                break_glass_groups: args.break_glass_groups,
                pilot_group: args.pilot_group,
            };
            // As read, `id` kept: the tests find each policy by it.
            let policies: Vec<serde_json::Value> = policies.iter().map(|p| p.to_value()).collect();
            return match maester::tests_file(&policies, &options) {
                Ok(text) => Ok(output::script(&text)),
                Err(e) => Err(CliError::Input(InputError::Script {
                    source: Some(source),
                    error: e.into(),
                })),
            };
        }
        ExportFormat::Terraform(provider) => {
            if args.update.is_some() {
                return Err(usage(format!(
                    "--update does not apply to --format {}: Terraform updates what it created from its state",
                    provider.format_name()
                )));
            }
            return match terraform::render(provider, &bodies) {
                Ok(text) => Ok(output::text(&text)),
                Err(error) => Err(CliError::Input(InputError::Terraform { source, error })),
            };
        }
    };
    let operation = match args.update {
        Some(policy_id) if bodies.len() > 1 => {
            return Err(usage(format!(
                "--update {policy_id} names one policy, but {source} holds {}; \
                 export them without --update, or split the file",
                bodies.len()
            )))
        }
        Some(policy_id) => Operation::Update { policy_id },
        None => Operation::Create,
    };

    match render(format, &operation, &bodies) {
        Ok(text) if format == Format::Json => Ok(output::json(&text)),
        Ok(text) => Ok(output::script(&text)),
        // Error locations are JSON pointers; with several policies they start with the
        // policy's index in the file (`/1/displayName`).
        Err(error) => Err(CliError::Input(InputError::Script {
            source: Some(source),
            error,
        })),
    }
}
