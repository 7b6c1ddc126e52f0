//! The device-filter language under hostile input: generated rules of every
//! class that once crashed or flooded it (deep `-not` chains, deep
//! parentheses, long lists, thousands of `)` or quotes, random bytes with
//! control and bidi characters, rules of 3 KB, 64 KB and 1 MB) are checked,
//! rendered, formatted and evaluated on a thread with a 256 KB stack, far
//! below a browser's, and what comes out is bounded.
//!
//! The inputs come from `support::hostile`, the generator `hostile_inputs` uses too; the seed
//! is fixed so a failure reproduces, and `HOSTILE_SEED=N` explores others.

use ca_builder::filter::display::needs_escape;
use ca_builder::filter::{
    check, evaluate, format, render, Device, Diagnostic, Mode, Severity, Value, MAX_CHECKED_BYTES,
    MAX_DEPTH, MAX_DIAGNOSTICS, MAX_RULE_CHARS,
};

use crate::support::hostile::{
    random_text, repeat_to, Rng, COMPARISONS, CONTROLS, FLOOD, NON_ASCII, SIZES,
};
use crate::support::small_stack;

/// Every case runs on a thread with this stack (a browser's is about 1 MB).
const STACK: usize = 256 * 1024;

/// Printed bytes per byte checked, plus a constant: generous, since what
/// they catch was thousands of times larger (3 KB of `)` printed 14 MB).
const RENDER_PER_BYTE: usize = 16;
const RENDER_SLACK: usize = 16 * 1024;
/// Bytes printed per diagnostic: its message, one window of its line and the carets.
const RENDER_PER_DIAGNOSTIC: usize = 2 * 1024;

fn raw_char(text: &str, newlines: bool) -> Option<char> {
    text.chars()
        .find(|&c| needs_escape(c) && !(newlines && c == '\n'))
}

/// What every case checks, whatever the rule: bounded diagnostics with
/// spans inside the rule, short escaped messages, fixes that replace a span
/// with a short text, bounded rendered output, and format and evaluate answer.
/// Returns the diagnostics (of a check without mode) for case-specific checks.
fn exercise(case: &str, rule: String) -> Vec<Diagnostic> {
    let case = case.to_string();
    small_stack::run(&case.clone(), STACK, move || {
        let n = rule.len();
        let mut plain = Vec::new();
        for mode in [None, Some(Mode::Include), Some(Mode::Exclude)] {
            let c = check(&rule, mode);
            let ds = &c.diagnostics;
            assert!(
                ds.len() <= MAX_DIAGNOSTICS + 1,
                "{case}: {} diagnostics",
                ds.len()
            );
            assert_eq!(
                c.ast.is_some(),
                c.is_valid(),
                "{case}: a tree exactly when valid"
            );
            assert!(
                ds.windows(2).all(|w| w[0].span.start <= w[1].span.start),
                "{case}: diagnostics out of order"
            );
            // Whatever else is left out, the reason checking stopped is listed.
            if rule.chars().nth(MAX_RULE_CHARS).is_some() {
                assert!(has(ds, "rule-too-long"), "{case}: not reported too long");
            }
            let mut replaced = 0;
            for d in ds {
                for s in std::iter::once(d.span).chain(d.fix.as_ref().map(|f| f.span)) {
                    assert!(
                        s.start <= s.end
                            && s.end <= n
                            && rule.is_char_boundary(s.start)
                            && rule.is_char_boundary(s.end),
                        "{case}: {} has span {s:?} in a {n}-byte rule",
                        d.code
                    );
                }
                assert!(
                    d.message.len() <= 600,
                    "{case}: {} message of {} bytes",
                    d.code,
                    d.message.len()
                );
                if let Some(c) = raw_char(&d.message, false) {
                    panic!("{case}: {} message holds raw {c:?}", d.code);
                }
                if let Some(f) = &d.fix {
                    // A fix rewrites its span, never the whole rule.
                    assert!(
                        f.replacement.len() <= 2 * f.span.len() + 16,
                        "{case}: {} fix of {} bytes for a {}-byte span",
                        d.code,
                        f.replacement.len(),
                        f.span.len()
                    );
                    replaced += f.replacement.len();
                    assert!(raw_char(&f.label, false).is_none(), "{case}: raw label");
                }
            }
            assert!(
                replaced <= 2 * n + 1024,
                "{case}: fixes hold {replaced} bytes"
            );
            let out = render(&rule, ds);
            let bound = (RENDER_PER_BYTE * n.min(MAX_CHECKED_BYTES) + RENDER_SLACK)
                .min(RENDER_PER_DIAGNOSTIC * ds.len());
            assert!(
                out.len() <= bound,
                "{case}: rendered {} bytes for {} diagnostics of a {n}-byte rule",
                out.len(),
                ds.len()
            );
            if let Some(c) = raw_char(&out, true) {
                panic!("{case}: rendered output holds raw {c:?}");
            }
            if mode.is_none() {
                plain = c.diagnostics;
            }
        }
        let device = Device::unregistered()
            .with("trustType", Value::Str("AzureAD".into()))
            .with("isCompliant", Value::Bool(true));
        match (format(&rule), evaluate(&rule, &device)) {
            (Ok(canonical), Ok(_)) => assert!(canonical.len() <= 2 * n + 16, "{case}"),
            (Err(e), Err(f)) => {
                assert!(!e.is_empty() && e.len() <= MAX_DIAGNOSTICS + 1, "{case}");
                assert_eq!(e, f, "{case}: format and evaluate disagree");
            }
            _ => panic!("{case}: format and evaluate disagree on validity"),
        }
        plain
    })
}

