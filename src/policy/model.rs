//! Serde types for the Graph v1.0 `conditionalAccessPolicy` and every type nested in it
//! (`docs/graph.md#the-policy-object`).
//!
//! Two rules make import→export lossless:
//! - every property is a [`Field`], so absent, `null`, a value, and a value of the wrong shape
//!   are four different states, each written back as it was read;
//! - every object keeps the properties this model does not know (beta fields, `@odata.*`
//!   annotations, advertised actions like `#microsoft.graph.restore`) in `extra`, written after
//!   the known ones.
//!
//! Field order is the order of Microsoft's complete policy examples (`docs/graph.md#field-order`),
//! so generated bodies read like them; read-only properties come where a Graph GET puts `id`
//! (first) or after the writable ones.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use super::enums::*;
pub use super::field::{Field, Json};

/// Declares a Graph object: every listed property is a `Field<T>` that is skipped only when
/// absent; unknown properties land in `extra`; the order the properties were read in is kept.
///
/// Deserialisation is written out rather than derived: the derived code (with `flatten`) is
/// instantiated per object type and per deserializer, which cost the web bundle tens of KB.
/// Here each object reads its known keys out of one JSON map and keeps the rest, in order.
/// Serialisation is written out too, so an imported object is written back in the order it
/// was read (Graph returns `id, templateId, displayName, createdDateTime, …`; a hand-written
/// file has its own order), known and unknown properties interleaved as they were.
macro_rules! graph_object {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                pub $field: Field<$ty>,
            )+
            /// Properties this model does not know, kept in input order.
            pub extra: Map<String, Value>,
            /// The order the properties were read in; empty for an object built in code, which
            /// is written in the model's order with `extra` last.
            pub key_order: KeyOrder,
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                match Value::deserialize(d)? {
                    Value::Object(map) => Ok(Self::from_map(map)),
                    other => Err(serde::de::Error::custom(format!(
                        "{} must be a JSON object, not {}",
                        stringify!($name),
                        json_kind(&other)
                    ))),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.to_json().serialize(s)
            }
        }

        impl Json for $name {
            fn from_json(v: Value) -> Result<Self, Value> {
                match v {
                    Value::Object(map) => Ok(Self::from_map(map)),
                    other => Err(other),
                }
            }

            /// The object as read: each known property in its place, unknown ones in theirs;
            /// then what was not read (set in code), known properties in model order, the rest
            /// after them.
            fn to_json(&self) -> Value {
                const FIELDS: usize = [$(stringify!($field)),+].len();
                let mut written = [false; FIELDS];
                let mut extra = self.extra.iter();
                let mut out = Map::new();
                for &slot in &self.key_order.0 {
                    if slot == KeyOrder::EXTRA {
                        if let Some((k, v)) = extra.next() {
                            out.insert(k.clone(), v.clone());
                        }
                    } else if let Some(done @ false) = written.get_mut(usize::from(slot)) {
                        *done = true;
                        self.write_field(usize::from(slot), &mut out);
                    }
                }
                for (i, done) in written.iter().enumerate() {
                    if !done {
                        self.write_field(i, &mut out);
                    }
                }
                for (k, v) in extra {
                    out.insert(k.clone(), v.clone());
                }
                Value::Object(out)
            }
        }

        impl $name {
            /// Known keys into their fields (a value of the wrong shape is kept as
            /// `Field::Mismatch`), every other key into `extra`, in input order.
            fn from_map(map: Map<String, Value>) -> Self {
                let names = [$(json_key(stringify!($field))),+];
                let mut out = Self::default();
                let mut order = Vec::with_capacity(map.len());
                for (k, v) in map {
                    match names.iter().position(|n| *n == k) {
                        Some(i) => {
                            out.read_field(i, v);
                            order.push(u8::try_from(i).unwrap_or(KeyOrder::EXTRA));
                        }
                        None => {
                            out.extra.insert(k, v);
                            order.push(KeyOrder::EXTRA);
                        }
                    }
                }
                out.key_order = KeyOrder(order);
                out
            }

            /// Sets the `i`-th known field (model order) from its JSON value.
            fn read_field(&mut self, i: usize, v: Value) {
                let mut v = Some(v);
                let mut n = 0;
                $(
                    if i == n {
                        if let Some(v) = v.take() {
                            self.$field = Field::from_json(v);
                        }
                    }
                    n += 1;
                )+
                let _ = n;
            }

            /// Writes the `i`-th known field (model order), unless it is absent.
            fn write_field(&self, i: usize, out: &mut Map<String, Value>) {
                let mut n = 0;
                $(
                    if i == n && !self.$field.is_absent() {
                        out.insert(json_key(stringify!($field)), self.$field.to_json());
                        return;
                    }
                    n += 1;
                )+
                let _ = n;
            }
        }
    };
}

