//! `ca-policy passkey-policy | tap-policy | auth-strength | rollout`: the builders around the
//! rollout (issue 6). Exit codes as for every command: 0 ok, 1 the input has errors (a pasted
//! configuration that cannot be read), 2 usage (unknown option, a bad option value).

use std::path::Path;

use super::output;

use crate::builders::app_protection::APP_PROTECTION_FOR_AUTHENTICATOR;
use crate::builders::methods::{
    self, CurrentConfig, Method, MethodPatch, PasskeySettings, TapSettings, METHODS_PERMISSION,
    METHODS_ROLE,
};
use crate::builders::risk::{self, licence_notes};
use crate::builders::rollout::{PilotGroup, Rollout};
use crate::builders::strength::{self, StrengthSettings, STRENGTH_PERMISSION};
use crate::builders::Aaguid;
use crate::export::graph_json::{pretty_body, API_VERSION, GRAPH_ROOT};
use crate::export::powershell::{self, Flavour};
use crate::policy::{templates, RolloutState, Template, TemplateParams};

const USAGE: &str = "\
usage:
  ca-policy passkey-policy --pilot-group ID [--aaguid AAGUID]... [--no-attestation] [--no-self-service]
                           [--current FILE] [--format json|effect|powershell|powershell-invoke]
  ca-policy passkey-policy --app-protection
  ca-policy tap-policy --pilot-group ID [--lifetime MIN] [--min-lifetime MIN] [--max-lifetime MIN]
                       [--length N] [--multi-use] [--current FILE] [--format json|effect|powershell|powershell-invoke]
  ca-policy auth-strength [--display-name S] [--description S] [--aaguid AAGUID]...
                          [--format json|powershell|powershell-invoke]
  ca-policy rollout (--out DIR | --script | --switch-on-script) [--flavour sdk|invoke]
                    (--pilot-group ID | --new-group NAME) [--template NAME]... [--strength-for NAME]...
                    [--exclude-user ID]... [--exclude-group ID]... [--aaguid AAGUID]...
                    [--current-fido2 FILE] [--current-tap FILE]

passkey-policy: PATCH body enabling passkeys (FIDO2) for the pilot group with attestation and an
  allow list of the Microsoft Authenticator AAGUIDs (plus --aaguid). --current FILE is the GET
  response of the configuration: the PATCH replaces lists whole, so they are merged with it
  (without it the service default is assumed, and the scripts check that before sending).
  --format effect shows what is added, removed and kept. --app-protection explains why an Intune
  App Protection Policy cannot protect Authenticator, and what to do instead.
tap-policy: PATCH body enabling Temporary Access Pass (one-time unless --multi-use, 60 minutes).
auth-strength: custom authentication strength accepting only passkeys from the AAGUIDs.
rollout: the whole rollout in order (pilot group, passkey and TAP methods, strength, CA policies in
  Report-only). --out DIR writes a bundle of JSON files with manifest.json and README.md; --script
  prints it as one PowerShell script; --switch-on-script prints the later step that switches the
  policies On. Templates (default: pilot protect-registration user-risk sign-in-risk):";

/// The rollout's policy choices: the five templates and the sign-in-risk builder.
const ROLLOUT_TEMPLATES: [&str; 6] = [
    "mfa-compensating",
    "pilot",
    "hardening",
    "protect-registration",
    "user-risk",
    "sign-in-risk",
];
const DEFAULT_TEMPLATES: [&str; 4] = ["pilot", "protect-registration", "user-risk", "sign-in-risk"];

