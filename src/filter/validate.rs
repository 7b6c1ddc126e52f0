//! Semantic checks of one comparison against the catalogue: is the property
//! known, is the operator allowed for it, is the value of the right kind.

use super::ast::{Literal, Op, Span};
use super::catalogue::{self, Prop, ValueKind, PROPERTIES};
use super::diagnostics::{Collector, Diagnostic};
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
        let d = match equivalent {
            Some(p) => Diagnostic::error(
                "unknown-property",
                span,
                format!(
                    "`{foreign}` is {}; Conditional Access device filters use `{}`",
                    origin.describe(),
                    p.name()
                ),
            )
            .with_fix(span, p.name(), format!("use `{}`", p.name())),
            None => Diagnostic::error(
                "unknown-property",
                span,
                format!(
                    "`{foreign}` is {} that Conditional Access device filters do not support",
                    origin.describe()
                ),
            ),
        };
        diags.push(d);
        return equivalent;
    }
    let is_ext = name.len() > 18
        && name.as_bytes()[..18].eq_ignore_ascii_case(b"extensionAttribute")
        && name[18..].bytes().all(|b| b.is_ascii_digit());
    if is_ext {
        diags.push(Diagnostic::error(
            "unknown-property",
            span,
            format!(
                "`{}` does not exist: only extensionAttribute1 … extensionAttribute15",
                excerpt(name)
            ),
        ));
        return None;
    }
    let mut d = Diagnostic::error(
        "unknown-property",
        span,
        format!("unknown property `{}`", excerpt(name)),
    );
    match suggest::closest(name, PROPERTIES.iter().map(|p| p.name)) {
        Some(s) => {
            d.message = format!("unknown property `{}`; did you mean `{s}`?", excerpt(name));
            d = d.with_fix(span, s, format!("use `{s}`"));
        }
        None => {
            d.message.push_str("; Conditional Access device filters support deviceId, displayName, deviceOwnership, enrollmentProfileName, isCompliant, manufacturer, mdmAppId, model, operatingSystem, operatingSystemVersion, physicalIds, profileType, systemLabels, trustType and extensionAttribute1 … 15");
        }
    }
    diags.push(d);
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
        let mut d = Diagnostic::error(
            "operator-not-allowed",
            op_span,
            format!("`{}` supports only {}", spec.name, spec.ops.describe()),
        );
        if spec.kind == ValueKind::Collection {
            d.message
                .push_str(" (it is a collection; `-contains` tests for a whole element)");
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
                    diags.push(boolean_form(b, value_span, "is accepted"));
                }
                Literal::Bool(b)
            }
            _ => {
                let word = if b { "True" } else { "False" };
                let kind = if let ValueKind::Enum(_) = spec.kind {
                    "an enum"
                } else {
                    "a string"
                };
                diags.push(
                    Diagnostic::error(
                        "unquoted-value",
                        value_span,
                        format!(
                            "`{}` is {kind} property; its values are written in double quotes",
                            spec.name
                        ),
                    )
                    .with_fix(
                        value_span,
                        format!("\"{word}\""),
                        "add double quotes",
                    ),
                );
                Literal::Str(Text::new(word))
            }
        },
        RawValue::Str(s) => {
            match spec.kind {
                ValueKind::Bool => {
                    if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") {
                        let b = s.eq_ignore_ascii_case("true");
                        diags.push(boolean_form(b, value_span, "(quoted) is accepted"));
                        Literal::Bool(b)
                    } else {
                        let mut d = Diagnostic::error(
                        "value-not-allowed",
                        value_span,
                        format!("`{}` is `True` or `False`, not `{}`; this comparison can never match", spec.name, excerpt(s)),
                    );
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
            }
        }
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

fn boolean_form(b: bool, span: Span, how: &str) -> Diagnostic {
    let word = if b { "True" } else { "False" };
    Diagnostic::info(
        "boolean-form",
        span,
        format!("this form of `{word}` {how}; the canonical form is unquoted `{word}`"),
    )
    .with_fix(span, word, format!("write `{word}`"))
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
            Diagnostic::warning(
                "enum-case",
                span,
                format!("the documented spelling is `{canonical}`"),
            )
            .with_fix(
                span,
                format!("\"{canonical}\""),
                format!("write `{canonical}`"),
            ),
        );
        return Text::new(canonical);
    }
    let list = allowed.join(", ");
    let mut d = Diagnostic::error(
        "value-not-allowed",
        span,
        format!(
            "`{}` is not a `{}` value (allowed: {list}); this comparison can never match",
            excerpt(s),
            prop.name()
        ),
    );
    let alias = catalogue::VALUE_ALIASES
        .iter()
        .find(|(from, to)| from.eq_ignore_ascii_case(s) && allowed.contains(to))
        .map(|&(_, to)| to);
    if let Some(to) = alias.or_else(|| suggest::closest(s, allowed.iter().copied())) {
        d.message = format!(
            "`{}` is not a `{}` value (allowed: {list}); did you mean `{to}`?",
            excerpt(s),
            prop.name()
        );
        d = d.with_fix(span, format!("\"{to}\""), format!("use `{to}`"));
    }
    diags.push(d);
    Text::new(s)
}

fn check_guid(diags: &mut Collector, prop: Prop, s: &str, span: Span) {
    if !is_guid(s) {
        diags.push(Diagnostic::error(
            "invalid-guid",
            span,
            format!(
                "`{}` values are GUIDs such as `aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb`; `{}` can never match",
                prop.name(),
                excerpt(s)
            ),
        ));
    }
}