/// The order an object's properties were read in: per property, the index of its known field
/// or [`KeyOrder::EXTRA`] for the next property of `extra`. Presentation, not content: two
/// objects that differ only in order are equal.
#[derive(Clone, Default)]
pub struct KeyOrder(Vec<u8>);

impl KeyOrder {
    const EXTRA: u8 = u8::MAX;
}

impl PartialEq for KeyOrder {
    fn eq(&self, _: &KeyOrder) -> bool {
        true
    }
}

impl std::fmt::Debug for KeyOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyOrder({} keys)", self.0.len())
    }
}

/// The JSON name of a field: camelCase, as `rename_all = "camelCase"` writes it, except the
/// one annotation the model holds as a field.
fn json_key(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field); // `r#type` is `type`
    if field == "odata_type" {
        return "@odata.type".to_string();
    }
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
#[test]
fn json_keys_match_what_serialize_writes() {
    assert_eq!(json_key("include_user_actions"), "includeUserActions");
    assert_eq!(json_key("r#type"), "type");
    assert_eq!(json_key("odata_type"), "@odata.type");
    // Every known field of a sample lands in its field, not in `extra`.
    let v = serde_json::json!({"isEnabled": true, "value": 8, "type": "hours", "authenticationType": "primaryAndSecondaryAuthentication", "frequencyInterval": "timeBased"});
    let c: SignInFrequencySessionControl = serde_json::from_value(v.clone()).unwrap();
    assert!(c.extra.is_empty(), "{:?}", c.extra);
    assert_eq!(serde_json::to_value(&c).unwrap(), v);
}

/// "a string", "an array"…: what a JSON value is, for messages.
pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

graph_object!(
    /// `conditionalAccessPolicy` (entity; base `policyDeletableItem`).
    Policy {
        /// Read-only; assigned by the service.
        id: String,
        display_name: String,
        description: String,
        state: PolicyState,
        conditions: ConditionSet,
        grant_controls: GrantControls,
        session_controls: SessionControls,
        /// Read-only.
        created_date_time: String,
        /// Read-only.
        modified_date_time: String,
        /// Set by the service when created from a template.
        template_id: String,
        /// Read-only (`policyDeletableItem`).
        deleted_date_time: String,
    }
);

graph_object!(
    /// `conditionalAccessConditionSet`.
    ConditionSet {
        client_app_types: Vec<ClientAppType>,
        applications: Applications,
        users: Users,
        client_applications: ClientApplications,
        platforms: Platforms,
        locations: Locations,
        devices: Devices,
        sign_in_risk_levels: Vec<RiskLevel>,
        user_risk_levels: Vec<RiskLevel>,
        service_principal_risk_levels: Vec<RiskLevel>,
        insider_risk_levels: Flags<InsiderRiskLevel>,
        authentication_flows: AuthenticationFlows,
    }
);

graph_object!(
    /// `conditionalAccessApplications`. `includeApplications` carries app IDs or the tokens
    /// `All`, `None`, `Office365`, `MicrosoftAdminPortals` (strings, not an enum, in the CSDL).
    Applications {
        include_applications: Vec<String>,
        exclude_applications: Vec<String>,
        /// `urn:user:registersecurityinfo`, `urn:user:registerdevice`.
        include_user_actions: Vec<String>,
        include_authentication_context_class_references: Vec<String>,
        application_filter: Filter,
    }
);

graph_object!(
    /// `conditionalAccessUsers`. Include lists are unioned, exclude lists win.
    Users {
        include_users: Vec<String>,
        exclude_users: Vec<String>,
        include_groups: Vec<String>,
        exclude_groups: Vec<String>,
        /// Directory role template IDs.
        include_roles: Vec<String>,
        exclude_roles: Vec<String>,
        include_guests_or_external_users: GuestsOrExternalUsers,
        exclude_guests_or_external_users: GuestsOrExternalUsers,
    }
);

graph_object!(
    /// `conditionalAccessGuestsOrExternalUsers`.
    GuestsOrExternalUsers {
        guest_or_external_user_types: Flags<GuestOrExternalUserType>,
        external_tenants: ExternalTenants,
    }
);

