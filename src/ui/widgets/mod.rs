//! Pieces more than one screen uses.

pub mod clipboard;
pub mod download;
pub mod event;
pub mod fields;
pub mod hidden_note;
pub mod picker;
pub mod visible;
