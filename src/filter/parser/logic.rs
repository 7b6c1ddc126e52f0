//! How comparisons are joined: `-and`, `-or`, and their misspellings.

use super::Parser;
use crate::filter::ast::Span;
use crate::filter::diagnostics::{Diagnostic, DiagnosticKind};
use crate::filter::lexer::{Logic, Tok};

impl<'a> Parser<'a> {
    /// Consumes a logical operator, reporting forms that are not `-and`/`-or`.
    /// Returns true when nothing follows it (already reported).
    fn take_logic(&mut self) -> bool {
        let t = self.toks[self.pos];
        let logic = self.logic_of(t).unwrap_or(Logic::And);
        let canonical = if logic == Logic::And { "-and" } else { "-or" };
        self.pos += 1;
        let misspelt = match t.kind {
            Tok::Symbol => Some(DiagnosticKind::SymbolicOperator {
                found: self.shown(t.span).into_owned(),
                canonical,
                logical: true,
            }),
            Tok::Word => Some(DiagnosticKind::BareLogicalOperator { canonical }),
            _ => None,
        };
        if let Some(kind) = misspelt {
            self.err(Diagnostic::new(kind, t.span).with_fix(
                t.span,
                canonical,
                format!("use `{canonical}`"),
            ));
        }
        match self.peek() {
            None => true,
            Some(n) if n.kind == Tok::RParen => true,
            _ => false,
        }
        .then(|| {
            let removal = Span::new(
                self.toks
                    .get(self.pos.wrapping_sub(2))
                    .map_or(t.span.start, |p| p.span.end),
                t.span.end,
            );
            self.err(
                Diagnostic::new(DiagnosticKind::DanglingOperator { canonical }, t.span).with_fix(
                    removal,
                    "",
                    format!("remove the trailing `{canonical}`"),
                ),
            );
        })
        .is_some()
    }

    /// Pushes the rule (or group) at the current position.
    pub(super) fn parse_or(&mut self) -> bool {
        let base = self.stack.len();
        let mut ok = self.parse_and();
        if self.peek_logic() != Some(Logic::Or) {
            return ok;
        }
        self.flatten_top(base, true);
        while self.peek_logic() == Some(Logic::Or) {
            if self.take_logic() {
                ok = false;
                break;
            }
            if self.parse_and() {
                self.flatten_top(base, true);
            } else {
                ok = false;
            }
        }
        if !ok {
            self.stack.truncate(base);
            return false;
        }
        self.reduce(base, true);
        true
    }

    /// Pushes the `-and` of primaries (or the lone primary) at the current position.
    fn parse_and(&mut self) -> bool {
        let base = self.stack.len();
        let mut ok = self.parse_primary();
        // A lone primary stays as it is; the first `-and` flattens it.
        let mut joined = false;
        loop {
            match self.peek_logic() {
                Some(Logic::Or) => break,
                Some(Logic::And) => {
                    if !joined {
                        joined = true;
                        self.flatten_top(base, false);
                    }
                    if self.take_logic() {
                        ok = false;
                        break;
                    }
                    if self.parse_primary() {
                        self.flatten_top(base, false);
                    } else {
                        ok = false;
                    }
                }
                None => match self.peek() {
                    None => break,
                    Some(t) if t.kind == Tok::RParen => {
                        if self.depth > 0 {
                            break;
                        }
                        let removal = Span::new(self.prev_end(), t.span.end);
                        self.err(
                            Diagnostic::new(DiagnosticKind::UnmatchedParen, t.span).with_fix(
                                removal,
                                "",
                                "remove the `)`",
                            ),
                        );
                        self.pos += 1;
                        ok = false;
                    }
                    Some(t) => {
                        let found = self.shown(t.span).into_owned();
                        self.err(Diagnostic::new(
                            DiagnosticKind::ExpectedLogicalOperator { found },
                            t.span,
                        ));
                        ok = false;
                        // Check what follows anyway, as if it were joined by
                        // `-and` (whatever it pushes goes with `ok`).
                        self.parse_primary();
                    }
                },
            }
        }
        if !ok {
            self.stack.truncate(base);
            return false;
        }
        if self.stack.len() - base > 1 {
            self.reduce(base, false);
        }
        self.stack.len() > base
    }
}
