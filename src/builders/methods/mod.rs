//! The Authentication methods policy: the passkey (FIDO2) and Temporary Access Pass method
//! configurations as PATCH bodies, and what such a PATCH does to the lists already stored.
//!
//! Why the merge: a PATCH replaces every collection it carries whole — `includeTargets`,
//! `keyRestrictions.aaGuids`. Sending only the pilot group and the Authenticator AAGUIDs would
//! silently remove every other target and every AAGUID already allowed, and removing an allowed
//! AAGUID stops its users from *signing in*. So the body is built from the current configuration
//! (a pasted `GET` response) and the preview lists what is added, removed (with why) and kept.
//! Without a pasted configuration the builder assumes the documented service default, says so,
//! and the generated script checks that assumption (see [`CurrentConfig::fingerprint`]) before
//! it sends anything.
//!
//! Layout: `method` which configuration and the permission to write it; `current` the
//! configuration as the tenant holds it; `targets` the include targets merged with the pilot
//! group; `passkey` and `tap` the two PATCHes; `effect` the preview of what a PATCH does;
//! `setting_error` the error for a setting Graph would refuse. On a tenant with passkey profiles:
//! `profiles` the configuration as read, `profile_words` it in words, `profile_plan` the ordered
//! PATCHes of the pilot profile (add, read back, target).

mod current;
mod effect;
mod method;
mod passkey;
mod profile_plan;
mod profile_words;
mod profiles;
mod setting_error;
mod tap;
mod targets;

pub use current::{CurrentConfig, KeyRestrictions, FINGERPRINT_PARTS};
pub use effect::{ListEffect, MethodPatch, Note, PatchEffect};
pub use method::{Method, METHODS_PERMISSION, METHODS_ROLE};
pub use passkey::{fido2_patch, PasskeySettings};
pub use profile_plan::{
    fill_profile_id, find_profile_id, placeholder, profile_plan, PlanError, PlanStep, ProfilePlan,
    ProfileSettings, ReadBackError, StepKind, MAX_POLICY_BYTES, MAX_PROFILES, PILOT_PROFILE_NAME,
};
pub use profile_words::{describe, first_read_notes};
pub use profiles::{Fido2Config, PasskeyProfile, PasskeyTypes, ProfilesConfig};
pub use setting_error::SettingError;
pub use tap::{tap_patch, TapSettings};
pub use targets::{check_group_id, PILOT_GROUP_PLACEHOLDER};
