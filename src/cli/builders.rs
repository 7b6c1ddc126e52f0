//! `ca-policy passkey-policy | tap-policy | auth-strength | rollout`: the builders around the
//! rollout. Exit codes as for every command: 0 ok, 1 the input has errors (a pasted
//! configuration that cannot be read), 2 usage (unknown option, a bad option value).

use std::path::Path;

use super::args::{
    MethodArgs, PasskeyArgs, PatchFormat, RolloutArgs, StrengthArgs, StrengthFormat, TapArgs,
};
use super::error::{CliError, InputError};
use super::output;
use super::usage::{Family, ROLLOUT_TEMPLATES};

use crate::app::rollout::{self as app_rollout, AssemblyError, RolloutSettings};
use crate::builders::app_protection::APP_PROTECTION_FOR_AUTHENTICATOR;
use crate::builders::methods::{
    self, CurrentConfig, Fido2Config, Method, MethodPatch, PasskeySettings, PasskeyTypes,
    ProfilePlan, ProfileSettings, ProfilesConfig, SettingError, StepKind, TapSettings,
    METHODS_PERMISSION, METHODS_ROLE,
};
use crate::builders::risk::{self, licence_notes};
use crate::builders::rollout::PilotGroup;
use crate::builders::strength::{self, StrengthSettings, STRENGTH_PERMISSION};
use crate::export::graph_json::{pretty_body, API_VERSION, GRAPH_ROOT};
use crate::export::powershell::{self, Flavour};
use crate::guid::Guid;
use crate::policy::{templates, Policy, RolloutState, Template, TemplateParams};

const DEFAULT_TEMPLATES: [&str; 4] = ["pilot", "protect-registration", "user-risk", "sign-in-risk"];

fn usage(msg: impl Into<String>) -> CliError {
    CliError::usage(Family::Builders, msg)
}

fn setting(part: Option<&'static str>, error: SettingError) -> CliError {
    CliError::Input(InputError::Setting { part, error })
}

fn note(msg: &str) {
    output::err_line(msg);
}

/// What is said when no passkey configuration is given: the plan is over Microsoft's default
/// migrated configuration (every tenant with passkeys on was moved to passkey profiles in 2026,
/// with no opt-out), so the admin knows what was assumed and how to plan over the real one.
fn assumed_note(option: &str) -> String {
    format!(
        "note: no {option} FILE was given, so this plan assumes Microsoft's default migrated configuration: one \
         \"Default passkey profile\" (device-bound and synced passkeys, attestation off, no key restrictions) \
         targeting all users, the shape tenants with passkeys on were migrated to in 2026. Your tenant may hold \
         other profiles or targets (and one whose passkey method was off may still have the older shape). To plan \
         over the real one, pass {option} FILE: the body of GET {GRAPH_ROOT}/{API_VERSION}{}.",
        Method::Fido2.path()
    )
}

/// Reads a pasted configuration file; errors name the file and line:column.
fn read_current(method: Method, file: Option<&str>) -> Result<CurrentConfig, CliError> {
    let Some(file) = file else {
        return Ok(CurrentConfig::service_default(method));
    };
    let text = std::fs::read_to_string(file).map_err(|e| CliError::unreadable(file, e))?;
    CurrentConfig::parse(method, &text).map_err(|error| CliError::located(file, error))
}

/// A request as an `.http` file: `#` comment lines (permission), request line, blank, body.
fn http(method: &str, path: &str, permission: &str, body: &serde_json::Value) -> String {
    format!(
        "# permission: {permission}\n{method} {GRAPH_ROOT}/{API_VERSION}{path}\n\n{}\n",
        pretty_body(body)
    )
}

