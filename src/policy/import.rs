//! Reading policy files: encoding detection, document shape, and errors with line:column
//! ([`Located`]: 1-based, counted in characters of the decoded text; for undecodable bytes, in
//! the text decoded before them).
//!
//! Files in the wild are UTF-8, UTF-8 with BOM (PowerShell 5 `Out-File -Encoding utf8`) and
//! UTF-16LE with BOM (IntuneManagement exports); they hold one policy, an array of policies, or
//! a Graph list response `{ "value": [...] }`.

use serde_json::Value;

use super::keys::first_collision;
use super::model::{json_kind, Json, Policy};
use crate::filter::escape_for_display as visible;
use crate::located::{line_column_at, Located};

/// What the input document looked like, so a front end can print the same shape back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One policy object.
    Single,
    /// A JSON array of policies.
    Array,
    /// A Graph list response; the policies are its `value` array.
    ListResponse,
}

/// An imported document.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub shape: Shape,
    pub policies: Vec<Policy>,
}

impl Imported {
    /// The policies as JSON in the input's shape: the object for [`Shape::Single`], otherwise an
    /// array (a list response gives its `value` array; the envelope is not a policy).
    pub fn to_value(&self) -> Value {
        match (self.shape, self.policies.as_slice()) {
            (Shape::Single, [p]) => p.to_value(),
            _ => Value::Array(self.policies.iter().map(Policy::to_value).collect()),
        }
    }
}

/// Imports policies from file bytes; see [`import_document`] for the shape.
pub fn import_bytes(bytes: &[u8]) -> Result<Vec<Policy>, Located> {
    import_document(bytes).map(|d| d.policies)
}

/// Decodes, parses and types a policy document.
pub fn import_document(bytes: &[u8]) -> Result<Imported, Located> {
    let text = decode(bytes)?;
    import_str(&text)
}

/// Parses and types an already-decoded policy document.
pub fn import_str(text: &str) -> Result<Imported, Located> {
    // A BOM that survived decoding (e.g. text pasted from a file) is not JSON whitespace.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value = parse_json(text)?;
    match value {
        Value::Array(items) => Ok(Imported { shape: Shape::Array, policies: policies(text, items, None)? }),
        Value::Object(mut obj) if !obj.contains_key("conditions") && obj.get("value").is_some_and(Value::is_array) => {
            let items = match obj.shift_remove("value") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(), // checked by the guard
            };
            Ok(Imported { shape: Shape::ListResponse, policies: policies(text, items, Some("value"))? })
        }
        Value::Object(_) => {
            let p = policy(text, value, None, "the document")?;
            Ok(Imported { shape: Shape::Single, policies: vec![p] })
        }
        other => Err(Located {
            line: 1,
            column: first_token_column(text),
            message: format!(
                "expected a policy object, an array of policies or a Graph list response {{\"value\": [...]}}, found {}",
                json_kind(&other)
            ),
        }),
    }
}

/// Parses JSON text the way every reader of policies must: a syntax error (including nesting
/// deeper than serde_json's limit of 128) located in characters, keys that collide in one
/// object refused (see [`check_keys`]), and numbers that would not come back as written
/// refused. For any policy JSON from outside: files, pastes, Graph responses, saved drafts.
pub fn parse_json(text: &str) -> Result<Value, Located> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let (line, column) = char_column(text, e.line(), e.column());
        Located {
            line,
            column,
            message: syntax_message(&e),
        }
    })?;
    check_keys(text)?;
    check_numbers(text, &value)?;
    Ok(value)
}

