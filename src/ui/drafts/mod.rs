//! Keeping the draft: autosave, share links, and the "Saved drafts" list.

mod panel;
pub mod storage;
mod view;

pub use panel::DraftsPanel;
