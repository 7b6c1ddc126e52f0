//! Semantic checks of one comparison against the catalogue: is the property
//! known, is the operator allowed for it, is the value of the right kind.

use super::ast::{Literal, Op, Span};
use super::catalogue::{self, Prop, ValueKind, PROPERTIES};
use super::diagnostics::{
    Collector, Diagnostic, DiagnosticKind, NotAllowed, UnknownName, Unquoted,
};
use super::display::excerpt;
use super::suggest;
use super::text::Text;
use crate::guid::is_guid;

/// A value as written, before it is checked against the property.
pub(crate) enum RawValue<'s> {
    Str(&'s str),
    /// The value and whether it was spelled `True`/`False`.
    Bool(bool, bool),
    List(Vec<(&'s str, Span)>),
}

/// Resolves a property name (after `device.`). For a known foreign name the
/// CA equivalent is returned, so its operator and value are still checked.
pub(crate) fn property(diags: &mut Collector, name: &str, span: Span) -> Option<Prop> {
    if let Some(p) = Prop::lookup(name) {
        return Some(p);
    }
    if let Some((foreign, equivalent, origin)) = catalogue::foreign_property(name) {
        let kind = DiagnosticKind::UnknownProperty(UnknownName::Foreign {
            name: foreign,
            origin,
            equivalent,
        });
        let d = Diagnostic::new(kind, span);
        diags.push(match equivalent {
            Some(p) => d.with_fix(span, p.name(), format!("use `{}`", p.name())),
            None => d,
        });
        return equivalent;
    }
    let is_ext = name.len() > 18
        && name.as_bytes()[..18].eq_ignore_ascii_case(b"extensionAttribute")
        && name[18..].bytes().all(|b| b.is_ascii_digit());
    if is_ext {
        let found = excerpt(name).into_owned();
        diags.push(Diagnostic::new(
            DiagnosticKind::UnknownProperty(UnknownName::ExtensionAttribute { found }),
            span,
        ));
        return None;
    }
    let suggestion = suggest::closest(name, PROPERTIES.iter().map(|p| p.name));
    let found = excerpt(name).into_owned();
    let d = Diagnostic::new(
        DiagnosticKind::UnknownProperty(UnknownName::Misspelt { found, suggestion }),
        span,
    );
    diags.push(match suggestion {
        Some(s) => d.with_fix(span, s, format!("use `{s}`")),
        None => d,
    });
    None
}

/// Checks the operator and value against the property and returns the
/// normalised literal (reporting, not failing, when they do not fit).
pub(crate) fn comparison(
    diags: &mut Collector,
    prop: Prop,
    op: Op,
    op_span: Span,
    value: &RawValue<'_>,
    value_span: Span,
) -> Literal {
    let spec = prop.spec();
    if !spec.ops.contains(op) {
        let mut d = Diagnostic::new(
            DiagnosticKind::OperatorNotAllowed { property: prop },
            op_span,
        );
        if spec.kind == ValueKind::Collection {
            let to = if op.is_negative() {
                Op::NotContains
            } else {
                Op::Contains
            };
            if !op.takes_list() {
                d = d.with_fix(op_span, to.canonical(), format!("use `{}`", to.canonical()));
            }
        }
        diags.push(d);
    }
    match *value {
        RawValue::Bool(b, canonical) => match spec.kind {
            ValueKind::Bool => {
                if !canonical {
                    diags.push(boolean_form(b, value_span, false));
                }
                Literal::Bool(b)
            }
            _ => {
                let word = if b { "True" } else { "False" };
                let kind = DiagnosticKind::UnquotedValue(Unquoted::Boolean { property: prop });
                diags.push(Diagnostic::new(kind, value_span).with_fix(
                    value_span,
                    format!("\"{word}\""),
                    "add double quotes",
                ));
                Literal::Str(Text::new(word))
            }
        },
        RawValue::Str(s) => match spec.kind {
            ValueKind::Bool => {
                if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") {
                    let b = s.eq_ignore_ascii_case("true");
                    diags.push(boolean_form(b, value_span, true));
                    Literal::Bool(b)
                } else {
                    let kind = DiagnosticKind::ValueNotAllowed(NotAllowed::NotBoolean {
                        property: prop,
                        found: excerpt(s).into_owned(),
                    });
                    let mut d = Diagnostic::new(kind, value_span);
                    let guess = match s.to_ascii_lowercase().as_str() {
                        "yes" | "1" | "compliant" => Some("True"),
                        "no" | "0" | "noncompliant" | "notcompliant" => Some("False"),
                        _ => None,
                    };
                    if let Some(g) = guess {
                        d = d.with_fix(value_span, g, format!("use `{g}`"));
                    }
                    diags.push(d);
                    Literal::Str(Text::new(s))
                }
            }
            ValueKind::Enum(allowed) => {
                Literal::Str(enum_value(diags, prop, allowed, s, value_span))
            }
            ValueKind::Guid => {
                check_guid(diags, prop, s, value_span);
                Literal::Str(Text::new(s))
            }
            ValueKind::Text | ValueKind::Collection => Literal::Str(Text::new(s)),
        },
        RawValue::List(ref items) => Literal::List(
            items
                .iter()
                .map(|&(s, span)| match spec.kind {
                    ValueKind::Guid => {
                        check_guid(diags, prop, s, span);
                        Text::new(s)
                    }
                    ValueKind::Enum(allowed) => enum_value(diags, prop, allowed, s, span),
                    _ => Text::new(s),
                })
                .collect(),
        ),
    }
}

fn boolean_form(value: bool, span: Span, quoted: bool) -> Diagnostic {
    let word = if value { "True" } else { "False" };
    Diagnostic::new(DiagnosticKind::BooleanForm { value, quoted }, span).with_fix(
        span,
        word,
        format!("write `{word}`"),
    )
}

/// Returns the value in its documented casing (the input when unknown).
fn enum_value(
    diags: &mut Collector,
    prop: Prop,
    allowed: &'static [&'static str],
    s: &str,
    span: Span,
) -> Text {
    if allowed.contains(&s) {
        return Text::new(s);
    }
    if let Some(canonical) = allowed.iter().find(|a| a.eq_ignore_ascii_case(s)) {
        diags.push(
            Diagnostic::new(DiagnosticKind::EnumCase { canonical }, span).with_fix(
                span,
                format!("\"{canonical}\""),
                format!("write `{canonical}`"),
            ),
        );
        return Text::new(canonical);
    }
    let alias = catalogue::VALUE_ALIASES
        .iter()
        .find(|(from, to)| from.eq_ignore_ascii_case(s) && allowed.contains(to))
        .map(|&(_, to)| to);
    let suggestion = alias.or_else(|| suggest::closest(s, allowed.iter().copied()));
    let kind = DiagnosticKind::ValueNotAllowed(NotAllowed::NotInEnum {
        property: prop,
        found: excerpt(s).into_owned(),
        suggestion,
    });
    let d = Diagnostic::new(kind, span);
    diags.push(match suggestion {
        Some(to) => d.with_fix(span, format!("\"{to}\""), format!("use `{to}`")),
        None => d,
    });
    Text::new(s)
}

fn check_guid(diags: &mut Collector, prop: Prop, s: &str, span: Span) {
    if !is_guid(s) {
        let found = excerpt(s).into_owned();
        diags.push(Diagnostic::new(
            DiagnosticKind::InvalidGuid {
                property: prop,
                found,
            },
            span,
        ));
    }
}
