//! The Authentication methods policy (passkey and TAP PATCHes, each behind a check that the
//! configuration is still the one it was merged with) and the custom authentication strength.

use super::script::{connect_step, literal, modules, Flavour, Script, ScriptError};
use super::splice::refuse_placeholder;
use crate::builders::methods::{
    MethodPatch, FINGERPRINT_PARTS, METHODS_PERMISSION, PILOT_GROUP_PLACEHOLDER,
};
use crate::builders::strength::{
    self as strength_builder, StrengthSettings, STRENGTH_PERMISSION, STRENGTH_PLACEHOLDER,
};
use crate::export::graph_json::{self, API_VERSION};
use crate::export::ps_literal;

const METHODS_UPDATE_CMDLET: &str =
    "Update-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration";
const STRENGTH_CMDLET: &str = "New-MgPolicyAuthenticationStrengthPolicy";

/// Scopes to read and write the Authentication methods policy: the write permission covers
/// the read, so nothing broader is asked for.
pub const METHODS_SCOPES: [&str; 1] = [METHODS_PERMISSION];

/// A script that sends one method-configuration PATCH (passkeys or TAP). It first reads the
/// configuration and stops, sending nothing, unless it is the one the PATCH was merged with
/// ([`MethodPatch::expected_current`]): the PATCH replaces lists whole, so a stale merge would
/// drop whatever was added since.
pub fn method_patch_script(flavour: Flavour, patch: &MethodPatch) -> Result<String, ScriptError> {
    refuse_placeholder(
        &patch.body,
        PILOT_GROUP_PLACEHOLDER,
        "/includeTargets",
        "the pilot group's object id",
    )?;
    let label = patch.method.label();
    let steps = [
        connect_step(&METHODS_SCOPES),
        format!("Read the {label} configuration and stop, changing nothing, unless it is the one this script was previewed against."),
        "Send the PATCH below: state, settings, and the complete (merged) lists it holds.".to_string(),
    ];
    let mut s = Script::new(
        flavour,
        &format!("Update the {label} method configuration"),
        &steps,
        &modules(flavour, false),
        &METHODS_SCOPES,
    );
    s.method_guard(patch, "$current")?;
    s.method_patch(patch, &[])?;
    Ok(s.finish())
}

/// A script that creates the custom authentication strength and restricts its passkeys to the
/// AAGUIDs; prints the new strength's id (the id CA policies reference).
pub fn strength_script(
    flavour: Flavour,
    settings: &StrengthSettings,
) -> Result<String, ScriptError> {
    let scopes = [STRENGTH_PERMISSION];
    let steps = [
        connect_step(&scopes),
        "Create the custom authentication strength (only passkeys, FIDO2) and restrict it to the AAGUIDs below.".into(),
        "Print the strength id: CA policies reference it as grantControls.authenticationStrength.id.".into(),
    ];
    let mut s = Script::new(
        flavour,
        "Create a custom authentication strength",
        &steps,
        &modules(flavour, false),
        &scopes,
    );
    s.create_strength(settings)?;
    s.line(0, "Write-Output $strengthId");
    Ok(s.finish())
}

impl Script {
    /// Reads a method configuration into `var` and stops unless its fingerprint is the expected one.
    pub(super) fn method_guard(
        &mut self,
        patch: &MethodPatch,
        var: &str,
    ) -> Result<(), ScriptError> {
        let label = patch.method.label();
        self.blank();
        self.comment(&format!(
            "Is the {label} configuration still the one the PATCH below was merged with?"
        ));
        self.comment(
            "A PATCH replaces the lists it holds (targets, and for passkeys the AAGUIDs) whole; a stale merge would drop entries.",
        );
        if self.flavour == Flavour::Sdk {
            self.comment("Read with Invoke-MgGraphRequest: the SDK's typed result keeps these properties in AdditionalProperties.");
        }
        self.line(
            0,
            &format!(
                "{var} = Invoke-MgGraphRequest -Method GET -Uri {}",
                literal(&format!("/{API_VERSION}{}", patch.method.path()), "uri")?
            ),
        );
        let seen = FINGERPRINT_PARTS
            .iter()
            .enumerate()
            .map(|(i, (label, expr))| {
                let sep = if i == 0 { "" } else { "; " };
                format!("'{sep}{label}=' + {}", expr.replace("$current", var))
            })
            .collect::<Vec<_>>()
            .join(" + ");
        self.line(0, &format!("{var}Seen = {seen}"));
        self.line(
            0,
            &format!(
                "{var}Expected = {}",
                literal(&patch.expected_current, "expected current configuration")?
            ),
        );
        self.line(0, &format!("if ({var}Seen -ne {var}Expected) {{"));
        self.line(1, &format!(
            "throw ('The {label} configuration is not the one this script was previewed against; nothing was changed. Expected: ' + {var}Expected + ' Found: ' + {var}Seen + ' Paste the current configuration into ca-builder and generate the script again.')"
        ));
        self.line(0, "}");
        Ok(())
    }

