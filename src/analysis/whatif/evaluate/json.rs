//! Reading the evaluate inputs strictly: the import's decoder and JSON reader (UTF-8 or
//! UTF-16, with or without BOM; syntax errors, colliding keys and unkeepable numbers located),
//! then a walk of the value that refuses unknown properties and wrong types, each error at the
//! line and column of the property it is about.

use serde_json::{Map, Value};

use crate::located::{line_column_at, Located};
use crate::policy::import::{decode, parse_json};

/// A decoded, parsed document and its text, for locating what the walk refuses.
pub(super) struct Doc {
    text: String,
}

impl Doc {
    /// Decodes and parses `bytes`.
    pub(super) fn read(bytes: &[u8]) -> Result<(Doc, Value), Located> {
        let text = decode(bytes)?;
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        let value = parse_json(&text)?;
        Ok((Doc { text }, value))
    }

    /// An error at the key `path` names (its last segment), or at the value of an array item.
    pub(super) fn at(&self, path: &[Seg], message: impl Into<String>) -> Located {
        let offset = locate(&self.text, path, Want::Key).unwrap_or(0);
        let (line, column) = line_column_at(&self.text, offset);
        Located::new(line, column, message)
    }

    /// An error at the value under `path`.
    pub(super) fn at_value(&self, path: &[Seg], message: impl Into<String>) -> Located {
        let offset = locate(&self.text, path, Want::Value).unwrap_or(0);
        let (line, column) = line_column_at(&self.text, offset);
        Located::new(line, column, message)
    }
}

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Seg {
    Key(String),
    Index(usize),
}

/// The path as people write it: `signInConditions.deviceInfo`, `value[2].ipRanges`.
pub(super) fn show(path: &[Seg]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() {
        "the document".into()
    } else {
        out
    }
}

pub(super) fn key(path: &[Seg], k: &str) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.push(Seg::Key(k.to_string()));
    p
}

pub(super) fn index(path: &[Seg], i: usize) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.push(Seg::Index(i));
    p
}

/// What the JSON value is, for messages.
pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a Boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The object at `path`, with every key checked against `known` (compared exactly, as Graph
/// does for property names); `@odata.type` is always allowed.
pub(super) fn object<'v>(
    doc: &Doc,
    v: &'v Value,
    path: &[Seg],
    known: &[&str],
) -> Result<&'v Map<String, Value>, Located> {
    let Value::Object(o) = v else {
        return Err(doc.at_value(
            path,
            format!("{} must be an object, found {}", show(path), kind(v)),
        ));
    };
    for k in o.keys() {
        if k != "@odata.type" && !known.contains(&k.as_str()) {
            let p = key(path, k);
            return Err(doc.at(
                &p,
                format!(
                    "unknown property {} in {}; expected one of: {}",
                    visible(k),
                    show(path),
                    known.join(", ")
                ),
            ));
        }
    }
    Ok(o)
}

/// A string at `path` (`None` when absent or null).
pub(super) fn string(
    doc: &Doc,
    o: &Map<String, Value>,
    path: &[Seg],
    name: &str,
) -> Result<Option<String>, Located> {
    match o.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => {
            let p = key(path, name);
            Err(doc.at_value(
                &p,
                format!("{} must be a string, found {}", show(&p), kind(other)),
            ))
        }
    }
}

/// A Boolean at `path` (`None` when absent or null).
pub(super) fn boolean(
    doc: &Doc,
    o: &Map<String, Value>,
    path: &[Seg],
    name: &str,
) -> Result<Option<bool>, Located> {
    match o.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => {
            let p = key(path, name);
            Err(doc.at_value(
                &p,
                format!("{} must be true or false, found {}", show(&p), kind(other)),
            ))
        }
    }
}

/// A list of strings at `path` (empty when absent or null).
pub(super) fn strings(
    doc: &Doc,
    o: &Map<String, Value>,
    path: &[Seg],
    name: &str,
) -> Result<Vec<String>, Located> {
    let p = key(path, name);
    match o.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, x)| match x {
                Value::String(s) => Ok(s.clone()),
                other => {
                    let q = index(&p, i);
                    Err(doc.at_value(
                        &q,
                        format!("{} must be a string, found {}", show(&q), kind(other)),
                    ))
                }
            })
            .collect(),
        Some(other) => Err(doc.at_value(
            &p,
            format!(
                "{} must be a list of strings, found {}",
                show(&p),
                kind(other)
            ),
        )),
    }
}

