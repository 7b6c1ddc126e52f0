//! Reading the proof's input files the way `policy::import` reads policies: UTF-8 or UTF-16
//! with or without BOM, keys that collide refused, and every error at its line:column in
//! characters. A list may be a JSON array, a Graph list response `{"value": [...]}` or one
//! object.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::located::Located;
use crate::policy::import::{decode, parse_json};

/// The decoded text (BOM removed) and its JSON value, syntax and duplicate keys checked.
pub(super) fn text_and_value(bytes: &[u8]) -> Result<(String, Value), Located> {
    let text = decode(bytes)?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let value = parse_json(&text)?;
    Ok((text, value))
}

/// Where a list's items are in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ListShape {
    Array,
    /// `{"value": [...]}`.
    ListResponse,
    Single,
}

pub(super) fn shape(v: &Value) -> ListShape {
    match v {
        Value::Array(_) => ListShape::Array,
        Value::Object(o) if o.get("value").is_some_and(Value::is_array) => ListShape::ListResponse,
        _ => ListShape::Single,
    }
}

#[derive(Deserialize)]
struct ListResponse<T> {
    value: Vec<T>,
}

/// The items of a list document, typed by serde so a value of the wrong type is reported at
/// its line:column.
pub(super) fn typed_list<T: DeserializeOwned>(text: &str, v: &Value) -> Result<Vec<T>, Located> {
    let located = |e: serde_json::Error| serde_error(text, &e);
    match shape(v) {
        ListShape::Array => serde_json::from_str::<Vec<T>>(text).map_err(located),
        ListShape::ListResponse => serde_json::from_str::<ListResponse<T>>(text)
            .map(|l| l.value)
            .map_err(located),
        ListShape::Single => serde_json::from_str::<T>(text)
            .map(|t| vec![t])
            .map_err(located),
    }
}

/// A serde_json error at its line and character column, without serde's own " at line …".
pub(super) fn serde_error(text: &str, e: &serde_json::Error) -> Located {
    let s = e.to_string();
    let message = match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    };
    if e.line() == 0 {
        return Located::whole(message);
    }
    // serde_json counts the line's bytes up to the offending one.
    let line_start: usize = text
        .split_inclusive('\n')
        .take(e.line() - 1)
        .map(str::len)
        .sum();
    let offset = line_start + e.column().saturating_sub(1);
    Located::at_offset(text, offset, message)
}

/// The byte span of the value of `key` in the object starting at `object` (a `{`), if the
/// object has that key at its top level.
pub(super) fn member_span(text: &str, object: usize, key: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = object + 1;
    let mut depth = 1usize;
    let mut pending_key: Option<&str> = None;
    while i < b.len() && depth > 0 {
        match b[i] {
            b'"' => {
                let start = i + 1;
                i = skip_string(b, i);
                if depth == 1 {
                    pending_key = text.get(start..i - 1);
                }
                continue;
            }
            b':' if depth == 1 && pending_key == Some(key) => {
                let mut v = i + 1;
                while b.get(v).is_some_and(u8::is_ascii_whitespace) {
                    v += 1;
                }
                return Some((v, value_end(b, v)));
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index after the string that starts at `i` (a `"`).
fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() && b[i] != b'"' {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    i + 1
}

/// The index after the JSON value that starts at `i`.
fn value_end(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'"') => skip_string(b, i),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            j
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            j
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::import::locate_item;

    #[test]
    fn items_are_found_in_arrays_and_list_responses() {
        let t = "[\n {\"a\": [1, 2]},\n  {\"b\": 1}\n]";
        assert_eq!(locate_item(t, None, 1), t.find("{\"b\""));
        assert_eq!(locate_item(t, None, 2), None);
        let t = "{\"x\": [9], \"value\": [ {\"a\": 1}, \"s,t\", {\"c\": 2} ]}";
        assert_eq!(locate_item(t, Some("value"), 0), t.find("{\"a\""));
        assert_eq!(locate_item(t, Some("value"), 2), t.find("{\"c\""));
    }

    #[test]
    fn member_spans_skip_nested_keys_and_strings() {
        let t = r#"{"a": {"k": 1}, "s": "x}\"y", "k": {"b": [1, "]"]}, "n": 12}"#;
        let (s, e) = member_span(t, 0, "k").unwrap();
        assert_eq!(&t[s..e], r#"{"b": [1, "]"]}"#);
        let (s, e) = member_span(t, 0, "n").unwrap();
        assert_eq!(&t[s..e], "12");
        assert_eq!(member_span(t, 0, "b"), None);
    }

    #[test]
    fn serde_errors_count_characters() {
        let t = "[{\"n\": \"Zoë\", \"k\": 5}]";
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct X {
            n: String,
            k: String,
        }
        let e = serde_json::from_str::<Vec<X>>(t).unwrap_err();
        let l = serde_error(t, &e);
        assert_eq!(l.line, 1);
        assert_eq!(l.column, t.chars().position(|c| c == '5').unwrap() + 1);
        assert!(l.message.starts_with("invalid type: integer `5`"), "{l:?}");
    }
}
