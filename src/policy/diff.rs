//! What changed between two policies, and between two policy sets: one walk of the Graph
//! bodies, used by `ca-policy diff` and by the page's preview of every write it sends.
//!
//! - [`body_changes`]: a request body against what is stored. A body is read as Graph reads
//!   it (a key it omits is kept), so only its keys are walked, and every value it writes
//!   that differs is a change, as written.
//! - [`policy_changes`]: two whole policies (their POST bodies, so service-owned properties
//!   such as `modifiedDateTime` never count). Keys of both are walked; absent, `null`, `[]`
//!   and `{}` all mean "not set"; lists are compared as sets (Graph keeps no order in them).
//! - [`diff_sets`]: two policy sets, matched by id, then by display name.
//!
//! Both walks go leaf by leaf through objects (also where nothing was set before) and stop
//! at lists and at values whose type changed, so each [`Change`] is one property path with
//! its value before and after; [`Change::words`] says it for a reader, lists as `+`/`−`
//! entries, ids named from [`Names`].

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::{Map, Value};

use super::import::{decode, parse_json};
use super::model::Policy;
use crate::located::{line_column_at, Located};

/// One changed property.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Dotted path, e.g. `conditions.users.includeGroups`.
    pub path: String,
    /// The value before (`None`: not set).
    pub before: Option<Value>,
    /// The value after (`None`: not set; never for a body, which only writes values).
    pub after: Option<Value>,
}

/// What a request body changes in `before` (the stored body; `None` when nothing is stored,
/// for a create). Objects are walked leaf by leaf (also where nothing was stored before); a
/// stored non-object replaced by an object, and every list, is one change.
pub fn body_changes(before: Option<&Value>, body: &Value) -> Vec<Change> {
    let mut out = vec![];
    walk_body("", before, body, &mut out);
    out
}

fn walk_body(path: &str, before: Option<&Value>, after: &Value, out: &mut Vec<Change>) {
    match (before, after) {
        (None | Some(Value::Object(_)), Value::Object(a)) if !a.is_empty() => {
            for (k, av) in a {
                let b = before.and_then(|b| b.get(k));
                walk_body(&join(path, k), b, av, out);
            }
        }
        (b, a) if b != Some(a) => out.push(Change {
            path: path.to_string(),
            before: b.cloned(),
            after: Some(a.clone()),
        }),
        _ => {}
    }
}

/// What changed from policy `before` to policy `after`; empty when they are equal.
pub fn policy_changes(before: &Policy, after: &Policy) -> Vec<Change> {
    value_changes(&before.to_post_body(), &after.to_post_body())
}

/// [`policy_changes`] over two bodies.
pub fn value_changes(before: &Value, after: &Value) -> Vec<Change> {
    let mut out = vec![];
    walk_both("", Some(before), Some(after), &mut out);
    out
}

fn walk_both(path: &str, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<Change>) {
    let (b, a) = (before.filter(|v| !unset(v)), after.filter(|v| !unset(v)));
    match (b, a) {
        (None, None) => {}
        (Some(Value::Object(bo)), Some(Value::Object(ao))) => {
            walk_keys(path, Some(bo), Some(ao), out)
        }
        (None, Some(Value::Object(ao))) => walk_keys(path, None, Some(ao), out),
        (Some(Value::Object(bo)), None) => walk_keys(path, Some(bo), None, out),
        (Some(Value::Array(bl)), Some(Value::Array(al)))
            if !set_difference(al, bl).is_empty() || !set_difference(bl, al).is_empty() =>
        {
            out.push(change(path, b, a));
        }
        (Some(Value::Array(_)), Some(Value::Array(_))) => {}
        (b, a) if b != a => out.push(change(path, b, a)),
        _ => {}
    }
}

/// The keys of `after` in its order, then those only `before` has, in its order.
fn walk_keys(
    path: &str,
    before: Option<&Map<String, Value>>,
    after: Option<&Map<String, Value>>,
    out: &mut Vec<Change>,
) {
    for (k, av) in after.into_iter().flatten() {
        walk_both(&join(path, k), before.and_then(|b| b.get(k)), Some(av), out);
    }
    for (k, bv) in before.into_iter().flatten() {
        if !after.is_some_and(|a| a.contains_key(k)) {
            walk_both(&join(path, k), Some(bv), None, out);
        }
    }
}

