//! Finding a security group by display name, or creating it when there is none, so running a
//! script twice still makes one group.

use super::script::{
    comment_name, connect_step, literal, modules, not_object, Flavour, Script, ScriptError,
};
use crate::export::graph_json::{self, Operation, GROUPS_PATH};
use crate::export::ps_literal::{self, NulCharacter};
use serde_json::{Map, Value};

/// Scope to find and create groups; not covered by the policy scopes.
pub const GROUP_SCOPES: [&str; 1] = ["Group.ReadWrite.All"];

/// Properties Graph requires on `POST /groups` that `New-MgGroup` takes as parameters.
const GROUP_PARAMETERS: [&str; 5] = [
    "displayName",
    "description",
    "mailEnabled",
    "mailNickname",
    "securityEnabled",
];

/// A script that finds the security group named in `group_body` (a `POST /groups` body) or
/// creates it when there is none, and leaves it in `$group`. Running it twice creates one group.
pub fn group_script(flavour: Flavour, group_body: &Value) -> Result<String, ScriptError> {
    let g = GroupBody::new(group_body)?;
    let steps = [
        connect_step(&GROUP_SCOPES),
        format!(
            "Look for a group named {}; stop if there are several.",
            comment_name(g.name)
        ),
        "Use that group if there is exactly one, otherwise create it (it starts with no members: \
         add pilot users with New-MgGroupMember)."
            .into(),
        "Print the group id.".into(),
    ];
    let mut s = Script::new(
        flavour,
        "Find or create a security group",
        &steps,
        &modules(flavour, true),
        &GROUP_SCOPES,
    );
    s.find_or_create_group(&g)?;
    s.line(0, &format!("Write-Output {}", group_id_expr(flavour)));
    Ok(s.finish())
}

/// A `POST /groups` body, checked for what Graph requires
/// (<https://learn.microsoft.com/graph/api/resources/group>).
pub(super) struct GroupBody<'a> {
    body: &'a Map<String, Value>,
    pub(super) name: &'a str,
    nickname: &'a str,
    mail_enabled: bool,
    security_enabled: bool,
}

impl<'a> GroupBody<'a> {
    pub(super) fn new(body: &'a Value) -> Result<Self, ScriptError> {
        let map = body.as_object().ok_or_else(|| not_object("/"))?;
        let problem = |key: &str, problem: &str| ScriptError::GroupProperty {
            pointer: format!("/{key}"),
            problem: problem.to_string(),
        };
        let string = |key: &str| {
            map.get(key)
                .and_then(Value::as_str)
                .ok_or_else(|| problem(key, "Graph requires this property as a string"))
        };
        let boolean = |key: &str| {
            map.get(key)
                .and_then(Value::as_bool)
                .ok_or_else(|| problem(key, "Graph requires this property as true or false"))
        };
        let name = string("displayName")?;
        let nickname = string("mailNickname")?;
        if let Some(why) = mail_nickname_problem(nickname) {
            return Err(problem("mailNickname", &why));
        }
        Ok(GroupBody {
            body: map,
            name,
            nickname,
            mail_enabled: boolean("mailEnabled")?,
            security_enabled: boolean("securityEnabled")?,
        })
    }
}

/// Graph's rule for `mailNickname`: 1–64 ASCII characters, none of `@ ( ) [ ] ; : < > ,` or
/// space (<https://learn.microsoft.com/graph/api/resources/group>).
/// Doc revisions disagree on `\ / " ' .`; only what every revision forbids is refused here,
/// since refusing more would block bodies Graph may accept.
fn mail_nickname_problem(nick: &str) -> Option<String> {
    const FORBIDDEN: &str = "@()[];:<>, ";
    if nick.is_empty() {
        return Some("must not be empty".into());
    }
    let len = nick.chars().count();
    if len > 64 {
        return Some(format!("has {len} characters; Graph allows at most 64"));
    }
    nick.chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii() || FORBIDDEN.contains(*c))
        .map(|(i, c)| {
            format!(
                "character {} ({c:?}) is not allowed; use letters, digits, '-' and '_'",
                i + 1
            )
        })
}

