//! Error pages (404 and the other 4xx a reader can reach), one body per
//! status and language, built once and served from memory: a scanner or a
//! crawler with a stale sitemap costs a map lookup, not a page build. The
//! 404 page suggests the latest articles, so it is rebuilt at most once a
//! minute, by one request while the others get the previous copy.

use crate::cache::{Lookup, PageCache};
use crate::{CachedBody, EngineError};
use gazette_core::Lang;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// How long an error page is kept before it is rebuilt.
const MAX_AGE: Duration = Duration::from_secs(60);
/// A few dozen bodies at most; the bound only guards against mistakes.
const MAX_BYTES: u64 = 8 << 20;

#[derive(Debug)]
pub(crate) struct ErrorPages {
    pages: PageCache,
    /// Moves on with each [`ErrorPages::clear`]: a page built before is
    /// served but not kept (its suggestions may show a withdrawn article).
    generation: std::sync::atomic::AtomicU64,
    /// Only one first build at a time: a burst at start-up builds once.
    building: tokio::sync::Mutex<()>,
}

impl ErrorPages {
    pub(crate) fn new() -> Self {
        ErrorPages {
            pages: PageCache::new(MAX_AGE, MAX_BYTES),
            generation: std::sync::atomic::AtomicU64::new(0),
            building: tokio::sync::Mutex::new(()),
        }
    }

    /// The kept page for `status` in `lang`, or the one `build` makes.
    pub(crate) async fn get_or_build<F, Fut>(
        &self,
        lang: Lang,
        status: u16,
        build: F,
    ) -> Result<Arc<CachedBody>, EngineError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Arc<CachedBody>, EngineError>>,
    {
        let key = format!("{status} {}", lang.code());
        let generation = self.generation.load(Ordering::Acquire);
        match self.pages.get(&key) {
            Lookup::Fresh(body) => Ok(body),
            Lookup::Stale(claim) => match build().await {
                Ok(body) => {
                    self.keep(key, body.clone(), generation);
                    Ok(body)
                }
                Err(error) => {
                    tracing::warn!(%error, status, "rebuilding an error page failed");
                    // Kept as it was, and tried again after another while.
                    let again = Arc::new(claim.body().renewed());
                    self.pages.insert(key, again.clone());
                    Ok(again)
                }
            },
            Lookup::Missing => {
                let _one_at_a_time = self.building.lock().await;
                if let Some(body) = self.pages.servable(&key) {
                    return Ok(body);
                }
                let body = build().await?;
                self.keep(key, body.clone(), generation);
                Ok(body)
            }
        }
    }

    /// Keeps a page built in `generation`, unless the pages were cleared
    /// since (inserted first and checked after, so a clear at the same
    /// moment is never missed).
    fn keep(&self, key: String, body: Arc<CachedBody>, generation: u64) {
        self.pages.insert(key.clone(), body);
        if self.generation.load(Ordering::Acquire) != generation {
            self.pages.remove(&key);
        }
    }

    pub(crate) fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.pages.clear();
    }
}
