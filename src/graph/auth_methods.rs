//! The builders' bodies over Graph: read a method configuration, PATCH it only if the
//! tenant still holds what the preview was built on, and create the custom authentication
//! strength (or find the one a previous run created).
//!
//! Why the re-read before a PATCH: the body carries whole lists merged with the configuration
//! the admin previewed (`builders::methods`). If someone changed the configuration since, the
//! PATCH would silently undo their change, so the flow compares [`CurrentConfig::fingerprint`]s
//! — the same check the generated scripts make — and sends nothing when they differ.

use serde_json::Value;

use crate::builders::methods::{CurrentConfig, Method as AuthMethod, MethodPatch, SettingError};
use crate::builders::strength::{self, StrengthSettings, STRENGTH_PATH};
use crate::export::graph_json::pretty_body;

use super::body::read_json;
use super::cloud::{ApiVersion, Cloud, GraphUrl};
use super::errors::{ErrorKind, GraphError};
use super::ops::encode_component;
use super::permissions::GraphOp;
use super::session::Graph;
use super::transport::{Method, Progress, Request, Response, Transport};
use crate::guid::{Guid, GuidKind};

fn url(cloud: Cloud, path: &str) -> GraphUrl {
    GraphUrl::new(cloud, ApiVersion::V1, path).expect("paths built here are ASCII")
}

/// `GET …/authenticationMethodConfigurations/{fido2|TemporaryAccessPass}`.
pub fn get_method_config(cloud: Cloud, method: AuthMethod) -> Request {
    Request::get(GraphOp::ReadAuthMethodsPolicy, url(cloud, method.path()))
}

/// `PATCH` the same path with the merged body (204 No Content).
pub fn patch_method_config(cloud: Cloud, patch: &MethodPatch) -> Request {
    Request::with_body(
        GraphOp::UpdateAuthMethod,
        Method::Patch,
        url(cloud, patch.method.path()),
        pretty_body(&patch.body),
    )
}

/// `GET /policies/authenticationStrengthPolicies` (built-in and custom; a handful of entries).
pub fn list_strengths(cloud: Cloud) -> Request {
    Request::get(GraphOp::ListAuthStrengths, url(cloud, STRENGTH_PATH))
}

/// `POST /policies/authenticationStrengthPolicies` (201 with the strength).
pub fn create_strength(cloud: Cloud, s: &StrengthSettings) -> Result<Request, SettingError> {
    Ok(Request::with_body(
        GraphOp::CreateAuthStrength,
        Method::Post,
        url(cloud, STRENGTH_PATH),
        pretty_body(&strength::strength_body(s)?),
    ))
}

/// `GET …/authenticationStrength/policies/{id}/combinationConfigurations`.
pub fn list_combinations(cloud: Cloud, id: &Guid) -> Request {
    Request::get(
        GraphOp::ListAuthStrengths,
        url(
            cloud,
            &strength::combination_path(&encode_component(id.as_str())),
        ),
    )
}

/// `POST …/combinationConfigurations`: the AAGUID restriction, the documented second step.
pub fn add_combination(
    cloud: Cloud,
    id: &Guid,
    s: &StrengthSettings,
) -> Result<Request, SettingError> {
    Ok(Request::with_body(
        GraphOp::CreateAuthStrength,
        Method::Post,
        url(
            cloud,
            &strength::combination_path(&encode_component(id.as_str())),
        ),
        pretty_body(&strength::combination_body(s)?),
    ))
}

fn json_of(response: &Response, op: GraphOp) -> Result<Value, GraphError> {
    read_json(op, response, "the response")
}

// ---------------------------------------------------------------- method configurations

/// A configuration as read from the tenant, with the response as the admin can inspect it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadConfig {
    pub config: CurrentConfig,
    /// The GET response, pretty-printed (what the panel's "current configuration" box shows).
    pub text: String,
}

pub async fn read_method_config<T: Transport>(
    g: &Graph<T>,
    method: AuthMethod,
) -> Result<ReadConfig, GraphError> {
    let op = GraphOp::ReadAuthMethodsPolicy;
    let response = g.send(&get_method_config(g.cloud, method)).await?;
    let text = pretty_body(&json_of(&response, op)?);
    let config = CurrentConfig::parse(method, &text)
        .map_err(|e| GraphError::bad_response(op, &response, e.message))?;
    Ok(ReadConfig { config, text })
}

