//! The Graph session: the connection (the token, memory only) and the tenant's policies as the
//! audit last listed them. One reducer in the app, shared through a context, so no component
//! passes the token down and Disconnect forgets it in one place.

use std::rc::Rc;

use yew::prelude::*;

use crate::graph::flows::PolicyList;
use crate::graph::{Cloud, Token};

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
}

impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        let same_tenant = match (&self.tenant, &other.tenant) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        self.conn == other.conn && same_tenant
    }
}

pub enum SessionAction {
    Connect(Conn),
    /// Drops the token and everything read with it.
    Disconnect,
    TenantListed(Rc<PolicyList>),
}

impl Reducible for Session {
    type Action = SessionAction;
    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        Rc::new(match action {
            SessionAction::Connect(conn) => Session {
                conn: Some(conn),
                tenant: self.tenant.clone(),
            },
            SessionAction::Disconnect => Session::default(),
            SessionAction::TenantListed(list) => Session {
                conn: self.conn.clone(),
                tenant: self.conn.is_some().then_some(list),
            },
        })
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
