//! The whole passkey rollout as one script (checks first, then group, methods, strength and the
//! policies in Report-only), and the later script that switches those policies On.

use super::group::{group_id_expr, GroupBody, GROUP_SCOPES};
use super::members::{modules_with_users, MEMBER_LOOKUP_PERMISSION, MEMBER_WRITE_PERMISSION};
use super::policy::{PolicyBody, POLICY_SCOPES};
use super::script::{
    body_location, comment_name, connect_step, literal, modules, Flavour, Script, ScriptError,
};
use crate::builders::methods::{METHODS_PERMISSION, PILOT_GROUP_PLACEHOLDER};
use crate::builders::rollout::{PasskeyChange, PilotGroup, Rollout};
use crate::builders::strength::STRENGTH_PLACEHOLDER;
use crate::export::graph_json::{Operation, API_VERSION, POLICIES_PATH};

/// The later step of the rollout: switch each named policy On. Each name must match exactly one
/// policy; otherwise the script stops before changing anything.
pub fn switch_on_script(flavour: Flavour, names: &[String]) -> Result<String, ScriptError> {
    let steps = [
        connect_step(&POLICY_SCOPES),
        "Find each policy below by display name; stop, changing nothing, unless each name matches exactly one policy.".into(),
        "Switch each of them On (state enabled): from then on they are ENFORCED.".into(),
    ];
    let mut s = Script::new(
        flavour,
        "Switch the rollout's policies On",
        &steps,
        &modules(flavour, false),
        &POLICY_SCOPES,
    );
    let id_member = match flavour {
        Flavour::Sdk => "Id",
        Flavour::Invoke => "id",
    };
    for (i, name) in names.iter().enumerate() {
        let location = format!("/{i}/displayName");
        s.blank();
        s.comment(&format!(
            "Policy {}: there must be exactly one.",
            comment_name(name)
        ));
        let lookup = s.lookup_expr(POLICIES_PATH, name, &location)?;
        s.line(0, &format!("$found{i} = {lookup}"));
        s.line(0, &format!("if ($found{i}.Count -ne 1) {{"));
        s.line(1, &format!(
            "throw ('Expected exactly one policy named ' + {} + ', found ' + $found{i}.Count + '. Nothing was switched on.')",
            literal(name, &location)?
        ));
        s.line(0, "}");
    }
    for i in 0..names.len() {
        s.blank();
        match flavour {
            Flavour::Sdk => s.line(0, &format!(
                "Update-MgIdentityConditionalAccessPolicy -ConditionalAccessPolicyId $found{i}[0].{id_member} -BodyParameter @{{ state = 'enabled' }}"
            )),
            Flavour::Invoke => s.line(0, &format!(
                "Invoke-MgGraphRequest -Method PATCH -Uri ('/{API_VERSION}{POLICIES_PATH}/' + $found{i}[0].{id_member}) -Body '{{\"state\":\"enabled\"}}' -ContentType 'application/json'"
            )),
        }
        s.line(
            0,
            &format!("Write-Output ('Switched on policy ' + $found{i}[0].{id_member})"),
        );
    }
    Ok(s.finish())
}