/// Reads the passkey (FIDO2) and TAP configurations: both or neither, since a preview or a
/// grid built on one read and one default would mix the tenant's settings with Microsoft's.
pub async fn read_method_configs<T: Transport>(
    g: &Graph<T>,
) -> Result<[(AuthMethod, ReadConfig); 2], GraphError> {
    let fido2 = read_method_config(g, AuthMethod::Fido2).await?;
    let tap = read_method_config(g, AuthMethod::TemporaryAccessPass).await?;
    Ok([
        (AuthMethod::Fido2, fido2),
        (AuthMethod::TemporaryAccessPass, tap),
    ])
}

/// What [`apply_method_patch`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum MethodPatchOutcome {
    /// Sent (204); `after` is the configuration read back, or why reading it back failed (the
    /// PATCH was applied either way, which the admin must not be left to guess).
    Sent {
        after: Result<ReadConfig, GraphError>,
    },
    /// The tenant no longer holds what the preview was built on: nothing was sent. `now` is
    /// what it holds, to preview again.
    Changed { now: ReadConfig },
}

/// Re-reads the configuration, sends the PATCH only if it is still the one the body was merged
/// with, then reads it back.
pub async fn apply_method_patch<T: Transport>(
    g: &Graph<T>,
    patch: &MethodPatch,
) -> Result<MethodPatchOutcome, GraphError> {
    let now = read_method_config(g, patch.method).await?;
    if now.config.fingerprint() != patch.expected_current {
        return Ok(MethodPatchOutcome::Changed { now });
    }
    g.send(&patch_method_config(g.cloud, patch)).await?;
    g.report(Progress::Step(format!(
        "Updated the {} configuration",
        patch.method.label()
    )));
    let after = read_method_config(g, patch.method).await;
    Ok(MethodPatchOutcome::Sent { after })
}

// ---------------------------------------------------------------- authentication strength

/// The AAGUID restriction of an existing strength, compared with the settings.
#[derive(Debug, Clone, PartialEq)]
pub enum Restriction {
    /// Its fido2 combination allows exactly the settings' AAGUIDs (in any order, any case).
    Same,
    /// It had none; this run added it.
    Added,
    /// It allows other AAGUIDs (as stored). Not changed: the admin decides.
    Differs { stored: Vec<String> },
}

/// What [`ensure_strength`] found or did.
#[derive(Debug, Clone, PartialEq)]
pub enum StrengthOutcome {
    /// Created, with its restriction; `restriction_error` when the second request failed (the
    /// strength exists without it, and running again adds it).
    Created {
        id: String,
        restriction_error: Option<GraphError>,
    },
    /// A custom strength of this name exists (a previous run): reused, never duplicated.
    Existing {
        id: String,
        restriction: Restriction,
    },
    /// The name belongs to a built-in strength, or to several custom ones: nothing was sent.
    NameTaken { ids: Vec<String>, built_in: bool },
}

impl StrengthOutcome {
    /// The strength CA policies can reference, when there is exactly one.
    pub fn id(&self) -> Option<&str> {
        match self {
            StrengthOutcome::Created { id, .. } | StrengthOutcome::Existing { id, .. } => Some(id),
            StrengthOutcome::NameTaken { .. } => None,
        }
    }

