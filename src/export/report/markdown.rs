//! The document as Markdown (CommonMark with GitHub's tables). Every text is escaped: a name
//! holding `*`, `|` or `<script>` reads as those characters, never as markup, and a line
//! break in a name cannot start a heading or end a table row.

use super::document::{Block, Document};
use super::svg::GridPicture;

/// Text as Markdown that shows exactly this text.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn table(out: &mut String, head: &[String], rows: &[Vec<String>]) {
    let line = |cells: &[String]| {
        format!(
            "| {} |\n",
            cells
                .iter()
                .map(|c| text(c))
                .collect::<Vec<_>>()
                .join(" | ")
        )
    };
    out.push_str(&line(head));
    out.push_str(&format!("|{}\n", "---|".repeat(head.len())));
    for r in rows {
        out.push_str(&line(r));
    }
    out.push('\n');
}

fn grid(out: &mut String, g: &GridPicture) {
    let mut head = vec!["Persona".to_string()];
    head.extend(g.columns.iter().cloned());
    let rows: Vec<Vec<String>> = g
        .rows
        .iter()
        .zip(&g.cells)
        .map(|(r, cells)| {
            let mut row = vec![r.clone()];
            row.extend(cells.iter().map(|c| match (&c.blocked_by, c.ready) {
                (_, true) => "Ready".to_string(),
                (Some(by), false) => format!("Blocked by {by}"),
                (None, false) => "Blocked".to_string(),
            }));
            row
        })
        .collect();
    table(out, &head, &rows);
}

/// A fence longer than any run of backticks in `body`.
fn fence(body: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat((longest + 1).max(3))
}

pub fn markdown(d: &Document) -> String {
    let mut out = format!("# {}\n\n", text(&d.title));
    for s in &d.sections {
        let hashes = "#".repeat(usize::from(s.level.clamp(2, 6)));
        out.push_str(&format!("{hashes} {}\n\n", text(&s.heading)));
        for b in &s.blocks {
            match b {
                Block::Paragraph(p) => out.push_str(&format!("{}\n\n", text(p))),
                Block::Facts(f) => {
                    for (term, words) in f {
                        out.push_str(&format!("- **{}**: {}\n", text(term), text(words)));
                    }
                    out.push('\n');
                }
                Block::List(l) => {
                    for item in l {
                        out.push_str(&format!("- {}\n", text(item)));
                    }
                    out.push('\n');
                }
                Block::Steps(l) => {
                    for (i, item) in l.iter().enumerate() {
                        out.push_str(&format!("{}. {}\n", i + 1, text(item)));
                    }
                    out.push('\n');
                }
                Block::Table { head, rows } => table(&mut out, head, rows),
                Block::Code(c) => {
                    let f = fence(c);
                    let body = c.strip_suffix('\n').unwrap_or(c);
                    out.push_str(&format!("{f}json\n{body}\n{f}\n\n"));
                }
                Block::Grid(g) => grid(&mut out, g),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_never_becomes_markup() {
        assert_eq!(text("a|b\n# c <x> *y*"), "a\\|b \\# c \\<x\\> \\*y\\*");
        assert_eq!(fence("no ticks"), "```");
        assert_eq!(fence("a ```` b"), "`````");
    }
}