/// The `@odata.type` of the object at `path`, required to be one of `types`.
pub(super) fn odata_type<'t>(
    doc: &Doc,
    o: &Map<String, Value>,
    path: &[Seg],
    types: &[&'t str],
) -> Result<&'t str, Located> {
    let p = key(path, "@odata.type");
    let found = match o.get("@odata.type") {
        None => {
            return Err(doc.at_value(
                path,
                format!(
                    "{} needs \"@odata.type\": one of {}",
                    show(path),
                    types.join(", ")
                ),
            ))
        }
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(doc.at_value(
                &p,
                format!("{} must be a string, found {}", show(&p), kind(other)),
            ))
        }
    };
    types.iter().copied().find(|t| *t == found).ok_or_else(|| {
        doc.at_value(
            &p,
            format!(
                "{} is {}; expected one of {}",
                show(&p),
                visible(found),
                types.join(", ")
            ),
        )
    })
}

/// A string quoted, with control characters escaped, for messages.
pub(super) fn visible(s: &str) -> String {
    format!("\"{}\"", crate::filter::escape_for_display(s))
}

#[derive(Clone, Copy, PartialEq)]
enum Want {
    Key,
    Value,
}

/// Byte offset, in `text` (valid JSON), of the key or the value at `path`. One pass with an
/// explicit stack: linear in the text, and no depth exhausts the call stack.
fn locate(text: &str, path: &[Seg], want: Want) -> Option<usize> {
    enum Frame {
        Object { key: Option<String>, want_key: bool },
        Array { index: usize },
    }
    let b = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    // The path of the value about to start, compared with `path`.
    let current = |stack: &[Frame]| -> Vec<Seg> {
        stack
            .iter()
            .filter_map(|f| match f {
                Frame::Object { key: Some(k), .. } => Some(Seg::Key(k.clone())),
                Frame::Object { key: None, .. } => None,
                Frame::Array { index } => Some(Seg::Index(*index)),
            })
            .collect()
    };
    if path.is_empty() {
        return b.iter().position(|c| !c.is_ascii_whitespace());
    }
    let mut i = 0;
    let mut value_starts = stack.is_empty();
    while let Some(&c) = b.get(i) {
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if value_starts && c != b']' {
            value_starts = false;
            if want == Want::Value && current(&stack) == path {
                return Some(i);
            }
        }
        match c {
            b'"' => {
                let start = i;
                i += 1;
                while let Some(&d) = b.get(i) {
                    if d == b'\\' {
                        i += 2;
                        continue;
                    }
                    if d == b'"' {
                        break;
                    }
                    i += 1;
                }
                if let Some(Frame::Object { key, want_key }) = stack.last_mut() {
                    if *want_key {
                        let raw = text.get(start..=i.min(text.len() - 1)).unwrap_or("\"\"");
                        *key = Some(serde_json::from_str::<String>(raw).unwrap_or_default());
                        *want_key = false;
                        if want == Want::Key && current(&stack) == path {
                            return Some(start);
                        }
                    }
                }
            }
            b'{' => stack.push(Frame::Object {
                key: None,
                want_key: true,
            }),
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                value_starts = true;
            }
            b'}' | b']' => {
                stack.pop();
            }
            b':' => value_starts = true,
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, want_key }) => {
                    *key = None;
                    *want_key = true;
                }
                Some(Frame::Array { index }) => {
                    *index += 1;
                    value_starts = true;
                }
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    // An array item has no key: point at the item itself.
    if want == Want::Key && matches!(path.last(), Some(Seg::Index(_))) {
        return locate(text, path, Want::Value);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Seg {
        Seg::Key(s.into())
    }

    #[test]
    fn locates_keys_and_values_by_path() {
        let text = "{\n  \"a\": {\"b\": [1, {\"c\": true}]},\n  \"d\": \"x\"\n}";
        let at = |p: &[Seg], w| {
            let o = locate(text, p, w).unwrap();
            line_column_at(text, o)
        };
        assert_eq!(at(&[k("a")], Want::Key), (2, 3));
        assert_eq!(at(&[k("a"), k("b")], Want::Value), (2, 14));
        assert_eq!(at(&[k("a"), k("b"), Seg::Index(1)], Want::Value), (2, 18));
        assert_eq!(
            at(&[k("a"), k("b"), Seg::Index(1), k("c")], Want::Key),
            (2, 19)
        );
        assert_eq!(at(&[k("d")], Want::Value), (3, 8));
        assert_eq!(locate(text, &[k("zz")], Want::Key), None);
    }

    #[test]
    fn escaped_keys_and_strings_do_not_confuse_the_walk() {
        let text = r#"{"x\"}": "{[,", "y": 2}"#;
        let o = locate(text, &[k("y")], Want::Key).unwrap();
        assert_eq!(&text[o..o + 3], "\"y\"");
    }
}
