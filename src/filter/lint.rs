//! Advisory checks: the rule is valid, but probably does not do what its
//! author wants (a user can satisfy it by renaming a device, it misses or
//! takes in unregistered devices, whose properties are all null). Warnings
//! and infos only, never errors.

use super::ast::{Comparison, Expr};
use super::diagnostics::{Collector, Diagnostic, DiagnosticKind};
use super::eval::{self, Device};
use super::format;
use super::mode::Mode;

pub(crate) fn lint(expr: &Expr, mode: Option<Mode>, diags: &mut Collector) {
    // A rule that can be satisfied by user-modifiable properties alone can be
    // satisfied by a user who renames their device.
    if !needs_system_property(expr) {
        if let Some(c) = expr.find(&|c| !c.property.spec().system) {
            diags.push(Diagnostic::new(
                DiagnosticKind::UserModifiableOnly {
                    property: c.property,
                },
                c.property_span,
            ));
        }
    }

    if let Some(c) = expr.find(&|c| c.property.spec().extension_attribute) {
        if expr.find(&is_state).is_none() {
            diags.push(Diagnostic::new(
                DiagnosticKind::ExtensionAttributeAvailability {
                    property: c.property,
                },
                c.property_span,
            ));
        }
    }

    let Some(mode) = mode else { return };
    let matches_unregistered = eval::eval(expr, &Device::unregistered());
    match mode {
        Mode::Include if !matches_unregistered => diags.push(Diagnostic::new(
            DiagnosticKind::IncludeMissesUnregistered,
            expr.span(),
        )),
        Mode::Exclude if matches_unregistered => {
            let at = expr
                .find(&|c| c.op.is_negative())
                .map_or(expr.span(), |c| c.op_span);
            diags.push(Diagnostic::new(
                DiagnosticKind::ExcludeMatchesUnregistered,
                at,
            ));
        }
        _ => {}
    }
    if mode == Mode::Include {
        or_of_negatives(expr, diags);
    }
}

/// True when every way of satisfying the rule involves a system-set property.
fn needs_system_property(e: &Expr) -> bool {
    // Comparisons are decided here rather than by a call each: most
    // operands are comparisons, and this walk runs on every keystroke.
    let operand = |x: &Expr| match x {
        Expr::Compare(c) => c.property.spec().system,
        _ => needs_system_property(x),
    };
    match e {
        Expr::Compare(c) => c.property.spec().system,
        Expr::And(xs, _) => xs.iter().any(operand),
        Expr::Or(xs, _) => xs.iter().all(operand),
    }
}

/// Compliance or join state: what makes extension attributes available.
fn is_state(c: &Comparison) -> bool {
    matches!(c.property.name(), "isCompliant" | "trustType")
}

/// `device.trustType -ne "ServerAD" -or device.isCompliant -ne True` in
/// include mode takes in every device that fails either test, including
/// compliant non-hybrid ones; "neither hybrid nor compliant" is `-and`.
fn or_of_negatives(e: &Expr, diags: &mut Collector) {
    // Only `-and`/`-or` operands are walked into: a comparison cannot hold
    // the pattern, and skipping the call for each keeps this walk cheap.
    let walk = |xs: &[Expr], diags: &mut Collector| {
        xs.iter()
            .filter(|x| !matches!(x, Expr::Compare(_)))
            .for_each(|x| or_of_negatives(x, diags))
    };
    match e {
        Expr::Compare(_) => {}
        Expr::And(xs, _) => walk(xs, diags),
        Expr::Or(xs, span) => {
            // Checked without collecting: this walk runs on every keystroke
            // and the warning is rare.
            let negative = |x: &Expr| matches!(x, Expr::Compare(c) if c.op.is_negative());
            let property = |x: &Expr| match x {
                Expr::Compare(c) => Some(c.property),
                _ => None,
            };
            let all_negative = xs.iter().all(negative);
            match xs.first() {
                Some(first)
                    if all_negative && xs.iter().any(|x| property(x) != property(first)) =>
                {
                    let replacement = xs
                        .iter()
                        .filter_map(|x| match x {
                            Expr::Compare(c) => Some(format::comparison(c)),
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                        .join(" -and ");
                    diags.push(
                        Diagnostic::new(DiagnosticKind::IncludeOrOfNegatives, *span).with_fix(
                            *span,
                            replacement,
                            "join with `-and`",
                        ),
                    );
                }
                _ => walk(xs, diags),
            }
        }
    }
}
