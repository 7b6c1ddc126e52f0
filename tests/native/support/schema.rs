//! Checks a JSON request body against the Graph v1.0 schema extract
//! `../shared/reference/graph-schema/conditional-access.v1.json` (its README, "How to use it in
//! tests"): every property exists on the (possibly derived) type, has the declared JSON type,
//! and every enum / flags member is a real member other than `unknownFutureValue`.
//!
//! Used as `crate::support::schema`.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

pub fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/reference/graph-schema/conditional-access.v1.json")
}

/// One problem, at a JSON path like `conditions.users.excludeUsers[0]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}",
            if self.path.is_empty() {
                "(root)"
            } else {
                &self.path
            },
            self.message
        )
    }
}

pub struct Schema {
    types: Map<String, Value>,
    enums: Map<String, Value>,
}

/// A property's declaration, from `properties` or `navigationProperties`.
struct Decl {
    ty: String,
    collection: bool,
    nullable: bool,
}

impl Schema {
    pub fn load() -> Schema {
        let path = schema_path();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let mut v: Value = serde_json::from_str(&text).expect("schema extract is JSON");
        let types = v["types"]
            .as_object_mut()
            .map(std::mem::take)
            .expect("types");
        let enums = v["enums"]
            .as_object_mut()
            .map(std::mem::take)
            .expect("enums");
        Schema { types, enums }
    }

    /// Checks a `conditionalAccessPolicy` body.
    pub fn check_policy(&self, body: &Value) -> Vec<Violation> {
        self.check(body, "conditionalAccessPolicy")
    }

    /// Checks `body` as an instance of `type_name`.
    pub fn check(&self, body: &Value, type_name: &str) -> Vec<Violation> {
        let mut out = Vec::new();
        self.object(body, type_name, "", &mut out);
        out
    }

    pub fn type_names(&self) -> impl Iterator<Item = &String> {
        self.types.keys()
    }

    pub fn is_abstract(&self, ty: &str) -> bool {
        self.types[ty]["abstract"].as_bool().unwrap_or(false)
    }

    /// `(property, declared type)` of every structural and navigation property of `ty`,
    /// inherited ones included.
    pub fn properties_of(&self, ty: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut cur = Some(ty.to_string());
        while let Some(t) = cur {
            let def = &self.types[&t];
            for key in ["properties", "navigationProperties"] {
                if let Some(props) = def[key].as_object() {
                    for (name, d) in props {
                        out.push((
                            name.clone(),
                            d["type"].as_str().unwrap_or_default().to_string(),
                        ));
                    }
                }
            }
            cur = def["baseType"].as_str().map(str::to_string);
        }
        out
    }

    fn decl(&self, ty: &str, prop: &str) -> Option<Decl> {
        let mut cur = Some(ty.to_string());
        while let Some(t) = cur {
            let def = self.types.get(&t)?;
            for key in ["properties", "navigationProperties"] {
                if let Some(d) = def[key].get(prop) {
                    return Some(Decl {
                        ty: d["type"].as_str().unwrap_or_default().to_string(),
                        collection: d["collection"].as_bool().unwrap_or(false),
                        // Navigation properties carry no Nullable; a single one may be null.
                        nullable: d["nullable"].as_bool().unwrap_or(true),
                    });
                }
            }
            cur = def["baseType"].as_str().map(str::to_string);
        }
        None
    }

    /// `ty` and every type derived from it, transitively.
    fn derived_closure(&self, ty: &str) -> Vec<String> {
        let mut out = vec![ty.to_string()];
        let mut i = 0;
        while i < out.len() {
            if let Some(ds) = self
                .types
                .get(&out[i])
                .and_then(|t| t["derivedTypes"].as_array())
            {
                for d in ds.iter().filter_map(Value::as_str) {
                    if !out.iter().any(|o| o == d) {
                        out.push(d.to_string());
                    }
                }
            }
            i += 1;
        }
        out
    }

    fn object(&self, v: &Value, declared: &str, path: &str, out: &mut Vec<Violation>) {
        let Some(obj) = v.as_object() else {
            out.push(violation(
                path,
                format!("expected an object of type {declared}, found {}", kind(v)),
            ));
            return;
        };
        // Resolve the concrete type: `@odata.type` names it; an abstract type must be named.
        let mut ty = declared.to_string();
        match obj.get("@odata.type") {
            Some(Value::String(t)) => match t.strip_prefix("#microsoft.graph.") {
                Some(name) if self.derived_closure(declared).iter().any(|d| d == name) => {
                    if self.is_abstract(name) {
                        out.push(violation(path, format!("{name} is abstract: name a derived type in \"@odata.type\"")));
                    }
                    ty = name.to_string();
                }
                _ => out.push(violation(
                    &join(path, "@odata.type"),
                    format!("{t:?} is not {declared} or a type derived from it"),
                )),
            },
            Some(other) => out.push(violation(&join(path, "@odata.type"), format!("must be a string, found {}", kind(other)))),
            None if self.is_abstract(declared) => out.push(violation(
                path,
                format!("{declared} is abstract: the object needs \"@odata.type\" naming a derived type"),
            )),
            None => {}
        }
        for (k, child) in obj {
            let p = join(path, k);
            if k == "@odata.type" {
                continue;
            }
            if k.contains('@') || k.starts_with('#') {
                out.push(violation(
                    &p,
                    "annotation or action: not part of a request body".into(),
                ));
                continue;
            }
            match self.decl(&ty, k) {
                Some(d) => self.property(child, &d, &p, out),
                None => out.push(violation(&p, format!("{ty} has no property {k:?} in v1.0"))),
            }
        }
    }

