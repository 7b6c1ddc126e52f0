//! A picker's model: the text typed, the search it waits to send (debounced by tickets, so an
//! answer to an older keystroke is dropped), the suggestions, the one the keyboard is on, and
//! what choosing or removing an entry does to the draft: the id goes into its list and the name
//! into the draft's labels, so a reload or a share link still shows it offline.
//!
//! Offline, roles and applications come from the catalogue in the core, filtered by name here;
//! users, groups and named locations can only be typed by id, shown as "id (connect to look it
//! up)" until a name is known. Pure: the page sends the request and hands the answer back.

use crate::graph::ops::{search_term, DirectoryKind, Hit, SEARCH_TOP};
use crate::graph::GraphError;
use crate::guid::is_guid;
use crate::names::{self, LabelError, Labels};
use crate::policy::edit::IdList;

use super::draft::{Action, Draft};

/// How long the page waits after a keystroke before it searches Graph.
pub const DEBOUNCE_MS: u32 = 250;

/// Where a picker's choices go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PickTarget {
    /// One of the open step's id lists.
    List(IdList),
    BreakGlassUsers,
    BreakGlassGroups,
    /// The pilot step's group: one id, which narrows the policy.
    PilotGroup,
}

impl PickTarget {
    /// The picker for a list, when its ids name directory objects (user actions do not).
    pub fn for_list(list: IdList) -> Option<PickTarget> {
        (!matches!(list, IdList::IncludeUserActions)).then_some(PickTarget::List(list))
    }

    pub fn kind(self) -> DirectoryKind {
        match self {
            PickTarget::BreakGlassUsers => DirectoryKind::User,
            PickTarget::BreakGlassGroups | PickTarget::PilotGroup => DirectoryKind::Group,
            PickTarget::List(l) => match l {
                IdList::IncludeUsers | IdList::ExcludeUsers => DirectoryKind::User,
                IdList::IncludeGroups | IdList::ExcludeGroups => DirectoryKind::Group,
                IdList::IncludeRoles | IdList::ExcludeRoles => DirectoryKind::Role,
                IdList::IncludeLocations | IdList::ExcludeLocations => DirectoryKind::Location,
                _ => DirectoryKind::App,
            },
        }
    }

    /// The ids the target holds in `draft` now.
    pub fn ids(self, draft: &Draft) -> Vec<String> {
        let policy = &draft.step().policy;
        match self {
            PickTarget::List(l) => l.get(policy),
            PickTarget::BreakGlassUsers => draft.break_glass.users.clone(),
            PickTarget::BreakGlassGroups => draft.break_glass.groups.clone(),
            PickTarget::PilotGroup => IdList::IncludeGroups
                .get(policy)
                .into_iter()
                .take(1)
                .collect(),
        }
    }

    fn set(self, mut ids: Vec<String>) -> Action {
        match self {
            PickTarget::List(l) => Action::SetIdList(l, ids),
            PickTarget::BreakGlassUsers => Action::SetBreakGlassUsers(ids),
            PickTarget::BreakGlassGroups => Action::SetBreakGlassGroups(ids),
            PickTarget::PilotGroup => Action::SetPilotGroup(ids.pop().unwrap_or_default()),
        }
    }
}

/// The actions that add `hit` to `target`: its id (once; the pilot group's replaces the old),
/// and its name as a label. A name the labels refuse is reported and the id still added.
pub fn choose(draft: &Draft, target: PickTarget, hit: &Hit) -> (Vec<Action>, Option<LabelError>) {
    let mut ids = target.ids(draft);
    if target == PickTarget::PilotGroup {
        ids.clear();
    }
    if !ids.iter().any(|i| i.eq_ignore_ascii_case(&hit.id)) {
        ids.push(hit.id.clone());
    }
    let mut actions = vec![target.set(ids)];
    let mut refused = None;
    if !hit.name.is_empty() {
        match draft.labels.clone().insert(&hit.id, &hit.name) {
            Ok(()) => actions.push(Action::SetLabel {
                id: hit.id.clone(),
                name: hit.name.clone(),
            }),
            Err(e) => refused = Some(e),
        }
    }
    (actions, refused)
}

/// The action that takes `id` out of `target` (its label stays: another list may name it).
pub fn remove(draft: &Draft, target: PickTarget, id: &str) -> Action {
    let ids = target
        .ids(draft)
        .into_iter()
        .filter(|i| !i.eq_ignore_ascii_case(id))
        .collect();
    target.set(ids)
}

/// Where a picker is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerStatus {
    Idle,
    /// Typed; the search waits for the debounce.
    Waiting,
    Searching,
    /// Suggestions shown (possibly none).
    Done,
    /// A sentence for the admin: offline and nothing to suggest, or a search that failed (the
    /// permission it needs named), with catalogue suggestions where there are any.
    Note(String),
}

/// A search the page is to send once the debounce is over: it is still wanted only while
/// [`Picker::due`] says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(u64);

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub kind: DirectoryKind,
    pub query: String,
    pub results: Vec<Hit>,
    pub status: PickerStatus,
    /// The suggestion the arrow keys are on.
    pub active: Option<usize>,
    latest: u64,
}

