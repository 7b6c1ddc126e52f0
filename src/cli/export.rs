//! `ca-policy export --format json|powershell|powershell-invoke [--update POLICY_ID] FILE|-`
//!
//! Reads a policy file (any shape `ca-policy import` accepts), and prints:
//! - `json`: for each policy, the Graph Explorer request (`POST …/policies`, or `PATCH
//!   …/policies/{id}` with `--update`), a blank line and the body; several policies give
//!   several requests, in file order, separated by a blank line;
//! - `powershell` / `powershell-invoke`: ONE script (SDK cmdlets / `Invoke-MgGraphRequest`)
//!   that creates every policy of the file in order, after checking that none of their display
//!   names exists yet; with `--update`, a script that PATCHes the one policy.
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
use crate::export::{render, Format, Operation};
use crate::policy::import_bytes;

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