    pub fn summary(&self, name: &str) -> String {
        match self {
            StrengthOutcome::Created { id, restriction_error: None } => format!(
                "Created the authentication strength \"{name}\" (id {id}), restricted to the allowed AAGUIDs. \
                 Reference it in a policy's grant as authenticationStrength {{ \"id\": \"{id}\" }}."
            ),
            StrengthOutcome::Created { id, restriction_error: Some(e) } => format!(
                "Created the authentication strength \"{name}\" (id {id}), but restricting it to the AAGUIDs failed: {} \
                 As it stands it accepts any passkey; run this again to add the restriction.",
                e.user_message()
            ),
            StrengthOutcome::Existing { id, restriction } => {
                let r = match restriction {
                    Restriction::Same => "already restricted to the allowed AAGUIDs".to_string(),
                    Restriction::Added => "its missing AAGUID restriction was added".to_string(),
                    Restriction::Differs { stored } => format!(
                        "but it allows other AAGUIDs ({}); it was not changed: rename the strength here to create a \
                         new one, or edit it in the admin center",
                        if stored.is_empty() { "none listed".to_string() } else { stored.join(", ") }
                    ),
                };
                format!("The authentication strength \"{name}\" already exists (id {id}): nothing created; {r}.")
            }
            StrengthOutcome::NameTaken { ids, built_in: true } => format!(
                "\"{name}\" is the name of a built-in authentication strength (id {}): choose another name.",
                ids.join(", ")
            ),
            StrengthOutcome::NameTaken { ids, .. } => format!(
                "{} custom authentication strengths are named \"{name}\" (ids {}): nothing created; choose another name.",
                ids.len(),
                ids.join(", ")
            ),
        }
    }
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn strength_id(v: &Value, op: GraphOp, response: &Response) -> Result<Guid, GraphError> {
    Guid::parse(str_of(v, "id"), GuidKind::Object).map_err(|_| {
        GraphError::bad_response(
            op,
            response,
            "the authentication strength has no valid `id`",
        )
    })
}

/// Finds a custom strength named like the settings (case-insensitively, as the admin center
/// compares names) and checks its restriction, or creates it in the two documented requests.
pub async fn ensure_strength<T: Transport>(
    g: &Graph<T>,
    s: &StrengthSettings,
) -> Result<StrengthOutcome, GraphError> {
    let invalid = |e: SettingError| {
        GraphError::new(GraphOp::CreateAuthStrength, ErrorKind::Other, e.to_string())
    };
    let name = s.display_name.trim();
    let listed = g.collect(list_strengths(g.cloud), 5).await?;
    let same: Vec<&Value> = listed
        .items
        .iter()
        .filter(|v| str_of(v, "displayName").trim().eq_ignore_ascii_case(name))
        .collect();
    let ids = |vs: &[&Value]| {
        vs.iter()
            .map(|v| str_of(v, "id").to_string())
            .collect::<Vec<_>>()
    };
    if same.iter().any(|v| str_of(v, "policyType") == "builtIn") || same.len() > 1 {
        return Ok(StrengthOutcome::NameTaken {
            built_in: same.iter().any(|v| str_of(v, "policyType") == "builtIn"),
            ids: ids(&same),
        });
    }
    if let Some(existing) = same.first() {
        let Ok(id) = Guid::parse(str_of(existing, "id"), GuidKind::Object) else {
            return Err(GraphError::new(
                GraphOp::ListAuthStrengths,
                ErrorKind::BadResponse,
                format!("the authentication strength named {name:?} has no valid id"),
            ));
        };
        let combos = g.collect(list_combinations(g.cloud, &id), 5).await?;
        let stored: Option<Vec<String>> = combos
            .items
            .iter()
            .find(|c| {
                c.get("appliesToCombinations")
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.iter().any(|x| x == "fido2"))
            })
            .map(|c| {
                c.get("allowedAAGUIDs")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default()
            });
        let restriction = match stored {
            None => {
                g.send(&add_combination(g.cloud, &id, s).map_err(invalid)?)
                    .await?;
                Restriction::Added
            }
            Some(stored) => {
                let norm = |v: &mut Vec<String>| {
                    v.iter_mut().for_each(|a| *a = a.to_ascii_lowercase());
                    crate::sort::sort_by(v, Ord::cmp);
                    v.dedup();
                };
                let mut have = stored.clone();
                let mut want: Vec<String> =
                    s.aaguids.iter().map(|a| a.as_str().to_string()).collect();
                norm(&mut have);
                norm(&mut want);
                if have == want {
                    Restriction::Same
                } else {
                    Restriction::Differs { stored }
                }
            }
        };
        return Ok(StrengthOutcome::Existing {
            id: id.to_string(),
            restriction,
        });
    }
    let request = create_strength(g.cloud, s).map_err(invalid)?;
    let response = g.send(&request).await?;
    let id = strength_id(
        &json_of(&response, GraphOp::CreateAuthStrength)?,
        GraphOp::CreateAuthStrength,
        &response,
    )?;
    g.report(Progress::Step(format!(
        "Created the authentication strength (id {id})"
    )));
    let restriction_error = g
        .send(&add_combination(g.cloud, &id, s).map_err(invalid)?)
        .await
        .err();
    Ok(StrengthOutcome::Created {
        id: id.to_string(),
        restriction_error,
    })
}