pub(crate) fn run(args: &[String]) -> i32 {
    let Some(command) = args.first().map(String::as_str) else {
        return usage("expected a command");
    };
    let opts = match Opts::parse(&args[1..]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    match command {
        "passkey-policy" => passkey_policy(&opts),
        "tap-policy" => tap_policy(&opts),
        "auth-strength" => auth_strength(&opts),
        "rollout" => rollout(&opts),
        other => usage(&format!("unknown command {other:?}")),
    }
}

fn usage(msg: &str) -> i32 {
    output::error(
        &format!("{msg}\n\n{USAGE} {}", ROLLOUT_TEMPLATES.join(", ")),
        2,
    )
}

fn fail(msg: &str) -> i32 {
    output::error(msg, 1)
}

fn note(msg: &str) {
    output::err_line(msg);
}

/// Every option of the four commands; each command refuses the ones it does not take.
#[derive(Default)]
struct Opts {
    given: Vec<String>,
    pilot_group: Option<String>,
    new_group: Option<String>,
    aaguids: Vec<Aaguid>,
    no_attestation: bool,
    no_self_service: bool,
    current: Option<String>,
    current_fido2: Option<String>,
    current_tap: Option<String>,
    format: Option<String>,
    lifetime: Option<i32>,
    min_lifetime: Option<i32>,
    max_lifetime: Option<i32>,
    length: Option<i32>,
    multi_use: bool,
    display_name: Option<String>,
    description: Option<String>,
    out: Option<String>,
    script: bool,
    switch_on_script: bool,
    flavour: Option<Flavour>,
    templates: Vec<String>,
    strength_for: Vec<String>,
    exclude_users: Vec<String>,
    exclude_groups: Vec<String>,
    app_protection: bool,
}

impl Opts {
    fn parse(args: &[String]) -> Result<Opts, i32> {
        let mut o = Opts::default();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let (opt, inline) = super::split_option(arg);
            let flag = matches!(
                opt,
                "--no-attestation"
                    | "--no-self-service"
                    | "--multi-use"
                    | "--script"
                    | "--switch-on-script"
                    | "--app-protection"
                    | "-h"
                    | "--help"
            );
            if opt == "-h" || opt == "--help" {
                return Err(output::text(&format!(
                    "{USAGE} {}\n",
                    ROLLOUT_TEMPLATES.join(", ")
                )));
            }
            let value = if flag {
                if inline.is_some() {
                    return Err(usage(&format!("{opt} takes no value")));
                }
                String::new()
            } else if opt.starts_with("--") {
                match inline.or_else(|| it.next().cloned()) {
                    Some(v) => v,
                    None => return Err(usage(&format!("{opt} needs a value"))),
                }
            } else {
                return Err(usage(&format!("unexpected argument {arg:?}")));
            };
            o.given.push(opt.to_string());
            let int = |v: &str| {
                v.parse::<i32>()
                    .map_err(|_| usage(&format!("{opt} needs a whole number, not {v:?}")))
            };
            match opt {
                "--pilot-group" => o.pilot_group = Some(value),
                "--new-group" => o.new_group = Some(value),
                "--aaguid" => match Aaguid::parse(&value) {
                    Ok(a) => o.aaguids.push(a),
                    Err(e) => return Err(usage(&format!("--aaguid: {e}"))),
                },
                "--no-attestation" => o.no_attestation = true,
                "--no-self-service" => o.no_self_service = true,
                "--current" => o.current = Some(value),
                "--current-fido2" => o.current_fido2 = Some(value),
                "--current-tap" => o.current_tap = Some(value),
                "--format" => o.format = Some(value),
                "--lifetime" => o.lifetime = Some(int(&value)?),
                "--min-lifetime" => o.min_lifetime = Some(int(&value)?),
                "--max-lifetime" => o.max_lifetime = Some(int(&value)?),
                "--length" => o.length = Some(int(&value)?),
                "--multi-use" => o.multi_use = true,
                "--display-name" => o.display_name = Some(value),
                "--description" => o.description = Some(value),
                "--out" => o.out = Some(value),
                "--script" => o.script = true,
                "--switch-on-script" => o.switch_on_script = true,
                "--flavour" => {
                    o.flavour = Some(match value.as_str() {
                        "sdk" => Flavour::Sdk,
                        "invoke" => Flavour::Invoke,
                        _ => {
                            return Err(usage(&format!(
                                "--flavour must be sdk or invoke, not {value:?}"
                            )))
                        }
                    })
                }
                "--template" => o.templates.push(value),
                "--strength-for" => o.strength_for.push(value),
                "--exclude-user" => o.exclude_users.push(value),
                "--exclude-group" => o.exclude_groups.push(value),
                "--app-protection" => o.app_protection = true,
                _ => return Err(usage(&format!("unknown option {opt}"))),
            }
        }
        Ok(o)
    }

    /// Usage error naming the first given option not in `allowed`.
    fn only(&self, command: &str, allowed: &[&str]) -> Result<(), i32> {
        match self.given.iter().find(|g| !allowed.contains(&g.as_str())) {
            Some(g) => Err(usage(&format!("{command} does not take {g}"))),
            None => Ok(()),
        }
    }
}

