//! A Graph policy body as the `azuread_conditional_access_policy` resource of the `azuread`
//! provider: blocks and snake_case arguments, each Graph property mapped to the argument that
//! carries it. A property the resource has no argument for (authentication flows, insider
//! risk, authentication contexts, application filters, token protection, a description, beta
//! properties) is refused, named by its JSON pointer: writing the policy without it would
//! deploy a different policy. `null`, `[]` and `{}` set nothing and are left out.
//!
//! The resource's arguments:
//! <https://registry.terraform.io/providers/hashicorp/azuread/latest/docs/resources/conditional_access_policy>.

use serde_json::{Map, Value};

use super::hcl;
use super::TerraformError;

/// A block: its arguments in Graph order, then its nested blocks.
#[derive(Debug, Default)]
pub(super) struct Block {
    attrs: Vec<(&'static str, Value)>,
    blocks: Vec<(&'static str, Block)>,
}

impl Block {
    /// The block's body, each line at `indent`.
    pub(super) fn write(&self, indent: usize, out: &mut String) {
        for (name, v) in &self.attrs {
            hcl::pad(indent, out);
            out.push_str(name);
            out.push_str(" = ");
            hcl::value(v, indent, out);
            out.push('\n');
        }
        for (name, b) in &self.blocks {
            hcl::pad(indent, out);
            out.push_str(name);
            out.push_str(" {\n");
            b.write(indent + 1, out);
            hcl::pad(indent, out);
            out.push_str("}\n");
        }
    }
}

/// One Graph object being read: what is taken from it, so that what is left can be refused.
struct Reader<'a> {
    pointer: String,
    map: &'a Map<String, Value>,
    taken: Vec<&'a str>,
}

fn unset(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(l) => l.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

impl<'a> Reader<'a> {
    fn new(pointer: String, v: &'a Value) -> Result<Reader<'a>, TerraformError> {
        match v {
            Value::Object(map) => Ok(Reader {
                pointer,
                map,
                taken: vec![],
            }),
            _ => Err(TerraformError::new(pointer, "is not an object")),
        }
    }

    /// The value of `key`, when set; marks it taken.
    fn get(&mut self, key: &'a str) -> Option<&'a Value> {
        self.taken.push(key);
        self.map.get(key).filter(|v| !unset(v))
    }

    fn pointer_of(&self, key: &str) -> String {
        format!("{}/{}", self.pointer, escape_pointer(key))
    }

    /// `key` copied as argument `name`.
    fn attr(&mut self, key: &'a str, name: &'static str, to: &mut Block) {
        if let Some(v) = self.get(key) {
            to.attrs.push((name, v.clone()));
        }
    }

    /// The object under `key`, read by `read` into block `name` (left out when it sets
    /// nothing).
    fn block(
        &mut self,
        key: &'a str,
        name: &'static str,
        to: &mut Block,
        read: impl FnOnce(&mut Reader<'a>, &mut Block) -> Result<(), TerraformError>,
    ) -> Result<(), TerraformError> {
        let Some(v) = self.get(key) else {
            return Ok(());
        };
        let mut r = Reader::new(self.pointer_of(key), v)?;
        let mut b = Block::default();
        read(&mut r, &mut b)?;
        r.finish()?;
        if !b.attrs.is_empty() || !b.blocks.is_empty() {
            to.blocks.push((name, b));
        }
        Ok(())
    }

    /// Refuses the first property set that nothing took.
    fn finish(self) -> Result<(), TerraformError> {
        match self
            .map
            .iter()
            .find(|(k, v)| !self.taken.contains(&k.as_str()) && !unset(v))
        {
            None => Ok(()),
            Some((k, _)) => Err(TerraformError::cannot_express(self.pointer_of(k), k)),
        }
    }
}

/// RFC 6901: `~` and `/` in a key.
fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The resource body for the policy `body` (its POST body), `pointer` its place in the input.
pub(super) fn policy(pointer: String, body: &Value) -> Result<Block, TerraformError> {
    let mut r = Reader::new(pointer, body)?;
    let mut b = Block::default();
    r.attr("displayName", "display_name", &mut b);
    r.attr("state", "state", &mut b);
    r.block("conditions", "conditions", &mut b, conditions)?;
    r.block("grantControls", "grant_controls", &mut b, grant_controls)?;
    r.block(
        "sessionControls",
        "session_controls",
        &mut b,
        session_controls,
    )?;
    r.finish()?;
    Ok(b)
}

fn conditions<'a>(r: &mut Reader<'a>, b: &mut Block) -> Result<(), TerraformError> {
    r.attr("clientAppTypes", "client_app_types", b);
    r.attr(
        "servicePrincipalRiskLevels",
        "service_principal_risk_levels",
        b,
    );
    r.attr("signInRiskLevels", "sign_in_risk_levels", b);
    r.attr("userRiskLevels", "user_risk_levels", b);
    r.block("applications", "applications", b, |r, b| {
        r.attr("includeApplications", "included_applications", b);
        r.attr("excludeApplications", "excluded_applications", b);
        r.attr("includeUserActions", "included_user_actions", b);
        Ok(())
    })?;
    r.block("clientApplications", "client_applications", b, |r, b| {
        r.attr("includeServicePrincipals", "included_service_principals", b);
        r.attr("excludeServicePrincipals", "excluded_service_principals", b);
        Ok(())
    })?;
    r.block("devices", "devices", b, |r, b| {
        r.block("deviceFilter", "filter", b, |r, b| {
            r.attr("mode", "mode", b);
            r.attr("rule", "rule", b);
            Ok(())
        })
    })?;
    r.block("locations", "locations", b, |r, b| {
        r.attr("includeLocations", "included_locations", b);
        r.attr("excludeLocations", "excluded_locations", b);
        Ok(())
    })?;
    r.block("platforms", "platforms", b, |r, b| {
        r.attr("includePlatforms", "included_platforms", b);
        r.attr("excludePlatforms", "excluded_platforms", b);
        Ok(())
    })?;
    r.block("users", "users", b, users)
}

fn users<'a>(r: &mut Reader<'a>, b: &mut Block) -> Result<(), TerraformError> {
    r.attr("includeUsers", "included_users", b);
    r.attr("excludeUsers", "excluded_users", b);
    r.attr("includeGroups", "included_groups", b);
    r.attr("excludeGroups", "excluded_groups", b);
    r.attr("includeRoles", "included_roles", b);
    r.attr("excludeRoles", "excluded_roles", b);
    for (key, name) in [
        (
            "includeGuestsOrExternalUsers",
            "included_guests_or_external_users",
        ),
        (
            "excludeGuestsOrExternalUsers",
            "excluded_guests_or_external_users",
        ),
    ] {
        r.block(key, name, b, guests)?;
    }
    Ok(())
}

/// Graph holds the guest types as one comma-separated string; the resource takes a list.
fn guests<'a>(r: &mut Reader<'a>, b: &mut Block) -> Result<(), TerraformError> {
    let pointer = r.pointer_of("guestOrExternalUserTypes");
    match r.get("guestOrExternalUserTypes") {
        None => {}
        Some(Value::String(s)) => {
            let types: Vec<Value> = s
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| Value::String(t.to_string()))
                .collect();
            b.attrs
                .push(("guest_or_external_user_types", Value::Array(types)));
        }
        Some(_) => {
            return Err(TerraformError::new(
                pointer,
                "is not a comma-separated string of guest types",
            ))
        }
    }
    r.block("externalTenants", "external_tenants", b, |r, b| {
        // The type follows from the membership kind (`all` or `enumerated`).
        r.get("@odata.type");
        r.attr("membershipKind", "membership_kind", b);
        r.attr("members", "members", b);
        Ok(())
    })
}

fn grant_controls<'a>(r: &mut Reader<'a>, b: &mut Block) -> Result<(), TerraformError> {
    r.attr("operator", "operator", b);
    r.attr("builtInControls", "built_in_controls", b);
    r.attr(
        "customAuthenticationFactors",
        "custom_authentication_factors",
        b,
    );
    r.attr("termsOfUse", "terms_of_use", b);
    let pointer = r.pointer_of("authenticationStrength");
    if let Some(strength) = r.get("authenticationStrength") {
        let mut s = Reader::new(pointer, strength)?;
        s.attr("id", "authentication_strength_policy_id", b);
        s.finish()?;
    }
    Ok(())
}

