//! GUIDs (object ids, policy ids, AAGUIDs, device ids in filter rules): the one
//! check for the 36-character `8-4-4-4-12` form, in either letter case, and [`Guid`], the one
//! type a checked GUID is held in. Braces, spaces and the 32-digit form are refused rather than
//! repaired: these values are pasted, and a repaired typo names something else.

use std::fmt;

/// What a GUID names. It decides how a refusal is worded and whether the text is held as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GuidKind {
    /// A Graph object's `id`: a user, a group, an authentication strength.
    Object,
    /// A Conditional Access policy.
    Policy,
    /// A passkey provider (authenticator model).
    Aaguid,
}

impl GuidKind {
    /// How the too-short message names the value ("a GUID has 36").
    fn article_name(self) -> &'static str {
        match self {
            GuidKind::Aaguid => "an AAGUID",
            GuidKind::Object | GuidKind::Policy => "a GUID",
        }
    }

    /// AAGUIDs and object ids are compared (a list keeps one spelling, a group member is
    /// matched by id), so they are held lowercase, as Graph returns them. A policy id is only
    /// sent back, and scripts show it as the admin typed it.
    fn lowercases(self) -> bool {
        !matches!(self, GuidKind::Policy)
    }
}

/// What is wrong with a text that should be a GUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuidProblem {
    /// A 37th character.
    TooLong,
    /// Something else where a hyphen belongs (characters 9, 14, 19, 24).
    NotHyphen(char),
    /// Something else where a hexadecimal digit belongs.
    NotHexDigit(char),
    /// Fewer than 36 characters, all of them right.
    TooShort { len: usize },
}

impl GuidProblem {
    /// The reason in words; `what` names the value in the too-short message ("a GUID").
    pub fn describe(self, what: &str) -> String {
        match self {
            GuidProblem::TooLong => "it is longer than 36 characters".into(),
            GuidProblem::NotHyphen(c) => format!("expected '-', found {c:?}"),
            GuidProblem::NotHexDigit(c) => format!("expected a hexadecimal digit, found {c:?}"),
            GuidProblem::TooShort { len } => format!("it has {len} characters, {what} has 36"),
        }
    }
}

/// Where and why `s` is not a GUID: the index (in chars) of the first wrong character
/// (`None` when it is too short) and the problem; `None` overall when `s` is a GUID.
pub fn first_problem(s: &str) -> Option<(Option<usize>, GuidProblem)> {
    for (i, c) in s.chars().enumerate() {
        if i >= 36 {
            return Some((Some(i), GuidProblem::TooLong));
        }
        let hyphen_here = matches!(i, 8 | 13 | 18 | 23);
        if hyphen_here && c != '-' {
            return Some((Some(i), GuidProblem::NotHyphen(c)));
        }
        if !hyphen_here && !c.is_ascii_hexdigit() {
            return Some((Some(i), GuidProblem::NotHexDigit(c)));
        }
    }
    let len = s.chars().count();
    (len < 36).then_some((None, GuidProblem::TooShort { len }))
}

/// [`first_problem`] in words: `what` names the kind of value in the too-short message
/// ("a GUID", "an AAGUID").
pub fn guid_problem(s: &str, what: &str) -> Option<(Option<usize>, String)> {
    first_problem(s).map(|(at, p)| (at, p.describe(what)))
}

/// `8-4-4-4-12` hex digits: `guid_problem(s, _).is_none()`, in bytes and without building a
/// message, because the device-filter checker calls it on every keystroke.
pub fn is_guid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// A checked GUID: safe in a URL path, a script literal and a JSON string, since it has no
/// character that could leave one. Lowercase unless it is a policy id (see [`GuidKind`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid(String);

