//! Builders around the Conditional Access rollout: what protects passkeys in Microsoft
//! Authenticator, since an Intune App Protection Policy cannot
//! (`docs/graph.md#app-protection-and-authenticator`).
//!
//! - [`aaguid`]: checked AAGUIDs, the Authenticator ones, lists typed by the admin.
//! - [`methods`]: the passkey (FIDO2) and Temporary Access Pass method configurations as PATCH
//!   bodies merged with the current configuration, and the preview of the PATCH's effect.
//! - [`strength`]: the custom authentication strength and setting it as a policy's grant.
//! - [`risk`]: the sign-in-risk policy and the licence each part needs.
//! - [`app_protection`]: the plain statement about App Protection for Authenticator.
//! - [`rollout`]: the ordered plan, as a JSON bundle (scripts: `export::powershell`).
//!
//! Pure like the rest of the core: no I/O. What they rely on about Graph is in `docs/graph.md`
//! (`#passkey-and-tap-method-configurations`, `#authentication-strengths`).

pub mod aaguid;
pub mod app_protection;
pub mod methods;
pub mod risk;
pub mod rollout;
pub mod strength;

pub use aaguid::parse_aaguid_list;
pub use methods::{
    CurrentConfig, Method, MethodPatch, PasskeySettings, PatchEffect, SettingError, TapSettings,
};
pub use rollout::{PilotGroup, Rollout, RolloutPolicy};
pub use strength::{require_strength, StrengthSettings};
