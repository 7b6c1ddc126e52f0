//! What `ca-policy` prints for a person holds no character a terminal acts on (ESC, the other
//! C0 and C1 controls) or that reorders what it shows (bidi overrides and isolates), wherever
//! it came from: a file, a rule, an argument, a file name. JSON output escapes them and still
//! holds the exact data; a formatted rule sent to a file is the exact rule. An argument that is
//! not UTF-8 is a usage error that says which one.

use crate::support::cli;

use serde_json::{json, Value};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

/// ESC sequences (clear screen, set the window title), BEL, CSI as a C1 control, CR, DEL, the
/// bidi override, embedding, isolate and mark characters.
const HOSTILE: &str = "a\u{1b}[2J\u{1b}]0;owned\u{7}b\u{9b}31m\rc\u{7f}d\u{202e}e\u{202b}f\u{2066}g\u{2069}h\u{200f}i\u{61c}";

/// The first character of `s` a terminal would act on or that reorders text, if any.
fn raw_unsafe(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(
                c,
                '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            )
    })
}

fn assert_clean(what: &str, stream: &str, text: &str) {
    if let Some(c) = raw_unsafe(text) {
        panic!("{what}: {stream} holds raw {c:?}:\n{text:?}");
    }
}

fn run(what: &str, args: &[&str], code: i32) -> cli::Run {
    let r = cli::ca_policy(args, b"");
    assert_eq!(r.code, code, "{what}: {}", r.stderr);
    assert_clean(what, "stderr", &r.stderr);
    assert_clean(what, "stdout", &r.stdout);
    r
}

fn policy(name: &str) -> Value {
    json!({
        "displayName": name,
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]},
            "devices": {"deviceFilter": {"mode": "exclude", "rule": format!("device.displayName -eq \"{name}\"")}}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    })
}

#[test]
fn lint_filter_and_error_messages_show_controls_and_bidi_as_escapes() {
    let file = cli::temp_file(
        "output_cli",
        "hostile.json",
        policy(HOSTILE).to_string().as_bytes(),
    );
    let f = file.to_str().unwrap();
    let naming = format!("CA{HOSTILE}*");

    // Exit 1: the device rule's control characters are an error finding.
    let r = run("lint", &["lint", "--naming", &naming, f], 1);
    assert!(r.stdout.contains("naming-convention"), "{}", r.stdout);
    // The characters are still there for the admin to see, as escapes.
    assert!(
        r.stdout.contains("\\u{202e}") && r.stdout.contains("\\u{1b}"),
        "{}",
        r.stdout
    );

    let rule = format!("device.displayName -eq \"{HOSTILE}\"");
    let r = run("filter check", &["filter", "check", &rule], 1);
    assert!(r.stdout.contains("\\u{1b}"), "{}", r.stdout);
    run("filter eval", &["filter", "eval", "--device", f, &rule], 1);
    run("filter fmt", &["filter", "fmt", &rule], 1);

    let missing = format!("/nonexistent/{HOSTILE}.json");
    let r = run(
        "unreadable file",
        &["export", "--format", "json", &missing],
        2,
    );
    assert!(
        r.stderr.contains("cannot read /nonexistent/a\\u{1b}[2J"),
        "{}",
        r.stderr
    );
    let r = run("unknown option", &["export", &format!("--x{HOSTILE}")], 2);
    assert!(
        r.stderr.contains("unknown option --xa\\u{1b}"),
        "{}",
        r.stderr
    );
    run("template name", &["template", HOSTILE], 2);
    run(
        "auth-strength option",
        &["auth-strength", "--format", HOSTILE],
        2,
    );

    // A pasted configuration's stored values, in the PATCH's effect text.
    let current = json!({
        "state": "enabled",
        "includeTargets": [{"targetType": "group", "id": HOSTILE, "isRegistrationRequired": false}]
    });
    let cur = cli::temp_file("output_cli", "current.json", current.to_string().as_bytes());
    let pilot = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    let args = [
        "passkey-policy",
        "--pilot-group",
        pilot,
        "--current",
        cur.to_str().unwrap(),
    ];
    let r = run("effect", &[&args[..], &["--format", "effect"]].concat(), 0);
    assert!(r.stdout.contains("\\u{202e}"), "{}", r.stdout);
}