impl Guid {
    pub fn parse(s: &str, kind: GuidKind) -> Result<Guid, GuidError> {
        if let Some((char_index, problem)) = first_problem(s) {
            return Err(GuidError {
                kind,
                input: s.to_string(),
                char_index,
                problem,
            });
        }
        Ok(Guid(if kind.lowercases() {
            s.to_ascii_lowercase()
        } else {
            s.to_string()
        }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a text is not a GUID of its kind: the text, where (`char_index`, 0-based, in
/// characters; `None` when it is too short) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuidError {
    pub kind: GuidKind,
    pub input: String,
    pub char_index: Option<usize>,
    pub problem: GuidProblem,
}

impl GuidError {
    /// The reason in words, without the text or the position.
    pub fn reason(&self) -> String {
        self.problem.describe(self.kind.article_name())
    }
}

impl fmt::Display for GuidError {
    /// Each kind says what the value looks like and where the admin finds the right one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (input, at, reason) = (&self.input, self.char_index, self.reason());
        match self.kind {
            GuidKind::Aaguid => {
                write!(f, "{input:?} is not an AAGUID")?;
                if let Some(i) = at {
                    write!(f, " (character {})", i + 1)?;
                }
                write!(
                    f,
                    ": {reason}; an AAGUID is written like {EXAMPLE_AAGUID} (the authenticator vendor publishes it)"
                )
            }
            GuidKind::Policy => {
                write!(f, "invalid policy id {input:?}")?;
                if let Some(i) = at {
                    write!(f, " at character {}", i + 1)?;
                }
                write!(
                    f,
                    ": {reason}; a policy id is a GUID such as 00000000-0000-0000-0000-000000000000 \
                     (Get-MgIdentityConditionalAccessPolicy shows it as Id)"
                )
            }
            GuidKind::Object => {
                write!(f, "{input:?} is not an object id")?;
                if let Some(i) = at {
                    write!(f, " (character {})", i + 1)?;
                }
                write!(
                    f,
                    ": {reason}; an object id is a GUID such as 00000000-0000-0000-0000-000000000000 \
                     (the Microsoft Entra admin center shows it as Object ID)"
                )
            }
        }
    }
}

impl std::error::Error for GuidError {}

/// Microsoft Authenticator for iOS, the AAGUID every refusal shows as the example
/// (`builders::aaguid::AUTHENTICATOR_IOS`, which cannot be named from this layer).
const EXAMPLE_AAGUID: &str = "90a3ccdf-635c-4729-a248-9b709135078f";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_check_and_the_explained_one_agree() {
        let good = "90A3CCDF-635c-4729-a248-9b709135078f";
        for s in [
            good,
            "",
            "90a3ccdf635c4729a2489b709135078f",
            "{90a3ccdf-635c-4729-a248-9b709135078f}",
            "90a3ccdf-635c-4729-a248-9b709135078g",
            "90a3ccdf-635c-4729-a248-9b709135078",
            "90a3ccdf-635c-4729-a248-9b709135078ff",
            "90a3ccdf_635c-4729-a248-9b709135078f",
            "90a3ccdf-635c-4729-a248-9b70913507\u{e9}",
            "90a3ccdf-635c-4729-a248-9b7091350\u{e9}f",
        ] {
            assert_eq!(is_guid(s), guid_problem(s, "a GUID").is_none(), "{s:?}");
            assert_eq!(
                is_guid(s),
                Guid::parse(s, GuidKind::Policy).is_ok(),
                "{s:?}"
            );
        }
        assert!(is_guid(good));
    }

    #[test]
    fn the_kind_decides_the_case_kept_and_the_words() {
        let upper = "90A3CCDF-635C-4729-A248-9B709135078F";
        assert_eq!(
            Guid::parse(upper, GuidKind::Aaguid).unwrap().as_str(),
            EXAMPLE_AAGUID
        );
        assert_eq!(
            Guid::parse(upper, GuidKind::Object).unwrap().as_str(),
            EXAMPLE_AAGUID
        );
        assert_eq!(
            Guid::parse(upper, GuidKind::Policy).unwrap().as_str(),
            upper
        );
        let e = Guid::parse("90a3", GuidKind::Aaguid).unwrap_err();
        assert_eq!(
            (e.char_index, e.problem),
            (None, GuidProblem::TooShort { len: 4 })
        );
        assert_eq!(
            e.to_string(),
            "\"90a3\" is not an AAGUID: it has 4 characters, an AAGUID has 36; an AAGUID is \
             written like 90a3ccdf-635c-4729-a248-9b709135078f (the authenticator vendor publishes it)"
        );
        let e = Guid::parse("0a1b2c3d/4e5f", GuidKind::Policy).unwrap_err();
        assert_eq!(e.problem, GuidProblem::NotHyphen('/'));
        assert_eq!(
            e.to_string(),
            "invalid policy id \"0a1b2c3d/4e5f\" at character 9: expected '-', found '/'; a policy \
             id is a GUID such as 00000000-0000-0000-0000-000000000000 \
             (Get-MgIdentityConditionalAccessPolicy shows it as Id)"
        );
    }
}
