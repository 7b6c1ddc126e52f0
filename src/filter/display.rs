//! Showing rule text to a person: characters that act instead of being seen
//! are written as escapes, and text quoted in a message is cut short.
//!
//! A pasted rule can hold ESC (which starts terminal escape sequences), NUL,
//! bidi controls (which reorder how the rest of a line is shown) and
//! invisible format characters. `render`, every message that quotes the rule
//! and the CLI's other output go through `escape_for_display`, so none of
//! them reaches a terminal or the page raw. Backslashes are not escaped, so
//! escaping twice changes nothing.

use std::borrow::Cow;

/// At most this many characters of rule text are quoted in a message.
pub const MAX_EXCERPT_CHARS: usize = 40;

/// Whether `c` must be shown as an escape rather than raw: the C0 and C1
/// controls and DEL, the line and paragraph separators, and the format
/// characters that hide or reorder text (bidi controls U+202A–U+202E and
/// U+2066–U+2069, marks such as U+200E and U+061C, zero-width characters,
/// the soft hyphen, the BOM, interlinear annotations, tag characters).
#[inline]
pub fn needs_escape(c: char) -> bool {
    // Below U+00AD only the controls (C0, DEL, C1): render asks for every char it shows.
    if c < '\u{AD}' {
        return c.is_control();
    }
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// `s` with every character for which `needs_escape` holds written as an
/// escape (`\t`, `\n`, `\r`, `\0`, otherwise `\u{1b}`): safe to print on a
/// terminal or put in the page. Line breaks are escaped too, so apply it to
/// one value or one line at a time.
pub fn escape_for_display(s: &str) -> Cow<'_, str> {
    // Nearly all text is printable ASCII: answered without copying.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Cow::Borrowed(s);
    }
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_shown(&mut out, c);
    }
    Cow::Owned(out)
}

/// Appends `c` as it is shown (itself, or its escape) and returns how many
/// columns that takes, counting one per char as `line_col` does.
pub(crate) fn push_shown(out: &mut String, c: char) -> usize {
    if !needs_escape(c) {
        out.push(c);
        return 1;
    }
    let before = out.len();
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\0' => out.push_str("\\0"),
        c => {
            // By hand: the web bundle has no other use for `{:x}`.
            let v = c as u32;
            out.push_str("\\u{");
            let digits = (32 - (v | 1).leading_zeros()).div_ceil(4);
            for k in (0..digits).rev() {
                out.extend(char::from_digit((v >> (4 * k)) & 0xf, 16));
            }
            out.push('}');
        }
    }
    // Escapes are ASCII: one column per byte.
    out.len() - before
}

/// The columns `c` takes once shown (see `push_shown`).
pub(crate) fn shown_width(c: char) -> usize {
    if !needs_escape(c) {
        return 1;
    }
    match c {
        '\t' | '\n' | '\r' | '\0' => 2,
        // `\u{` + hex digits + `}`
        c => 4 + (32 - (c as u32 | 1).leading_zeros()).div_ceil(4) as usize,
    }
}

/// Rule text to quote in a message: escaped, and cut to
/// `MAX_EXCERPT_CHARS` characters with `…` when longer, so a message stays
/// short whatever was pasted.
pub fn excerpt(s: &str) -> Cow<'_, str> {
    // Byte length bounds char count: short text needs no counting.
    let long = s.len() > MAX_EXCERPT_CHARS && s.chars().nth(MAX_EXCERPT_CHARS).is_some();
    match s.char_indices().nth(MAX_EXCERPT_CHARS - 1) {
        Some((at, _)) if long => Cow::Owned(escape_for_display(&s[..at]).into_owned() + "…"),
        _ => escape_for_display(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_and_plain_text_is_not() {
        assert!(matches!(
            escape_for_display("device.trustType -eq \"AzureAD\""),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            escape_for_display("ünïcødé “x”"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            escape_for_display("a\u{1b}[31mb\0c\td\n\u{202e}e\u{2066}\u{feff}\u{7f}\u{9b}"),
            "a\\u{1b}[31mb\\0c\\td\\n\\u{202e}e\\u{2066}\\u{feff}\\u{7f}\\u{9b}"
        );
        // Escaping is idempotent: a message escaped once can be escaped again by render.
        let once = escape_for_display("x\u{1b}\u{202e}\\u{1b}").into_owned();
        assert_eq!(escape_for_display(&once), once);
    }

    #[test]
    fn shown_width_is_the_width_of_what_is_pushed() {
        for c in [
            'a',
            'é',
            '“',
            '\t',
            '\0',
            '\u{1}',
            '\u{1b}',
            '\u{7f}',
            '\u{9b}',
            '\u{202e}',
            '\u{feff}',
            '\u{e0041}',
        ] {
            let mut s = String::new();
            let w = push_shown(&mut s, c);
            assert_eq!(w, shown_width(c), "{c:?}");
            assert_eq!(w, s.chars().count(), "{c:?} → {s}");
        }
    }

    #[test]
    fn excerpts_are_escaped_and_cut() {
        assert_eq!(excerpt("trustTyp"), "trustTyp");
        let long = "x".repeat(10_000);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), MAX_EXCERPT_CHARS);
        assert!(e.ends_with('…'));
        assert_eq!(
            excerpt(&"é".repeat(MAX_EXCERPT_CHARS)),
            "é".repeat(MAX_EXCERPT_CHARS)
        );
        assert_eq!(excerpt("a\u{202e}b"), "a\\u{202e}b");
    }
}
