//! `Text`: the immutable string a literal value is stored as.
//!
//! A rule holds dozens of short values (`"AzureAD"`, a GUID, an Autopilot
//! `[ZTDId]:<guid>`), and the editor re-checks the whole rule on every
//! keystroke. A `String` per value made heap allocation and freeing the
//! largest single cost of a check, so values up to `INLINE` bytes are kept
//! inside the tree node; only longer ones go to the heap.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// Long enough for a GUID (36 bytes) and an Autopilot ID
/// (`[ZTDId]:` + GUID, 44 bytes), the longest values rules commonly hold,
/// while keeping a `Text` at 48 bytes.
const INLINE: usize = 46;

#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    /// `bytes[..len]` is the string (copied from a `&str`, so valid UTF-8).
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Heap(Box<str>),
}

impl Text {
    pub fn new(s: &str) -> Text {
        if s.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Text(Repr::Inline {
                len: s.len() as u8,
                bytes,
            })
        } else {
            Text(Repr::Heap(s.into()))
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Re-validating a few dozen bytes keeps this module free of
            // `unsafe`; reads are rare next to the checks that build values.
            Repr::Inline { len, bytes } => match std::str::from_utf8(&bytes[..*len as usize]) {
                Ok(s) => s,
                Err(_) => unreachable!("inline text is copied from a &str"),
            },
            Repr::Heap(s) => s,
        }
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::new(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::new(&s)
    }
}

// Equality, hashing and formatting go by the string, never by how it is
// stored, so `Text` behaves exactly like the `String` it replaces.
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_values_read_back_unchanged() {
        let long = "x".repeat(INLINE + 1);
        for s in [
            "",
            "AzureAD",
            "[ZTDId]:6f1e2a9c-3b4d-4e5f-8a7b-1c2d3e4f5a6b",
            "ünïcødé ✓",
            &"é".repeat(INLINE / 2),
            &long,
        ] {
            let t = Text::new(s);
            assert_eq!(t.as_str(), s);
            assert_eq!(format!("{t:?}"), format!("{s:?}"));
            assert_eq!(t, Text::from(s.to_string()));
        }
        assert!(matches!(Text::new(&long).0, Repr::Heap(_)));
        assert!(matches!(
            Text::new(&"x".repeat(INLINE)).0,
            Repr::Inline { .. }
        ));
    }
}
