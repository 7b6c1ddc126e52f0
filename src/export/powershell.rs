//! PowerShell export, in two flavours (powershell-graph.md §A, §D):
//! - [`Flavour::Sdk`]: Graph SDK cmdlets with the body as a hashtable literal
//!   (`New-MgIdentityConditionalAccessPolicy -BodyParameter $params`, `New-MgGroup`);
//! - [`Flavour::Invoke`]: `Invoke-MgGraphRequest` with the exact JSON body the app validated,
//!   as one single-quoted literal.
//!
//! Every script starts with `#Requires -Modules`, a comment saying what it will do,
//! `$ErrorActionPreference = 'Stop'` (so a failed lookup never falls through to a create) and
//! `Connect-MgGraph -Scopes` with the least privileges the script needs (graph-ca-policy.md
//! §2). Data reaches the code only through [`ps_literal`]; comments only carry data through
//! [`ps_literal::comment_text`], which cannot end the comment line. Every script is ASCII
//! (see `ps_literal` for why), and [`script_file_bytes`] decides the bytes every writer uses.

use super::graph_json::{self, Operation, PolicyId, API_VERSION, GROUPS_PATH, POLICIES_PATH};
use super::ps_literal::{self, NulCharacter};
use serde_json::{Map, Value};
use std::fmt;

/// Which cmdlets the script uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// Graph PowerShell SDK cmdlets (`New-MgIdentityConditionalAccessPolicy`, …) with hashtables.
    Sdk,
    /// `Invoke-MgGraphRequest` with the JSON body; needs only `Microsoft.Graph.Authentication`.
    Invoke,
}

/// Why no script could be written. Each variant names where in the input the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptError {
    /// A value holds a NUL character (see [`NulCharacter`]).
    Literal(NulCharacter),
    /// A value that must be a JSON object is not one (`location` is a JSON pointer).
    NotAnObject { location: String },
    /// A property Graph requires for `POST /groups` is missing or unusable.
    GroupProperty { pointer: String, problem: String },
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScriptError::Literal(e) => e.fmt(f),
            ScriptError::NotAnObject { location } => {
                write!(f, "{location}: expected a JSON object")
            }
            ScriptError::GroupProperty { pointer, problem } => {
                write!(f, "group body {pointer}: {problem}")
            }
        }
    }
}

impl std::error::Error for ScriptError {}

impl From<NulCharacter> for ScriptError {
    fn from(e: NulCharacter) -> Self {
        ScriptError::Literal(e)
    }
}

const AUTH_MODULE: &str = "Microsoft.Graph.Authentication";
const SIGNINS_MODULE: &str = "Microsoft.Graph.Identity.SignIns";
const GROUPS_MODULE: &str = "Microsoft.Graph.Groups";

/// Least-privileged delegated scopes to read and write Conditional Access policies (§2:
/// create/update need both). Older docs also list `Application.Read.All`; the header says so.
pub const POLICY_SCOPES: [&str; 2] = ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"];
/// Scope to find and create groups; not covered by the policy scopes (§2, errata (d)).
pub const GROUP_SCOPES: [&str; 1] = ["Group.ReadWrite.All"];

/// Properties Graph requires on `POST /groups` that `New-MgGroup` takes as parameters.
const GROUP_PARAMETERS: [&str; 5] = [
    "displayName",
    "description",
    "mailEnabled",
    "mailNickname",
    "securityEnabled",
];

/// The script for one operation: [`Operation::Create`] creates one policy,
/// [`Operation::Update`] updates one, [`Operation::CreateGroup`] finds or creates a group.
pub fn script(
    flavour: Flavour,
    operation: &Operation,
    body: &Value,
) -> Result<String, ScriptError> {
    match operation {
        Operation::Create => create_policies_script(flavour, std::slice::from_ref(body)),
        Operation::Update { policy_id } => update_policy_script(flavour, policy_id, body),
        Operation::CreateGroup => group_script(flavour, body),
    }
}

