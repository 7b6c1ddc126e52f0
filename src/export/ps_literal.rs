//! PowerShell source text for data: the ONE place where a name, rule, id or JSON body
//! becomes PowerShell code.
//!
//! The rule (docs/graph.md#string-literals): data only ever appears inside single-quoted
//! (verbatim) literals. In `'…'` nothing expands (no `$(…)`, no `$var`, no backtick escape)
//! and the only special character is the single quote, escaped by doubling.
//!
//! Every script is pure ASCII. PowerShell's tokenizer treats `‘ ’ ‚ ‛` as single quotes too,
//! and the script's bytes are not always read as UTF-8: Windows PowerShell 5.1 reads a `.ps1`
//! without a byte-order mark in the ANSI code page, where the UTF-8 bytes of `Ò` (C3 92) read
//! as `Ã’` and `’` ends the literal; on a Japanese system (code page 932) the continuation byte
//! 0x81 followed by `e` reads as `‘`. A BOM fixes only the file it is written into: a script
//! copied from the page, or re-saved by an editor as BOM-less UTF-8, loses it. ASCII reads the
//! same in every one of those encodings, so the text itself is safe wherever it goes. Hence a
//! value's printable ASCII characters (and line feeds) stay in the literal as they are, and
//! every other character (non-ASCII, tabs, CR and the other control characters) is written as
//! its UTF-16 code unit, `[char]0x00D2`, joined with the literals around it:
//! `(-join ('Passkeys ', [char]0x00D2, '}; x'))` is one string expression wherever a literal
//! may stand (assignment, hashtable key or value, array element, command or method argument).
//! A flat list rather than a `+` chain: a long value gives a long list, not a deeply nested
//! expression for PowerShell's compiler to recurse through.
//!
//! Not used, on purpose:
//! - double-quoted strings: they expand `$(…)` (code execution) and have backtick escapes;
//! - here-strings `@'…'@`: a value containing a line that starts with a quote-class
//!   character followed by `@` ends them early. A single-quoted literal may span lines, so
//!   it does everything a here-string would, with one rule instead of two.

use serde_json::{Map, Value};
use std::fmt;

/// A value that cannot be written as PowerShell text: it contains U+0000.
///
/// PowerShell would accept `[char]0x0000`, but a NUL in a policy is never meant and many tools
/// cut text there, so the script would not show the value Graph receives; refusing it is the
/// honest answer. It is the only character refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NulCharacter {
    /// Where the value sits: a JSON pointer into the body (`/displayName`), or a label such
    /// as `group display name` for values that are not part of a body.
    pub location: String,
    /// 0-based index, in characters, of the first NUL in the value.
    pub char_index: usize,
}

impl fmt::Display for NulCharacter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: character {} is NUL (U+0000), which a PowerShell script does not carry (many \
             tools cut the text there); remove it from the value",
            self.location,
            self.char_index + 1
        )
    }
}

impl std::error::Error for NulCharacter {}

/// Whether `c` stands in a literal as itself: printable ASCII or a line feed. A line feed is
/// ASCII and ends no literal, and keeps a JSON body readable line by line.
fn is_plain(c: char) -> bool {
    matches!(c, ' '..='~' | '\n')
}

/// `s` as a PowerShell string expression: a single-quoted literal with every `'` doubled when
/// `s` holds only printable ASCII and line feeds; otherwise the `-join` of literals and
/// `[char]` codes described in the module comment. The result is always ASCII.
///
/// `location` only labels the error.
pub fn string_expr(s: &str, location: &str) -> Result<String, NulCharacter> {
    if let Some(char_index) = s.chars().position(|c| c == '\0') {
        return Err(NulCharacter {
            location: location.to_string(),
            char_index,
        });
    }
    if s.chars().all(is_plain) {
        let mut out = String::with_capacity(s.len() + 2);
        push_literal(&mut out, s);
        return Ok(out);
    }
    let mut out = String::with_capacity(s.len() * 2 + 10);
    out.push_str("(-join (");
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if rest.len() < s.len() {
            out.push_str(", ");
        }
        if is_plain(c) {
            let end = rest.find(|c| !is_plain(c)).unwrap_or(rest.len());
            push_literal(&mut out, &rest[..end]);
            rest = &rest[end..];
        } else {
            let mut units = [0u16; 2];
            for (i, unit) in c.encode_utf16(&mut units).iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&format!("[char]0x{unit:04X}"));
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out.push_str("))");
    Ok(out)
}

