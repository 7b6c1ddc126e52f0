//! The Graph v1.0 conditionalAccessPolicy model, import, patch and templates.
//!
//! - [`model`]: serde types for the policy and every nested type, lossless on round trip.
//! - [`import`]: bytes in any encoding/shape found in the wild → policies, errors with line:column.
//! - `keys`: keys that collide in one JSON object (equal, or equal but for case), which import refuses.
//! - [`diff`]: what changed between two policies or two policy sets, in words.
//! - [`patch`]: POST and PATCH bodies (read-only fields dropped; PATCH per Graph's merge rules).
//! - [`templates`]: the passkey-rollout policies, corrected.

pub mod diff;
pub mod edit;
pub mod enums;
pub mod field;
pub mod import;
mod keys;
pub mod model;
pub mod patch;
pub mod templates;

pub use field::Field;
pub use import::{import_bytes, import_document, Imported, Shape};
pub use model::Policy;
pub use patch::to_patch_body;
pub use templates::{
    group_body, mail_nickname, RolloutState, Template, TemplateError, TemplateParams,
};
