//! Microsoft Graph with the admin's own token: connect, deploy the open step, run the pilot,
//! audit the tenant's policies and monitor registrations and sign-ins.
//!
//! Every request goes through `crate::graph` (the only module that sends anything). This file
//! holds the connection and the live status region; the operations live in the submodules.
//!
//! The token is kept as `Rc<Token>` in component state and nowhere else: the textarea is read
//! through a `NodeRef` (so the pasted text is never Yew state) and emptied once connected,
//! Disconnect drops the last `Rc` and unmounts every operation (their results go with them).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::draft::{Action, Draft};
use crate::graph::flows;
use crate::graph::time::format_utc;
use crate::graph::token::TokenKind;
use crate::graph::{
    warning_for, Cancel, Cloud, ErrorKind, ExpiryStatus, Graph, GraphError, GraphOp, Token,
    WebTransport,
};
use crate::ui::visible::visible;

#[path = "graph_audit.rs"]
mod audit;
#[path = "graph_deploy.rs"]
mod deploy;
#[path = "graph_monitor.rs"]
mod monitor;

// ---------------------------------------------------------------- shared with the submodules

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

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    Idle,
    Working,
    Ok,
    Error,
}

impl RunState {
    fn as_str(self) -> &'static str {
        match self {
            RunState::Idle => "idle",
            RunState::Working => "working",
            RunState::Ok => "ok",
            RunState::Error => "error",
        }
    }
}

/// What the status region shows.
#[derive(Clone, PartialEq)]
pub struct Status {
    pub state: RunState,
    pub text: String,
    pub error: Option<GraphError>,
    /// How many runs have started (`data-run`), so a watcher can tell this run's end from the last.
    pub run: u32,
}

impl Status {
    fn idle() -> Status {
        Status {
            state: RunState::Idle,
            text: "Not connected.".into(),
            error: None,
            run: 0,
        }
    }
}

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
            text,
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

pub fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

// ---------------------------------------------------------------- the panel

/// A status region and the runs that report into it: one per place that calls Graph (this
/// panel, the passkey panel's deploy section). Unmounting the owner cancels its run, so a
/// Disconnect (which unmounts every section) leaves nothing running with the token.
pub struct Runs {
    pub runner: Option<Runner>,
    pub status: UseStateHandle<Status>,
    current: Rc<RefCell<Option<Cancel>>>,
}

impl Runs {
    /// The status region, with element ids `{prefix}-status`, `{prefix}-status-text` and
    /// `{prefix}-cancel`.
    pub fn region(&self, prefix: &str) -> Html {
        let current = self.current.clone();
        let on_cancel = Callback::from(move |_: MouseEvent| {
            if let Some(c) = current.borrow().as_ref() {
                c.cancel();
            }
        });
        status_region(prefix, &self.status, on_cancel)
    }
}

