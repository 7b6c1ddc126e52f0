//! What the bootstrap grid reads from the tenant besides its policies and method settings:
//! the authentication strengths (custom ones with their AAGUID restrictions, which decide
//! whether a passkey in Microsoft Authenticator meets them) and the pilot group's members with
//! the methods the registration report lists for them, each a row of the grid.
//!
//! Reads only. Both answers go through the core's readers of the same files the CLI reads
//! (`--strengths`, the `userRegistrationDetails` report), so the page and a saved file agree.

use serde_json::{json, Value};

use crate::analysis::bootstrap::{read_registrations, Registration, Strengths};
use crate::graph::auth_methods::{list_combinations, list_strengths};
use crate::graph::errors::{ErrorKind, GraphError};
use crate::graph::ops;
use crate::graph::permissions::GraphOp;
use crate::graph::session::Graph;
use crate::graph::transport::{Progress, Transport};
use crate::guid::{Guid, GuidKind};
use crate::names::user_label;

/// Most pilot members read into the grid: each is a row of six cells, and each costs a
/// request; a larger pilot is proved on its first members, which the notes say.
pub const MAX_MEMBER_ROWS: usize = 25;

/// The pilot group's members as grid rows.
#[derive(Debug, Clone, PartialEq)]
pub struct PilotRows {
    /// The group's object id.
    pub group: String,
    /// Members the report has an entry for (at most [`MAX_MEMBER_ROWS`] read).
    pub rows: Vec<Registration>,
    /// How many user members the group has.
    pub members: usize,
    /// Members read that the report has no entry for (new users, or the report's delay).
    pub not_in_report: Vec<String>,
}

impl PilotRows {
    /// What the grid assumed about these rows, for its notes.
    pub fn notes(&self) -> Vec<String> {
        let mut out = vec![format!(
            "{} rows are members of the pilot group {} with the methods the registration report (userRegistrationDetails) lists for them; the report can be up to 36 hours behind, and a password is assumed for each",
            self.rows.len(),
            self.group
        )];
        let read = self.rows.len() + self.not_in_report.len();
        if self.members > read {
            out.push(format!(
                "the group has {} user members: only the first {read} were read",
                self.members
            ));
        }
        if !self.not_in_report.is_empty() {
            out.push(format!(
                "not in the registration report yet, so not shown: {}",
                self.not_in_report.join(", ")
            ));
        }
        if self.rows.iter().any(|r| r.is_admin) {
            out.push("some pilot members hold an admin role, which the report does not name: the grid proves them without roles".into());
        }
        out
    }
}

/// The tenant's strengths (built-in and custom), each custom one with its combination
/// configurations (the AAGUID restrictions), read as `--strengths` reads a file.
pub async fn read_strengths<T: Transport>(g: &Graph<T>) -> Result<Strengths, GraphError> {
    let op = GraphOp::ListAuthStrengths;
    let listed = g.collect(list_strengths(g.cloud), 5).await?;
    let mut items = listed.items;
    for s in &mut items {
        // Only custom strengths carry combination configurations; a list that already
        // includes them is taken as it is.
        let custom = s.get("policyType").and_then(Value::as_str) == Some("custom");
        if !custom || s.get("combinationConfigurations").is_some() {
            continue;
        }
        let id = s.get("id").and_then(Value::as_str).unwrap_or("");
        let Ok(id) = Guid::parse(id, GuidKind::Object) else {
            continue;
        };
        let configs = g.collect(list_combinations(g.cloud, &id), 5).await?;
        s["combinationConfigurations"] = Value::Array(configs.items);
    }
    let text = json!({ "value": items }).to_string();
    Strengths::parse(text.as_bytes()).map_err(|e| {
        GraphError::new(
            op,
            ErrorKind::BadResponse,
            format!("the strengths could not be read: {}", e.message),
        )
    })
}

/// The pilot group's user members and, for the first [`MAX_MEMBER_ROWS`], their entry in the
/// registration report (a member the report does not hold yet is named in the notes).
pub async fn read_pilot_rows<T: Transport>(
    g: &Graph<T>,
    group: &Guid,
) -> Result<PilotRows, GraphError> {
    let members = g
        .collect(ops::list_user_members(g.cloud, group), 10)
        .await?
        .items;
    let mut entries = Vec::new();
    let mut not_in_report = Vec::new();
    let read: Vec<&Value> = members.iter().take(MAX_MEMBER_ROWS).collect();
    for (i, m) in read.iter().enumerate() {
        let text = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let Ok(id) = Guid::parse(&text("id"), GuidKind::Object) else {
            continue;
        };
        match g
            .send_json(&ops::get_registration_details(g.cloud, &id))
            .await
        {
            Ok(v) => entries.push(v),
            Err(e) if e.kind == ErrorKind::NotFound => not_in_report.push(user_label(
                id.as_str(),
                &text("displayName"),
                &text("userPrincipalName"),
            )),
            Err(e) => return Err(e),
        }
        g.report(Progress::Step(format!(
            "Read the registered methods of {} of {} members",
            i + 1,
            read.len()
        )));
    }
    let text = Value::Array(entries).to_string();
    let rows = read_registrations(text.as_bytes()).map_err(|e| {
        GraphError::new(
            GraphOp::ReadRegistrationDetails,
            ErrorKind::BadResponse,
            format!("the registration report could not be read: {}", e.message),
        )
    })?;
    Ok(PilotRows {
        group: group.to_string(),
        rows,
        members: members.len(),
        not_in_report,
    })
}
