//! AAGUIDs: the 128-bit ids that name a passkey provider (authenticator model). Entra's key
//! restrictions and authentication-strength combination configurations list them as
//! lowercase hyphenated GUID strings
//! (<https://learn.microsoft.com/entra/identity/authentication/how-to-enable-passkey-fido2>).

use crate::guid::{Guid, GuidKind};
use crate::located::Located;

/// Microsoft Authenticator for Android.
pub const AUTHENTICATOR_ANDROID: &str = "de1e552d-db1d-4423-a619-566b625cdc84";
/// Microsoft Authenticator for iOS.
pub const AUTHENTICATOR_IOS: &str = "90a3ccdf-635c-4729-a248-9b709135078f";

/// The two Microsoft Authenticator AAGUIDs, iOS first (the order of the reference's examples).
pub fn authenticator() -> [Guid; 2] {
    [AUTHENTICATOR_IOS, AUTHENTICATOR_ANDROID]
        .map(|s| Guid::parse(s, GuidKind::Aaguid).expect("the constants are AAGUIDs"))
}

/// Which well-known provider an AAGUID names, for previews.
pub fn known_name(aaguid: &Guid) -> Option<&'static str> {
    match aaguid.as_str() {
        AUTHENTICATOR_IOS => Some("Microsoft Authenticator (iOS)"),
        AUTHENTICATOR_ANDROID => Some("Microsoft Authenticator (Android)"),
        _ => None,
    }
}

/// Parses AAGUIDs typed one per line or separated by commas, spaces or semicolons (as pasted
/// from a vendor page or a spreadsheet). Every bad entry is reported with its line and column;
/// duplicates (in any letter case) are kept once, first occurrence first.
pub fn parse_aaguid_list(text: &str) -> Result<Vec<Guid>, Vec<Located>> {
    let mut out: Vec<Guid> = Vec::new();
    let mut errors = Vec::new();
    for (line_no, line) in text.lines().enumerate() {
        let mut col = 0; // characters consumed so far on this line
        for piece in line.split_inclusive([',', ';', ' ', '\t']) {
            let token = piece.trim_end_matches([',', ';', ' ', '\t']);
            if !token.is_empty() {
                match Guid::parse(token, GuidKind::Aaguid) {
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
        let parse = |s| Guid::parse(s, GuidKind::Aaguid);
        let a = parse("90A3CCDF-635C-4729-A248-9B709135078F").unwrap();
        assert_eq!(a.as_str(), AUTHENTICATOR_IOS);
        let e = parse("90a3ccdf-635c-4729-a248-9b709135078g").unwrap_err();
        assert_eq!(e.char_index, Some(35));
        let e = parse("{90a3ccdf-635c-4729-a248-9b709135078f}").unwrap_err();
        assert_eq!(e.char_index, Some(0));
        assert_eq!(parse("").unwrap_err().char_index, None);
        assert_eq!(known_name(&a), Some("Microsoft Authenticator (iOS)"));
        // The refusal's example (written in `guid`, which cannot name this module) is this one.
        assert!(e.to_string().contains(AUTHENTICATOR_IOS), "{e}");
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