    /// Sends a method PATCH, with placeholders replaced by code (`$groupId`).
    pub(super) fn method_patch(
        &mut self,
        patch: &MethodPatch,
        subs: &[(&str, &str)],
    ) -> Result<(), ScriptError> {
        self.blank();
        self.comment(&format!(
            "{} method configuration (PATCH; 204 No Content on success).",
            patch.method.label()
        ));
        let body = self.spliced_body(&patch.body, subs, "method body")?;
        match self.flavour {
            Flavour::Sdk => {
                self.line(0, &format!("$params = {body}"));
                self.line(0, &format!(
                    "{METHODS_UPDATE_CMDLET} -AuthenticationMethodConfigurationId {} -BodyParameter $params",
                    literal(patch.method.config_id(), "configuration id")?
                ));
            }
            Flavour::Invoke => {
                self.line(0, &format!("$body = {body}"));
                self.comment("Only POST defaults the content type to JSON; a PATCH must name it.");
                self.line(0, &format!(
                    "Invoke-MgGraphRequest -Method PATCH -Uri {} -Body $body -ContentType 'application/json'",
                    literal(&format!("/{API_VERSION}{}", patch.method.path()), "uri")?
                ));
            }
        }
        self.line(
            0,
            &format!(
                "Write-Output {}",
                literal(
                    &format!("Updated the {} configuration", patch.method.label()),
                    "message"
                )?
            ),
        );
        Ok(())
    }

    /// Creates the strength; leaves its id in `$strengthId`.
    pub(super) fn create_strength(
        &mut self,
        settings: &StrengthSettings,
    ) -> Result<(), ScriptError> {
        self.blank();
        self.comment(
            "Custom authentication strength: only passkeys (fido2), from the allowed AAGUIDs.",
        );
        match self.flavour {
            Flavour::Sdk => {
                // The SDK's documented example passes the AAGUID restriction inline.
                let body = strength_builder::strength_body_inline(settings)?;
                self.line(0, &format!("$params = {}", ps_literal::value(&body, 0)?));
                self.line(
                    0,
                    &format!("$strength = {STRENGTH_CMDLET} -BodyParameter $params"),
                );
                self.line(0, "$strengthId = $strength.Id");
            }
            Flavour::Invoke => {
                // The REST page documents two requests: the strength, then its combination configuration.
                let body = strength_builder::strength_body(settings)?;
                let combo = strength_builder::combination_body(settings)?;
                self.line(
                    0,
                    &format!(
                        "$body = {}",
                        literal(&graph_json::pretty_body(&body), "strength body")?
                    ),
                );
                self.line(0, &format!(
                    "$strength = Invoke-MgGraphRequest -Method POST -Uri {} -Body $body -ContentType 'application/json'",
                    literal(&format!("/{API_VERSION}{}", strength_builder::STRENGTH_PATH), "uri")?
                ));
                self.line(0, "$strengthId = $strength.id");
                let path = strength_builder::combination_path(STRENGTH_PLACEHOLDER);
                let (before, after) = path
                    .split_once(STRENGTH_PLACEHOLDER)
                    .unwrap_or((path.as_str(), ""));
                self.line(
                    0,
                    &format!(
                        "$body = {}",
                        literal(&graph_json::pretty_body(&combo), "combination body")?
                    ),
                );
                self.line(0, &format!(
                    "Invoke-MgGraphRequest -Method POST -Uri ({} + $strengthId + {}) -Body $body -ContentType 'application/json' | Out-Null",
                    literal(&format!("/{API_VERSION}{before}"), "uri")?,
                    literal(after, "uri")?
                ));
            }
        }
        self.line(
            0,
            "Write-Output ('Created authentication strength ' + $strengthId)",
        );
        Ok(())
    }
}