/// A script that creates each policy in order. It first checks every display name and stops,
/// creating nothing, if a policy of that name already exists (display names are not unique in
/// Graph; a second copy would silently double the policy).
pub fn create_policies_script(flavour: Flavour, bodies: &[Value]) -> Result<String, ScriptError> {
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
    policy_id: &PolicyId,
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

/// The pilot rollout in one script: find or create the pilot group, then create the policy
/// scoped to exactly that group. The policy's `includeUsers` is emptied and `includeGroups` set
/// to the group's id in the same request, because include lists are unioned: adding a group to
/// a policy that still includes `All` users would not narrow it (errata (e), §12). Exclusions
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

/// The bytes of a script, for every writer: a file, standard output, a download.
///
/// The exporters write ASCII only (see `ps_literal`), which every PowerShell reads the same
/// with or without a byte order mark, so the bytes are the text. Should a script ever hold a
/// non-ASCII character, it gets a UTF-8 BOM: Windows PowerShell 5.1 reads a `.ps1` without one
/// in the ANSI code page (Windows-1252 on most machines), where the UTF-8 bytes of `Ò` (C3 92)
/// read as `Ã’`, and `’` ends a single-quoted literal.
pub fn script_file_bytes(script: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(script.len() + 3);
    if !script.is_ascii() {
        bytes.extend_from_slice("\u{feff}".as_bytes());
    }
    bytes.extend_from_slice(script.as_bytes());
    bytes
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

fn not_object(location: &str) -> ScriptError {
    ScriptError::NotAnObject {
        location: location.to_string(),
    }
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

fn modules(flavour: Flavour, groups: bool) -> Vec<&'static str> {
    match flavour {
        Flavour::Invoke => vec![AUTH_MODULE],
        Flavour::Sdk if groups => vec![AUTH_MODULE, SIGNINS_MODULE, GROUPS_MODULE],
        Flavour::Sdk => vec![AUTH_MODULE, SIGNINS_MODULE],
    }
}

fn connect_step(scopes: &[&str]) -> String {
    format!(
        "Connect to Microsoft Graph with only these permissions: {}.",
        scopes.join(", ")
    )
}

/// A display name for a comment: quoted, and cut so that one line stays readable.
fn comment_name(name: &str) -> String {
    format!("\"{}\"", ps_literal::comment_text(name, 80))
}

fn literal(s: &str, location: &str) -> Result<String, ScriptError> {
    Ok(ps_literal::string_expr(s, location)?)
}

/// An OData string literal: single quotes, with an ASCII `'` doubled. Only ASCII: OData does
/// not treat `’` as a quote, so curly quotes pass through to Graph as ordinary characters
/// (errata (e) 2). The PowerShell layer is applied afterwards, by [`ps_literal`].
pub fn odata_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The OData filter that finds objects by exact display name.
pub fn display_name_filter(name: &str) -> String {
    format!("displayName eq {}", odata_string(name))
}

/// A policy body with what the script text needs from it.
struct PolicyBody<'a> {
    body: &'a Value,
    name: Option<&'a str>,
    state: Option<&'a str>,
    /// JSON pointer prefix of this body in the input, for error messages.
    location: String,
}

impl<'a> PolicyBody<'a> {
    fn new(body: &'a Value, location: &str) -> Result<Self, ScriptError> {
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

    fn comment_name(&self) -> String {
        self.name
            .map(comment_name)
            .unwrap_or_else(|| "(no display name)".into())
    }

    /// The state in the portal's words, so the reader knows whether the script enforces.
    fn state_text(&self) -> String {
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

/// A `POST /groups` body, checked for what Graph requires (§A New-MgGroup).
struct GroupBody<'a> {
    body: &'a Map<String, Value>,
    name: &'a str,
    nickname: &'a str,
    mail_enabled: bool,
    security_enabled: bool,
}

impl<'a> GroupBody<'a> {
    fn new(body: &'a Value) -> Result<Self, ScriptError> {
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
/// space (learn.microsoft.com/graph/api/resources/group, quoted in powershell-graph.md §A).
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
fn group_id_expr(flavour: Flavour) -> &'static str {
    match flavour {
        Flavour::Sdk => "$group.Id",
        Flavour::Invoke => "$group.id",
    }
}

/// Text that never occurs in the serialised body, to mark where the script splices in the
/// group id. Deterministic: the same body always gets the same marker.
fn splice_marker(json_without_marker: &str) -> String {
    let base = "ca-builder-pilot-group-id";
    let mut marker = base.to_string();
    let mut n = 0;
    while json_without_marker.contains(&marker) {
        n += 1;
        marker = format!("{base}-{n}");
    }
    marker
}

/// Accumulates a script's lines.
struct Script {
    flavour: Flavour,
    out: String,
}

impl Script {
    fn new(
        flavour: Flavour,
        title: &str,
        steps: &[String],
        modules: &[&str],
        scopes: &[&str],
    ) -> Script {
        let mut s = Script {
            flavour,
            out: String::new(),
        };
        s.out
            .push_str(&format!("#Requires -Modules {}\n", modules.join(", ")));
        s.comment("");
        s.comment(&format!(
            "{title} (generated by ca-builder, {} flavour).",
            match flavour {
                Flavour::Sdk => "Graph PowerShell SDK",
                Flavour::Invoke => "Invoke-MgGraphRequest",
            }
        ));
        s.comment("What this script does:");
        for (i, step) in steps.iter().enumerate() {
            s.comment(&format!("  {}. {step}", i + 1));
        }
        s.comment("");
        s.comment("Every name, rule and id below is a single-quoted literal: PowerShell neither");
        s.comment("expands nor runs anything inside one. Characters outside ASCII are written as");
        s.comment("[char]0x.... codes, so the script reads the same in every encoding.");
        s.blank();
        s.comment("Stop at the first error, so a failed lookup never falls through to a create.");
        s.line(0, "$ErrorActionPreference = 'Stop'");
        for m in modules {
            s.line(0, &format!("Import-Module {m}"));
        }
        s.blank();
        s.comment("Least privileges for this script (graph-ca-policy reference, section 2).");
        if scopes.contains(&"Policy.ReadWrite.ConditionalAccess") {
            s.comment("If consent fails with a permissions error: older Graph docs also list");
            s.comment("Application.Read.All for writing Conditional Access policies.");
        }
        let scopes = scopes
            .iter()
            .map(|sc| format!("'{sc}'"))
            .collect::<Vec<_>>()
            .join(",");
        s.line(0, &format!("Connect-MgGraph -Scopes {scopes} -NoWelcome"));
        s
    }

    /// A comment line. All comment text goes through the sanitiser, fixed text included, so no
    /// comment can ever contain a line break.
    fn comment(&mut self, text: &str) {
        let text = ps_literal::comment_text(text, usize::MAX);
        if text.is_empty() {
            self.out.push_str("#\n");
        } else {
            self.out.push_str("# ");
            self.out.push_str(&text);
            self.out.push('\n');
        }
    }

    fn line(&mut self, indent: usize, code: &str) {
        for _ in 0..indent {
            self.out.push_str("    ");
        }
        self.out.push_str(code);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }

    /// `@(…)` of the objects whose display name is exactly `name`, for a policy or a group.
    fn lookup_expr(&self, path: &str, name: &str, location: &str) -> Result<String, ScriptError> {
        // Check the name itself first, so an error points into the name, not into the filter.
        literal(name, location)?;
        let filter = literal(&display_name_filter(name), location)?;
        Ok(match (self.flavour, path) {
            (Flavour::Sdk, POLICIES_PATH) => format!("@(Get-MgIdentityConditionalAccessPolicy -Filter {filter} -All)"),
            (Flavour::Sdk, _) => format!("@(Get-MgGroup -Filter {filter} -All)"),
            (Flavour::Invoke, _) => format!(
                "@((Invoke-MgGraphRequest -Method GET -Uri ('/{API_VERSION}{path}?$filter=' + [uri]::EscapeDataString({filter}))).value)"
            ),
        })
    }

    fn policy_name_check(&mut self, name: &str, location: &str) -> Result<(), ScriptError> {
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
        Ok(())
    }

    /// Creates one policy. With `splice`, the array at that path gets `$group`'s id.
    fn create_policy(
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
        let group_id = group_id_expr(self.flavour);
        match self.flavour {
            Flavour::Sdk => {
                self.line(0, &format!("$params = {}", value_at(p.body, &p.location)?));
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

    /// Leaves the group in `$group`: the one existing group of that name, or a new one.
    fn find_or_create_group(&mut self, g: &GroupBody) -> Result<(), ScriptError> {
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
                // the only correct one (§A New-MgGroup, errata (d)).
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

    fn finish(self) -> String {
        self.out
    }
}

fn ps_bool(b: bool) -> &'static str {
    if b {
        "$true"
    } else {
        "$false"
    }
}

fn body_location(location: &str) -> String {
    if location.is_empty() {
        "body".into()
    } else {
        format!("body {location}")
    }
}

/// The body as a hashtable expression; error pointers are prefixed with the body's place in
/// the input list.
fn value_at(body: &Value, location: &str) -> Result<String, ScriptError> {
    ps_literal::value(body, 0).map_err(|e| {
        let inner = if e.location == "/" {
            ""
        } else {
            e.location.as_str()
        };
        let location = if location.is_empty() && inner.is_empty() {
            "/".to_string()
        } else {
            format!("{location}{inner}")
        };
        ScriptError::Literal(NulCharacter { location, ..e })
    })
}

/// The pretty JSON of `body` with a marker string as the only element of the array at `path`,
/// cut into the text before the marker and the text after it (both ends keep the JSON quotes,
/// so `before + id + after` is the body with `[ "id" ]` there).
fn split_at_splice(body: &Value, path: &[&str]) -> (String, String) {
    let marker = splice_marker(&graph_json::pretty_body(body));
    let mut marked = body.clone();
    let mut slot = &mut marked;
    for key in path {
        // `pilot_body` created every object on this path.
        slot = slot
            .get_mut(*key)
            .expect("pilot_body created the splice path");
    }
    *slot = Value::Array(vec![Value::String(marker.clone())]);
    let json = graph_json::pretty_body(&marked);
    // The marker is absent from the unmarked text and needs no JSON escaping, so it occurs
    // exactly once: at the slot.
    let at = json.find(&marker).expect("the marker was just inserted");
    (
        json[..at].to_string(),
        json[at + marker.len()..].to_string(),
    )
}

// ---------------------------------------------------------------------------------------------
// Builders around the rollout (issue 6): Authentication methods policy, authentication strength,
// and the whole rollout as one script. New functions only; they reuse `Script`, `literal`,
// `ps_literal` and the group/policy steps above.

use crate::builders::methods::{
    MethodPatch, FINGERPRINT_PARTS, METHODS_PERMISSION, PILOT_GROUP_PLACEHOLDER,
};
use crate::builders::rollout::{PilotGroup, Rollout};
use crate::builders::strength::{
    self as strength_builder, StrengthSettings, STRENGTH_PERMISSION, STRENGTH_PLACEHOLDER,
};

const METHODS_UPDATE_CMDLET: &str =
    "Update-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration";
const STRENGTH_CMDLET: &str = "New-MgPolicyAuthenticationStrengthPolicy";

/// Scopes to read and write the Authentication methods policy (passkey-methods-policy.md §1.1).
pub const METHODS_SCOPES: [&str; 2] = ["Policy.Read.All", METHODS_PERMISSION];

/// A script that sends one method-configuration PATCH (passkeys or TAP). It first reads the
/// configuration and stops, sending nothing, unless it is the one the PATCH was merged with
/// ([`MethodPatch::expected_current`]): the PATCH replaces lists whole, so a stale merge would
/// drop whatever was added since.
pub fn method_patch_script(flavour: Flavour, patch: &MethodPatch) -> Result<String, ScriptError> {
    refuse_placeholder(
        &patch.body,
        PILOT_GROUP_PLACEHOLDER,
        "/includeTargets",
        "the pilot group's object id",
    )?;
    let label = patch.method.label();
    let steps = [
        connect_step(&METHODS_SCOPES),
        format!("Read the {label} configuration and stop, changing nothing, unless it is the one this script was previewed against."),
        "Send the PATCH below: state, settings, and the complete (merged) target and AAGUID lists.".to_string(),
    ];
    let mut s = Script::new(
        flavour,
        &format!("Update the {label} method configuration"),
        &steps,
        &modules(flavour, false),
        &METHODS_SCOPES,
    );
    s.method_guard(patch, "$current")?;
    s.method_patch(patch, &[])?;
    Ok(s.finish())
}

/// A script that creates the custom authentication strength and restricts its passkeys to the
/// AAGUIDs; prints the new strength's id (the id CA policies reference).
pub fn strength_script(
    flavour: Flavour,
    settings: &StrengthSettings,
) -> Result<String, ScriptError> {
    let scopes = [STRENGTH_PERMISSION];
    let steps = [
        connect_step(&scopes),
        "Create the custom authentication strength (only passkeys, FIDO2) and restrict it to the AAGUIDs below.".into(),
        "Print the strength id: CA policies reference it as grantControls.authenticationStrength.id.".into(),
    ];
    let mut s = Script::new(
        flavour,
        "Create a custom authentication strength",
        &steps,
        &modules(flavour, false),
        &scopes,
    );
    s.create_strength(settings)?;
    s.line(0, "Write-Output $strengthId");
    Ok(s.finish())
}

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
    if matches!(rollout.pilot, PilotGroup::Create(_)) {
        scopes.extend(GROUP_SCOPES);
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
    steps.push("Enable passkeys (FIDO2) for the pilot group: attestation, Authenticator AAGUID allow list (merged lists).".into());
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
        &modules(flavour, matches!(rollout.pilot, PilotGroup::Create(_))),
        &scopes,
    );

    for (i, name) in names.iter().enumerate() {
        s.policy_name_check(name, &format!("/policies/{i}"))?;
    }
    s.method_guard(&rollout.fido2, "$fido2Current")?;
    s.method_guard(&rollout.tap, "$tapCurrent")?;

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
    let subs = [
        (PILOT_GROUP_PLACEHOLDER, group_id_code),
        (STRENGTH_PLACEHOLDER, "$strengthId"),
    ];
    s.method_patch(&rollout.fido2, &subs)?;
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

/// Errors when a body still carries a placeholder a standalone script cannot fill in.
fn refuse_placeholder(
    body: &Value,
    placeholder: &str,
    pointer: &str,
    what: &str,
) -> Result<(), ScriptError> {
    let (marked, _) = mark_placeholders(body, placeholder, "");
    if marked != *body {
        return Err(ScriptError::GroupProperty {
            pointer: pointer.to_string(),
            problem: format!("holds the placeholder {placeholder}: give {what} first"),
        });
    }
    Ok(())
}

/// `body` with every id slot holding `placeholder` replaced by a unique marker, and the marker.
/// Only id slots are looked at — an `id` property (`includeTargets[].id`,
/// `authenticationStrength.id`) or an element of `includeGroups` — so a display name or
/// description that happens to read like a placeholder stays data. The marker occurs nowhere
/// in the body's text nor in `taken` (markers already in use), so after code generation each
/// occurrence is exactly one placeholder.
fn mark_placeholders(body: &Value, placeholder: &str, taken: &str) -> (Value, String) {
    let marker = splice_marker(&format!("{}\n{taken}", graph_json::pretty_body(body)));
    fn walk(v: &mut Value, key: Option<&str>, placeholder: &str, marker: &str) {
        match v {
            Value::String(s) if s == placeholder && matches!(key, Some("id" | "includeGroups")) => {
                *s = marker.to_string()
            }
            // Array elements inherit the array's key, so `includeGroups[i]` is an id slot.
            Value::Array(items) => items
                .iter_mut()
                .for_each(|i| walk(i, key, placeholder, marker)),
            Value::Object(map) => map
                .iter_mut()
                .for_each(|(k, i)| walk(i, Some(k), placeholder, marker)),
            _ => {}
        }
    }
    let mut marked = body.clone();
    walk(&mut marked, None, placeholder, &marker);
    (marked, marker)
}

impl Script {
    /// Reads a method configuration into `var` and stops unless its fingerprint is the expected one.
    fn method_guard(&mut self, patch: &MethodPatch, var: &str) -> Result<(), ScriptError> {
        let label = patch.method.label();
        self.blank();
        self.comment(&format!(
            "Is the {label} configuration still the one the PATCH below was merged with?"
        ));
        self.comment(
            "A PATCH replaces the target and AAGUID lists whole; a stale merge would drop entries.",
        );
        if self.flavour == Flavour::Sdk {
            self.comment("Read with Invoke-MgGraphRequest: the SDK's typed result keeps these properties in AdditionalProperties.");
        }
        self.line(
            0,
            &format!(
                "{var} = Invoke-MgGraphRequest -Method GET -Uri {}",
                literal(&format!("/{API_VERSION}{}", patch.method.path()), "uri")?
            ),
        );
        let seen = FINGERPRINT_PARTS
            .iter()
            .enumerate()
            .map(|(i, (label, expr))| {
                let sep = if i == 0 { "" } else { "; " };
                format!("'{sep}{label}=' + {}", expr.replace("$current", var))
            })
            .collect::<Vec<_>>()
            .join(" + ");
        self.line(0, &format!("{var}Seen = {seen}"));
        self.line(
            0,
            &format!(
                "{var}Expected = {}",
                literal(&patch.expected_current, "expected current configuration")?
            ),
        );
        self.line(0, &format!("if ({var}Seen -ne {var}Expected) {{"));
        self.line(1, &format!(
            "throw ('The {label} configuration is not the one this script was previewed against; nothing was changed. Expected: ' + {var}Expected + ' Found: ' + {var}Seen + ' Paste the current configuration into ca-builder and generate the script again.')"
        ));
        self.line(0, "}");
        Ok(())
    }

    /// Sends a method PATCH, with placeholders replaced by code (`$groupId`).
    fn method_patch(
        &mut self,
        patch: &MethodPatch,
        subs: &[(&str, &str)],
    ) -> Result<(), ScriptError> {
        self.blank();
        self.comment(&format!(
            "{} method configuration (PATCH; 204 No Content on success).",
            patch.method.label()
        ));
        let body = self.spliced_body(&patch.body, subs, "method body")?;
        match self.flavour {
            Flavour::Sdk => {
                self.line(0, &format!("$params = {body}"));
                self.line(0, &format!(
                    "{METHODS_UPDATE_CMDLET} -AuthenticationMethodConfigurationId {} -BodyParameter $params",
                    literal(patch.method.config_id(), "configuration id")?
                ));
            }
            Flavour::Invoke => {
                self.line(0, &format!("$body = {body}"));
                self.comment("Only POST defaults the content type to JSON; a PATCH must name it.");
                self.line(0, &format!(
                    "Invoke-MgGraphRequest -Method PATCH -Uri {} -Body $body -ContentType 'application/json'",
                    literal(&format!("/{API_VERSION}{}", patch.method.path()), "uri")?
                ));
            }
        }
        self.line(
            0,
            &format!(
                "Write-Output {}",
                literal(
                    &format!("Updated the {} configuration", patch.method.label()),
                    "message"
                )?
            ),
        );
        Ok(())
    }

    /// Creates the strength; leaves its id in `$strengthId`.
    fn create_strength(&mut self, settings: &StrengthSettings) -> Result<(), ScriptError> {
        let bad = |e: crate::builders::methods::SettingError| ScriptError::NotAnObject {
            location: format!("authentication strength {e}"),
        };
        self.blank();
        self.comment(
            "Custom authentication strength: only passkeys (fido2), from the allowed AAGUIDs.",
        );
        match self.flavour {
            Flavour::Sdk => {
                // The SDK example passes the AAGUID restriction inline (reference 3.2, 6.4).
                let body = strength_builder::strength_body_inline(settings).map_err(bad)?;
                self.line(0, &format!("$params = {}", ps_literal::value(&body, 0)?));
                self.line(
                    0,
                    &format!("$strength = {STRENGTH_CMDLET} -BodyParameter $params"),
                );
                self.line(0, "$strengthId = $strength.Id");
            }
            Flavour::Invoke => {
                // The REST page documents two requests: the strength, then its combination configuration.
                let body = strength_builder::strength_body(settings).map_err(bad)?;
                let combo = strength_builder::combination_body(settings).map_err(bad)?;
                self.line(
                    0,
                    &format!(
                        "$body = {}",
                        literal(&graph_json::pretty_body(&body), "strength body")?
                    ),
                );
                self.line(0, &format!(
                    "$strength = Invoke-MgGraphRequest -Method POST -Uri {} -Body $body -ContentType 'application/json'",
                    literal(&format!("/{API_VERSION}{}", strength_builder::STRENGTH_PATH), "uri")?
                ));
                self.line(0, "$strengthId = $strength.id");
                let path = strength_builder::combination_path(STRENGTH_PLACEHOLDER);
                let (before, after) = path
                    .split_once(STRENGTH_PLACEHOLDER)
                    .unwrap_or((path.as_str(), ""));
                self.line(
                    0,
                    &format!(
                        "$body = {}",
                        literal(&graph_json::pretty_body(&combo), "combination body")?
                    ),
                );
                self.line(0, &format!(
                    "Invoke-MgGraphRequest -Method POST -Uri ({} + $strengthId + {}) -Body $body -ContentType 'application/json' | Out-Null",
                    literal(&format!("/{API_VERSION}{before}"), "uri")?,
                    literal(after, "uri")?
                ));
            }
        }
        self.line(
            0,
            "Write-Output ('Created authentication strength ' + $strengthId)",
        );
        Ok(())
    }

    /// The PowerShell expression for `body` (hashtable for the SDK, JSON string for Invoke)
    /// with each placeholder value replaced by its code expression.
    fn spliced_body(
        &self,
        body: &Value,
        subs: &[(&str, &str)],
        location: &str,
    ) -> Result<String, ScriptError> {
        let mut marked = body.clone();
        let mut markers: Vec<(String, &str)> = Vec::new();
        for (placeholder, code) in subs {
            let taken = markers
                .iter()
                .map(|(m, _)| m.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            let (m, marker) = mark_placeholders(&marked, placeholder, &taken);
            marked = m;
            markers.push((marker, *code));
        }
        match self.flavour {
            Flavour::Sdk => {
                let mut text = value_at(&marked, "")?;
                for (marker, code) in &markers {
                    // The marker is plain ASCII and absent from every value, so its literal is
                    // exactly `'marker'` and occurs only where a placeholder was.
                    text = text.replace(&format!("'{marker}'"), code);
                }
                Ok(text)
            }
            Flavour::Invoke => {
                let json = graph_json::pretty_body(&marked);
                // Cut the JSON at every marker string value (found with its JSON quotes, as one
                // marker may be a prefix of another); the quotes stay in the literals around it.
                let mut parts: Vec<String> = Vec::new();
                let mut rest = json.as_str();
                loop {
                    let next = markers
                        .iter()
                        .filter_map(|(m, code)| {
                            rest.find(&format!("\"{m}\"")).map(|at| (at, m, *code))
                        })
                        .min_by_key(|(at, _, _)| *at);
                    match next {
                        Some((at, m, code)) => {
                            parts.push(literal(&rest[..at + 1], location)?);
                            parts.push(code.to_string());
                            rest = &rest[at + 1 + m.len()..];
                        }
                        None => {
                            parts.push(literal(rest, location)?);
                            break;
                        }
                    }
                }
                Ok(parts.join(" + "))
            }
        }
    }
}
