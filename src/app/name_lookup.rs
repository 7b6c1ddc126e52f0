//! Names for the user and group ids the draft shows without one (an imported or audited
//! policy's users and groups, an id pasted by hand): once connected, one `getByIds` request per
//! [`MAX_IDS_PER_LOOKUP`] ids, and each name found kept in the draft's labels, so the forms,
//! checks, What-If and exports show it, offline too. Roles and Microsoft applications are named
//! by the catalogue already; an id Graph does not know stays an id.

use std::collections::HashSet;

use crate::graph::errors::GraphError;
use crate::graph::ops::{name_lookup_request, read_name_lookup, Hit, MAX_IDS_PER_LOOKUP};
use crate::graph::session::Graph;
use crate::graph::transport::Transport;
use crate::guid::is_guid;
use crate::policy::edit::IdList;

use super::draft::{Action, Draft};

const USER_AND_GROUP_LISTS: [IdList; 4] = [
    IdList::IncludeUsers,
    IdList::ExcludeUsers,
    IdList::IncludeGroups,
    IdList::ExcludeGroups,
];

/// The user and group ids in the draft that nothing names: every step's include and exclude
/// lists, the break-glass accounts and the pilot members given by id. Lowercase, each once,
/// in the order the draft holds them.
pub fn unnamed_ids(draft: &Draft) -> Vec<String> {
    let lists = draft
        .steps
        .iter()
        .flat_map(|s| USER_AND_GROUP_LISTS.iter().flat_map(|l| l.get(&s.policy)));
    let others = draft
        .break_glass
        .users
        .iter()
        .chain(&draft.break_glass.groups)
        .chain(&draft.pilot_members)
        .cloned();
    // A set beside the list: a draft can hold thousands of ids, and the cost stays linear.
    let mut seen = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for id in lists.chain(others) {
        let id = id.trim().to_ascii_lowercase();
        if is_guid(&id) && draft.labels.name_of(&id).is_none() && seen.insert(id.clone()) {
            out.push(id);
        }
    }
    out
}

/// Asks Graph for the names of `ids`, [`MAX_IDS_PER_LOOKUP`] a request.
pub async fn look_up<T: Transport>(g: &Graph<T>, ids: &[String]) -> Result<Vec<Hit>, GraphError> {
    let mut hits = Vec::new();
    for chunk in ids.chunks(MAX_IDS_PER_LOOKUP) {
        let response = g.send(&name_lookup_request(g.cloud, chunk)).await?;
        hits.extend(read_name_lookup(&response)?);
    }
    Ok(hits)
}

/// What a lookup found.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The labels to keep, one per id named.
    pub labels: Vec<Action>,
    /// The ids asked about that Graph did not return, in the order asked.
    pub not_found: Vec<String>,
    /// The sentence for the status region.
    pub text: String,
}

/// What the lookup of `ids` found in `hits`.
pub fn outcome(ids: &[String], hits: &[Hit]) -> Outcome {
    let asked: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let found: HashSet<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    let labels: Vec<Action> = hits
        .iter()
        .filter(|h| asked.contains(h.id.as_str()))
        .map(|h| Action::SetLabel {
            id: h.id.clone(),
            name: h.name.clone(),
        })
        .collect();
    let not_found: Vec<String> = ids
        .iter()
        .filter(|id| !found.contains(id.as_str()))
        .cloned()
        .collect();
    let mut text = format!(
        "Named {} of {} id{}.",
        labels.len(),
        ids.len(),
        if ids.len() == 1 { "" } else { "s" }
    );
    if !not_found.is_empty() {
        text.push_str(&format!(
            " Not a user or group this token may read in the tenant (deleted, or of another kind), so shown as \"not found in the tenant\": {}.",
            not_found.join(", ")
        ));
    }
    Outcome {
        labels,
        not_found,
        text,
    }
}
