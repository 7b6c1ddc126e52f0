//! The Yew single-page app: the only module that renders. It calls the pure
//! core for everything it shows; it never makes requests itself.
//!
//! One folder per part of the page, named as the page names it:
//!
//! - `app.rs`: the root component: the draft's reducer, the Graph session's provider, the open
//!   phase, and each phase's screen (only the open phase's panels are rendered).
//! - `phases/`: the phase navigation (`#phase-nav`) and the rollout bar (`#rollout-bar`).
//! - `design/`: the open phase's steps as tabs and the open step's form; `design/filter/` is the
//!   device-filter editor inside it (highlighting, a device to try the rule on, a condition builder).
//! - `import/`: "Import an existing policy".
//! - `export/`: "Export" (Graph JSON and PowerShell, copy and download).
//! - `checks/`: "Checks" (form checks and the policy-set lint of the open step).
//! - `graph/`: "Microsoft Graph": the session (the token, memory only) shared as a context,
//!   the status region, connect, and the deploy, audit and monitor sections.
//! - `passkey/`: "Passkeys in Microsoft Authenticator" (settings, PATCHes, the rollout script,
//!   and deploying them while connected).
//! - `whatif/`: "What-If (offline)".
//! - `bootstrap/`: "Can each persona get a passkey?": the bootstrap proof's persona × device grid.
//! - `drafts/`: autosave, share links and "Saved drafts" (`storage.rs`: localStorage and the URL fragment).
//! - `widgets/`: pieces several parts use (form fields, the invisible-character badges,
//!   the hidden-settings note, copy and download).
//! - `csp.rs`: records Content-Security-Policy violations.
//!
//! Each component takes the draft as props and sends `Action`s up through a callback; only the
//! Graph session comes from a context, so the token is never handed down as props.

mod app;
mod bootstrap;
mod checks;
mod csp;
mod design;
mod drafts;
mod export;
mod graph;
mod import;
mod passkey;
mod phases;
mod report;
mod whatif;
mod widgets;

pub use app::App;
pub use csp::record_csp_violations;
pub use design::filter::highlight::{highlight_segments, Segment};
