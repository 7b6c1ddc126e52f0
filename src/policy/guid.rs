//! GUIDs (directory object ids, policy ids, AAGUIDs): the one check for the 36-character
//! `8-4-4-4-12` form, in either letter case. Braces, spaces and the 32-digit form are refused
//! rather than repaired: these values are pasted, and a repaired typo names something else.

/// Where and why `s` is not a GUID: the index (in chars) of the first wrong character, or
/// `None` when it is too short; `None` overall when `s` is a GUID. `what` names the kind of
/// value in the too-short message ("a GUID", "an AAGUID").
pub fn guid_problem(s: &str, what: &str) -> Option<(Option<usize>, String)> {
    for (i, c) in s.chars().enumerate() {
        if i >= 36 {
            return Some((Some(i), "it is longer than 36 characters".into()));
        }
        let hyphen_here = matches!(i, 8 | 13 | 18 | 23);
        if hyphen_here && c != '-' {
            return Some((Some(i), format!("expected '-', found {c:?}")));
        }
        if !hyphen_here && !c.is_ascii_hexdigit() {
            return Some((Some(i), format!("expected a hexadecimal digit, found {c:?}")));
        }
    }
    let len = s.chars().count();
    (len < 36).then(|| (None, format!("it has {len} characters, {what} has 36")))
}

/// `8-4-4-4-12` hex digits.
pub fn is_guid(s: &str) -> bool {
    guid_problem(s, "a GUID").is_none()
}