fn has(ds: &[Diagnostic], code: &str) -> bool {
    ds.iter().any(|d| d.code == code)
}

const COMPARISON: &str = COMPARISONS[0];

#[test]
fn deep_not_chains_stop_at_the_depth_limit() {
    for count in [MAX_DEPTH as usize + 1, 2_800, 20_000, 200_000] {
        let rule = format!("{}{COMPARISON}", "-not ".repeat(count));
        let ds = exercise(&format!("{count} × -not"), rule.clone());
        let deep = ds
            .iter()
            .find(|d| d.code == "nesting-too-deep")
            .unwrap_or_else(|| panic!("{count} × -not: no nesting-too-deep in {ds:?}"));
        // At the first `-not` past the limit.
        assert_eq!(deep.span.start, 5 * MAX_DEPTH as usize, "{count}");
        assert_eq!(&rule[deep.span.start..deep.span.end], "-not");
    }
    // Within the limit the chain is checked through: the innermost `-not` is fixable.
    let rule = format!("{}{COMPARISON}", "-not ".repeat(MAX_DEPTH as usize));
    let ds = exercise("32 × -not", rule);
    assert!(!has(&ds, "nesting-too-deep"), "{ds:?}");
    assert!(ds
        .iter()
        .any(|d| d.code == "not-operator" && d.fix.is_some()));
}

#[test]
fn deep_parentheses_stop_at_the_depth_limit() {
    let depth = MAX_DEPTH as usize;
    let at_limit = format!("{}{COMPARISON}{}", "(".repeat(depth), ")".repeat(depth));
    assert!(
        check(&at_limit, None).is_valid(),
        "{depth} levels are allowed"
    );
    for count in [depth + 1, 5_000, 100_000] {
        let rule = format!("{}{COMPARISON}{}", "(".repeat(count), ")".repeat(count));
        let ds = exercise(&format!("{count} × ("), rule);
        let deep = ds.iter().find(|d| d.code == "nesting-too-deep");
        assert_eq!(deep.map(|d| d.span.start), Some(depth), "{count}: {ds:?}");
    }
}

#[test]
fn mixed_nesting_counts_parentheses_and_negations_together() {
    // Alternating `(` and `-not`: neither alone passes the limit, together they do.
    let half = MAX_DEPTH as usize / 2 + 1;
    let rule = format!("{}{COMPARISON}{}", "(-not ".repeat(half), ")".repeat(half));
    let ds = exercise("alternating ( -not", rule);
    assert!(has(&ds, "nesting-too-deep"), "{ds:?}");

    let mut rng = Rng::new("mixed nesting");
    let openers = ["(", "-not ", "-NOT(", " ( ", "-not(", "((", "-not -not "];
    for case in 0..40 {
        let mut rule = String::new();
        let target = 20 + rng.below(3_000);
        while rule.len() < target {
            rule.push_str(rng.pick(&openers));
        }
        rule.push_str(COMPARISON);
        for _ in 0..rng.below(3_000) {
            rule.push_str(rng.pick(&[")", " -and ", COMPARISON, " -or ", "]"]));
        }
        exercise(&format!("mixed nesting {case}"), rule);
    }
}

