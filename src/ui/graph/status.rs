//! The live status region a Graph run reports into: what is happening, and Graph's error in
//! full (status, code, request ids) when a call failed.

use yew::prelude::*;

use crate::graph::GraphError;
use crate::ui::widgets::visible::visible;

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
    /// What last happened here; `None` until something has, when the region says where the
    /// connection stands instead. Regions mount with every phase's screen, and one that said
    /// "Not connected." beside a live connection would contradict the panel above it.
    pub text: Option<String>,
    pub error: Option<GraphError>,
    /// How many runs have started (`data-run`), so a watcher can tell this run's end from the last.
    pub run: u32,
}

impl Status {
    pub fn idle() -> Status {
        Status {
            state: RunState::Idle,
            text: None,
            error: None,
            run: 0,
        }
    }

    /// Nothing running and nothing failed: `text` says where things stand.
    pub fn quiet(text: impl Into<String>) -> Status {
        Status {
            text: Some(text.into()),
            ..Status::idle()
        }
    }

    /// The text shown: what last happened, or where the connection to `host` stands.
    fn shown(&self, host: Option<&str>) -> String {
        match (&self.text, host) {
            (Some(t), _) => t.clone(),
            (None, Some(host)) => format!("Connected to {host}."),
            (None, None) => "Not connected.".to_string(),
        }
    }
}

/// The region, with element ids `{prefix}-status`, `{prefix}-status-text` and `{prefix}-cancel`;
/// `host` is the connected Graph host, if any.
pub fn status_region(
    prefix: &str,
    s: &Status,
    host: Option<&str>,
    on_cancel: Callback<MouseEvent>,
) -> Html {
    let e = s.error.as_ref();
    html! {
        <div id={format!("{prefix}-status")} class={classes!("graph-status", s.state.as_str())} role="status" aria-live="polite"
            data-state={s.state.as_str()} data-run={s.run.to_string()}
            data-graph-code={e.and_then(|e| e.code.clone())}
            data-request-id={e.and_then(|e| e.request_id.clone())}>
            <p id={format!("{prefix}-status-text")}>{visible(&s.shown(host))}</p>
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
