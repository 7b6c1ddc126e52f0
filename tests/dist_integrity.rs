//! The release build in dist/ must load under its own rules: the CSP allows
//! trunk's inline loader only by its hash, and every `integrity` attribute must
//! match the file it names (the build's hooks rewrite both after trunk). A
//! mismatch means a page that stays blank; this says which file and why
//! before any browser starts.
#![cfg(not(target_arch = "wasm32"))]

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
