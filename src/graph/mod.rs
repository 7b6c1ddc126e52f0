//! Microsoft Graph: the only module that makes requests — from the browser, with the admin's
//! pasted token, to allow-listed Graph hosts only.
//!
//! Almost everything here is pure and tested natively:
//! - [`cloud`]: the host allow-list and [`GraphUrl`], the only URL a request can carry
//!   (`@odata.nextLink` to another host is refused).
//! - [`token`]: the secret ([`Token`], never printed or serialised) and its decoded claims.
//! - [`permissions`]: what each operation needs; [`missing_for`] warns before a call.
//! - [`errors`]: HTTP status + Graph error body → [`GraphError`] with an admin-facing message.
//! - [`retry`]: bounded retries honouring `Retry-After`, as pure functions.
//! - [`body`]: response bodies read as JSON with the policy import's checks.
//! - [`paging`]: the `@odata.nextLink` state machine.
//! - [`ops`]: request builders and response readers for every call.
//! - [`transport`], [`session`], [`flows`]: the [`Transport`] trait, [`Graph`] (send with
//!   retries, collect pages, progress, cancellation) and the deploy / pilot / audit / monitor
//!   flows on top; [`auth_methods`]: the passkey/TAP method configurations and the
//!   authentication strength.
//! - `client` (wasm32 only): [`WebTransport`], `fetch` through gloo-net.
//!
//! UI use: `let g = Graph::new(WebTransport::new(cloud, token.clone()), cloud)
//! .with_cancel(cancel.clone()).on_progress(move |p| status.set(p.describe()));`
//! then `spawn_local(async move { let r = flows::load_policies(&g, ApiVersion::V1, 50).await; … })`.

// `GraphError` is large (status, code, message, request ids) and returned only on failure;
// boxing it would make every caller's matching noisier for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod auth_methods;
pub mod body;
pub mod cloud;
pub mod errors;
pub mod flows;
pub mod ops;
pub mod paging;
pub mod permissions;
pub mod retry;
pub mod session;
pub mod time;
pub mod token;
pub mod transport;

#[cfg(target_arch = "wasm32")]
pub mod client;

pub use cloud::{ApiVersion, Cloud, GraphUrl, UrlError};
pub use errors::{ErrorKind, GraphError};
pub use permissions::{missing_for, warning_for, GraphOp, Requirement};
pub use retry::RetryPolicy;
pub use session::Graph;
pub use token::{Claims, ExpiryStatus, Token, TokenError, TokenKind};
pub use transport::{Cancel, Method, Progress, Request, Response, Transport, TransportError};

#[cfg(target_arch = "wasm32")]
pub use client::WebTransport;
