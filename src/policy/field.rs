//! `Field<T>`: one property of a Graph object as it appeared on the wire.
//!
//! Graph distinguishes a property that is absent (PATCH: "keep the stored value"), one that is
//! `null` (responses: "no complex value"; PATCH: "clear it") and one that holds a value. An
//! `Option<T>` cannot tell the first two apart, so import→export would not be lossless. Real
//! files also hold values of the wrong shape (some have `"locations": []` where an object
//! belongs); refusing them would make such a file unimportable, and coercing them would change
//! it. So a present value that does not fit `T` is kept verbatim as [`Field::Mismatch`], and the
//! schema check reports it.

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde::ser::{Serialize, Serializer};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    /// The property is not in the object.
    #[default]
    Absent,
    /// The property is present with the JSON value `null`.
    Null,
    /// The property holds a value of the documented v1.0 type.
    Value(T),
    /// The property holds a value that is not of the documented type; kept as written.
    Mismatch(Value),
}

impl<T> Field<T> {
    /// For `skip_serializing_if`: only an absent property stays out of the output.
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl<T: Default> Field<T> {
    /// The value, replacing absent/null/mismatched content by `T::default()` first. For editors
    /// that are about to set something inside an object (e.g. `conditions.users`).
    pub fn get_or_default(&mut self) -> &mut T {
        if !matches!(self, Field::Value(_)) {
            *self = Field::Value(T::default());
        }
        match self {
            Field::Value(v) => v,
            _ => unreachable!("set to Value just above"),
        }
    }
}

impl<T> From<T> for Field<T> {
    fn from(v: T) -> Self {
        Field::Value(v)
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            // Only reached when a container forgot `skip_serializing_if`; null is the closest.
            Field::Absent | Field::Null => s.serialize_none(),
            Field::Value(v) => v.serialize(s),
            Field::Mismatch(v) => v.serialize(s),
        }
    }
}

impl<T: Json> Field<T> {
    /// A present property's value: `null`, a value of the documented type, or (kept verbatim)
    /// a value of another shape.
    // Not inlined: each property type is read by one copy, not one per field of that type
    // (Policy::from_map reads dozens of `Vec<String>` fields).
    #[inline(never)]
    pub fn from_json(v: Value) -> Self {
        if v.is_null() {
            return Field::Null;
        }
        match T::from_json(v) {
            Ok(t) => Field::Value(t),
            Err(v) => Field::Mismatch(v),
        }
    }

    /// The property's JSON value as held (`null` for an absent one, which containers skip).
    pub fn to_json(&self) -> Value {
        match self {
            Field::Absent | Field::Null => Value::Null,
            Field::Value(v) => v.to_json(),
            Field::Mismatch(v) => v.clone(),
        }
    }
}

impl<'de, T: Json> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Buffer as a JSON value first so a shape mismatch can be kept instead of failing.
        Ok(Field::from_json(Value::deserialize(d)?))
    }
}

/// A property type's conversion from and to JSON values, exact both ways.
///
/// Not serde's `from_value`/`to_value`, which copy a graph object's unknown properties
/// through a deserializer or serializer value by value: graph objects hand them over as they
/// are (moved in, cloned out), scalar types read by reference and keep a value they do not
/// fit.
pub trait Json: Sized {
    /// The typed value, or the JSON value back when it does not fit the type.
    fn from_json(v: Value) -> Result<Self, Value>;
    fn to_json(&self) -> Value;
}

/// `from_json` for types read by their `Deserialize`, from a reference so nothing is copied.
#[inline(never)]
pub(crate) fn by_deserialize<T: DeserializeOwned>(v: Value) -> Result<T, Value> {
    T::deserialize(&v).map_err(|_| v)
}

impl Json for String {
    fn from_json(v: Value) -> Result<Self, Value> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(other),
        }
    }
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl Json for bool {
    fn from_json(v: Value) -> Result<Self, Value> {
        v.as_bool().ok_or(v)
    }
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl Json for i32 {
    fn from_json(v: Value) -> Result<Self, Value> {
        by_deserialize(v)
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl<T: DeserializeOwned + Json> Json for Vec<T> {
    fn from_json(v: Value) -> Result<Self, Value> {
        by_deserialize(v)
    }
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(Json::to_json).collect())
    }
}
