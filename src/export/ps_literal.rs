//! PowerShell source text for data: the ONE place where a name, rule, id or JSON body
//! becomes PowerShell code.
//!
//! The rule (powershell-graph.md §B): data only ever appears inside single-quoted
//! (verbatim) literals. In `'…'` nothing expands — no `$(…)`, no `$var`, no backtick escape —
//! and the only special character is the single quote, escaped by doubling. PowerShell's
//! tokenizer (`CharTraits.IsSingleQuote`) treats FIVE characters as a single quote, so a
//! `’` pasted from a word processor ends a `'…'` literal exactly like `'` does; each of them
//! is doubled here. Doubling a quote *with itself* keeps the original character: the
//! tokenizer keeps the second of the pair.
//!
//! Not used, on purpose:
//! - double-quoted strings: they expand `$(…)` (code execution) and have backtick escapes;
//! - here-strings `@'…'@`: a value containing a line that starts with a quote-class
//!   character followed by `@` ends them early. A single-quoted literal may span lines, so
//!   it does everything a here-string would, with one rule instead of two.

use serde_json::{Map, Value};
use std::fmt;

/// Characters PowerShell's tokenizer treats as a single quote (`IsSingleQuote`).
pub const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

/// Characters PowerShell's tokenizer treats as a double quote (`IsDoubleQuote`). Note the
/// asymmetry: U+201F is *not* one of them.
pub const DOUBLE_QUOTES: [char; 4] = ['"', '\u{201C}', '\u{201D}', '\u{201E}'];

/// Whether PowerShell treats `c` as a single quote.
pub fn is_single_quote(c: char) -> bool {
    SINGLE_QUOTES.contains(&c)
}

/// Whether PowerShell treats `c` as a double quote.
pub fn is_double_quote(c: char) -> bool {
    DOUBLE_QUOTES.contains(&c)
}

/// A value that cannot be written as PowerShell text: it contains U+0000.
///
/// PowerShell's tokenizer would accept a NUL inside a literal, but the script has to travel
/// through a clipboard, an editor and a file; NUL truncates or corrupts text on most of those
/// paths, and the reference (§B.2) allows rejecting it. It is the only character refused.
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
            "{}: character {} is NUL (U+0000), which a PowerShell script cannot carry safely \
             (clipboards and editors cut the text there); remove it from the value",
            self.location,
            self.char_index + 1
        )
    }
}

impl std::error::Error for NulCharacter {}

/// `s` as a single-quoted PowerShell literal: wrapped in ASCII `'`, every single-quote-class
/// character doubled, everything else (newlines, `$`, backticks, `"`, `#`, dashes) verbatim.
///
/// `location` only labels the error.
pub fn single_quoted(s: &str, location: &str) -> Result<String, NulCharacter> {
    if let Some(char_index) = s.chars().position(|c| c == '\0') {
        return Err(NulCharacter {
            location: location.to_string(),
            char_index,
        });
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if is_single_quote(c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    Ok(out)
}

/// Text safe to place after `# ` in a line comment: characters that end a line (or that some
/// tool might treat as a line break) become spaces, so data can never step out of the comment
/// into code. Long text is cut to `max_chars` characters with an ellipsis; the comment only
/// helps a reader, the literal in the code is the real value.
pub fn comment_text(s: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == max_chars {
            out.push('…');
            break;
        }
        // `is_control` covers CR, LF, U+0085 (NEL) and the other C0/C1 controls.
        let breaks = c.is_control() || c == '\u{2028}' || c == '\u{2029}';
        out.push(if breaks { ' ' } else { c });
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
/// `Invoke-MgGraphRequest`, §C.1), `$true`/`$false`/`$null`, numbers as written, strings as
/// [`single_quoted`] literals. `indent` is the nesting level of the line the value starts on;
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
        Value::String(s) => out.push_str(&single_quoted(s, pointer_label(pointer))?),
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
                out.push_str(&single_quoted(key, pointer_label(p))?);
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
    fn every_single_quote_kind_is_doubled_with_itself() {
        let got = single_quoted("a'b‘c’d‚e‛f", "x").unwrap();
        assert_eq!(got, "'a''b‘‘c’’d‚‚e‛‛f'");
    }

    #[test]
    fn double_quotes_dollars_backticks_and_newlines_stay_verbatim() {
        let s = "\"“”„ $(x) ${env:X} `n\r\n#>";
        assert_eq!(single_quoted(s, "x").unwrap(), format!("'{s}'"));
    }

    #[test]
    fn nul_is_rejected_with_its_position() {
        let err = single_quoted("ab\0c", "/displayName").unwrap_err();
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
        let got = comment_text("a\nb\rc\u{2028}d\u{85}e", 100);
        assert!(!got.contains(['\n', '\r', '\u{2028}', '\u{85}']));
        assert_eq!(comment_text("abcdef", 3), "abc…");
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
