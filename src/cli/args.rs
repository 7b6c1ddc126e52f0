//! The command line of `ca-policy` as one clap tree: every command, option and argument, and
//! the parsers that turn option values into the core's types. Help texts are the families'
//! own (see `usage`), set on each command by [`command`].

use clap::{Args, CommandFactory, Parser, Subcommand};

use super::error::BadValue;
use super::export::ExportFormat;
use super::usage::Family;
use crate::export::powershell::Flavour;
use crate::filter::Mode;
use crate::guid::{Guid, GuidKind};
use crate::policy::RolloutState;

#[derive(Debug, Parser)]
#[command(name = "ca-policy", version, subcommand_required = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    Filter {
        #[command(subcommand)]
        command: FilterCommand,
    },
    Template(TemplateArgs),
    Import(ImportArgs),
    Export(ExportArgs),
    Diff(DiffArgs),
    Lint(LintArgs),
    Whatif(WhatifArgs),
    PasskeyPolicy(PasskeyArgs),
    TapPolicy(TapArgs),
    AuthStrength(StrengthArgs),
    Rollout(RolloutArgs),
    Bootstrap(BootstrapArgs),
    Report(ReportArgs),
}

#[derive(Debug, Subcommand)]
pub(crate) enum FilterCommand {
    Check {
        #[arg(long)]
        json: bool,
        #[arg(long, value_parser = mode)]
        mode: Option<Mode>,
        #[command(flatten)]
        rule: RuleArg,
    },
    Eval {
        /// Optional here so that its absence gets the message that says what to give.
        #[arg(long)]
        device: Option<String>,
        #[command(flatten)]
        rule: RuleArg,
    },
    Fmt {
        #[command(flatten)]
        rule: RuleArg,
    },
}

#[derive(Debug, Args)]
pub(crate) struct RuleArg {
    /// A rule may start with `-not`; `--` before it lets it start with anything.
    #[arg(allow_hyphen_values = true)]
    pub rule: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct TemplateArgs {
    pub name: Option<String>,
    #[arg(long)]
    pub display_name: Option<String>,
    #[arg(long = "exclude-user")]
    pub exclude_users: Vec<String>,
    #[arg(long = "exclude-group")]
    pub exclude_groups: Vec<String>,
    #[arg(long)]
    pub pilot_group: Option<String>,
    #[arg(long, value_parser = state)]
    pub state: Option<RolloutState>,
    #[arg(long)]
    pub outside_trusted_locations: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    pub file: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    #[arg(long, value_parser = export_format)]
    pub format: Option<ExportFormat>,
    #[arg(long, value_parser = policy_id)]
    pub update: Option<Guid>,
    /// For `--format maester`: the accounts every policy must exclude, and the pilot group.
    #[arg(long = "break-glass-user")]
    pub break_glass_users: Vec<String>,
    #[arg(long = "break-glass-group")]
    pub break_glass_groups: Vec<String>,
    #[arg(long)]
    pub pilot_group: Option<String>,
    pub file: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub names: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    #[arg(long)]
    pub json: bool,
    #[arg(long = "break-glass-user")]
    pub break_glass_users: Vec<String>,
    #[arg(long = "break-glass-group")]
    pub break_glass_groups: Vec<String>,
    #[arg(long)]
    pub naming: Option<String>,
    pub files: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct WhatifArgs {
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub report_only_as_on: bool,
    #[arg(long = "policies")]
    pub policies: Vec<String>,
    #[arg(long)]
    pub directory: Option<String>,
    #[arg(long)]
    pub locations: Option<String>,
    /// The evaluate request body; standard input when absent or `-`.
    pub request: Option<String>,
}

/// What every method PATCH takes: the pilot group, the current configuration, the format.
#[derive(Debug, Args)]
pub(crate) struct MethodArgs {
    #[arg(long)]
    pub pilot_group: Option<String>,
    #[arg(long)]
    pub current: Option<String>,
    #[arg(long, value_parser = patch_format)]
    pub format: Option<PatchFormat>,
}

#[derive(Debug, Args)]
pub(crate) struct PasskeyArgs {
    #[command(flatten)]
    pub method: MethodArgs,
    #[arg(long = "aaguid", value_parser = aaguid)]
    pub aaguids: Vec<Guid>,
    #[arg(long)]
    pub no_attestation: bool,
    #[arg(long)]
    pub no_self_service: bool,
    /// On passkey profiles: the pilot profile allows synced passkeys too.
    #[arg(long)]
    pub allow_synced: bool,
    /// On passkey profiles: block the Authenticator AAGUIDs in the Default profile.
    #[arg(long)]
    pub block_authenticator_in_default: bool,
    #[arg(long)]
    pub app_protection: bool,
}

#[derive(Debug, Args)]
pub(crate) struct TapArgs {
    #[command(flatten)]
    pub method: MethodArgs,
    #[arg(long, value_parser = whole_number)]
    pub lifetime: Option<i32>,
    #[arg(long, value_parser = whole_number)]
    pub min_lifetime: Option<i32>,
    #[arg(long, value_parser = whole_number)]
    pub max_lifetime: Option<i32>,
    #[arg(long, value_parser = whole_number)]
    pub length: Option<i32>,
    #[arg(long)]
    pub multi_use: bool,
}

#[derive(Debug, Args)]
pub(crate) struct StrengthArgs {
    #[arg(long)]
    pub display_name: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long = "aaguid", value_parser = aaguid)]
    pub aaguids: Vec<Guid>,
    #[arg(long, value_parser = strength_format)]
    pub format: Option<StrengthFormat>,
}

