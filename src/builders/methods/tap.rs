//! The Temporary Access Pass PATCH: the admin's choices, checked against Graph's limits, and the
//! body that enables the method for the pilot group.

use super::current::CurrentConfig;
use super::effect::{info, MethodPatch, PatchEffect};
use super::method::Method;
use super::setting_error::{setting, SettingError};
use super::targets::{check_group_id, excludes_effect, merge_targets, pilot_target};
use serde_json::json;

/// The admin's Temporary Access Pass choices (limits from the resource page,
/// <https://learn.microsoft.com/graph/api/resources/temporaryaccesspassauthenticationmethodconfiguration>).
#[derive(Debug, Clone, PartialEq)]
pub struct TapSettings {
    pub pilot_group: String,
    /// `defaultLifetimeInMinutes`, between the minimum and the maximum.
    pub lifetime_minutes: i32,
    pub minimum_lifetime_minutes: i32,
    pub maximum_lifetime_minutes: i32,
    /// `defaultLength`, 8–48.
    pub length: i32,
    /// `isUsableOnce`: every TAP in the tenant is one-time.
    pub one_time: bool,
}

impl TapSettings {
    /// One-time, 60 minutes (enough to sign in and register a passkey), service defaults
    /// otherwise.
    pub fn new(pilot_group: &str) -> TapSettings {
        TapSettings {
            pilot_group: pilot_group.to_string(),
            lifetime_minutes: 60,
            minimum_lifetime_minutes: 60,
            maximum_lifetime_minutes: 480,
            length: 8,
            one_time: true,
        }
    }

    fn validate(&self) -> Result<(), SettingError> {
        check_group_id("pilot_group", &self.pilot_group)?;
        if !(8..=48).contains(&self.length) {
            return Err(setting(
                "length",
                format!("{} characters: a TAP has 8 to 48", self.length),
            ));
        }
        for (field, v) in [
            ("minimum_lifetime_minutes", self.minimum_lifetime_minutes),
            ("maximum_lifetime_minutes", self.maximum_lifetime_minutes),
            ("lifetime_minutes", self.lifetime_minutes),
        ] {
            if !(10..=43200).contains(&v) {
                return Err(setting(
                    field,
                    format!("{v} minutes: Graph allows 10 to 43200 (30 days)"),
                ));
            }
        }
        if self.minimum_lifetime_minutes > self.maximum_lifetime_minutes {
            return Err(setting(
                "minimum_lifetime_minutes",
                format!(
                    "the minimum ({}) is above the maximum ({})",
                    self.minimum_lifetime_minutes, self.maximum_lifetime_minutes
                ),
            ));
        }
        if !(self.minimum_lifetime_minutes..=self.maximum_lifetime_minutes)
            .contains(&self.lifetime_minutes)
        {
            return Err(setting(
                "lifetime_minutes",
                format!(
                    "{} minutes is outside the minimum-maximum range {}-{}",
                    self.lifetime_minutes,
                    self.minimum_lifetime_minutes,
                    self.maximum_lifetime_minutes
                ),
            ));
        }
        Ok(())
    }
}

/// The TAP PATCH: the method enabled for the pilot group, so a user with no MFA method can sign
/// in to Authenticator with a TAP and register a passkey there. Only users the TAP method
/// targets can sign in with a TAP, which is why the pilot group must be in it.
pub fn tap_patch(
    settings: &TapSettings,
    current: &CurrentConfig,
) -> Result<MethodPatch, SettingError> {
    settings.validate()?;
    if current.method != Method::TemporaryAccessPass {
        return Err(setting(
            "current",
            "the pasted configuration is not the Temporary Access Pass one",
        ));
    }
    let (targets, target_effect, mut notes) =
        merge_targets(current, pilot_target(&settings.pilot_group));
    if settings.one_time {
        notes.push(info(
            "isUsableOnce is tenant-wide: every TAP becomes one-time. After signing in with a one-time TAP the \
             user has 10 minutes to register the passkey.",
        ));
    }
    notes.push(info(format!(
        "issue a TAP per user with POST /users/{{id}}/authentication/temporaryAccessPassMethods \
         (New-MgUserAuthenticationTemporaryAccessPassMethod); that needs UserAuthMethod-TAP.ReadWrite.All \
         (least privileged; UserAuthenticationMethod.ReadWrite.All also works) and the Authentication \
         Administrator role, and the code is shown only once. Lifetime {} minutes.",
        settings.lifetime_minutes
    )));
    let body = json!({
        "@odata.type": Method::TemporaryAccessPass.odata_type(),
        "state": "enabled",
        "defaultLifetimeInMinutes": settings.lifetime_minutes,
        "defaultLength": settings.length,
        "minimumLifetimeInMinutes": settings.minimum_lifetime_minutes,
        "maximumLifetimeInMinutes": settings.maximum_lifetime_minutes,
        "isUsableOnce": settings.one_time,
        "includeTargets": targets,
    });
    Ok(MethodPatch {
        method: Method::TemporaryAccessPass,
        body,
        effect: PatchEffect {
            method: Method::TemporaryAccessPass,
            assumed_default: current.assumed,
            lists: vec![target_effect, excludes_effect(current)],
            notes,
        },
        expected_current: current.fingerprint(),
    })
}
