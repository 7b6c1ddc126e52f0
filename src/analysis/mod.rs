//! Policy-set analysis: per-policy audit, policy-set lint and the offline What-If.
//!
//! - [`grant`]: what a policy's grant asks for, and whether a device can give it (shared).
//! - [`read`]: reading conditions the way the service does (absent = not configured, a scalar
//!   where a list belongs read as a one-element list), shared by the other three.
//! - [`audit`]: findings about one policy, for the audit table (stable codes).
//! - [`whatif`]: which policies apply to a sign-in, and the combined result.
//! - [`lint`]: findings over a policy set, with fixes.
//! - [`bootstrap`]: whether each persona can get a passkey and then use it.
//!
//! Pure: no DOM, no network, no printing.

pub mod audit;
pub mod bootstrap;
pub mod grant;
pub mod lint;
pub mod read;
pub mod whatif;

pub use audit::{audit, BreakGlass, Finding};
pub use grant::{Control, Grant, Operator};
pub use lint::{lint, LintConfig, LintFinding, PolicyRef};
pub use whatif::{
    evaluate, matrix, personas, CompiledPolicySet, Outcome, PolicyVerdict, Scenario, WhatIf,
};

/// Severity, shared with the device-filter diagnostics so one policy's filter warnings and its
/// policy findings sort and print alike.
pub use crate::filter::Severity;
