//! The value of a comparison: a string, `True`/`False`, or a `[…]` list.

use super::Parser;
use crate::filter::ast::{Op, Span};
use crate::filter::diagnostics::{Diagnostic, DiagnosticKind, Unquoted};
use crate::filter::display::excerpt;
use crate::filter::format;
use crate::filter::lexer::{Quote, Tok};
use crate::filter::validate::RawValue;

impl<'a> Parser<'a> {
    pub(super) fn value(&mut self, op: Op, op_span: Span) -> Option<(RawValue<'a>, Span)> {
        let Some(t) = self.peek() else {
            self.missing_value(op);
            return None;
        };
        match t.kind {
            Tok::Str { content, quote } => {
                self.pos += 1;
                let text = self.text(content);
                if !op.takes_list() {
                    return Some((RawValue::Str(text), t.span));
                }
                // `-in "a", "b"` or `-in 'a, b'`: keep the items, suggest the list.
                let mut items = vec![(text, content)];
                let mut end = t.span.end;
                while let (Some(c), Some(s)) = (self.peek(), self.toks.get(self.pos + 1).copied()) {
                    match (c.kind, s.kind) {
                        (Tok::Comma, Tok::Str { content, .. }) => {
                            items.push((self.text(content), content));
                            end = s.span.end;
                            self.pos += 2;
                        }
                        _ => break,
                    }
                }
                let span = Span::new(t.span.start, end);
                if items.len() == 1 && quote == Quote::Single && text.contains(',') {
                    // `'ServerAD, Workplace'`: one quoted string meant as a list.
                    let mut at = content.start;
                    items = text
                        .split(',')
                        .map(|part| {
                            let lead = part.len() - part.trim_start().len();
                            let item = part.trim();
                            let span = Span::new(at + lead, at + lead + item.len());
                            at += part.len() + 1;
                            (item, span)
                        })
                        .collect();
                }
                let parts: Vec<&str> = items.iter().map(|i| i.0).collect();
                let mut d = Diagnostic::new(DiagnosticKind::ExpectedList { op }, span);
                if parts.iter().all(|p| !p.contains('"')) {
                    d = d.with_fix(span, format::list(parts.iter().copied()), "make it a list");
                }
                self.err(d);
                Some((RawValue::List(items), span))
            }
            Tok::LBracket => {
                let (items, span) = self.list();
                if !op.takes_list() {
                    let mut d = Diagnostic::new(DiagnosticKind::UnexpectedList { op }, span);
                    let replacement = match op {
                        Op::Eq => Some(Op::In),
                        Op::Ne => Some(Op::NotIn),
                        _ => None,
                    };
                    if let Some(r) = replacement {
                        d = d.with_fix(op_span, r.canonical(), format!("use `{}`", r.canonical()));
                    }
                    self.err(d);
                }
                Some((RawValue::List(items), span))
            }
            Tok::Word => {
                self.pos += 1;
                let word = self.text(t.span);
                if word.eq_ignore_ascii_case("true") || word.eq_ignore_ascii_case("false") {
                    let value = word.eq_ignore_ascii_case("true");
                    let canonical = word == "True" || word == "False";
                    return Some((RawValue::Bool(value, canonical), t.span));
                }
                if word.eq_ignore_ascii_case("null") {
                    self.err(Diagnostic::new(DiagnosticKind::NullValue, t.span));
                    return None;
                }
                if let Some(var) = word.strip_prefix('$') {
                    // `$true` / `$variable` pasted from a PowerShell script.
                    let found = excerpt(word).into_owned();
                    let mut d =
                        Diagnostic::new(DiagnosticKind::PowershellVariable { found }, t.span);
                    for (ps, b) in [("true", "True"), ("false", "False")] {
                        if var.eq_ignore_ascii_case(ps) {
                            d = d.with_fix(t.span, b, format!("write `{b}`"));
                        }
                    }
                    self.err(d);
                    return None;
                }
                let kind =
                    DiagnosticKind::UnquotedValue(Unquoted::Value(excerpt(word).into_owned()));
                self.err(Diagnostic::new(kind, t.span).with_fix(
                    t.span,
                    format!("\"{word}\""),
                    "add double quotes",
                ));
                if op.takes_list() {
                    return Some((RawValue::List(vec![(word, t.span)]), t.span));
                }
                Some((RawValue::Str(word), t.span))
            }
            _ => {
                self.missing_value(op);
                None
            }
        }
    }

    /// Reports the value missing after `op`.
    fn missing_value(&mut self, op: Op) {
        let at = Span::at(self.prev_end());
        let kind = DiagnosticKind::ExpectedValue { after: Some(op) };
        self.err(Diagnostic::new(kind, at));
    }

    /// `[ "a", "b" ]`, reporting missing commas, bare words and a missing `]`.
    fn list(&mut self) -> (Vec<(&'a str, Span)>, Span) {
        let open = self.toks[self.pos];
        self.pos += 1;
        let mut items = std::mem::take(&mut self.list_buffer);
        items.clear();
        let mut expect_item = true;
        let mut last_comma: Option<Span> = None;
        loop {
            let Some(t) = self.peek() else {
                self.unclosed_list(open.span);
                break;
            };
            match t.kind {
                Tok::RBracket => {
                    self.pos += 1;
                    if let (true, Some(comma)) = (expect_item && !items.is_empty(), last_comma) {
                        self.err(
                            Diagnostic::new(DiagnosticKind::TrailingComma, comma).with_fix(
                                comma,
                                "",
                                "remove the comma",
                            ),
                        );
                    }
                    if items.is_empty() {
                        self.err(Diagnostic::new(
                            DiagnosticKind::EmptyList,
                            open.span.to(t.span),
                        ));
                    }
                    break;
                }
                Tok::Comma => {
                    self.pos += 1;
                    if expect_item {
                        let kind = DiagnosticKind::ExpectedValue { after: None };
                        self.err(Diagnostic::new(kind, t.span).with_fix(
                            t.span,
                            "",
                            "remove the comma",
                        ));
                    }
                    expect_item = true;
                    last_comma = Some(t.span);
                }
                Tok::Str { .. } | Tok::Word => {
                    self.pos += 1;
                    let content = match t.kind {
                        Tok::Str { content, .. } => content,
                        _ => {
                            let w = self.text(t.span);
                            let kind = DiagnosticKind::UnquotedValue(Unquoted::ListItem(
                                excerpt(w).into_owned(),
                            ));
                            self.err(Diagnostic::new(kind, t.span).with_fix(
                                t.span,
                                format!("\"{w}\""),
                                "add double quotes",
                            ));
                            t.span
                        }
                    };
                    if !expect_item {
                        let at = Span::at(self.toks[self.pos - 2].span.end);
                        self.err(
                            Diagnostic::new(DiagnosticKind::MissingComma, t.span).with_fix(
                                at,
                                ",",
                                "add a comma",
                            ),
                        );
                    }
                    items.push((self.text(content), content));
                    expect_item = false;
                }
                _ => {
                    self.unclosed_list(open.span);
                    break;
                }
            }
        }
        let end = self.prev_end().max(open.span.end);
        (items, Span::new(open.span.start, end))
    }

    fn unclosed_list(&mut self, open: Span) {
        let at = Span::at(self.prev_end());
        self.err(
            Diagnostic::new(DiagnosticKind::UnclosedBracket, open).with_fix(
                at,
                "]",
                "add the closing `]`",
            ),
        );
    }
}
