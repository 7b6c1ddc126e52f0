//! Everything `ca-policy` prints goes through here, so no character from a file, a rule or an
//! argument reaches the terminal as a command (ESC starts one, C1 controls are others) or
//! reorders what it shows (bidi overrides make `exclude` read as something else).
//!
//! - Text for humans (every message on stderr, lint findings, diagnostics, the effect of a
//!   PATCH): each such character is written as an escape (`\u{1b}`, `\r`) by the filter's
//!   `escape_for_display`, line by line, so the line breaks that lay the text out stay.
//! - JSON: serde_json escapes C0 controls already; the others are written as `\u202e`, which
//!   is valid JSON for the same string, so the data is unchanged.
//! - Scripts: the bytes `export::powershell::script_file_bytes` decides (scripts are ASCII).
//! - A formatted rule is data with no escape syntax: exact when redirected, escaped on a
//!   terminal, where it is only read.
//!
//! A closed pipe (`| head`) is not an error: output stops quietly.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};

use crate::export::powershell::script_file_bytes;
use crate::filter::display::{escape_for_display, needs_escape};

/// `s` with every character a terminal would act on written as an escape; line feeds stay.
pub(crate) fn escape_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && needs_escape(c)) {
        return Cow::Borrowed(s);
    }
    let lines: Vec<Cow<str>> = s.split('\n').map(escape_for_display).collect();
    Cow::Owned(lines.join("\n"))
}

/// JSON text with every such character as `\uXXXX` (two for one outside the BMP). Outside
/// its strings JSON text is ASCII, so each stands inside a string and the value is the same;
/// the line feeds left are the layout's (serde_json escapes those inside strings).
pub(crate) fn escape_json(s: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c != '\n' && needs_escape(c);
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if unsafe_char(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Prints human text on stdout. Returns the exit code of the write (0, or 1 if it failed).
pub(crate) fn text(s: &str) -> i32 {
    bytes(escape_text(s).as_bytes())
}

/// Prints JSON text (or a request: `#` comment lines, request line, JSON body) on stdout.
pub(crate) fn json(s: &str) -> i32 {
    bytes(escape_json(s).as_bytes())
}

/// Prints a PowerShell script on stdout.
pub(crate) fn script(s: &str) -> i32 {
    bytes(&script_file_bytes(s))
}

/// Prints a rule: exact when stdout is redirected, escaped on a terminal.
pub(crate) fn rule(s: &str) -> i32 {
    if std::io::stdout().is_terminal() {
        text(s)
    } else {
        bytes(s.as_bytes())
    }
}

/// Writes a line on stderr, escaped.
pub(crate) fn err_line(s: &str) {
    let mut e = std::io::stderr().lock();
    let _ = e
        .write_all(escape_text(s).as_bytes())
        .and_then(|_| e.write_all(b"\n"));
}

/// `error: MSG` on stderr; returns `code`, the exit code the caller gives.
pub(crate) fn error(msg: &str, code: i32) -> i32 {
    err_line(&format!("error: {msg}"));
    code
}

fn bytes(b: &[u8]) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(b).and_then(|_| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => error(&format!("cannot write output: {e}"), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_and_bidi_are_escaped_in_text_and_line_feeds_stay() {
        let s = "a\u{1b}[2Jb\0c\rd\u{7f}e\u{85}f\u{9b}g\u{202e}h\u{2066}i\u{200f}j\u{2028}k\nnext";
        let shown = escape_text(s);
        assert!(
            !shown.chars().any(|c| c != '\n' && needs_escape(c)),
            "{shown}"
        );
        assert_eq!(shown.lines().count(), 2);
        assert!(
            shown.contains("a\\u{1b}[2Jb") && shown.contains("g\\u{202e}h"),
            "{shown}"
        );
        assert!(matches!(escape_text("x\ny’é🔐"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_escapes_keep_the_value() {
        let v = serde_json::json!({"name": "a\u{202e}b\u{85}c\u{1b}d\u{2069}é\u{e0041}"});
        let text = serde_json::to_string_pretty(&v).unwrap();
        let escaped = escape_json(&text);
        assert!(
            !escaped.chars().any(|c| c != '\n' && needs_escape(c)),
            "{escaped}"
        );
        assert!(
            escaped.contains("a\\u202eb\\u0085c\\u001bd\\u2069é\\udb40\\udc41"),
            "{escaped}"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&escaped).unwrap(),
            v
        );
    }
}
