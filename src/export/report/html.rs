//! The document as one self-contained HTML page: inline CSS and inline SVG, no script, no
//! font, image or style from elsewhere, and a Content-Security-Policy that forbids loading any
//! (`default-src 'none'`), so opening the file makes no request. Every text is escaped, so a
//! hostile display name shows as text. Printing: the paper size is the printer's (A4 or
//! Letter), tables span the page width with wrapping cells, a table's head repeats on each
//! page, and no row, term list, code block or picture is split across pages.

use super::document::{Block, Document};
use super::svg::grid_svg;

/// Text (or an attribute value) as HTML that shows exactly this text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Forbids every fetch; only the inline stylesheet applies.
pub const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE: &str = "\
:root { color: #1b1b1b; background: #fff; }
body { font: 11pt/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; overflow-wrap: break-word; }
h1 { font-size: 1.6rem; border-bottom: 2px solid #1b1b1b; padding-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #888; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
table { width: 100%; border-collapse: collapse; table-layout: auto; margin: .6rem 0; }
th, td { border: 1px solid #999; padding: .25rem .4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eee; }
dl.facts { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: .2rem .8rem; margin: .4rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
pre { background: #f4f4f4; border: 1px solid #ccc; padding: .5rem; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 9pt; }
figure { margin: .6rem 0; }
svg.grid { display: block; width: 100%; height: auto; }
@page { margin: 16mm 14mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  h2, h3 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, dl.facts, pre, svg.grid, li { break-inside: avoid; }
  pre { font-size: 8pt; }
}
";

pub fn html(d: &Document) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
    ));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&d.title)));
    out.push_str(&format!("<style>\n{STYLE}</style>\n</head>\n<body>\n"));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&d.title)));
    for s in &d.sections {
        let level = s.level.clamp(2, 6);
        out.push_str(&format!(
            "<section>\n<h{level}>{}</h{level}>\n",
            escape(&s.heading)
        ));
        for b in &s.blocks {
            block(&mut out, b);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn block(out: &mut String, b: &Block) {
    match b {
        Block::Paragraph(p) => out.push_str(&format!("<p>{}</p>\n", escape(p))),
        Block::Facts(f) => {
            out.push_str("<dl class=\"facts\">\n");
            for (t, w) in f {
                out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(t), escape(w)));
            }
            out.push_str("</dl>\n");
        }
        Block::List(l) | Block::Steps(l) => {
            let tag = if matches!(b, Block::Steps(_)) {
                "ol"
            } else {
                "ul"
            };
            out.push_str(&format!("<{tag}>\n"));
            for item in l {
                out.push_str(&format!("<li>{}</li>\n", escape(item)));
            }
            out.push_str(&format!("</{tag}>\n"));
        }
        Block::Table { head, rows } => {
            out.push_str("<table>\n<thead><tr>");
            for h in head {
                out.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for r in rows {
                out.push_str("<tr>");
                for c in r {
                    out.push_str(&format!("<td>{}</td>", escape(c)));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody>\n</table>\n");
        }
        Block::Code(c) => out.push_str(&format!("<pre>{}</pre>\n", escape(c))),
        Block::Grid(g) => {
            out.push_str("<figure>\n");
            out.push_str(&grid_svg(g));
            out.push_str("\n<figcaption>Green: ready. Red: blocked, by the policy listed below.</figcaption>\n</figure>\n");
            let blocked: Vec<String> =
                g.rows
                    .iter()
                    .zip(&g.cells)
                    .flat_map(|(r, cells)| {
                        cells.iter().zip(&g.columns).filter(|(c, _)| !c.ready).map(
                            move |(c, col)| {
                                let by = c.blocked_by.as_deref().unwrap_or("(not named)");
                                let step = c
                                    .step
                                    .as_deref()
                                    .map(|s| format!(" at {s}"))
                                    .unwrap_or_default();
                                format!("{r}, {col}: blocked{step} by {by}")
                            },
                        )
                    })
                    .collect();
            if !blocked.is_empty() {
                block(out, &Block::List(blocked));
            }
        }
    }
}