/// Refuses a number that would not be written back as it was read. Numbers are held as
/// 64-bit integers or doubles, which give back every integer in range and every decimal in
/// its shortest form (`4`, `-17`, `0.1`, `1e-7`), but not `-0`, `1.50`, `1E+2` or an integer
/// past 64 bits: exported, those would change without a word. A `Value` keeps document order
/// and the keys are unique (checked before), so the n-th number token of the text is the
/// n-th number of a walk of the value.
fn check_numbers(text: &str, value: &Value) -> Result<(), Located> {
    let mut tokens = number_tokens(text);
    let mut bad = None;
    // Depth is bounded: serde_json refused anything nested more than 128 levels.
    fn walk<'t>(
        v: &Value,
        tokens: &mut impl Iterator<Item = (usize, &'t str)>,
        bad: &mut Option<(usize, &'t str, String)>,
    ) {
        match v {
            Value::Number(n) => {
                if let Some((at, token)) = tokens.next() {
                    let written = n.to_string();
                    if bad.is_none() && written != token {
                        *bad = Some((at, token, written));
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|x| walk(x, tokens, bad)),
            Value::Object(o) => o.values().for_each(|x| walk(x, tokens, bad)),
            _ => {}
        }
    }
    walk(value, &mut tokens, &mut bad);
    let Some((at, token, written)) = bad else {
        return Ok(());
    };
    let (line, column) = line_column_at(text, at);
    Err(Located {
        line,
        column,
        message: format!(
            "the number {token} cannot be kept as written: it would be exported as {written}; \
             write it as {written}, or as the value you mean"
        ),
    })
}

/// The number tokens of JSON text with their byte offsets, in order (strings skipped).
fn number_tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(&c) = b.get(i) {
            match c {
                b'"' => {
                    i += 1;
                    while let Some(&c) = b.get(i) {
                        i += if c == b'\\' { 2 } else { 1 };
                        if c == b'"' {
                            break;
                        }
                    }
                }
                b'-' | b'0'..=b'9' => {
                    let start = i;
                    while b.get(i).is_some_and(|c| {
                        matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                    }) {
                        i += 1;
                    }
                    return text.get(start..i).map(|t| (start, t));
                }
                _ => i += 1,
            }
        }
        None
    })
}

/// Refuses two keys of one object that are equal, or equal but for case, at any depth, naming
/// both by JSON Pointer and position; the error's own position is the second key's.
///
/// A JSON reader keeps one of two equal keys without a word (serde_json the last), so the
/// policy reviewed is not the one sent. PowerShell hashtables ignore case, so the SDK script
/// of `state` and `State` does not parse, while the JSON and Invoke exports send both and
/// which one Graph honours is unknown: the admin could review Report-only and deploy On.
pub fn check_keys(text: &str) -> Result<(), Located> {
    let Some(c) = first_collision(text) else {
        return Ok(());
    };
    let (l1, c1) = line_column_at(text, c.first.1);
    let (line, column) = line_column_at(text, c.second.1);
    let (first, second) = (visible(&c.first.0), visible(&c.second.0));
    let message = if c.exact {
        format!(
            "the key {second} appears twice in one object ({l1}:{c1} and {line}:{column}); \
             a JSON reader keeps one of the two values without saying which, so remove one"
        )
    } else {
        format!(
            "the keys {first} ({l1}:{c1}) and {second} ({line}:{column}) differ only by case; \
             PowerShell hashtables ignore case, so the SDK script would not run, and a JSON \
             request would send both, of which Graph honours one; keep one"
        )
    };
    Err(Located {
        line,
        column,
        message,
    })
}

fn policies(text: &str, items: Vec<Value>, wrapper: Option<&str>) -> Result<Vec<Policy>, Located> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let path = match wrapper {
                Some(w) => format!("{w}[{i}]"),
                None => format!("[{i}]"),
            };
            policy(text, v, Some((wrapper, i)), &path)
        })
        .collect()
}

/// Types one policy. A policy is an object with a `conditions` property (Graph requires it on
/// every policy); anything else, e.g. a named location imported by mistake, is an error at the
/// item's position.
fn policy(
    text: &str,
    v: Value,
    item: Option<(Option<&str>, usize)>,
    path: &str,
) -> Result<Policy, Located> {
    let problem = match &v {
        Value::Object(o) if o.contains_key("conditions") => None,
        Value::Object(_) => Some("an object without \"conditions\"".to_string()),
        other => Some(json_kind(other).to_string()),
    };
    if let Some(found) = problem {
        let offset = item.and_then(|(w, i)| locate_item(text, w, i)).unwrap_or(0);
        let (line, column) = line_column_at(text, offset);
        return Err(Located {
            line,
            column,
            message: format!("{path} is not a conditional access policy: expected an object with \"conditions\", found {found}"),
        });
    }
    // An object (checked above) always types: every property is a `Field`, which keeps
    // mismatched values. Taken as it is, not copied through a deserializer (see `Json`).
    Policy::from_json(v).map_err(|v| Located {
        line: 1,
        column: 1,
        message: format!(
            "{path} is not a conditional access policy: found {}",
            json_kind(&v)
        ),
    })
}

fn syntax_message(e: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; we report the position ourselves, in characters.
    let s = e.to_string();
    let msg = match s.rfind(" at line ") {
        Some(i) => &s[..i],
        None => &s,
    };
    if msg == "recursion limit exceeded" {
        return "invalid JSON: nested more than 128 levels deep (a policy needs about 6); \
                this is not a policy file"
            .into();
    }
    format!("invalid JSON: {}", visible(msg))
}

