//! The friendly diagnostics for pasted mistakes: each has its code, its
//! severity, a span on the offending text, and a fix that really repairs it.

use ca_builder::filter::{apply_fix, check, format, line_col, render, Mode, Severity, Span};

/// Checks `rule`, finds the diagnostic `code`, applies its fix, returns the result.
fn fixed(rule: &str, code: &str, severity: Severity) -> String {
    let c = check(rule, None);
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("`{rule}`: no {code} in {:?}", c.diagnostics));
    assert_eq!(d.severity, severity, "`{rule}` {code}");
    assert!(d.span.end <= rule.len() && d.span.start <= d.span.end);
    let fix = d
        .fix
        .as_ref()
        .unwrap_or_else(|| panic!("`{rule}`: {code} has no fix"));
    apply_fix(rule, fix)
}

/// (rule, code, severity, rule after applying that diagnostic's fix)
const FIXED: &[(&str, &str, Severity, &str)] = &[
    (
        "device.trustType -eq “ServerAD”",
        "typographic-quote",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        "device.trustType -eq ‘ServerAD’",
        "typographic-quote",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.trustType -eq "ServerAD”"#,
        "typographic-quote",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.trustType –eq "ServerAD""#,
        "typographic-dash",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.trustType —eq "ServerAD""#,
        "typographic-dash",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.trustType ―eq "ServerAD""#,
        "typographic-dash",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.trustType -eq \"ServerAD\""#,
        "escaped-quote",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.trustType -eq `"ServerAD`""#,
        "escaped-quote",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.trustType == "ServerAD""#,
        "symbolic-operator",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.trustType != "ServerAD""#,
        "symbolic-operator",
        Severity::Error,
        r#"device.trustType -ne "ServerAD""#,
    ),
    (
        r#"device.trustType -eq "ServerAD" && device.isCompliant -eq True"#,
        "symbolic-operator",
        Severity::Error,
        r#"device.trustType -eq "ServerAD" -and device.isCompliant -eq True"#,
    ),
    (
        r#"device.trustType -eq "ServerAD" || device.isCompliant -eq True"#,
        "symbolic-operator",
        Severity::Error,
        r#"device.trustType -eq "ServerAD" -or device.isCompliant -eq True"#,
    ),
    (
        r#"device.trustType -eq "ServerAD" and device.isCompliant -eq True"#,
        "bare-logical-operator",
        Severity::Error,
        r#"device.trustType -eq "ServerAD" -and device.isCompliant -eq True"#,
    ),
    (
        r#"device.trustType -eq "ServerAD" OR device.isCompliant -eq True"#,
        "bare-logical-operator",
        Severity::Error,
        r#"device.trustType -eq "ServerAD" -or device.isCompliant -eq True"#,
    ),
    (
        r#"device.trustType eq "ServerAD""#,
        "hyphenless-operator",
        Severity::Warning,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.model notContains "VM""#,
        "hyphenless-operator",
        Severity::Warning,
        r#"device.model -notContains "VM""#,
    ),
    (
        "device.trustType -eq 'ServerAD'",
        "single-quoted-string",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        "device.trustType -eq ServerAD",
        "unquoted-value",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"trustType -eq "ServerAD""#,
        "missing-device-prefix",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.operatingSystem -in "Windows", "iOS""#,
        "expected-list",
        Severity::Error,
        r#"device.operatingSystem -in ["Windows", "iOS"]"#,
    ),
    (
        "device.operatingSystem -in 'Windows, iOS'",
        "expected-list",
        Severity::Error,
        r#"device.operatingSystem -in ["Windows", "iOS"]"#,
    ),
    (
        r#"device.operatingSystem -eq ["Windows"]"#,
        "unexpected-list",
        Severity::Error,
        r#"device.operatingSystem -in ["Windows"]"#,
    ),
    (
        r#"device.operatingSystem -in ["Windows" "iOS"]"#,
        "missing-comma",
        Severity::Error,
        r#"device.operatingSystem -in ["Windows", "iOS"]"#,
    ),
    (
        r#"device.operatingSystem -in ["Windows", "iOS",]"#,
        "trailing-comma",
        Severity::Error,
        r#"device.operatingSystem -in ["Windows", "iOS"]"#,
    ),
    (
        r#"device.operatingSystem -in ["Windows""#,
        "unclosed-bracket",
        Severity::Error,
        r#"device.operatingSystem -in ["Windows"]"#,
    ),
    (
        r#"device.trustType -eq "ServerAD" -and"#,
        "dangling-operator",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"(device.trustType -eq "ServerAD""#,
        "unclosed-paren",
        Severity::Error,
        r#"(device.trustType -eq "ServerAD")"#,
    ),
    (
        r#"device.trustType -eq "ServerAD")"#,
        "unmatched-paren",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.trustType -eq "ServerAD"#,
        "unterminated-string",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"-not (device.trustType -eq "AzureAD")"#,
        "not-operator",
        Severity::Error,
        r#"device.trustType -ne "AzureAD""#,
    ),
    (
        r#"device.deviceTrustType -eq "ServerAD""#,
        "unknown-property",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.deviceOSType -eq "Windows""#,
        "unknown-property",
        Severity::Error,
        r#"device.operatingSystem -eq "Windows""#,
    ),
    (
        r#"device.deviceOSVersion -startsWith "10""#,
        "unknown-property",
        Severity::Error,
        r#"device.operatingSystemVersion -startsWith "10""#,
    ),
    (
        r#"device.deviceManufacturer -eq "HP""#,
        "unknown-property",
        Severity::Error,
        r#"device.manufacturer -eq "HP""#,
    ),
    (
        r#"device.deviceModel -eq "X1""#,
        "unknown-property",
        Severity::Error,
        r#"device.model -eq "X1""#,
    ),
    (
        r#"device.devicePhysicalIds -contains "[ZTDId]:x""#,
        "unknown-property",
        Severity::Error,
        r#"device.physicalIds -contains "[ZTDId]:x""#,
    ),
    (
        r#"device.deviceManagementAppId -eq "0000000a-0000-0000-c000-000000000000""#,
        "unknown-property",
        Severity::Error,
        r#"device.mdmAppId -eq "0000000a-0000-0000-c000-000000000000""#,
    ),
    (
        r#"device.deviceName -eq "PAW1""#,
        "unknown-property",
        Severity::Error,
        r#"device.displayName -eq "PAW1""#,
    ),
    (
        r#"device.trustTyp -eq "ServerAD""#,
        "unknown-property",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.isCompliance -eq True"#,
        "unknown-property",
        Severity::Error,
        r#"device.isCompliant -eq True"#,
    ),
    (
        r#"device.trustType -startwith "Server""#,
        "unknown-operator",
        Severity::Error,
        r#"device.trustType -startsWith "Server""#,
    ),
    (
        r#"device.deviceOwnership -eq "Corporate""#,
        "value-not-allowed",
        Severity::Error,
        r#"device.deviceOwnership -eq "Company""#,
    ),
    (
        r#"device.trustType -eq "HybridJoined""#,
        "value-not-allowed",
        Severity::Error,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.profileType -eq "Printr""#,
        "value-not-allowed",
        Severity::Error,
        r#"device.profileType -eq "Printer""#,
    ),
    (
        r#"device.trustType -eq "serverad""#,
        "enum-case",
        Severity::Warning,
        r#"device.trustType -eq "ServerAD""#,
    ),
    (
        r#"device.isCompliant -eq "True""#,
        "boolean-form",
        Severity::Info,
        "device.isCompliant -eq True",
    ),
    (
        "device.isCompliant -eq true",
        "boolean-form",
        Severity::Info,
        "device.isCompliant -eq True",
    ),
    (
        r#"device.isCompliant -eq "Yes""#,
        "value-not-allowed",
        Severity::Error,
        "device.isCompliant -eq True",
    ),
    (
        r#"device.systemLabels -eq "M365Managed""#,
        "operator-not-allowed",
        Severity::Error,
        r#"device.systemLabels -contains "M365Managed""#,
    ),
    (
        r#"device.physicalIds -ne "[ZTDId]:x""#,
        "operator-not-allowed",
        Severity::Error,
        r#"device.physicalIds -notContains "[ZTDId]:x""#,
    ),
    (
        r#"device.displayName -eq True"#,
        "unquoted-value",
        Severity::Error,
        r#"device.displayName -eq "True""#,
    ),
    (
        "device.isCompliant -eq $true",
        "powershell-variable",
        Severity::Error,
        "device.isCompliant -eq True",
    ),
    (
        "device.trustType\u{a0}-eq \"ServerAD\"",
        "unusual-whitespace",
        Severity::Warning,
        r#"device.trustType -eq "ServerAD""#,
    ),
];

