//! The device-filter editor (`editor.rs`): the rule checked as it is typed, with a highlight
//! layer (`highlight.rs`), a device to try the rule on (`evaluator.rs`) and a condition
//! builder (`condition_builder.rs`).

mod condition_builder;
mod editor;
mod evaluator;
pub mod highlight;

pub use editor::FilterEditor;