graph_object!(
    /// `conditionalAccessExternalTenants`, an abstract type: the object must say which concrete
    /// type it is in `@odata.type` (`#microsoft.graph.conditionalAccessAllExternalTenants` or
    /// `…EnumeratedExternalTenants`, the latter with `members`). One struct holds both so a file
    /// naming an unexpected type still round-trips; `@odata.type` is a real field here, unlike
    /// every other annotation, because POST bodies need it.
    ExternalTenants {
        odata_type: String,
        membership_kind: MembershipKind,
        /// Tenant IDs; only on the enumerated type.
        members: Vec<String>,
    }
);

graph_object!(
    /// `conditionalAccessClientApplications` (workload identities).
    ClientApplications {
        include_service_principals: Vec<String>,
        exclude_service_principals: Vec<String>,
        service_principal_filter: Filter,
    }
);

graph_object!(
    /// `conditionalAccessPlatforms`.
    Platforms {
        include_platforms: Vec<DevicePlatform>,
        exclude_platforms: Vec<DevicePlatform>,
    }
);

graph_object!(
    /// `conditionalAccessLocations`: named-location IDs or `All` / `AllTrusted`.
    Locations {
        include_locations: Vec<String>,
        exclude_locations: Vec<String>,
    }
);

graph_object!(
    /// `conditionalAccessDevices`: in v1.0 only `deviceFilter` (the device-state properties are
    /// beta-only and end up in `extra`).
    Devices {
        device_filter: Filter,
    }
);

graph_object!(
    /// `conditionalAccessFilter`: a device filter (or application / service-principal filter).
    /// `rule` is at most 3072 characters; its language is `crate::filter`'s business.
    Filter {
        mode: FilterMode,
        rule: String,
    }
);

graph_object!(
    /// `conditionalAccessAuthenticationFlows`.
    AuthenticationFlows {
        transfer_methods: Flags<TransferMethod>,
    }
);

graph_object!(
    /// `conditionalAccessGrantControls`.
    GrantControls {
        operator: GrantOperator,
        built_in_controls: Vec<GrantControl>,
        custom_authentication_factors: Vec<String>,
        terms_of_use: Vec<String>,
        /// Navigation property; write `{ "id": … }`, reads may expand the whole policy.
        authentication_strength: AuthenticationStrength,
    }
);

graph_object!(
    /// `authenticationStrengthPolicy` as it appears under `grantControls.authenticationStrength`.
    AuthenticationStrength {
        id: String,
        display_name: String,
        description: String,
        policy_type: AuthenticationStrengthPolicyType,
        requirements_satisfied: Flags<AuthenticationStrengthRequirement>,
        allowed_combinations: Vec<Flags<AuthenticationMethodMode>>,
        created_date_time: String,
        modified_date_time: String,
    }
);

graph_object!(
    /// `conditionalAccessSessionControls`.
    SessionControls {
        application_enforced_restrictions: SessionControl,
        cloud_app_security: CloudAppSecuritySessionControl,
        persistent_browser: PersistentBrowserSessionControl,
        sign_in_frequency: SignInFrequencySessionControl,
        secure_sign_in_session: SessionControl,
        disable_resilience_defaults: bool,
    }
);

graph_object!(
    /// A session control with only `isEnabled` (`applicationEnforcedRestrictions`,
    /// `secureSignInSession`).
    SessionControl {
        is_enabled: bool,
    }
);

graph_object!(
    /// `cloudAppSecuritySessionControl`.
    CloudAppSecuritySessionControl {
        is_enabled: bool,
        cloud_app_security_type: CloudAppSecurityType,
    }
);

graph_object!(
    /// `persistentBrowserSessionControl`.
    PersistentBrowserSessionControl {
        is_enabled: bool,
        mode: PersistentBrowserMode,
    }
);

graph_object!(
    /// `signInFrequencySessionControl`.
    SignInFrequencySessionControl {
        is_enabled: bool,
        value: i32,
        r#type: SignInFrequencyType,
        authentication_type: SignInFrequencyAuthenticationType,
        frequency_interval: SignInFrequencyInterval,
    }
);

impl Policy {
    /// The policy as a Graph JSON object: every property as held, in the order read.
    pub fn to_value(&self) -> Value {
        self.to_json()
    }
}

/// Wraps a list of strings as a `Field`; keeps template code readable.
pub fn strings<I, S>(items: I) -> Field<Vec<String>>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    Field::Value(items.into_iter().map(Into::into).collect())
}
