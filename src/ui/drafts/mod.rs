//! Keeping the draft: autosave, share links, and the "Saved drafts" list.

mod panel;
pub mod storage;

pub use panel::DraftsPanel;
