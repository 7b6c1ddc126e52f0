//! Diagnostics are values: severity, a stable code, a message, the byte span
//! they are about and, where one exists, a machine-applicable fix.
//! `render` prints them in rustc's caret style.

use serde::Serialize;
use std::fmt::Write as _;

use super::ast::Span;

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

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable kebab-case identifier; tests, scripts and the UI key on it.
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            fix: None,
        }
    }
    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
            span,
            fix: None,
        }
    }
    pub fn info(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Info,
            code,
            message: message.into(),
            span,
            fix: None,
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

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Renders diagnostics like rustc:
///
/// ```text
/// error[unknown-property]: `deviceTrustType` is a dynamic-group rule property …
///  --> 1:8
///   |
/// 1 | device.deviceTrustType -eq "ServerAD"
///   |        ^^^^^^^^^^^^^^^ help: use `trustType`
/// ```
pub fn render(rule: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        render_one(&mut out, rule, d);
    }
    out
}

fn render_one(out: &mut String, rule: &str, d: &Diagnostic) {
    let (line, col) = line_col(rule, d.span.start);
    let gutter = line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{}[{}]: {}", d.severity.as_str(), d.code, d.message);
    let _ = writeln!(out, "{pad}--> {line}:{col}");
    let _ = writeln!(out, "{pad} |");
    let line_start = rule[..floor_char_boundary(rule, d.span.start)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_end = rule[line_start..]
        .find('\n')
        .map_or(rule.len(), |i| line_start + i);
    let text = &rule[line_start..line_end];
    // Control characters would shift the carets; show them as spaces.
    let shown: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let _ = writeln!(out, "{line} | {shown}");
    // Underline to the end of the span, or of the line if it continues.
    let end = floor_char_boundary(rule, d.span.end.min(line_end).max(d.span.start));
    let width = rule[floor_char_boundary(rule, d.span.start)..end]
        .chars()
        .count()
        .max(1);
    let mut marker = format!("{pad} | {}{}", " ".repeat(col - 1), "^".repeat(width));
    if let Some(fix) = &d.fix {
        let _ = write!(marker, " help: {}", fix.label);
    }
    let _ = writeln!(out, "{marker}");
    out.push('\n');
}
