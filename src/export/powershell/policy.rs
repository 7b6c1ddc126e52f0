//! Creating Conditional Access policies (after checking no policy of that name exists) and
//! updating one by id.

use super::group::group_id_expr;
use super::script::{
    body_location, comment_name, connect_step, display_name_filter, hashtable_expr, literal,
    modules, not_object, Flavour, Script, ScriptError,
};
use super::splice::split_at_splice;
use crate::export::graph_json::{self, Operation, POLICIES_PATH};
use crate::export::ps_literal;
use crate::guid::Guid;
use crate::names::Labels;
use serde_json::Value;

/// Least-privileged delegated scopes to read and write Conditional Access policies
/// (create and update need both). Older docs also list `Application.Read.All`; the header says so.
pub const POLICY_SCOPES: [&str; 2] = ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"];

/// A script that creates each policy in order. It first checks every display name and stops,
/// creating nothing, if a policy of that name already exists (display names are not unique in
/// Graph; a second copy would silently double the policy).
pub fn create_policies_script(flavour: Flavour, bodies: &[Value]) -> Result<String, ScriptError> {
    create_policies_script_labelled(flavour, bodies, &Labels::new())
}

/// [`create_policies_script`] with the admin's names for ids (the draft's labels): the comment
/// above each creation names the users, groups, roles and apps it targets.
pub fn create_policies_script_labelled(
    flavour: Flavour,
    bodies: &[Value],
    labels: &Labels,
) -> Result<String, ScriptError> {
    let policies = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| PolicyBody::new(body, &item_location(bodies.len(), i)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut steps = vec![connect_step(&POLICY_SCOPES)];
    for p in &policies {
        if let Some(name) = p.name {
            steps.push(format!(
                "Stop, creating nothing, if a policy named {} already exists.",
                comment_name(name)
            ));
        }
    }
    for p in &policies {
        steps.push(format!(
            "Create the policy {} in state {}.",
            p.comment_name(),
            p.state_text()
        ));
    }
    steps.push("Print the id of each new policy.".into());
    let title = if policies.len() == 1 {
        "Create a Conditional Access policy".to_string()
    } else {
        format!("Create {} Conditional Access policies", policies.len())
    };
    let mut s = Script::new(
        flavour,
        &title,
        &steps,
        &modules(flavour, false),
        &POLICY_SCOPES,
    );
    s.labels = labels.clone();
    for p in &policies {
        if let Some(name) = p.name {
            s.policy_name_check(name, &p.location)?;
        }
    }
    for p in &policies {
        s.create_policy(p, None)?;
    }
    Ok(s.finish())
}

/// A script that updates one policy with a PATCH body.
pub fn update_policy_script(
    flavour: Flavour,
    policy_id: &Guid,
    body: &Value,
) -> Result<String, ScriptError> {
    let p = PolicyBody::new(body, "")?;
    let steps = [
        connect_step(&POLICY_SCOPES),
        format!("Read policy {policy_id}; this stops with 404 Not Found if the id does not exist in this tenant."),
        "Send the body below as a PATCH: each list in it replaces the stored list, \
         objects are merged, and properties not sent keep their values."
            .into(),
    ];
    let mut s = Script::new(
        flavour,
        "Update a Conditional Access policy",
        &steps,
        &modules(flavour, false),
        &POLICY_SCOPES,
    );
    let id = Operation::Update {
        policy_id: policy_id.clone(),
    };
    s.blank();
    s.comment(&format!(
        "Read policy {policy_id} first: a wrong id stops here, before anything is sent."
    ));
    s.line(
        0,
        &format!("$policyId = {}", literal(policy_id.as_str(), "policy id")?),
    );
    match flavour {
        Flavour::Sdk => {
            s.line(
                0,
                "$current = Get-MgIdentityConditionalAccessPolicy -ConditionalAccessPolicyId $policyId",
            );
            s.line(
                0,
                "Write-Output ('Updating policy ' + $current.DisplayName + ' (' + $policyId + ')')",
            );
            s.line(0, &format!("$params = {}", ps_literal::value(p.body, 0)?));
            s.line(
                0,
                "Update-MgIdentityConditionalAccessPolicy -ConditionalAccessPolicyId $policyId -BodyParameter $params",
            );
        }
        Flavour::Invoke => {
            let uri = literal(&id.relative_uri(), "uri")?;
            s.line(
                0,
                &format!("$current = Invoke-MgGraphRequest -Method GET -Uri {uri}"),
            );
            s.line(
                0,
                "Write-Output ('Updating policy ' + $current.displayName + ' (' + $policyId + ')')",
            );
            s.line(
                0,
                &format!(
                    "$body = {}",
                    ps_literal::string_expr(&graph_json::pretty_body(p.body), "body")?
                ),
            );
            s.comment("Only POST defaults the content type to JSON; a PATCH must name it.");
            s.line(
                0,
                &format!("Invoke-MgGraphRequest -Method PATCH -Uri {uri} -Body $body -ContentType 'application/json'"),
            );
        }
    }
    s.line(0, "Write-Output ('Updated policy ' + $policyId)");
    Ok(s.finish())
}

/// Where a body sits in a list of bodies, for error messages (`/0`, `/1`, … when there are
/// several; the root when there is one).
fn item_location(len: usize, i: usize) -> String {
    if len == 1 {
        String::new()
    } else {
        format!("/{i}")
    }
}

/// A policy body with what the script text needs from it.
pub(super) struct PolicyBody<'a> {
    pub(super) body: &'a Value,
    pub(super) name: Option<&'a str>,
    state: Option<&'a str>,
    /// JSON pointer prefix of this body in the input, for error messages.
    pub(super) location: String,
}

