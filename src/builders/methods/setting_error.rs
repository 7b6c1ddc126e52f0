//! The error every method and strength builder returns for a setting Graph would refuse.

use std::fmt;

/// A setting the admin chose that Graph would refuse, or that cannot be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    /// The setting at fault, as the CLI option / form field names it.
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for SettingError {}

pub(super) fn setting(field: &'static str, message: impl Into<String>) -> SettingError {
    SettingError {
        field,
        message: message.into(),
    }
}