/// The resource flattens each session control to one argument; a control switched off
/// (`isEnabled: false`) enforces nothing and is left out.
fn session_controls<'a>(r: &mut Reader<'a>, b: &mut Block) -> Result<(), TerraformError> {
    r.attr(
        "disableResilienceDefaults",
        "disable_resilience_defaults",
        b,
    );
    let pointer = r.pointer_of("applicationEnforcedRestrictions");
    if let Some(v) = r.get("applicationEnforcedRestrictions") {
        let mut c = Reader::new(pointer, v)?;
        c.attr("isEnabled", "application_enforced_restrictions_enabled", b);
        c.finish()?;
    }
    control(
        r,
        b,
        "cloudAppSecurity",
        &[("cloudAppSecurityType", "cloud_app_security_policy")],
    )?;
    control(
        r,
        b,
        "persistentBrowser",
        &[("mode", "persistent_browser_mode")],
    )?;
    control(
        r,
        b,
        "signInFrequency",
        &[
            ("value", "sign_in_frequency"),
            ("type", "sign_in_frequency_period"),
            (
                "authenticationType",
                "sign_in_frequency_authentication_type",
            ),
            ("frequencyInterval", "sign_in_frequency_interval"),
        ],
    )
}

/// The session control under `key`: its members `args` as arguments when it is enabled.
fn control<'a>(
    r: &mut Reader<'a>,
    b: &mut Block,
    key: &'a str,
    args: &[(&'a str, &'static str)],
) -> Result<(), TerraformError> {
    let pointer = r.pointer_of(key);
    let Some(v) = r.get(key) else {
        return Ok(());
    };
    let enabled = v.get("isEnabled") == Some(&Value::Bool(true));
    let mut c = Reader::new(pointer, v)?;
    c.get("isEnabled");
    for (k, name) in args {
        if enabled {
            c.attr(k, name, b);
        } else {
            c.get(k);
        }
    }
    c.finish()
}
