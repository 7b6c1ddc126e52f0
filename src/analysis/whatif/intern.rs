//! Object ids as small numbers: every id a policy names is interned once, without case, so a
//! condition check compares integers on short sorted lists instead of strings.

use std::collections::HashMap;

/// The ids of one compiled policy set.
#[derive(Debug, Clone, Default)]
pub(super) struct Interner {
    /// Lower-cased object id → interned number.
    numbers: HashMap<String, u32>,
    /// Interned number → id as first written.
    ids: Vec<String>,
}

impl Interner {
    /// Sorted, deduplicated interned numbers of `items`, interning as needed.
    pub(super) fn intern_all(&mut self, items: &[&str]) -> Vec<u32> {
        let mut out: Vec<u32> = items
            .iter()
            .map(|s| {
                let key = s.to_ascii_lowercase();
                *self.numbers.entry(key).or_insert_with(|| {
                    self.ids.push(s.to_string());
                    (self.ids.len() - 1) as u32
                })
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The number of an id some policy names; `None` for an id no policy names.
    pub(super) fn lookup(&self, s: &str) -> Option<u32> {
        // Ids are nearly always written in lower case; only allocate for the rest.
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            self.numbers.get(&s.to_ascii_lowercase()).copied()
        } else {
            self.numbers.get(s).copied()
        }
    }

    /// The id as a policy first wrote it.
    pub(super) fn id(&self, n: u32) -> &str {
        self.ids.get(n as usize).map_or("", String::as_str)
    }
}

pub(super) fn contains(sorted: &[u32], x: u32) -> bool {
    sorted.binary_search(&x).is_ok()
}

/// The first element of `xs` (sorted or not) in `sorted`.
pub(super) fn first_in(xs: &[u32], sorted: &[u32]) -> Option<u32> {
    if sorted.is_empty() {
        return None;
    }
    xs.iter().copied().find(|x| contains(sorted, *x))
}
