//! Designing the policies: the rollout's steps as tabs (`step_nav.rs`), the open step's form
//! (`step_form.rs`, its larger sections in `sections.rs`, its checkbox groups in
//! `choices.rs`), and the device-filter editor inside it (`filter/`).

mod choices;
pub mod filter;
mod pilot_members;
mod sections;
mod step_form;
mod step_nav;

pub use sections::break_glass;
pub use step_form::StepForm;
pub use step_nav::{kind_name, StepNav};
