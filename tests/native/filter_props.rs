//! Property tests: any input is answered with diagnostics (never a panic)
//! whose spans and fixes lie on char boundaries inside the input; generated
//! valid rules survive the formatter round trip.

use ca_builder::filter::{apply_fix, check, format, Mode, ValueKind, PROPERTIES};
use proptest::prelude::*;

/// Strings built from the pieces rules are made of, plus the characters
/// people paste by mistake, plus arbitrary Unicode.
fn rule_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("device.".to_string()),
        Just("trustType".to_string()),
        Just("isCompliant".to_string()),
        Just("physicalIds".to_string()),
        Just(" -eq ".to_string()),
        Just(" -in ".to_string()),
        Just(" -and ".to_string()),
        Just(" -or ".to_string()),
        Just("-not".to_string()),
        Just("eq".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("\\\"".to_string()),
        Just("`\"".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("‘".to_string()),
        Just("’".to_string()),
        Just("–".to_string()),
        Just("—".to_string()),
        Just("―".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just("==".to_string()),
        Just("&&".to_string()),
        Just("True".to_string()),
        Just("null".to_string()),
        Just("$true".to_string()),
        Just("\u{a0}".to_string()),
        Just("\n".to_string()),
        Just("ServerAD".to_string()),
        any::<char>().prop_map(String::from),
        "\\PC{0,3}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn assert_well_formed(rule: &str) {
    for mode in [None, Some(Mode::Include), Some(Mode::Exclude)] {
        let c = check(rule, mode);
        assert_eq!(
            c.ast.is_some(),
            c.is_valid(),
            "a tree exactly when there is no error"
        );
        for d in &c.diagnostics {
            let s = d.span;
            assert!(
                s.start <= s.end && s.end <= rule.len(),
                "{d:?} outside `{rule:?}`"
            );
            assert!(
                rule.is_char_boundary(s.start) && rule.is_char_boundary(s.end),
                "{d:?} splits a char in {rule:?}"
            );
            assert!(!d.message.is_empty());
            if let Some(f) = &d.fix {
                assert!(
                    f.span.start <= f.span.end && f.span.end <= rule.len(),
                    "{d:?}"
                );
                assert!(
                    rule.is_char_boundary(f.span.start) && rule.is_char_boundary(f.span.end),
                    "{d:?}"
                );
                let _ = apply_fix(rule, f);
            }
            // Rendering never panics either.
            let _ = ca_builder::filter::render(rule, std::slice::from_ref(d));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics_and_spans_are_char_boundaries(rule in "\\PC*") {
        assert_well_formed(&rule);
    }

    #[test]
    fn rule_like_text_never_panics_and_spans_are_char_boundaries(rule in rule_like()) {
        assert_well_formed(&rule);
    }
}

/// A valid comparison for any catalogue property, written in one of the
/// accepted non-canonical ways as well.
fn comparison() -> impl Strategy<Value = String> {
    let value_text = "[A-Za-z0-9 .:\\[\\]_-]{0,12}";
    (
        0..PROPERTIES.len(),
        0..10usize,
        value_text,
        prop::collection::vec("[A-Za-z0-9 ]{1,6}", 1..4),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(pi, oi, text, items, flag, upper)| {
            let spec = &PROPERTIES[pi];
            let ops: Vec<_> = spec.ops.iter().collect();
            let op = ops[oi % ops.len()];
            let op_text = if upper {
                op.canonical().to_uppercase()
            } else {
                op.canonical().to_string()
            };
            let name = if upper {
                spec.name.to_lowercase()
            } else {
                spec.name.to_string()
            };
            let value = match spec.kind {
                ValueKind::Bool => match (flag, upper) {
                    (true, false) => "True".to_string(),
                    (true, true) => "\"true\"".to_string(),
                    (false, false) => "False".to_string(),
                    (false, true) => "false".to_string(),
                },
                ValueKind::Enum(values) => format!("\"{}\"", values[oi % values.len()]),
                ValueKind::Guid => {
                    let g = "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb";
                    if op.takes_list() {
                        format!("[\"{g}\",\"{}\"]", g.replace('a', "c"))
                    } else {
                        format!("\"{g}\"")
                    }
                }
                _ if op.takes_list() => format!(
                    "[{}]",
                    items
                        .iter()
                        .map(|i| format!("\"{i}\""))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                _ => format!("\"{text}\""),
            };
            let paren = flag && !upper;
            let c = format!("device.{name}  {op_text} {value}");
            if paren {
                format!("({c})")
            } else {
                c
            }
        })
}

fn rule() -> impl Strategy<Value = String> {
    let leaf = comparison();
    leaf.prop_recursive(4, 24, 4, |inner| {
        (
            prop::collection::vec(inner, 2..4),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(xs, and, paren)| {
                let joined = xs.join(if and { " -and " } else { " -OR " });
                if paren {
                    format!("( {joined} )")
                } else {
                    joined
                }
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn formatter_round_trip_keeps_the_meaning(rule in rule()) {
        let original = check(&rule, None);
        prop_assume!(rule.chars().count() <= 3072);
        prop_assert!(original.is_valid(), "generated rule `{}` invalid: {:?}", rule, original.diagnostics);
        let formatted = format(&rule).unwrap();
        let again = check(&formatted, None);
        prop_assert!(again.is_valid(), "`{}` invalid: {:?}", formatted, again.diagnostics);
        prop_assert!(again.ast.as_ref().unwrap().eq_ignoring_spans(original.ast.as_ref().unwrap()), "{} vs {}", rule, formatted);
        // The canonical form is a fixed point and has no style diagnostics.
        prop_assert_eq!(format(&formatted).unwrap(), formatted.clone());
        prop_assert!(!again.diagnostics.iter().any(|d| matches!(d.code, "boolean-form" | "enum-case" | "hyphenless-operator")));
    }
}
