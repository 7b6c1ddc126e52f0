//! What `ca-policy export` prints and the web app's export panel shows: one
//! function, so the two can never differ.

use serde_json::Value;

use super::graph_json;
use super::powershell::{self, Flavour, ScriptError};
use super::Operation;
use crate::names::Labels;

/// The three exports the admin can take away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The Graph Explorer request line and the JSON body.
    Json,
    /// A script using the Graph PowerShell SDK cmdlets, or `Invoke-MgGraphRequest`.
    PowerShell(Flavour),
}

impl Format {
    pub const ALL: [Format; 3] = [
        Format::Json,
        Format::PowerShell(Flavour::Sdk),
        Format::PowerShell(Flavour::Invoke),
    ];

    /// The CLI spelling (`--format`).
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "json" => Some(Format::Json),
            "powershell" => Some(Format::PowerShell(Flavour::Sdk)),
            "powershell-invoke" => Some(Format::PowerShell(Flavour::Invoke)),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::PowerShell(Flavour::Sdk) => "powershell",
            Format::PowerShell(Flavour::Invoke) => "powershell-invoke",
        }
    }

    /// The file extension of a download.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::PowerShell(_) => "ps1",
        }
    }
}

/// Renders `bodies` (POST bodies, in order) for `operation`:
/// - JSON: one request per body, separated by a blank line;
/// - PowerShell: ONE script that creates every policy in order (after checking that none of
///   their display names exists yet), or that performs the single update/group operation.
///
/// An update names one policy, so the caller passes exactly one body with it.
pub fn render(
    format: Format,
    operation: &Operation,
    bodies: &[Value],
) -> Result<String, ScriptError> {
    render_labelled(format, operation, bodies, &Labels::new())
}

/// [`render`] with names for ids (the draft's labels, the catalogue besides) in the comments
/// of a script that creates policies; the JSON and the code are the same.
pub fn render_labelled(
    format: Format,
    operation: &Operation,
    bodies: &[Value],
    labels: &Labels,
) -> Result<String, ScriptError> {
    match format {
        Format::Json => Ok(bodies
            .iter()
            .map(|b| graph_json::export(operation, b).to_string())
            .collect::<Vec<_>>()
            .join("\n")),
        Format::PowerShell(flavour) => match operation {
            Operation::Create => {
                powershell::create_policies_script_labelled(flavour, bodies, labels)
            }
            other => match bodies.first() {
                Some(body) => powershell::script(flavour, other, body),
                None => Ok(String::new()),
            },
        },
    }
}

/// A download file name from a display name: ASCII letters, digits and `_` kept, runs
/// of anything else (`-` included) folded to one `-`, at most 80 characters; `policy` when nothing is left.
pub fn file_name(display_name: &str, format: Format) -> String {
    let mut stem = String::new();
    for c in display_name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            stem.push(c);
        } else if !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem: String = stem.trim_matches('-').chars().take(80).collect();
    let stem = stem.trim_end_matches('-');
    let stem = if stem.is_empty() { "policy" } else { stem };
    format!("{stem}.{}", format.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_readable() {
        assert_eq!(
            file_name("Always require MFA - compensating control", Format::Json),
            "Always-require-MFA-compensating-control.json"
        );
        assert_eq!(
            file_name("../../etc/passwd", Format::PowerShell(Flavour::Sdk)),
            "etc-passwd.ps1"
        );
        assert_eq!(file_name("“”’", Format::Json), "policy.json");
        assert_eq!(file_name(&"x".repeat(200), Format::Json).len(), 85);
    }
}