/// `null`, `[]` and `{}` set nothing: Graph returns them for what a file leaves out.
fn unset(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(l) => l.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn change(path: &str, before: Option<&Value>, after: Option<&Value>) -> Change {
    Change {
        path: path.to_string(),
        before: before.cloned(),
        after: after.cloned(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The entries of `of` that `minus` lacks, each once, in `of`'s order. Linear: entries are
/// compared by their JSON text through a hash set.
fn set_difference<'a>(of: &'a [Value], minus: &[Value]) -> Vec<&'a Value> {
    let have: HashSet<String> = minus.iter().map(Value::to_string).collect();
    let mut seen = HashSet::new();
    of.iter()
        .filter(|v| {
            let key = v.to_string();
            !have.contains(&key) && seen.insert(key)
        })
        .collect()
}

impl Change {
    /// Whether the change is to a list (either side a list; the other a list or not set).
    pub fn is_list(&self) -> bool {
        let list_or_unset = |v: &Option<Value>| match v {
            None | Some(Value::Null) => true,
            Some(v) => v.is_array(),
        };
        (self.before.as_ref().is_some_and(Value::is_array)
            || self.after.as_ref().is_some_and(Value::is_array))
            && list_or_unset(&self.before)
            && list_or_unset(&self.after)
    }

    /// For a list change: the entries added and the entries removed, each once.
    pub fn entries(&self) -> Option<(Vec<&Value>, Vec<&Value>)> {
        if !self.is_list() {
            return None;
        }
        fn list(v: &Option<Value>) -> &[Value] {
            match v {
                Some(Value::Array(l)) => l,
                _ => &[],
            }
        }
        let (b, a) = (list(&self.before), list(&self.after));
        Some((set_difference(a, b), set_difference(b, a)))
    }

    /// The change in words, one line per list entry (`conditions.users.excludeUsers: + Break
    /// Glass 2`, `…: − Old Admin`) or one line for a value (`state: disabled → enabled`);
    /// ids named from `names`, strings as written, other values as JSON.
    pub fn words(&self, names: &Names) -> Vec<String> {
        let path = &self.path;
        match self.entries() {
            Some((added, removed)) if added.is_empty() && removed.is_empty() => {
                vec![format!("{path}: the same entries, in another order")]
            }
            Some((added, removed)) => added
                .iter()
                .map(|v| format!("{path}: + {}", names.show(v)))
                .chain(
                    removed
                        .iter()
                        .map(|v| format!("{path}: \u{2212} {}", names.show(v))),
                )
                .collect(),
            None => vec![format!(
                "{path}: {} \u{2192} {}",
                names.show_or_unset(self.before.as_ref()),
                names.show_or_unset(self.after.as_ref())
            )],
        }
    }
}

/// Display names of the objects a policy names by id (users, groups, roles, applications,
/// locations): what the page keeps as labels, or a `--names` file. Ids are GUIDs, matched
/// ignoring case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names(HashMap<String, String>);

impl Names {
    pub fn insert(&mut self, id: &str, name: impl Into<String>) {
        self.0.insert(id.to_lowercase(), name.into());
    }

    pub fn get(&self, id: &str) -> Option<&str> {
        self.0.get(&id.to_lowercase()).map(String::as_str)
    }

    /// Every (id, name), ids lowercased, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut all: Vec<(&str, &str)> = self
            .0
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        all.sort_unstable();
        all.into_iter()
    }

    /// Reads a JSON object mapping ids to display names (`{"<id>": "Break Glass 2"}`), in
    /// any encoding a policy file may have; errors located as import locates them.
    pub fn read(bytes: &[u8]) -> Result<Names, Located> {
        let text = decode(bytes)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let Value::Object(map) = parse_json(text)? else {
            let start = text.len() - text.trim_start().len();
            return Err(Located::at_offset(
                text,
                start,
                "expected a JSON object mapping ids to display names, such as {\"<id>\": \"Break Glass 2\"}",
            ));
        };
        let mut names = Names::default();
        let mut bad = None;
        for (id, name) in map {
            match name {
                Value::String(name) => names.insert(&id, name),
                _ if bad.is_none() => bad = Some(id),
                _ => {}
            }
        }
        match bad {
            None => Ok(names),
            Some(id) => Err(not_a_name(text, &id)),
        }
    }

    /// A string as its name when it is a named id, else as written; other values as JSON.
    fn show(&self, v: &Value) -> String {
        match v {
            Value::String(s) => self.get(s).unwrap_or(s).to_string(),
            other => other.to_string(),
        }
    }

    fn show_or_unset(&self, v: Option<&Value>) -> String {
        match v {
            None | Some(Value::Null) => "(not set)".into(),
            Some(v) => self.show(v),
        }
    }
}

/// The error for the value of `id` that is not a string, at that value: serde_json's typed
/// reader stops there and says where (line, byte column), which is turned into characters.
fn not_a_name(text: &str, id: &str) -> Located {
    let message = format!("the name of {id:?} must be a string");
    match serde_json::from_str::<HashMap<String, String>>(text) {
        Err(e) if e.line() > 0 => {
            let line_start: usize = text
                .split_inclusive('\n')
                .take(e.line() - 1)
                .map(str::len)
                .sum();
            // The column is the last byte read: the value's first for a scalar, the byte
            // before it when the reader only peeked (`[`, `{`).
            let mut offset = line_start + e.column().saturating_sub(1);
            let rest = text.get(offset..).unwrap_or_default();
            offset += rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n', ':']).len();
            let (line, column) = line_column_at(text, offset);
            Located::new(line, column, message)
        }
        _ => Located::whole(message),
    }
}

/// How two policies were paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    Id,
    DisplayName,
}

