//! Splits a rule into runs for the editor's highlight layer: each run carries
//! the most severe diagnostic that covers it, so overlapping spans still show
//! the error rather than a warning on the same characters.

use crate::filter::{Diagnostic, Severity};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment<'a> {
    pub text: &'a str,
    pub severity: Option<Severity>,
}

pub fn highlight_segments<'a>(rule: &'a str, diagnostics: &[Diagnostic]) -> Vec<Segment<'a>> {
    let clamp = |mut i: usize| {
        i = i.min(rule.len());
        while !rule.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    // A zero-width span (an insertion point) is widened to the next char so it shows.
    let spans: Vec<(usize, usize, Severity)> = diagnostics
        .iter()
        .map(|d| {
            let start = clamp(d.span.start);
            let mut end = clamp(d.span.end.max(start));
            if end == start {
                end = rule[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8());
            }
            (start, end, d.severity)
        })
        .filter(|(s, e, _)| s < e)
        .collect();
    let mut cuts: Vec<usize> = vec![0, rule.len()];
    for (s, e, _) in &spans {
        cuts.push(*s);
        cuts.push(*e);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Segment<'a>> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        // Severity's order is Error < Warning < Info, so min() is the most severe.
        let severity = spans
            .iter()
            .filter(|(s, e, _)| *s <= a && b <= *e)
            .map(|(_, _, sev)| *sev)
            .min();
        match out.last_mut() {
            Some(last) if last.severity == severity => {
                let start = last.text.as_ptr() as usize - rule.as_ptr() as usize;
                last.text = &rule[start..b];
            }
            _ => out.push(Segment {
                text: &rule[a..b],
                severity,
            }),
        }
    }
    out
}