/// Reads a pasted configuration file; errors name the file and line:column.
fn read_current(method: Method, file: Option<&String>) -> Result<CurrentConfig, i32> {
    let Some(file) = file else {
        return Ok(CurrentConfig::service_default(method));
    };
    let text = std::fs::read_to_string(file)
        .map_err(|e| output::error(&format!("cannot read {file}: {e}"), 2))?;
    CurrentConfig::parse(method, &text).map_err(|e| fail(&format!("{file}:{e}")))
}

/// A request as an `.http` file: `#` comment lines (permission), request line, blank, body.
fn http(method: &str, path: &str, permission: &str, body: &serde_json::Value) -> String {
    format!(
        "# permission: {permission}\n{method} {GRAPH_ROOT}/{API_VERSION}{path}\n\n{}\n",
        pretty_body(body)
    )
}

fn flavour_of(format: &str) -> Option<Flavour> {
    match format {
        "powershell" => Some(Flavour::Sdk),
        "powershell-invoke" => Some(Flavour::Invoke),
        _ => None,
    }
}

fn emit_patch(patch: &MethodPatch, format: &str) -> i32 {
    // The effect text carries the notes itself; elsewhere they go to stderr beside the output.
    for n in patch.effect.notes.iter().filter(|_| format != "effect") {
        note(&format!(
            "{} {}",
            if n.warning { "warning:" } else { "note:" },
            n.text
        ));
    }
    match format {
        "json" => output::json(&http(
            "PATCH",
            patch.method.path(),
            &format!("{METHODS_PERMISSION} (role: {METHODS_ROLE})"),
            &patch.body,
        )),
        "effect" => output::text(&patch.effect.to_string()),
        f => match flavour_of(f) {
            Some(fl) => match powershell::method_patch_script(fl, patch) {
                Ok(s) => output::script(&s),
                Err(e) => fail(&e.to_string()),
            },
            None => usage(&format!(
                "--format must be json, effect, powershell or powershell-invoke, not {f:?}"
            )),
        },
    }
}

fn pilot_id(o: &Opts) -> Result<String, i32> {
    match &o.pilot_group {
        Some(g) if templates::is_guid(g) => Ok(g.clone()),
        Some(g) => Err(usage(&format!(
            "--pilot-group {g:?} is not an object id: expected a GUID"
        ))),
        None => Err(usage(
            "--pilot-group ID is required (the pilot security group's object id)",
        )),
    }
}

fn passkey_settings(o: &Opts, pilot: &str) -> PasskeySettings {
    let mut s = PasskeySettings::new(pilot);
    s.extra_aaguids = o.aaguids.clone();
    s.enforce_attestation = !o.no_attestation;
    s.self_service = !o.no_self_service;
    s
}

fn tap_settings(o: &Opts, pilot: &str) -> TapSettings {
    let mut t = TapSettings::new(pilot);
    if let Some(v) = o.lifetime {
        t.lifetime_minutes = v;
    }
    if let Some(v) = o.min_lifetime {
        t.minimum_lifetime_minutes = v;
    }
    if let Some(v) = o.max_lifetime {
        t.maximum_lifetime_minutes = v;
    }
    if let Some(v) = o.length {
        t.length = v;
    }
    t.one_time = !o.multi_use;
    t
}

/// The pilot group and the method's current configuration, both a method PATCH needs.
fn pilot_and_current(o: &Opts, method: Method) -> Result<(String, CurrentConfig), i32> {
    Ok((pilot_id(o)?, read_current(method, o.current.as_ref())?))
}

