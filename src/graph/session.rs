//! [`Graph`]: a transport plus the cloud, retry policy, cancellation flag and progress callback
//! of one run. Sends with bounded retries and follows pages; the flows are built on it.

use std::rc::Rc;
use std::time::Duration;

use super::body::read_json;
use super::cloud::Cloud;
use super::errors::{ErrorKind, GraphError};
use super::paging::{parse_page, Page, Paged, Pager};
use super::retry::RetryPolicy;
use super::transport::{Cancel, Progress, Request, Response, Transport};

/// Longest single sleep between cancellation checks and countdown updates.
const SLEEP_SLICE: Duration = Duration::from_millis(250);

/// A transport bound to one cloud, with the run's cancellation flag and progress callback.
pub struct Graph<T: Transport> {
    pub transport: T,
    pub cloud: Cloud,
    pub retry: RetryPolicy,
    pub cancel: Cancel,
    progress: Rc<dyn Fn(&Progress)>,
}

impl<T: Transport> Graph<T> {
    pub fn new(transport: T, cloud: Cloud) -> Graph<T> {
        Graph {
            transport,
            cloud,
            retry: RetryPolicy::default(),
            cancel: Cancel::new(),
            progress: Rc::new(|_| {}),
        }
    }

    pub fn with_cancel(mut self, cancel: Cancel) -> Self {
        self.cancel = cancel;
        self
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn on_progress(mut self, f: impl Fn(&Progress) + 'static) -> Self {
        self.progress = Rc::new(f);
        self
    }

    pub fn report(&self, p: Progress) {
        (self.progress)(&p);
    }

    fn redactor(&self) -> impl Fn(&str) -> String + '_ {
        |s: &str| self.transport.redact(s)
    }

    /// Sends `request` and returns the success response; retries 429/503 (and network failures
    /// of idempotent requests) per the retry policy, reporting the countdown.
    pub async fn send(&self, request: &Request) -> Result<Response, GraphError> {
        let op = request.op;
        let redact = self.redactor();
        let mut attempt = 1;
        let mut waited = Duration::ZERO;
        loop {
            if self.cancel.is_cancelled() {
                return Err(GraphError::cancelled(op));
            }
            self.report(Progress::Sending { op, attempt });
            let mut err = match self.transport.send(request, &self.cancel).await {
                Ok(r) if r.is_success() => return Ok(r),
                Ok(r) => GraphError::from_response(op, &r, self.transport.now_unix(), &redact),
                Err(e) => GraphError::from_transport(op, &e, &redact),
            };
            err.attempts = attempt;
            let retryable = match err.kind {
                ErrorKind::Throttled { .. } | ErrorKind::Unavailable { .. } => true,
                // A POST that failed in transit may have been applied: never resend it blindly.
                ErrorKind::Network => request.method.is_idempotent(),
                _ => false,
            };
            let delay = if retryable {
                self.retry
                    .next_delay_within(attempt, err.retry_after(), waited)
            } else {
                None
            };
            let Some(delay) = delay else {
                return Err(err);
            };
            if !self.wait(delay, &err, attempt + 1).await {
                return Err(GraphError {
                    attempts: attempt,
                    ..GraphError::cancelled(op)
                });
            }
            waited += delay;
            attempt += 1;
        }
    }

    /// Sleeps `delay` in slices, reporting the countdown; `false` when cancelled meanwhile.
    async fn wait(&self, delay: Duration, err: &GraphError, next_attempt: u32) -> bool {
        let mut left = delay;
        while !left.is_zero() {
            if self.cancel.is_cancelled() {
                return false;
            }
            self.report(Progress::Waiting {
                op: err.op,
                status: err.status,
                seconds_left: left.as_secs_f64().ceil() as u64,
                next_attempt,
            });
            let slice = left.min(SLEEP_SLICE);
            self.transport.sleep(slice).await;
            left -= slice;
        }
        !self.cancel.is_cancelled()
    }

    /// Sends and reads the body as JSON.
    pub async fn send_json(&self, request: &Request) -> Result<serde_json::Value, GraphError> {
        let r = self.send(request).await?;
        read_json(request.op, &r, "the body")
    }

    /// One page (for "load more" in the UI).
    pub async fn page(&self, request: &Request) -> Result<Page, GraphError> {
        let r = self.send(request).await?;
        parse_page(request, &r)
    }

    /// Follows `@odata.nextLink` from `first`, at most `max_pages` pages.
    pub async fn collect(&self, first: Request, max_pages: usize) -> Result<Paged, GraphError> {
        let mut pager = Pager::new(first, max_pages);
        while let Some(request) = pager.next_request().cloned() {
            let response = self.send(&request).await?;
            pager.accept(&response)?;
            self.report(Progress::Page {
                op: request.op,
                page: pager.pages(),
                items: pager.items().len(),
            });
        }
        Ok(pager.finish())
    }
}
