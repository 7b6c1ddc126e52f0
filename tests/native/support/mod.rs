//! Helpers shared by the native integration tests.

pub mod analysis;
pub mod cli;
pub mod corpus;
pub mod drafts;
pub mod entry_points;
pub mod fake_transport;
pub mod hostile;
pub mod policy_set;
pub mod powershell;
pub mod ps_tokens;
pub mod schema;
pub mod small_stack;