/// `'plain'`, with `'` doubled; `plain` holds only [`is_plain`] characters.
fn push_literal(out: &mut String, plain: &str) {
    out.push('\'');
    for c in plain.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
}

/// Text safe to place after `# ` in a line comment, in ASCII: control characters (CR, LF,
/// NEL and the rest) become spaces, so data can never step out of the comment into code, and
/// every other non-ASCII character is shown as its code point, `[U+00D2]`, so the script
/// stays ASCII (see the module comment) and a bidi override cannot reorder what the reader
/// sees. Long text is cut to `max_chars` characters and `...`; the comment only helps a
/// reader, the literal in the code is the real value.
pub fn comment_text(s: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == max_chars {
            out.push_str("...");
            break;
        }
        match c {
            ' '..='~' => out.push(c),
            c if c.is_control() || c.is_ascii() => out.push(' '),
            c => out.push_str(&format!("[U+{:04X}]", u32::from(c))),
        }
    }
    out
}

/// Indentation unit of the generated scripts.
const INDENT: &str = "    ";

/// Words that start a statement in PowerShell. A hashtable key spelled like one is quoted so
/// that no reader (human, PowerShell or a grammar) has to know where keywords are allowed.
const KEYWORDS: &[&str] = &[
    "begin",
    "break",
    "catch",
    "class",
    "clean",
    "configuration",
    "continue",
    "data",
    "define",
    "do",
    "dynamicparam",
    "else",
    "elseif",
    "end",
    "enum",
    "exit",
    "filter",
    "finally",
    "for",
    "foreach",
    "from",
    "function",
    "hidden",
    "if",
    "in",
    "inlinescript",
    "parallel",
    "param",
    "process",
    "return",
    "sequence",
    "static",
    "switch",
    "throw",
    "trap",
    "try",
    "until",
    "using",
    "var",
    "while",
    "workflow",
];

/// Whether a hashtable key can be written bare: an ASCII identifier that is not a keyword.
fn is_bare_key(key: &str) -> bool {
    let mut chars = key.chars();
    let first_ok = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_');
    first_ok
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&key.to_ascii_lowercase().as_str())
}

/// A JSON value as a PowerShell expression: objects as `@{ key = value }` hashtables, arrays
/// as `@(…)` (always, even for one element: a bare scalar is sent as a JSON string by
/// `Invoke-MgGraphRequest`; docs/graph.md#bodies), `$true`/`$false`/`$null`, numbers as written, strings as
/// [`string_expr`] expressions. `indent` is the nesting level of the line the value starts on;
/// continuation lines are indented one level deeper. Errors name the JSON pointer of the
/// offending string.
pub fn value(v: &Value, indent: usize) -> Result<String, NulCharacter> {
    let mut out = String::new();
    write_value(&mut out, v, indent, &mut String::new())?;
    Ok(out)
}

fn write_value(
    out: &mut String,
    v: &Value,
    indent: usize,
    pointer: &mut String,
) -> Result<(), NulCharacter> {
    match v {
        Value::Null => out.push_str("$null"),
        Value::Bool(true) => out.push_str("$true"),
        Value::Bool(false) => out.push_str("$false"),
        // serde_json prints integers and finite floats (`4`, `-1`, `2.5`, `1e+20`) in forms
        // PowerShell's number tokenizer reads back as the same value.
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => out.push_str(&string_expr(s, pointer_label(pointer))?),
        Value::Array(items) => write_array(out, items, indent, pointer)?,
        Value::Object(map) => write_object(out, map, indent, pointer)?,
    }
    Ok(())
}

fn pointer_label(pointer: &str) -> &str {
    if pointer.is_empty() {
        "/"
    } else {
        pointer
    }
}

fn write_array(
    out: &mut String,
    items: &[Value],
    indent: usize,
    pointer: &mut String,
) -> Result<(), NulCharacter> {
    let is_scalar = |v: &Value| !matches!(v, Value::Array(_) | Value::Object(_));
    if items.iter().all(is_scalar) {
        out.push_str("@(");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            with_segment(pointer, &i.to_string(), |p| {
                write_value(out, item, indent, p)
            })?;
        }
        out.push(')');
        return Ok(());
    }
    out.push_str("@(\n");
    for (i, item) in items.iter().enumerate() {
        push_indent(out, indent + 1);
        // `@(…)` flattens arrays it collects; a lone nested array needs the unary comma to
        // stay one element (`@(,@('a'))` is an array holding an array). With two or more
        // elements the binary commas already keep nested arrays whole.
        if items.len() == 1 && matches!(item, Value::Array(_)) {
            out.push(',');
        }
        with_segment(pointer, &i.to_string(), |p| {
            write_value(out, item, indent + 1, p)
        })?;
        if i + 1 < items.len() {
            out.push(',');
        }
        out.push('\n');
    }
    push_indent(out, indent);
    out.push(')');
    Ok(())
}