#[test]
fn long_lists_are_checked_in_bounded_time_and_output() {
    for size in SIZES {
        let item = "\"aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb\", ";
        let rule = format!("device.deviceId -in [{}\"x\"]", repeat_to(item, size));
        let ds = exercise(&format!("{size}-byte list"), rule);
        assert!(
            has(&ds, "invalid-guid") || has(&ds, "rule-too-long"),
            "{ds:?}"
        );
        // Every item a bare word without commas: one diagnostic per item, capped.
        let rule = format!("device.model -in [{}]", repeat_to("Surface ", size));
        let ds = exercise(&format!("{size}-byte list of bare words"), rule);
        assert_eq!(ds.len(), MAX_DIAGNOSTICS + 1, "{size}");
        assert!(has(&ds, "too-many-diagnostics"), "{size}");
        // Nested and unclosed brackets.
        exercise(
            &format!("{size} × ["),
            format!("device.model -in {}", repeat_to("[", size)),
        );
        exercise(
            &format!("{size} × -in ["),
            repeat_to("device.model -in [\"a\" ", size),
        );
    }
}

#[test]
fn thousands_of_delimiters_give_a_capped_list() {
    for piece in FLOOD {
        for size in SIZES {
            let rule = repeat_to(piece, size);
            exercise(&format!("{size} bytes of {piece:?}"), rule.clone());
            exercise(
                &format!("a comparison, then {size} bytes of {piece:?}"),
                format!("{COMPARISON} {rule}"),
            );
        }
    }
}

#[test]
fn random_text_with_controls_bidi_and_non_ascii_never_escapes_raw() {
    let mut rng = Rng::new("random text");
    let syntax = [
        "device.",
        "trustType",
        "displayName",
        " -eq ",
        " -in ",
        " -and ",
        " -or ",
        "-not ",
        "\"",
        "'",
        "(",
        ")",
        "[",
        "]",
        ",",
        "True",
        "\t",
        "\n",
        "\r\n",
        "$x",
        "==",
    ];
    let pool: Vec<&str> = [&syntax[..], &CONTROLS, &NON_ASCII].concat();
    for case in 0..300 {
        let target = rng.below(400);
        let rule = random_text(&mut rng, &pool, target, true);
        exercise(&format!("random text {case}"), rule);
    }
    for size in SIZES {
        let rule = random_text(&mut rng, &pool, size, false);
        exercise(&format!("{size} bytes of random text"), rule);
    }
}

#[test]
fn a_rule_far_past_the_limit_is_reported_and_checked_only_in_part() {
    let clause = format!("{COMPARISON} -and ");
    for size in SIZES {
        let rule = format!("{}{COMPARISON}", repeat_to(&clause, size));
        let started = std::time::Instant::now();
        let ds = exercise(&format!("{size}-byte valid clauses"), rule.clone());
        let elapsed = started.elapsed();
        let too_long = ds.iter().find(|d| d.code == "rule-too-long");
        let too_long = too_long.unwrap_or_else(|| panic!("{size}: {ds:?}"));
        assert_eq!(too_long.severity, Severity::Error);
        if size > MAX_CHECKED_BYTES {
            assert!(
                too_long
                    .message
                    .contains(&format!("{} bytes long", rule.len()))
                    && too_long.message.contains("only the first"),
                "{}",
                too_long.message
            );
            // The cut in the middle of a clause leaves no diagnostic of its own.
            assert_eq!(ds.len(), 1, "{size}: {ds:?}");
        }
        // Generous for a debug build on a shared machine; an unbounded check
        // of a megabyte took far longer.
        assert!(elapsed.as_secs() < 5, "{size}: {elapsed:?}");
    }
}

