//! `Collector`: the diagnostics of one check, kept to a bounded list however
//! many are raised.

use super::{Diagnostic, DiagnosticKind};
use crate::filter::ast::Span;

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
        let [errors, warnings, infos] = self.dropped;
        if errors + warnings + infos == 0 {
            return self.kept;
        }
        let at = self
            .kept
            .partition_point(|d| d.span.start <= self.first_dropped);
        let count = DiagnosticKind::TooManyDiagnostics {
            errors,
            warnings,
            infos,
        };
        self.kept
            .insert(at, Diagnostic::new(count, Span::at(self.first_dropped)));
        self.kept
    }
}
