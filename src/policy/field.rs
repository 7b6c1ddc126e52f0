//! `Field<T>`: one property of a Graph object as it appeared on the wire.
//!
//! Graph distinguishes a property that is absent (PATCH: "keep the stored value"), one that is
//! `null` (responses: "no complex value"; PATCH: "clear it") and one that holds a value. An
//! `Option<T>` cannot tell the first two apart, so import→export would not be lossless. Real
//! files also hold values of the wrong shape (the corpus has `"locations": []` where an object
//! belongs); refusing them would make such a file unimportable, and coercing them would change
//! it. So a present value that does not fit `T` is kept verbatim as [`Field::Mismatch`], and the
//! schema check reports it.

use serde::de::{Deserialize, Deserializer};
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

impl<T: serde::de::DeserializeOwned> Field<T> {
    /// A present property's value: `null`, a value of the documented type, or (kept verbatim)
    /// a value of another shape.
    pub fn from_json(v: Value) -> Self {
        if v.is_null() {
            return Field::Null;
        }
        match T::deserialize(&v) {
            Ok(t) => Field::Value(t),
            Err(_) => Field::Mismatch(v),
        }
    }
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Buffer as a JSON value first so a shape mismatch can be kept instead of failing.
        Ok(Field::from_json(Value::deserialize(d)?))
    }
}
