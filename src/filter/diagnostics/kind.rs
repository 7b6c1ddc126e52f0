//! Every diagnostic the checker can raise, as data: one variant per code,
//! holding what its message needs. The code, the severity and the message of
//! each are written here and nowhere else; the lexer, the parser, the
//! catalogue checks and the lint only push a kind and a span.
//!
//! The codes are the stable part: `ca-policy filter check --json`,
//! `ca-policy lint --json` and the page's `data-code` attributes expose them,
//! and `docs/diagnostics.md` documents each one (a test keeps the two lists
//! equal). Messages may be reworded; codes are not renamed.

use std::fmt;

use super::Severity;
use crate::filter::ast::Op;
use crate::filter::catalogue::{Origin, Prop, ValueKind};
use crate::filter::display::needs_escape;
use crate::filter::{MAX_DEPTH, MAX_DIAGNOSTICS, MAX_RULE_CHARS};

/// What a diagnostic is about. Text quoted from the rule is held already
/// shortened and escaped (`display::excerpt`), as the message shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiagnosticKind {
    // The rule as a whole.
    EmptyRule,
    RuleTooLong(RuleLength),
    /// The count of the diagnostics left out past `MAX_DIAGNOSTICS`, by severity.
    TooManyDiagnostics {
        errors: usize,
        warnings: usize,
        infos: usize,
    },

    // Characters, reported by the lexer where it sees them.
    TypographicDash {
        dash: char,
    },
    UnusualWhitespace {
        space: char,
    },
    UnexpectedCharacter {
        found: char,
    },
    EmbeddedQuote,
    ControlCharacter {
        found: char,
    },
    InvisibleCharacter {
        found: char,
    },
    UnterminatedString,
    /// `single`: the string opened with `‘` (or another single curly quote).
    TypographicQuote {
        single: bool,
    },
    SingleQuotedString,
    EscapedQuote,

    // The shape of the rule, reported by the parser.
    /// `&&`, `==` and the like; `logical` when it stands between comparisons.
    SymbolicOperator {
        found: String,
        canonical: &'static str,
        logical: bool,
    },
    BareLogicalOperator {
        canonical: &'static str,
    },
    DanglingOperator {
        canonical: &'static str,
    },
    UnmatchedParen,
    ExpectedLogicalOperator {
        found: String,
    },
    /// `before`: the token found instead; `None` at the end of the rule.
    ExpectedComparison {
        before: Option<String>,
    },
    NestingTooDeep,
    UnclosedParen,
    NotOperator,
    /// `found`: the token found instead; `None` when it is a quoted value.
    ExpectedProperty {
        found: Option<String>,
    },
    /// `user`: the prefix is `user.`.
    NonDeviceProperty {
        found: String,
        user: bool,
    },
    MissingDevicePrefix {
        found: String,
    },
    ExpectedOperator(OperatorGap),
    /// `name` as the catalogue spells it; `dashed` when written with a `-`.
    DynamicGroupOperator {
        name: &'static str,
        dashed: bool,
    },
    /// `symbol`: a run of `=`, `!`, `<`… rather than a `-word`.
    UnknownOperator {
        found: String,
        symbol: bool,
        suggestion: Option<Op>,
    },
    HyphenlessOperator {
        op: Op,
        found: String,
    },
    /// `after`: the operator the value belongs to; `None` for a list item
    /// missing before a comma.
    ExpectedValue {
        after: Option<Op>,
    },
    ExpectedList {
        op: Op,
    },
    UnexpectedList {
        op: Op,
    },
    NullValue,
    PowershellVariable {
        found: String,
    },
    UnquotedValue(Unquoted),
    TrailingComma,
    EmptyList,
    MissingComma,
    UnclosedBracket,

    // Comparisons against the property catalogue.
    UnknownProperty(UnknownName),
    OperatorNotAllowed {
        property: Prop,
    },
    /// `True`/`False` written otherwise; `quoted` when in quotes.
    BooleanForm {
        value: bool,
        quoted: bool,
    },
    ValueNotAllowed(NotAllowed),
    EnumCase {
        canonical: &'static str,
    },
    InvalidGuid {
        property: Prop,
        found: String,
    },

    // Advice on a valid rule (lint).
    UserModifiableOnly {
        property: Prop,
    },
    ExtensionAttributeAvailability {
        property: Prop,
    },
    IncludeMissesUnregistered,
    ExcludeMatchesUnregistered,
    IncludeOrOfNegatives,
}

