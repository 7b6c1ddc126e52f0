//! Designing the policies: the rollout's steps as tabs, the open step's form, and the
//! device-filter editor inside it.

pub mod filter;
mod step_form;

pub use step_form::{StepForm, StepNav};
