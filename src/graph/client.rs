//! The browser transport: `fetch` through gloo-net, with the admin's token.
//!
//! Only here does the token leave [`Token`]: as the `Authorization` header of a request whose
//! URL is a [`GraphUrl`](super::cloud::GraphUrl) on the connected cloud's host. Requests are
//! sent with `credentials: omit` (no cookies), `redirect: error` (a redirect could carry the
//! request elsewhere), `cache: no-store` (policy data stays out of the HTTP cache) and
//! `referrerPolicy: no-referrer`. Nothing here logs.

use std::rc::Rc;
use std::time::Duration;

use gloo::net::http::{Method as HttpMethod, RequestBuilder};
use web_sys::{AbortController, ReferrerPolicy, RequestCache, RequestCredentials, RequestRedirect};

use super::cloud::Cloud;
use super::token::Token;
use super::transport::{Cancel, Method, Request, Response, Transport, TransportError};

/// Sends requests to one cloud's Graph host with one token.
#[derive(Clone)]
pub struct WebTransport {
    cloud: Cloud,
    token: Rc<Token>,
}

impl WebTransport {
    pub fn new(cloud: Cloud, token: Rc<Token>) -> WebTransport {
        WebTransport { cloud, token }
    }
}

impl Transport for WebTransport {
    async fn send(&self, request: &Request, cancel: &Cancel) -> Result<Response, TransportError> {
        // The token is bound to the cloud it was connected for.
        if request.url.cloud() != self.cloud {
            return Err(TransportError::Refused(format!(
                "the request is for {}, the token was connected for {}",
                request.url.host(),
                self.cloud.host()
            )));
        }
        if cancel.is_cancelled() {
            return Err(TransportError::Cancelled);
        }
        let controller = AbortController::new()
            .map_err(|_| TransportError::Network("AbortController is not available".into()))?;
        let hook = {
            let c = controller.clone();
            cancel.on_cancel(move || c.abort())
        };
        let method = match request.method {
            Method::Get => HttpMethod::GET,
            Method::Post => HttpMethod::POST,
            Method::Patch => HttpMethod::PATCH,
            Method::Delete => HttpMethod::DELETE,
        };
        let mut builder = RequestBuilder::new(&request.url.as_string())
            .method(method)
            .credentials(RequestCredentials::Omit)
            .redirect(RequestRedirect::Error)
            .cache(RequestCache::NoStore)
            .referrer_policy(ReferrerPolicy::NoReferrer)
            .abort_signal(Some(&controller.signal()))
            .header("Authorization", &self.token.authorization_value());
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let built = match &request.body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body.as_str()),
            None => builder.build(),
        }
        .map_err(|e| TransportError::Network(self.redact(&e.to_string())))?;
        let result = built.send().await;
        let outcome = match result {
            Err(_) if cancel.is_cancelled() => Err(TransportError::Cancelled),
            Err(e) => Err(TransportError::Network(self.redact(&e.to_string()))),
            Ok(r) => {
                let status = r.status();
                let headers = r
                    .headers()
                    .entries()
                    .map(|(n, v)| (n.to_ascii_lowercase(), v))
                    .collect();
                match r.text().await {
                    Ok(body) => Ok(Response {
                        status,
                        headers,
                        body,
                    }),
                    Err(_) if cancel.is_cancelled() => Err(TransportError::Cancelled),
                    Err(e) => Err(TransportError::Network(self.redact(&e.to_string()))),
                }
            }
        };
        drop(hook);
        outcome
    }

    async fn sleep(&self, duration: Duration) {
        yew::platform::time::sleep(duration).await;
    }

    fn now_unix(&self) -> i64 {
        (js_sys::Date::now() / 1000.0) as i64
    }

    fn redact(&self, text: &str) -> String {
        self.token.redact(text).into_owned()
    }
}
