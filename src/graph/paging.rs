//! Following `@odata.nextLink`: a pure state machine over responses (driven by
//! `session::Graph::collect`, testable without a network).
//!
//! Each page is `{ "value": [...], "@odata.nextLink": "https://…" }`. The link is checked with
//! [`GraphUrl::follow`] (same allow-listed host, https) before anything is sent to it. A page cap
//! bounds the work; hitting it is not an error — the result says it is truncated and keeps the
//! next link so the UI can offer "load more".

use serde_json::Value;

use super::body::read_json;
use super::cloud::GraphUrl;
use super::errors::GraphError;
use super::transport::{Request, Response};

/// Default cap: 50 pages (Graph pages hold 100–1000 items).
pub const DEFAULT_MAX_PAGES: usize = 50;

/// One page's items and the validated link to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub items: Vec<Value>,
    pub next: Option<GraphUrl>,
}

/// Reads a success response to `request` as a page.
pub fn parse_page(request: &Request, response: &Response) -> Result<Page, GraphError> {
    let op = request.op;
    let v = read_json(op, response, "the page")?;
    let items = match v.get("value") {
        Some(Value::Array(items)) => items.clone(),
        _ => {
            return Err(GraphError::bad_response(
                op,
                response,
                "the page has no `value` array",
            ))
        }
    };
    let next = match v.get("@odata.nextLink") {
        None | Some(Value::Null) => None,
        Some(Value::String(link)) => Some(
            request
                .url
                .follow(link)
                .map_err(|e| GraphError::refused_url(op, &e))?,
        ),
        Some(_) => {
            return Err(GraphError::bad_response(
                op,
                response,
                "`@odata.nextLink` is not a string",
            ))
        }
    };
    Ok(Page { items, next })
}

/// The request for the page at `next` (from [`Page::next`] / [`Paged::more`]), with the op and
/// headers of the request that produced the previous page.
pub fn next_page_request(first: &Request, next: GraphUrl) -> Request {
    Request {
        url: next,
        ..first.clone()
    }
}

/// Everything collected.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged {
    pub items: Vec<Value>,
    pub pages: usize,
    /// Set when the page cap stopped collection: the next page's link.
    pub more: Option<GraphUrl>,
}

impl Paged {
    pub fn truncated(&self) -> bool {
        self.more.is_some()
    }
}

/// The paging state: which request comes next, what was collected.
#[derive(Debug, Clone)]
pub struct Pager {
    template: Request,
    next: Option<Request>,
    max_pages: usize,
    pages: usize,
    items: Vec<Value>,
}

impl Pager {
    /// Starts with `first` (a GET); later requests copy its op and headers.
    pub fn new(first: Request, max_pages: usize) -> Pager {
        Pager {
            template: first.clone(),
            next: Some(first),
            max_pages: max_pages.max(1),
            pages: 0,
            items: vec![],
        }
    }

    /// The request to send now; `None` when done (no more pages, or the cap is reached).
    pub fn next_request(&self) -> Option<&Request> {
        if self.pages >= self.max_pages {
            None
        } else {
            self.next.as_ref()
        }
    }

    /// Takes the success response to [`Pager::next_request`]; returns the page's item count.
    pub fn accept(&mut self, response: &Response) -> Result<usize, GraphError> {
        let request = self
            .next
            .take()
            .expect("accept() follows next_request() returning Some");
        let page = parse_page(&request, response)?;
        self.pages += 1;
        let count = page.items.len();
        self.items.extend(page.items);
        self.next = page.next.map(|url| next_page_request(&self.template, url));
        Ok(count)
    }

    pub fn pages(&self) -> usize {
        self.pages
    }

    pub fn items(&self) -> &[Value] {
        &self.items
    }

    pub fn finish(self) -> Paged {
        Paged {
            items: self.items,
            pages: self.pages,
            more: self.next.map(|r| r.url),
        }
    }
}
