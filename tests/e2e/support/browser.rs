//! End-to-end support: serves the trunk-built `dist/` on 127.0.0.1 (optionally
//! under a sub-path, like an internal web server would) and drives Debian's
//! Chromium through chromedriver with fantoccini. Each `Browser` has its own
//! chromedriver, profile directory and static server, so tests run in parallel;
//! a `Browser` started with [`Browser::start_alone`] (the measurements) waits until
//! no other browser is open and keeps the others from starting while it lives, so a
//! timing never shares the machine with another Chromium of this test binary.

use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};

/// Every open `Browser` holds this: shared by ordinary sessions, exclusive for a measuring one.
/// The tests share one process, so a lock in it is enough; a test opens its browsers one after
/// another (holding two shared guards at once could wait forever behind a queued exclusive one).
static SESSIONS: LazyLock<Arc<RwLock<()>>> = LazyLock::new(Default::default);

/// Held, never read: dropping it lets the waiting sessions start.
enum Session {
    Shared(#[allow(dead_code)] OwnedRwLockReadGuard<()>),
    Alone(#[allow(dead_code)] OwnedRwLockWriteGuard<()>),
}

pub fn dist_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dist")
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// Reads the whole request head (GETs have no body): closing a socket with unread bytes
/// resets it, which can cut the response short. `None` when the client went away first.
async fn read_request_head(s: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
    let (mut buf, mut chunk) = (Vec::new(), [0u8; 4096]);
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 1 << 16 {
        match s.read(&mut chunk).await {
            Ok(n) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            _ => return None,
        }
    }
    Some(buf)
}

/// Serves `dist/` under `prefix` (e.g. "/tools/ca/"), GET only. Anything
/// outside the prefix is a 404, so a page that asks for an absolute path
/// (`/index.js`) instead of a relative one fails visibly.
pub async fn serve_dist(prefix: &'static str) -> u16 {
    assert!(
        dist_dir().join("index.html").exists(),
        "dist/ is missing: run `trunk build --release` first (scripts/test.sh does)"
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let Some(buf) = read_request_head(&mut s).await else {
                    return;
                };
                let req = String::from_utf8_lossy(&buf);
                let path = req.split_whitespace().nth(1).unwrap_or("/");
                let path = path.split(['?', '#']).next().unwrap_or("/").to_string();
                let file = path.strip_prefix(prefix).map(|rel| {
                    let rel = if rel.is_empty() { "index.html" } else { rel };
                    dist_dir().join(rel)
                });
                let (status, body, ct) = match file
                    .filter(|_| !path.contains(".."))
                    .map(|f| (std::fs::read(&f), f))
                {
                    Some((Ok(b), f)) => ("200 OK", b, content_type(&f)),
                    _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = s.write_all(head.as_bytes()).await;
                let _ = s.write_all(&body).await;
                let _ = s.shutdown().await;
            });
        }
    });
    port
}

/// Serves `html` for every GET, on a loopback port of its own (so a page of another origin
/// than the app's server, e.g. one that tries to frame the app).
pub async fn serve_html(html: String) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let html = std::sync::Arc::new(html);
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let html = html.clone();
            tokio::spawn(async move {
                if read_request_head(&mut s).await.is_none() {
                    return;
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                    html.len()
                );
                let _ = s.write_all(head.as_bytes()).await;
                let _ = s.write_all(html.as_bytes()).await;
                let _ = s.shutdown().await;
            });
        }
    });
    port
}

