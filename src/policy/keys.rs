//! Keys that collide in one JSON object: the same key twice, or two keys that differ only by
//! case (`state` and `STATE`).
//!
//! serde_json keeps the last of two equal keys without a word, and PowerShell hashtables
//! ignore case, so the SDK script of `{"state": …, "State": …}` does not parse while the JSON
//! and `Invoke-MgGraphRequest` exports send both, and which one Graph honours is unknown. So an
//! import refuses either, naming both keys. One pass over the text with an explicit stack: cost
//! is linear in the text and no nesting depth can exhaust the call stack.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// Two keys of one object that a reader cannot tell apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    /// JSON Pointer (RFC 6901) of the first key, and the byte offset of its opening quote.
    pub first: (String, usize),
    /// The same for the second key.
    pub second: (String, usize),
    /// True when the two keys are equal, false when they differ only by case.
    pub exact: bool,
}

enum Frame<'a> {
    Object {
        /// Case-folded key → its index in `seen`. (`u32` values: the same map type as
        /// elsewhere in the crate, one copy of its code in the web bundle.)
        keys: HashMap<String, u32>,
        /// Each key as written, with the offset of its opening quote.
        seen: Vec<(Cow<'a, str>, usize)>,
        /// The key whose value is being read, for the path.
        current: Option<Cow<'a, str>>,
        /// Next string is a key (after `{` or `,`).
        want_key: bool,
    },
    Array {
        index: usize,
    },
}

/// The first collision in document order, if any. Text that is not JSON gives `None` or a
/// best-effort answer (the caller parses it as JSON as well and reports syntax errors).
pub fn first_collision(text: &str) -> Option<Collision> {
    let b = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'{' => stack.push(Frame::Object {
                keys: HashMap::new(),
                seen: Vec::new(),
                current: None,
                want_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { want_key, .. }) => *want_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b'"' => {
                let end = string_end(b, i)?;
                if let Some(Frame::Object {
                    keys,
                    seen,
                    current,
                    want_key,
                }) = stack
                    .last_mut()
                    .filter(|f| matches!(f, Frame::Object { want_key: true, .. }))
                {
                    *want_key = false;
                    let key = decode_key(text, i, end)?;
                    match keys.entry(fold(&key)) {
                        Entry::Occupied(e) => {
                            let (first_key, first_at) = seen.get(*e.get() as usize)?.clone();
                            let parent = stack.len() - 1;
                            let base = pointer(&stack[..parent]);
                            return Some(Collision {
                                exact: first_key == key,
                                first: (format!("{base}/{}", escape_token(&first_key)), first_at),
                                second: (format!("{base}/{}", escape_token(&key)), i),
                            });
                        }
                        Entry::Vacant(v) => {
                            v.insert(seen.len() as u32);
                            seen.push((key.clone(), i));
                        }
                    }
                    *current = Some(key);
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Index of the closing quote of the string opening at `open`.
fn string_end(b: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    loop {
        match b.get(i)? {
            b'"' => return Some(i),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// The key between the quotes at `open` and `close`, escapes decoded (`"st\u0061te"` is
/// `state` to every reader).
fn decode_key(text: &str, open: usize, close: usize) -> Option<Cow<'_, str>> {
    let raw = text.get(open + 1..close)?;
    if !raw.contains('\\') {
        return Some(Cow::Borrowed(raw));
    }
    serde_json::from_str::<String>(text.get(open..=close)?)
        .ok()
        .map(Cow::Owned)
}

/// Case-insensitive identity, as a PowerShell hashtable sees keys (full Unicode lowercase,
/// which equates at least every pair `OrdinalIgnoreCase` does).
fn fold(key: &str) -> String {
    if key.is_ascii() {
        key.to_ascii_lowercase()
    } else {
        key.chars().flat_map(char::to_lowercase).collect()
    }
}

/// The JSON Pointer of the value being read in each frame.
fn pointer(frames: &[Frame]) -> String {
    let mut out = String::new();
    for f in frames {
        out.push('/');
        match f {
            Frame::Object { current, .. } => {
                out.push_str(&escape_token(current.as_deref().unwrap_or("")))
            }
            Frame::Array { index } => out.push_str(&index.to_string()),
        }
    }
    out
}

/// RFC 6901: `~` is written `~0` and `/` is written `~1`.
fn escape_token(key: &str) -> Cow<'_, str> {
    if key.contains(['~', '/']) {
        Cow::Owned(key.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str, nth: usize) -> usize {
        text.match_indices(needle).nth(nth).unwrap().0
    }

    #[test]
    fn nested_case_duplicates_are_found_with_both_paths() {
        let t = r#"{"conditions": {"users": {"includeUsers": ["All"], "x": [1, {"a": 2}], "IncludeUsers": []}}}"#;
        let c = first_collision(t).unwrap();
        assert!(!c.exact);
        assert_eq!(
            c.first,
            (
                "/conditions/users/includeUsers".into(),
                at(t, "\"includeUsers\"", 0)
            )
        );
        assert_eq!(
            c.second,
            (
                "/conditions/users/IncludeUsers".into(),
                at(t, "\"IncludeUsers\"", 0)
            )
        );
    }

    #[test]
    fn array_indices_escapes_and_exact_duplicates() {
        let t = r#"[{"a": 1}, {"b": [], "s~/": {"st\u0061te": 1, "state": 2}}]"#;
        let c = first_collision(t).unwrap();
        assert!(c.exact, "an escaped key is the same key");
        assert_eq!(c.first.0, "/1/s~0~1/state");
        assert_eq!(c.second.0, "/1/s~0~1/state");
        assert!(c.first.1 < c.second.1);
    }

    #[test]
    fn strings_that_look_like_keys_and_sibling_objects_are_not_collisions() {
        for t in [
            r#"{"a": "a", "b": ["a", "A"], "c": {"a": 1}, "d": {"A": 1}}"#,
            r#"{"a": "x\"a\":1", "A\\": 1}"#,
            r#"[{"state": 1}, {"State": 2}]"#,
        ] {
            assert_eq!(first_collision(t), None, "{t}");
        }
    }

    #[test]
    fn depth_costs_no_stack() {
        let deep = "[".repeat(200_000) + &"]".repeat(200_000);
        assert_eq!(first_collision(&deep), None);
        let deep_dup = "{\"a\":".repeat(50_000) + "{\"k\":1,\"K\":2}" + &"}".repeat(50_000);
        let c = first_collision(&deep_dup).unwrap();
        assert_eq!(c.second.0.len(), 2 * 50_000 + 2);
    }
}
