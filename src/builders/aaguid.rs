//! AAGUIDs: the 128-bit ids that name a passkey provider (authenticator model). Entra's key
//! restrictions and authentication-strength combination configurations list them as
//! lowercase hyphenated GUID strings
//! (<https://learn.microsoft.com/entra/identity/authentication/how-to-enable-passkey-fido2>).

use std::fmt;

use crate::located::Located;

/// Microsoft Authenticator for Android.
pub const AUTHENTICATOR_ANDROID: &str = "de1e552d-db1d-4423-a619-566b625cdc84";
/// Microsoft Authenticator for iOS.
pub const AUTHENTICATOR_IOS: &str = "90a3ccdf-635c-4729-a248-9b709135078f";

/// A checked AAGUID, held in the lowercase form every official example uses, so that two
/// spellings of one AAGUID compare equal and a merge never lists it twice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Aaguid(String);

/// Why a text is not an AAGUID. `char_index` (0-based, in characters) points at the first
/// offending character when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AaguidError {
    pub input: String,
    pub char_index: Option<usize>,
    pub reason: String,
}

impl fmt::Display for AaguidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not an AAGUID", self.input)?;
        if let Some(i) = self.char_index {
            write!(f, " (character {})", i + 1)?;
        }
        write!(
            f,
            ": {}; an AAGUID is written like {AUTHENTICATOR_IOS} (the authenticator vendor publishes it)",
            self.reason
        )
    }
}

impl std::error::Error for AaguidError {}

impl Aaguid {
    /// Accepts a GUID in its 36-character `8-4-4-4-12` form, in either letter case. Braces,
    /// spaces and the 32-digit form are refused rather than repaired: the value is pasted from
    /// a vendor list, and a repaired typo would silently allow a different authenticator.
    pub fn parse(s: &str) -> Result<Aaguid, AaguidError> {
        let err = |char_index: Option<usize>, reason: String| AaguidError {
            input: s.to_string(),
            char_index,
            reason,
        };
        if let Some((char_index, reason)) = crate::guid::guid_problem(s, "an AAGUID") {
            return Err(err(char_index, reason));
        }
        Ok(Aaguid(s.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two Microsoft Authenticator AAGUIDs, iOS first (the order of the reference's examples).
    pub fn authenticator() -> [Aaguid; 2] {
        [
            Aaguid(AUTHENTICATOR_IOS.to_string()),
            Aaguid(AUTHENTICATOR_ANDROID.to_string()),
        ]
    }

    /// Which well-known provider this is, for previews.
    pub fn known_name(&self) -> Option<&'static str> {
        match self.0.as_str() {
            AUTHENTICATOR_IOS => Some("Microsoft Authenticator (iOS)"),
            AUTHENTICATOR_ANDROID => Some("Microsoft Authenticator (Android)"),
            _ => None,
        }
    }
}

impl fmt::Display for Aaguid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses AAGUIDs typed one per line or separated by commas, spaces or semicolons (as pasted
/// from a vendor page or a spreadsheet). Every bad entry is reported with its line and column;
/// duplicates (in any letter case) are kept once, first occurrence first.
pub fn parse_aaguid_list(text: &str) -> Result<Vec<Aaguid>, Vec<Located>> {
    let mut out: Vec<Aaguid> = Vec::new();
    let mut errors = Vec::new();
    for (line_no, line) in text.lines().enumerate() {
        let mut col = 0; // characters consumed so far on this line
        for piece in line.split_inclusive([',', ';', ' ', '\t']) {
            let token = piece.trim_end_matches([',', ';', ' ', '\t']);
            if !token.is_empty() {
                match Aaguid::parse(token) {
                    Ok(a) => {
                        if !out.contains(&a) {
                            out.push(a);
                        }
                    }
                    Err(e) => errors.push(Located::new(
                        line_no + 1,
                        col + e.char_index.unwrap_or(0) + 1,
                        e.to_string(),
                    )),
                }
            }
            col += piece.chars().count();
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_lowercases_and_points_at_bad_characters() {
        let a = Aaguid::parse("90A3CCDF-635C-4729-A248-9B709135078F").unwrap();
        assert_eq!(a.as_str(), AUTHENTICATOR_IOS);
        let e = Aaguid::parse("90a3ccdf-635c-4729-a248-9b709135078g").unwrap_err();
        assert_eq!(e.char_index, Some(35));
        let e = Aaguid::parse("{90a3ccdf-635c-4729-a248-9b709135078f}").unwrap_err();
        assert_eq!(e.char_index, Some(0));
        assert_eq!(Aaguid::parse("").unwrap_err().char_index, None);
    }

    #[test]
    fn list_errors_carry_line_and_column() {
        let text = "90a3ccdf-635c-4729-a248-9b709135078f, de1e552d-db1d-4423-a619-566b625cdc84\n  x1e552d-db1d";
        let errs = parse_aaguid_list(text).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].column), (2, 3));
        let ok = parse_aaguid_list(
            "90A3CCDF-635C-4729-A248-9B709135078F\n90a3ccdf-635c-4729-a248-9b709135078f",
        )
        .unwrap();
        assert_eq!(ok.len(), 1);
    }
}