#[hook]
pub fn use_runs(conn: Option<Conn>) -> Runs {
    let status = use_state(Status::idle);
    let current = use_mut_ref(|| None::<Cancel>);
    let runs: Rc<Cell<u32>> = use_memo((), |_| Cell::new(0u32));
    {
        let current = current.clone();
        use_effect_with((), move |_| {
            move || {
                if let Some(c) = current.borrow_mut().take() {
                    c.cancel();
                }
            }
        });
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

#[derive(Properties, PartialEq)]
pub struct GraphPanelProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
    /// The connection, owned by the app so the passkey panel can deploy with it too.
    pub conn: UseStateHandle<Option<Conn>>,
    /// The tenant's policies, each time the audit loads them (What-If simulates them).
    pub on_tenant_policies: Callback<Rc<flows::PolicyList>>,
}

#[function_component(GraphPanel)]
pub fn graph_panel(p: &GraphPanelProps) -> Html {
    let conn = p.conn.clone();
    let cloud = use_state(|| Cloud::Global);
    let token_error = use_state(|| None::<String>);
    let runs = use_runs((*conn).clone());
    let status = runs.status.clone();
    let token_ref = use_node_ref();
    // Re-render every 30 s while connected so the expiry warning stays current.
    let tick = use_state(|| 0u32);
    {
        let tick = tick.clone();
        use_effect_with(conn.is_some(), move |connected| {
            let interval = connected.then(|| {
                gloo::timers::callback::Interval::new(30_000, move || {
                    tick.set(tick.wrapping_add(1))
                })
            });
            move || drop(interval)
        });
    }

    let on_cloud = {
        let cloud = cloud.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(c) = Cloud::from_id(&v) {
                cloud.set(c);
            }
        })
    };

    let on_connect = {
        let (conn, cloud, token_error, status, token_ref) = (
            conn.clone(),
            cloud.clone(),
            token_error.clone(),
            status.clone(),
            token_ref.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(ta) = token_ref.cast::<HtmlTextAreaElement>() else {
                return;
            };
            // TokenError never quotes the input, so its text is safe to show.
            match Token::parse(&ta.value()) {
                Ok(token) => {
                    ta.set_value("");
                    token_error.set(None);
                    conn.set(Some(Conn {
                        token: Rc::new(token),
                        cloud: *cloud,
                    }));
                    status.set(Status {
                        state: RunState::Idle,
                        text: format!("Connected to {}. Nothing has been sent yet.", cloud.host()),
                        error: None,
                        run: 0,
                    });
                }
                Err(e) => token_error.set(Some(e.to_string())),
            }
        })
    };

    let on_disconnect = {
        let (conn, status, current, token_ref, token_error) = (
            conn.clone(),
            status.clone(),
            runs.current.clone(),
            token_ref.clone(),
            token_error.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if let Some(c) = current.borrow_mut().take() {
                c.cancel();
            }
            if let Some(ta) = token_ref.cast::<HtmlTextAreaElement>() {
                ta.set_value("");
            }
            token_error.set(None);
            conn.set(None);
            status.set(Status {
                state: RunState::Idle,
                text: "Disconnected: the token is forgotten.".into(),
                error: None,
                run: 0,
            });
        })
    };

    let connect_form = html! {
        <div class="graph-connect" hidden={conn.is_some()}>
            <label for="graph-cloud">{"Cloud"}</label>
            <select id="graph-cloud" onchange={on_cloud}>
                { for Cloud::ALL.iter().map(|c| html! {
                    <option value={c.id()} selected={*c == *cloud}>{c.label()}</option>
                }) }
            </select>
            <label for="graph-token">{"Access token for Microsoft Graph"}</label>
            <p class="hint" id="graph-token-hint">
                {"Paste the output of "}<code>{"az account get-access-token --resource https://graph.microsoft.com --query accessToken -o tsv"}</code>
                {" or "}<code>{"(Get-AzAccessToken -ResourceTypeName MSGraph).Token"}</code>{". It stays in this tab's memory only: never stored, never in the link, sent only to the chosen Graph host."}
            </p>
            <textarea id="graph-token" ref={token_ref.clone()} rows="3" spellcheck="false" autocomplete="off"
                aria-invalid={token_error.is_some().to_string()} aria-describedby="graph-token-hint graph-token-message" />
            <div id="graph-token-message" class="field-messages">
                if let Some(e) = (*token_error).clone() { <p class="field-error" role="alert">{format!("Not a usable token: {e}.")}</p> }
            </div>
            <button type="button" id="graph-connect" onclick={on_connect}>{"Connect"}</button>
        </div>
    };

    let runner = runs.runner.clone();

    html! {
        <section class="panel graph-panel" aria-labelledby="graph-heading" id="graph-panel">
            <h2 id="graph-heading">{"Microsoft Graph"}</h2>
            {connect_form}
            if let Some(c) = (*conn).clone() {
                {connection_summary(&c)}
                <button type="button" class="secondary" id="graph-disconnect" onclick={on_disconnect}>{"Disconnect (forget the token)"}</button>
            }
            {runs.region("graph")}
            if let Some(r) = runner {
                <deploy::DeploySection runner={r.clone()} draft={p.draft.clone()} dispatch={p.dispatch.clone()} />
                <audit::AuditSection runner={r.clone()} draft={p.draft.clone()} dispatch={p.dispatch.clone()} on_loaded={p.on_tenant_policies.clone()} />
                <monitor::MonitorSection runner={r} />
            }
        </section>
    }
}