#[derive(Debug, Args)]
pub(crate) struct RolloutArgs {
    #[arg(long)]
    pub out: Option<String>,
    #[arg(long)]
    pub script: bool,
    #[arg(long)]
    pub switch_on_script: bool,
    /// The pilot alone (group, then its policy) as one script.
    #[arg(long)]
    pub pilot_script: bool,
    /// With `--pilot-script`: the opt-in Temporary Access Pass step.
    #[arg(long)]
    pub issue_tap: bool,
    #[arg(long, value_parser = flavour)]
    pub flavour: Option<Flavour>,
    #[arg(long)]
    pub pilot_group: Option<String>,
    #[arg(long)]
    pub new_group: Option<String>,
    /// With `--script`: a user (object id or user principal name) to add to the pilot group.
    #[arg(long = "member")]
    pub members: Vec<String>,
    #[arg(long = "template")]
    pub templates: Vec<String>,
    #[arg(long)]
    pub strength_for: Vec<String>,
    #[arg(long = "exclude-user")]
    pub exclude_users: Vec<String>,
    #[arg(long = "exclude-group")]
    pub exclude_groups: Vec<String>,
    #[arg(long = "aaguid", value_parser = aaguid)]
    pub aaguids: Vec<Guid>,
    #[arg(long)]
    pub current_fido2: Option<String>,
    #[arg(long)]
    pub current_tap: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    #[arg(long, value_parser = report_format, default_value = "markdown")]
    pub format: super::report::ReportFormat,
    #[arg(long)]
    pub names: Option<String>,
    #[arg(long)]
    pub methods: Option<String>,
    #[arg(long)]
    pub tenant: Option<String>,
    #[arg(long)]
    pub pilot_group: Option<String>,
    pub files: Vec<String>,
}

fn report_format(s: &str) -> Result<super::report::ReportFormat, BadValue> {
    super::report::ReportFormat::parse(s).ok_or(BadValue::OneOf("markdown or html"))
}

#[derive(Debug, Args)]
pub(crate) struct BootstrapArgs {
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub report_only_as_on: bool,
    #[arg(long = "policies")]
    pub policies: Vec<String>,
    #[arg(long)]
    pub methods: Option<String>,
    #[arg(long)]
    pub strengths: Option<String>,
    #[arg(long)]
    pub directory: Option<String>,
    #[arg(long)]
    pub locations: Option<String>,
    #[arg(long)]
    pub registrations: Option<String>,
    pub personas: Option<String>,
}

/// How a method PATCH is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PatchFormat {
    Json,
    /// What is added, removed and kept.
    Effect,
    /// The ordered PATCHes as a JSON array of `{method, path, body}`.
    Requests,
    Script(Flavour),
}

/// How the authentication strength is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StrengthFormat {
    Json,
    Script(Flavour),
}