/// How long an over-long rule is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLength {
    /// Checked whole: its length in characters.
    Chars(usize),
    /// Past `MAX_CHECKED_BYTES`: its length and the part checked, in bytes.
    Bytes { total: usize, checked: usize },
}

/// Where an operator was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperatorGap {
    /// After the property: at the end of the rule or before a `(`, `,`….
    AfterProperty,
    /// The property is followed by `-and`/`-or`.
    BeforeLogic,
    /// The property is followed by this word.
    Found(String),
}

/// A value that needs double quotes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unquoted {
    Value(String),
    ListItem(String),
    /// `True`/`False` compared with a string or enum property.
    Boolean {
        property: Prop,
    },
}

/// A property name Conditional Access device filters do not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnknownName {
    /// A dynamic-group or Intune name, and the CA property meaning the same, if any.
    Foreign {
        name: &'static str,
        origin: Origin,
        equivalent: Option<Prop>,
    },
    /// `extensionAttribute16` and up.
    ExtensionAttribute { found: String },
    Misspelt {
        found: String,
        suggestion: Option<&'static str>,
    },
}

/// A value the property can never hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotAllowed {
    /// A boolean property compared with something other than `True`/`False`.
    NotBoolean { property: Prop, found: String },
    /// Not one of an enum property's values.
    NotInEnum {
        property: Prop,
        found: String,
        suggestion: Option<&'static str>,
    },
}

const SUPPORTED_OPERATORS: &str = "Conditional Access supports -eq, -ne, -startsWith, -notStartsWith, -endsWith, -notEndsWith, -contains, -notContains, -in, -notIn";

