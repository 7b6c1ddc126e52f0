//! A request sent to the fake Graph the way the browser transport sends it: the token's
//! `Authorization`, `Content-Type` when there is a body, the request's own headers, the body.

use ca_builder::graph::{Request, Response, Token};
use fake_graph::FakeGraph;

/// `request` answered by `graph`, carrying `token`.
pub fn forward(graph: &FakeGraph, token: &Token, request: &Request) -> Response {
    let mut headers = vec![("Authorization".to_string(), token.authorization_value())];
    if request.body.is_some() {
        headers.push(("Content-Type".into(), "application/json".into()));
    }
    headers.extend(
        request
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.clone())),
    );
    let reply = graph.handle(
        request.method.as_str(),
        &request.url.relative(),
        &headers,
        request.body.as_deref().unwrap_or(""),
    );
    Response {
        status: reply.status,
        headers: reply.headers,
        body: reply.body,
    }
}