fn emit_patch(patch: &MethodPatch, format: Option<PatchFormat>) -> Result<i32, CliError> {
    let format = format.unwrap_or(PatchFormat::Json);
    // The effect text carries the notes itself; elsewhere they go to stderr beside the output.
    for n in patch
        .effect
        .notes
        .iter()
        .filter(|_| format != PatchFormat::Effect)
    {
        note(&format!(
            "{} {}",
            if n.warning { "warning:" } else { "note:" },
            n.text
        ));
    }
    match format {
        PatchFormat::Json => Ok(output::json(&http(
            "PATCH",
            patch.method.path(),
            &format!("{METHODS_PERMISSION} (role: {METHODS_ROLE})"),
            &patch.body,
        ))),
        PatchFormat::Effect => Ok(output::text(&patch.effect.to_string())),
        PatchFormat::Requests => Ok(output::json(&format!(
            "{}\n",
            pretty_body(&serde_json::json!([{
                "method": "PATCH", "path": patch.method.path(), "body": patch.body
            }]))
        ))),
        PatchFormat::Script(fl) => powershell::method_patch_script(fl, patch)
            .map(|s| output::script(&s))
            .map_err(CliError::from),
    }
}

fn pilot_id(pilot_group: Option<&str>) -> Result<String, CliError> {
    match pilot_group {
        Some(g) if templates::is_guid(g) => Ok(g.to_string()),
        Some(g) => Err(usage(format!(
            "--pilot-group {g:?} is not an object id: expected a GUID"
        ))),
        None => Err(usage(
            "--pilot-group ID is required (the pilot security group's object id)",
        )),
    }
}

fn passkey_settings(
    pilot: &str,
    aaguids: &[Guid],
    no_attestation: bool,
    no_self_service: bool,
) -> PasskeySettings {
    let mut s = PasskeySettings::new(pilot);
    s.extra_aaguids = aaguids.to_vec();
    s.enforce_attestation = !no_attestation;
    s.self_service = !no_self_service;
    s
}

