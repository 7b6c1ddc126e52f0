//! The entry points input reaches, each driven as the page and `ca-policy` drive it, with what
//! must hold whatever the input: no panic, output at most linear in the input, no raw control
//! character in a message. Shared by tests/native/hostile_inputs.rs (generated inputs, every test run)
//! and the fuzz targets in fuzz/ (which include this file by path), so both hold the same rules.
//! A broken rule panics with what broke; the caller adds which input it was.

use ca_builder::app::draft::{Action, Draft};
use ca_builder::export::{render, Format, Operation};
use ca_builder::filter::{self, Mode, MAX_RULE_CHARS};
use ca_builder::guid::{Guid, GuidKind};
use ca_builder::policy::import_bytes;

/// Output allowances: bytes out per byte in, plus a constant for short inputs. Generous on
/// purpose: the failures they catch were thousands of times larger (a 3 KB rule printed 14 MB).
pub const RENDER_PER_BYTE: usize = 64;
pub const STORED_PER_BYTE: usize = 256;
pub const EXPORT_PER_BYTE: usize = 32;
pub const SLACK: usize = 64 * 1024;
/// "A rule far beyond the 3,072-character service limit must cost bounded work": past this
/// length, what a check keeps and prints must stop growing.
pub const USEFUL_RULE_BYTES: usize = 16 * MAX_RULE_CHARS;

/// A character that must never reach a terminal raw: C0/C1 controls and DEL (ESC starts
/// terminal escape sequences), and the bidi controls that reorder what is shown.
pub fn is_raw_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The start of `s`, quoted and escaped, for a failure message.
pub fn shown(s: &str) -> String {
    let cut: String = s.chars().take(200).collect();
    let more = if cut.len() < s.len() { "…" } else { "" };
    format!("{cut:?}{more}")
}

/// An error message or printed text holds no raw control character (line breaks allowed
/// between lines of printed output, never inside a message).
pub fn assert_clean(what: &str, text: &str, newlines_allowed: bool) {
    if let Some(c) = text
        .chars()
        .find(|&c| is_raw_control(c) && !(newlines_allowed && c == '\n'))
    {
        panic!("{what} holds the raw character {c:?}: {}", shown(text));
    }
}

pub fn assert_linear(what: &str, out: usize, input: usize, per_byte: usize) {
    assert!(
        out <= per_byte * input + SLACK,
        "{what} is {out} bytes for {input} bytes of input (allowed {per_byte}× + {SLACK})"
    );
}

/// Checks `rule` as the editor does on every keystroke (and `ca-policy filter check|fmt`),
/// renders the diagnostics as the CLI prints them, formats it, and applies its first fixes.
pub fn filter(rule: &str, mode: Option<Mode>) {
    let n = rule.len();
    let bounded = n.min(USEFUL_RULE_BYTES);
    let checked = filter::check(rule, mode);
    let mut stored = 0;
    for d in &checked.diagnostics {
        stored += std::mem::size_of_val(d) + d.message.len();
        assert_clean(&format!("the message of {}", d.code), &d.message, false);
        for span in std::iter::once(d.span).chain(d.fix.as_ref().map(|f| f.span)) {
            assert!(
                span.start <= span.end
                    && span.end <= n
                    && rule.is_char_boundary(span.start)
                    && rule.is_char_boundary(span.end),
                "{} has span {span:?}, not a range of the {n}-byte rule",
                d.code
            );
        }
        if let Some(fix) = &d.fix {
            stored += fix.replacement.len() + fix.label.len();
            assert_clean("a fix's label", &fix.label, false);
        }
    }
    assert_linear("what check keeps", stored, bounded, STORED_PER_BYTE);
    if rule.chars().nth(MAX_RULE_CHARS).is_some() {
        assert!(
            checked
                .diagnostics
                .iter()
                .any(|d| d.code == "rule-too-long"),
            "a rule of {} characters is not reported as too long",
            rule.chars().count()
        );
    }

    let printed = filter::render(rule, &checked.diagnostics);
    assert_linear(
        "the rendered diagnostics",
        printed.len(),
        bounded,
        RENDER_PER_BYTE,
    );
    assert_clean("the rendered diagnostics", &printed, true);

    for fix in checked
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .take(8)
    {
        let fixed = filter::apply_fix(rule, fix);
        assert!(
            fixed.len() <= n + fix.replacement.len(),
            "a fix grew the rule"
        );
    }

    match filter::format(rule) {
        Ok(canonical) => assert_linear("the canonical form", canonical.len(), n, 8),
        Err(errors) => {
            assert!(!errors.is_empty(), "format failed without an error");
            assert_linear("format's errors", errors.len(), bounded, 1);
        }
    }
}

