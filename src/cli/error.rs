//! What can go wrong in a `ca-policy` run, as values, and the one place that turns each into
//! its message and exit code: 1 the input has errors, 2 usage (the command line is wrong, or a
//! file it names cannot be read).

use std::fmt;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::output;
use super::usage::Family;
use crate::analysis::whatif::evaluate::EvaluateError;
use crate::builders::methods::{PlanError, SettingError};
use crate::builders::strength::StrengthLoop;
use crate::export::terraform::TerraformError;
use crate::export::ScriptError;
use crate::guid::GuidError;
use crate::located::Located;

/// Why a command did not produce its output.
#[derive(Debug)]
pub(crate) enum CliError {
    /// Exit 2: the command line is wrong; shown with the usage of the command's family.
    Usage { family: Family, message: String },
    /// Exit 2: a file named on the command line (or standard input) cannot be read.
    Unreadable {
        path: String,
        source: std::io::Error,
    },
    /// Exit 1: the input has errors; the message says where (`FILE:LINE:COLUMN: …`, a JSON
    /// pointer, the option at fault) and why.
    Input(InputError),
    /// Exit 1: a file of the output (the rollout bundle) cannot be written.
    Unwritable {
        path: String,
        source: std::io::Error,
    },
    /// Exit 1: the input's errors are already printed (a rule's rendered diagnostics).
    Reported,
    /// Exit 1: the JSON output could not be written.
    JsonOutput(serde_json::Error),
    /// Exit 2 whatever the error: for `diff`, whose exit 1 is the answer "different", as
    /// diff(1) gives it.
    Trouble(Box<CliError>),
}

/// An error in the input, located.
#[derive(Debug)]
pub(crate) enum InputError {
    /// `FILE:LINE:COLUMN: message` (JSON that does not parse or import, a pasted method
    /// configuration that cannot be read as one).
    Located { source: String, error: Located },
    /// A device file for `filter eval` that cannot be read (an input of the rule, so exit 1).
    DeviceUnreadable {
        path: String,
        source: std::io::Error,
    },
    /// A device file for `filter eval` that is not a device's JSON.
    DeviceJson { path: String, error: Located },
    /// A file that imports but holds no policy.
    NoPolicy { source: String },
    /// Content no script can carry, at its JSON pointer (`FILE: /0/displayName: …`).
    Script {
        source: Option<String>,
        error: ScriptError,
    },
    /// Policies with errors Graph would refuse: no script is written for them.
    Blocked {
        source: String,
        blocked: Vec<crate::app::export::Blocked>,
    },
    /// A policy the Terraform provider cannot carry, at its JSON pointer (`FILE: /0/…: …`).
    Terraform {
        source: String,
        error: TerraformError,
    },
    /// A method setting Graph would refuse; in a rollout, the part named (`TAP method`).
    Setting {
        part: Option<&'static str>,
        error: SettingError,
    },
    /// The bundle would overwrite a file.
    BundleFileExists { path: String },
    /// The rule given as `-` (standard input) cannot be read.
    RuleUnreadable(std::io::Error),
    /// No passkey-profiles plan for the configuration read from `source`.
    ProfilePlan { source: String, error: PlanError },
    /// A persona whose sign-in the What-If cannot evaluate (`bootstrap`).
    Persona {
        source: String,
        index: usize,
        name: String,
        error: EvaluateError,
    },
    /// A `--names` entry the labels refuse (`report`).
    Label {
        source: String,
        error: crate::names::LabelError,
    },
    /// `--strength-for TEMPLATE` would require a strength the user can meet only with the
    /// passkey they are about to register.
    StrengthLoop {
        template: String,
        found: StrengthLoop,
    },
}

impl CliError {
    pub(crate) fn usage(family: Family, message: impl Into<String>) -> CliError {
        CliError::Usage {
            family,
            message: message.into(),
        }
    }

    pub(crate) fn located(source: &str, error: Located) -> CliError {
        CliError::Input(InputError::Located {
            source: source.to_string(),
            error,
        })
    }

    pub(crate) fn unreadable(path: &str, source: std::io::Error) -> CliError {
        CliError::Unreadable {
            path: path.to_string(),
            source,
        }
    }

    /// Any error of a command whose exit 1 is an answer: exit 2, message unchanged.
    pub(crate) fn trouble(error: CliError) -> CliError {
        match error {
            CliError::Trouble(_) => error,
            other => CliError::Trouble(Box::new(other)),
        }
    }