impl<'a> PolicyBody<'a> {
    pub(super) fn new(body: &'a Value, location: &str) -> Result<Self, ScriptError> {
        let map = body
            .as_object()
            .ok_or_else(|| not_object(if location.is_empty() { "/" } else { location }))?;
        Ok(PolicyBody {
            body,
            name: map.get("displayName").and_then(Value::as_str),
            state: map.get("state").and_then(Value::as_str),
            location: location.to_string(),
        })
    }

    pub(super) fn comment_name(&self) -> String {
        self.name
            .map(comment_name)
            .unwrap_or_else(|| "(no display name)".into())
    }

    /// The state in the portal's words, so the reader knows whether the script enforces.
    pub(super) fn state_text(&self) -> String {
        match self.state {
            Some("enabledForReportingButNotEnforced") => {
                "Report-only (enabledForReportingButNotEnforced)".into()
            }
            Some("enabled") => "On (enabled: ENFORCED)".into(),
            Some("disabled") => "Off (disabled)".into(),
            Some(other) => format!("\"{}\"", ps_literal::comment_text(other, 40)),
            None => "(no state given)".into(),
        }
    }
}

/// `@(…)` of the policies beta lists under `name`, in both flavours: `Invoke-MgGraphRequest`
/// comes with `Microsoft.Graph.Authentication`, which every script imports, while the beta
/// cmdlets would need the `Microsoft.Graph.Beta` modules.
fn beta_lookup_expr(name: &str, location: &str) -> Result<String, ScriptError> {
    let filter = literal(&display_name_filter(name), location)?;
    Ok(format!(
        "@((Invoke-MgGraphRequest -Method GET -Uri ('/beta{POLICIES_PATH}?$filter=' + [uri]::EscapeDataString({filter}))).value)"
    ))
}

