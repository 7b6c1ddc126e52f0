//! The server configurations in hosting/ do what an internal site needs: the release build
//! served by Debian's nginx with hosting/nginx/ca-builder.conf sends the security headers and
//! cache rules, runs in Chromium, and refuses to be framed by a page of another origin; the
//! IIS web.config is well-formed and says the same things. nginx is started by the test, on a
//! free loopback port, with every path it writes in a temporary directory.

use crate::support::browser;

use browser::{dist_dir, free_port, serve_dist, serve_html, Browser};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NGINX: &str = "/usr/sbin/nginx";
/// Where the test's second server block serves the build, as an intranet often does.
const SUB_PATH: &str = "/tools/ca/";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A running nginx; stopped, and its directory removed, when dropped.
struct Nginx {
    child: Child,
    dir: PathBuf,
    /// Serves dist/ at `/`.
    port: u16,
    /// Serves dist/ at [`SUB_PATH`].
    sub_port: u16,
}

impl Nginx {
    fn start() -> Nginx {
        assert!(
            Path::new(NGINX).exists(),
            "{NGINX} is missing: this test serves dist/ with Debian's nginx; scripts/setup.sh installs it (apt-get install nginx)"
        );
        assert!(
            dist_dir().join("index.html").exists(),
            "dist/ is missing: run `trunk build --release` first (scripts/test.sh does)"
        );
        let (port, sub_port) = (free_port(), free_port());
        let dir = std::env::temp_dir().join(format!("ca-nginx-{}-{port}", std::process::id()));
        let www = dir.join("www");
        let sub = www.join(SUB_PATH.trim_matches('/'));
        std::fs::create_dir_all(sub.parent().expect("a sub-path has a parent")).unwrap();
        std::os::unix::fs::symlink(dist_dir(), &sub).unwrap();
        let d = dir.display();
        // Single process, in the foreground, nothing written outside `dir`.
        let conf = format!(
            r#"daemon off;
master_process off;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {d}/access.log;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {dist};
        include {include};
    }}
    server {{
        listen 127.0.0.1:{sub_port};
        root {www};
        include {include};
    }}
}}
"#,
            dist = dist_dir().display(),
            www = www.display(),
            include = repo().join("hosting/nginx/ca-builder.conf").display(),
        );
        let conf_path = dir.join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let args = |extra: &[&str]| {
            let mut c = Command::new(NGINX);
            c.arg("-p")
                .arg(&dir)
                .arg("-c")
                .arg(&conf_path)
                .arg("-e")
                .arg(dir.join("error.log"));
            c.args(extra);
            c
        };
        let test = args(&["-t"]).output().expect("run nginx -t");
        assert!(
            test.status.success(),
            "nginx rejects hosting/nginx/ca-builder.conf: {}",
            String::from_utf8_lossy(&test.stderr)
        );
        let child = args(&[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let mut nginx = Nginx {
            child,
            dir,
            port,
            sub_port,
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err()
            || TcpStream::connect(("127.0.0.1", sub_port)).is_err()
        {
            let exited = nginx.child.try_wait().ok().flatten();
            if exited.is_some() || started.elapsed() > Duration::from_secs(10) {
                let log = std::fs::read_to_string(nginx.dir.join("error.log")).unwrap_or_default();
                panic!("nginx did not start listening ({exited:?}): {log}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

struct Response {
    status: u16,
    /// Lower-case names; a repeated header keeps each value.
    headers: BTreeMap<String, Vec<String>>,
    body: Vec<u8>,
}

impl Response {
    /// The header's only value; a header sent twice (two `add_header` lines, or nginx and the
    /// include both setting it) fails here, since browsers then combine or pick one.
    fn header(&self, name: &str) -> Option<&str> {
        let values = self.headers.get(name)?;
        assert_eq!(
            values.len(),
            1,
            "{name} is sent {} times: {values:?}",
            values.len()
        );
        values.first().map(String::as_str)
    }
}

/// A plain HTTP/1.1 GET to 127.0.0.1:`port`.
fn get(port: u16, path: &str, extra_headers: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n{extra_headers}\r\n"
    )
    .unwrap();
    let mut raw = vec![];
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            headers
                .entry(k.trim().to_ascii_lowercase())
                .or_default()
                .push(v.trim().to_string());
        }
    }
    Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// The headers hosting/nginx/ca-builder.conf adds (`add_header NAME "VALUE" always;`), in order.
fn nginx_headers() -> Vec<(String, String)> {
    let conf = std::fs::read_to_string(repo().join("hosting/nginx/ca-builder.conf")).unwrap();
    conf.lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix("add_header "))
        .map(|rest| {
            let rest = rest
                .trim_end_matches(';')
                .trim_end()
                .trim_end_matches("always")
                .trim_end();
            let (name, value) = rest.split_once(' ').expect("add_header NAME VALUE");
            (name.to_string(), value.trim().trim_matches('"').to_string())
        })
        .collect()
}

/// The security headers both configurations must send on every response.
const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
];

fn assert_security_headers(what: &str, r: &Response) {
    for (name, want) in SECURITY_HEADERS {
        assert_eq!(
            r.header(&name.to_ascii_lowercase()),
            Some(want),
            "{what}: {name} (status {})",
            r.status
        );
    }
}

/// Every file of the build but index.html, relative to dist/.
fn built_files() -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if let Ok(rel) = p.strip_prefix(base) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = vec![];
    walk(&dist_dir(), &dist_dir(), &mut out);
    out.retain(|f| f != "index.html" && !f.starts_with('.'));
    out.sort();
    out
}

fn expected_content_type(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("wasm") => "application/wasm",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        other => {
            panic!("dist/ holds {file}, of a type ({other:?}) neither hosting configuration names")
        }
    }
}

