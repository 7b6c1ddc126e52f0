//! Names for the ids the draft shows without one (an imported or audited policy's users,
//! groups, applications and named locations, an id pasted by hand): once connected, the
//! requests of `graph::ops::name_lookup`, and each name found kept in the draft's labels, so the
//! forms, checks, What-If and exports show it, offline too. Roles and Microsoft applications
//! are named by the catalogue already; an id Graph does not return stays an id, which the Graph
//! session remembers as not found in the tenant.

use std::collections::HashSet;

use crate::graph::errors::GraphError;
use crate::graph::ops::{
    app_lookup_request, name_lookup_request, read_app_lookup, read_location_lookup,
    read_name_lookup, search_request, DirectoryKind, Hit, MAX_APP_IDS_PER_LOOKUP,
    MAX_IDS_PER_LOOKUP,
};
use crate::graph::paging::DEFAULT_MAX_PAGES;
use crate::graph::session::Graph;
use crate::graph::transport::Transport;
use crate::graph::GraphOp;
use crate::guid::is_guid;
use crate::policy::edit::IdList;

use super::draft::{Action, Draft};

const USER_AND_GROUP_LISTS: [IdList; 4] = [
    IdList::IncludeUsers,
    IdList::ExcludeUsers,
    IdList::IncludeGroups,
    IdList::ExcludeGroups,
];
const APP_LISTS: [IdList; 2] = [IdList::IncludeApplications, IdList::ExcludeApplications];
const LOCATION_LISTS: [IdList; 2] = [IdList::IncludeLocations, IdList::ExcludeLocations];

/// The ids in the draft that nothing names, by the request that can name them. Lowercase,
/// each once, in the order the draft holds them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unnamed {
    /// Users and groups: every step's include and exclude lists, the break-glass accounts and
    /// the pilot members given by id.
    pub directory: Vec<String>,
    /// Applications, by `appId`, in every step's include and exclude lists (the catalogue names
    /// Microsoft's own).
    pub apps: Vec<String>,
    /// Named locations in every step's include and exclude lists.
    pub locations: Vec<String>,
}

impl Unnamed {
    pub fn len(&self) -> usize {
        self.directory.len() + self.apps.len() + self.locations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every id, users and groups first.
    pub fn ids(&self) -> impl Iterator<Item = &String> {
        self.directory
            .iter()
            .chain(&self.apps)
            .chain(&self.locations)
    }

    /// The operations a lookup of these ids sends, for the permissions shown before it.
    pub fn ops(&self) -> Vec<GraphOp> {
        [
            (!self.directory.is_empty()).then_some(GraphOp::LookUpNames),
            (!self.apps.is_empty()).then_some(GraphOp::LookUpAppNames),
            (!self.locations.is_empty()).then_some(DirectoryKind::Location.op()),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// These ids split in two: those not in `not_found` (still worth asking about), and how
    /// many are (a lookup asked and the tenant did not return them).
    pub fn without(&self, not_found: &HashSet<String>) -> (Unnamed, usize) {
        let keep = |ids: &[String]| -> Vec<String> {
            ids.iter()
                .filter(|id| !not_found.contains(*id))
                .cloned()
                .collect()
        };
        let left = Unnamed {
            directory: keep(&self.directory),
            apps: keep(&self.apps),
            locations: keep(&self.locations),
        };
        let missing = self.len() - left.len();
        (left, missing)
    }
}

/// The ids in the draft that nothing names (the draft's labels, then the catalogue).
pub fn unnamed(draft: &Draft) -> Unnamed {
    // A set beside the lists: a draft can hold thousands of ids, and the cost stays linear.
    let mut seen = HashSet::new();
    let mut pick = |ids: &mut dyn Iterator<Item = &String>| -> Vec<String> {
        let mut out = Vec::new();
        for id in ids {
            let id = id.trim().to_ascii_lowercase();
            if is_guid(&id) && draft.labels.name_of(&id).is_none() && seen.insert(id.clone()) {
                out.push(id);
            }
        }
        out
    };
    let in_steps = |lists: &'static [IdList]| {
        draft
            .steps
            .iter()
            .flat_map(move |s| lists.iter().flat_map(move |l| l.get(&s.policy)))
            .collect::<Vec<String>>()
    };
    let people = in_steps(&USER_AND_GROUP_LISTS);
    let others = draft
        .break_glass
        .users
        .iter()
        .chain(&draft.break_glass.groups)
        .chain(&draft.pilot_members);
    let directory = pick(&mut people.iter().chain(others));
    let apps = pick(&mut in_steps(&APP_LISTS).iter());
    let locations = pick(&mut in_steps(&LOCATION_LISTS).iter());
    Unnamed {
        directory,
        apps,
        locations,
    }
}

/// Asks Graph for the names of `ids`: users and groups [`MAX_IDS_PER_LOOKUP`] a request,
/// applications [`MAX_APP_IDS_PER_LOOKUP`] a request, and the tenant's named locations once.
pub async fn look_up<T: Transport>(g: &Graph<T>, ids: &Unnamed) -> Result<Vec<Hit>, GraphError> {
    let mut hits = Vec::new();
    for chunk in ids.directory.chunks(MAX_IDS_PER_LOOKUP) {
        let response = g.send(&name_lookup_request(g.cloud, chunk)).await?;
        hits.extend(read_name_lookup(&response)?);
    }
    for chunk in ids.apps.chunks(MAX_APP_IDS_PER_LOOKUP) {
        let response = g.send(&app_lookup_request(g.cloud, chunk)).await?;
        hits.extend(read_app_lookup(&response)?);
    }
    if !ids.locations.is_empty() {
        let list = search_request(g.cloud, DirectoryKind::Location, "")
            .expect("the named locations are listed without a search term");
        let paged = g.collect(list, DEFAULT_MAX_PAGES).await?;
        hits.extend(read_location_lookup(&paged.items));
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

/// What the lookup of `ids` found in `hits` (a location listing holds more than was asked).
pub fn outcome(ids: &Unnamed, hits: &[Hit]) -> Outcome {
    let asked: HashSet<&str> = ids.ids().map(String::as_str).collect();
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
        .ids()
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
            " Not in the tenant as the kind its list holds, or not readable with this token (deleted, or of another kind), so shown as \"not found in the tenant\": {}.",
            not_found.join(", ")
        ));
    }
    Outcome {
        labels,
        not_found,
        text,
    }
}
