//! Evaluates a rule against a device, with the semantics Microsoft documents
//! (`docs/filter-language.md#evaluation`):
//!
//! - An absent property is null; an empty device is an unregistered one.
//!   An empty string or empty list counts as null too.
//! - Null never matches a positive operator and always matches a negative
//!   one (`-ne`, `-notStartsWith`, `-notEndsWith`, `-notContains`, `-notIn`).
//! - String comparisons ignore case.
//! - `-contains` on a string property is a substring test; on a collection
//!   property (`physicalIds`, `systemLabels`) it asks whether one element
//!   equals the value.
//! - Every negative operator is exactly the negation of its positive twin.
//! - `-and`/`-or` are plain Boolean (no three-valued logic is documented).
//! - Extension attributes are "only available at evaluation time" for a
//!   device that is Intune-managed, compliant or Microsoft Entra hybrid
//!   joined; on any other device they are null, whatever the device says
//!   ([`Device::extension_attributes_available`]).

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::ast::{Comparison, Expr, Literal, Op};
use super::catalogue::ValueKind;
use super::mode::Mode;
use super::text::Text;

/// A device property value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Str(String),
    Bool(bool),
    List(Vec<String>),
}

/// A device: property name → value. Names are matched ignoring case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Device {
    props: Vec<(String, Value)>,
}

impl Device {
    /// An unregistered device: every property is null.
    pub fn unregistered() -> Self {
        Device::default()
    }

    /// Builder form of `set`.
    pub fn with(mut self, name: &str, value: Value) -> Self {
        self.set(name, value);
        self
    }

    pub fn set(&mut self, name: &str, value: Value) {
        match self
            .props
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some(slot) => slot.1 = value,
            None => self.props.push((name.to_string(), value)),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.props
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    pub fn is_unregistered(&self) -> bool {
        self.props.is_empty()
    }

    /// Whether Conditional Access sees this device's extension attributes:
    /// Microsoft Learn ("Filter for devices") makes them available only when
    /// the device is Intune-managed (`mdmAppId` is Intune's), compliant
    /// (`isCompliant` True) or Microsoft Entra hybrid joined (`trustType`
    /// ServerAD). Reads three properties; allocates nothing.
    pub fn extension_attributes_available(&self) -> bool {
        let is = |name: &str, want: &str| match self.get(name) {
            Some(Value::Str(s)) => s.trim().eq_ignore_ascii_case(want),
            Some(Value::Bool(b)) => bool_text(*b).eq_ignore_ascii_case(want),
            _ => false,
        };
        is("isCompliant", "True")
            || is("trustType", "ServerAD")
            || is("mdmAppId", INTUNE_MDM_APP_ID)
    }
}

/// Microsoft Intune's MDM application id, the `mdmAppId` of a device Intune
/// manages. The id is from third-party catalogues of first-party app ids, not
/// from a Microsoft page.
pub const INTUNE_MDM_APP_ID: &str = "0000000a-0000-0000-c000-000000000000";

/// Whether the rule matches the device.
pub fn eval(expr: &Expr, device: &Device) -> bool {
    match expr {
        Expr::And(xs, _) => xs.iter().all(|x| eval(x, device)),
        Expr::Or(xs, _) => xs.iter().any(|x| eval(x, device)),
        Expr::Compare(c) => compare(c, device),
    }
}

/// The extension attributes `expr` reads that `device` gives a value for but
/// the service would see as null (the device is neither Intune-managed,
/// compliant nor hybrid joined), in the rule's order: what an explanation
/// must mention, since the verdict ignores them.
pub fn hidden_extension_attributes(expr: &Expr, device: &Device) -> Vec<&'static str> {
    // An unregistered device gives no value to hide; nothing is allocated for it.
    if device.is_unregistered() || device.extension_attributes_available() {
        return Vec::new();
    }
    let mut out: Vec<&'static str> = Vec::new();
    for c in expr.comparisons() {
        let name = c.property.name();
        let given = match device.get(name) {
            Some(Value::Str(s)) => !s.is_empty(),
            Some(Value::List(xs)) => xs.iter().any(|x| !x.is_empty()),
            Some(Value::Bool(_)) => true,
            None => false,
        };
        if c.property.spec().extension_attribute && given && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The policy-level meaning of a match: in include mode a match brings the
/// device into scope; in exclude mode it takes the device out.
pub fn applies_to_device(mode: Mode, matched: bool) -> bool {
    match mode {
        Mode::Include => matched,
        Mode::Exclude => !matched,
    }
}

fn compare(c: &Comparison, device: &Device) -> bool {
    let positive = match c.op {
        Op::Eq | Op::Ne => Op::Eq,
        Op::StartsWith | Op::NotStartsWith => Op::StartsWith,
        Op::EndsWith | Op::NotEndsWith => Op::EndsWith,
        Op::Contains | Op::NotContains => Op::Contains,
        Op::In | Op::NotIn => Op::In,
    };
    // Null: only negative operators match. An absent property is decided
    // here, before any allocation: the lint evaluates every rule against an
    // unregistered device on every keystroke.
    let Some(value) = device.get(c.property.name()) else {
        return c.op.is_negative();
    };
    // The service sees no extension attribute on a device that is neither
    // Intune-managed, compliant nor hybrid joined: a value given is null.
    if c.property.spec().extension_attribute && !device.extension_attributes_available() {
        return c.op.is_negative();
    }
    let elements: Vec<&str> = match value {
        Value::Str(s) => vec![s.as_str()],
        Value::Bool(b) => vec![bool_text(*b)],
        Value::List(xs) => xs.iter().map(String::as_str).collect(),
    };
    let elements: Vec<&str> = elements.into_iter().filter(|s| !s.is_empty()).collect();
    // An empty string or list is null too.
    if elements.is_empty() {
        return c.op.is_negative();
    }
    let collection = c.property.spec().kind == ValueKind::Collection;
    let wanted: Vec<&str> = match &c.value {
        Literal::Str(s) => vec![s.as_str()],
        Literal::Bool(b) => vec![bool_text(*b)],
        Literal::List(xs) => xs.iter().map(Text::as_str).collect(),
    };
    let matched = elements.iter().any(|have| {
        let have = fold(have);
        wanted.iter().any(|w| {
            let w = fold(w);
            match positive {
                Op::StartsWith => have.starts_with(&w),
                Op::EndsWith => have.ends_with(&w),
                Op::Contains if !collection => have.contains(&w),
                _ => have == w,
            }
        })
    });
    matched != c.op.is_negative()
}

fn bool_text(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// Case folding for comparisons ("string operations aren't case sensitive").
fn fold(s: &str) -> String {
    s.to_lowercase()
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, a boolean, a list of strings or null")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
                Ok(Value::Str(s.to_string()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
                Ok(Value::Str(s))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
                Ok(Value::Bool(b))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    items.push(s);
                }
                Ok(Value::List(items))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Device {
    /// `{"trustType": "AzureAD", "isCompliant": true, "physicalIds": ["[ZTDId]:x"]}`;
    /// `null` values are the same as absent ones.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Device;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of device properties")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Device, A::Error> {
                let mut device = Device::default();
                while let Some((name, value)) = map.next_entry::<String, Option<Value>>()? {
                    if let Some(v) = value {
                        device.set(&name, v);
                    }
                }
                Ok(device)
            }
        }
        d.deserialize_map(V)
    }
}

impl Serialize for Device {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.props.iter().map(|(k, v)| (k, v)))
    }
}
