//! Exporters: Graph JSON, PowerShell (SDK cmdlets and Invoke-MgGraphRequest), Terraform and
//! Maester (Pester) tests.
//!
//! Every exporter takes the request body as a `serde_json::Value` (what
//! `Policy::to_post_body()` / `to_patch_body()` / the group template produce), so the
//! exporters never re-derive Graph semantics; they only decide how the same bytes are
//! presented. `ps_literal` is the only place that turns data into PowerShell source text.

pub mod bundle;
pub mod graph_json;
pub mod maester;
pub mod powershell;
pub mod ps_literal;
pub mod render;
pub mod report;
pub mod terraform;

pub use graph_json::{GraphJson, Operation};
pub use powershell::{Flavour, ScriptError};
pub use render::{file_name, render, render_labelled, Format};