    fn property(&self, v: &Value, d: &Decl, path: &str, out: &mut Vec<Violation>) {
        if v.is_null() {
            if !d.nullable {
                let what = if d.collection {
                    "a collection (send [] for empty)"
                } else {
                    "non-nullable"
                };
                out.push(violation(path, format!("null is not allowed: {what}")));
            }
            return;
        }
        if d.collection {
            let Some(items) = v.as_array() else {
                out.push(violation(
                    path,
                    format!("expected an array of {}, found {}", d.ty, kind(v)),
                ));
                return;
            };
            for (i, item) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                if item.is_null() {
                    out.push(violation(&p, "null inside a collection".into()));
                } else {
                    self.single(item, &d.ty, &p, out);
                }
            }
        } else {
            self.single(v, &d.ty, path, out);
        }
    }

    fn single(&self, v: &Value, ty: &str, path: &str, out: &mut Vec<Violation>) {
        let ok = match ty {
            "Edm.String" | "Edm.DateTimeOffset" => v.is_string(),
            "Edm.Boolean" => v.is_boolean(),
            // 8-4-4-4-12 hexadecimal digits, as Graph writes a GUID.
            "Edm.Guid" => v.as_str().is_some_and(|s| {
                s.len() == 36
                    && s.char_indices().all(|(i, c)| match i {
                        8 | 13 | 18 | 23 => c == '-',
                        _ => c.is_ascii_hexdigit(),
                    })
            }),
            "Edm.Int32" => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            t if self.enums.contains_key(t) => return self.enum_value(v, t, path, out),
            t if self.types.contains_key(t) => return self.object(v, t, path, out),
            t => {
                out.push(violation(
                    path,
                    format!("schema type {t} is not in the extract"),
                ));
                return;
            }
        };
        if !ok {
            out.push(violation(path, format!("expected {ty}, found {}", kind(v))));
        }
    }

    fn enum_value(&self, v: &Value, ty: &str, path: &str, out: &mut Vec<Violation>) {
        let def = &self.enums[ty];
        let flags = def["isFlags"].as_bool().unwrap_or(false);
        let Some(s) = v.as_str() else {
            let hint = if flags && v.is_array() {
                " (a flags value is ONE comma-separated string)"
            } else {
                ""
            };
            out.push(violation(
                path,
                format!("expected a {ty} member name, found {}{hint}", kind(v)),
            ));
            return;
        };
        let members: Vec<&str> = def["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m["name"].as_str())
            .collect();
        let parts: Vec<&str> = if flags {
            s.split(',').collect()
        } else {
            vec![s]
        };
        for part in parts {
            if part == "unknownFutureValue" {
                out.push(violation(
                    path,
                    format!("{ty}: unknownFutureValue is a sentinel, never sent"),
                ));
            } else if !members.contains(&part) {
                out.push(violation(
                    path,
                    format!(
                        "{part:?} is not a member of {ty} (members: {})",
                        members.join(", ")
                    ),
                ));
            }
        }
    }
}

fn violation(path: &str, message: String) -> Violation {
    Violation {
        path: path.to_string(),
        message,
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Panics with every violation listed, for test assertions.
pub fn assert_valid(schema: &Schema, body: &Value, what: &str) {
    let v = schema.check_policy(body);
    assert!(
        v.is_empty(),
        "{what} does not match the v1.0 schema:\n{}\nbody: {}",
        v.iter()
            .map(|v| format!("  {v}"))
            .collect::<Vec<_>>()
            .join("\n"),
        serde_json::to_string_pretty(body).unwrap()
    );
}

/// The Authentication methods / passkey slice (`authentication-methods.v1.json`): same JSON
/// shape, so the same checker applies (`check(body, "fido2AuthenticationMethodConfiguration")`).
pub fn authentication_methods_schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/reference/graph-schema/authentication-methods.v1.json")
}

impl Schema {
    /// Loads the Authentication methods slice instead of the Conditional Access one.
    pub fn load_authentication_methods() -> Schema {
        let path = authentication_methods_schema_path();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let mut v: Value = serde_json::from_str(&text).expect("schema extract is JSON");
        let mut take = |key: &str| {
            v[key]
                .as_object_mut()
                .map(std::mem::take)
                .unwrap_or_else(|| panic!("{key}"))
        };
        let types = take("types");
        let enums = take("enums");
        Schema { types, enums }
    }
}

/// Panics with every violation listed, for a body of any type of the loaded slice.
pub fn assert_valid_as(schema: &Schema, body: &Value, type_name: &str, what: &str) {
    let v = schema.check(body, type_name);
    assert!(
        v.is_empty(),
        "{what} does not match the v1.0 {type_name} schema:\n{}\nbody: {}",
        v.iter()
            .map(|v| format!("  {v}"))
            .collect::<Vec<_>>()
            .join("\n"),
        serde_json::to_string_pretty(body).unwrap()
    );
}