fn passkey_policy(o: &Opts) -> i32 {
    if o.app_protection {
        if let Err(c) = o.only("passkey-policy --app-protection", &["--app-protection"]) {
            return c;
        }
        return output::text(&APP_PROTECTION_FOR_AUTHENTICATOR.text());
    }
    if let Err(c) = o.only(
        "passkey-policy",
        &[
            "--pilot-group",
            "--aaguid",
            "--no-attestation",
            "--no-self-service",
            "--current",
            "--format",
        ],
    ) {
        return c;
    }
    let (pilot, current) = match pilot_and_current(o, Method::Fido2) {
        Ok(x) => x,
        Err(c) => return c,
    };
    match methods::fido2_patch(&passkey_settings(o, &pilot), &current) {
        Ok(p) => emit_patch(&p, o.format.as_deref().unwrap_or("json")),
        Err(e) => fail(&e.to_string()),
    }
}

fn tap_policy(o: &Opts) -> i32 {
    if let Err(c) = o.only(
        "tap-policy",
        &[
            "--pilot-group",
            "--lifetime",
            "--min-lifetime",
            "--max-lifetime",
            "--length",
            "--multi-use",
            "--current",
            "--format",
        ],
    ) {
        return c;
    }
    let (pilot, current) = match pilot_and_current(o, Method::TemporaryAccessPass) {
        Ok(x) => x,
        Err(c) => return c,
    };
    match methods::tap_patch(&tap_settings(o, &pilot), &current) {
        Ok(p) => emit_patch(&p, o.format.as_deref().unwrap_or("json")),
        // `field` names the TapSettings field (lifetime_minutes, length, …); the options mirror them.
        Err(e) => usage(&e.to_string()),
    }
}

fn strength_settings(o: &Opts) -> StrengthSettings {
    let mut s = StrengthSettings::default();
    if let Some(n) = &o.display_name {
        s.display_name = n.clone();
    }
    if let Some(d) = &o.description {
        s.description = d.clone();
    }
    for a in &o.aaguids {
        if !s.aaguids.contains(a) {
            s.aaguids.push(a.clone());
        }
    }
    s
}

fn auth_strength(o: &Opts) -> i32 {
    if let Err(c) = o.only(
        "auth-strength",
        &["--display-name", "--description", "--aaguid", "--format"],
    ) {
        return c;
    }
    let s = strength_settings(o);
    match o.format.as_deref().unwrap_or("json") {
        "json" => {
            let (body, combo) = match (strength::strength_body(&s), strength::combination_body(&s))
            {
                (Ok(b), Ok(c)) => (b, c),
                (Err(e), _) | (_, Err(e)) => return usage(&e.to_string()),
            };
            let perm = format!("{STRENGTH_PERMISSION} (roles: Conditional Access Administrator or Security Administrator)");
            output::json(&format!(
                "{}\n{}# then reference it in a CA policy: \"grantControls\": {{ \"operator\": \"OR\", \"authenticationStrength\": {{ \"id\": \"{{strengthId}}\" }} }}\n",
                http("POST", strength::STRENGTH_PATH, &perm, &body),
                http("POST", &strength::combination_path("{strengthId}"), &perm, &combo)
            ))
        }
        f => match flavour_of(f) {
            Some(fl) => match powershell::strength_script(fl, &s) {
                Ok(text) => output::script(&text),
                Err(e) => fail(&e.to_string()),
            },
            None => usage(&format!(
                "--format must be json, powershell or powershell-invoke, not {f:?}"
            )),
        },
    }
}

