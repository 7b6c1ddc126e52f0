//! Helpers shared by the end-to-end tests.

pub mod browser;
pub mod graph;
