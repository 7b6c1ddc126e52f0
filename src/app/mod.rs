//! The admin's session: the draft rollout (its steps, the reducer the page and the CLI drive,
//! the checks each form shows, repairs on load, settings a form does not show).
//!
//! This layer sits above the core and `graph`: it may use every module below it, and only
//! `ui` and `cli` use it.

pub mod draft;
