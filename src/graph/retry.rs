//! When to retry, and how long to wait: pure functions, so the bounds are unit-tested.
//!
//! Graph asks clients to honour `Retry-After` on 429 (throttled) and 503 (unavailable). Without
//! the header the wait doubles per attempt. Everything is bounded: at most
//! [`RetryPolicy::max_attempts`] sends, no single wait above [`RetryPolicy::max_delay`] (a longer
//! `Retry-After` ends the retries and the error shows it, rather than the page hanging silently),
//! and no more than [`RetryPolicy::max_total`] waited in all. No jitter: one browser tab sends one
//! request at a time, so there is no herd to spread, and fixed delays are testable.

use std::time::Duration;

use super::time::parse_http_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Sends in all, the first included.
    pub max_attempts: u32,
    /// First backoff without `Retry-After`; doubled for each further attempt.
    pub base_delay: Duration,
    /// Longest single wait, `Retry-After` included.
    pub max_delay: Duration,
    /// Longest total wait across all retries of one request.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_total: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before attempt `attempt + 1`, after attempt `attempt` (1-based) failed in a
    /// retryable way; `None` when no further attempt should be made.
    pub fn next_delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        self.next_delay_within(attempt, retry_after, Duration::ZERO)
    }

    /// As [`RetryPolicy::next_delay`], also refusing a wait that would take the total waited
    /// (`waited` so far) past [`RetryPolicy::max_total`].
    pub fn next_delay_within(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        waited: Duration,
    ) -> Option<Duration> {
        if attempt == 0 || attempt >= self.max_attempts {
            return None;
        }
        let delay = match retry_after {
            Some(d) if d > self.max_delay => return None,
            Some(d) => d,
            None => {
                let factor = 1u32.checked_shl(attempt - 1).unwrap_or(u32::MAX);
                self.base_delay.saturating_mul(factor).min(self.max_delay)
            }
        };
        (waited + delay <= self.max_total).then_some(delay)
    }
}

/// Parses `Retry-After`: delay-seconds (`120`) or an HTTP date, relative to `now_unix`. A date in
/// the past means "now" (zero). `None` for anything else.
pub fn parse_retry_after(value: &str, now_unix: i64) -> Option<Duration> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return v.parse::<u64>().ok().map(Duration::from_secs);
    }
    let at = parse_http_date(v)?;
    Some(Duration::from_secs((at - now_unix).max(0) as u64))
}
