//! `ca-policy lint [--json] [--break-glass-user ID]... [--break-glass-group ID]... [--naming PATTERN] FILE...`
//!
//! Exit codes: 0 no error finding, 1 an error finding or a file that does not import,
//! 2 usage (unknown option, no file, unreadable file).

use serde_json::json;

use super::output;

use crate::analysis::{lint, LintConfig, LintFinding};
use crate::policy::import_bytes;

const USAGE: &str = "\
usage: ca-policy lint [--json] [--break-glass-user ID]... [--break-glass-group ID]... [--naming PATTERN] FILE...

Lints the policies in every FILE (one policy, an array, or a Graph list response; `-` reads
standard input) as one set. --break-glass-user/--break-glass-group declare the emergency-access
accounts every policy should exclude (never guessed). --naming checks display names against a
pattern where `*` is any text and `?` one character (e.g. 'CA??? - *').
Exit status: 1 if any finding is an error, 0 otherwise, 2 on usage errors.";

fn usage(msg: &str) -> i32 {
    output::error(&format!("{msg}\n\n{USAGE}"), 2)
}

/// Where each policy came from: file name and position in that file.
struct Origin {
    file: String,
    index: usize,
}

pub(crate) fn run(args: &[String]) -> i32 {
    let mut config = LintConfig::default();
    let mut json_out = false;
    let mut files: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (opt, value) = match super::next_option(
            arg,
            |o| matches!(o, "--break-glass-user" | "--break-glass-group" | "--naming"),
            &mut it,
        ) {
            Ok(x) => x,
            Err(msg) => return usage(&msg),
        };
        match opt {
            "-h" | "--help" => return output::text(&format!("{USAGE}\n")),
            "--json" => json_out = true,
            "--break-glass-user" => config.break_glass_users.push(value),
            "--break-glass-group" => config.break_glass_groups.push(value),
            "--naming" => config.naming_pattern = Some(value),
            o if o.starts_with('-') && o != "-" => return usage(&format!("unknown option {o}")),
            file => files.push(file.to_string()),
        }
    }
    if files.is_empty() {
        return usage("expected at least one FILE");
    }
    let mut policies = Vec::new();
    let mut origins = Vec::new();
    let mut import_failed = false;
    for file in &files {
        let bytes = if file == "-" {
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut b).map(|_| b)
        } else {
            std::fs::read(file)
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => return output::error(&format!("cannot read {file}: {e}"), 2),
        };
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
                output::error(&format!("{file}:{}:{}: {}", e.line, e.column, e.message), 1);
                import_failed = true;
            }
        }
    }
    let findings = lint(&policies, &config);
    let written = if json_out {
        output::json(&as_json(&findings, &origins))
    } else {
        output::text(&as_text(&findings, &origins))
    };
    if written != 0 {
        return written;
    }
    if import_failed || findings.iter().any(LintFinding::is_error) {
        1
    } else {
        0
    }
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
