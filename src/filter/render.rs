//! `render`: diagnostics in rustc's caret style, for a terminal.
//!
//! Each diagnostic shows its line, or a window of it around the span when the
//! line is long, with the characters `display::needs_escape` names escaped,
//! so what is printed per diagnostic is bounded whatever the rule holds, and
//! the carets stay under what they point at.

use std::fmt::Write as _;

use super::diagnostics::{floor_char_boundary, Diagnostic};
use super::display::{escape_for_display, push_shown, shown_width};

/// A line of at most this many columns is shown whole; a longer one as a
/// window of this many columns around the span, cut lines marked with `…`.
pub const RENDER_WIDTH: usize = 120;
/// Columns of a window shown before the start of the span.
pub const RENDER_CONTEXT: usize = 40;

/// Renders diagnostics like rustc:
///
/// ```text
/// error[unknown-property]: `deviceTrustType` is a dynamic-group rule property …
///  --> 1:8
///   |
/// 1 | device.deviceTrustType -eq "ServerAD"
///   |        ^^^^^^^^^^^^^^^ help: use `trustType`
/// ```
pub fn render(rule: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    // Diagnostics come sorted by position: the line and column of each are
    // found by walking on from the previous one, not from the start.
    let mut at = Cursor::default();
    for d in diagnostics {
        let start = floor_char_boundary(rule, d.span.start);
        if start < at.byte {
            at = Cursor::default();
        }
        at.advance(rule, start);
        render_one(&mut out, rule, d, &at);
    }
    out
}

/// A byte offset with its 1-based line, the start of that line, and its
/// 0-based column in chars.
#[derive(Default)]
struct Cursor {
    byte: usize,
    line_index: usize,
    line_start: usize,
    column: usize,
}

impl Cursor {
    fn advance(&mut self, rule: &str, to: usize) {
        for (i, c) in rule[self.byte..to].char_indices() {
            if c == '\n' {
                self.line_index += 1;
                self.line_start = self.byte + i + 1;
                self.column = 0;
            } else {
                self.column += 1;
            }
        }
        self.byte = to;
    }
}

/// The part of a line shown: `start..end`, and whether text was cut off before and after it.
struct Window {
    start: usize,
    end: usize,
    before: bool,
    after: bool,
}

/// The window of the line starting at `line_start` to show for a span starting at `at`.
fn window(rule: &str, line_start: usize, at: usize) -> Window {
    let line = &rule[line_start..];
    // The whole line, if it fits.
    let mut width = 0;
    let mut fits_to = None;
    for (i, c) in line.char_indices() {
        if c == '\n' {
            fits_to = Some(line_start + i);
            break;
        }
        width += shown_width(c);
        if width > RENDER_WIDTH {
            break;
        }
    }
    if width <= RENDER_WIDTH {
        let end = fits_to.unwrap_or(rule.len());
        return Window {
            start: line_start,
            end,
            before: false,
            after: false,
        };
    }
    // Context before the span, walking back from it.
    let mut start = at;
    let mut width = 0;
    for (i, c) in rule[line_start..at].char_indices().rev() {
        width += shown_width(c);
        if width > RENDER_CONTEXT {
            break;
        }
        start = line_start + i;
    }
    let before = start > line_start;
    // Then forward to the width, keeping a column for each `…`.
    let budget = RENDER_WIDTH - 1 - usize::from(before);
    let mut end = start;
    let mut width = 0;
    let mut after = false;
    for (i, c) in rule[start..].char_indices() {
        if c == '\n' {
            break;
        }
        width += shown_width(c);
        if width > budget {
            after = true;
            break;
        }
        end = start + i + c.len_utf8();
    }
    Window {
        start,
        end,
        before,
        after,
    }
}

/// Appends `text` as shown and returns the columns it takes.
fn push_text(out: &mut String, text: &str) -> usize {
    // Printable ASCII, nearly every rule, is shown as it is.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        out.push_str(text);
        return text.len();
    }
    text.chars().map(|c| push_shown(out, c)).sum()
}

fn render_one(out: &mut String, rule: &str, d: &Diagnostic, at: &Cursor) {
    let line = at.line_index + 1;
    let col = at.column + 1;
    let gutter = line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(
        out,
        "{}[{}]: {}",
        d.severity.as_str(),
        d.code,
        escape_for_display(&d.message)
    );
    let _ = writeln!(out, "{pad}--> {line}:{col}");
    let _ = writeln!(out, "{pad} |");
    let w = window(rule, at.line_start, at.byte);
    // The span's end on this line (and in the window), never before its start.
    let end = floor_char_boundary(rule, d.span.end.clamp(at.byte, w.end.max(at.byte)));
    let _ = write!(out, "{line} | ");
    let mut caret_col = 0;
    if w.before {
        out.push('…');
        caret_col += 1;
    }
    caret_col += push_text(out, &rule[w.start..at.byte]);
    let caret_width = push_text(out, &rule[at.byte..end]);
    push_text(out, &rule[end..w.end]);
    if w.after {
        out.push('…');
    }
    out.push('\n');
    let _ = write!(
        out,
        "{pad} | {}{}",
        " ".repeat(caret_col),
        "^".repeat(caret_width.max(1))
    );
    if let Some(fix) = &d.fix {
        let _ = write!(out, " help: {}", escape_for_display(&fix.label));
    }
    out.push_str("\n\n");
}
