//! The tenant's Authentication methods policy as far as the proof needs it: the passkey
//! (FIDO2) configuration (on passkey profiles or the legacy key restrictions) and the
//! Temporary Access Pass one, read with the builders' own parsers.
//!
//! Input: the body of `GET /policies/authenticationMethodsPolicy` (configurations inline), a
//! list of configurations (array or list response) or one configuration. Missing: the default
//! the builders assume for a tenant that never changed the method (disabled, `all_users`), and
//! the proof says so.

use serde_json::{Map, Value};

use super::read::text_and_value;
use crate::builders::methods::{CurrentConfig, Fido2Config, KeyRestrictions, Method};
use crate::located::Located;
use crate::policy::import::locate_item;

/// The two method configurations the journey depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodsPolicy {
    pub fido2: Fido2Config,
    /// `isSelfServiceRegistrationAllowed` (global, profiles or not); `None` when not given.
    pub self_service: Option<bool>,
    pub tap: CurrentConfig,
    /// What was assumed, in words (empty when both configurations were given).
    pub assumed: Vec<String>,
}

impl Default for MethodsPolicy {
    /// Microsoft's defaults for a new tenant, as the builders assume them.
    fn default() -> MethodsPolicy {
        MethodsPolicy {
            fido2: Fido2Config::Legacy(CurrentConfig::service_default(Method::Fido2)),
            self_service: None,
            tap: CurrentConfig::service_default(Method::TemporaryAccessPass),
            assumed: vec![
                "no --methods: assumed Microsoft's defaults for a new tenant (Passkey (FIDO2) and Temporary Access Pass disabled, targeting all users)".into(),
            ],
        }
    }
}

fn is(o: &Map<String, Value>, method: Method) -> bool {
    let by_type = o
        .get("@odata.type")
        .and_then(Value::as_str)
        .is_some_and(|t| t == method.odata_type());
    let by_id = o
        .get("id")
        .and_then(Value::as_str)
        .is_some_and(|id| id.eq_ignore_ascii_case(method.config_id()));
    by_type || by_id
}

impl MethodsPolicy {
    pub fn parse(bytes: &[u8]) -> Result<MethodsPolicy, Located> {
        let (text, v) = text_and_value(bytes)?;
        let (key, items): (Option<&str>, Vec<&Value>) = match &v {
            Value::Array(a) => (None, a.iter().collect()),
            Value::Object(o) => match (o.get("authenticationMethodConfigurations"), o.get("value")) {
                (Some(Value::Array(a)), _) => (Some("authenticationMethodConfigurations"), a.iter().collect()),
                (Some(other), _) => {
                    return Err(Located::at_offset(
                        &text,
                        text.find("\"authenticationMethodConfigurations\"").unwrap_or(0),
                        format!("authenticationMethodConfigurations must be an array, found {other}"),
                    ))
                }
                (None, Some(Value::Array(a))) => (Some("value"), a.iter().collect()),
                _ => (None, vec![&v]),
            },
            _ => {
                return Err(Located::new(
                    1,
                    1,
                    "expected the Authentication methods policy, a list of method configurations or one configuration",
                ))
            }
        };
        let single = matches!(&v, Value::Object(o) if !o.contains_key("authenticationMethodConfigurations") && !o.get("value").is_some_and(Value::is_array));
        let at = |i: usize, message: String| {
            let offset = if single {
                text.find('{')
            } else {
                locate_item(&text, key, i)
            };
            Located::at_offset(&text, offset.unwrap_or(0), message)
        };
        let label = |i: usize| match key {
            Some(k) => format!("{k}[{i}]"),
            None if single => "the configuration".to_string(),
            None => format!("[{i}]"),
        };
        let mut out = MethodsPolicy {
            fido2: Fido2Config::Legacy(CurrentConfig::service_default(Method::Fido2)),
            self_service: None,
            tap: CurrentConfig::service_default(Method::TemporaryAccessPass),
            assumed: Vec::new(),
        };
        let (mut fido2_seen, mut tap_seen) = (false, false);
        for (i, item) in items.into_iter().enumerate() {
            let Value::Object(o) = item else {
                return Err(at(
                    i,
                    format!("{} must be a method configuration object", label(i)),
                ));
            };
            let body = item.to_string();
            let reword = |e: Located| at(i, format!("{}: {}", label(i), e.message));
            if is(o, Method::Fido2) {
                out.fido2 = Fido2Config::parse(&body).map_err(reword)?;
                out.self_service = o
                    .get("isSelfServiceRegistrationAllowed")
                    .and_then(Value::as_bool);
                fido2_seen = true;
            } else if is(o, Method::TemporaryAccessPass) {
                out.tap =
                    CurrentConfig::parse(Method::TemporaryAccessPass, &body).map_err(reword)?;
                tap_seen = true;
            }
        }
        for (seen, method) in [
            (fido2_seen, Method::Fido2),
            (tap_seen, Method::TemporaryAccessPass),
        ] {
            if !seen {
                out.assumed.push(format!(
                    "--methods has no {} configuration: assumed the default (disabled, targeting all users)",
                    method.label()
                ));
            }
        }
        Ok(out)
    }

    /// The passkey configuration's state, targets and legacy settings.
    pub(super) fn fido2_current(&self) -> &CurrentConfig {
        match &self.fido2 {
            Fido2Config::Legacy(c) => c,
            Fido2Config::Profiles(p) => &p.current,
        }
    }
}

/// Whether a method target (`all_users`, a group, a user) covers the user.
pub(super) fn covers(target: &Map<String, Value>, user_id: &str, groups: &[String]) -> bool {
    let id = target.get("id").and_then(Value::as_str).unwrap_or("");
    if id.eq_ignore_ascii_case("all_users") {
        return true;
    }
    match target.get("targetType").and_then(Value::as_str) {
        Some("user") => id.eq_ignore_ascii_case(user_id),
        _ => groups.iter().any(|g| g.eq_ignore_ascii_case(id)) || id.eq_ignore_ascii_case(user_id),
    }
}

/// The include target that covers the user, unless an exclude target does (an exclusion
/// overrides every inclusion).
pub(super) enum Targeting<'c> {
    Included(&'c Map<String, Value>),
    Excluded(&'c Map<String, Value>),
    NotIncluded,
}

pub(super) fn targeting<'c>(
    c: &'c CurrentConfig,
    user_id: &str,
    groups: &[String],
) -> Targeting<'c> {
    if let Some(t) = c
        .exclude_targets
        .iter()
        .find(|t| covers(t, user_id, groups))
    {
        return Targeting::Excluded(t);
    }
    match c
        .include_targets
        .iter()
        .find(|t| covers(t, user_id, groups))
    {
        Some(t) => Targeting::Included(t),
        None => Targeting::NotIncluded,
    }
}

/// Whether key restrictions (of a profile, or the legacy top-level ones) admit a passkey with
/// one of `aaguids` (all of them, when the phone is not known).
pub(super) fn restrictions_admit(k: Option<&KeyRestrictions>, aaguids: &[&str]) -> bool {
    let Some(k) = k.filter(|k| k.is_enforced) else {
        return true;
    };
    let listed = |a: &str| k.aaguids.iter().any(|x| x.eq_ignore_ascii_case(a));
    match k.enforcement_type.as_deref() {
        Some("allow") => aaguids.iter().all(|a| listed(a)),
        Some("block") => !aaguids.iter().any(|a| listed(a)),
        _ => false,
    }
}