impl Script {
    pub(super) fn policy_name_check(
        &mut self,
        name: &str,
        location: &str,
    ) -> Result<(), ScriptError> {
        let location = format!("{location}/displayName");
        self.blank();
        self.comment(&format!(
            "Is there already a policy named {}?",
            comment_name(name)
        ));
        let lookup = self.lookup_expr(POLICIES_PATH, name, &location)?;
        self.line(0, &format!("$existing = {lookup}"));
        self.line(0, "if ($existing.Count -gt 0) {");
        let id = match self.flavour {
            Flavour::Sdk => "$existing[0].Id",
            Flavour::Invoke => "$existing[0].id",
        };
        self.line(1, &format!(
            "throw ('A Conditional Access policy named ' + {} + ' already exists (id ' + {id} + '). Nothing was created; update that policy instead (ca-policy export --update ID).')",
            literal(name, &location)?
        ));
        self.line(0, "}");
        self.comment(
            "v1.0 leaves out policies that use beta-only features: beta's list is read too",
        );
        self.comment(
            "(through Invoke-MgGraphRequest, so no beta module is needed). If beta cannot be",
        );
        self.comment(
            "read (refused, or a cloud without beta), say so and go on with v1.0's answer.",
        );
        self.line(0, "try {");
        self.line(
            1,
            &format!("$existing = {}", beta_lookup_expr(name, &location)?),
        );
        self.line(0, "} catch {");
        self.line(1, "$existing = @()");
        self.line(1, &format!(
            "Write-Warning ('Only v1.0 was searched for a policy named ' + {} + ': the beta list could not be read (' + $_.Exception.Message + '). A policy that uses beta-only features would not have been seen; check the portal before creating a second one.')",
            literal(name, &location)?
        ));
        self.line(0, "}");
        self.line(0, "if ($existing.Count -gt 0) {");
        self.line(1, &format!(
            "throw ('A Conditional Access policy named ' + {} + ' already exists (id ' + $existing[0].id + ', listed by beta only: it uses features v1.0 does not show). Nothing was created; update that policy instead (ca-policy export --update ID).')",
            literal(name, &location)?
        ));
        self.line(0, "}");
        Ok(())
    }

    /// Creates one policy. With `splice`, the array at that path gets `$group`'s id.
    pub(super) fn create_policy(
        &mut self,
        p: &PolicyBody,
        splice: Option<&[&str]>,
    ) -> Result<(), ScriptError> {
        self.blank();
        self.comment(&format!(
            "Create the policy {} in state {}.",
            p.comment_name(),
            p.state_text()
        ));
        self.target_comments(p.body);
        let group_id = group_id_expr(self.flavour);
        match self.flavour {
            Flavour::Sdk => {
                self.line(
                    0,
                    &format!("$params = {}", hashtable_expr(p.body, &p.location)?),
                );
                if let Some(path) = splice {
                    self.comment("Target only the pilot group (includeUsers stays empty, so the policy is narrowed).");
                    self.line(0, &format!("$params.{} = @({group_id})", path.join(".")));
                }
                self.line(
                    0,
                    "$created = New-MgIdentityConditionalAccessPolicy -BodyParameter $params",
                );
                self.line(0, "Write-Output ('Created policy ' + $created.Id)");
            }
            Flavour::Invoke => {
                let body = match splice {
                    None => literal(
                        &graph_json::pretty_body(p.body),
                        &body_location(&p.location),
                    )?,
                    Some(path) => {
                        let (before, after) = split_at_splice(p.body, path);
                        self.comment("The body is the JSON below with the pilot group's id put into includeGroups.");
                        format!(
                            "{} + {group_id} + {}",
                            literal(&before, &body_location(&p.location))?,
                            literal(&after, &body_location(&p.location))?
                        )
                    }
                };
                self.line(0, &format!("$body = {body}"));
                self.line(
                    0,
                    &format!(
                    "$created = Invoke-MgGraphRequest -Method POST -Uri {} -Body $body -ContentType 'application/json'",
                    literal(&Operation::Create.relative_uri(), "uri")?
                ),
                );
                self.line(0, "Write-Output ('Created policy ' + $created.id)");
            }
        }
        Ok(())
    }
}
