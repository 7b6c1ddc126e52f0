//! The passkey change on a tenant with passkey profiles, in the rollout script: add the pilot
//! profile (every existing profile echoed), read the configuration back and find the new
//! profile's id by its name, then target the pilot group with it. Before each PATCH the script
//! reads the configuration again and stops, with a `Write-Error` naming the member, unless it
//! is the one the script was generated over; a step found done already is skipped, so a re-run
//! over a finished rollout changes nothing.
//!
//! The comparison is over text both sides build the same way ([`seen`] here, the
//! `Get-PasskeyConfigSeen` function in the script): for each profile its id, name, types,
//! attestation and key restrictions; for each include target its id, type, registration flag
//! and allowed profiles; the exclude targets' ids; the state.

use super::script::{literal, Flavour, Script, ScriptError};
use crate::builders::methods::{Method, StepKind, PILOT_GROUP_PLACEHOLDER};
use crate::builders::rollout::ProfileRollout;
use crate::export::graph_json::API_VERSION;
use serde_json::{Map, Value};

/// The members compared, in the order the script checks them.
const MEMBERS: [&str; 4] = [
    "state",
    "excludeTargets",
    "includeTargets",
    "passkeyProfiles",
];

/// The PowerShell function that builds the compared text from a GET response (a hashtable),
/// leaving out the profiles named `$name`. `[string]` of `$true` is `True`, of `$null` is `''`.
/// Statements only (no script blocks, no method calls), like the rest of the script.
const SEEN_FUNCTION: [&str; 24] = [
    "function Get-PasskeyConfigSeen($cfg, $name) {",
    "    $exclude = @()",
    "    foreach ($t in @($cfg.excludeTargets)) {",
    "        if ($null -ne $t) { $exclude += [string]$t.id }",
    "    }",
    "    $include = @()",
    "    foreach ($t in @($cfg.includeTargets)) {",
    "        if ($null -ne $t) {",
    "            $include += (@([string]$t.id, [string]$t.targetType, [string]$t.isRegistrationRequired, (@($t.allowedPasskeyProfiles) -join ',')) -join '|')",
    "        }",
    "    }",
    "    $profiles = @()",
    "    foreach ($p in @($cfg.passkeyProfiles)) {",
    "        if ($null -ne $p -and $p.name -cne $name) {",
    "            $profiles += (@([string]$p.id, [string]$p.name, [string]$p.passkeyTypes, [string]$p.attestationEnforcement, [string]$p.keyRestrictions.isEnforced, [string]$p.keyRestrictions.enforcementType, (@($p.keyRestrictions.aaGuids) -join ',')) -join '|')",
    "        }",
    "    }",
    "    @{",
    "        state = [string]$cfg.state",
    "        excludeTargets = ($exclude -join ',')",
    "        includeTargets = ($include -join ';')",
    "        passkeyProfiles = ($profiles -join ';')",
    "    }",
    "}",
];

/// `[string]` of a JSON value as PowerShell writes it; arrays joined with `,`.
fn ps_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) | Some(Value::Object(_)) => String::new(),
        Some(Value::Bool(true)) => "True".into(),
        Some(Value::Bool(false)) => "False".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| ps_text(Some(x)))
            .collect::<Vec<_>>()
            .join(","),
    }
}

