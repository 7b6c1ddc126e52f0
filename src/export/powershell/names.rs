//! Names beside the ids a policy targets, in the comment above its creation, so the reader of
//! a script sees "Global Administrator (62e90394-…)" rather than a bare GUID. Names come from
//! the draft's labels and the catalogue ([`Labels::name_of`]); an id nothing names is written
//! alone. Every name goes through `ps_literal::comment_text` (cut, ASCII, no line break) and
//! the line through `Script::comment`, so a name cannot end the comment or start code.

use serde_json::Value;

use super::script::Script;
use crate::export::ps_literal;
use crate::guid::is_guid;
use crate::names::Labels;

/// The id lists a comment names, as (object, property).
const LISTS: [(&str, &str); 8] = [
    ("users", "includeUsers"),
    ("users", "excludeUsers"),
    ("users", "includeGroups"),
    ("users", "excludeGroups"),
    ("users", "includeRoles"),
    ("users", "excludeRoles"),
    ("applications", "includeApplications"),
    ("applications", "excludeApplications"),
];

/// Ids named on one line at most; the rest are counted, so a long list stays one short line.
const MAX_IDS: usize = 10;
/// A name is cut after this many characters.
const MAX_NAME: usize = 60;

/// `includeRoles: Global Administrator (62e90394-…), 3b1f…` for each list of the body's
/// conditions holding an id that has a name; lists where nothing is named say nothing new.
pub(super) fn target_lines(body: &Value, labels: &Labels) -> Vec<String> {
    let mut out = Vec::new();
    for (object, property) in LISTS {
        let Some(list) = body["conditions"][object][property].as_array() else {
            continue;
        };
        let ids: Vec<&str> = list
            .iter()
            .filter_map(Value::as_str)
            .filter(|id| is_guid(id))
            .collect();
        if !ids.iter().any(|id| labels.name_of(id).is_some()) {
            continue;
        }
        let mut shown: Vec<String> = ids
            .iter()
            .take(MAX_IDS)
            .map(|id| match labels.name_of(id) {
                Some(name) => format!("{} ({id})", ps_literal::comment_text(name, MAX_NAME)),
                None => id.to_string(),
            })
            .collect();
        if ids.len() > MAX_IDS {
            shown.push(format!("and {} more", ids.len() - MAX_IDS));
        }
        out.push(format!("  {property}: {}", shown.join(", ")));
    }
    out
}

impl Script {
    /// The comment lines naming what the policy targets (see [`target_lines`]).
    pub(super) fn target_comments(&mut self, body: &Value) {
        for line in target_lines(body, &self.labels) {
            self.comment(&line);
        }
    }
}