fn tap_settings(o: &TapArgs, pilot: &str) -> TapSettings {
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
fn pilot_and_current(o: &MethodArgs, method: Method) -> Result<(String, CurrentConfig), CliError> {
    let pilot = pilot_id(o.pilot_group.as_deref())?;
    Ok((pilot, read_current(method, o.current.as_deref())?))
}

pub(crate) fn passkey_policy(o: PasskeyArgs) -> Result<i32, CliError> {
    if o.app_protection {
        let other = [
            (o.method.pilot_group.is_some(), "--pilot-group"),
            (!o.aaguids.is_empty(), "--aaguid"),
            (o.no_attestation, "--no-attestation"),
            (o.no_self_service, "--no-self-service"),
            (o.allow_synced, "--allow-synced"),
            (
                o.block_authenticator_in_default,
                "--block-authenticator-in-default",
            ),
            (o.method.current.is_some(), "--current"),
            (o.method.format.is_some(), "--format"),
        ];
        if let Some((_, option)) = other.iter().find(|(given, _)| *given) {
            return Err(usage(format!(
                "passkey-policy --app-protection does not take {option}"
            )));
        }
        return Ok(output::text(&APP_PROTECTION_FOR_AUTHENTICATOR.text()));
    }
    let pilot = pilot_id(o.method.pilot_group.as_deref())?;
    let Some(file) = o.method.current.as_deref() else {
        // The requests echo every profile as read: over an assumption they could drop the
        // tenant's own profiles, so only the plan in words is given.
        return match o.method.format {
            None | Some(PatchFormat::Effect) => {
                passkey_profiles(&o, &pilot, &ProfilesConfig::assumed_migrated())
            }
            Some(PatchFormat::Requests) => Err(usage(
                "--format requests needs --current FILE: the requests are built over the configuration read",
            )),
            Some(PatchFormat::Json | PatchFormat::Script(_)) => Err(usage(
                "without --current FILE the plan is over an assumed configuration on passkey profiles, shown in \
                 words (--format effect, the default then); pass --current FILE (the GET response of the tenant's \
                 passkey configuration) for the requests, or the single PATCH of one without passkeyProfiles",
            )),
        };
    };
    let current = match read_fido2(file)? {
        Fido2Config::Profiles(cfg) => return passkey_profiles(&o, &pilot, &cfg),
        Fido2Config::Legacy(current) => current,
    };
    for (given, option) in [
        (o.allow_synced, "--allow-synced"),
        (
            o.block_authenticator_in_default,
            "--block-authenticator-in-default",
        ),
    ] {
        if given {
            return Err(usage(format!(
                "{option} is for a configuration on passkey profiles; the one given has no passkeyProfiles"
            )));
        }
    }
    let settings = passkey_settings(&pilot, &o.aaguids, o.no_attestation, o.no_self_service);
    let patch = methods::fido2_patch(&settings, &current).map_err(|error| setting(None, error))?;
    emit_patch(&patch, o.method.format)
}

/// The pasted passkey configuration (with or without passkey profiles).
fn read_fido2(file: &str) -> Result<Fido2Config, CliError> {
    let text = std::fs::read_to_string(file).map_err(|e| CliError::unreadable(file, e))?;
    Fido2Config::parse(&text).map_err(|error| CliError::located(file, error))
}

/// A tenant on passkey profiles: the pilot profile's ordered PATCHes (the default output), or
/// the configuration and the plan in words (`--format effect`).
fn passkey_profiles(o: &PasskeyArgs, pilot: &str, cfg: &ProfilesConfig) -> Result<i32, CliError> {
    if o.no_self_service {
        return Err(usage(
            "--no-self-service: on passkey profiles self-service set-up is a global setting this plan leaves as it is",
        ));
    }
    let mut settings = ProfileSettings::new(pilot);
    settings.attestation = !o.no_attestation;
    settings.extra_aaguids = o.aaguids.clone();
    settings.block_authenticator_in_default = o.block_authenticator_in_default;
    if o.allow_synced {
        settings.passkey_types = PasskeyTypes::BOTH;
    }
    let file = o
        .method
        .current
        .as_deref()
        .unwrap_or("(the assumed configuration)");
    let plan = methods::profile_plan(&settings, cfg).map_err(|error| {
        CliError::Input(InputError::ProfilePlan {
            source: file.to_string(),
            error,
        })
    })?;
    let mut notes = methods::first_read_notes(cfg);
    notes.extend(plan.notes.iter().cloned());
    let mut note_lines: Vec<String> = notes
        .iter()
        .map(|n| {
            format!(
                "{} {}",
                if n.warning { "warning:" } else { "note:" },
                n.text
            )
        })
        .collect();
    // Over the assumed configuration the plan is given in words only (see passkey_policy).
    let format = match o.method.format {
        None if cfg.is_assumed() => Some(PatchFormat::Effect),
        f => f,
    };
    if cfg.is_assumed() {
        note_lines.insert(0, assumed_note("--current"));
    }
    match format {
        None | Some(PatchFormat::Requests) => {
            for line in &note_lines {
                note(line);
            }
            Ok(output::json(&format!("{}\n", pretty_body(&plan.requests()))))
        }
        Some(PatchFormat::Effect) => Ok(output::text(&format!(
            "{}\n\n{}\n{}",
            methods::describe(cfg),
            plan_words(&plan, pilot),
            note_lines.iter().map(|l| format!("{l}\n")).collect::<String>()
        ))),
        Some(PatchFormat::Json | PatchFormat::Script(_)) => Err(usage(
            "this configuration is on passkey profiles: the pilot profile is added, read back and then targeted in \
             separate PATCHes; use --format requests (the default) or --format effect",
        )),
    }
}

/// The plan's steps in words.
fn plan_words(plan: &ProfilePlan, pilot: &str) -> String {
    if plan.steps.is_empty() {
        return format!(
            "Nothing to send: the profile {:?} exists and group {pilot} is targeted with it.\n",
            plan.profile_name
        );
    }
    let mut out = format!(
        "Plan: {} PATCH of {} (each over the configuration shown above; re-read before each):\n",
        plan.steps.len(),
        Method::Fido2.path()
    );
    for (i, s) in plan.steps.iter().enumerate() {
        let text = match (s.kind, s.needs_profile_id) {
            (StepKind::Profiles, _) => format!(
                "passkeyProfiles: every profile as read{}",
                if plan.profile_id.is_none() {
                    format!(
                        ", plus {:?} without an id (the service assigns it)",
                        plan.profile_name
                    )
                } else {
                    String::new()
                }
            ),
            (StepKind::Targets, true) => format!(
                "read the configuration back and take the id of {:?}; then includeTargets: every target as read, \
                 group {pilot} allowed it ({})",
                plan.profile_name,
                methods::placeholder(&plan.profile_name)
            ),
            (StepKind::Targets, false) => format!(
                "includeTargets: every target as read, group {pilot} allowed {:?} ({})",
                plan.profile_name,
                plan.profile_id.as_deref().unwrap_or("")
            ),
        };
        out.push_str(&format!("  {}. {text}\n", i + 1));
    }
    if plan.undo.is_some() {
        out.push_str(
            "If a later step fails on a size or limit error, PATCH passkeyProfiles back to the profiles as read.\n",
        );
    }
    out
}

pub(crate) fn tap_policy(o: TapArgs) -> Result<i32, CliError> {
    let (pilot, current) = pilot_and_current(&o.method, Method::TemporaryAccessPass)?;
    // `field` names the TapSettings field (lifetime_minutes, length, …); the options mirror them.
    let patch = methods::tap_patch(&tap_settings(&o, &pilot), &current)
        .map_err(|e| usage(e.to_string()))?;
    emit_patch(&patch, o.method.format)
}

fn strength_settings(
    display_name: Option<&str>,
    description: Option<&str>,
    aaguids: &[Guid],
) -> StrengthSettings {
    let mut s = StrengthSettings::default();
    if let Some(n) = display_name {
        s.display_name = n.to_string();
    }
    if let Some(d) = description {
        s.description = d.to_string();
    }
    for a in aaguids {
        if !s.aaguids.contains(a) {
            s.aaguids.push(a.clone());
        }
    }
    s
}

pub(crate) fn auth_strength(o: StrengthArgs) -> Result<i32, CliError> {
    let s = strength_settings(
        o.display_name.as_deref(),
        o.description.as_deref(),
        &o.aaguids,
    );
    // Settings Graph would refuse (a blank display name) are the admin's options at fault,
    // whatever the format: checked here, before any script is written.
    let (body, combo) = strength::strength_body(&s)
        .and_then(|b| Ok((b, strength::combination_body(&s)?)))
        .map_err(|e| usage(e.to_string()))?;
    match o.format.unwrap_or(StrengthFormat::Json) {
        StrengthFormat::Json => {
            let perm = format!("{STRENGTH_PERMISSION} (roles: Conditional Access Administrator or Security Administrator)");
            Ok(output::json(&format!(
                "{}\n{}# then reference it in a CA policy: \"grantControls\": {{ \"operator\": \"OR\", \"authenticationStrength\": {{ \"id\": \"{{strengthId}}\" }} }}\n",
                http("POST", strength::STRENGTH_PATH, &perm, &body),
                http("POST", &strength::combination_path("{strengthId}"), &perm, &combo)
            )))
        }
        StrengthFormat::Script(fl) => powershell::strength_script(fl, &s)
            .map(|text| output::script(&text))
            .map_err(CliError::from),
    }
}

pub(crate) fn rollout(o: RolloutArgs) -> Result<i32, CliError> {
    let outputs = [
        o.out.is_some(),
        o.script,
        o.switch_on_script,
        o.pilot_script,
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if outputs != 1 {
        return Err(usage(
            "rollout needs exactly one of --out DIR, --script, --switch-on-script, --pilot-script",
        ));
    }
    if o.pilot_script {
        return pilot_script(&o);
    }
    if o.issue_tap {
        return Err(usage(
            "--issue-tap is a step of --pilot-script (it issues a pass to each user of the group that script finds or creates)",
        ));
    }
    let pilot = match (&o.pilot_group, &o.new_group) {
        (Some(_), Some(_)) => return Err(usage("give either --pilot-group ID or --new-group NAME, not both")),
        (Some(_), None) => PilotGroup::Existing(pilot_id(o.pilot_group.as_deref())?),
        (None, Some(name)) if !name.trim().is_empty() => PilotGroup::Create(templates::group_body(name.trim())),
        _ => return Err(usage("rollout needs the pilot group: --pilot-group ID (existing) or --new-group NAME (find or create)")),
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
        let policy = rollout_template(name, &params)?;
        policies.push((name.clone(), policy));
    }
    // The passkey strength where it can only be met with the passkey being registered: refused
    // (exit 1), with the ways out.
    for (name, policy) in &policies {
        if !o.strength_for.contains(name) {
            continue;
        }
        if let Some(l) = strength::loop_if_required(policy, strength::STRENGTH_PLACEHOLDER) {
            return Err(CliError::Input(InputError::StrengthLoop {
                template: name.clone(),
                found: l,
            }));
        }
    }
    // Nothing given: the plan is over Microsoft's default migrated configuration, as on the
    // page; the scripts check the tenant's configuration is that one before changing it.
    let (fido2_current, fido2_profiles) = match o.current_fido2.as_deref() {
        None => {
            let assumed = ProfilesConfig::assumed_migrated();
            (assumed.current.clone(), Some(assumed))
        }
        Some(f) => (
            read_current(Method::Fido2, Some(f))?,
            // read_current read the file already; its profiles, if any, plan the profile steps.
            std::fs::read_to_string(f)
                .ok()
                .and_then(|t| app_rollout::profiles_of(&t)),
        ),
    };
    let settings = RolloutSettings {
        passkey: passkey_settings(pilot.id_in_bodies(), &o.aaguids, false, false),
        tap: TapSettings::new(pilot.id_in_bodies()),
        fido2_current,
        fido2_profiles,
        tap_current: read_current(Method::TemporaryAccessPass, o.current_tap.as_deref())?,
        strength: strength_settings(None, None, &o.aaguids),
        strength_for: o.strength_for.clone(),
    };
    let plan = app_rollout::assemble(pilot, policies, &settings).map_err(|e| match e {
        AssemblyError::Method { part, error } => setting(Some(part), error),
        e => usage(e.to_string()),
    })?;
    if o.exclude_users.is_empty() && o.exclude_groups.is_empty() {
        note("warning: no break-glass account is excluded; Microsoft recommends excluding emergency-access accounts from every policy (--exclude-user ID / --exclude-group ID)");
    }
    if chosen
        .iter()
        .any(|t| t == "user-risk" || t == "sign-in-risk")
    {
        note(&format!("note: {}", licence_notes()[0]));
    }
    if o.current_fido2.is_none() {
        note(&format!(
            "{} The passkey steps of --script stop, changing nothing, unless the tenant holds this configuration.",
            assumed_note("--current-fido2")
        ));
    }
    for n in &plan.notes {
        note(&format!("note: {n}"));
    }
    let flavour = o.flavour.unwrap_or(Flavour::Invoke);
    if !o.members.is_empty() && !o.script {
        return Err(usage(
            "--member is a step of --script (it adds each user to the pilot group that script finds or creates)",
        ));
    }
    let plan = plan
        .with_members(&o.members)
        .map_err(|e| usage(format!("--member: {e}")))?;
    let script = if o.script {
        powershell::rollout_script(flavour, &plan)
    } else if o.switch_on_script {
        powershell::switch_on_script(flavour, &plan.policy_names())
    } else {
        let dir = Path::new(o.out.as_deref().unwrap_or("."));
        return write_bundle(dir, &crate::export::bundle::rollout_bundle(&plan));
    };
    Ok(output::script(&script?))
}

/// `rollout --pilot-script`: the pilot group found or created by name, then one policy narrowed
/// to exactly it, and (`--issue-tap`) a Temporary Access Pass for each user in the group.
/// The policy `--template NAME` builds (a template, or the sign-in risk policy), an unknown
/// name or a template that refuses `params` being a usage error.
fn rollout_template(name: &str, params: &TemplateParams) -> Result<Policy, CliError> {
    let built = match name {
        "sign-in-risk" => risk::sign_in_risk_policy(params),
        n => match Template::from_name(n) {
            Some(t) => t.build(params),
            None => {
                return Err(usage(format!(
                    "--template {n:?}: expected one of {}",
                    ROLLOUT_TEMPLATES.join(", ")
                )))
            }
        },
    };
    built.map_err(|e| usage(format!("--template {name}: {}", e.message)))
}

fn pilot_script(o: &RolloutArgs) -> Result<i32, CliError> {
    let other = [
        (
            o.pilot_group.is_some(),
            "--pilot-group (the script finds or creates the group by name: give --new-group NAME)",
        ),
        (!o.strength_for.is_empty(), "--strength-for"),
        (!o.aaguids.is_empty(), "--aaguid"),
        (o.current_fido2.is_some(), "--current-fido2"),
        (o.current_tap.is_some(), "--current-tap"),
        (o.templates.len() > 1, "more than one --template"),
    ];
    if let Some((_, option)) = other.iter().find(|(given, _)| *given) {
        return Err(usage(format!(
            "rollout --pilot-script does not take {option}"
        )));
    }
    let name = match o.new_group.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => n,
        _ => {
            return Err(usage(
                "rollout --pilot-script needs --new-group NAME: the pilot group the script finds or creates",
            ))
        }
    };
    let template = o.templates.first().map(String::as_str).unwrap_or("pilot");
    let params = TemplateParams {
        exclude_users: o.exclude_users.clone(),
        exclude_groups: o.exclude_groups.clone(),
        // The script replaces the group with the one it finds or creates.
        pilot_group: Some("00000000-0000-0000-0000-000000000000".to_string()),
        state: RolloutState::ReportOnly,
        ..Default::default()
    };
    let policy = rollout_template(template, &params)?;
    if o.exclude_users.is_empty() && o.exclude_groups.is_empty() {
        note("warning: no break-glass account is excluded; Microsoft recommends excluding emergency-access accounts from every policy (--exclude-user ID / --exclude-group ID)");
    }
    let options = powershell::PilotScriptOptions {
        issue_taps: o.issue_tap,
    };
    let script = powershell::pilot_script_with(
        o.flavour.unwrap_or(Flavour::Invoke),
        &templates::group_body(name),
        &policy.to_post_body(),
        options,
    )?;
    Ok(output::script(&script))
}

/// Writes the bundle; refuses to overwrite a file that exists (a policies-as-code checkout may
/// hold edited copies).
fn write_bundle(dir: &Path, files: &[(String, String)]) -> Result<i32, CliError> {
    for (rel, _) in files {
        if dir.join(rel).exists() {
            return Err(CliError::Input(InputError::BundleFileExists {
                path: dir.join(rel).display().to_string(),
            }));
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| CliError::Unwritable {
        path: dir.display().to_string(),
        source,
    })?;
    for (rel, text) in files {
        std::fs::write(dir.join(rel), text).map_err(|source| CliError::Unwritable {
            path: dir.join(rel).display().to_string(),
            source,
        })?;
    }
    note(&format!("wrote {} files to {}", files.len(), dir.display()));
    Ok(0)
}
