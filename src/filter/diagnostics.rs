//! Diagnostics are values: severity, a stable code, a message, the byte span
//! they are about and, where one exists, a machine-applicable fix.
//! `Collector` keeps a bounded list of them for one check; `render` (in
//! `render.rs`) prints them in rustc's caret style.

use serde::Serialize;

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

pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// At most this many diagnostics are listed for one rule: the ones that say
/// why checking stopped (`rule-too-long`, `nesting-too-deep`), then the first
/// by position; when there are more, one more diagnostic
/// (`too-many-diagnostics`, at the first left out) says how many. Pasted
/// garbage raises one diagnostic every few bytes, and the editor shows them
/// all on every keystroke.
pub const MAX_DIAGNOSTICS: usize = 100;

/// The diagnostics of one check, bounded: the pinned ones and the first by
/// position up to `MAX_DIAGNOSTICS` are kept, the rest only counted, so
/// memory stays bounded however many are raised.
pub(crate) struct Collector {
    kept: Vec<Diagnostic>,
    /// Kept whatever the cap: they say why the check stopped.
    pinned: Vec<Diagnostic>,
    errors: usize,
    /// Left out, by severity (`Severity as usize`).
    dropped: [usize; 3],
    /// The earliest start of a left-out diagnostic.
    first_dropped: usize,
    /// Once the list has been trimmed: the position of its last entry. A
    /// diagnostic at or after it would sort past the cap, so it is only counted.
    last_kept: Option<(usize, usize)>,
    /// Where the text checked was cut from a longer rule: diagnostics reaching
    /// it (an unclosed string, `(` or `[`, a dangling `-and`) are artefacts of
    /// the cut and are not kept.
    cut: Option<usize>,
}

fn position(d: &Diagnostic) -> (usize, usize) {
    (d.span.start, d.span.end)
}

impl Collector {
    pub(crate) fn new() -> Collector {
        Collector {
            kept: Vec::new(),
            pinned: Vec::new(),
            errors: 0,
            dropped: [0; 3],
            first_dropped: usize::MAX,
            last_kept: None,
            cut: None,
        }
    }

    pub(crate) fn set_cut(&mut self, at: usize) {
        self.cut = Some(at);
    }

    pub(crate) fn push(&mut self, d: Diagnostic) {
        if let Some(cut) = self.cut {
            let fix_end = d.fix.as_ref().map_or(0, |f| f.span.end);
            if d.span.end.max(fix_end) >= cut {
                return;
            }
        }
        if d.is_error() {
            self.errors += 1;
        }
        if self.last_kept.is_some_and(|last| position(&d) >= last) {
            self.drop_one(&d);
            return;
        }
        self.kept.push(d);
        if self.kept.len() >= 2 * MAX_DIAGNOSTICS {
            self.trim();
        }
    }

    /// Pushes a diagnostic that is listed whatever the cap (at most two per check).
    pub(crate) fn push_pinned(&mut self, d: Diagnostic) {
        if d.is_error() {
            self.errors += 1;
        }
        self.pinned.push(d);
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.errors > 0
    }

    fn drop_one(&mut self, d: &Diagnostic) {
        self.dropped[d.severity as usize] += 1;
        self.first_dropped = self.first_dropped.min(d.span.start);
    }

    /// Sorts by position (stably: at one position, in the order raised) and
    /// keeps the first, leaving room for the pinned ones.
    fn trim(&mut self) {
        self.kept.sort_by_key(position);
        let room = MAX_DIAGNOSTICS.saturating_sub(self.pinned.len());
        if self.kept.len() <= room {
            return;
        }
        let rest = self.kept.split_off(room);
        for d in &rest {
            self.drop_one(d);
        }
        self.last_kept = self.kept.last().map(position);
    }

    /// The kept diagnostics sorted by position, with the count of the others
    /// after the last kept before the first left out.
    pub(crate) fn finish(mut self) -> Vec<Diagnostic> {
        self.trim();
        if !self.pinned.is_empty() {
            self.kept.append(&mut self.pinned);
            self.kept.sort_by_key(position);
        }
        let [e, w, i] = self.dropped;
        let total = e + w + i;
        if total == 0 {
            return self.kept;
        }
        // As severe as the worst left out, so the list still says whether the rule is valid.
        let severity = if e > 0 {
            Severity::Error
        } else if w > 0 {
            Severity::Warning
        } else {
            Severity::Info
        };
        let message = format!(
            "and {total} more not shown (errors: {e}, warnings: {w}, infos: {i}); only the first {MAX_DIAGNOSTICS} are listed"
        );
        let at = self
            .kept
            .partition_point(|d| d.span.start <= self.first_dropped);
        self.kept.insert(
            at,
            Diagnostic {
                severity,
                code: "too-many-diagnostics",
                message,
                span: Span::at(self.first_dropped),
                fix: None,
            },
        );
        self.kept
    }
}