impl MatchedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::Id => "id",
            MatchedBy::DisplayName => "displayName",
        }
    }
}

/// A policy of BEFORE paired with one of AFTER (indices into the two sets).
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub before: usize,
    pub after: usize,
    pub matched_by: MatchedBy,
    /// Empty: the two are equal.
    pub changes: Vec<Change>,
}

/// Two policy sets compared.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SetDiff {
    /// Every pair, in BEFORE's order; equal pairs have no changes.
    pub pairs: Vec<Pair>,
    /// Policies of BEFORE with no partner in AFTER (indices into BEFORE).
    pub removed: Vec<usize>,
    /// Policies of AFTER with no partner in BEFORE (indices into AFTER).
    pub added: Vec<usize>,
}

impl SetDiff {
    pub fn is_equal(&self) -> bool {
        self.removed.is_empty() && self.added.is_empty() && self.changed().next().is_none()
    }

    /// The pairs that differ.
    pub fn changed(&self) -> impl Iterator<Item = &Pair> {
        self.pairs.iter().filter(|p| !p.changes.is_empty())
    }
}

/// Pairs the policies of `before` with those of `after`: first by id (ignoring case), then the
/// rest by display name (exactly); several policies with one id or one name are paired in
/// order, so a set compared with itself is equal whatever it holds.
pub fn diff_sets(before: &[Policy], after: &[Policy]) -> SetDiff {
    let mut partner: Vec<Option<(usize, MatchedBy)>> = vec![None; before.len()];
    let mut taken = vec![false; after.len()];
    let keyed = |key: fn(&Policy) -> Option<String>, taken: &[bool]| {
        let mut by: HashMap<String, VecDeque<usize>> = HashMap::new();
        for (i, p) in after.iter().enumerate() {
            if let (false, Some(k)) = (taken[i], key(p)) {
                by.entry(k).or_default().push_back(i);
            }
        }
        by
    };
    for (key, how) in [
        (id_key as fn(&Policy) -> Option<String>, MatchedBy::Id),
        (name_key, MatchedBy::DisplayName),
    ] {
        let mut by = keyed(key, &taken);
        for (i, p) in before.iter().enumerate() {
            if partner[i].is_some() {
                continue;
            }
            if let Some(j) = key(p).and_then(|k| by.get_mut(&k)?.pop_front()) {
                partner[i] = Some((j, how));
                taken[j] = true;
            }
        }
    }
    let mut out = SetDiff::default();
    for (i, p) in partner.into_iter().enumerate() {
        match p {
            Some((j, matched_by)) => out.pairs.push(Pair {
                before: i,
                after: j,
                matched_by,
                changes: policy_changes(&before[i], &after[j]),
            }),
            None => out.removed.push(i),
        }
    }
    out.added = (0..after.len()).filter(|&j| !taken[j]).collect();
    out
}

