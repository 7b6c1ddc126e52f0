//! The device-filter editor: the rule checked as it is typed, a device to try it on, and a
//! condition builder.

mod editor;
mod evaluator;
pub mod highlight;

pub use editor::FilterEditor;