#[test]
fn nginx_sends_the_security_headers_and_cache_rules() {
    let nginx = Nginx::start();
    for (port, prefix) in [(nginx.port, "/"), (nginx.sub_port, SUB_PATH)] {
        for page in [prefix.to_string(), format!("{prefix}index.html")] {
            let r = get(port, &page, "");
            assert_eq!(r.status, 200, "GET {page}");
            assert_security_headers(&format!("GET {page}"), &r);
            assert_eq!(r.header("content-type"), Some("text/html"), "GET {page}");
            // A new release must be seen on the next load: the page names the hashed files.
            assert_eq!(r.header("cache-control"), Some("no-cache"), "GET {page}");
            assert_eq!(
                r.body,
                std::fs::read(dist_dir().join("index.html")).unwrap(),
                "GET {page}"
            );
        }
        let files = built_files();
        assert!(
            files.iter().any(|f| f.ends_with("_bg.wasm")),
            "no wasm in dist/: {files:?}"
        );
        for file in &files {
            let path = format!("{prefix}{file}");
            let r = get(port, &path, "");
            assert_eq!(r.status, 200, "GET {path}");
            assert_security_headers(&format!("GET {path}"), &r);
            assert_eq!(
                r.header("content-type"),
                Some(expected_content_type(file)),
                "GET {path}"
            );
            // Every built file is named by its content hash, so it can be cached for good; a
            // file the rule misses would be revalidated on every load instead.
            assert_eq!(
                r.header("cache-control"),
                Some("public, max-age=31536000, immutable"),
                "GET {path}: is {file} named NAME-<hash>.EXT?"
            );
            assert_eq!(
                r.body,
                std::fs::read(dist_dir().join(file)).unwrap(),
                "GET {path}"
            );
        }
        let wasm = files
            .iter()
            .find(|f| f.ends_with(".wasm"))
            .expect("a wasm file");
        let zipped = get(
            port,
            &format!("{prefix}{wasm}"),
            "Accept-Encoding: gzip\r\n",
        );
        assert_eq!(
            zipped.header("content-encoding"),
            Some("gzip"),
            "the wasm is not compressed"
        );
        assert_eq!(zipped.header("vary"), Some("Accept-Encoding"));
        assert_eq!(zipped.header("content-type"), Some("application/wasm"));
        // Errors carry the headers too (`always`), so no response of the site can be framed.
        let missing = get(port, &format!("{prefix}no-such-file"), "");
        assert_eq!(missing.status, 404);
        assert_security_headers("a 404", &missing);
    }
}

