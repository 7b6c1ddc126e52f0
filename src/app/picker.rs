//! A picker's model: the text typed, the search it waits to send (debounced by tickets, so an
//! answer to an older keystroke is dropped), the suggestions, the one the keyboard is on, and
//! what choosing or removing an entry does to the draft: the id goes into its list and the name
//! into the draft's labels, so a reload or a share link still shows it offline. A list kept
//! outside the draft (What-If's persona, [`PickTarget::Outside`]) gets its new ids from
//! [`with_chosen`] and [`without`] through the caller; its names still go into the labels.
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
    /// A list the caller keeps outside the draft (What-If's persona: its user, groups, roles,
    /// application, named locations), holding one id when `one`. The caller passes its ids and
    /// takes each new list ([`with_chosen`], [`without`]); [`choose`] gives only the label.
    Outside {
        kind: DirectoryKind,
        one: bool,
    },
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
            PickTarget::Outside { kind, .. } => kind,
            PickTarget::List(l) => match l {
                IdList::IncludeUsers | IdList::ExcludeUsers => DirectoryKind::User,
                IdList::IncludeGroups | IdList::ExcludeGroups => DirectoryKind::Group,
                IdList::IncludeRoles | IdList::ExcludeRoles => DirectoryKind::Role,
                IdList::IncludeLocations | IdList::ExcludeLocations => DirectoryKind::Location,
                _ => DirectoryKind::App,
            },
        }
    }

    /// Whether the target holds one id, which a choice replaces.
    pub fn one(self) -> bool {
        matches!(
            self,
            PickTarget::PilotGroup | PickTarget::Outside { one: true, .. }
        )
    }

    /// The ids the target holds in `draft` now (none for [`PickTarget::Outside`], whose ids the
    /// caller holds).
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
            PickTarget::Outside { .. } => vec![],
        }
    }

    /// The action that gives a draft target `ids`; `None` for [`PickTarget::Outside`].
    fn set(self, mut ids: Vec<String>) -> Option<Action> {
        Some(match self {
            PickTarget::List(l) => Action::SetIdList(l, ids),
            PickTarget::BreakGlassUsers => Action::SetBreakGlassUsers(ids),
            PickTarget::BreakGlassGroups => Action::SetBreakGlassGroups(ids),
            PickTarget::PilotGroup => Action::SetPilotGroup(ids.pop().unwrap_or_default()),
            PickTarget::Outside { .. } => return None,
        })
    }
}

/// `ids` with `hit` chosen: its id added once (letter case ignored), replacing the old one when
/// the list holds `one` id.
pub fn with_chosen(mut ids: Vec<String>, one: bool, hit: &Hit) -> Vec<String> {
    if one {
        ids.clear();
    }
    if !ids.iter().any(|i| i.eq_ignore_ascii_case(&hit.id)) {
        ids.push(hit.id.clone());
    }
    ids
}

/// `ids` without `id` (letter case ignored).
pub fn without(ids: Vec<String>, id: &str) -> Vec<String> {
    ids.into_iter()
        .filter(|i| !i.eq_ignore_ascii_case(id))
        .collect()
}

/// The actions that add `hit` to `target`: its id (once; the pilot group's replaces the old),
/// and its name as a label. A name the labels refuse is reported and the id still added. For
/// [`PickTarget::Outside`] only the label: the caller puts the id into its own list.
pub fn choose(draft: &Draft, target: PickTarget, hit: &Hit) -> (Vec<Action>, Option<LabelError>) {
    let ids = with_chosen(target.ids(draft), target.one(), hit);
    let mut actions: Vec<Action> = target.set(ids).into_iter().collect();
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

/// The action that takes `id` out of `target` (its label stays: another list may name it);
/// `None` for [`PickTarget::Outside`], whose list [`without`] gives.
pub fn remove(draft: &Draft, target: PickTarget, id: &str) -> Option<Action> {
    target.set(without(target.ids(draft), id))
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

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaa-0000-4000-8000-000000000001";
    const B: &str = "aaaaaaaa-0000-4000-8000-000000000002";

    fn hit(id: &str, name: &str) -> Hit {
        Hit {
            id: id.into(),
            name: name.into(),
            detail: None,
        }
    }

    #[test]
    fn a_list_outside_the_draft_gets_its_ids_from_the_caller_and_its_names_into_the_labels() {
        let persona = PickTarget::Outside {
            kind: DirectoryKind::User,
            one: true,
        };
        assert_eq!(persona.kind(), DirectoryKind::User);
        assert!(persona.one());
        let mut d = Draft::new();
        let before = d.clone();
        let (actions, refused) = choose(&d, persona, &hit(A, "Alice Doe"));
        assert_eq!(refused, None);
        assert_eq!(
            actions,
            vec![Action::SetLabel {
                id: A.into(),
                name: "Alice Doe".into()
            }],
            "only the name goes into the draft"
        );
        actions.into_iter().for_each(|a| d.apply(a));
        assert_eq!(d.labels.get(A), Some("Alice Doe"));
        assert_eq!(d.steps, before.steps);
        assert_eq!(d.break_glass, before.break_glass);
        assert_eq!(remove(&d, persona, A), None);
        assert!(persona.ids(&d).is_empty());

        // One id: a choice replaces it; a list: added once, any letter case.
        assert_eq!(with_chosen(vec![A.into()], true, &hit(B, "")), vec![B]);
        let list = with_chosen(vec![A.into()], false, &hit(B, ""));
        assert_eq!(list, vec![A, B]);
        assert_eq!(
            with_chosen(list.clone(), false, &hit(&A.to_uppercase(), "")),
            list
        );
        assert_eq!(without(list, &B.to_uppercase()), vec![A]);
        assert!(!PickTarget::BreakGlassUsers.one());
        assert!(PickTarget::PilotGroup.one());
    }
}