#[test]
fn json_output_escapes_them_and_keeps_the_exact_data() {
    let file = cli::temp_file(
        "output_cli",
        "json.json",
        policy(HOSTILE).to_string().as_bytes(),
    );
    let f = file.to_str().unwrap();

    let r = run("export json", &["export", "--format", "json", f], 0);
    let body = r.stdout.split_once("\n\n").unwrap().1;
    let v: Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["displayName"], HOSTILE);

    let r = run("import", &["import", f], 0);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["displayName"], HOSTILE);

    let r = run("lint --json", &["lint", "--json", "--naming", "CA*", f], 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v.to_string().contains("naming-convention"));

    let r = run(
        "template",
        &["template", "mfa-compensating", "--display-name", HOSTILE],
        0,
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["displayName"], HOSTILE);

    let rule = format!("device.displayName -eq \"{HOSTILE}\"");
    let r = run(
        "filter check --json",
        &["filter", "check", "--json", &rule],
        1,
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["valid"], false);

    let r = run(
        "auth-strength json",
        &["auth-strength", "--display-name", HOSTILE],
        0,
    );
    let body = &r.stdout[r.stdout.find('{').unwrap()..];
    let first: Value = serde_json::Deserializer::from_str(body)
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(first["displayName"], HOSTILE);
}

#[test]
fn a_formatted_rule_sent_to_a_file_is_the_exact_rule() {
    // Bidi characters are valid in a value (with a warning); `fmt` output is data.
    let rule = "device.displayName   -eq \"a\u{202e}b\"";
    let r = cli::ca_policy(&["filter", "fmt", rule], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "device.displayName -eq \"a\u{202e}b\"\n");
}

#[test]
fn a_formatted_rule_on_a_terminal_is_shown_escaped() {
    use std::io::Read;
    use std::os::fd::FromRawFd;
    let (mut master, slave) = unsafe {
        let (mut m, mut s) = (0, 0);
        let rc = libc::openpty(
            &mut m,
            &mut s,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        );
        assert_eq!(rc, 0, "openpty");
        (std::fs::File::from_raw_fd(m), std::fs::File::from_raw_fd(s))
    };
    let rule = "device.displayName   -eq \"a\u{202e}b\u{2066}\"";
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ca-policy"));
    cmd.args(["filter", "fmt", rule])
        .stdin(std::process::Stdio::null())
        .stdout(slave)
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().unwrap();
    // The command holds the terminal's other end until dropped; then reading ends at EOF/EIO.
    drop(cmd);
    assert!(child.wait().unwrap().success());
    let mut shown = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = master.read(&mut buf) {
        if n == 0 {
            break;
        }
        shown.extend_from_slice(&buf[..n]);
    }
    let shown = String::from_utf8(shown).unwrap().replace("\r\n", "\n");
    assert_eq!(shown, "device.displayName -eq \"a\\u{202e}b\\u{2066}\"\n");
}

#[test]
fn arguments_that_are_not_utf8_are_a_usage_error_naming_the_argument() {
    // Latin-1 é, an ESC sequence and a stray 0xFF.
    let bad = || OsString::from_vec(b"caf\xe9\x1b[31m\xff".to_vec());
    let s = |t: &str| OsString::from(t);
    let cases: Vec<(Vec<OsString>, usize)> = vec![
        (vec![bad()], 1),
        (vec![s("filter"), s("check"), bad()], 3),
        (vec![s("export"), s("--format"), bad(), s("x.json")], 3),
        (vec![s("lint"), s("--naming"), s("CA*"), bad()], 4),
        (vec![s("auth-strength"), s("--display-name"), bad()], 3),
        (
            vec![s("rollout"), s("--script"), s("--new-group"), bad()],
            4,
        ),
    ];
    for (args, position) in cases {
        let out = cli::output_os(&args, b"");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            stderr.starts_with(&format!(
                "error: argument {position} is not valid UTF-8: caf\\xE9\\u{{1b}}[31m\\xFF\n"
            )),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("usage: ca-policy"), "{stderr}");
        assert_clean("non-UTF-8 argument", "stderr", &stderr);
    }
}

