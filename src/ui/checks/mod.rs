//! "Checks": what is wrong or risky in the open step, each with a way to the field. What it
//! lists is `app::checks`, computed from the draft alone.

mod panel;

pub use panel::LintPanel;
