//! The Conditional Access "filter for devices" rule language
//! (<https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices>):
//! lexer → parser → AST with byte spans, semantic checks against one
//! property catalogue, advisory lint, a canonical formatter and an
//! evaluator. Every diagnostic is a `DiagnosticKind`; `docs/diagnostics.md`
//! documents their codes.
//!
//! The web UI calls `check` on every keystroke; the CLI wraps the same API.

pub mod ast;
pub mod catalogue;
pub mod diagnostics;
pub mod display;
pub mod eval;
pub mod format;
mod lexer;
mod lint;
pub mod mode;
mod parser;
pub mod render;
mod suggest;
pub mod text;
mod validate;

pub use ast::{Comparison, Expr, Literal, Op, Span};
pub use catalogue::{Prop, PropertySpec, ValueKind, PROPERTIES};
pub use diagnostics::{line_col, Diagnostic, DiagnosticKind, Fix, Severity, MAX_DIAGNOSTICS};
pub use display::escape_for_display;
pub use eval::{applies_to_device, eval, Device, Value};
pub use mode::Mode;
pub use parser::MAX_DEPTH;
pub use render::render;
pub use text::Text;

use diagnostics::RuleLength;

/// The service's limit: "The maximum length for the filter rule is 3072 characters".
pub const MAX_RULE_CHARS: usize = 3072;

/// A rule longer than this is checked only up to here (after saying it is
/// too long), so a pasted megabyte costs no more than this. 3072 characters
/// take at most 12,288 bytes, so every rule the service can store is
/// checked whole.
pub const MAX_CHECKED_BYTES: usize = 16 * 1024;

/// The result of checking a rule.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The tree, present exactly when no diagnostic is an error.
    pub ast: Option<Expr>,
    /// Sorted by position; errors, warnings and infos. At most
    /// `MAX_DIAGNOSTICS`, and when more were found one `too-many-diagnostics`
    /// that counts them, at the first left out.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// No errors (warnings and infos allowed): the rule can be saved.
    pub fn is_valid(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// Checks a rule: syntax, catalogue, and (given the policy's mode) the
/// advisory lint. Never panics, whatever the input; the work, the memory and
/// the diagnostics are bounded (`MAX_CHECKED_BYTES`, `MAX_DEPTH`,
/// `MAX_DIAGNOSTICS`) however long the rule is.
pub fn check(rule: &str, mode: Option<Mode>) -> Checked {
    let mut diagnostics = diagnostics::Collector::new();
    // Past the cap nothing is scanned whole, not even to trim it.
    if rule.len() <= MAX_CHECKED_BYTES && rule.trim().is_empty() {
        diagnostics.push(Diagnostic::new(
            DiagnosticKind::EmptyRule,
            Span::new(0, rule.len()),
        ));
        return Checked {
            ast: None,
            diagnostics: diagnostics.finish(),
        };
    }
    // Chars never outnumber bytes, so only a long byte string needs counting.
    let over = if rule.len() > MAX_RULE_CHARS {
        rule.char_indices().nth(MAX_RULE_CHARS)
    } else {
        None
    };
    let mut checked = rule;
    if let Some((at, _)) = over {
        let length = if rule.len() <= MAX_CHECKED_BYTES {
            RuleLength::Chars(rule.chars().count())
        } else {
            checked = checked_part(rule);
            RuleLength::Bytes {
                total: rule.len(),
                checked: checked.len(),
            }
        };
        diagnostics.push_pinned(Diagnostic::new(
            DiagnosticKind::RuleTooLong(length),
            Span::new(at, rule.len()),
        ));
        if checked.len() < rule.len() {
            diagnostics.set_cut(checked.len());
        }
    }
    let parsed = lexer::with_tokens(checked, &mut diagnostics, |tokens, diagnostics| {
        if tokens.is_empty() && !diagnostics.has_errors() {
            // Only invisible characters (a BOM, zero-width spaces).
            diagnostics.push(Diagnostic::new(
                DiagnosticKind::EmptyRule,
                Span::new(0, rule.len()),
            ));
        }
        parser::parse(checked, tokens, diagnostics)
    });
    let ast = parsed.filter(|_| !diagnostics.has_errors());
    if let Some(e) = &ast {
        lint::lint(e, mode, &mut diagnostics);
    }
    Checked {
        ast,
        diagnostics: diagnostics.finish(),
    }
}

/// The first `MAX_CHECKED_BYTES` of an over-long rule, cut at its last space
/// when that is in the second half, so the cut splits no word.
fn checked_part(rule: &str) -> &str {
    let head = &rule[..diagnostics::floor_char_boundary(rule, MAX_CHECKED_BYTES)];
    match head.rfind(char::is_whitespace) {
        Some(i) if i > head.len() / 2 => head[..i].trim_end(),
        _ => head,
    }
}

fn errors_of(checked: Checked) -> Vec<Diagnostic> {
    checked
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect()
}

/// The canonical form of a valid rule, or its errors.
pub fn format(rule: &str) -> Result<String, Vec<Diagnostic>> {
    let checked = check(rule, None);
    match &checked.ast {
        Some(e) => Ok(format::expr(e)),
        None => Err(errors_of(checked)),
    }
}

/// Whether a valid rule matches the device, or the rule's errors.
pub fn evaluate(rule: &str, device: &Device) -> Result<bool, Vec<Diagnostic>> {
    let checked = check(rule, None);
    match &checked.ast {
        Some(e) => Ok(eval::eval(e, device)),
        None => Err(errors_of(checked)),
    }
}

/// Applies a fix to the rule it was computed for.
pub fn apply_fix(rule: &str, fix: &Fix) -> String {
    let start = fix.span.start.min(rule.len());
    let end = fix.span.end.clamp(start, rule.len());
    let mut out = String::with_capacity(rule.len() + fix.replacement.len());
    out.push_str(&rule[..start]);
    out.push_str(&fix.replacement);
    out.push_str(&rule[end..]);
    out
}