    /// The exit code, decided here only.
    pub(crate) fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage { .. } | CliError::Unreadable { .. } | CliError::Trouble(_) => 2,
            CliError::Input(_)
            | CliError::Unwritable { .. }
            | CliError::Reported
            | CliError::JsonOutput(_) => 1,
        }
    }

    /// Prints the error on stderr (escaped, by `output`) and returns its exit code.
    pub(crate) fn report(&self) -> i32 {
        match self {
            CliError::Usage { family, message } => {
                output::err_line(&format!("error: {message}\n\n{}", family.usage()))
            }
            CliError::Reported => {}
            CliError::Trouble(inner) => {
                inner.report();
            }
            other => output::err_line(&format!("error: {other}")),
        }
        self.exit_code()
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage { message, .. } => f.write_str(message),
            CliError::Unreadable { path, source } => write!(f, "cannot read {path}: {source}"),
            CliError::Input(e) => e.fmt(f),
            CliError::Unwritable { path, source } => write!(f, "cannot write {path}: {source}"),
            CliError::Reported => f.write_str("the input has errors"),
            CliError::JsonOutput(e) => write!(f, "cannot write JSON: {e}"),
            CliError::Trouble(inner) => inner.fmt(f),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Located { source, error } => error.in_file(source).fmt(f),
            InputError::DeviceUnreadable { path, source } => {
                write!(f, "cannot read device file {path}: {source}")
            }
            InputError::DeviceJson { path, error } => write!(
                f,
                "{path}:{}:{}: invalid device JSON: {}\n\
                 expected an object such as {{\"trustType\": \"AzureAD\", \"isCompliant\": true, \"physicalIds\": [\"[ZTDId]:x\"]}}",
                error.line, error.column, error.message
            ),
            InputError::NoPolicy { source } => write!(f, "{source}: the file holds no policy"),
            InputError::Script {
                source: Some(source),
                error,
            } => write!(f, "{source}: {error}"),
            InputError::Script {
                source: None,
                error,
            } => error.fmt(f),
            InputError::Terraform { source, error } => write!(f, "{source}: {error}"),
            InputError::Blocked { source, blocked } => {
                write!(f, "{source}: not exported, Graph would refuse")?;
                for (i, b) in blocked.iter().enumerate() {
                    let sep = if i == 0 { ": " } else { "; " };
                    write!(f, "{sep}policy {} ({:?}):", b.index, b.name)?;
                    for (j, e) in b.errors.iter().enumerate() {
                        let sep = if j == 0 { "" } else { "," };
                        write!(f, "{sep} {} at {}: {}", e.code, e.field, e.message)?;
                    }
                }
                Ok(())
            }
            InputError::Setting {
                part: Some(part),
                error,
            } => write!(f, "{part}: {error}"),
            InputError::Setting { part: None, error } => error.fmt(f),
            InputError::BundleFileExists { path } => {
                write!(f, "{path} exists; write the bundle to an empty directory")
            }
            InputError::RuleUnreadable(e) => {
                write!(f, "cannot read the rule from standard input: {e}")
            }
            InputError::ProfilePlan { source, error } => write!(f, "{source}: {error}"),
            InputError::Persona {
                source,
                index,
                name,
                error,
            } => write!(f, "{source}: persona {index} ({name:?}): {error}"),
            InputError::Label { source, error } => write!(f, "{source}: {error}"),
            InputError::StrengthLoop { template, found } => write!(
                f,
                "--strength-for {template}: this would build the authentication-strength loop: {}. Ways out: {}",
                found.why(),
                found.ways_out()
            ),
        }
    }
}

impl std::error::Error for CliError {}

impl From<ScriptError> for CliError {
    fn from(error: ScriptError) -> CliError {
        CliError::Input(InputError::Script {
            source: None,
            error,
        })
    }
}

