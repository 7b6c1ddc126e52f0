//! Import → export is lossless for every real policy file in `../shared/corpus/policies/`,
//! through the library and through the `ca-policy import` binary.

use crate::support::corpus;
use ca_builder::policy::{import_document, Shape};
use serde_json::Value;
use std::process::Command;

/// The expected JSON, decoded here independently of the importer (BOM sniffing only).
fn expected(bytes: &[u8]) -> Value {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).unwrap()
    } else {
        String::from_utf8(
            bytes
                .strip_prefix(b"\xef\xbb\xbf")
                .unwrap_or(bytes)
                .to_vec(),
        )
        .unwrap()
    };
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_corpus_file_round_trips() {
    let all = corpus::files();
    // corpus/README.md: 133 files holding 403 policies.
    assert_eq!(all.len(), 133, "the corpus changed; update this test");
    let (mut n_files, mut n_policies) = (0, 0);
    let mut shapes = std::collections::BTreeMap::new();
    for path in &all {
        let rel = path
            .strip_prefix(corpus::root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(path).unwrap();
        if rel == corpus::BROKEN {
            let e = import_document(&bytes).unwrap_err();
            // The file starts `"locations": {`: a lone string, then a colon at line 1 column 12.
            assert_eq!((e.line, e.column), (1, 12), "{e}");
            assert!(e.message.contains("invalid JSON"), "{e}");
            continue;
        }
        if rel == corpus::DUPLICATE_KEY {
            // `"sessionControls": null` on line 6, `"sessionControls": {…}` on line 42: a reader
            // keeps one of them without a word, so the import names both and stops.
            let e = import_document(&bytes).unwrap_err();
            assert_eq!((e.line, e.column), (42, 5), "{e}");
            assert!(
                e.message.contains("/sessionControls") && e.message.contains("6:5"),
                "{e}"
            );
            continue;
        }
        let doc = import_document(&bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let mut want = expected(&bytes);
        if doc.shape == Shape::ListResponse {
            want = want["value"].take();
        }
        let got = doc.to_value();
        assert!(
            got == want,
            "{rel}: import → export changed the JSON\n got: {got}\nwant: {want}"
        );
        // `==` on JSON objects ignores order; the text does not: every object's properties
        // come back in the order they were read.
        assert_eq!(
            got.to_string(),
            want.to_string(),
            "{rel}: import → export changed the order of properties"
        );
        *shapes.entry(format!("{:?}", doc.shape)).or_insert(0) += 1;
        n_files += 1;
        n_policies += doc.policies.len();
    }
    assert_eq!(n_files, 131);
    // corpus/README.md counts 403 policies; one is in the file with a duplicate key.
    assert_eq!(n_policies, 402);
    // All three shapes occur, so each path of the importer is exercised.
    assert_eq!(shapes.len(), 3, "{shapes:?}");
}

fn run_import(arg: &str, stdin: Option<&[u8]>) -> (i32, String, String) {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ca-policy"));
    cmd.args(["import", arg])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    cmd.stdin(if stdin.is_some() {
        std::process::Stdio::piped()
    } else {
        std::process::Stdio::null()
    });
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn cli_import_prints_the_input_back() {
    for rel in [
        // UTF-16LE with BOM, beta export with @odata annotations.
        "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA000-Global-IdentityProtection-AnyApp-AnyPlatform-MFA.json",
        // A bare array on one line.
        "jsa2__caOptics/demodata/policies.json",
        // A single hand-written policy with `"locations": []` (an array where an object belongs).
        "AlexFilipin__ConditionalAccess/PolicyRepository/Attack surface reduction/306 - RING - Attack surface reduction - All apps Block Auth Transfer.json",
        // A file with an empty base name.
        "denis-beuermann__ConditionalAccess/samples/graphapi/json/.json",
    ] {
        let path = corpus::root().join(rel);
        let (code, out, err) = run_import(path.to_str().unwrap(), None);
        assert_eq!(code, 0, "{rel}: {err}");
        assert!(out.ends_with("}\n") || out.ends_with("]\n"), "{rel}: output ends with a newline");
        let got: Value = serde_json::from_str(&out).unwrap();
        let want = expected(&std::fs::read(&path).unwrap());
        assert!(got == want, "{rel}: CLI output differs from the input");
        assert_eq!(got.is_array(), want.is_array(), "{rel}: a single policy prints as an object, several as an array");
    }
}

#[test]
fn cli_import_reads_utf16_from_stdin_and_unwraps_list_responses() {
    let path = corpus::root().join("j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA000-Global-IdentityProtection-AnyApp-AnyPlatform-MFA.json");
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        bytes.starts_with(b"\xff\xfe"),
        "this corpus file is UTF-16LE with BOM"
    );
    let (code, out, err) = run_import("-", Some(&bytes));
    assert_eq!(code, 0, "{err}");
    assert!(serde_json::from_str::<Value>(&out).unwrap() == expected(&bytes));

    let list = br#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies","value":[{"id":"a","displayName":"one","state":"enabled","conditions":{}},{"id":"b","displayName":"two","state":"disabled","conditions":{}}]}"#;
    let (code, out, _) = run_import("-", Some(list));
    assert_eq!(code, 0);
    let got: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        got,
        serde_json::from_slice::<Value>(list).unwrap()["value"],
        "a list response prints its value array"
    );
}

#[test]
fn cli_import_names_file_line_and_column_of_broken_input() {
    let path = corpus::root().join(corpus::BROKEN);
    let (code, out, err) = run_import(path.to_str().unwrap(), None);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.starts_with(&format!("error: {}:1:12: invalid JSON", path.display())),
        "{err}"
    );

    let (code, _, err) = run_import("-", Some(b"[\n  {\"conditions\": {}},\n  42\n]"));
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: <stdin>:3:3: [1] is not a conditional access policy"),
        "{err}"
    );

    let (code, _, err) = run_import("/nonexistent/policy.json", None);
    assert_eq!(code, 2, "an unreadable file is not an input error: {err}");
    assert!(err.contains("/nonexistent/policy.json"), "{err}");
}
