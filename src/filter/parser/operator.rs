//! The operator of a comparison, and the spellings borrowed from dynamic-group
//! rules, PowerShell and other languages.

use super::Parser;
use crate::filter::ast::{Op, Span};
use crate::filter::catalogue;
use crate::filter::diagnostics::{Diagnostic, DiagnosticKind, OperatorGap};
use crate::filter::display::excerpt;
use crate::filter::lexer::Tok;

impl<'a> Parser<'a> {
    pub(super) fn operator(&mut self) -> Option<(Op, Span)> {
        let Some(t) = self.peek() else {
            self.missing_operator(OperatorGap::AfterProperty);
            return None;
        };
        match t.kind {
            Tok::Dashed { name } => {
                let word = &self.src[name..t.span.end];
                if let Some(op) = Op::from_name(word) {
                    self.pos += 1;
                    return Some((op, t.span));
                }
                if self.logic_of(t).is_some() {
                    self.missing_operator(OperatorGap::BeforeLogic);
                    return None;
                }
                self.pos += 1;
                if let Some(&name) = catalogue::DYNAMIC_GROUP_OPERATORS
                    .iter()
                    .find(|o| o.eq_ignore_ascii_case(word))
                {
                    let kind = DiagnosticKind::DynamicGroupOperator { name, dashed: true };
                    self.err(Diagnostic::new(kind, t.span));
                    return None;
                }
                let suggestion = catalogue::OPERATOR_ALIASES
                    .iter()
                    .find(|(a, _)| a.eq_ignore_ascii_case(word))
                    .map(|&(_, op)| op)
                    .or_else(|| {
                        crate::filter::suggest::closest(word, Op::ALL.iter().map(|o| o.name()))
                            .and_then(Op::from_name)
                    });
                let kind = DiagnosticKind::UnknownOperator {
                    found: self.shown(t.span).into_owned(),
                    symbol: false,
                    suggestion,
                };
                let mut d = Diagnostic::new(kind, t.span);
                if let Some(op) = suggestion {
                    d = d.with_fix(t.span, op.canonical(), format!("use `{}`", op.canonical()));
                }
                self.err(d);
                None
            }
            Tok::Word => {
                let word = self.text(t.span);
                if let Some(op) = Op::from_name(word) {
                    self.pos += 1;
                    let found = word.to_string();
                    self.err(
                        Diagnostic::new(DiagnosticKind::HyphenlessOperator { op, found }, t.span)
                            .with_fix(
                                Span::at(t.span.start),
                                "-",
                                format!("write `{}`", op.canonical()),
                            ),
                    );
                    return Some((op, t.span));
                }
                if let Some(&name) = catalogue::DYNAMIC_GROUP_OPERATORS
                    .iter()
                    .find(|o| o.eq_ignore_ascii_case(word))
                {
                    self.pos += 1;
                    let kind = DiagnosticKind::DynamicGroupOperator {
                        name,
                        dashed: false,
                    };
                    self.err(Diagnostic::new(kind, t.span));
                    return None;
                }
                let gap = OperatorGap::Found(excerpt(word).into_owned());
                self.err(Diagnostic::new(
                    DiagnosticKind::ExpectedOperator(gap),
                    t.span,
                ));
                None
            }
            Tok::Symbol => {
                let sym = self.text(t.span);
                let op = match sym {
                    "=" | "==" | "===" => Some(Op::Eq),
                    "!=" | "<>" | "!==" => Some(Op::Ne),
                    _ => None,
                };
                self.pos += 1;
                match op {
                    Some(op) => {
                        let kind = DiagnosticKind::SymbolicOperator {
                            found: sym.to_string(),
                            canonical: op.canonical(),
                            logical: false,
                        };
                        self.err(Diagnostic::new(kind, t.span).with_fix(
                            t.span,
                            op.canonical(),
                            format!("use `{}`", op.canonical()),
                        ));
                        Some((op, t.span))
                    }
                    None => {
                        let kind = DiagnosticKind::UnknownOperator {
                            found: excerpt(sym).into_owned(),
                            symbol: true,
                            suggestion: None,
                        };
                        self.err(Diagnostic::new(kind, t.span));
                        None
                    }
                }
            }
            _ => {
                self.missing_operator(OperatorGap::AfterProperty);
                None
            }
        }
    }

    /// Reports the operator missing after the property.
    fn missing_operator(&mut self, gap: OperatorGap) {
        let at = Span::at(self.prev_end());
        self.err(Diagnostic::new(DiagnosticKind::ExpectedOperator(gap), at));
    }
}