/// `$group.Id` (SDK objects are PascalCase) or `$group.id` (Invoke-MgGraphRequest returns the
/// JSON's own keys).
pub(super) fn group_id_expr(flavour: Flavour) -> &'static str {
    match flavour {
        Flavour::Sdk => "$group.Id",
        Flavour::Invoke => "$group.id",
    }
}

fn ps_bool(b: bool) -> &'static str {
    if b {
        "$true"
    } else {
        "$false"
    }
}

impl Script {
    /// Leaves the group in `$group`: the one existing group of that name, or a new one.
    pub(super) fn find_or_create_group(&mut self, g: &GroupBody) -> Result<(), ScriptError> {
        let name_location = "group body /displayName";
        self.blank();
        self.comment(&format!(
            "Find the group named {}, or create it. Display names are not unique in Graph, so",
            comment_name(g.name)
        ));
        self.comment("running this twice must not make a second group.");
        self.line(
            0,
            &format!("$groupName = {}", literal(g.name, name_location)?),
        );
        let lookup = self.lookup_expr(GROUPS_PATH, g.name, name_location)?;
        self.line(0, &format!("$groups = {lookup}"));
        self.line(0, "if ($groups.Count -gt 1) {");
        self.line(1, "throw ('More than one group is named ' + $groupName + '. Nothing was created; rename the duplicates or use the intended group id.')");
        self.line(0, "}");
        self.line(0, "if ($groups.Count -eq 1) {");
        self.line(1, "$group = $groups[0]");
        self.line(
            1,
            &format!(
                "Write-Output ('Using the existing group ' + {})",
                group_id_expr(self.flavour)
            ),
        );
        self.line(0, "} else {");
        match self.flavour {
            Flavour::Sdk => {
                // SDK v2 declares -MailEnabled/-SecurityEnabled as switches: `-MailEnabled $false`
                // would leave the switch on and bind $false positionally, so the colon form is
                // the only correct one.
                let mut cmd = format!(
                    "$group = New-MgGroup -DisplayName $groupName -MailEnabled:{} -SecurityEnabled:{} -MailNickname {}",
                    ps_bool(g.mail_enabled),
                    ps_bool(g.security_enabled),
                    literal(g.nickname, "group body /mailNickname")?
                );
                if let Some(description) = g.body.get("description").and_then(Value::as_str) {
                    cmd.push_str(&format!(
                        " -Description {}",
                        literal(description, "group body /description")?
                    ));
                }
                let rest: Map<String, Value> = g
                    .body
                    .iter()
                    .filter(|(k, v)| {
                        !GROUP_PARAMETERS.contains(&k.as_str())
                            || (k.as_str() == "description" && !v.is_string())
                    })
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                if !rest.is_empty() {
                    let rest = ps_literal::value(&Value::Object(rest), 1).map_err(|e| {
                        ScriptError::Literal(NulCharacter {
                            location: format!("group body {}", e.location),
                            ..e
                        })
                    })?;
                    cmd.push_str(&format!(" -AdditionalProperties {rest}"));
                }
                self.line(1, &cmd);
            }
            Flavour::Invoke => {
                let json = graph_json::pretty_body(&Value::Object(g.body.clone()));
                self.line(
                    1,
                    &format!("$groupBody = {}", literal(&json, "group body")?),
                );
                self.line(1, &format!(
                    "$group = Invoke-MgGraphRequest -Method POST -Uri {} -Body $groupBody -ContentType 'application/json'",
                    literal(&Operation::CreateGroup.relative_uri(), "uri")?
                ));
            }
        }
        self.line(
            1,
            &format!(
                "Write-Output ('Created group ' + {})",
                group_id_expr(self.flavour)
            ),
        );
        self.line(0, "}");
        Ok(())
    }
}