fn fields(o: &Value, keys: &[&str]) -> String {
    keys.iter()
        .map(|k| {
            let mut v = Some(o);
            for part in k.split('.') {
                v = v.and_then(|x| x.get(part));
            }
            ps_text(v)
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// The text of the include targets.
pub(super) fn targets_text(targets: &[Value]) -> String {
    targets
        .iter()
        .map(|t| {
            fields(
                t,
                &[
                    "id",
                    "targetType",
                    "isRegistrationRequired",
                    "allowedPasskeyProfiles",
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The text of the profiles not named `name`.
pub(super) fn profiles_text(profiles: &[Value], name: &str) -> String {
    profiles
        .iter()
        .filter(|p| p.get("name").and_then(Value::as_str) != Some(name))
        .map(|p| {
            fields(
                p,
                &[
                    "id",
                    "name",
                    "passkeyTypes",
                    "attestationEnforcement",
                    "keyRestrictions.isEnforced",
                    "keyRestrictions.enforcementType",
                    "keyRestrictions.aaGuids",
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn objects(list: &[Map<String, Value>]) -> Vec<Value> {
    list.iter().cloned().map(Value::Object).collect()
}

/// What the script expects at each point: before the profile is added, once it is added (before
/// the target step), and the include targets once the rollout is done (with the placeholders).
pub(super) struct Expected {
    pub state: String,
    pub exclude: String,
    pub targets_before: String,
    pub targets_done: String,
    pub profiles_before: String,
    pub profiles_added: String,
}

/// The text the script compares with, from the configuration the plan was made over.
pub(super) fn expected(r: &ProfileRollout) -> Expected {
    let name = &r.plan.profile_name;
    let cur = &r.read.current;
    let read: Vec<Value> = r.read.profiles.iter().map(|p| p.body()).collect();
    let added: Vec<Value> = match r.step(StepKind::Profiles) {
        // What step 1 sends, without the new profile (it has no id yet).
        Some(body) => body["passkeyProfiles"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p.get("id").is_some())
            .cloned()
            .collect(),
        None => read.clone(),
    };
    let targets = objects(&cur.include_targets);
    let done = match r.step(StepKind::Targets) {
        Some(body) => body["includeTargets"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
        None => targets.clone(),
    };
    Expected {
        state: ps_text(
            cur.state
                .as_ref()
                .map(|s| Value::String(s.clone()))
                .as_ref(),
        ),
        exclude: objects(&cur.exclude_targets)
            .iter()
            .map(|t| ps_text(t.get("id")))
            .collect::<Vec<_>>()
            .join(","),
        targets_before: targets_text(&targets),
        targets_done: targets_text(&done),
        profiles_before: profiles_text(&read, name),
        profiles_added: profiles_text(&added, name),
    }
}

impl Script {
    fn expected_table(
        &mut self,
        var: &str,
        e: &Expected,
        targets: &str,
        profiles: &str,
    ) -> Result<(), ScriptError> {
        self.line(0, &format!("{var} = @{{"));
        self.line(1, &format!("state = {}", literal(&e.state, "state")?));
        self.line(
            1,
            &format!(
                "excludeTargets = {}",
                literal(&e.exclude, "excludeTargets")?
            ),
        );
        self.line(
            1,
            &format!("includeTargets = {}", literal(targets, "includeTargets")?),
        );
        self.line(
            1,
            &format!(
                "passkeyProfiles = {}",
                literal(profiles, "passkeyProfiles")?
            ),
        );
        self.line(0, "}");
        Ok(())
    }

    fn fido2_read(&mut self, indent: usize) -> Result<(), ScriptError> {
        self.line(
            indent,
            &format!(
                "$fido2Cfg = Invoke-MgGraphRequest -Method GET -Uri {}",
                literal(&format!("/{API_VERSION}{}", Method::Fido2.path()), "uri")?
            ),
        );
        self.line(
            indent,
            "$fido2Seen = Get-PasskeyConfigSeen $fido2Cfg $profileName",
        );
        self.line(indent, "$fido2Named = @()");
        self.line(indent, "foreach ($p in @($fido2Cfg.passkeyProfiles)) {");
        self.line(
            indent + 1,
            "if ($null -ne $p -and $p.name -ceq $profileName) { $fido2Named += $p }",
        );
        self.line(indent, "}");
        Ok(())
    }

    /// The check before anything is changed: the profile's name, the functions, what the
    /// configuration must be, and a first read compared with it.
    pub(super) fn profile_guard(&mut self, r: &ProfileRollout) -> Result<(), ScriptError> {
        let e = expected(r);
        self.blank();
        self.comment("Passkey profiles: the pilot profile's name, and the passkey (FIDO2) configuration this script was generated over.");
        self.comment("There is no ETag on this configuration: it is read again, and compared, right before each PATCH.");
        self.line(
            0,
            &format!(
                "$profileName = {}",
                literal(&r.plan.profile_name, "profile name")?
            ),
        );
        for l in SEEN_FUNCTION {
            self.line(0, l);
        }
        self.line(
            0,
            "function Assert-PasskeyConfig($seen, $expected, $members, $when) {",
        );
        self.line(1, "foreach ($member in $members) {");
        self.line(2, "if ($seen[$member] -cne $expected[$member]) {");
        self.line(3, "Write-Error -ErrorAction Stop ('The passkey (FIDO2) configuration is not the one this script was generated over (' + $when + '): ' + $member + ' differs; nothing more was changed. Expected: ' + $expected[$member] + ' Found: ' + $seen[$member] + ' Read the configuration again and generate the script again.')");
        self.line(2, "}");
        self.line(1, "}");
        self.line(0, "}");
        self.expected_table("$fido2Before", &e, &e.targets_before, &e.profiles_before)?;
        self.expected_table("$fido2Added", &e, &e.targets_before, &e.profiles_added)?;
        self.line(
            0,
            &format!(
                "$fido2AllMembers = @({})",
                MEMBERS
                    .iter()
                    .map(|m| format!("'{m}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        self.fido2_read(0)?;
        self.several_named()?;
        self.line(0, "if ($fido2Named.Count -eq 0) {");
        if r.step(StepKind::Profiles).is_none() {
            self.line(1, "Write-Error -ErrorAction Stop ('The passkey profile ' + $profileName + ' was deleted since this script was generated; nothing was changed. Generate the script again.')");
        }
        self.line(
            1,
            "Assert-PasskeyConfig $fido2Seen $fido2Before $fido2AllMembers 'before any change'",
        );
        self.comment(
            "Found already (a re-run): its target is checked right before the target step.",
        );
        self.line(0, "} else {");
        self.line(1, "Assert-PasskeyConfig $fido2Seen $fido2Added @('state', 'excludeTargets', 'passkeyProfiles') 'before any change'");
        self.line(0, "}");
        Ok(())
    }

    fn several_named(&mut self) -> Result<(), ScriptError> {
        self.line(0, "if ($fido2Named.Count -gt 1) {");
        self.line(1, "Write-Error -ErrorAction Stop ('Several passkey profiles are named ' + $profileName + '; rename all but one in the admin center. Nothing more was changed.')");
        self.line(0, "}");
        Ok(())
    }

    /// The ordered steps; `subs` fills the pilot group's id (and the profile id is added here).
    pub(super) fn profile_steps(
        &mut self,
        r: &ProfileRollout,
        subs: &[(&str, &str)],
    ) -> Result<(), ScriptError> {
        let e = expected(r);
        let uri = literal(&format!("/{API_VERSION}{}", Method::Fido2.path()), "uri")?;
        if let Some(body) = r.step(StepKind::Profiles) {
            self.blank();
            self.comment("Passkey profiles, step 1: add the pilot profile. Every existing profile is sent back unchanged");
            self.comment(
                "(one left out would be deleted); the new one has no id: the service gives it one.",
            );
            self.fido2_read(0)?;
            self.several_named()?;
            self.line(0, "if ($fido2Named.Count -eq 0) {");
            self.line(1, "Assert-PasskeyConfig $fido2Seen $fido2Before $fido2AllMembers 'before adding the profile'");
            self.patch(1, body, subs, &uri)?;
            self.line(
                1,
                "Write-Output ('Added the passkey profile ' + $profileName)",
            );
            self.line(0, "} else {");
            self.line(1, "Write-Output ('The passkey profile ' + $profileName + ' exists already; it is not added again.')");
            self.line(0, "}");
        }
        self.blank();
        self.comment("Read the configuration back and find the pilot profile's id by its name: exactly one must have it.");
        self.fido2_read(0)?;
        self.line(0, "if ($fido2Named.Count -ne 1) {");
        self.line(1, "Write-Error -ErrorAction Stop ('Expected exactly one passkey profile named ' + $profileName + ', found ' + $fido2Named.Count + '; nothing was targeted.')");
        self.line(0, "}");
        self.line(0, "$profileId = [string]$fido2Named[0].id");
        self.comment("The id goes into the next body: take it only if it is a GUID.");
        self.line(
            0,
            "if ($profileId -notmatch '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$') {",
        );
        self.line(1, "Write-Error -ErrorAction Stop ('The passkey profile read back has the id ' + $profileId + ', not a GUID; nothing was targeted.')");
        self.line(0, "}");
        self.line(
            0,
            "Write-Output ('The passkey profile ' + $profileName + ' has the id ' + $profileId)",
        );
        let Some(body) = r.step(StepKind::Targets) else {
            return Ok(());
        };
        let ph = r.placeholder();
        let mut all: Vec<(&str, &str)> = subs.to_vec();
        all.push((ph.as_str(), "$profileId"));
        self.blank();
        self.comment("Passkey profiles, step 2: target the pilot group with the profile. Every existing target is sent");
        self.comment("back unchanged (the list is replaced whole); skipped when the pilot is targeted already.");
        let group = subs
            .iter()
            .find(|(p, _)| *p == PILOT_GROUP_PLACEHOLDER)
            .map(|(_, c)| *c);
        let mut fills = vec![(ph.as_str(), "$profileId")];
        if let Some(g) = group {
            fills.push((PILOT_GROUP_PLACEHOLDER, g));
        }
        let done = concat_filled(&e.targets_done, &fills)?;
        self.line(0, &format!("$fido2TargetsDone = {done}"));
        self.line(0, "if ($fido2Seen.includeTargets -ceq $fido2TargetsDone) {");
        self.line(1, "Write-Output 'The pilot group is targeted with the passkey profile already; nothing to send.'");
        self.line(0, "} else {");
        self.line(1, "Assert-PasskeyConfig $fido2Seen $fido2Added $fido2AllMembers 'before targeting the profile'");
        self.patch(1, body, &all, &uri)?;
        self.line(
            1,
            "Write-Output ('Targeted the pilot group with the passkey profile ' + $profileId)",
        );
        self.line(0, "}");
        Ok(())
    }

    fn patch(
        &mut self,
        indent: usize,
        body: &Value,
        subs: &[(&str, &str)],
        uri: &str,
    ) -> Result<(), ScriptError> {
        let text = self.spliced_body(body, subs, "passkey profile step")?;
        match self.flavour {
            Flavour::Sdk => {
                self.line(indent, &format!("$params = {text}"));
                self.line(indent, &format!(
                    "Update-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration -AuthenticationMethodConfigurationId {} -BodyParameter $params",
                    literal(Method::Fido2.config_id(), "configuration id")?
                ));
            }
            Flavour::Invoke => {
                self.line(indent, &format!("$body = {text}"));
                self.line(indent, &format!(
                    "Invoke-MgGraphRequest -Method PATCH -Uri {uri} -Body $body -ContentType 'application/json'"
                ));
            }
        }
        Ok(())
    }
}

/// `text` as a `+` chain of literals with each placeholder (earliest first) replaced by its
/// code; the targets' text holds the placeholders only where an id goes.
fn concat_filled(text: &str, fills: &[(&str, &str)]) -> Result<String, ScriptError> {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        let next = fills
            .iter()
            .filter_map(|(p, code)| rest.find(p).map(|at| (at, *p, *code)))
            .min_by_key(|(at, _, _)| *at);
        match next {
            Some((at, p, code)) => {
                parts.push(literal(&rest[..at], "includeTargets")?);
                parts.push(code.to_string());
                rest = &rest[at + p.len()..];
            }
            None => {
                parts.push(literal(rest, "includeTargets")?);
                break;
            }
        }
    }
    Ok(parts.join(" + "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_text_matches_what_powershell_builds() {
        let p = json!([{"id": "a", "name": "x|y", "passkeyTypes": "deviceBound", "attestationEnforcement": "disabled",
            "keyRestrictions": {"isEnforced": false, "enforcementType": "block", "aaGuids": []}},
            {"id": "b", "name": "ours"}]);
        assert_eq!(
            profiles_text(p.as_array().unwrap(), "ours"),
            "a|x|y|deviceBound|disabled|False|block|"
        );
        let t = json!([{"id": "all_users", "targetType": "group", "isRegistrationRequired": true,
            "allowedPasskeyProfiles": ["a", "b"]}, {"id": "g"}]);
        assert_eq!(
            targets_text(t.as_array().unwrap()),
            "all_users|group|True|a,b;g|||"
        );
    }
}