fn connection_summary(c: &Conn) -> Html {
    let claims = c.token.claims();
    let now = now_unix();
    let (expiry_class, expiry_note) = match claims.expiry_status(now) {
        ExpiryStatus::Valid => ("", None),
        ExpiryStatus::ExpiresSoon { minutes } => (
            "field-warning",
            Some(format!("Expires in {minutes} minute{}: get a new token soon.", if minutes == 1 { "" } else { "s" })),
        ),
        ExpiryStatus::Expired => (
            "field-error",
            Some("This token has expired: Graph will refuse it (401). Get a new one and connect again.".to_string()),
        ),
    };
    let (perm_label, perms) = match claims.kind() {
        TokenKind::Delegated => ("Delegated scopes (scp)", claims.scopes.clone()),
        TokenKind::Application => ("Application permissions (roles)", claims.roles.clone()),
    };
    let missing: Vec<String> = GraphOp::ALL
        .iter()
        .filter_map(|op| warning_for(*op, claims))
        .collect();
    html! {
        <div id="graph-connection" class="graph-connection" data-cloud={c.cloud.id()}>
            <dl>
                <dt>{"Graph host"}</dt><dd>{c.cloud.host()}</dd>
                <dt>{"Tenant"}</dt><dd id="graph-tenant">{claims.tenant_id.clone().unwrap_or_else(|| "(not in the token)".into())}</dd>
                <dt>{"User"}</dt><dd id="graph-user">{claims.user.clone().unwrap_or_else(|| "(an application token: no user)".into())}</dd>
                <dt>{"Expires"}</dt><dd id="graph-expiry" class={expiry_class}>{format_utc(claims.expires_at)}</dd>
                <dt>{perm_label}</dt><dd id="graph-scopes">{if perms.is_empty() { "(none)".to_string() } else { perms.join(" ") }}</dd>
            </dl>
            if let Some(n) = expiry_note { <p class={expiry_class} role="alert" id="graph-expiry-warning">{n}</p> }
            if let Some(w) = claims.audience_warning(c.cloud) { <p class="field-error" role="alert">{format!("Audience: {w}.")}</p> }
            if !missing.is_empty() {
                <details class="graph-missing">
                    <summary>{format!("{} operation{} this token cannot perform", missing.len(), if missing.len() == 1 { "" } else { "s" })}</summary>
                    <ul>{ for missing.iter().map(|m| html! { <li>{m}</li> }) }</ul>
                </details>
            }
        </div>
    }
}

fn status_region(prefix: &str, s: &Status, on_cancel: Callback<MouseEvent>) -> Html {
    let e = s.error.as_ref();
    html! {
        <div id={format!("{prefix}-status")} class={classes!("graph-status", s.state.as_str())} role="status" aria-live="polite"
            data-state={s.state.as_str()} data-run={s.run.to_string()}
            data-graph-code={e.and_then(|e| e.code.clone())}
            data-request-id={e.and_then(|e| e.request_id.clone())}>
            <p id={format!("{prefix}-status-text")}>{visible(&s.text)}</p>
            if let Some(e) = e {
                <dl class="graph-error">
                    if let Some(st) = e.status { <dt>{"HTTP status"}</dt><dd>{st}</dd> }
                    if let Some(code) = &e.code { <dt>{"Graph code"}</dt><dd class="graph-error-code">{code}</dd> }
                    <dt>{"Message"}</dt><dd class="graph-error-message">{visible(&e.message)}</dd>
                    if let Some(id) = &e.request_id { <dt>{"request-id"}</dt><dd class="graph-error-request-id">{id}</dd> }
                    if let Some(id) = &e.client_request_id { <dt>{"client-request-id"}</dt><dd>{id}</dd> }
                    if let Some(d) = &e.date { <dt>{"date"}</dt><dd class="graph-error-date">{d}</dd> }
                    if e.attempts > 1 { <dt>{"attempts"}</dt><dd>{e.attempts}</dd> }
                </dl>
            }
            if s.state == RunState::Working {
                <button type="button" class="secondary" id={format!("{prefix}-cancel")} onclick={on_cancel}>{"Cancel"}</button>
            }
        </div>
    }
}

/// The value of a `<select>` or `<input>` an event came from.
pub fn event_value(e: &Event) -> String {
    let t = e.target();
    if let Some(s) = t.as_ref().and_then(|t| t.dyn_ref::<HtmlSelectElement>()) {
        return s.value();
    }
    if let Some(i) = t
        .as_ref()
        .and_then(|t| t.dyn_ref::<web_sys::HtmlInputElement>())
    {
        return i.value();
    }
    if let Some(i) = t.as_ref().and_then(|t| t.dyn_ref::<HtmlTextAreaElement>()) {
        return i.value();
    }
    String::new()
}
