//! Diagnostics are values: a kind (`kind.rs`: what went wrong, with its
//! stable code, its severity and its message), the byte span it is about
//! and, where one exists, a machine-applicable fix. `Collector`
//! (`collector.rs`) keeps a bounded list of them for one check; `render` (in
//! `render.rs`) prints them in rustc's caret style.

mod collector;
mod kind;

use serde::Serialize;

use super::ast::Span;

pub(crate) use collector::Collector;
pub use collector::MAX_DIAGNOSTICS;
pub use kind::{DiagnosticKind, NotAllowed, OperatorGap, RuleLength, UnknownName, Unquoted};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Replace `span` with `replacement` (an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
    /// What the fix does, for a button or a `help:` line.
    pub label: String,
}

/// One finding about a rule. `severity`, `code` and `message` are those of
/// `kind`, worked out once when the diagnostic is made: the page and the CLI
/// read them for every diagnostic they show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable kebab-case identifier (`DiagnosticKind::code`); tests, scripts
    /// and the UI key on it.
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub fix: Option<Fix>,
    /// What the diagnostic is about, as data (not serialised: `code` names it).
    #[serde(skip)]
    pub kind: DiagnosticKind,
}

impl Diagnostic {
    pub fn new(kind: DiagnosticKind, span: Span) -> Self {
        Diagnostic {
            severity: kind.severity(),
            code: kind.code(),
            message: kind.message(),
            span,
            fix: None,
            kind,
        }
    }
    pub fn with_fix(
        mut self,
        span: Span,
        replacement: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        self.fix = Some(Fix {
            span,
            replacement: replacement.into(),
            label: label.into(),
        });
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// 1-based line and column of a byte offset; the column counts chars, so
/// it matches what an editor shows. Offsets past the end clamp to the end.
pub fn line_col(rule: &str, byte: usize) -> (usize, usize) {
    let byte = floor_char_boundary(rule, byte);
    let before = &rule[..byte];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