/// Imports `bytes` as `ca-policy import` and the page do, then exports every imported policy
/// in each of `formats`, as a create and as an update. The JSON creates are returned, so a
/// caller can check what an import→export round trip gives back; an import error is `Err`,
/// as `ca-policy import` prints it (`LINE:COLUMN: message`).
pub fn import_and_export(bytes: &[u8], formats: &[Format]) -> Result<Vec<String>, String> {
    let n = bytes.len();
    let policies = match import_bytes(bytes) {
        Ok(p) => p,
        Err(e) => {
            assert_clean("the import error", &e.message, false);
            assert!(
                e.line >= 1 && e.column >= 1,
                "error at {}:{}",
                e.line,
                e.column
            );
            assert!(
                e.line <= bytes.iter().filter(|&&b| b == b'\n').count() + 1,
                "error on line {} of a shorter file",
                e.line
            );
            assert_linear("the import error", e.message.len(), n, 4);
            return Err(e.to_string());
        }
    };
    let update = Operation::Update {
        policy_id: Guid::parse("0e1d2c3b-4a59-6877-8695-a4b3c2d1e0f0", GuidKind::Policy)
            .expect("a GUID"),
    };
    let mut json_creates = vec![];
    for policy in &policies {
        let body = policy.to_post_body();
        for &format in formats {
            for op in [&Operation::Create, &update] {
                match render(format, op, std::slice::from_ref(&body)) {
                    Ok(out) => {
                        let what = format!("the {} export", format.name());
                        assert_linear(&what, out.len(), n, EXPORT_PER_BYTE);
                        if format == Format::Json && op == &Operation::Create {
                            json_creates.push(out);
                        }
                    }
                    Err(e) => assert_clean("the export error", &e.to_string(), false),
                }
            }
        }
    }
    // One script that creates them all, as `ca-policy export` writes for a file of several.
    let bodies: Vec<_> = policies.iter().map(|p| p.to_post_body()).collect();
    for &format in formats {
        if let Ok(out) = render(format, &Operation::Create, &bodies) {
            assert_linear("the export of every policy", out.len(), n, EXPORT_PER_BYTE);
        }
    }
    Ok(json_creates)
}

/// Opens `text` as a saved draft or share link; then exports every step, removes steps and
/// selects past the end, checking after each that the draft still has an open step.
pub fn draft(text: &str) {
    let opened = match Draft::from_json(text) {
        Ok(o) => o,
        Err(e) => {
            let message = e.to_string();
            assert_clean("the draft error", &message, false);
            assert_linear("the draft error", message.len(), text.len(), 4);
            return;
        }
    };
    for r in &opened.repairs {
        assert_clean("a repair note", r, false);
    }
    let mut draft = opened.draft;
    let invariant = |d: &Draft, after: &str| {
        assert!(
            !d.steps.is_empty() && d.current < d.steps.len(),
            "after {after}, current {} of {} steps",
            d.current,
            d.steps.len()
        );
        let _ = d.step();
    };
    invariant(&draft, "opening");
    for i in 0..draft.steps.len() {
        for format in Format::ALL {
            if let Err(e) = draft.export(i, format) {
                assert_clean("an export error", &e.to_string(), false);
            }
        }
    }
    for i in (0..draft.steps.len() + 2).rev() {
        draft.apply(Action::Remove(i));
        invariant(&draft, &format!("removing step {i}"));
    }
    draft.apply(Action::Select(usize::MAX));
    invariant(&draft, "selecting past the end");
    draft.apply(Action::SetDisplayName("x".into()));
    invariant(&draft, "an edit");
}
