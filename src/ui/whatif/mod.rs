//! "What-If (offline)": a sign-in simulated against the draft's policies (and the tenant's),
//! and a matrix of typical personas. `preview.rs` computes, `panel.rs` shows, `controls.rs`
//! holds the form's labelled controls.

mod controls;
mod panel;
mod preview;

pub use panel::WhatIfPanel;