/// The phase that holds the draft's step `i`: a new draft's steps are, in order,
/// mfa-compensating (Everyone), pilot (Pilot), hardening (Harden), protect-registration (Pilot)
/// and user-risk (Harden); imported steps come after them (Prepare).
pub fn phase_of_step(i: usize) -> &'static str {
    match i {
        0 => "everyone",
        1 | 3 => "pilot",
        2 | 4 => "harden",
        _ => "prepare",
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Browser {
    pub client: Client,
    driver: tokio::process::Child,
    profile: PathBuf,
    /// Released last, after the driver and its Chromium are gone.
    _session: Session,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium. `extra_args` are added to
    /// Chromium's command line (e.g. host-resolver rules for a fake Graph).
    pub async fn start(extra_args: &[String]) -> Browser {
        let session = Session::Shared(SESSIONS.clone().read_owned().await);
        Browser::start_with(extra_args, None, session).await
    }

    /// As `start`, for a measurement: waits until every other browser of this test binary
    /// is closed, and no other starts until this one is closed or dropped.
    pub async fn start_alone(extra_args: &[String]) -> Browser {
        let session = Session::Alone(SESSIONS.clone().write_owned().await);
        Browser::start_with(extra_args, None, session).await
    }

    /// As `start`, emulating a phone of `width` CSS pixels (Chrome's mobile emulation, so the
    /// page's viewport meta applies; a headless window cannot be narrower than 500 pixels).
    pub async fn start_phone(width: u32) -> Browser {
        let session = Session::Shared(SESSIONS.clone().read_owned().await);
        Browser::start_with(&[], Some(serde_json::json!({
            "deviceMetrics": { "width": width, "height": 844, "pixelRatio": 2.0, "mobile": true, "touch": true }
        })), session)
        .await
    }

    async fn start_with(
        extra_args: &[String],
        mobile: Option<serde_json::Value>,
        session: Session,
    ) -> Browser {
        let driver_bin =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let dport = free_port();
        let driver = tokio::process::Command::new(driver_bin)
            .arg(format!("--port={dport}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start chromedriver (scripts/setup.sh installs it)");
        let profile = std::env::temp_dir().join(format!("ca-e2e-{}-{dport}", std::process::id()));
        let mut args: Vec<String> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.extend(extra_args.iter().cloned());
        let caps: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
            "acceptInsecureCerts": true,
            "goog:loggingPrefs": { "browser": "ALL" },
            "goog:chromeOptions": {
                "binary": std::env::var("CHROME_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": args,
            }
        }))
        .unwrap();
        let mut caps = caps;
        if let Some(m) = mobile {
            caps["goog:chromeOptions"]
                .as_object_mut()
                .unwrap()
                .insert("mobileEmulation".into(), m);
        }
        let url = format!("http://127.0.0.1:{dport}");
        let mut last_err = None;
        for _ in 0..100 {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        driver,
                        profile,
                        _session: session,
                    }
                }
                Err(e) => {
                    last_err = Some(e);
                    tokio::time::sleep(Duration::from_millis(200)).await
                }
            }
        }
        panic!("could not connect to chromedriver: {last_err:?}");
    }

    /// Opens the app and waits until Yew has rendered it.
    pub async fn open_app(&self, url: &str) {
        self.client.goto(url).await.unwrap();
        self.wait_app().await;
    }

    /// Opens `draft` (a draft's JSON text) as a share link does, and waits for the new page: a
    /// fragment alone does not navigate, so it is set, then the page reloaded.
    pub async fn open_share_link(&self, draft: &str) {
        self.js(&format!(
            "window.__before_link = true; location.hash = 'draft=' + encodeURIComponent({}); location.reload(); return null",
            serde_json::to_string(draft).unwrap()
        ))
        .await;
        self.eventually("the page reloaded", || async {
            (self.js("return window.__before_link === undefined").await == serde_json::json!(true))
                .then_some(())
        })
        .await;
        self.wait_app().await;
    }

    /// Waits until Yew has rendered the app (after a navigation or reload): its phase
    /// navigation, which every phase's screen has (a new draft opens on Prepare, which has no
    /// step form; [`Browser::open_phase`] and [`Browser::open_step`] go on from there).
    pub async fn wait_app(&self) {
        let waited = self
            .client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("#phase-nav [data-phase]"))
            .await;
        if let Err(e) = waited {
            // Say what the page got as far as: a loader blocked by the CSP or a file refused
            // for its integrity leaves it blank with nothing fetched after index.html.
            let state = self
                .client
                .execute(
                    "return {loaded: typeof window.wasmBindings, fetched: performance.getEntriesByType('resource').map(e => e.name)}",
                    vec![],
                )
                .await;
            panic!("the app did not render its phase navigation ({e:?}); page state: {state:?}");
        }
    }

    /// Clicks `css`, scrolled into view first: the side column scrolls on its own (sticky, with
    /// its own height), so the element is brought to the middle of its scroll container, as an
    /// admin scrolling to it would.
    pub async fn click(&self, css: &str) {
        let el = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'})",
                vec![serde_json::to_value(&el).unwrap()],
            )
            .await
            .unwrap();
        el.click().await.unwrap_or_else(|e| panic!("{css}: {e}"));
    }

    /// Opens a phase as an admin would, with a click on its button in `#phase-nav`
    /// (`prepare|pilot|everyone|harden|watch`), and waits for its screen.
    pub async fn open_phase(&self, phase: &str) {
        self.click(&format!("#phase-nav [data-phase=\"{phase}\"]"))
            .await;
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(&format!(
                "#phase-nav [data-phase=\"{phase}\"][aria-current=\"step\"]"
            )))
            .await
            .unwrap_or_else(|e| panic!("phase {phase} did not open: {e}"));
    }

    /// Opens the Pilot phase's passkey and TAP view (`#pilot-passkeys`, the tab after the
    /// pilot's steps) and waits for the passkey panel.
    pub async fn open_pilot_passkeys(&self) {
        self.open_phase("pilot").await;
        let el = self
            .client
            .find(Locator::Css("#pilot-passkeys"))
            .await
            .unwrap_or_else(|e| panic!("#pilot-passkeys: {e}"));
        el.click()
            .await
            .unwrap_or_else(|e| panic!("#pilot-passkeys: {e}"));
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("#passkey-panel"))
            .await
            .unwrap_or_else(|e| panic!("the passkey view did not open: {e}"));
    }

    /// Opens the draft's step `i` (`#step-{i}`): its phase first, then its tab.
    pub async fn open_step(&self, i: usize) {
        self.open_phase(phase_of_step(i)).await;
        let css = format!("#step-{i}");
        let el = self
            .client
            .find(Locator::Css(&css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        el.click().await.unwrap_or_else(|e| panic!("{css}: {e}"));
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(&format!("{css}[aria-current=\"step\"]")))
            .await
            .unwrap_or_else(|e| panic!("step {i} did not open: {e}"));
    }

    /// Runs JavaScript in the page and returns its value.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .attr(name)
            .await
            .unwrap()
    }

    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Sets a textarea or input value as a user would (select all, type), so
    /// the app's input handlers run.
    pub async fn set_value(&self, css: &str, value: &str) {
        // send_keys cannot type characters outside the BMP reliably; set the
        // value and fire a real input event instead.
        let script = format!(
            "const el = document.querySelector({sel}); el.focus(); el.value = {val}; \
             el.dispatchEvent(new InputEvent('input', {{bubbles: true}})); \
             el.dispatchEvent(new Event('change', {{bubbles: true}}));",
            sel = serde_json::to_string(css).unwrap(),
            val = serde_json::to_string(value).unwrap(),
        );
        self.client.execute(&script, vec![]).await.unwrap();
    }

    /// Polls until `f` returns Some or the timeout passes.
    pub async fn eventually<T, F, Fut>(&self, what: &str, mut f: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        for _ in 0..100 {
            if let Some(v) = f().await {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("timed out waiting for {what}");
    }

    /// Saves a PNG of the page into target/screenshots/ for review.
    pub async fn screenshot(&self, name: &str) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
