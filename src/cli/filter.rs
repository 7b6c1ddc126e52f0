//! `ca-policy filter check|eval|fmt`: the device-filter language for scripts.
//! Exit codes: 0 ok (warnings allowed), 1 the rule or device has errors, 2 usage.

use serde_json::{json, Value as Json};

use super::args::{FilterCommand, RuleArg};
use super::error::{CliError, InputError};
use super::output;
use super::usage::Family;

use crate::filter::{self, Device, Diagnostic, Mode, Severity};
use crate::located::Located;

pub(crate) fn run(command: FilterCommand, args: &[String]) -> Result<i32, CliError> {
    if let Some(option) = stray_option(args) {
        return Err(CliError::usage(
            Family::Filter,
            Family::Filter.unknown_option(option),
        ));
    }
    match command {
        FilterCommand::Check { json, mode, rule } => check(json, mode, rule),
        FilterCommand::Eval { device, rule } => eval(device, rule),
        FilterCommand::Fmt { rule } => fmt(rule),
    }
}

/// A rule may start with `-not`, so clap takes a word it does not know as the rule: the first
/// `--word` (before `--`) that is no option of the filter command is an unknown option.
/// `args` are all the arguments, `filter SUB …`.
pub(crate) fn stray_option(args: &[String]) -> Option<&str> {
    let [_, sub, rest @ ..] = args else {
        return None;
    };
    let known = super::args::long_options(&["filter", sub])?;
    let mut takes_value = false;
    rest.iter().take_while(|a| *a != "--").find_map(|w| {
        // The word after `--mode` is its value, whatever it is.
        if std::mem::take(&mut takes_value) || !w.starts_with("--") {
            return None;
        }
        let (name, inline) = match w.split_once('=') {
            Some((n, _)) => (n, true),
            None => (w.as_str(), false),
        };
        match known
            .iter()
            .find(|(long, _)| name.strip_prefix("--") == Some(long))
        {
            Some((_, takes)) => {
                takes_value = *takes && !inline;
                None
            }
            None => Some(name),
        }
    })
}

impl RuleArg {
    fn read(&self) -> Result<String, CliError> {
        super::arg_or_stdin(self.rule.as_deref())
            .map_err(|e| CliError::Input(InputError::RuleUnreadable(e)))
    }
}

fn check(json: bool, mode: Option<Mode>, rule: RuleArg) -> Result<i32, CliError> {
    let rule = rule.read()?;
    let checked = filter::check(&rule, mode);
    let valid = checked.is_valid();
    let written = if json {
        let diagnostics: Vec<Json> = checked.diagnostics.iter().map(diagnostic_json).collect();
        output::json(&format!(
            "{}\n",
            json!({ "valid": valid, "diagnostics": diagnostics })
        ))
    } else {
        output::text(&format!(
            "{}{}\n",
            filter::render(&rule, &checked.diagnostics),
            summary(&checked.diagnostics)
        ))
    };
    if written != 0 {
        return Ok(written);
    }
    Ok(i32::from(!valid))
}

fn diagnostic_json(d: &Diagnostic) -> Json {
    let mut v = json!({
        "severity": d.severity,
        "code": d.code,
        "message": d.message,
        "start": d.span.start,
        "end": d.span.end,
    });
    if let Some(f) = &d.fix {
        v["fix"] = json!({
            "start": f.span.start,
            "end": f.span.end,
            "replacement": f.replacement,
            "label": f.label,
        });
    }
    v
}

fn summary(diags: &[Diagnostic]) -> String {
    // The cap's own entry counts what was left out; it is not one more finding.
    let capped = diags.iter().any(|d| d.code == "too-many-diagnostics");
    let listed = || diags.iter().filter(|d| d.code != "too-many-diagnostics");
    let count = |s: Severity| listed().filter(|d| d.severity == s).count();
    let (e, w, i) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    if e + w + i == 0 {
        return "ok: the rule is valid".into();
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let head = if e == 0 {
        "ok: the rule is valid"
    } else {
        "invalid"
    };
    format!(
        "{head} ({}, {}, {}{})",
        plural(e, "error"),
        plural(w, "warning"),
        plural(i, "info"),
        if capped {
            " listed; the last entry counts the rest"
        } else {
            ""
        }
    )
}

/// Prints a rule's errors to stderr: the input has errors.
fn report_invalid(rule: &str, errors: &[Diagnostic]) -> CliError {
    output::err_line(&format!(
        "{}{}",
        filter::render(rule, errors),
        summary(errors)
    ));
    CliError::Reported
}

fn eval(device: Option<String>, rule: RuleArg) -> Result<i32, CliError> {
    let Some(path) = device else {
        return Err(CliError::usage(
            Family::Filter,
            "`filter eval` needs `--device DEVICE.json`",
        ));
    };
    let text = std::fs::read_to_string(&path).map_err(|source| {
        CliError::Input(InputError::DeviceUnreadable {
            path: path.clone(),
            source,
        })
    })?;
    let device: Device = match serde_json::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            // serde_json appends " at line L column C"; say it once, up front.
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg);
            return Err(CliError::Input(InputError::DeviceJson {
                path,
                error: Located::new(e.line(), e.column(), msg),
            }));
        }
    };
    let rule = rule.read()?;
    match filter::evaluate(&rule, &device) {
        Ok(m) => {
            if let Some(expr) = filter::check(&rule, None).ast {
                let hidden = filter::eval::hidden_extension_attributes(&expr, &device);
                if !hidden.is_empty() {
                    output::err_line(&format!(
                        "note: {} read as null: Conditional Access sees extension attributes only on a device that is Intune-managed (mdmAppId {}), compliant (isCompliant True) or hybrid joined (trustType ServerAD)",
                        hidden.join(", "),
                        filter::eval::INTUNE_MDM_APP_ID
                    ));
                }
            }
            Ok(output::text(&format!("{m}\n")))
        }
        Err(errors) => Err(report_invalid(&rule, &errors)),
    }
}

fn fmt(rule: RuleArg) -> Result<i32, CliError> {
    let rule = rule.read()?;
    match filter::format(&rule) {
        Ok(f) => Ok(output::rule(&format!("{f}\n"))),
        Err(errors) => Err(report_invalid(&rule, &errors)),
    }
}