fn id_key(p: &Policy) -> Option<String> {
    p.id.value()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_lowercase())
}

fn name_key(p: &Policy) -> Option<String> {
    p.display_name.value().cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(v: Value) -> Policy {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn lists_are_sets_and_unset_is_one_state() {
        let b = json!({"a": {"l": ["x", "y"], "n": null, "e": []}, "s": "on"});
        let a = json!({"a": {"l": ["y", "x", "x"]}, "s": "on", "o": {}});
        assert_eq!(value_changes(&b, &a), vec![]);
    }

    #[test]
    fn each_change_is_a_path_in_words() {
        let b = json!({"state": "disabled", "c": {"u": {"ex": ["1"]}}, "gone": 4});
        let a = json!({"state": "enabled", "c": {"u": {"ex": ["2", "1"], "in": ["All"]}}});
        let mut names = Names::default();
        names.insert("2", "Break Glass 2");
        let words: Vec<String> = value_changes(&b, &a)
            .iter()
            .flat_map(|c| c.words(&names))
            .collect();
        assert_eq!(
            words,
            [
                "state: disabled \u{2192} enabled",
                "c.u.ex: + Break Glass 2",
                "c.u.in: + All",
                "gone: 4 \u{2192} (not set)",
            ]
        );
    }

    #[test]
    fn a_body_is_walked_by_its_own_keys() {
        let stored = json!({"state": "disabled", "c": {"l": ["a"]}});
        let body = json!({"c": {"l": ["a", "b"]}});
        let c = body_changes(Some(&stored), &body);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].words(&Names::default()), ["c.l: + b"]);
    }

    #[test]
    fn sets_pair_by_id_then_by_name_in_order() {
        let before = [
            policy(json!({"id": "AB", "displayName": "x", "conditions": {}})),
            policy(json!({"displayName": "n", "conditions": {}})),
            policy(json!({"displayName": "n", "conditions": {}, "state": "enabled"})),
            policy(json!({"displayName": "gone", "conditions": {}})),
        ];
        let after = [
            policy(json!({"displayName": "n", "conditions": {}})),
            policy(json!({"id": "ab", "displayName": "renamed", "conditions": {}})),
            policy(json!({"displayName": "new", "conditions": {}})),
            policy(json!({"displayName": "n", "conditions": {}, "state": "enabled"})),
        ];
        let d = diff_sets(&before, &after);
        let pairs: Vec<_> = d
            .pairs
            .iter()
            .map(|p| (p.before, p.after, p.matched_by))
            .collect();
        assert_eq!(
            pairs,
            [
                (0, 1, MatchedBy::Id),
                (1, 0, MatchedBy::DisplayName),
                (2, 3, MatchedBy::DisplayName)
            ]
        );
        assert_eq!((d.removed, d.added), (vec![3], vec![2]));
        assert_eq!(d.pairs[0].changes[0].path, "displayName");
    }

    #[test]
    fn names_files_are_located() {
        let e = Names::read(b"{\n  \"a\": \"A\",\n  \"b\": 7\n}").unwrap_err();
        assert_eq!((e.line, e.column), (3, 8), "{e}");
        let e = Names::read(b"{\"a\":\n [1]}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 2), "{e}");
        let e = Names::read(b"  [1]").unwrap_err();
        assert_eq!((e.line, e.column), (1, 3), "{e}");
        assert_eq!(
            Names::read("{\"AB\": \"x\"}".as_bytes()).unwrap().get("ab"),
            Some("x")
        );
    }
}
