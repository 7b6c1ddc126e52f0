//! "Export": the open step as Graph JSON and PowerShell, to copy or download.

mod panel;

pub use panel::ExportPanel;