fn rollout(o: &Opts) -> i32 {
    if let Err(c) = o.only(
        "rollout",
        &[
            "--out",
            "--script",
            "--switch-on-script",
            "--flavour",
            "--pilot-group",
            "--new-group",
            "--template",
            "--strength-for",
            "--exclude-user",
            "--exclude-group",
            "--aaguid",
            "--current-fido2",
            "--current-tap",
        ],
    ) {
        return c;
    }
    let outputs = [o.out.is_some(), o.script, o.switch_on_script]
        .iter()
        .filter(|b| **b)
        .count();
    if outputs != 1 {
        return usage("rollout needs exactly one of --out DIR, --script, --switch-on-script");
    }
    let pilot = match (&o.pilot_group, &o.new_group) {
        (Some(_), Some(_)) => return usage("give either --pilot-group ID or --new-group NAME, not both"),
        (Some(_), None) => match pilot_id(o) {
            Ok(id) => PilotGroup::Existing(id),
            Err(c) => return c,
        },
        (None, Some(name)) if !name.trim().is_empty() => PilotGroup::Create(templates::group_body(name.trim())),
        _ => return usage("rollout needs the pilot group: --pilot-group ID (existing) or --new-group NAME (find or create)"),
    };
    let group_for_templates = match &pilot {
        PilotGroup::Existing(id) => id.clone(),
        // The pilot template needs a GUID; the plan replaces it with the created group's id.
        PilotGroup::Create(_) => "00000000-0000-0000-0000-000000000000".to_string(),
    };
    let params = TemplateParams {
        exclude_users: o.exclude_users.clone(),
        exclude_groups: o.exclude_groups.clone(),
        pilot_group: Some(group_for_templates),
        state: RolloutState::ReportOnly,
        ..Default::default()
    };
    let chosen: Vec<String> = if o.templates.is_empty() {
        DEFAULT_TEMPLATES.iter().map(|s| s.to_string()).collect()
    } else {
        o.templates.clone()
    };
    let mut policies = Vec::new();
    for name in &chosen {
        let built = match name.as_str() {
            "sign-in-risk" => risk::sign_in_risk_policy(&params),
            n => match Template::from_name(n) {
                Some(t) => t.build(&params),
                None => {
                    return usage(&format!(
                        "--template {n:?}: expected one of {}",
                        ROLLOUT_TEMPLATES.join(", ")
                    ))
                }
            },
        };
        match built {
            Ok(p) => policies.push((name.clone(), p)),
            Err(e) => return usage(&format!("--template {name}: {}", e.message)),
        }
    }
    let (cur_fido2, cur_tap) = match (
        read_current(Method::Fido2, o.current_fido2.as_ref()),
        read_current(Method::TemporaryAccessPass, o.current_tap.as_ref()),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(c), _) | (_, Err(c)) => return c,
    };
    let group_in_bodies = pilot.id_in_bodies().to_string();
    let fido2 = match methods::fido2_patch(&passkey_settings(o, &group_in_bodies), &cur_fido2) {
        Ok(p) => p,
        Err(e) => return fail(&format!("passkey method: {e}")),
    };
    let tap = match methods::tap_patch(&TapSettings::new(&group_in_bodies), &cur_tap) {
        Ok(p) => p,
        Err(e) => return fail(&format!("TAP method: {e}")),
    };
    let plan = match Rollout::build(
        pilot,
        fido2,
        tap,
        strength_settings(o),
        policies,
        &o.strength_for,
    ) {
        Ok(p) => p,
        Err(e) => return usage(&e.to_string()),
    };
    if o.exclude_users.is_empty() && o.exclude_groups.is_empty() {
        note("warning: no break-glass account is excluded; Microsoft recommends excluding emergency-access accounts from every policy (--exclude-user ID / --exclude-group ID)");
    }
    if chosen
        .iter()
        .any(|t| t == "user-risk" || t == "sign-in-risk")
    {
        note(&format!("note: {}", licence_notes()[0]));
    }
    for n in &plan.notes {
        note(&format!("note: {n}"));
    }
    let flavour = o.flavour.unwrap_or(Flavour::Invoke);
    if o.script {
        return match powershell::rollout_script(flavour, &plan) {
            Ok(s) => output::script(&s),
            Err(e) => fail(&e.to_string()),
        };
    }
    if o.switch_on_script {
        return match powershell::switch_on_script(flavour, &plan.policy_names()) {
            Ok(s) => output::script(&s),
            Err(e) => fail(&e.to_string()),
        };
    }
    let dir = Path::new(o.out.as_deref().unwrap_or("."));
    write_bundle(dir, &plan.bundle())
}

/// Writes the bundle; refuses to overwrite a file that exists (a policies-as-code checkout may
/// hold edited copies).
fn write_bundle(dir: &Path, files: &[(String, String)]) -> i32 {
    for (rel, _) in files {
        if dir.join(rel).exists() {
            return fail(&format!(
                "{} exists; write the bundle to an empty directory",
                dir.join(rel).display()
            ));
        }
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        return fail(&format!("cannot create {}: {e}", dir.display()));
    }
    for (rel, text) in files {
        if let Err(e) = std::fs::write(dir.join(rel), text) {
            return fail(&format!("cannot write {}: {e}", dir.join(rel).display()));
        }
    }
    note(&format!("wrote {} files to {}", files.len(), dir.display()));
    0
}