impl Picker {
    pub fn new(kind: DirectoryKind) -> Picker {
        Picker {
            kind,
            query: String::new(),
            results: vec![],
            status: PickerStatus::Idle,
            active: None,
            latest: 0,
        }
    }

    /// The admin typed `text`. Offline, or for a pasted id, the suggestions are ready at once
    /// (`None`); connected, a ticket for the search to send after [`DEBOUNCE_MS`].
    pub fn type_text(&mut self, text: &str, connected: bool, labels: &Labels) -> Option<Ticket> {
        self.query = text.to_string();
        self.active = None;
        // Every keystroke invalidates the search an earlier one waits for.
        self.latest += 1;
        let term = search_term(text);
        if term.is_empty() {
            self.results.clear();
            self.status = PickerStatus::Idle;
            return None;
        }
        if is_guid(&term) || !connected {
            self.results = offline_hits(self.kind, &term, labels);
            self.status = match (self.results.is_empty(), connected) {
                (true, false) => PickerStatus::Note(offline_note(self.kind)),
                _ => PickerStatus::Done,
            };
            return None;
        }
        self.status = PickerStatus::Waiting;
        Some(Ticket(self.latest))
    }

    /// The text to search when the debounce of `ticket` is over, or `None` when a later
    /// keystroke replaced it.
    pub fn due(&mut self, ticket: Ticket) -> Option<String> {
        if ticket.0 != self.latest {
            return None;
        }
        self.status = PickerStatus::Searching;
        Some(self.query.clone())
    }

    /// Graph's answer to `ticket`'s search; an answer to a replaced search is dropped. A
    /// failure says what Graph said (a 403 names the permission) and, for roles and apps,
    /// falls back to the catalogue.
    pub fn accept(
        &mut self,
        ticket: Ticket,
        answer: Result<Vec<Hit>, GraphError>,
        labels: &Labels,
    ) -> bool {
        if ticket.0 != self.latest {
            return false;
        }
        self.active = None;
        match answer {
            Ok(hits) => {
                self.results = hits;
                self.status = PickerStatus::Done;
            }
            Err(e) => {
                self.results = offline_hits(self.kind, &search_term(&self.query), labels);
                self.status = PickerStatus::Note(e.user_message());
            }
        }
        true
    }

    /// Arrow keys: moves the active suggestion by `delta`, wrapping around.
    pub fn move_active(&mut self, delta: isize) {
        let n = self.results.len() as isize;
        if n == 0 {
            self.active = None;
            return;
        }
        let next = match self.active {
            None if delta < 0 => n - 1,
            None => 0,
            Some(i) => (i as isize + delta).rem_euclid(n),
        };
        self.active = Some(next as usize);
    }

    /// The suggestion Enter chooses: the active one, else the only one.
    pub fn active_hit(&self) -> Option<&Hit> {
        match self.active {
            Some(i) => self.results.get(i),
            None if self.results.len() == 1 => self.results.first(),
            None => None,
        }
    }

    /// Escape, or a choice made: the list closes and the text is cleared; a search still
    /// waiting is dropped.
    pub fn close(&mut self) {
        self.latest += 1;
        self.query.clear();
        self.results.clear();
        self.active = None;
        self.status = PickerStatus::Idle;
    }
}

/// Suggestions without Graph: an id as typed (named if the draft or the catalogue knows it),
/// or roles and apps from the catalogue whose name holds the text (names that start with it
/// first), at most [`SEARCH_TOP`].
pub fn offline_hits(kind: DirectoryKind, text: &str, labels: &Labels) -> Vec<Hit> {
    let term = search_term(text);
    if is_guid(&term) {
        return vec![Hit {
            id: term.to_ascii_lowercase(),
            name: labels.name_of(&term).unwrap_or_default().to_string(),
            detail: None,
        }];
    }
    let table = match kind {
        DirectoryKind::Role => names::roles(),
        DirectoryKind::App => names::apps(),
        _ => return vec![],
    };
    let needle = term.to_lowercase();
    let mut found: Vec<(bool, &str, &str)> = table
        .iter()
        .filter_map(|&(id, name)| {
            let lower = name.to_lowercase();
            lower
                .contains(&needle)
                .then(|| (!lower.starts_with(&needle), name, id))
        })
        .collect();
    found.sort();
    found
        .into_iter()
        .take(SEARCH_TOP)
        .map(|(_, name, id)| Hit {
            id: id.to_string(),
            name: name.to_string(),
            detail: None,
        })
        .collect()
}

/// What the picker says offline when nothing matches.
pub fn offline_note(kind: DirectoryKind) -> String {
    match kind {
        DirectoryKind::Role => "No built-in directory role has that name.".into(),
        DirectoryKind::App => {
            "No well-known Microsoft application has that name: type its appId, or connect to search the tenant's applications.".into()
        }
        other => format!(
            "Offline: type the {} object id, or connect to look it up by name.",
            match other {
                DirectoryKind::User => "user's",
                DirectoryKind::Group => "group's",
                _ => "named location's",
            }
        ),
    }
}

/// An id as a picker shows it: "Name (id)", or "id (connect to look it up)".
pub fn shown(labels: &Labels, id: &str) -> String {
    labels.describe(id)
}
