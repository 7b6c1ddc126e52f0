//! [`StorageError`]: why the page could not keep or open a draft in the browser's storage, one
//! variant per cause, with the words the page shows written once here.

use std::fmt;

use crate::app::draft::DraftLoadError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// The browser gives the page no localStorage (disabled, or a sandboxed frame).
    Unavailable,
    /// Writing the autosaved draft was refused: the storage is full or disabled. `needed`:
    /// the characters the draft takes.
    SaveRefused { needed: usize },
    /// The set-aside copy was refused or did not read back as written: the storage is full
    /// or disabled. `needed`: the characters the copy takes.
    Full { needed: usize },
    /// [`super::storage::MAX_SET_ASIDE`] copies are kept already (a new one is refused, never
    /// evicted).
    TooManySetAside { kept: usize },
    /// The draft to open was removed meanwhile (by another tab, say).
    Gone,
    /// The stored draft does not open.
    Unreadable(DraftLoadError),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::Unavailable => f.write_str("this browser gives the page no local storage"),
            StorageError::SaveRefused { .. } => {
                f.write_str("the browser refused to save the draft (storage full or disabled)")
            }
            StorageError::Full { .. } => f.write_str(
                "the browser's storage for this page is full or disabled; delete saved drafts to make room",
            ),
            StorageError::TooManySetAside { kept } => write!(
                f,
                "{kept} drafts are set aside already, the most this page keeps: delete one under \"Saved drafts\""
            ),
            StorageError::Gone => f.write_str("that draft is no longer in this browser's storage"),
            StorageError::Unreadable(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for StorageError {}

impl From<DraftLoadError> for StorageError {
    fn from(e: DraftLoadError) -> StorageError {
        StorageError::Unreadable(e)
    }
}
