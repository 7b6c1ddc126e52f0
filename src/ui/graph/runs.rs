//! Runs against Graph: one at a time per status region, each reporting its progress and end
//! there. Unmounting the owner cancels its run, so a Disconnect (which unmounts every section)
//! leaves nothing running with the token.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use super::session::Conn;
use super::status::{status_region, RunState, Status};
use crate::graph::{warning_for, Cancel, ErrorKind, Graph, GraphError, GraphOp, WebTransport};

/// Starts runs against Graph for the operation sections and reports into the status region.
/// Setting state through a handle from an earlier render is fine in Yew, so a run that
/// outlives a render still reports.
#[derive(Clone)]
pub struct Runner {
    pub conn: Conn,
    status: UseStateHandle<Status>,
    current: Rc<RefCell<Option<Cancel>>>,
    runs: Rc<Cell<u32>>,
}

impl PartialEq for Runner {
    fn eq(&self, other: &Self) -> bool {
        self.conn == other.conn && Rc::ptr_eq(&self.current, &other.current)
    }
}

impl Runner {
    /// Starts a run: cancels any run still going (one at a time keeps the status region
    /// truthful) and reports its progress into the status region while it is the current one.
    pub fn start(&self, what: &str) -> Run {
        let cancel = Cancel::new();
        if let Some(old) = self.current.borrow_mut().replace(cancel.clone()) {
            old.cancel();
        }
        self.runs.set(self.runs.get() + 1);
        self.set(RunState::Working, what.to_string(), None);
        let me = self.clone();
        let mine = cancel.clone();
        let g = Graph::new(
            WebTransport::new(self.conn.cloud, self.conn.token.clone()),
            self.conn.cloud,
        )
        .with_cancel(cancel.clone())
        .on_progress(move |p| {
            if me.is_current(&mine) {
                me.set(RunState::Working, p.describe(), None);
            }
        });
        Run {
            g,
            runner: self.clone(),
            cancel,
        }
    }

    fn is_current(&self, cancel: &Cancel) -> bool {
        self.current.borrow().as_ref() == Some(cancel)
    }

    fn set(&self, state: RunState, text: String, error: Option<GraphError>) {
        self.status.set(Status {
            state,
            text: Some(text),
            error,
            run: self.runs.get(),
        });
    }

    /// A problem found before any call (an invalid draft): nothing was sent.
    pub fn problem(&self, text: impl Into<String>) {
        self.set(RunState::Error, text.into(), None);
    }

    /// The token's warning for `op`, shown next to the button before the call.
    pub fn warning(&self, op: GraphOp) -> Option<String> {
        warning_for(op, self.conn.token.claims())
    }
}

/// One run: its `Graph` and the way it reports its end. A run that was replaced by a newer one
/// or ended by Disconnect reports nothing, so it cannot overwrite what the region shows now.
pub struct Run {
    pub g: Graph<WebTransport>,
    runner: Runner,
    cancel: Cancel,
}

impl Run {
    /// Ends the run if it is still the current one.
    fn end(&self, state: RunState, text: String, error: Option<GraphError>) {
        let r = &self.runner;
        if !r.is_current(&self.cancel) {
            return;
        }
        r.current.borrow_mut().take();
        r.set(state, text, error);
    }

    pub fn ok(&self, text: impl Into<String>) {
        self.end(RunState::Ok, text.into(), None);
    }

    /// A failure that is not Graph's (a name clash, an invalid id).
    pub fn problem(&self, text: impl Into<String>) {
        self.end(RunState::Error, text.into(), None);
    }

    pub fn fail(&self, e: GraphError) {
        self.fail_with(e.user_message(), e);
    }

    /// A Graph failure with a message of the caller's (e.g. what exists after a partial pilot).
    /// Cancelled by the admin: back to idle, no error shown.
    pub fn fail_with(&self, text: String, e: GraphError) {
        if e.kind == ErrorKind::Cancelled {
            self.end(RunState::Idle, text, None);
        } else {
            self.end(RunState::Error, text, Some(e));
        }
    }
}

/// Warnings for the operations a button runs, rendered next to it.
pub fn permission_warnings(runner: &Runner, ops: &[GraphOp]) -> Html {
    let mut seen = vec![];
    for op in ops {
        if let Some(w) = runner.warning(*op) {
            if !seen.contains(&w) {
                seen.push(w);
            }
        }
    }
    html! {
        { for seen.into_iter().map(|w| html! { <p class="field-warning graph-permission-warning" role="note">{w}</p> }) }
    }
}

/// A status region and the runs that report into it: one per place that calls Graph (this
/// panel, the passkey panel's deploy section). Unmounting the owner cancels its run, so a
/// Disconnect (which unmounts every section) leaves nothing running with the token.
pub struct Runs {
    pub runner: Option<Runner>,
    pub status: UseStateHandle<Status>,
    current: Rc<RefCell<Option<Cancel>>>,
}

/// Cancels a status region's run from a callback (Disconnect).
#[derive(Clone)]
pub struct Canceller(Rc<RefCell<Option<Cancel>>>);

impl Canceller {
    pub fn cancel(&self) {
        if let Some(c) = self.0.borrow_mut().take() {
            c.cancel();
        }
    }
}

impl Runs {
    pub fn canceller(&self) -> Canceller {
        Canceller(self.current.clone())
    }

    /// The status region, with element ids `{prefix}-status`, `{prefix}-status-text` and
    /// `{prefix}-cancel`.
    pub fn region(&self, prefix: &str) -> Html {
        let current = self.current.clone();
        let on_cancel = Callback::from(move |_: MouseEvent| {
            if let Some(c) = current.borrow().as_ref() {
                c.cancel();
            }
        });
        let host = self.runner.as_ref().map(|r| r.conn.cloud.host());
        status_region(prefix, &self.status, host, on_cancel)
    }
}

#[hook]
pub fn use_runs(conn: Option<Conn>) -> Runs {
    let status = use_state(Status::idle);
    let current = use_mut_ref(|| None::<Cancel>);
    let runs: Rc<Cell<u32>> = use_memo((), |_| Cell::new(0u32));
    {
        let canceller = Canceller(current.clone());
        use_effect_with((), move |_| move || canceller.cancel());
    }
    let runner = conn.map(|c| Runner {
        conn: c,
        status: status.clone(),
        current: current.clone(),
        runs,
    });
    Runs {
        runner,
        status,
        current,
    }
}
