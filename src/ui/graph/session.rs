//! The Graph session: the connection (the token, memory only) and what was read with it: the
//! tenant's policies as the audit last listed them, its authentication strengths and the pilot
//! group's registered methods as the bootstrap panel last read them, the ids a names lookup
//! did not find. One reducer in the app,
//! shared through a context, so no component passes the token down and Disconnect forgets it
//! in one place.

use std::collections::HashSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::analysis::bootstrap::Strengths;
use crate::app::tenant_reads::PilotRows;
use crate::graph::flows::PolicyList;
use crate::graph::{Cloud, Token};
use crate::names::Lookup;

/// The live connection: the token (memory only) and the cloud it was connected for.
#[derive(Clone)]
pub struct Conn {
    pub token: Rc<Token>,
    pub cloud: Cloud,
}

impl PartialEq for Conn {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.token, &other.token) && self.cloud == other.cloud
    }
}

#[derive(Default)]
pub struct Session {
    pub conn: Option<Conn>,
    /// The tenant's policies as last listed by the audit, for What-If; forgotten with the token.
    pub tenant: Option<Rc<PolicyList>>,
    /// The tenant's authentication strengths, for the bootstrap grid.
    pub strengths: Option<Rc<Strengths>>,
    /// The pilot group's members with their registered methods, the bootstrap grid's rows.
    pub pilot_rows: Option<Rc<PilotRows>>,
    /// The ids (lowercase) a names lookup asked about that the tenant did not return.
    pub not_found: Rc<HashSet<String>>,
}

impl Session {
    /// What decides how an id nothing names is worded, to keep beside a memo's inputs.
    pub fn lookup_state(&self) -> LookupState {
        LookupState {
            connected: self.conn.is_some(),
            not_found: self.not_found.clone(),
        }
    }
}

/// The part of the session [`Lookup`] reads: owned, so a memo can depend on it.
#[derive(Clone, PartialEq)]
pub struct LookupState {
    connected: bool,
    not_found: Rc<HashSet<String>>,
}

impl LookupState {
    pub fn lookup(&self) -> Lookup<'_> {
        if self.connected {
            Lookup::Connected {
                not_found: &self.not_found,
            }
        } else {
            Lookup::Offline
        }
    }
}

/// Both absent, or the same read.
fn same<T>(a: &Option<Rc<T>>, b: &Option<Rc<T>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        (a, b) => a.is_none() && b.is_none(),
    }
}

impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        self.conn == other.conn
            && same(&self.tenant, &other.tenant)
            && same(&self.strengths, &other.strengths)
            && same(&self.pilot_rows, &other.pilot_rows)
            && Rc::ptr_eq(&self.not_found, &other.not_found)
    }
}

pub enum SessionAction {
    Connect(Conn),
    /// Drops the token and everything read with it.
    Disconnect,
    TenantListed(Rc<PolicyList>),
    StrengthsRead(Rc<Strengths>),
    PilotRowsRead(Rc<PilotRows>),
    /// Ids a names lookup asked about that the tenant did not return.
    NotFound(Vec<String>),
}

impl Reducible for Session {
    type Action = SessionAction;
    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        let mut next = Session {
            conn: self.conn.clone(),
            tenant: self.tenant.clone(),
            strengths: self.strengths.clone(),
            pilot_rows: self.pilot_rows.clone(),
            not_found: self.not_found.clone(),
        };
        // A read that ends after Disconnect is dropped: nothing outlives the token.
        let connected = self.conn.is_some();
        match action {
            SessionAction::Connect(conn) => {
                next.conn = Some(conn);
                // Another token may be for another tenant.
                next.not_found = Rc::default();
            }
            SessionAction::Disconnect => return Rc::new(Session::default()),
            SessionAction::TenantListed(list) => next.tenant = connected.then_some(list),
            SessionAction::StrengthsRead(s) => next.strengths = connected.then_some(s),
            SessionAction::PilotRowsRead(r) => next.pilot_rows = connected.then_some(r),
            SessionAction::NotFound(ids) if connected && !ids.is_empty() => {
                let mut all = (*self.not_found).clone();
                all.extend(ids);
                next.not_found = Rc::new(all);
            }
            SessionAction::NotFound(_) => {}
        }
        Rc::new(next)
    }
}

/// What the app provides and the Graph sections read.
pub type GraphSession = UseReducerHandle<Session>;

/// The session from the app's provider.
#[hook]
pub fn use_graph_session() -> GraphSession {
    use_context::<GraphSession>().expect("the app provides the Graph session")
}

/// Now, in seconds since the epoch (token expiry, log queries).
pub fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}