#[test]
fn pasted_mistakes_get_a_diagnostic_whose_fix_repairs_them() {
    for &(rule, code, severity, want) in FIXED {
        let got = fixed(rule, code, severity);
        assert_eq!(got, want, "fix of {code} in `{rule}`");
        assert!(
            !check(&got, None).diagnostics.iter().any(|d| d.code == code),
            "`{got}` still has {code}"
        );
    }
}

#[test]
fn mistakes_without_a_safe_fix_are_still_errors_with_their_code() {
    let cases: &[(&str, &str)] = &[
        (
            r#"device.displayName -match "^PAW-.*""#,
            "dynamic-group-operator",
        ),
        (
            r#"device.displayName -notMatch "x""#,
            "dynamic-group-operator",
        ),
        (
            r#"device.physicalIds -all _ -eq "x""#,
            "dynamic-group-operator",
        ),
        (
            r#"device.operatingSystemVersion -ge "10.0""#,
            "dynamic-group-operator",
        ),
        (
            r#"device.operatingSystemVersion -le "10.0""#,
            "dynamic-group-operator",
        ),
        ("device.objectId -ne null", "null-value"),
        (r#"device.displayName -eq null"#, "null-value"),
        (r#"user.department -eq "Sales""#, "non-device-property"),
        (r#"device.extensionAttribute16 -eq "x""#, "unknown-property"),
        (r#"device.extensionAttribute0 -eq "x""#, "unknown-property"),
        (r#"device.extensionAttributé1 -eq "x""#, "unknown-property"),
        (r#"device.extensionAttribut€1 -eq "x""#, "unknown-property"),
        (r#"device.accountEnabled -eq true"#, "unknown-property"),
        (
            r#"device.displayName -eq "Scott"s Device""#,
            "embedded-quote",
        ),
        ("device.displayName -eq \"a\nb\"", "control-character"),
        ("device.displayName -eq \"a\tb\"", "control-character"),
        (r#"device.deviceId -eq "not-a-guid""#, "invalid-guid"),
        (
            r#"device.mdmAppId -in ["0000000a-0000-0000-c000-000000000000", "x"]"#,
            "invalid-guid",
        ),
        (r#"device.operatingSystem -in []"#, "empty-list"),
        (
            r#"device.trustType -eq "ServerAD" device.isCompliant -eq True"#,
            "expected-logical-operator",
        ),
        (r#"device.trustType "ServerAD""#, "expected-operator"),
        (r#"device.trustType -eq"#, "expected-value"),
        (
            r#"device.trustType -eq "x" -and -or device.model -eq "y""#,
            "expected-comparison",
        ),
        ("   ", "empty-rule"),
        (
            r#"device.trustType -eq "ServerAD" {"#,
            "unexpected-character",
        ),
        (r#"device.displayName -eq $name"#, "powershell-variable"),
        (r#"device.trustType -foo "ServerAD""#, "unknown-operator"),
        (r#"device.trustType < "ServerAD""#, "unknown-operator"),
    ];
    for &(rule, code) in cases {
        let c = check(rule, None);
        let d = c.diagnostics.iter().find(|d| d.code == code);
        let d = d.unwrap_or_else(|| panic!("`{rule}`: expected {code}, got {:?}", c.diagnostics));
        assert_eq!(d.severity, Severity::Error, "`{rule}`");
        assert!(!c.is_valid() && c.ast.is_none());
    }
}

#[test]
fn all_errors_are_collected_not_just_the_first() {
    let rule = "device.deviceTrustType == “ServerAD” -and device.isCompliant -eq \"Yes\" -or user.x -eq \"y\"";
    let c = check(rule, None);
    let codes: Vec<_> = c.diagnostics.iter().map(|d| d.code).collect();
    for code in [
        "unknown-property",
        "symbolic-operator",
        "typographic-quote",
        "value-not-allowed",
        "non-device-property",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    // Sorted by position.
    assert!(c
        .diagnostics
        .windows(2)
        .all(|w| w[0].span.start <= w[1].span.start));
}

#[test]
fn spans_point_at_the_offending_text() {
    let rule = r#"device.trustType -startsWith "Server""#;
    let c = check(rule, None);
    let d = &c.diagnostics[0];
    assert_eq!(d.code, "operator-not-allowed");
    assert_eq!(&rule[d.span.start..d.span.end], "-startsWith");
    assert!(d.message.contains("-eq, -ne"), "{}", d.message);

    let rule = r#"device.deviceTrustType -eq "ServerAD""#;
    let d = &check(rule, None).diagnostics[0];
    assert_eq!(&rule[d.span.start..d.span.end], "deviceTrustType");
    assert!(d.message.contains("trustType"));
}

#[test]
fn lint_follows_the_policy_mode() {
    let codes = |rule: &str, mode: Option<Mode>| -> Vec<&'static str> {
        let c = check(rule, mode);
        assert!(c.is_valid(), "{rule}");
        assert!(c.diagnostics.iter().all(|d| d.severity != Severity::Error));
        c.diagnostics.iter().map(|d| d.code).collect()
    };
    let positive = r#"device.trustType -eq "ServerAD" -or device.isCompliant -eq True"#;
    assert!(codes(positive, Some(Mode::Include)).contains(&"include-misses-unregistered"));
    assert!(!codes(positive, Some(Mode::Exclude)).contains(&"exclude-matches-unregistered"));
    assert!(codes(positive, None).is_empty(), "no mode, no mode lint");

    let negative = r#"device.isCompliant -ne True -and device.trustType -ne "ServerAD""#;
    assert!(codes(negative, Some(Mode::Include)).is_empty());
    assert!(codes(negative, Some(Mode::Exclude)).contains(&"exclude-matches-unregistered"));

    // Microsoft's device-state replacement written with -or in include mode.
    let or_mix = r#"device.trustType -ne "ServerAD" -or device.isCompliant -ne True"#;
    let c = check(or_mix, Some(Mode::Include));
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == "include-or-of-negatives")
        .unwrap();
    assert_eq!(
        apply_fix(or_mix, d.fix.as_ref().unwrap()),
        r#"device.trustType -ne "ServerAD" -and device.isCompliant -ne True"#
    );
    assert!(!codes(or_mix, Some(Mode::Exclude)).contains(&"include-or-of-negatives"));

    // User-modifiable properties alone, or in an -or branch, are weak.
    assert!(
        codes(r#"device.displayName -startsWith "PAW""#, None).contains(&"user-modifiable-only")
    );
    assert!(codes(
        r#"device.model -eq "X" -or device.trustType -eq "ServerAD""#,
        None
    )
    .contains(&"user-modifiable-only"));
    assert!(!codes(
        r#"device.displayName -endsWith "-PAW" -and device.extensionAttribute3 -eq "PAW""#,
        None
    )
    .contains(&"user-modifiable-only"));

    // Extension attributes need a compliance / join condition to be reliable.
    assert!(codes(r#"device.extensionAttribute1 -eq "SAW""#, None)
        .contains(&"extension-attribute-availability"));
    assert!(!codes(
        r#"device.extensionAttribute1 -eq "SAW" -and device.isCompliant -eq True"#,
        None
    )
    .contains(&"extension-attribute-availability"));
}

#[test]
fn render_is_rustc_caret_style() {
    let rule = r#"device.deviceTrustType -eq "ServerAD""#;
    let out = render(rule, &check(rule, None).diagnostics);
    assert_eq!(
        out,
        "error[unknown-property]: `deviceTrustType` is a dynamic-group rule property; Conditional Access device filters use `trustType`\n \
         --> 1:8\n  |\n1 | device.deviceTrustType -eq \"ServerAD\"\n  |        ^^^^^^^^^^^^^^^ help: use `trustType`\n\n"
    );
}

#[test]
fn render_and_line_col_count_characters_on_the_right_line() {
    let rule = "device.trustType -eq \"AzureAD\" -or\n  device.trustType –eq “ServerAD”";
    let c = check(rule, None);
    let dash = c
        .diagnostics
        .iter()
        .find(|d| d.code == "typographic-dash")
        .unwrap();
    assert_eq!(line_col(rule, dash.span.start), (2, 20));
    let out = render(rule, std::slice::from_ref(dash));
    assert!(out.contains(" --> 2:20\n"), "{out}");
    assert!(
        out.contains("2 |   device.trustType –eq “ServerAD”\n  |                    ^ help: replace with `-`"),
        "{out}"
    );
    // Columns count chars: the curly quote is 3 bytes but one column.
    let quote = c
        .diagnostics
        .iter()
        .find(|d| d.code == "typographic-quote")
        .unwrap();
    assert_eq!(line_col(rule, quote.span.start), (2, 24));
    assert_eq!(line_col("", 0), (1, 1));
    assert_eq!(line_col("ab", 99), (1, 3));
}

#[test]
fn formatter_prints_the_canonical_form() {
    let cases = [
        (
            r#"(device.deviceid -eq "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb")"#,
            r#"device.deviceId -eq "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb""#,
        ),
        (
            r#"DEVICE.TRUSTTYPE   -EQ   "serverad""#,
            r#"device.trustType -eq "ServerAD""#,
        ),
        (
            r#"device.isCompliant -eq "true""#,
            "device.isCompliant -eq True",
        ),
        (
            r#"device.model notcontains "VM""#,
            r#"device.model -notContains "VM""#,
        ),
        (
            r#"device.operatingSystem -in ["a","b" , "c"]"#,
            r#"device.operatingSystem -in ["a", "b", "c"]"#,
        ),
        (
            r#"((device.trustType -eq "AzureAD") -or (device.trustType -eq "ServerAD")) -and (device.isCompliant -eq True)"#,
            r#"(device.trustType -eq "AzureAD" -or device.trustType -eq "ServerAD") -and device.isCompliant -eq True"#,
        ),
        (
            r#"device.model -eq "a" -or (device.model -eq "b" -and (device.model -eq "c" -and device.isCompliant -eq False))"#,
            r#"device.model -eq "a" -or device.model -eq "b" -and device.model -eq "c" -and device.isCompliant -eq False"#,
        ),
    ];
    for (input, want) in cases {
        assert_eq!(format(input).unwrap(), want, "{input}");
        assert_eq!(
            format(want).unwrap(),
            want,
            "canonical form is a fixed point"
        );
    }
    let errs = format(r#"device.trustType -eq "Nope""#).unwrap_err();
    assert_eq!(errs[0].code, "value-not-allowed");
}

#[test]
fn and_binds_tighter_than_or() {
    use ca_builder::filter::Expr;
    let c = check(
        r#"device.model -eq "a" -or device.model -eq "b" -and device.model -eq "c""#,
        None,
    );
    match c.ast.unwrap() {
        Expr::Or(xs, span) => {
            assert_eq!(span, Span::new(0, 71));
            assert!(matches!(xs[0], Expr::Compare(_)));
            assert!(matches!(&xs[1], Expr::And(ys, _) if ys.len() == 2));
        }
        other => panic!("expected Or at the top, got {other:?}"),
    }
}