/// The clap command with the families' help texts, and the settings every command shares:
/// an option given twice keeps its last value, and an option's value may start with `-`
/// (`--display-name -x`), as the hand-written parser allowed.
pub(crate) fn command() -> clap::Command {
    let top = Cli::command()
        .override_help(Family::Top.help())
        .args_override_self(true);
    let names: Vec<String> = top
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    names.into_iter().fold(top, |top, name| {
        let family = Family::of(std::slice::from_ref(&name));
        top.mut_subcommand(&name, |c| with_family(c, family))
    })
}

fn with_family(c: clap::Command, family: Family) -> clap::Command {
    let c = c
        .override_help(family.help())
        .args_override_self(true)
        .mut_args(|a| {
            if a.get_action().takes_values() && !a.is_positional() {
                a.allow_hyphen_values(true)
            } else {
                a
            }
        });
    let names: Vec<String> = c
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    names.into_iter().fold(c, |c, name| {
        c.mut_subcommand(&name, |s| with_family(s, family))
    })
}

/// The long options of the subcommand at `path` (`["filter", "check"]`), `--help` included,
/// each with whether it takes a value; `None` if there is no such subcommand.
pub(crate) fn long_options(path: &[&str]) -> Option<Vec<(String, bool)>> {
    let mut c = command();
    c.build();
    let sub = path.iter().try_fold(&c, |c, sub| c.find_subcommand(sub))?;
    let options = sub
        .get_arguments()
        .filter_map(|a| Some((a.get_long()?.to_string(), a.get_action().takes_values())));
    Some(options.collect())
}

fn mode(s: &str) -> Result<Mode, BadValue> {
    s.parse().map_err(|_| BadValue::OneOf("include or exclude"))
}

fn state(s: &str) -> Result<RolloutState, BadValue> {
    RolloutState::parse(s).ok_or(BadValue::OneOf("enabled, disabled or report-only"))
}

fn export_format(s: &str) -> Result<ExportFormat, BadValue> {
    ExportFormat::parse(s).ok_or(BadValue::OneOf(
        "json, powershell, powershell-invoke, terraform, terraform-azuread or maester",
    ))
}

fn policy_id(s: &str) -> Result<Guid, BadValue> {
    Guid::parse(s, GuidKind::Policy).map_err(BadValue::Guid)
}

fn aaguid(s: &str) -> Result<Guid, BadValue> {
    Guid::parse(s, GuidKind::Aaguid).map_err(BadValue::Guid)
}

fn whole_number(s: &str) -> Result<i32, BadValue> {
    s.parse().map_err(|_| BadValue::WholeNumber)
}

fn script_flavour(s: &str) -> Option<Flavour> {
    match s {
        "powershell" => Some(Flavour::Sdk),
        "powershell-invoke" => Some(Flavour::Invoke),
        _ => None,
    }
}

fn patch_format(s: &str) -> Result<PatchFormat, BadValue> {
    match s {
        "json" => Ok(PatchFormat::Json),
        "effect" => Ok(PatchFormat::Effect),
        "requests" => Ok(PatchFormat::Requests),
        _ => script_flavour(s)
            .map(PatchFormat::Script)
            .ok_or(BadValue::OneOf(
                "json, effect, requests, powershell or powershell-invoke",
            )),
    }
}

fn strength_format(s: &str) -> Result<StrengthFormat, BadValue> {
    match s {
        "json" => Ok(StrengthFormat::Json),
        _ => script_flavour(s)
            .map(StrengthFormat::Script)
            .ok_or(BadValue::OneOf("json, powershell or powershell-invoke")),
    }
}

fn flavour(s: &str) -> Result<Flavour, BadValue> {
    match s {
        "sdk" => Ok(Flavour::Sdk),
        "invoke" => Ok(Flavour::Invoke),
        _ => Err(BadValue::OneOf("sdk or invoke")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_consistent() {
        command().debug_assert();
    }

    /// A usage error shows the usage of the family its first word names: a command that
    /// `Family::of` does not know would get the top-level text instead of its own.
    #[test]
    fn every_command_belongs_to_a_family_with_its_own_help() {
        let top = command();
        for c in top.get_subcommands().filter(|c| c.get_name() != "help") {
            let family = Family::of(&[c.get_name().to_string()]);
            assert_ne!(family, Family::Top, "{}", c.get_name());
            let help = c.clone().render_help().to_string();
            assert_eq!(help.trim_end(), family.help(), "{}", c.get_name());
            assert!(family.help().contains(c.get_name()), "{}", c.get_name());
        }
    }
}
