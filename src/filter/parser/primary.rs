//! What `-and`/`-or` join: a comparison, a group in parentheses, or a
//! `-not` (reported, with the negated comparison as its fix).

use super::{Parser, MAX_DEPTH};
use crate::filter::ast::{Comparison, Expr, Span};
use crate::filter::diagnostics::{Diagnostic, DiagnosticKind};
use crate::filter::format;
use crate::filter::lexer::Tok;

impl<'a> Parser<'a> {
    /// Consumes at least one token unless at the end, at `)` or at a
    /// logical operator (callers rely on this to make progress). Pushes
    /// the comparison or group.
    pub(super) fn parse_primary(&mut self) -> bool {
        let Some(t) = self.peek() else {
            let at = Span::at(self.src.len());
            self.err(Diagnostic::new(
                DiagnosticKind::ExpectedComparison { before: None },
                at,
            ));
            return false;
        };
        match t.kind {
            Tok::LParen | Tok::Dashed { .. } if self.depth >= MAX_DEPTH && self.nests(t) => {
                self.diags
                    .push_pinned(Diagnostic::new(DiagnosticKind::NestingTooDeep, t.span));
                self.pos = self.toks.len();
                false
            }
            Tok::LParen => {
                self.pos += 1;
                self.depth += 1;
                let inner = self.parse_or();
                self.depth -= 1;
                match self.peek() {
                    Some(c) if c.kind == Tok::RParen => {
                        self.pos += 1;
                        inner
                    }
                    _ => {
                        if inner {
                            self.stack.pop();
                        }
                        let at = Span::at(self.prev_end());
                        self.err(
                            Diagnostic::new(DiagnosticKind::UnclosedParen, t.span).with_fix(
                                at,
                                ")",
                                "add the closing `)`",
                            ),
                        );
                        false
                    }
                }
            }
            Tok::RParen => {
                let before = Some(")".to_string());
                self.err(Diagnostic::new(
                    DiagnosticKind::ExpectedComparison { before },
                    t.span,
                ));
                false
            }
            Tok::Dashed { .. } if self.nests(t) => {
                self.pos += 1;
                let mut d = Diagnostic::new(DiagnosticKind::NotOperator, t.span);
                let base = self.stack.len();
                self.depth += 1;
                let negated = self.parse_primary();
                self.depth -= 1;
                if negated {
                    let span = Span::new(t.span.start, self.prev_end());
                    if let Some(Expr::Compare(c)) = self.stack.last() {
                        let negated = Comparison {
                            op: c.op.negated(),
                            ..c.clone()
                        };
                        d = d.with_fix(
                            span,
                            format::comparison(&negated),
                            format!("use `{}`", negated.op.canonical()),
                        );
                    }
                    self.stack.truncate(base);
                }
                self.err(d);
                false
            }
            _ if self.logic_of(t).is_some() => {
                let before = Some(self.shown(t.span).into_owned());
                self.err(Diagnostic::new(
                    DiagnosticKind::ExpectedComparison { before },
                    t.span,
                ));
                false
            }
            _ => self.parse_comparison(),
        }
    }
}