/// The whole rollout as one script, in order: every check first (policy names, the two method
/// configurations), then the pilot group, the passkey and TAP method configurations, the
/// authentication strength, and the Conditional Access policies in Report-only. Switching them
/// On is left to [`switch_on_script`], named in the closing comment.
pub fn rollout_script(flavour: Flavour, rollout: &Rollout) -> Result<String, ScriptError> {
    let mut scopes = vec![
        "Policy.Read.All",
        "Policy.ReadWrite.ConditionalAccess",
        METHODS_PERMISSION,
    ];
    let creates_group = matches!(rollout.pilot, PilotGroup::Create(_));
    if creates_group {
        scopes.extend(GROUP_SCOPES);
    }
    if !rollout.members.is_empty() {
        // Group.ReadWrite.All, when the group is created, covers its members; an existing
        // group's members need only GroupMember.ReadWrite.All.
        if !creates_group {
            scopes.push(MEMBER_WRITE_PERMISSION);
        }
        scopes.push(MEMBER_LOOKUP_PERMISSION);
    }
    let names = rollout.policy_names();
    let mut steps = vec![connect_step(&scopes)];
    steps.push("Check first, changing nothing: no policy of the names below exists yet, and the passkey and TAP configurations are the ones this script was previewed against.".into());
    steps.push(match &rollout.pilot {
        PilotGroup::Existing(id) => format!("Use the pilot group {id}."),
        PilotGroup::Create(g) => format!(
            "Find the pilot group named {} (stop if there are several) or create it.",
            comment_name(g["displayName"].as_str().unwrap_or(""))
        ),
    });
    if !rollout.members.is_empty() {
        steps.push(format!(
            "Add the {} pilot member(s) to the group (each is looked up with the checks, before anything is written); one already in it is left as it is.",
            rollout.members.len()
        ));
    }
    steps.push(match &rollout.fido2 {
        PasskeyChange::Patch(_) => "Enable passkeys (FIDO2) for the pilot group: attestation, Authenticator AAGUID allow list (merged lists).".into(),
        PasskeyChange::Profiles(r) => format!(
            "Passkey profiles: add the profile {} (every existing profile sent back unchanged), read the configuration back to find its id by name, then target the pilot group with it; each PATCH only over the configuration this script was generated over, and a step found done is skipped.",
            comment_name(&r.plan.profile_name)
        ),
    });
    steps.push("Enable Temporary Access Pass for the pilot group, so users with no MFA can register a passkey.".into());
    steps.push(
        "Create the custom authentication strength and restrict it to the allowed AAGUIDs.".into(),
    );
    for name in &names {
        steps.push(format!(
            "Create the policy {} in Report-only.",
            comment_name(name)
        ));
    }
    steps.push("LATER, not in this script: switch the policies On after reviewing the Report-only results.".into());
    let mut s = Script::new(
        flavour,
        "Passkey rollout",
        &steps,
        &modules_with_users(flavour, creates_group, &rollout.members),
        &scopes,
    );

    for (i, name) in names.iter().enumerate() {
        s.policy_name_check(name, &format!("/policies/{i}"))?;
    }
    match &rollout.fido2 {
        PasskeyChange::Patch(p) => s.method_guard(p, "$fido2Current")?,
        PasskeyChange::Profiles(r) => s.profile_guard(r)?,
    }
    s.method_guard(&rollout.tap, "$tapCurrent")?;
    s.look_up_members(&rollout.members)?;

    let group_id_code = "$groupId";
    match &rollout.pilot {
        PilotGroup::Existing(id) => {
            s.blank();
            s.comment("The pilot group (an existing security group).");
            s.line(0, &format!("$groupId = {}", literal(id, "pilot group id")?));
        }
        PilotGroup::Create(g) => {
            let g = GroupBody::new(g)?;
            s.find_or_create_group(&g)?;
            s.line(0, &format!("$groupId = {}", group_id_expr(flavour)));
        }
    }
    s.add_members(&rollout.members);
    let subs = [
        (PILOT_GROUP_PLACEHOLDER, group_id_code),
        (STRENGTH_PLACEHOLDER, "$strengthId"),
    ];
    match &rollout.fido2 {
        PasskeyChange::Patch(p) => s.method_patch(p, &subs)?,
        PasskeyChange::Profiles(r) => s.profile_steps(r, &subs)?,
    }
    s.method_patch(&rollout.tap, &subs)?;
    s.create_strength(&rollout.strength)?;
    for (i, p) in rollout.policies.iter().enumerate() {
        let pb = PolicyBody::new(&p.body, &format!("/policies/{i}"))?;
        s.blank();
        s.comment(&format!(
            "Create the policy {} in state {}.",
            pb.comment_name(),
            pb.state_text()
        ));
        s.target_comments(&p.body);
        let body = s.spliced_body(&p.body, &subs, &body_location(&pb.location))?;
        match flavour {
            Flavour::Sdk => {
                s.line(0, &format!("$params = {body}"));
                s.line(
                    0,
                    "$created = New-MgIdentityConditionalAccessPolicy -BodyParameter $params",
                );
                s.line(0, "Write-Output ('Created policy ' + $created.Id)");
            }
            Flavour::Invoke => {
                s.line(0, &format!("$body = {body}"));
                s.line(0, &format!(
                    "$created = Invoke-MgGraphRequest -Method POST -Uri {} -Body $body -ContentType 'application/json'",
                    literal(&Operation::Create.relative_uri(), "uri")?
                ));
                s.line(0, "Write-Output ('Created policy ' + $created.id)");
            }
        }
    }
    s.blank();
    s.comment("LATER STEP (deliberately not in this script): review the Report-only results in the sign-in logs,");
    s.comment("then switch the policies On with the separate switch-on script");
    s.comment("(ca-policy rollout --switch-on-script, or the web app's rollout panel).");
    Ok(s.finish())
}