impl DiagnosticKind {
    /// The stable kebab-case identifier: tests, scripts and the page key on it.
    pub fn code(&self) -> &'static str {
        use DiagnosticKind::*;
        match self {
            EmptyRule => "empty-rule",
            RuleTooLong(_) => "rule-too-long",
            TooManyDiagnostics { .. } => "too-many-diagnostics",
            TypographicDash { .. } => "typographic-dash",
            UnusualWhitespace { .. } => "unusual-whitespace",
            UnexpectedCharacter { .. } => "unexpected-character",
            EmbeddedQuote => "embedded-quote",
            ControlCharacter { .. } => "control-character",
            InvisibleCharacter { .. } => "invisible-character",
            UnterminatedString => "unterminated-string",
            TypographicQuote { .. } => "typographic-quote",
            SingleQuotedString => "single-quoted-string",
            EscapedQuote => "escaped-quote",
            SymbolicOperator { .. } => "symbolic-operator",
            BareLogicalOperator { .. } => "bare-logical-operator",
            DanglingOperator { .. } => "dangling-operator",
            UnmatchedParen => "unmatched-paren",
            ExpectedLogicalOperator { .. } => "expected-logical-operator",
            ExpectedComparison { .. } => "expected-comparison",
            NestingTooDeep => "nesting-too-deep",
            UnclosedParen => "unclosed-paren",
            NotOperator => "not-operator",
            ExpectedProperty { .. } => "expected-property",
            NonDeviceProperty { .. } => "non-device-property",
            MissingDevicePrefix { .. } => "missing-device-prefix",
            ExpectedOperator(_) => "expected-operator",
            DynamicGroupOperator { .. } => "dynamic-group-operator",
            UnknownOperator { .. } => "unknown-operator",
            HyphenlessOperator { .. } => "hyphenless-operator",
            ExpectedValue { .. } => "expected-value",
            ExpectedList { .. } => "expected-list",
            UnexpectedList { .. } => "unexpected-list",
            NullValue => "null-value",
            PowershellVariable { .. } => "powershell-variable",
            UnquotedValue(_) => "unquoted-value",
            TrailingComma => "trailing-comma",
            EmptyList => "empty-list",
            MissingComma => "missing-comma",
            UnclosedBracket => "unclosed-bracket",
            UnknownProperty(_) => "unknown-property",
            OperatorNotAllowed { .. } => "operator-not-allowed",
            BooleanForm { .. } => "boolean-form",
            ValueNotAllowed(_) => "value-not-allowed",
            EnumCase { .. } => "enum-case",
            InvalidGuid { .. } => "invalid-guid",
            UserModifiableOnly { .. } => "user-modifiable-only",
            ExtensionAttributeAvailability { .. } => "extension-attribute-availability",
            IncludeMissesUnregistered => "include-misses-unregistered",
            ExcludeMatchesUnregistered => "exclude-matches-unregistered",
            IncludeOrOfNegatives => "include-or-of-negatives",
        }
    }

    /// Errors make the rule invalid (the service would reject it or it can
    /// never match); warnings and infos leave it valid.
    pub fn severity(&self) -> Severity {
        use DiagnosticKind::*;
        match self {
            UnusualWhitespace { .. }
            | InvisibleCharacter { .. }
            | HyphenlessOperator { .. }
            | EnumCase { .. }
            | UserModifiableOnly { .. }
            | ExtensionAttributeAvailability { .. }
            | IncludeMissesUnregistered
            | ExcludeMatchesUnregistered
            | IncludeOrOfNegatives => Severity::Warning,
            BooleanForm { .. } => Severity::Info,
            // As severe as the worst left out, so the list still says whether the rule is valid.
            TooManyDiagnostics {
                errors, warnings, ..
            } => {
                if *errors > 0 {
                    Severity::Error
                } else if *warnings > 0 {
                    Severity::Warning
                } else {
                    Severity::Info
                }
            }
            _ => Severity::Error,
        }
    }

    /// The message, for a person; `Display` writes the same text.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DiagnosticKind::*;
        match self {
            EmptyRule => f.write_str("the rule is empty"),
            RuleTooLong(RuleLength::Chars(total)) => write!(
                f,
                "the rule is {total} characters long; Conditional Access allows at most {MAX_RULE_CHARS}"
            ),
            RuleTooLong(RuleLength::Bytes { total, checked }) => write!(
                f,
                "the rule is {total} bytes long; Conditional Access allows at most {MAX_RULE_CHARS} characters, and only the first {checked} bytes are checked"
            ),
            TooManyDiagnostics {
                errors,
                warnings,
                infos,
            } => write!(
                f,
                "and {} more not shown (errors: {errors}, warnings: {warnings}, infos: {infos}); only the first {MAX_DIAGNOSTICS} are listed",
                errors + warnings + infos
            ),

            TypographicDash { dash } => write!(
                f,
                "`{dash}` (U+{:04X}) is a typographic dash; operators start with an ASCII hyphen `-`",
                *dash as u32
            ),
            UnusualWhitespace { space } => {
                write!(f, "U+{:04X} is not a plain space", *space as u32)
            }
            UnexpectedCharacter { found } => {
                let c = *found;
                f.write_str("unexpected ")?;
                if c.is_control() {
                    write!(f, "control character U+{:04X}", c as u32)?;
                } else if needs_escape(c) {
                    write!(f, "invisible formatting character U+{:04X}", c as u32)?;
                } else {
                    write!(f, "`{c}`")?;
                }
                f.write_str(": a rule is made of `device.<property> <operator> <value>` comparisons")
            }
            EmbeddedQuote => f.write_str(
                "a value cannot contain `\"`: Conditional Access documents no escape for it (or a closing quote is missing before this one)",
            ),
            ControlCharacter { found } => {
                f.write_str("a value cannot contain ")?;
                match found {
                    '\n' => f.write_str("a line break"),
                    '\r' => f.write_str("a carriage return"),
                    '\t' => f.write_str("a tab"),
                    c => write!(f, "control character U+{:04X}", *c as u32),
                }
            }
            InvisibleCharacter { found } => write!(
                f,
                "the value holds U+{:04X}, an invisible formatting character: it is shown differently from what it matches",
                *found as u32
            ),
            UnterminatedString => f.write_str("this string has no closing quote"),
            TypographicQuote { single: false } => f.write_str(
                "typographic quotes (“ ” ‘ ’) are not string delimiters; use straight double quotes `\"`",
            ),
            TypographicQuote { single: true } => f.write_str(
                "typographic quotes (‘ ’) are not string delimiters; use straight double quotes `\"`",
            ),
            SingleQuotedString => f.write_str(
                "single-quoted values are not documented for Conditional Access device filters; use double quotes",
            ),
            EscapedQuote => f.write_str(
                "the rule contains escaped quotes (`\\\"`), probably copied from a PowerShell or JSON string; the stored rule needs bare `\"`",
            ),

            SymbolicOperator {
                found,
                canonical,
                logical,
            } => {
                let here = if *logical { " here" } else { "" };
                write!(
                    f,
                    "`{found}` is not an operator{here}; Conditional Access writes `{canonical}`"
                )
            }
            BareLogicalOperator { canonical } => {
                write!(f, "logical operators take a hyphen: `{canonical}`")
            }
            DanglingOperator { canonical } => {
                write!(f, "`{canonical}` must be followed by a comparison")
            }
            UnmatchedParen => f.write_str("this `)` has no matching `(`"),
            ExpectedLogicalOperator { found } => write!(
                f,
                "expected `-and`, `-or` or the end of the rule, found `{found}`"
            ),
            ExpectedComparison { before: None } => {
                f.write_str("expected a comparison such as `device.trustType -eq \"AzureAD\"`")
            }
            ExpectedComparison {
                before: Some(before),
            } => write!(f, "expected a comparison before `{before}`"),
            NestingTooDeep => write!(
                f,
                "parentheses and `-not` nest more than {MAX_DEPTH} deep here; the rest of the rule is not checked"
            ),
            UnclosedParen => f.write_str("this `(` is never closed"),
            NotOperator => f.write_str(
                "`-not` is documented only for dynamic-group rules; negate with a negative operator such as `-ne` (which also matches unregistered devices)",
            ),
            ExpectedProperty { found: None } => f.write_str(
                "a comparison starts with `device.<property>`, not with a value",
            ),
            ExpectedProperty { found: Some(found) } => {
                write!(f, "expected `device.<property>`, found `{found}`")
            }
            NonDeviceProperty { found, user: true } => write!(
                f,
                "`{found}` is a user property; a device filter can only test `device.` properties"
            ),
            NonDeviceProperty { found, user: false } => write!(
                f,
                "`{found}` is not a device property; properties are written `device.<property>`"
            ),
            MissingDevicePrefix { found } => write!(
                f,
                "properties are written `device.<property>`, found `{found}`"
            ),
            ExpectedOperator(OperatorGap::AfterProperty) => {
                f.write_str("expected an operator such as `-eq` after the property")
            }
            ExpectedOperator(OperatorGap::BeforeLogic) => {
                f.write_str("expected a comparison operator such as `-eq` and a value here")
            }
            ExpectedOperator(OperatorGap::Found(found)) => {
                write!(f, "expected an operator such as `-eq`, found `{found}`")
            }
            DynamicGroupOperator { name, dashed } => {
                let dash = if *dashed { "-" } else { "" };
                write!(
                    f,
                    "`{dash}{name}` exists only in dynamic-group rules; {SUPPORTED_OPERATORS}"
                )
            }
            UnknownOperator {
                found,
                symbol: true,
                ..
            } => write!(f, "`{found}` is not an operator; {SUPPORTED_OPERATORS}"),
            UnknownOperator {
                found,
                suggestion: Some(op),
                ..
            } => write!(
                f,
                "unknown operator `{found}`; did you mean `{}`?",
                op.canonical()
            ),
            UnknownOperator { found, .. } => {
                write!(f, "unknown operator `{found}`; {SUPPORTED_OPERATORS}")
            }
            HyphenlessOperator { op, found } => write!(
                f,
                "operators are written with a hyphen: `{}` (the service also takes `{found}`)",
                op.canonical()
            ),
            ExpectedValue { after: Some(op) } => {
                write!(f, "expected a value after `{}`", op.canonical())
            }
            ExpectedValue { after: None } => f.write_str("expected a list item before this comma"),
            ExpectedList { op } => write!(
                f,
                "`{}` takes a bracketed list such as `[\"a\", \"b\"]`",
                op.canonical()
            ),
            UnexpectedList { op } => write!(
                f,
                "a list is only allowed after `-in` or `-notIn`, not after `{}`",
                op.canonical()
            ),
            NullValue => f.write_str(
                "`null` is not a value in Conditional Access device filters; properties of unregistered devices are null, and a negative operator (such as `-ne`) already matches them",
            ),
            PowershellVariable { found } => write!(
                f,
                "`{found}` is PowerShell; a rule holds literal values (`True`/`False` or a double-quoted string)"
            ),
            UnquotedValue(Unquoted::Value(found)) => {
                write!(f, "string values are written in double quotes: `\"{found}\"`")
            }
            UnquotedValue(Unquoted::ListItem(found)) => {
                write!(f, "list items are written in double quotes: `\"{found}\"`")
            }
            UnquotedValue(Unquoted::Boolean { property }) => {
                let spec = property.spec();
                let kind = if let ValueKind::Enum(_) = spec.kind {
                    "an enum"
                } else {
                    "a string"
                };
                write!(
                    f,
                    "`{}` is {kind} property; its values are written in double quotes",
                    spec.name
                )
            }
            TrailingComma => f.write_str("a list cannot end with a comma"),
            EmptyList => f.write_str("an empty list matches nothing"),
            MissingComma => f.write_str("list items must be separated by commas"),
            UnclosedBracket => f.write_str("this `[` is never closed"),

            UnknownProperty(UnknownName::Foreign {
                name,
                origin,
                equivalent: Some(p),
            }) => write!(
                f,
                "`{name}` is {}; Conditional Access device filters use `{}`",
                origin.describe(),
                p.name()
            ),
            UnknownProperty(UnknownName::Foreign {
                name,
                origin,
                equivalent: None,
            }) => write!(
                f,
                "`{name}` is {} that Conditional Access device filters do not support",
                origin.describe()
            ),
            UnknownProperty(UnknownName::ExtensionAttribute { found }) => write!(
                f,
                "`{found}` does not exist: only extensionAttribute1 … extensionAttribute15"
            ),
            UnknownProperty(UnknownName::Misspelt {
                found,
                suggestion: Some(s),
            }) => write!(f, "unknown property `{found}`; did you mean `{s}`?"),
            UnknownProperty(UnknownName::Misspelt {
                found,
                suggestion: None,
            }) => write!(
                f,
                "unknown property `{found}`; Conditional Access device filters support deviceId, displayName, deviceOwnership, enrollmentProfileName, isCompliant, manufacturer, mdmAppId, model, operatingSystem, operatingSystemVersion, physicalIds, profileType, systemLabels, trustType and extensionAttribute1 … 15"
            ),
            OperatorNotAllowed { property } => {
                let spec = property.spec();
                write!(f, "`{}` supports only {}", spec.name, spec.ops.describe())?;
                if spec.kind == ValueKind::Collection {
                    f.write_str(" (it is a collection; `-contains` tests for a whole element)")?;
                }
                Ok(())
            }
            BooleanForm { value, quoted } => {
                let word = if *value { "True" } else { "False" };
                let how = if *quoted {
                    "(quoted) is accepted"
                } else {
                    "is accepted"
                };
                write!(
                    f,
                    "this form of `{word}` {how}; the canonical form is unquoted `{word}`"
                )
            }
            ValueNotAllowed(NotAllowed::NotBoolean { property, found }) => write!(
                f,
                "`{}` is `True` or `False`, not `{found}`; this comparison can never match",
                property.name()
            ),
            ValueNotAllowed(NotAllowed::NotInEnum {
                property,
                found,
                suggestion,
            }) => {
                let allowed = match property.spec().kind {
                    ValueKind::Enum(allowed) => allowed,
                    _ => &[],
                };
                write!(
                    f,
                    "`{found}` is not a `{}` value (allowed: {}); ",
                    property.name(),
                    allowed.join(", ")
                )?;
                match suggestion {
                    Some(to) => write!(f, "did you mean `{to}`?"),
                    None => f.write_str("this comparison can never match"),
                }
            }
            EnumCase { canonical } => write!(f, "the documented spelling is `{canonical}`"),
            InvalidGuid { property, found } => write!(
                f,
                "`{}` values are GUIDs such as `aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb`; `{found}` can never match",
                property.name()
            ),

            UserModifiableOnly { property } => write!(
                f,
                "`{}` can be changed by the device's user; combine it with `-and` and a system-set property such as trustType, isCompliant or deviceId",
                property.name()
            ),
            ExtensionAttributeAvailability { property } => write!(
                f,
                "`{}` is only available for Intune-managed, compliant or hybrid-joined devices; for other devices it is null",
                property.name()
            ),
            IncludeMissesUnregistered => f.write_str(
                "in include mode this rule never matches unregistered devices (their properties are null and positive operators never match null), so the policy does not apply to them; negative operators such as `-ne` match them",
            ),
            ExcludeMatchesUnregistered => f.write_str(
                "in exclude mode this rule matches unregistered devices (negative operators match null properties), so they are excluded from the policy",
            ),
            IncludeOrOfNegatives => f.write_str(
                "in include mode, `-or` between negative conditions takes in every device that fails any one of them (a compliant device that is not hybrid joined is included); to target devices that fail all of them, use `-and`",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::filter::{check, Mode, Prop};

    const DOC: &str = include_str!("../../../docs/diagnostics.md");
    const SOURCE: &str = include_str!("kind.rs");

    /// The codes as `code()` writes them: one string literal per arm, so
    /// the list holds every code (the match is exhaustive) and a code used
    /// for two kinds shows up twice.
    fn codes_in_source() -> Vec<&'static str> {
        let start = SOURCE
            .find("pub fn code(&self)")
            .expect("code() is in kind.rs");
        let body = &SOURCE[start..];
        let body = &body[..body.find("\n    }\n").expect("code() ends")];
        body.split('"').skip(1).step_by(2).collect()
    }

    /// The documented codes: the `### `code`` headings, with the text of their section, in
    /// the device-filter part (the lint's and the audit's parts follow it).
    fn documented() -> Vec<(&'static str, &'static str)> {
        let part = DOC.split("\n# ").next().expect("split yields a part");
        part.split("\n### `")
            .skip(1)
            .map(|section| {
                let (code, rest) = section.split_once('`').expect("heading closes its code");
                let end = rest.find("\n## ").unwrap_or(rest.len());
                (code, &rest[..end])
            })
            .collect()
    }

    /// One kind of each code.
    fn samples() -> Vec<DiagnosticKind> {
        use DiagnosticKind::*;
        let p = Prop::lookup("trustType").unwrap();
        let s = || "x".to_string();
        vec![
            EmptyRule,
            RuleTooLong(RuleLength::Chars(4000)),
            TooManyDiagnostics {
                errors: 1,
                warnings: 0,
                infos: 0,
            },
            TypographicDash { dash: '–' },
            UnusualWhitespace { space: '\u{a0}' },
            UnexpectedCharacter { found: ';' },
            EmbeddedQuote,
            ControlCharacter { found: '\t' },
            InvisibleCharacter { found: '\u{200b}' },
            UnterminatedString,
            TypographicQuote { single: false },
            SingleQuotedString,
            EscapedQuote,
            SymbolicOperator {
                found: s(),
                canonical: "-and",
                logical: true,
            },
            BareLogicalOperator { canonical: "-and" },
            DanglingOperator { canonical: "-or" },
            UnmatchedParen,
            ExpectedLogicalOperator { found: s() },
            ExpectedComparison { before: None },
            NestingTooDeep,
            UnclosedParen,
            NotOperator,
            ExpectedProperty { found: None },
            NonDeviceProperty {
                found: s(),
                user: true,
            },
            MissingDevicePrefix { found: s() },
            ExpectedOperator(OperatorGap::AfterProperty),
            DynamicGroupOperator {
                name: "match",
                dashed: true,
            },
            UnknownOperator {
                found: s(),
                symbol: false,
                suggestion: Some(Op::Eq),
            },
            HyphenlessOperator {
                op: Op::Eq,
                found: s(),
            },
            ExpectedValue {
                after: Some(Op::Eq),
            },
            ExpectedList { op: Op::In },
            UnexpectedList { op: Op::Eq },
            NullValue,
            PowershellVariable { found: s() },
            UnquotedValue(Unquoted::Value(s())),
            TrailingComma,
            EmptyList,
            MissingComma,
            UnclosedBracket,
            UnknownProperty(UnknownName::Misspelt {
                found: s(),
                suggestion: None,
            }),
            OperatorNotAllowed { property: p },
            BooleanForm {
                value: true,
                quoted: true,
            },
            ValueNotAllowed(NotAllowed::NotInEnum {
                property: p,
                found: s(),
                suggestion: None,
            }),
            EnumCase {
                canonical: "AzureAD",
            },
            InvalidGuid {
                property: p,
                found: s(),
            },
            UserModifiableOnly { property: p },
            ExtensionAttributeAvailability { property: p },
            IncludeMissesUnregistered,
            ExcludeMatchesUnregistered,
            IncludeOrOfNegatives,
        ]
    }

    #[test]
    fn codes_are_kebab_case_and_unique() {
        let codes = codes_in_source();
        let unique: BTreeSet<_> = codes.iter().collect();
        assert_eq!(
            unique.len(),
            codes.len(),
            "a code names two kinds: {codes:?}"
        );
        for code in &codes {
            let kebab = !code.is_empty()
                && !code.starts_with('-')
                && !code.ends_with('-')
                && !code.contains("--")
                && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
            assert!(kebab, "`{code}` is not kebab-case");
        }
        // The samples are one of each kind, so the other tests see every code.
        let sampled: BTreeSet<_> = samples().iter().map(DiagnosticKind::code).collect();
        assert_eq!(sampled, codes.iter().copied().collect::<BTreeSet<_>>());
    }

    #[test]
    fn the_doc_lists_exactly_the_codes_with_their_severity() {
        let documented = documented();
        let doc_codes: Vec<_> = documented.iter().map(|(c, _)| *c).collect();
        let doc_set: BTreeSet<_> = doc_codes.iter().copied().collect();
        assert_eq!(doc_set.len(), doc_codes.len(), "a code is documented twice");
        let codes: BTreeSet<_> = codes_in_source().into_iter().collect();
        assert_eq!(
            doc_set.difference(&codes).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "documented in docs/diagnostics.md but not a DiagnosticKind"
        );
        assert_eq!(
            codes.difference(&doc_set).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "a DiagnosticKind missing from docs/diagnostics.md"
        );
        for kind in samples() {
            let (_, section) = documented.iter().find(|(c, _)| *c == kind.code()).unwrap();
            let severity = format!("**{}**", kind.severity().as_str());
            let line = section
                .lines()
                .find(|l| l.starts_with("Severity: "))
                .unwrap_or_else(|| panic!("`{}` has no Severity line", kind.code()));
            assert!(line.contains(&severity), "`{}`: {line}", kind.code());
            assert!(!kind.message().is_empty());
        }
    }

    /// `\u{…}` in a doc example stands for that character.
    fn unescape(example: &str) -> String {
        let mut out = String::new();
        let mut rest = example;
        while let Some(at) = rest.find("\\u{") {
            out.push_str(&rest[..at]);
            let end = rest[at..].find('}').unwrap() + at;
            let code = u32::from_str_radix(&rest[at + 3..end], 16).unwrap();
            out.push(char::from_u32(code).unwrap());
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn every_doc_example_raises_its_code() {
        // Too long or too many to show: described in words instead.
        let described = ["rule-too-long", "too-many-diagnostics", "nesting-too-deep"];
        for (code, section) in documented() {
            let Some((info, rest)) = section.split_once("```rule").map(|(_, r)| {
                let (info, rest) = r.split_once('\n').unwrap();
                (info.trim(), rest)
            }) else {
                assert!(described.contains(&code), "`{code}` has no example");
                continue;
            };
            let example = unescape(&rest[..rest.find("\n```").unwrap()]);
            let mode = match info {
                "" => None,
                "include" => Some(Mode::Include),
                "exclude" => Some(Mode::Exclude),
                other => panic!("`{code}`: unknown mode {other}"),
            };
            let checked = check(&example, mode);
            assert!(
                checked.diagnostics.iter().any(|d| d.code == code),
                "`{code}`: {example:?} gives {:?}",
                checked
                    .diagnostics
                    .iter()
                    .map(|d| d.code)
                    .collect::<Vec<_>>()
            );
        }
    }
}
