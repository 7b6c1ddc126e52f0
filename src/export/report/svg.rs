//! The bootstrap proof's persona × device grid as an SVG picture, so it prints with the
//! document (no script, no font or image from elsewhere). The grid arrives as plain data: the
//! proof lives beside this module in the core's layer 4 and is run by the application layer,
//! which hands over rows, columns and each cell's verdict.

use super::html::escape;

/// One cell: ready, or blocked by a policy (named as the admin knows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridCell {
    pub ready: bool,
    /// The policy (or method setting) that blocks the journey, with its id.
    pub blocked_by: Option<String>,
    /// The step that failed, in words.
    pub step: Option<String>,
}

/// Personas (rows) × devices (columns).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GridPicture {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub cells: Vec<Vec<GridCell>>,
    /// What the proof assumed.
    pub notes: Vec<String>,
}

const LABEL_WIDTH: usize = 230;
const CELL_WIDTH: usize = 112;
const HEAD_HEIGHT: usize = 56;
const ROW_HEIGHT: usize = 30;

/// The first `n` characters, with an ellipsis when cut (the full text is in the `<title>`).
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('\u{2026}');
        t
    }
}

/// The picture as an `<svg>` element; every text escaped.
pub fn grid_svg(g: &GridPicture) -> String {
    let width = LABEL_WIDTH + CELL_WIDTH * g.columns.len();
    let height = HEAD_HEIGHT + ROW_HEIGHT * g.rows.len();
    let ready = g.cells.iter().flatten().filter(|c| c.ready).count();
    let total = g.cells.iter().map(Vec::len).sum::<usize>();
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"grid\" viewBox=\"0 0 {width} {height}\" \
         role=\"img\" aria-label=\"Bootstrap proof: {ready} of {total} persona and device cells ready\" \
         font-family=\"system-ui, sans-serif\" font-size=\"11\">\n"
    );
    for (j, col) in g.columns.iter().enumerate() {
        let x = LABEL_WIDTH + CELL_WIDTH * j + CELL_WIDTH / 2;
        let (first, second) = split_words(col, 18);
        s.push_str(&format!(
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\"><title>{}</title>{}</text>\n",
            HEAD_HEIGHT / 2 - 4,
            escape(col),
            escape(&first)
        ));
        if !second.is_empty() {
            s.push_str(&format!(
                "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>\n",
                HEAD_HEIGHT / 2 + 10,
                escape(&cut(&second, 18))
            ));
        }
    }
    for (i, row) in g.rows.iter().enumerate() {
        let y = HEAD_HEIGHT + ROW_HEIGHT * i;
        s.push_str(&format!(
            "<text x=\"4\" y=\"{}\"><title>{}</title>{}</text>\n",
            y + ROW_HEIGHT / 2 + 4,
            escape(row),
            escape(&cut(row, 36))
        ));
        for (j, cell) in g.cells.get(i).into_iter().flatten().enumerate() {
            let x = LABEL_WIDTH + CELL_WIDTH * j;
            let (fill, stroke, word) = if cell.ready {
                ("#d7f0dd", "#1e6b34", "Ready")
            } else {
                ("#f9d9dc", "#8f1d2a", "Blocked")
            };
            let why = match (&cell.step, &cell.blocked_by) {
                (Some(step), Some(by)) => format!("{word}: {step}, by {by}"),
                (None, Some(by)) => format!("{word} by {by}"),
                (Some(step), None) => format!("{word}: {step}"),
                (None, None) => word.to_string(),
            };
            s.push_str(&format!(
                "<g><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\"/>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{stroke}\">{word}</text></g>\n",
                escape(&format!("{row}, {}: {why}", g.columns.get(j).map_or("", String::as_str))),
                x + 3,
                y + 3,
                CELL_WIDTH - 6,
                ROW_HEIGHT - 6,
                x + CELL_WIDTH / 2,
                y + ROW_HEIGHT / 2 + 4
            ));
        }
    }
    s.push_str("</svg>");
    s
}

/// A heading split in two lines at a space near `n` characters.
fn split_words(s: &str, n: usize) -> (String, String) {
    if s.chars().count() <= n {
        return (s.to_string(), String::new());
    }
    let mut first = String::new();
    let mut words = s.split(' ');
    for w in words.by_ref() {
        if !first.is_empty() && first.chars().count() + 1 + w.chars().count() > n {
            let rest: Vec<&str> = std::iter::once(w).chain(words).collect();
            return (first, rest.join(" "));
        }
        if !first.is_empty() {
            first.push(' ');
        }
        first.push_str(w);
    }
    (cut(&first, n), String::new())
}