/// Waits until the framing page's iframe has loaded, then reports what the frame holds.
async fn framed_state(b: &Browser) -> (String, bool) {
    let started = Instant::now();
    while b.js("return window.frameLoaded === true").await != serde_json::json!(true) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the iframe never fired its load event"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut state = (String::new(), false);
    // An allowed frame renders the app within seconds; a refused one never does.
    for _ in 0..30 {
        b.client.enter_frame(0).await.expect("enter the iframe");
        let href = b
            .js("return location.href")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string();
        let app = b
            .js("return document.querySelector('#phase-nav [data-phase]') !== null")
            .await;
        b.client
            .enter_parent_frame()
            .await
            .expect("leave the iframe");
        state = (href, app.as_bool() == Some(true));
        if state.1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    state
}

fn framing_page(target: &str) -> String {
    format!(
        "<!DOCTYPE html><title>framing</title><iframe src=\"{target}\" width=\"1000\" height=\"700\" onload=\"window.frameLoaded = true\"></iframe>"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_by_nginx_the_app_runs_and_cannot_be_framed() {
    let nginx = Nginx::start();
    let b = Browser::start(&[]).await;
    // The header CSP and the page's meta CSP are both enforced: the app must still load.
    b.open_app(&format!("http://127.0.0.1:{}/", nginx.port))
        .await;
    b.open_phase("everyone").await;
    b.set_value("#device-filter-rule", "device.trustType -eq \"AzureAD\"")
        .await;
    b.open_app(&format!("http://127.0.0.1:{}{SUB_PATH}", nginx.sub_port))
        .await;

    // Control: the same framing page around the plain test server (no headers) shows the app,
    // so the check below can tell a framed app from a refused one.
    let plain = serve_dist("/").await;
    let framer = serve_html(framing_page(&format!("http://127.0.0.1:{plain}/"))).await;
    b.client
        .goto(&format!("http://127.0.0.1:{framer}/"))
        .await
        .unwrap();
    let (href, app) = framed_state(&b).await;
    assert!(
        app,
        "control: the app did not render inside an iframe without the headers ({href})"
    );

    // Another loopback origin frames the nginx-served app: Chromium refuses to render it.
    let target = format!("http://127.0.0.1:{}/", nginx.port);
    let framer = serve_html(framing_page(&target)).await;
    b.client
        .goto(&format!("http://127.0.0.1:{framer}/"))
        .await
        .unwrap();
    let (href, app) = framed_state(&b).await;
    assert!(!app, "the app rendered inside a page of another origin");
    assert!(
        href.starts_with("chrome-error://"),
        "the refused frame shows {href}, not Chromium's error page"
    );
    b.screenshot("hosting-framing-refused").await;
    b.close().await;
    drop(nginx);
}

// ---------------------------------------------------------------------------------------------
// IIS: no IIS here, so the file is checked for what IIS reads from it.

/// hosting/iis/web.config read by Python's XML parser (a malformed file is an HTTP 500 for
/// every request on IIS), as JSON: headers, MIME maps and cache settings.
fn web_config() -> serde_json::Value {
    let script = r#"
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ws = root.find("system.webServer")
sc = ws.find("staticContent")
removed = [e.get("fileExtension") for e in sc.findall("remove")]
out = {
    "root": root.tag,
    "headers": [[e.get("name"), e.get("value")] for e in ws.find("httpProtocol/customHeaders").findall("add")],
    "removedHeaders": [e.get("name") for e in ws.find("httpProtocol/customHeaders").findall("remove")],
    "mime": {e.get("fileExtension"): e.get("mimeType") for e in sc.findall("mimeMap")},
    "mimeRemovedFirst": all(e.get("fileExtension") in removed for e in sc.findall("mimeMap")),
    "cache": sc.find("clientCache").attrib,
    "defaultDocument": [e.get("value") for e in ws.findall("defaultDocument/files/add")],
    "locations": {l.get("path"): l.find("system.webServer/staticContent/clientCache").attrib for l in root.findall("location")},
}
print(json.dumps(out))
"#;
    let path = repo().join("hosting/iis/web.config");
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{} is not the expected well-formed XML: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn iis_web_config_is_well_formed_and_matches_the_nginx_configuration() {
    let c = web_config();
    assert_eq!(c["root"], "configuration");
    let iis: Vec<(String, String)> = serde_json::from_value(c["headers"].clone()).unwrap();
    let want: Vec<(String, String)> = SECURITY_HEADERS
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    assert_eq!(iis, want, "web.config's custom headers");
    let nginx: Vec<(String, String)> = nginx_headers()
        .into_iter()
        .filter(|(n, _)| n != "Cache-Control")
        .collect();
    assert_eq!(nginx, want, "ca-builder.conf's add_header lines");
    assert_eq!(c["removedHeaders"], serde_json::json!(["X-Powered-By"]));

    // Every kind of file the build holds has its MIME type, each mapping after a <remove>
    // (IIS refuses a second mapping of an extension it already maps).
    for file in built_files() {
        let ext = format!(".{}", file.rsplit('.').next().unwrap_or_default());
        assert_eq!(
            c["mime"][&ext].as_str(),
            Some(expected_content_type(&file)),
            "web.config's MIME type for {file}"
        );
    }
    assert_eq!(c["mimeRemovedFirst"], true);

    // Hashed files for a year; index.html (also served for /) revalidated every time.
    assert_eq!(c["cache"]["cacheControlMode"], "UseMaxAge");
    assert_eq!(c["cache"]["cacheControlMaxAge"], "365.00:00:00");
    assert_eq!(c["cache"]["cacheControlCustom"], "public, immutable");
    assert_eq!(c["defaultDocument"], serde_json::json!(["index.html"]));
    assert_eq!(
        c["locations"]["index.html"]["cacheControlMode"],
        "DisableCache"
    );
}

/// The meta CSP (the full policy, with the loader's hash) and a header CSP are both enforced;
/// the header must only add what a meta tag cannot carry, so it can neither conflict with the
/// page's policy nor go stale when a rebuild changes the loader's hash.
#[test]
fn the_header_policy_only_adds_what_a_meta_tag_cannot_carry() {
    let html = std::fs::read_to_string(repo().join("index.html")).unwrap();
    let at = html
        .find("Content-Security-Policy")
        .expect("a meta CSP in index.html");
    let content = &html[at..];
    let start = content.find("content=\"").expect("the meta CSP's content") + 9;
    let meta = &content[start..start + content[start..].find('"').unwrap()];
    let directives = |policy: &str| -> Vec<String> {
        policy
            .split(';')
            .filter_map(|d| d.split_whitespace().next())
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let (_, header) = SECURITY_HEADERS[0];
    // Directives a <meta> policy ignores (CSP level 3, §"meta element").
    let meta_cannot = ["frame-ancestors", "report-uri", "sandbox"];
    for d in directives(header) {
        assert!(
            meta_cannot.contains(&d.as_str()),
            "the header policy sets {d}, which the page's meta policy owns: {header}"
        );
        assert!(!directives(meta).contains(&d), "{d} is in both policies");
    }
}