/// Why an option's value was refused, as an option's value parser returns it; the message
/// names the option, which clap knows (see [`from_clap`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BadValue {
    /// Not one of the listed words (`json, powershell or powershell-invoke`).
    OneOf(&'static str),
    /// Not a whole number.
    WholeNumber,
    /// Not a GUID of the kind the option takes (the parser says where and why).
    Guid(GuidError),
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadValue::OneOf(list) => write!(f, "must be {list}"),
            BadValue::WholeNumber => f.write_str("needs a whole number"),
            BadValue::Guid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for BadValue {}

/// What clap stopped on: help or the version to print (exit 0), or a usage error in the
/// words the hand-written parser used (`unknown option --x`, `--format needs a value`).
pub(crate) enum Stop {
    Print(String),
    Error(CliError),
}

/// Turns clap's error into ours; `family` is the command the arguments name.
pub(crate) fn from_clap(e: &clap::Error, family: Family) -> Stop {
    let string = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(s)) => s.first().cloned(),
        _ => None,
    };
    // "--format <FORMAT>" → "--format".
    let option = || {
        string(ContextKind::InvalidArg)
            .map(|a| a.split(' ').next().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    let message = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            return Stop::Print(e.render().to_string())
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            family.missing_command().to_string()
        }
        ErrorKind::InvalidSubcommand => {
            let name = string(ContextKind::InvalidSubcommand).unwrap_or_default();
            family.unknown_command(&name)
        }
        ErrorKind::UnknownArgument => {
            let arg = string(ContextKind::InvalidArg).unwrap_or_default();
            if arg.starts_with('-') && arg != "-" {
                family.unknown_option(&arg)
            } else {
                family.extra_argument(&arg)
            }
        }
        ErrorKind::InvalidValue | ErrorKind::NoEquals
            if string(ContextKind::InvalidValue).is_none_or(|v| v.is_empty()) =>
        {
            format!("{} needs a value", option())
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues
            if string(ContextKind::InvalidValue).is_some() =>
        {
            format!("{} takes no value", option())
        }
        ErrorKind::ValueValidation => {
            let value = string(ContextKind::InvalidValue).unwrap_or_default();
            let bad = std::error::Error::source(e).and_then(|s| s.downcast_ref::<BadValue>());
            match bad {
                Some(BadValue::Guid(why)) => format!("{}: {why}", option()),
                Some(b) => format!("{} {b}, not {value:?}", option()),
                None => format!("{}: {value:?} is not a valid value", option()),
            }
        }
        // Anything else: clap's own first line, without its "error: ".
        _ => {
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or_default();
            first.strip_prefix("error: ").unwrap_or(first).to_string()
        }
    };
    Stop::Error(CliError::usage(family, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scripts branch on these: 2 the command line (or a file it names) is wrong, 1 the input.
    #[test]
    fn the_exit_code_follows_the_variant() {
        let missing = || std::io::Error::from(std::io::ErrorKind::NotFound);
        let cases = [
            (CliError::usage(Family::Export, "--format is required"), 2),
            (CliError::unreadable("p.json", missing()), 2),
            (
                CliError::located("p.json", Located::new(3, 7, "invalid JSON")),
                1,
            ),
            (
                CliError::Input(InputError::DeviceUnreadable {
                    path: "d.json".into(),
                    source: missing(),
                }),
                1,
            ),
            (
                CliError::Unwritable {
                    path: "out/README.md".into(),
                    source: missing(),
                },
                1,
            ),
            (CliError::Reported, 1),
            (
                CliError::trouble(CliError::located(
                    "p.json",
                    Located::new(3, 7, "invalid JSON"),
                )),
                2,
            ),
            (
                CliError::JsonOutput(serde_json::from_str::<u8>("x").unwrap_err()),
                1,
            ),
            (
                CliError::Input(InputError::StrengthLoop {
                    template: "passkey".into(),
                    found: StrengthLoop::Registration,
                }),
                1,
            ),
        ];
        for (e, code) in cases {
            assert_eq!(e.exit_code(), code, "{e}");
        }
        assert_eq!(
            CliError::located("p.json", Located::new(3, 7, "invalid JSON")).to_string(),
            "p.json:3:7: invalid JSON"
        );
        let looped = StrengthLoop::AllResources;
        assert_eq!(
            CliError::Input(InputError::StrengthLoop {
                template: "passkey".into(),
                found: looped,
            })
            .to_string(),
            format!(
                "--strength-for passkey: this would build the authentication-strength loop: {}. Ways out: {}",
                looped.why(),
                looped.ways_out()
            )
        );
    }

    #[test]
    fn clap_refusals_read_as_the_option_at_fault() {
        let refusal = |args: &[&str]| {
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            let argv = std::iter::once("ca-policy").chain(args.iter().map(String::as_str));
            let e = super::super::args::command()
                .try_get_matches_from(argv)
                .expect_err("refused");
            match from_clap(&e, Family::of(&args)) {
                Stop::Error(CliError::Usage { family, message }) => (family, message),
                Stop::Error(other) => panic!("{other}"),
                Stop::Print(text) => panic!("{text}"),
            }
        };
        assert_eq!(
            refusal(&["export", "--format"]),
            (Family::Export, "--format needs a value".into())
        );
        assert_eq!(
            refusal(&["lint", "--json=1", "f"]),
            (Family::Lint, "--json takes no value".into())
        );
        assert_eq!(
            refusal(&["template", "pilot", "--state", "on"]),
            (
                Family::Template,
                "--state must be enabled, disabled or report-only, not \"on\"".into()
            )
        );
        assert_eq!(refusal(&["export", "--update", "x/y"]).0, Family::Export,);
        assert!(refusal(&["export", "--update", "x/y"])
            .1
            .starts_with("--update: "));
    }
}
