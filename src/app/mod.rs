//! The admin's session: the draft rollout (its steps, the reducer the page and the CLI drive,
//! the checks each form shows, repairs on load, settings a form does not show), the rollout
//! assembled from it, the plans of every write to a tenant, and the What-If form's scenario.
//!
//! This layer sits above the core and `graph`: it may use every module below it, and only
//! `ui` and `cli` use it.

pub mod audit;
pub mod bootstrap;
pub mod checks;
pub mod deploy;
pub mod draft;
pub mod error;
pub mod export;
pub mod name_lookup;
pub mod onboarding;
pub mod passkey_profiles;
pub mod phase;
pub mod picker;
pub mod pilot;
pub mod report;
pub mod rollout;
pub mod tenant_reads;
pub mod whatif;
pub mod whatif_compare;
pub mod whatif_file;

pub use error::AppError;
