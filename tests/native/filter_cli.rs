//! `ca-policy filter …` as scripts use it: exit codes, output, JSON shape.

use crate::support::cli;

use std::process::Output;

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    cli::output(args, stdin.unwrap_or("").as_bytes())
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn check_exit_codes() {
    let ok = run(
        &["filter", "check", r#"device.trustType -eq "ServerAD""#],
        None,
    );
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    // Warnings do not fail the check.
    let warn = run(
        &[
            "filter",
            "check",
            "--mode",
            "include",
            r#"device.operatingSystem eq "Doors""#,
        ],
        None,
    );
    assert_eq!(warn.status.code(), Some(0));
    assert!(
        stdout(&warn).contains("warning[hyphenless-operator]"),
        "{}",
        stdout(&warn)
    );
    let bad = run(
        &[
            "filter",
            "check",
            r#"device.deviceTrustType -eq "ServerAD""#,
        ],
        None,
    );
    assert_eq!(bad.status.code(), Some(1));
    let out = stdout(&bad);
    assert!(out.contains("error[unknown-property]"), "{out}");
    assert!(out.contains(" --> 1:8"), "{out}");
    assert!(
        out.contains("^^^^^^^^^^^^^^^ help: use `trustType`"),
        "{out}"
    );
    for usage in [
        vec!["filter", "check", "--mode", "sideways", "x"],
        vec!["filter", "check", "--nope", "x"],
        vec!["filter", "check", "a", "b"],
        vec!["filter", "frobnicate"],
        vec!["filter"],
        vec!["filter", "eval", "device.isCompliant -eq True"],
    ] {
        let o = run(&usage, None);
        assert_eq!(o.status.code(), Some(2), "{usage:?}");
        assert!(stderr(&o).contains("usage:"), "{usage:?}");
    }
}

#[test]
fn check_reads_the_rule_from_stdin() {
    let o = run(&["filter", "check"], Some("device.isCompliant -eq True\n"));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = run(
        &["filter", "check", "--json"],
        Some("device.isCompliant -eq \"Maybe\"\n"),
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn check_json_shape() {
    let rule = "device.trustType -eq “ServerAD” -and device.isCompliant -eq \"True\"";
    let o = run(&["filter", "check", "--json", "--mode=exclude", rule], None);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("stdout is JSON");
    assert_eq!(v["valid"], false);
    let diags = v["diagnostics"].as_array().unwrap();
    let quote = diags
        .iter()
        .find(|d| d["code"] == "typographic-quote")
        .unwrap();
    assert_eq!(quote["severity"], "error");
    // Byte offsets: “ is three bytes.
    assert_eq!(quote["start"], 21);
    assert_eq!(quote["end"], 21 + "“ServerAD”".len());
    let fix = &quote["fix"];
    assert_eq!(fix["replacement"], "\"ServerAD\"");
    assert_eq!(
        (fix["start"].clone(), fix["end"].clone()),
        (quote["start"].clone(), quote["end"].clone())
    );
    assert!(fix["label"].is_string());
    let info = diags.iter().find(|d| d["code"] == "boolean-form").unwrap();
    assert_eq!(info["severity"], "info");
    for d in diags {
        let keys: Vec<_> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert!(
            keys.starts_with(&["severity", "code", "message", "start", "end"]),
            "{keys:?}"
        );
    }

    let o = run(
        &["filter", "check", "--json", "device.isCompliant -eq True"],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v, serde_json::json!({"valid": true, "diagnostics": []}));
}

#[test]
fn eval_prints_true_or_false() {
    let device = cli::temp_file(
        "filter-cli",
        "device.json",
        br#"{"trustType":"AzureAD","isCompliant":true,"physicalIds":["[ZTDId]:x"]}"#,
    );
    let dev = device.to_str().unwrap();
    let o = run(
        &[
            "filter",
            "eval",
            "--device",
            dev,
            r#"device.physicalIds -contains "[ZTDId]:x""#,
        ],
        None,
    );
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), "true\n"));
    let o = run(
        &["filter", "eval", "--device", dev],
        Some(r#"device.trustType -eq "ServerAD""#),
    );
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), "false\n"));

    // An invalid rule: exit 1 with diagnostics, no verdict.
    let o = run(
        &[
            "filter",
            "eval",
            "--device",
            dev,
            r#"device.trustType -eq "Hybrid""#,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("error[value-not-allowed]"),
        "{}",
        stderr(&o)
    );

    // A broken device file: named, with line and column.
    let broken = cli::temp_file(
        "filter-cli",
        "broken.json",
        b"{\n  \"trustType\": \"AzureAD\",\n  \"isCompliant\": yes\n}",
    );
    let o = run(
        &[
            "filter",
            "eval",
            "--device",
            broken.to_str().unwrap(),
            "device.isCompliant -eq True",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&format!("{}:3:", broken.display())), "{err}");
    let missing = device.with_file_name("missing.json");
    let o = run(
        &[
            "filter",
            "eval",
            "--device",
            missing.to_str().unwrap(),
            "device.isCompliant -eq True",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("missing.json"));
}

#[test]
fn fmt_prints_the_canonical_form() {
    let o = run(
        &[
            "filter",
            "fmt",
            r#"((device.deviceid -eq "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb")) -AND device.isCompliant eq "true""#,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "device.deviceId -eq \"aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb\" -and device.isCompliant -eq True\n"
    );
    let o = run(&["filter", "fmt"], Some("device.trustType -eq 'ServerAD'"));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert!(stderr(&o).contains("error[single-quoted-string]"));
}

/// What once aborted `ca-policy` (20,000 `-not`: SIGABRT) or flooded the
/// terminal (20,000 `)`: 600 MB), and raw ESC and bidi controls: every
/// subcommand answers with a bounded, escaped report and exit code 1.
#[test]
fn hostile_rules_get_a_bounded_escaped_report() {
    let rules = [
        format!("{}device.isCompliant -eq True", "-not ".repeat(20_000)),
        format!("device.isCompliant -eq True{}", ")".repeat(20_000)),
        format!(
            "device.displayName -eq \"a\u{1b}]0;x\u{7}\u{202e}\" {}",
            "(".repeat(40_000)
        ),
    ];
    let device = cli::temp_file("filter-cli-hostile", "device.json", b"{}");
    let device = device.to_str().unwrap();
    for rule in &rules {
        for args in [
            vec!["filter", "check"],
            vec!["filter", "check", "--json"],
            vec!["filter", "fmt"],
            vec!["filter", "eval", "--device", device],
        ] {
            let o = run(&args, Some(rule));
            let (out, err) = (stdout(&o), stderr(&o));
            assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
            let printed = out.len() + err.len();
            assert!(printed < 200_000, "{args:?}: {printed} bytes");
            assert!(
                out.contains("nesting-too-deep")
                    || err.contains("nesting-too-deep")
                    || out.contains("too-many-diagnostics")
                    || err.contains("too-many-diagnostics"),
                "{args:?}: {out}{err}"
            );
            if args == ["filter", "check"] && err.contains("too-many-diagnostics") {
                // The summary counts what is listed, not the cap's own entry.
                assert!(
                    err.contains("100 errors, 0 warnings, 0 infos listed"),
                    "{err}"
                );
            }
            for text in [&out, &err] {
                assert!(
                    !text.contains(['\u{1b}', '\u{7}', '\u{202e}']),
                    "{args:?}: a raw control character in {text:?}"
                );
            }
        }
    }
}

/// Microsoft Learn, "Filter for devices": extension attributes are only available for devices
/// that are Intune-managed, compliant or hybrid joined. `filter eval` does not match a value the
/// service would see as null, and says why on stderr.
#[test]
fn eval_sees_no_extension_attribute_on_an_unmanaged_device() {
    let unmanaged = cli::temp_file(
        "filter-cli-ext",
        "unmanaged.json",
        br#"{"trustType":"AzureAD","isCompliant":false,"extensionAttribute1":"SAW"}"#,
    );
    let compliant = unmanaged.with_file_name("compliant.json");
    std::fs::write(
        &compliant,
        br#"{"trustType":"AzureAD","isCompliant":true,"extensionAttribute1":"SAW"}"#,
    )
    .unwrap();
    let rule = r#"device.extensionAttribute1 -eq "SAW""#;
    let o = run(
        &[
            "filter",
            "eval",
            "--device",
            unmanaged.to_str().unwrap(),
            rule,
        ],
        None,
    );
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), "false\n"));
    assert!(
        stderr(&o).starts_with("note: extensionAttribute1 read as null: Conditional Access sees extension attributes only on a device that is Intune-managed"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &[
            "filter",
            "eval",
            "--device",
            compliant.to_str().unwrap(),
            rule,
        ],
        None,
    );
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), "true\n"));
    assert_eq!(stderr(&o), "");
}
