//! GUIDs (directory object ids, policy ids, AAGUIDs, device ids in filter rules): the one
//! check for the 36-character `8-4-4-4-12` form, in either letter case. Braces, spaces and the
//! 32-digit form are refused rather than repaired: these values are pasted, and a repaired typo
//! names something else.

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
            return Some((
                Some(i),
                format!("expected a hexadecimal digit, found {c:?}"),
            ));
        }
    }
    let len = s.chars().count();
    (len < 36).then(|| (None, format!("it has {len} characters, {what} has 36")))
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
        }
        assert!(is_guid(good));
    }
}
