//! Adding the pilot's members to the group the script found or created: each member looked up
//! (by object id or user principal name) before anything is written, and added only when not
//! in the group already, so running the script twice adds nobody twice (Graph answers 400 to
//! a second add).
//! Reference: <https://learn.microsoft.com/graph/api/group-post-members?view=graph-rest-1.0>.

use super::script::{literal, modules, Flavour, Script, ScriptError, USERS_MODULE};
use crate::export::graph_json::API_VERSION;

/// Looking a user up by id or user principal name, which adding a member needs first.
pub const MEMBER_LOOKUP_PERMISSION: &str = "User.ReadBasic.All";
/// Adding members to an existing group, least privileged.
pub const MEMBER_WRITE_PERMISSION: &str = "GroupMember.ReadWrite.All";

/// The modules a script needs, with the users module when the SDK flavour adds members
/// (`Get-MgUser`); `Get-MgGroupMember` and `New-MgGroupMember` are in the groups module.
pub(super) fn modules_with_users(
    flavour: Flavour,
    groups: bool,
    members: &[String],
) -> Vec<&'static str> {
    let mut m = modules(flavour, groups || !members.is_empty());
    if flavour == Flavour::Sdk && !members.is_empty() {
        m.push(USERS_MODULE);
    }
    m
}

impl Script {
    /// Looks each member up (object id or user principal name, validated by
    /// [`crate::builders::rollout::check_member`]) into `$users`, changing nothing: emitted
    /// with the checks, so a typo stops the script before anything is written.
    pub(super) fn look_up_members(&mut self, members: &[String]) -> Result<(), ScriptError> {
        if members.is_empty() {
            return Ok(());
        }
        let list = members
            .iter()
            .enumerate()
            .map(|(i, m)| literal(m, &format!("member {}", i + 1)))
            .collect::<Result<Vec<_>, _>>()?;
        self.blank();
        self.comment(&format!(
            "The pilot's members ({}): each looked up now, so a typo stops the script before",
            members.len()
        ));
        self.comment("anything is written.");
        self.line(0, "$members = @(");
        for l in &list {
            self.line(1, l);
        }
        self.line(0, ")");
        let v = API_VERSION;
        match self.flavour {
            Flavour::Sdk => self.line(0, "$users = @(foreach ($m in $members) { Get-MgUser -UserId $m -Property 'id,userPrincipalName' })"),
            Flavour::Invoke => self.line(0, &format!("$users = @(foreach ($m in $members) {{ Invoke-MgGraphRequest -Method GET -Uri ('/{v}/users/' + [uri]::EscapeDataString($m) + '?$select=id,userPrincipalName') }})")),
        }
        Ok(())
    }

    /// Adds the users [`Self::look_up_members`] found to `$groupId`; one already in the group is
    /// left as it is.
    pub(super) fn add_members(&mut self, members: &[String]) {
        if members.is_empty() {
            return;
        }
        self.blank();
        self.comment("Add the pilot's members to the group; one already in it is left as it is.");
        let v = API_VERSION;
        // Each flavour lists the group's member ids into `$present` and adds a user its own
        // way; the loop between is the same (SDK objects spell `Id`, Graph's JSON `id`).
        self.line(0, "$present = @()");
        let (id, upn, add) = match self.flavour {
            Flavour::Sdk => {
                self.line(
                    0,
                    "foreach ($o in @(Get-MgGroupMember -GroupId $groupId -All)) { $present += $o.Id }",
                );
                let add = vec![
                    "New-MgGroupMember -GroupId $groupId -DirectoryObjectId $u.Id".to_string(),
                ];
                ("Id", "UserPrincipalName", add)
            }
            Flavour::Invoke => {
                self.line(
                    0,
                    &format!("$uri = '/{v}/groups/' + $groupId + '/members?$select=id'"),
                );
                self.line(0, "while ($uri) {");
                self.line(1, "$page = Invoke-MgGraphRequest -Method GET -Uri $uri");
                self.line(1, "foreach ($o in @($page.value)) { $present += $o.id }");
                self.line(1, "$uri = $page.'@odata.nextLink'");
                self.line(0, "}");
                let add = vec![
                    format!("$ref = @{{ '@odata.id' = ('https://graph.microsoft.com/{v}/directoryObjects/' + $u.id) }}"),
                    format!("Invoke-MgGraphRequest -Method POST -Uri ('/{v}/groups/' + $groupId + '/members/$ref') -Body ($ref | ConvertTo-Json -Compress) -ContentType 'application/json' | Out-Null"),
                ];
                ("id", "userPrincipalName", add)
            }
        };
        self.line(0, "foreach ($u in $users) {");
        self.line(1, &format!("if ($present -contains $u.{id}) {{"));
        self.line(
            2,
            &format!("Write-Output ('Already a member: ' + $u.{upn})"),
        );
        self.line(1, "} else {");
        for l in &add {
            self.line(2, l);
        }
        self.line(
            2,
            &format!("Write-Output ('Added to the group: ' + $u.{upn})"),
        );
        self.line(1, "}");
        self.line(0, "}");
    }
}
