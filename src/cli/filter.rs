//! `ca-policy filter check|eval|fmt`: the device-filter language for scripts.
//! Exit codes: 0 ok (warnings allowed), 1 the rule or device has errors, 2 usage.

use serde_json::{json, Value as Json};

use super::output;

use crate::filter::{self, Device, Diagnostic, Mode, Severity};

pub(crate) fn run(args: &[String]) -> i32 {
    let Some(sub) = args.first() else {
        return super::usage_error("expected `filter check`, `filter eval` or `filter fmt`");
    };
    let opts = match Options::parse(&args[1..]) {
        Ok(o) => o,
        Err(msg) => return super::usage_error(&msg),
    };
    match sub.as_str() {
        "check" => check(opts),
        "eval" => eval(opts),
        "fmt" => fmt(opts),
        other => super::usage_error(&format!("unknown filter command `{other}`")),
    }
}

#[derive(Default)]
struct Options {
    json: bool,
    mode: Option<Mode>,
    device: Option<String>,
    rule: Option<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut o = Options::default();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let (flag, inline) = super::split_option(a);
            let mut value = |name: &str| {
                inline
                    .clone()
                    .or_else(|| it.next().cloned())
                    .ok_or(format!("{name} needs a value"))
            };
            match flag {
                "--json" => o.json = true,
                "--mode" => o.mode = Some(value("--mode")?.parse()?),
                "--device" => o.device = Some(value("--device")?),
                "--" => {
                    o.rule = it.next().cloned();
                    if it.next().is_some() {
                        return Err("expected one RULE argument (quote the rule)".into());
                    }
                }
                f if f.starts_with("--") => return Err(format!("unknown option `{f}`")),
                _ if o.rule.is_some() => {
                    return Err("expected one RULE argument (quote the rule)".into())
                }
                _ => o.rule = Some(a.clone()),
            }
        }
        Ok(o)
    }

    fn rule(&self) -> Result<String, i32> {
        super::arg_or_stdin(self.rule.as_ref()).map_err(|e| {
            output::error(&format!("cannot read the rule from standard input: {e}"), 1)
        })
    }
}

fn check(opts: Options) -> i32 {
    if opts.device.is_some() {
        return super::usage_error("`--device` belongs to `filter eval`");
    }
    let rule = match opts.rule() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let checked = filter::check(&rule, opts.mode);
    let valid = checked.is_valid();
    let written = if opts.json {
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
        return written;
    }
    i32::from(!valid)
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
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
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
        "{head} ({}, {}, {})",
        plural(e, "error"),
        plural(w, "warning"),
        plural(i, "info")
    )
}

/// Prints a rule's errors to stderr and returns exit code 1.
fn report_invalid(rule: &str, errors: &[Diagnostic]) -> i32 {
    output::err_line(&format!(
        "{}{}",
        filter::render(rule, errors),
        summary(errors)
    ));
    1
}

fn eval(opts: Options) -> i32 {
    let Some(path) = opts.device.clone() else {
        return super::usage_error("`filter eval` needs `--device DEVICE.json`");
    };
    if opts.json || opts.mode.is_some() {
        return super::usage_error("`filter eval` takes only `--device` and RULE");
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => return output::error(&format!("cannot read device file {path}: {e}"), 1),
    };
    let device: Device = match serde_json::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            // serde_json appends " at line L column C"; say it once, up front.
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg);
            output::error(
                &format!(
                    "{path}:{}:{}: invalid device JSON: {msg}",
                    e.line(),
                    e.column()
                ),
                1,
            );
            output::err_line("expected an object such as {\"trustType\": \"AzureAD\", \"isCompliant\": true, \"physicalIds\": [\"[ZTDId]:x\"]}");
            return 1;
        }
    };
    let rule = match opts.rule() {
        Ok(r) => r,
        Err(code) => return code,
    };
    match filter::evaluate(&rule, &device) {
        Ok(m) => output::text(&format!("{m}\n")),
        Err(errors) => report_invalid(&rule, &errors),
    }
}

fn fmt(opts: Options) -> i32 {
    if opts.json || opts.mode.is_some() || opts.device.is_some() {
        return super::usage_error("`filter fmt` takes only RULE");
    }
    let rule = match opts.rule() {
        Ok(r) => r,
        Err(code) => return code,
    };
    match filter::format(&rule) {
        Ok(f) => output::rule(&format!("{f}\n")),
        Err(errors) => report_invalid(&rule, &errors),
    }
}
