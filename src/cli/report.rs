//! `ca-policy report [--format markdown|html] [--names FILE] [--methods FILE] [--tenant FILE]
//! [--pilot-group ID] FILE...`
//!
//! The change document (`app::report`, written by `export::report`). Exit codes: 0 written, 1
//! an input has an error (`FILE:LINE:COLUMN`, or a `--names` entry the labels refuse), 2 usage
//! (no FILE, a file that cannot be read).

use super::args::ReportArgs;
use super::error::{CliError, InputError};
use super::output;
use super::usage::Family;
use crate::analysis::bootstrap::MethodsPolicy;
use crate::app::report::{document, ReportRequest};
use crate::export::report::{html, markdown};
use crate::located::Located;
use crate::names::Labels;
use crate::policy::diff::Names;
use crate::policy::{import_bytes, Policy};

/// How the document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReportFormat {
    Markdown,
    Html,
}

impl ReportFormat {
    pub(crate) fn parse(s: &str) -> Option<ReportFormat> {
        match s {
            "markdown" | "md" => Some(ReportFormat::Markdown),
            "html" => Some(ReportFormat::Html),
            _ => None,
        }
    }
}

fn read<T>(file: &str, read: impl Fn(&[u8]) -> Result<T, Located>) -> Result<T, CliError> {
    let bytes = super::file_or_stdin(Some(file)).map_err(|e| CliError::unreadable(file, e))?;
    read(&bytes).map_err(|e| CliError::located(&super::source_name(Some(file)), e))
}

fn policies(files: &[String]) -> Result<Vec<Policy>, CliError> {
    let mut out = vec![];
    for f in files {
        out.extend(read(f, import_bytes)?);
    }
    Ok(out)
}

/// The `--names` file as labels: read (and located) as `diff --names` reads it, then each
/// entry checked as the page checks a label (a GUID key, a name without control characters).
fn labels(file: &str) -> Result<Labels, CliError> {
    let names = read(file, Names::read)?;
    let mut labels = Labels::new();
    for (id, name) in names.iter() {
        labels.insert(id, name).map_err(|error| {
            CliError::Input(InputError::Label {
                source: super::source_name(Some(file)),
                error,
            })
        })?;
    }
    Ok(labels)
}

pub(crate) fn run(args: ReportArgs) -> Result<i32, CliError> {
    if args.files.is_empty() {
        return Err(CliError::usage(
            Family::Report,
            "expected at least one FILE",
        ));
    }
    let request = ReportRequest {
        policies: policies(&args.files)?,
        labels: match &args.names {
            Some(f) => labels(f)?,
            None => Labels::new(),
        },
        methods: match &args.methods {
            Some(f) => Some(read(f, MethodsPolicy::parse)?),
            None => None,
        },
        pilot_group: args.pilot_group.unwrap_or_default(),
        tenant: match &args.tenant {
            Some(f) => Some(read(f, import_bytes)?),
            None => None,
        },
    };
    let d = document(&request);
    Ok(match args.format {
        ReportFormat::Markdown => output::text(&markdown(&d)),
        ReportFormat::Html => output::text(&html(&d)),
    })
}
