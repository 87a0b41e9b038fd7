//! Rate limits per network prefix. Each prefix has its own GCRA limiter
//! (governor), kept in a bounded cache (moka) that forgets idle prefixes on
//! its own: memory stays bounded however many prefixes an attacker uses,
//! and no request ever scans the table.

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Prefixes remembered at most (moka decides which go when it is full:
/// the least used, by its TinyLFU policy).
const MAX_BUCKETS: u64 = 100_000;

/// So many requests per minute (or per day) per network prefix.
#[derive(Debug)]
pub struct RateLimit {
    quota: Quota,
    buckets: moka::sync::Cache<String, Arc<DefaultDirectRateLimiter>>,
}

impl RateLimit {
    pub fn per_minute(requests: u32) -> Self {
        let requests = NonZeroU32::new(requests).unwrap_or(NonZeroU32::MIN);
        // Idle two minutes, a prefix's budget is full again: forget it.
        Self::new(Quota::per_minute(requests), Duration::from_secs(120))
    }

    /// At most `requests` a day, all of them at once if need be.
    pub fn per_day(requests: u32) -> Self {
        let requests = NonZeroU32::new(requests).unwrap_or(NonZeroU32::MIN);
        let day = Duration::from_secs(86_400);
        let quota = Quota::with_period(day / requests.get())
            .unwrap_or(Quota::per_hour(NonZeroU32::MIN))
            .allow_burst(requests);
        Self::new(quota, day)
    }

    fn new(quota: Quota, idle: Duration) -> Self {
        RateLimit {
            quota,
            buckets: moka::sync::Cache::builder()
                .max_capacity(MAX_BUCKETS)
                .time_to_idle(idle)
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
        let daily = RateLimit::per_day(2);
        assert!(daily.allow("p") && daily.allow("p") && !daily.allow("p"));
        for i in 0..(MAX_BUCKETS + 5_000) {
            limit.allow(&format!("2001:db8:{:x}:{:x}::/64", i >> 16, i & 0xffff));
        }
        assert!(limit.remembered() <= MAX_BUCKETS, "{}", limit.remembered());
    }
}
