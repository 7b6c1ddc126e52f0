//! `ca-policy bootstrap [--json] [--report-only-as-on] --policies FILE [--policies FILE]...
//! [--methods FILE] [--strengths FILE] [--directory FILE] [--locations FILE]
//! [--registrations FILE] PERSONAS.json`
//!
//! Exit codes: 0 the proof ran (whatever the verdicts, so pipelines can diff its JSON), 1 an
//! input has an error (file:line:column), 2 usage (no --policies, no PERSONAS.json, a file
//! that cannot be read).

use super::args::BootstrapArgs;
use super::error::{CliError, InputError};
use super::output;
use super::usage::Family;

use crate::analysis::bootstrap::{
    prove, read_personas_with, read_registrations, MethodsPolicy, PersonaVerdict, Proof, Report,
    Strengths,
};
use crate::analysis::whatif::evaluate::{
    read_directory, read_locations, Directory, NamedLocations,
};
use crate::located::Located;
use crate::policy::import_bytes;

/// Reads `file` (`-`: standard input) and types it with `read`, errors named by the file.
fn read<T>(file: &str, read: impl Fn(&[u8]) -> Result<T, Located>) -> Result<T, CliError> {
    let bytes = super::file_or_stdin(Some(file)).map_err(|e| CliError::unreadable(file, e))?;
    read(&bytes).map_err(|e| CliError::located(&super::source_name(Some(file)), e))
}

pub(crate) fn run(args: BootstrapArgs) -> Result<i32, CliError> {
    if args.policies.is_empty() {
        return Err(CliError::usage(
            Family::Bootstrap,
            "expected at least one --policies FILE",
        ));
    }
    let Some(personas_file) = args.personas.as_deref() else {
        return Err(CliError::usage(Family::Bootstrap, "expected PERSONAS.json"));
    };
    let mut policies = Vec::new();
    for f in &args.policies {
        policies.extend(read(f, import_bytes)?);
    }
    let methods = match &args.methods {
        Some(f) => read(f, MethodsPolicy::parse)?,
        None => MethodsPolicy::default(),
    };
    let strengths = match &args.strengths {
        Some(f) => read(f, Strengths::parse)?,
        None => Strengths::default(),
    };
    let directory = match &args.directory {
        Some(f) => read(f, read_directory)?,
        None => Directory::default(),
    };
    let locations = match &args.locations {
        Some(f) => read(f, read_locations)?,
        None => NamedLocations::default(),
    };
    let report = match &args.registrations {
        Some(f) => Some(read(f, read_registrations)?),
        None => None,
    };
    let personas = read(personas_file, |b| read_personas_with(b, report.as_deref()))?;
    let proof = Proof::new(
        &policies,
        methods,
        &strengths,
        directory,
        locations,
        args.report_only_as_on,
    );
    let report = prove(&proof, &personas).map_err(|(index, error)| {
        CliError::Input(InputError::Persona {
            source: super::source_name(Some(personas_file)),
            index,
            name: personas[index].name.clone(),
            error,
        })
    })?;
    let written = if args.json {
        let text = serde_json::to_string_pretty(&report).map_err(CliError::JsonOutput)?;
        output::json(&(text + "\n"))
    } else {
        output::text(&as_text(&report))
    };
    Ok(written)
}

fn as_text(report: &Report) -> String {
    let mut out = String::new();
    for (i, p) in report.personas.iter().enumerate() {
        out.push_str(&journey(i + 1, p));
    }
    let ready = report.personas.iter().filter(|p| p.ready).count();
    out.push_str(&format!(
        "{} persona(s): {ready} ready, {} blocked\n",
        report.personas.len(),
        report.personas.len() - ready
    ));
    for n in &report.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

fn journey(n: usize, p: &PersonaVerdict) -> String {
    let verdict = match p.failed() {
        None if p.ready => "READY".to_string(),
        None => "not judged".to_string(),
        Some(s) => format!("BLOCKED at {}", s.step.as_str()),
    };
    let mut out = format!("persona {n}: {} — {verdict}\n", p.name);
    for (i, s) in p.steps.iter().enumerate() {
        let status = match s.ok {
            Some(true) => "ok",
            Some(false) => "blocked",
            None => "-",
        };
        out.push_str(&format!(
            "  {}. {:<21} {:<8} {}\n",
            i + 1,
            s.step.as_str(),
            status,
            s.why
        ));
        if !s.blocked_by.is_empty() {
            out.push_str(&format!("     blocked by: {}\n", s.blocked_by.join(", ")));
        }
        if let Some(fix) = &s.fix {
            out.push_str(&format!("     fix: {fix}\n"));
        }
    }
    for note in &p.notes {
        out.push_str(&format!("  note: {note}\n"));
    }
    out
}
