//! "What-If (offline)": a sign-in simulated against the draft's policies (and the tenant's),
//! and a matrix of typical personas. `preview.rs` computes, `panel.rs` shows, `controls.rs`
//! holds the form's labelled controls, `scenario.rs` the scenario as Graph's evaluate request
//! (download, load) and the side-by-side run in the tenant.

mod controls;
mod panel;
mod preview;
mod scenario;

pub use panel::WhatIfPanel;
