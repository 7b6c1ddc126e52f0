//! The pilot rollout in one script: the pilot group, then a policy narrowed to exactly it.

use super::group::{GroupBody, GROUP_SCOPES};
use super::policy::{PolicyBody, POLICY_SCOPES};
use super::script::{
    comment_name, connect_step, modules, not_object, Flavour, Script, ScriptError,
};
use serde_json::{Map, Value};

/// The pilot rollout in one script: find or create the pilot group, then create the policy
/// scoped to exactly that group. The policy's `includeUsers` is emptied and `includeGroups` set
/// to the group's id in the same request, because include lists are unioned: adding a group to
/// a policy that still includes `All` users would not narrow it. Exclusions
/// are kept as they are in `policy_body`.
pub fn pilot_script(
    flavour: Flavour,
    group_body: &Value,
    policy_body: &Value,
) -> Result<String, ScriptError> {
    let g = GroupBody::new(group_body)?;
    let pilot = pilot_body(policy_body)?;
    let p = PolicyBody::new(&pilot, "")?;
    let mut scopes = POLICY_SCOPES.to_vec();
    scopes.extend(GROUP_SCOPES);
    let mut steps = vec![connect_step(&scopes)];
    if let Some(name) = p.name {
        steps.push(format!(
            "Stop, creating nothing, if a policy named {} already exists.",
            comment_name(name)
        ));
    }
    steps.push(format!(
        "Find the group named {} (stop if there are several) or create it.",
        comment_name(g.name)
    ));
    steps.push(format!(
        "Create the policy {} in state {}, targeting only that group (includeUsers empty, \
         includeGroups = the group id), with its exclusions unchanged.",
        p.comment_name(),
        p.state_text()
    ));
    steps.push("Print the group id and the new policy id. Add pilot users to the group with New-MgGroupMember.".into());
    let mut s = Script::new(
        flavour,
        "Pilot rollout: pilot group and policy",
        &steps,
        &modules(flavour, true),
        &scopes,
    );
    if let Some(name) = p.name {
        s.policy_name_check(name, "")?;
    }
    s.find_or_create_group(&g)?;
    s.create_policy(&p, Some(&["conditions", "users", "includeGroups"]))?;
    Ok(s.finish())
}

/// `policy_body` narrowed to the pilot group: `includeUsers` emptied and `includeGroups`
/// emptied (the script fills in the group id), every other property untouched.
fn pilot_body(policy_body: &Value) -> Result<Value, ScriptError> {
    let mut body = policy_body.clone();
    let root = body.as_object_mut().ok_or_else(|| not_object("/"))?;
    let conditions = root
        .entry("conditions")
        .or_insert_with(|| Value::Object(Map::new()));
    let conditions = conditions
        .as_object_mut()
        .ok_or_else(|| not_object("/conditions"))?;
    let users = conditions
        .entry("users")
        .or_insert_with(|| Value::Object(Map::new()));
    let users = users
        .as_object_mut()
        .ok_or_else(|| not_object("/conditions/users"))?;
    users.insert("includeUsers".into(), Value::Array(vec![]));
    users.insert("includeGroups".into(), Value::Array(vec![]));
    Ok(body)
}
