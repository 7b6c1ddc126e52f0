//! The offline What-If: which policies apply to a simulated sign-in, why, and what the sign-in
//! must then satisfy.
//!
//! Semantics (Microsoft Learn, "Conditional Access: Users, groups…", "Target resources",
//! "Conditions", "Filter for devices", "The What If tool"):
//! - Only On and Report-only policies are evaluated; Report-only results are listed apart and
//!   never enforced.
//! - A policy applies when every configured condition is met; a condition that is not configured
//!   (absent, null or empty) is met. Users: the union of the includes minus the union of the
//!   excludes — an exclusion wins.
//! - Resources are apps, user actions or authentication contexts; a policy that targets user
//!   actions is matched only by a user action. A policy on All resources also applies to the
//!   Register security information user action, as Graph's evaluate API documents (v1.0,
//!   Example 3); other app policies do not reach a user action.
//! - *Require approved client app* is retired (30 June 2026): Microsoft no longer enforces it
//!   and a policy behaves as if it were not selected, so it is left out of every grant.
//! - Device platform: an unknown platform is only covered by "Any device" (`all`).
//! - Device filter: the rule is evaluated with `crate::filter::eval`; an unregistered device is
//!   an empty device (every property null), and extension attributes are null unless the device
//!   is Intune-managed, compliant or hybrid joined; include mode applies on a match, exclude mode
//!   on a non-match.
//! - Combined result: any applying enforced block blocks; otherwise every applying enforced
//!   policy's grant must be met (AND across policies, each policy's own AND/OR inside).
//! - Authentication strengths are taken as met, except in a registration (the Register
//!   security information user action, and the sign-in before it): there a strength that
//!   someone registering a first passkey cannot meet is not — the two kinds of the
//!   authentication-strength loop, a phishing-resistant strength on All resources where a phone
//!   signs in (Microsoft Authenticator's own sign-in is covered too), and a strength a
//!   Temporary Access Pass does not satisfy on the user action. Another control under OR that
//!   the sign-in can give is a way past it. The requirement is then marked
//!   (`Requirement::first_passkey`), the outcome blocked, and the explanation says why and the
//!   documented ways out.
//!
//! Where the documentation is silent the output carries a note saying what was assumed.
//!
//! Speed: [`CompiledPolicySet::new`] parses each device filter once and interns every object id,
//! so a scenario is checked against a policy with integer comparisons on small sorted lists; the
//! words of a verdict are only written by [`CompiledPolicySet::evaluate`], never by
//! [`CompiledPolicySet::outcome`].
//!
//! The path of a sign-in through the modules: `scenario` (the input) → `compile` (the
//! policies, once; ids interned by `intern`) → `conditions` (one verdict per condition, a
//! reason code) → `decide` (the result without words) or `explain` (the report in words).
//! `personas` (and the matrix) and `registration` (for the audit) are built on them;
//! `first_passkey` (the strength a first-passkey registrant cannot meet) serves `decide` and
//! `explain` alike.

mod compile;
mod conditions;
mod decide;
pub mod evaluate;
mod explain;
mod first_passkey;
mod intern;
mod personas;
mod registration;
mod scenario;

pub use compile::CompiledPolicySet;
pub use conditions::Condition;
pub use decide::{Decision, Outcome, Requirement, SessionRequirement};
pub use explain::{evaluate, ConditionVerdict, PolicyVerdict, WhatIf};
pub use personas::{matrix, personas, PERSONA_GUEST_TENANT, PERSONA_USER};
pub(crate) use registration::{registration_paths, RegistrationPath};
pub use scenario::{
    AuthFlow, ClientApp, Location, Resource, Risk, Scenario, User, UserKind, EXCHANGE_ONLINE_APP,
    MY_SIGNINS_APP, SHAREPOINT_ONLINE_APP,
};
