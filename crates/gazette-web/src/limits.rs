//! Rate limits per network prefix. Each prefix has its own GCRA limiter
//! (governor), kept in a bounded cache (moka) that forgets idle prefixes on
//! its own: memory stays bounded however many prefixes an attacker uses,
//! and no request ever scans the table.

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Prefixes remembered at most; the least recently used go first.
const MAX_BUCKETS: u64 = 100_000;
/// A prefix idle this long starts afresh (its budget is full again by then).
const IDLE: Duration = Duration::from_secs(120);

/// So many requests per minute per network prefix.
#[derive(Debug)]
pub struct RateLimit {
    quota: Quota,
    buckets: moka::sync::Cache<String, Arc<DefaultDirectRateLimiter>>,
}

impl RateLimit {
    pub fn per_minute(requests: u32) -> Self {
        RateLimit {
            quota: Quota::per_minute(NonZeroU32::new(requests).unwrap_or(NonZeroU32::MIN)),
            buckets: moka::sync::Cache::builder()
                .max_capacity(MAX_BUCKETS)
                .time_to_idle(IDLE)
                .build(),
        }
    }

    /// Takes one from the prefix's budget; false when it is spent.
    pub fn allow(&self, prefix: &str) -> bool {
        self.buckets
            .get_with_by_ref(prefix, || Arc::new(RateLimiter::direct(self.quota)))
            .check()
            .is_ok()
    }

    /// Prefixes remembered now (for tests).
    pub fn remembered(&self) -> u64 {
        self.buckets.run_pending_tasks();
        self.buckets.entry_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_prefix_has_its_own_budget_and_memory_is_bounded() {
        let limit = RateLimit::per_minute(3);
        assert!((0..3).all(|_| limit.allow("192.0.2.1")));
        assert!(!limit.allow("192.0.2.1"), "budget spent");
        assert!(limit.allow("192.0.2.2"), "another prefix");
        for i in 0..(MAX_BUCKETS + 5_000) {
            limit.allow(&format!("2001:db8:{:x}:{:x}::/64", i >> 16, i & 0xffff));
        }
        assert!(limit.remembered() <= MAX_BUCKETS, "{}", limit.remembered());
    }
}
