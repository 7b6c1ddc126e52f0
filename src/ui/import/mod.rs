//! "Import an existing policy": paste or upload policy JSON into the draft.

mod panel;

pub use panel::ImportPanel;