fn write_object(
    out: &mut String,
    map: &Map<String, Value>,
    indent: usize,
    pointer: &mut String,
) -> Result<(), NulCharacter> {
    if map.is_empty() {
        out.push_str("@{}");
        return Ok(());
    }
    out.push_str("@{\n");
    for (key, item) in map {
        push_indent(out, indent + 1);
        with_segment(pointer, &escape_pointer(key), |p| {
            if is_bare_key(key) {
                out.push_str(key);
            } else {
                out.push_str(&string_expr(key, pointer_label(p))?);
            }
            out.push_str(" = ");
            write_value(out, item, indent + 1, p)
        })?;
        out.push('\n');
    }
    push_indent(out, indent);
    out.push('}');
    Ok(())
}

fn push_indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str(INDENT);
    }
}

/// Runs `f` with `segment` appended to the JSON pointer, then restores it.
fn with_segment<T>(pointer: &mut String, segment: &str, f: impl FnOnce(&mut String) -> T) -> T {
    let len = pointer.len();
    pointer.push('/');
    pointer.push_str(segment);
    let result = f(pointer);
    pointer.truncate(len);
    result
}

/// RFC 6901 escaping of one pointer segment.
fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ascii_stays_one_literal_with_quotes_doubled() {
        let s = "a'b \"$(x) ${env:X} `n#>\nnext line";
        let want = format!("'{}'", s.replace('\'', "''"));
        assert_eq!(string_expr(s, "x").unwrap(), want);
        assert_eq!(string_expr("", "x").unwrap(), "''");
    }

    #[test]
    fn other_characters_become_char_codes_joined_with_literals() {
        assert_eq!(
            string_expr("Passkeys \u{d2}}; x", "x").unwrap(),
            "(-join ('Passkeys ', [char]0x00D2, '}; x'))"
        );
        // Unicode single quotes, CR and tabs too.
        assert_eq!(
            string_expr("\u{2019}a\r\tb'", "x").unwrap(),
            "(-join ([char]0x2019, 'a', [char]0x000D, [char]0x0009, 'b'''))"
        );
        // Outside the BMP: the two UTF-16 code units.
        assert_eq!(
            string_expr("\u{1f510}", "x").unwrap(),
            "(-join ([char]0xD83D, [char]0xDD10))"
        );
    }

    #[test]
    fn nul_is_rejected_with_its_position() {
        let err = string_expr("ab\0c", "/displayName").unwrap_err();
        assert_eq!(
            err,
            NulCharacter {
                location: "/displayName".into(),
                char_index: 2
            }
        );
        assert!(err
            .to_string()
            .starts_with("/displayName: character 3 is NUL"));
    }

    #[test]
    fn comment_text_cannot_break_the_line() {
        let got = comment_text("a\nb\rc\u{2028}d\u{85}e\u{202e}f", 100);
        assert_eq!(got, "a b c[U+2028]d e[U+202E]f");
        assert_eq!(comment_text("abcdef", 3), "abc...");
    }

    #[test]
    fn value_writes_hashtables_and_arrays() {
        let v = json!({
            "displayName": "O'Brien",
            "@odata.type": "#x",
            "if": 1,
            "list": ["All"],
            "empty": [],
            "flags": [true, false, null],
            "objs": [{"a": 1}],
            "nested": [["a"]],
            "obj": {}
        });
        let got = value(&v, 0).unwrap();
        let want = "@{
    displayName = 'O''Brien'
    '@odata.type' = '#x'
    'if' = 1
    list = @('All')
    empty = @()
    flags = @($true, $false, $null)
    objs = @(
        @{
            a = 1
        }
    )
    nested = @(
        ,@('a')
    )
    obj = @{}
}";
        assert_eq!(got, want);
    }

    #[test]
    fn value_errors_name_the_json_pointer() {
        let v =
            json!({"conditions": {"users": {"excludeUsers": ["ok", "b\0d"]}}, "a/b": {"c~": "\0"}});
        let err = value(&v, 0).unwrap_err();
        assert_eq!(err.location, "/conditions/users/excludeUsers/1");
        let v = json!({"a/b": {"c~": "\0"}});
        assert_eq!(value(&v, 0).unwrap_err().location, "/a~1b/c~0");
    }
}
