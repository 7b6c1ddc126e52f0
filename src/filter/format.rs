//! The canonical form: `device.` + canonical property casing, hyphenated
//! operators in canonical casing, unquoted `True`/`False`, double quotes,
//! lists as `["a", "b"]`, single spaces, and parentheses only where meaning
//! needs them (an `-or` group inside an `-and`).

use std::fmt::Write as _;

use super::ast::{Comparison, Expr, Literal};
use super::text::Text;

pub fn expr(e: &Expr) -> String {
    let mut out = String::with_capacity(64);
    write_expr(&mut out, e);
    out
}

fn write_expr(out: &mut String, e: &Expr) {
    match e {
        Expr::Or(xs, _) => join(out, xs, " -or ", false),
        Expr::And(xs, _) => join(out, xs, " -and ", true),
        Expr::Compare(c) => write_comparison(out, c),
    }
}

fn join(out: &mut String, xs: &[Expr], sep: &str, in_and: bool) {
    for (i, x) in xs.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        let paren = in_and && matches!(x, Expr::Or(..));
        if paren {
            out.push('(');
        }
        write_expr(out, x);
        if paren {
            out.push(')');
        }
    }
}

pub fn comparison(c: &Comparison) -> String {
    let mut out = String::new();
    write_comparison(&mut out, c);
    out
}

fn write_comparison(out: &mut String, c: &Comparison) {
    let _ = write!(out, "device.{} {} ", c.property.name(), c.op.canonical());
    match &c.value {
        Literal::Str(s) => {
            let _ = write!(out, "\"{s}\"");
        }
        Literal::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Literal::List(items) => out.push_str(&list(items.iter().map(Text::as_str))),
    }
}

/// `["a", "b"]`
pub fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from("[");
    for (i, s) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "\"{s}\"");
    }
    out.push(']');
    out
}
