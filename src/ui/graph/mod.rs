//! "Microsoft Graph" with the admin's own token: connect, deploy the open step, run the pilot,
//! audit the tenant's policies and monitor registrations and sign-ins.
//!
//! - `session.rs`: the connection (the token, memory only) and the tenant's policies, one
//!   reducer the app provides as a context.
//! - `runs.rs` and `status.rs`: a run against Graph and the status region it reports into.
//! - `panel.rs`: the panel; `connect.rs` and `connection.rs`: the token pasted and described.
//! - `deploy.rs` (with `write.rs`, a write's preview and sending, `pilot.rs`, the pilot's plan
//!   previewed and sent, and `tap.rs`, a Temporary Access Pass per pilot user), `audit.rs`,
//!   `monitor.rs` (with `monitor_pages.rs`, its tables and next pages), `names.rs` (names for
//!   the draft's unnamed user and group ids): the operations, shown while connected.

mod audit;
mod connect;
mod connection;
mod deploy;
mod monitor;
mod monitor_pages;
mod names;
mod panel;
mod pilot;
mod pilot_preview;
mod runs;
mod session;
mod status;
mod tap;
mod write;

pub use panel::GraphPanel;
pub use runs::{permission_warnings, use_runs};
pub use session::{use_graph_session, GraphSession, Session, SessionAction};
