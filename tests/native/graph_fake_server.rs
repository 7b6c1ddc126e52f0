//! The HTTPS stand-in for graph.microsoft.com used by the browser end-to-end tests: it starts,
//! speaks TLS with a certificate for graph.microsoft.com, answers CORS preflights, pages policies
//! with links back to https://graph.microsoft.com, and records what it was sent.

use fake_graph::{serve_https, FakeGraph};
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls;

/// Sends one raw HTTP/1.1 request over TLS, trusting only the fake's certificate, and returns
/// (status, head, body).
async fn call(port: u16, cert_der: &[u8], request: &str) -> (u16, String, String) {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(cert_der.to_vec()))
        .unwrap();
    let cfg = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(cfg));
    let tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("graph.microsoft.com").unwrap();
    let mut tls = connector
        .connect(name, tcp)
        .await
        .expect("TLS handshake for graph.microsoft.com");
    tls.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out).await;
    let text = String::from_utf8(out).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_graph_over_tls_with_cors_and_records_requests() {
    let fake = FakeGraph::new();
    for i in 0..3 {
        fake.add_policy(json!({"displayName": format!("P{i}"), "state": "enabled"}));
    }
    let server = serve_https(fake.clone()).await;

    let (status, head, _) = call(
        server.port,
        &server.cert_der,
        "OPTIONS /v1.0/identity/conditionalAccess/policies HTTP/1.1\r\nHost: graph.microsoft.com\r\n\
         Origin: http://127.0.0.1:8080\r\nAccess-Control-Request-Method: GET\r\n\
         Access-Control-Request-Headers: authorization,prefer\r\n\r\n",
    )
    .await;
    assert_eq!(status, 204);
    let head = head.to_ascii_lowercase();
    assert!(
        head.contains("access-control-allow-origin: http://127.0.0.1:8080"),
        "{head}"
    );
    assert!(
        head.contains("access-control-allow-headers: authorization,prefer"),
        "{head}"
    );
    assert!(head.contains(
        "access-control-expose-headers: request-id, client-request-id, retry-after, date"
    ));

    let (status, head, body) = call(
        server.port,
        &server.cert_der,
        "GET /v1.0/identity/conditionalAccess/policies HTTP/1.1\r\nHost: graph.microsoft.com\r\n\
         Authorization: Bearer abc.def.ghi\r\nOrigin: http://127.0.0.1:8080\r\n\r\n",
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("request-id: fake-request-"),
        "{head}"
    );
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["value"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["@odata.nextLink"],
        json!("https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies?$skiptoken=2")
    );

    // A body is read whole (Content-Length) and the policy is stored.
    let body = r#"{"displayName":"New","state":"enabledForReportingButNotEnforced"}"#;
    let (status, _, created) = call(
        server.port,
        &server.cert_der,
        &format!(
            "POST /v1.0/identity/conditionalAccess/policies HTTP/1.1\r\nHost: graph.microsoft.com\r\n\
             Authorization: Bearer abc.def.ghi\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    assert_eq!(status, 201);
    assert!(serde_json::from_str::<Value>(&created).unwrap()["id"].is_string());

    // One-shot 429 with Retry-After, then normal service.
    fake.fail_once("GET", "/groups", 429, Some("2"));
    let get_groups =
        "GET /v1.0/groups HTTP/1.1\r\nHost: graph.microsoft.com\r\nAuthorization: Bearer t\r\n\r\n";
    let (status, head, _) = call(server.port, &server.cert_der, get_groups).await;
    assert_eq!(status, 429);
    assert!(head.to_ascii_lowercase().contains("retry-after: 2"));
    assert_eq!(call(server.port, &server.cert_der, get_groups).await.0, 200);

    // No bearer token: 401 like Graph.
    let (status, _, body) = call(
        server.port,
        &server.cert_der,
        "GET /v1.0/groups HTTP/1.1\r\nHost: graph.microsoft.com\r\n\r\n",
    )
    .await;
    assert_eq!(status, 401);
    assert!(body.contains("InvalidAuthenticationToken"));

    let seen: Vec<(String, Option<String>)> = fake
        .requests()
        .iter()
        .map(|r| {
            (
                r.method.clone(),
                r.header("authorization").map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        seen.len(),
        6,
        "preflight, list, create, 429, retry, unauthenticated"
    );
    assert_eq!(seen[0], ("OPTIONS".into(), None));
    assert_eq!(seen[1], ("GET".into(), Some("Bearer abc.def.ghi".into())));
    assert_eq!(fake.requests()[2].body, body_of_post());
}

fn body_of_post() -> String {
    r#"{"displayName":"New","state":"enabledForReportingButNotEnforced"}"#.to_string()
}
