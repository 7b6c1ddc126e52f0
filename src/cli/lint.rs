//! `ca-policy lint [--json] [--break-glass-user ID]... [--break-glass-group ID]... [--naming PATTERN] FILE...`
//!
//! Exit codes: 0 no error finding, 1 an error finding or a file that does not import,
//! 2 usage (unknown option, no file, unreadable file).

use serde_json::json;

use super::args::LintArgs;
use super::error::CliError;
use super::output;
use super::usage::Family;

use crate::analysis::{lint, LintConfig, LintFinding};
use crate::policy::import_bytes;

/// Where each policy came from: file name and position in that file.
struct Origin {
    file: String,
    index: usize,
}

pub(crate) fn run(args: LintArgs) -> Result<i32, CliError> {
    let config = LintConfig {
        break_glass_users: args.break_glass_users,
        break_glass_groups: args.break_glass_groups,
        naming_pattern: args.naming,
    };
    let files = args.files;
    if files.is_empty() {
        return Err(CliError::usage(Family::Lint, "expected at least one FILE"));
    }
    let mut policies = Vec::new();
    let mut origins = Vec::new();
    let mut import_failed = false;
    for file in &files {
        let bytes = super::file_or_stdin(Some(file));
        let bytes = bytes.map_err(|e| CliError::unreadable(file, e))?;
        match import_bytes(&bytes) {
            Ok(ps) => {
                for (index, p) in ps.into_iter().enumerate() {
                    origins.push(Origin {
                        file: file.clone(),
                        index,
                    });
                    policies.push(p);
                }
            }
            Err(e) => {
                // Reported at once: the other files are still linted as one set.
                CliError::located(file, e).report();
                import_failed = true;
            }
        }
    }
    let findings = lint(&policies, &config);
    let written = if args.json {
        output::json(&as_json(&findings, &origins))
    } else {
        output::text(&as_text(&findings, &origins))
    };
    if written != 0 {
        return Ok(written);
    }
    Ok(i32::from(
        import_failed || findings.iter().any(LintFinding::is_error),
    ))
}

fn as_text(findings: &[LintFinding], origins: &[Origin]) -> String {
    let mut out = String::new();
    for f in findings {
        let o = &origins[f.policy.index];
        out.push_str(&format!(
            "{}[{}] policy {:?} ({}#{}) {}: {}\n",
            f.finding.severity.as_str(),
            f.finding.code,
            f.policy.name,
            o.file,
            o.index,
            f.finding.field,
            f.finding.message
        ));
        if let Some(r) = &f.related {
            let ro = &origins[r.index];
            out.push_str(&format!(
                "  related: policy {:?} ({}#{})\n",
                r.name, ro.file, ro.index
            ));
        }
        if let Some(fix) = &f.finding.fix {
            out.push_str(&format!("  help: {fix}\n"));
        }
    }
    let errors = findings.iter().filter(|f| f.is_error()).count();
    out.push_str(&format!(
        "{} finding(s), {errors} error(s) in {} policies\n",
        findings.len(),
        origins.len()
    ));
    out
}

fn as_json(findings: &[LintFinding], origins: &[Origin]) -> String {
    let items: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let mut v = serde_json::to_value(f).expect("findings serialize");
            let o = &origins[f.policy.index];
            v["file"] = json!(o.file);
            v["fileIndex"] = json!(o.index);
            v
        })
        .collect();
    serde_json::to_string_pretty(&items).expect("JSON values serialize") + "\n"
}
