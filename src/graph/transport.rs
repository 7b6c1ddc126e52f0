//! What travels: [`Request`] (always to a checked [`GraphUrl`]) and [`Response`]; the
//! [`Transport`] trait the flows run over (the browser's `fetch` in `client.rs`, an in-memory
//! fake in tests); cancellation and progress reporting shared with the UI.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use super::cloud::GraphUrl;
use super::permissions::GraphOp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether repeating the request cannot change the outcome. Decides if a network failure
    /// (request maybe delivered) may be retried.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post)
    }
}

/// One Graph call. The `Authorization` header is not here: the transport adds it, so a request
/// value (logged, shown, compared in tests) never holds the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub op: GraphOp,
    pub method: Method,
    pub url: GraphUrl,
    /// JSON text; sent with `Content-Type: application/json`.
    pub body: Option<String>,
    /// Extra headers (e.g. `Prefer`). Never `Authorization`.
    pub headers: Vec<(&'static str, String)>,
}

impl Request {
    pub fn get(op: GraphOp, url: GraphUrl) -> Request {
        Request {
            op,
            method: Method::Get,
            url,
            body: None,
            headers: vec![],
        }
    }

    pub fn with_body(op: GraphOp, method: Method, url: GraphUrl, body: String) -> Request {
        Request {
            op,
            method,
            url,
            body: Some(body),
            headers: vec![],
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Request {
        self.headers.push((name, value.into()));
        self
    }

    /// `METHOD URL`, as shown in previews and Graph Explorer.
    pub fn request_line(&self) -> String {
        format!("{} {}", self.method.as_str(), self.url)
    }
}

/// An HTTP response as the flows need it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The request did not produce an HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// DNS, TLS, CORS, offline … (the browser does not say which). The text is the browser's.
    Network(String),
    /// Cancelled through [`Cancel`].
    Cancelled,
    /// The transport refused to send (e.g. a URL for another cloud than the token's).
    Refused(String),
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Network(s) => write!(f, "network error: {s}"),
            TransportError::Cancelled => f.write_str("cancelled"),
            TransportError::Refused(s) => write!(f, "refused: {s}"),
        }
    }
}

/// Sends requests. Implementations add `Authorization: Bearer …` and `Content-Type`.
///
/// Futures are not `Send` (the browser is single-threaded); run flows with
/// `wasm_bindgen_futures::spawn_local`.
#[allow(async_fn_in_trait)]
pub trait Transport {
    async fn send(&self, request: &Request, cancel: &Cancel) -> Result<Response, TransportError>;
    /// Waits (retry backoff). The caller sleeps in short slices and checks [`Cancel`] between.
    async fn sleep(&self, duration: Duration);
    /// Seconds since the Unix epoch (for `Retry-After` dates).
    fn now_unix(&self) -> i64;
    /// Removes secrets from server-provided text before it is shown (a server could echo the
    /// `Authorization` header). Transports that hold a token must override this.
    fn redact(&self, text: &str) -> String {
        text.to_string()
    }
}

/// A cancellation flag shared between the UI (Cancel button, Disconnect) and a running flow.
/// Cloning shares the flag. Hooks let a transport abort an in-flight `fetch`
/// (`AbortController::abort`) the moment the flag is set.
#[derive(Clone, Default)]
pub struct Cancel(Rc<CancelInner>);

#[derive(Default)]
struct CancelInner {
    cancelled: Cell<bool>,
    next_id: Cell<u64>,
    hooks: RefCell<Vec<(u64, Hook)>>,
}

type Hook = Box<dyn FnOnce()>;

impl fmt::Debug for Cancel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cancel({})", self.is_cancelled())
    }
}

impl PartialEq for Cancel {
    /// Same flag (for Yew props).
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }

    pub fn cancel(&self) {
        self.0.cancelled.set(true);
        let hooks = std::mem::take(&mut *self.0.hooks.borrow_mut());
        for (_, hook) in hooks {
            hook();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.get()
    }

    /// Runs `hook` on [`Cancel::cancel`] (at once if already cancelled) unless the returned
    /// guard was dropped first.
    pub fn on_cancel(&self, hook: impl FnOnce() + 'static) -> CancelHook {
        if self.is_cancelled() {
            hook();
            return CancelHook {
                cancel: self.clone(),
                id: None,
            };
        }
        let id = self.0.next_id.get();
        self.0.next_id.set(id + 1);
        self.0.hooks.borrow_mut().push((id, Box::new(hook)));
        CancelHook {
            cancel: self.clone(),
            id: Some(id),
        }
    }
}

/// Unregisters its hook when dropped (the request finished; nothing to abort any more).
pub struct CancelHook {
    cancel: Cancel,
    id: Option<u64>,
}

impl Drop for CancelHook {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            self.cancel.0.hooks.borrow_mut().retain(|(i, _)| *i != id);
        }
    }
}

/// What a running flow reports, for the status region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// A request is being sent (`attempt` ≥ 2 for retries).
    Sending { op: GraphOp, attempt: u32 },
    /// Waiting before a retry; `seconds_left` counts down.
    Waiting {
        op: GraphOp,
        status: Option<u16>,
        seconds_left: u64,
        next_attempt: u32,
    },
    /// Another page arrived; `items` so far.
    Page {
        op: GraphOp,
        page: usize,
        items: usize,
    },
    /// A flow step finished, in words ("Created group Pilot (id …)").
    Step(String),
}

impl Progress {
    /// One line for the status region.
    pub fn describe(&self) -> String {
        match self {
            Progress::Sending { op, attempt: 1 } => format!("{}…", capital(op.describe())),
            Progress::Sending { op, attempt } => {
                format!("{}… (attempt {attempt})", capital(op.describe()))
            }
            Progress::Waiting {
                status,
                seconds_left,
                next_attempt,
                ..
            } => {
                let why = match status {
                    Some(429) => "Graph is throttling requests (429)",
                    Some(503) => "Graph is temporarily unavailable (503)",
                    Some(_) => "Graph answered with an error",
                    None => "the network failed",
                };
                format!("{why}; retrying in {seconds_left} s (attempt {next_attempt})")
            }
            Progress::Page { op, page, items } => format!(
                "{}: page {page}, {items} item{} so far",
                capital(op.describe()),
                if *items == 1 { "" } else { "s" }
            ),
            Progress::Step(s) => s.clone(),
        }
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
