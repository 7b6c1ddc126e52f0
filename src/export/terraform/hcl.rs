//! The only place that turns data into HCL source text: string literals by HCL's escaping
//! rules, object keys, identifiers, and JSON values as HCL expressions.
//!
//! A quoted HCL string is a template: `${` starts an interpolation and `%{` a directive, so
//! each is written doubled (`$${`, `%%{`), which HCL reads back as the literal characters.
//! Backslash, quote, and the characters a terminal or an editor would act on (controls,
//! bidi overrides) are escaped (`\\`, `\"`, `\n`, `\uNNNN`, `\UNNNNNNNN`), so every string
//! comes back exactly and the text shows what it holds.

use std::fmt::Write;

use serde_json::Value;

use crate::filter::display::needs_escape;

/// `s` as a quoted HCL string literal.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if needs_escape(c) || c.is_control() => {
                // `write!` to a String cannot fail.
                let _ = if (c as u32) <= 0xffff {
                    write!(out, "\\u{:04X}", c as u32)
                } else {
                    write!(out, "\\U{:08X}", c as u32)
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `s` can stand bare as an HCL identifier (ASCII only, so a name reads the same in
/// every editor).
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// An object key: bare when it is an identifier (but not a literal keyword, which would
/// read as its value), otherwise quoted.
pub fn key(k: &str) -> String {
    if is_identifier(k) && !matches!(k, "true" | "false" | "null") {
        k.to_string()
    } else {
        string(k)
    }
}

/// Writes `v` as an HCL expression; `indent` is the depth of the line it starts on. Objects
/// and lists of objects take one line per member; lists of scalars stay on one line.
pub fn value(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => out.push_str(&string(s)),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) if items.iter().all(|x| !x.is_array() && !x.is_object()) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                value(x, indent, out);
            }
            out.push(']');
        }
        Value::Array(items) => {
            out.push_str("[\n");
            for x in items {
                pad(indent + 1, out);
                value(x, indent + 1, out);
                out.push_str(",\n");
            }
            pad(indent, out);
            out.push(']');
        }
        Value::Object(o) if o.is_empty() => out.push_str("{}"),
        Value::Object(o) => {
            out.push_str("{\n");
            for (k, x) in o {
                pad(indent + 1, out);
                out.push_str(&key(k));
                out.push_str(" = ");
                value(x, indent + 1, out);
                out.push('\n');
            }
            pad(indent, out);
            out.push('}');
        }
    }
}

/// Two spaces per level, as `terraform fmt` writes.
pub fn pad(indent: usize, out: &mut String) {
    for _ in 0..indent {
        out.push_str("  ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_and_escapes_are_doubled_or_escaped() {
        assert_eq!(string("a${b}%{c}"), r#""a$${b}%%{c}""#);
        assert_eq!(string("$$${x"), r#""$$$${x""#);
        assert_eq!(string("$ {} %"), r#""$ {} %""#);
        assert_eq!(string("q\"\\\n\r\t"), r#""q\"\\\n\r\t""#);
        assert_eq!(
            string("\u{1b}[2J\u{202e}\u{0}"),
            r#""\u001B[2J\u202E\u0000""#
        );
        assert_eq!(string("é🔐"), "\"é🔐\"");
        assert_eq!(string("\u{e0041}"), r#""\U000E0041""#);
    }

    #[test]
    fn keys_are_bare_only_when_they_can_be() {
        assert_eq!(key("includeUsers"), "includeUsers");
        assert_eq!(key("@odata.type"), r#""@odata.type""#);
        assert_eq!(key("null"), r#""null""#);
        assert_eq!(key("1x"), r#""1x""#);
    }
}
