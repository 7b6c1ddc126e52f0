//! "Checks": what is wrong or risky in the open step, each with a way to the field.

mod items;
mod panel;

pub use panel::LintPanel;