#[test]
fn too_many_diagnostics_end_with_a_count_at_the_first_left_out() {
    let count = 500;
    let rule = format!("{COMPARISON}{}", " )".repeat(count));
    let c = check(&rule, None);
    assert_eq!(c.diagnostics.len(), MAX_DIAGNOSTICS + 1);
    assert!(c.diagnostics[..MAX_DIAGNOSTICS]
        .iter()
        .all(|d| d.code == "unmatched-paren"));
    let last = &c.diagnostics[MAX_DIAGNOSTICS];
    assert_eq!(last.code, "too-many-diagnostics");
    assert_eq!(last.severity, Severity::Error);
    assert_eq!(
        last.message,
        format!(
            "and {} more not shown (errors: {}, warnings: 0, infos: 0); only the first {MAX_DIAGNOSTICS} are listed",
            count - MAX_DIAGNOSTICS,
            count - MAX_DIAGNOSTICS
        )
    );
    // At the first `)` left out.
    assert_eq!(last.span.start, COMPARISON.len() + 2 * MAX_DIAGNOSTICS + 1);
    let out = render(&rule, &c.diagnostics);
    // The line is a window: 40 columns before the span, 120 in all with the `…`s.
    let window = format!("…{}…", ") ".repeat(59));
    assert!(
        out.ends_with(&format!(
            "error[too-many-diagnostics]: and 400 more not shown (errors: 400, warnings: 0, infos: 0); only the first {MAX_DIAGNOSTICS} are listed\n \
             --> 1:232\n  |\n1 | {window}\n  | {}^\n\n",
            " ".repeat(41)
        )),
        "{}",
        &out[out.len() - 400..]
    );
    // Every diagnostic shows a window of at most 120 columns: the output is linear in their number.
    assert!(out.lines().all(|l| l.chars().count() <= 160), "{out}");

    // The count says how severe what was left out is: warnings stay warnings.
    let rule = format!("device.trustType{}-eq \"AzureAD\"", "\u{a0}".repeat(300));
    let c = check(&rule, None);
    let last = c.diagnostics.last().unwrap();
    assert_eq!(
        (last.code, last.severity),
        ("too-many-diagnostics", Severity::Warning)
    );
    assert!(c.is_valid(), "only warnings were left out");
}

#[test]
fn a_long_line_is_shown_as_a_window_around_the_span() {
    let rule = format!(
        "{} -and device.trustTyp -eq \"AzureAD\" -and {}",
        [COMPARISON; 6].join(" -and "),
        [COMPARISON; 6].join(" -and ")
    );
    let c = check(&rule, None);
    assert_eq!(c.diagnostics.len(), 1);
    assert_eq!(
        render(&rule, &c.diagnostics),
        "error[unknown-property]: unknown property `trustTyp`; did you mean `trustType`?\n \
         --> 1:224\n  |\n\
         1 | …ice.trustType -eq \"AzureAD\" -and device.trustTyp -eq \"AzureAD\" -and device.trustType -eq \"AzureAD\" -and device.trustTy…\n  \
         |                                          ^^^^^^^^ help: use `trustType`\n\n"
    );
}

#[test]
fn control_and_bidi_characters_are_shown_escaped_with_carets_aligned() {
    let rule = "device.displayName -eq \"PAW\u{202e}1\u{1b}[31m\" -and \u{1b}]0;pwned\u{7}";
    let c = check(rule, None);
    let out = render(rule, &c.diagnostics);
    assert!(raw_char(&out, true).is_none(), "{out:?}");
    let line =
        "1 | device.displayName -eq \"PAW\\u{202e}1\\u{1b}[31m\" -and \\u{1b}]0;pwned\\u{7}\n";
    assert!(out.contains(line), "{out}");
    // The carets of each diagnostic stand under its escape.
    let mut blocks = out.split("\n\n").filter(|b| !b.is_empty());
    let mut caret_under = |code: &str, shown: &str| {
        let block = blocks
            .next()
            .unwrap_or_else(|| panic!("no block for {code}"));
        assert!(
            block.lines().next().unwrap().contains(&format!("[{code}]")),
            "{block}"
        );
        let lines: Vec<&str> = block.lines().collect();
        let text = lines[3];
        let carets = lines[4];
        let col = carets.find('^').unwrap();
        let width = carets[col..].chars().take_while(|&c| c == '^').count();
        assert_eq!(&text[col..col + width], shown, "{block}");
    };
    caret_under("invisible-character", "\\u{202e}");
    caret_under("control-character", "\\u{1b}");
    caret_under("unexpected-character", "\\u{1b}");
    // Messages quoting the rule escape the same way.
    let c = check(
        "device.trust\u{1b}Type -eq \"x\" -and device.\u{202e}x -eq 1",
        None,
    );
    for d in &c.diagnostics {
        assert!(raw_char(&d.message, false).is_none(), "{d:?}");
    }
}
