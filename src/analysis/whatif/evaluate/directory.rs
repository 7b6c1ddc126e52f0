//! The `--directory` file: what Graph looks up server-side when it evaluates a sign-in (the
//! user's groups, active directory roles and user type), given offline:
//! `{"users": {"<userId>": {"groups": [...], "roles": [...], "userType": "member"|"guest"}}}`.
//! A user not listed is a member of no group and holds no role.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::json::{self, key, Doc, Seg};
use crate::located::Located;

/// Users by object id (kept lower-case: GUIDs compare without case).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub users: BTreeMap<String, DirectoryUser>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryUser {
    /// Object ids of the groups the user is a member of, transitively.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Role template ids of the user's active directory roles.
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub user_type: UserType,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UserType {
    #[default]
    Member,
    Guest,
}

impl Directory {
    /// The user with this object id (ignoring case), if listed.
    pub fn user(&self, id: &str) -> Option<&DirectoryUser> {
        self.users
            .get(id)
            .or_else(|| self.users.get(&id.to_ascii_lowercase()))
    }
}

/// Reads a directory file (bytes: it may be UTF-16), strictly.
pub fn read_directory(bytes: &[u8]) -> Result<Directory, Located> {
    let (doc, v) = Doc::read(bytes)?;
    let root: &[Seg] = &[];
    let o = json::object(&doc, &v, root, &["users"])?;
    let mut users = BTreeMap::new();
    let path = key(root, "users");
    let listed = match o.get("users") {
        None | Some(serde_json::Value::Null) => return Ok(Directory { users }),
        // Every key of `users` is a user id, so there are no known keys to check.
        Some(serde_json::Value::Object(m)) => m,
        Some(other) => {
            return Err(doc.at_value(
                &path,
                format!(
                    "users must be an object of user id → user, found {}",
                    json::kind(other)
                ),
            ))
        }
    };
    for (id, u) in listed {
        let p = key(&path, id);
        let uo = json::object(&doc, u, &p, &["groups", "roles", "userType"])?;
        let user_type = match json::string(&doc, uo, &p, "userType")?.as_deref() {
            None | Some("member") => UserType::Member,
            Some("guest") => UserType::Guest,
            Some(other) => {
                return Err(doc.at_value(
                    &key(&p, "userType"),
                    format!(
                        "users.{id}.userType is {}; expected member or guest",
                        json::visible(other)
                    ),
                ))
            }
        };
        let lower = id.to_ascii_lowercase();
        if users.contains_key(&lower) {
            return Err(doc.at(
                &p,
                format!("the user {} is listed twice", json::visible(id)),
            ));
        }
        users.insert(
            lower,
            DirectoryUser {
                groups: json::strings(&doc, uo, &p, "groups")?,
                roles: json::strings(&doc, uo, &p, "roles")?,
                user_type,
            },
        );
    }
    Ok(Directory { users })
}