/// Decodes by BOM: UTF-8 BOM, UTF-16LE/BE BOM; without a BOM, UTF-16 is recognised by the NUL
/// bytes ASCII JSON text has in it (RFC 4627 §3), otherwise UTF-8.
pub fn decode(bytes: &[u8]) -> Result<String, Located> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return utf16(rest, u16::from_be_bytes);
    }
    match bytes {
        [a, 0, ..] if *a != 0 => utf16(bytes, u16::from_le_bytes),
        [0, b, ..] if *b != 0 => utf16(bytes, u16::from_be_bytes),
        _ => utf8(bytes),
    }
}

fn utf8(bytes: &[u8]) -> Result<String, Located> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let (good, bad) = bytes.split_at(e.valid_up_to());
            let good = std::str::from_utf8(good).unwrap_or_default(); // valid by definition
            let (line, column) = line_column_at(good, good.len());
            Err(Located {
                line,
                column,
                message: format!(
                    "the file is not valid UTF-8 (byte 0x{:02x} at offset {}); save it as UTF-8 or UTF-16 with a BOM",
                    bad.first().copied().unwrap_or_default(),
                    e.valid_up_to()
                ),
            })
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, Located> {
    let mut out = String::with_capacity(bytes.len() / 2);
    for c in char::decode_utf16(
        bytes
            .chunks(2)
            .map(|c| unit([c[0], *c.get(1).unwrap_or(&0)])),
    ) {
        match c {
            Ok(c) => out.push(c),
            Err(e) => {
                let (line, column) = line_column_at(&out, out.len());
                return Err(Located {
                    line,
                    column,
                    message: format!(
                        "the UTF-16 text has an unpaired surrogate 0x{:04x}",
                        e.unpaired_surrogate()
                    ),
                });
            }
        }
    }
    if bytes.len() % 2 == 1 {
        let (line, column) = line_column_at(&out, out.len());
        return Err(Located {
            line,
            column,
            message: "the UTF-16 text ends in half a character (odd byte count)".into(),
        });
    }
    Ok(out)
}

/// serde_json reports 1-based lines and byte columns; report characters instead, so a
/// position after a non-ASCII display name points where an editor shows it.
fn char_column(text: &str, line: usize, byte_col: usize) -> (usize, usize) {
    let Some(l) = text.split('\n').nth(line.saturating_sub(1)) else {
        return (line, byte_col.max(1));
    };
    // serde_json's column counts the bytes read on the line, the offending one included (0 when
    // it stopped at a newline). If that byte starts a multi-byte character, count it whole.
    let mut end = byte_col.min(l.len());
    let mut split_char = 0;
    while !l.is_char_boundary(end) {
        end -= 1;
        split_char = 1;
    }
    (line, (l[..end].chars().count() + split_char).max(1))
}

fn first_token_column(text: &str) -> usize {
    let first_line = text.split('\n').next().unwrap_or("");
    first_line.chars().take_while(|c| c.is_whitespace()).count() + 1
}

/// Byte offset of the start of element `index` of the top-level array (or of the array under
/// the top-level key `wrapper`). A small scanner is enough: the text already parsed as JSON.
pub fn locate_item(text: &str, wrapper: Option<&str>, index: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut depth = 0usize;
    // Depth of the array whose elements we count, once found.
    let target_depth = if wrapper.is_some() { 2 } else { 1 };
    let mut in_target = wrapper.is_none();
    let mut count = 0usize;
    let mut expecting_element = false;
    let mut last_key: Option<&str> = None;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if expecting_element && depth == target_depth && in_target && c != b']' {
            if count == index {
                return Some(i);
            }
            expecting_element = false;
        }
        match c {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 && wrapper.is_some() {
                    last_key = text.get(start..i);
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if c == b'[' && depth == target_depth {
                    if let Some(w) = wrapper {
                        in_target = last_key == Some(w);
                    }
                    if in_target {
                        expecting_element = true;
                        count = 0;
                    }
                }
            }
            b']' | b'}' => {
                if depth == target_depth && in_target && c == b']' && wrapper.is_some() {
                    in_target = false;
                }
                depth = depth.saturating_sub(1);
            }
            b',' if depth == target_depth && in_target => {
                count += 1;
                expecting_element = true;
            }
            _ => {}
        }
        i += 1;
    }
    None
}
