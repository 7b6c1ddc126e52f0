//! One comparison, `device.<property> <operator> <value>`, and its property.

use super::Parser;
use crate::filter::ast::{Comparison, Expr, Literal, Span};
use crate::filter::catalogue::Prop;
use crate::filter::diagnostics::{Diagnostic, DiagnosticKind};
use crate::filter::display::excerpt;
use crate::filter::lexer::Tok;
use crate::filter::validate::{self, RawValue};

impl<'a> Parser<'a> {
    /// Pushes the comparison at the current position.
    pub(super) fn parse_comparison(&mut self) -> bool {
        let t = self.toks[self.pos];
        self.pos += 1;
        if t.kind != Tok::Word {
            let found = match t.kind {
                Tok::Str { .. } => None,
                _ => Some(self.shown(t.span).into_owned()),
            };
            self.err(Diagnostic::new(
                DiagnosticKind::ExpectedProperty { found },
                t.span,
            ));
            self.sync();
            return false;
        }
        let prop = self.property(t.span);
        let Some((op, op_span)) = self.operator() else {
            self.sync();
            return false;
        };
        let value = self.value(op, op_span);
        let (Some(prop), Some((value, value_span))) = (prop, value) else {
            self.sync();
            return false;
        };
        let span = t.span.to(value_span);
        let literal: Literal =
            validate::comparison(self.diags, prop, op, op_span, &value, value_span);
        if let RawValue::List(buffer) = value {
            self.list_buffer = buffer;
        }
        self.stack.push(Expr::Compare(Comparison {
            property: prop,
            property_span: t.span,
            op,
            op_span,
            value: literal,
            value_span,
            span,
        }));
        true
    }

    /// `device.<name>`: resolves the name, reporting a missing or foreign prefix.
    fn property(&mut self, span: Span) -> Option<Prop> {
        let text = self.text(span);
        // What nearly every rule writes, without searching for the dot.
        if let Some(name) = text.strip_prefix("device.") {
            let name_span = Span::new(span.start + "device.".len(), span.end);
            return validate::property(self.diags, name, name_span);
        }
        match text.split_once('.') {
            Some((prefix, name)) if prefix == "device" || prefix.eq_ignore_ascii_case("device") => {
                let name_span = Span::new(span.start + prefix.len() + 1, span.end);
                validate::property(self.diags, name, name_span)
            }
            Some((prefix, _)) => {
                let kind = DiagnosticKind::NonDeviceProperty {
                    found: excerpt(text).into_owned(),
                    user: prefix.eq_ignore_ascii_case("user"),
                };
                self.err(Diagnostic::new(kind, span));
                None
            }
            None => {
                let found = excerpt(text).into_owned();
                let mut d = Diagnostic::new(DiagnosticKind::MissingDevicePrefix { found }, span);
                let known = Prop::lookup(text);
                if known.is_some() {
                    d = d.with_fix(Span::at(span.start), "device.", "add `device.`");
                }
                self.err(d);
                known
            }
        }
    }
}
