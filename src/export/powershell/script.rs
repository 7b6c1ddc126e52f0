//! The frame every script shares: flavour, errors, the header (`#Requires`, the steps, `Stop`,
//! least-privilege `Connect-MgGraph`), comment and code lines, literals, and the file bytes.

use crate::builders::methods::SettingError;
use crate::export::graph_json::{API_VERSION, POLICIES_PATH};
use crate::export::ps_literal::{self, NulCharacter};
use serde_json::Value;
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
    /// A builder setting (e.g. the strength's display name) is unusable.
    Setting(SettingError),
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
            ScriptError::Setting(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ScriptError {}

impl From<SettingError> for ScriptError {
    fn from(e: SettingError) -> Self {
        ScriptError::Setting(e)
    }
}

impl From<NulCharacter> for ScriptError {
    fn from(e: NulCharacter) -> Self {
        ScriptError::Literal(e)
    }
}

const AUTH_MODULE: &str = "Microsoft.Graph.Authentication";
const SIGNINS_MODULE: &str = "Microsoft.Graph.Identity.SignIns";
const GROUPS_MODULE: &str = "Microsoft.Graph.Groups";
pub(super) const USERS_MODULE: &str = "Microsoft.Graph.Users";

pub(super) fn not_object(location: &str) -> ScriptError {
    ScriptError::NotAnObject {
        location: location.to_string(),
    }
}

pub(super) fn modules(flavour: Flavour, groups: bool) -> Vec<&'static str> {
    match flavour {
        Flavour::Invoke => vec![AUTH_MODULE],
        Flavour::Sdk if groups => vec![AUTH_MODULE, SIGNINS_MODULE, GROUPS_MODULE],
        Flavour::Sdk => vec![AUTH_MODULE, SIGNINS_MODULE],
    }
}

pub(super) fn connect_step(scopes: &[&str]) -> String {
    format!(
        "Connect to Microsoft Graph with only these permissions: {}.",
        scopes.join(", ")
    )
}

/// A display name for a comment: quoted, and cut so that one line stays readable.
pub(super) fn comment_name(name: &str) -> String {
    format!("\"{}\"", ps_literal::comment_text(name, 80))
}

pub(super) fn literal(s: &str, location: &str) -> Result<String, ScriptError> {
    Ok(ps_literal::string_expr(s, location)?)
}

/// An OData string literal: single quotes, with an ASCII `'` doubled. Only ASCII: OData does
/// not treat `’` as a quote, so curly quotes pass through to Graph as ordinary characters. The PowerShell layer is applied afterwards, by [`ps_literal`].
pub fn odata_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The OData filter that finds objects by exact display name.
pub fn display_name_filter(name: &str) -> String {
    format!("displayName eq {}", odata_string(name))
}

pub(super) fn body_location(location: &str) -> String {
    if location.is_empty() {
        "body".into()
    } else {
        format!("body {location}")
    }
}

/// The body as a hashtable expression; error pointers are prefixed with the body's place in
/// the input list.
pub(super) fn hashtable_expr(body: &Value, location: &str) -> Result<String, ScriptError> {
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

/// Accumulates a script's lines. The frame (header, lines, lookups) is here; each sibling module
/// adds, in its own `impl Script`, the steps its scripts share (policy, group, methods, splice).
pub(super) struct Script {
    pub(super) flavour: Flavour,
    out: String,
    /// Names for the ids the comments mention (the draft's labels; the catalogue is consulted
    /// besides).
    pub(super) labels: crate::names::Labels,
}

impl Script {
    pub(super) fn new(
        flavour: Flavour,
        title: &str,
        steps: &[String],
        modules: &[&str],
        scopes: &[&str],
    ) -> Script {
        let mut s = Script {
            flavour,
            out: String::new(),
            labels: crate::names::Labels::new(),
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
        s.comment("The least-privileged delegated permissions this script's steps need.");
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
    pub(super) fn comment(&mut self, text: &str) {
        let text = ps_literal::comment_text(text, usize::MAX);
        if text.is_empty() {
            self.out.push_str("#\n");
        } else {
            self.out.push_str("# ");
            self.out.push_str(&text);
            self.out.push('\n');
        }
    }

    pub(super) fn line(&mut self, indent: usize, code: &str) {
        for _ in 0..indent {
            self.out.push_str("    ");
        }
        self.out.push_str(code);
        self.out.push('\n');
    }

    pub(super) fn blank(&mut self) {
        self.out.push('\n');
    }

    /// `@(…)` of the objects whose display name is exactly `name`, for a policy or a group.
    pub(super) fn lookup_expr(
        &self,
        path: &str,
        name: &str,
        location: &str,
    ) -> Result<String, ScriptError> {
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

    pub(super) fn finish(self) -> String {
        self.out
    }
}
