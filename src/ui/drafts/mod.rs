//! Keeping the draft: autosave, share links, and the "Saved drafts" list.

mod panel;
pub mod storage;
mod storage_error;
mod view;

pub use panel::DraftsPanel;
pub use storage_error::StorageError;