/// `--help` of every command prints that command's usage on stdout and exits 0, like
/// `--version`; what a script pipes to a pager or a file is the text, with nothing on stderr.
#[test]
fn every_command_has_help_on_stdout() {
    for (args, head) in [
        (vec!["--help"], "usage: ca-policy <command> [options]\n"),
        (vec!["help"], "usage: ca-policy <command> [options]\n"),
        (vec!["-h"], "usage: ca-policy <command> [options]\n"),
        (vec!["filter", "--help"], "usage: ca-policy filter check"),
        (
            vec!["filter", "check", "--help"],
            "usage: ca-policy filter check",
        ),
        (
            vec!["filter", "eval", "-h"],
            "usage: ca-policy filter check",
        ),
        (
            vec!["filter", "fmt", "--help"],
            "usage: ca-policy filter check",
        ),
        (vec!["template", "--help"], "usage: ca-policy template NAME"),
        (vec!["import", "--help"], "usage: ca-policy import FILE|-"),
        (vec!["export", "--help"], "usage: ca-policy export --format"),
        (vec!["lint", "--help"], "usage: ca-policy lint [--json]"),
        (vec!["help", "lint"], "usage: ca-policy lint [--json]"),
        (
            vec!["passkey-policy", "--help"],
            "usage:\n  ca-policy passkey-policy",
        ),
        (
            vec!["tap-policy", "--help"],
            "usage:\n  ca-policy passkey-policy",
        ),
        (
            vec!["auth-strength", "--help"],
            "usage:\n  ca-policy passkey-policy",
        ),
        (
            vec!["rollout", "--help"],
            "usage:\n  ca-policy passkey-policy",
        ),
    ] {
        let r = run("help", &args, 0);
        assert!(r.stdout.starts_with(head), "{args:?}: {}", r.stdout);
        assert!(
            r.stdout.ends_with('\n') && !r.stdout.ends_with("\n\n"),
            "{args:?}"
        );
        assert!(r.stderr.is_empty(), "{args:?}: {}", r.stderr);
    }
    // The top-level help is the README's command list.
    let r = run("help", &["--help"], 0);
    for command in [
        "filter check",
        "filter eval",
        "template NAME",
        "export --format",
        "import FILE",
        "lint [--json]",
        "rollout",
    ] {
        assert!(r.stdout.contains(command), "{command}: {}", r.stdout);
    }
    let template = run("template help", &["template", "--help"], 0);
    assert!(
        template.stdout.contains("\n  protect-registration "),
        "{}",
        template.stdout
    );
    let r = run("version", &["--version"], 0);
    assert_eq!(
        r.stdout,
        format!("ca-policy {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// The parser's own refusals read as the hand-written parser's did, on stderr with the
/// command's usage and exit 2; and what it accepts it accepts in both spellings.
#[test]
fn usage_errors_name_the_option_and_both_spellings_work() {
    for (args, message, usage) in [
        (
            vec!["filter", "check", "--json=yes", "x"],
            "error: --json takes no value\n",
            "usage: ca-policy <command>",
        ),
        (
            vec!["filter", "check", "--nope"],
            "error: unknown option `--nope`\n",
            "usage: ca-policy <command>",
        ),
        (
            vec!["filter", "check", "--nope", "x"],
            "error: unknown option `--nope`\n",
            "usage: ca-policy <command>",
        ),
        (
            vec!["filter"],
            "error: expected `filter check`, `filter eval` or `filter fmt`\n",
            "usage: ca-policy <command>",
        ),
        (
            vec!["filter", "frob"],
            "error: unknown filter command `frob`\n",
            "usage: ca-policy <command>",
        ),
        (
            vec![],
            "error: expected a command\n",
            "usage: ca-policy <command>",
        ),
        (
            vec!["tap-policy", "--length=four"],
            "error: --length needs a whole number, not \"four\"\n",
            "usage:\n  ca-policy passkey-policy",
        ),
        (
            vec!["passkey-policy", "--lifetime", "5"],
            "error: unknown option --lifetime\n",
            "usage:\n  ca-policy passkey-policy",
        ),
        (
            vec!["passkey-policy", "--app-protection", "--format", "json"],
            "error: passkey-policy --app-protection does not take --format\n",
            "usage:\n  ca-policy passkey-policy",
        ),
        (
            vec!["import", "a.json", "b.json"],
            "error: import takes one FILE or -\n",
            "usage: ca-policy import FILE|-",
        ),
        (
            vec!["export", "--format", "json", "--update"],
            "error: --update needs a value\n",
            "usage: ca-policy export",
        ),
    ] {
        let r = run("usage", &args, 2);
        assert!(r.stdout.is_empty(), "{args:?}");
        assert!(r.stderr.starts_with(message), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("\n\n{usage}")),
            "{args:?}: {}",
            r.stderr
        );
    }
    // `--opt value` and `--opt=value`; the last of a repeated option counts; a value or a
    // rule may start with `-`.
    let a = run(
        "spelling",
        &[
            "template",
            "mfa-compensating",
            "--display-name",
            "-x",
            "--state",
            "disabled",
            "--state=enabled",
        ],
        0,
    );
    let v: Value = serde_json::from_str(&a.stdout).unwrap();
    assert_eq!(
        (v["displayName"].as_str(), v["state"].as_str()),
        (Some("-x"), Some("enabled"))
    );
    let r = run(
        "rule with -not",
        &[
            "filter",
            "check",
            "--json",
            "-not (device.isCompliant -eq True)",
        ],
        1,
    );
    assert!(r.stdout.contains("not-operator"), "{}", r.stdout);
    let r = run(
        "escaped rule",
        &["filter", "fmt", "--", "device.isCompliant -eq True"],
        0,
    );
    assert_eq!(r.stdout, "device.isCompliant -eq True\n");
}
