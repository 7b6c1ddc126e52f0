//! The pilot rollout in one script: the pilot group, then a policy narrowed to exactly it, and
//! as an opt-in a Temporary Access Pass for each user in the group, its code written only to
//! the console that runs the script.

use super::group::{group_id_expr, GroupBody, GROUP_SCOPES};
use super::policy::{PolicyBody, POLICY_SCOPES};
use super::script::{
    comment_name, connect_step, literal, modules, not_object, Flavour, Script, ScriptError,
};
use crate::builders::methods::Method;
use crate::export::graph_json::API_VERSION;
use serde_json::{Map, Value};

/// The least-privileged delegated permission for issuing a Temporary Access Pass to another user.
pub const TAP_PERMISSION: &str = "UserAuthMethod-TAP.ReadWrite.All";

/// What the pilot script does beyond the group and the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PilotScriptOptions {
    /// Issue a Temporary Access Pass to each user member of the group, printing each code with
    /// `Write-Host` only.
    pub issue_taps: bool,
}

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
    pilot_script_with(
        flavour,
        group_body,
        policy_body,
        PilotScriptOptions::default(),
    )
}

/// [`pilot_script`] with its opt-in steps.
pub fn pilot_script_with(
    flavour: Flavour,
    group_body: &Value,
    policy_body: &Value,
    options: PilotScriptOptions,
) -> Result<String, ScriptError> {
    let g = GroupBody::new(group_body)?;
    let pilot = pilot_body(policy_body)?;
    let p = PolicyBody::new(&pilot, "")?;
    let mut scopes = POLICY_SCOPES.to_vec();
    scopes.extend(GROUP_SCOPES);
    if options.issue_taps {
        scopes.push(TAP_PERMISSION);
    }
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
    if options.issue_taps {
        steps.push(
            "Opt-in: issue a Temporary Access Pass to each user in the group (lifetime and one-time use \
             from the tenant's Temporary Access Pass policy) and write each code to this console only \
             (Write-Host)."
                .into(),
        );
    }
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
    if options.issue_taps {
        s.issue_taps()?;
    }
    Ok(s.finish())
}

impl Script {
    /// A Temporary Access Pass for each user member of `$group`. The body holds only what the
    /// tenant's TAP policy sets (its default lifetime and `isUsableOnce`); each code goes to
    /// `Write-Host` and nowhere else, and a failure names the user, never a code.
    fn issue_taps(&mut self) -> Result<(), ScriptError> {
        let sdk = self.flavour == Flavour::Sdk;
        let (id, upn, code) = if sdk {
            (
                "$tapUser.Id",
                "$tapUser.UserPrincipalName",
                "$tap.TemporaryAccessPass",
            )
        } else {
            (
                "$tapUser.id",
                "$tapUser.userPrincipalName",
                "$tap.temporaryAccessPass",
            )
        };
        self.blank();
        self.comment(
            "Opt-in: a Temporary Access Pass for each user in the pilot group, so a user with no",
        );
        self.comment(
            "MFA method can sign in and register a passkey. Needs UserAuthMethod-TAP.ReadWrite.All",
        );
        self.comment(
            "and the Authentication Administrator role (Privileged Authentication Administrator",
        );
        self.comment(
            "for users who hold an admin role). Only users in the Temporary Access Pass policy's",
        );
        self.comment(
            "targets can sign in with a pass; a new pass replaces the user's previous one.",
        );
        self.comment(
            "The lifetime and one-time use come from the tenant's Temporary Access Pass policy;",
        );
        self.comment("what it does not set is left out, so the tenant's default applies.");
        self.line(
            0,
            &format!(
                "$tapPolicy = Invoke-MgGraphRequest -Method GET -Uri {}",
                literal(
                    &format!("/{API_VERSION}{}", Method::TemporaryAccessPass.path()),
                    "uri"
                )?
            ),
        );
        self.line(0, "$tapBody = @{}");
        self.line(0, "if ($null -ne $tapPolicy.isUsableOnce) {");
        self.line(1, "$tapBody['isUsableOnce'] = $tapPolicy.isUsableOnce");
        self.line(0, "}");
        self.line(0, "if ($null -ne $tapPolicy.defaultLifetimeInMinutes) {");
        self.line(
            1,
            "$tapBody['lifetimeInMinutes'] = $tapPolicy.defaultLifetimeInMinutes",
        );
        self.line(0, "}");
        let group_id = group_id_expr(self.flavour);
        if sdk {
            self.line(
                0,
                &format!("$tapUsers = @(Get-MgGroupMemberAsUser -GroupId {group_id} -All)"),
            );
        } else {
            self.line(0, "$tapUsers = @()");
            self.line(
                0,
                &format!(
                    "$page = Invoke-MgGraphRequest -Method GET -Uri ({} + {group_id} + {})",
                    literal(&format!("/{API_VERSION}/groups/"), "uri")?,
                    literal(
                        "/members/microsoft.graph.user?$select=id,userPrincipalName",
                        "uri"
                    )?
                ),
            );
            self.line(0, "while ($true) {");
            self.line(1, "$tapUsers += @($page.value)");
            self.line(1, "if (-not $page.'@odata.nextLink') {");
            self.line(2, "break");
            self.line(1, "}");
            self.line(
                1,
                "$page = Invoke-MgGraphRequest -Method GET -Uri $page.'@odata.nextLink'",
            );
            self.line(0, "}");
        }
        self.line(0, "if ($tapUsers.Count -eq 0) {");
        self.line(1, "Write-Output 'The group has no user members yet: add the pilot users (New-MgGroupMember), then issue their passes from ca-builder or with New-MgUserAuthenticationTemporaryAccessPassMethod.'");
        self.line(0, "}");
        self.comment(
            "Each code is written with Write-Host only: to this console, not to the output stream,",
        );
        self.comment(
            "a file or a log. Do not run this part under Start-Transcript, which would record it.",
        );
        self.line(0, "foreach ($tapUser in $tapUsers) {");
        self.line(1, "try {");
        if sdk {
            self.line(
                2,
                &format!("$tap = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId {id} -BodyParameter $tapBody"),
            );
        } else {
            self.line(
                2,
                &format!(
                    "$tap = Invoke-MgGraphRequest -Method POST -Uri ({} + {id} + {}) -Body ($tapBody | ConvertTo-Json -Compress) -ContentType 'application/json'",
                    literal(&format!("/{API_VERSION}/users/"), "uri")?,
                    literal("/authentication/temporaryAccessPassMethods", "uri")?
                ),
            );
        }
        self.line(1, "} catch {");
        self.line(
            2,
            &format!(
                "throw ('No Temporary Access Pass for ' + {upn} + ': ' + $_.Exception.Message)"
            ),
        );
        self.line(1, "}");
        self.line(
            1,
            &format!(
                "Write-Host ('Temporary Access Pass for ' + {upn} + ' (shown once): ' + {code})"
            ),
        );
        self.line(1, "$tap = $null");
        self.line(0, "}");
        Ok(())
    }
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
