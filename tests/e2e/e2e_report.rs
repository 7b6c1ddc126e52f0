//! End-to-end: the change document (`ca-policy report --format html`'s page) opened in headless
//! Chromium from a file, with every host name mapped to a loopback server that records what
//! reaches it: the page makes no request (none recorded, no resource entry), runs no script,
//! shows its hostile names as text, and draws the bootstrap grid as SVG. A screenshot goes to
//! target/screenshots/.

use std::sync::Arc;

use crate::support::browser::Browser;

use ca_builder::analysis::bootstrap::MethodsPolicy;
use ca_builder::app::report::{document, ReportRequest};
use ca_builder::export::report::html;
use ca_builder::names::Labels;
use ca_builder::policy::templates::{Template, TemplateParams};
use ca_builder::policy::Field;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

const PILOT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const BREAK_GLASS: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";
const HOSTILE: &str =
    "<img src=https://example.com/x.png onerror=alert(1)><script>alert(2)</script>";

/// A server that keeps the first bytes of every connection made to it (an HTTP request head,
/// or a TLS hello with the host name) and answers 404.
async fn recorder() -> (u16, Arc<std::sync::Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let mut head = [0u8; 2048];
            let n = tokio::io::AsyncReadExt::read(&mut s, &mut head)
                .await
                .unwrap_or(0);
            record
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(&head[..n]).into_owned());
            let _ = s
                .write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
                .await;
        }
    });
    (port, seen)
}

fn page() -> String {
    let mut labels = Labels::new();
    labels.insert(BREAK_GLASS, HOSTILE).unwrap();
    labels.insert(PILOT, "Passkey pilot").unwrap();
    let policies = Template::ALL
        .iter()
        .map(|&t| {
            let mut p = t
                .build(&TemplateParams {
                    exclude_users: vec![BREAK_GLASS.into()],
                    pilot_group: (t == Template::Pilot).then(|| PILOT.to_string()),
                    ..Default::default()
                })
                .unwrap();
            if t == Template::Hardening {
                p.display_name = Field::Value(format!("Hardening {HOSTILE}"));
            }
            p
        })
        .collect();
    html(&document(&ReportRequest {
        policies,
        labels,
        methods: Some(MethodsPolicy::default()),
        pilot_group: PILOT.into(),
        tenant: None,
    }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_change_document_makes_no_request_and_shows_names_as_text() {
    let (port, seen) = recorder().await;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-report");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("change-document.html");
    std::fs::write(&file, page()).unwrap();

    let b = Browser::start(&[format!(
        "--host-resolver-rules=MAP * 127.0.0.1:{port}, EXCLUDE localhost, EXCLUDE 127.0.0.1"
    )])
    .await;
    b.client
        .goto(&format!("file://{}", file.display()))
        .await
        .unwrap();
    let h1 = b.text("h1").await;
    assert!(h1.starts_with("Change document"), "{h1}");

    let facts = b
        .js("return {
            scripts: document.scripts.length,
            images: document.images.length,
            resources: performance.getEntriesByType('resource').length,
            rects: document.querySelectorAll('svg.grid rect').length,
            text: document.body.innerText,
        }")
        .await;
    assert_eq!(facts["scripts"], 0, "no script ran from the data");
    assert_eq!(facts["images"], 0, "no image element from the data");
    assert_eq!(facts["resources"], 0, "no resource fetched");
    assert_eq!(facts["rects"], 48, "8 personas × 6 devices");
    let text = facts["text"].as_str().unwrap();
    assert!(text.contains(HOSTILE), "the hostile name shown as text");

    b.screenshot("change-document").await;
    b.js("document.querySelector('svg.grid').scrollIntoView(); return null")
        .await;
    b.screenshot("change-document-grid").await;

    // Printed on A4 and on Letter: a PDF of several pages each, kept for review beside the
    // screenshots; the print rules keep rows, term lists, code and the picture whole.
    let print_rules = b
        .js("return [...document.styleSheets[0].cssRules]
            .filter(r => r.media && r.media.mediaText === 'print')
            .map(r => r.cssText).join(' ')")
        .await;
    let print_rules = print_rules.as_str().unwrap();
    for rule in ["break-inside: avoid", "table-header-group"] {
        assert!(print_rules.contains(rule), "{rule} in {print_rules}");
    }
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    for (name, size) in [
        ("a4", fantoccini::wd::PrintSize::A4),
        ("letter", fantoccini::wd::PrintSize::US_LETTER),
    ] {
        let config = fantoccini::wd::PrintConfiguration::builder()
            .size(size)
            .build()
            .unwrap();
        let pdf = b.client.print(config).await.unwrap();
        assert!(pdf.starts_with(b"%PDF"), "{name}");
        std::fs::write(shots.join(format!("change-document-{name}.pdf")), &pdf).unwrap();
    }

    // At the width of a printed page (A4 less its margins, about 690 CSS pixels) nothing is
    // wider than the page: tables wrap their cells, the picture scales down.
    b.client.set_window_size(720, 900).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let overflow = b
        .js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        .await;
    let widest = b
        .js("const w = document.documentElement.clientWidth;
            return [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > w + 1)
              .slice(0, 3).map(e => e.tagName + ' ' + e.getBoundingClientRect().right + ' ' + (e.textContent || '').slice(0, 60))")
        .await;
    assert_eq!(overflow, 0, "wider than the page: {widest}");
    // Anything the page fetched would have reached the recorder, named by its host. Chromium's
    // own background traffic (component updates, time checks to Google's hosts) reaches it
    // too, whatever the page, so only the hosts the page names are looked for.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    for r in seen.lock().unwrap().iter() {
        assert!(!r.contains("example.com"), "the page fetched: {r:?}");
    }
    b.close().await;
}
