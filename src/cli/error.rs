//! What can go wrong in a `ca-policy` run, as values, and the one place that turns each into
//! its message and exit code: 1 the input has errors, 2 usage (the command line is wrong, or a
//! file it names cannot be read).

use std::fmt;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::output;
use super::usage::Family;

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
    /// Exit 1: the input's errors are already printed (a rule's rendered diagnostics).
    Reported,
}

/// An error in the input, located.
#[derive(Debug)]
pub(crate) enum InputError {
    /// `FILE:LINE:COLUMN: message` (JSON that does not parse or import).
    Located {
        source: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A device file for `filter eval` that cannot be read (an input of the rule, so exit 1).
    DeviceUnreadable {
        path: String,
        source: std::io::Error,
    },
    /// A device file for `filter eval` that is not a device's JSON.
    DeviceJson {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// Anything else, with its location already in the text (`FILE: /0/displayName: …`).
    Other(String),
}

impl CliError {
    pub(crate) fn usage(family: Family, message: impl Into<String>) -> CliError {
        CliError::Usage {
            family,
            message: message.into(),
        }
    }

    pub(crate) fn input(message: impl Into<String>) -> CliError {
        CliError::Input(InputError::Other(message.into()))
    }

    pub(crate) fn located(source: &str, line: usize, column: usize, message: &str) -> CliError {
        CliError::Input(InputError::Located {
            source: source.to_string(),
            line,
            column,
            message: message.to_string(),
        })
    }

    pub(crate) fn unreadable(path: &str, source: std::io::Error) -> CliError {
        CliError::Unreadable {
            path: path.to_string(),
            source,
        }
    }

    /// The exit code, decided here only.
    pub(crate) fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage { .. } | CliError::Unreadable { .. } => 2,
            CliError::Input(_) | CliError::Reported => 1,
        }
    }

    /// Prints the error on stderr (escaped, by `output`) and returns its exit code.
    pub(crate) fn report(&self) -> i32 {
        match self {
            CliError::Usage { family, message } => {
                output::err_line(&format!("error: {message}\n\n{}", family.usage()))
            }
            CliError::Reported => {}
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
            CliError::Reported => f.write_str("the input has errors"),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Located {
                source,
                line,
                column,
                message,
            } => write!(f, "{source}:{line}:{column}: {message}"),
            InputError::DeviceUnreadable { path, source } => {
                write!(f, "cannot read device file {path}: {source}")
            }
            InputError::DeviceJson {
                path,
                line,
                column,
                message,
            } => write!(
                f,
                "{path}:{line}:{column}: invalid device JSON: {message}\n\
                 expected an object such as {{\"trustType\": \"AzureAD\", \"isCompliant\": true, \"physicalIds\": [\"[ZTDId]:x\"]}}"
            ),
            InputError::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CliError {}

/// Why an option's value was refused, as an option's value parser returns it; the message
/// names the option, which clap knows (see [`from_clap`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BadValue {
    /// Not one of the listed words (`json, powershell or powershell-invoke`).
    OneOf(&'static str),
    /// Not a whole number.
    WholeNumber,
    /// Refused by the core's own parser, which says why.
    Invalid(String),
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadValue::OneOf(list) => write!(f, "must be {list}"),
            BadValue::WholeNumber => f.write_str("needs a whole number"),
            BadValue::Invalid(why) => f.write_str(why),
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
                Some(BadValue::Invalid(why)) => format!("{}: {why}", option()),
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
