//! Whether readers may see an article, remembered for the vote and read
//! endpoints, which would otherwise ask the store on every request. The
//! store's answer (when a published article is due, or that it is not
//! published) is kept for [`MAX_AGE`], and forgotten at once when this node
//! changes content; the due time is compared with the clock on each call,
//! so scheduled articles open on time.

use gazette_store::{Store, StoreError};
use std::time::Duration;

/// How long an answer is trusted (changes made by another node show after this).
const MAX_AGE: Duration = Duration::from_secs(30);
/// Answers kept at most (made-up ids must not fill memory; the least used go first).
const MAX_ENTRIES: u64 = 100_000;

#[derive(Debug)]
pub(crate) struct Visibility {
    /// Article id → when it is due, `None` if not published.
    known: moka::sync::Cache<i64, Option<i64>>,
}

impl Default for Visibility {
    fn default() -> Self {
        Visibility {
            known: moka::sync::Cache::builder()
                .max_capacity(MAX_ENTRIES)
                .time_to_live(MAX_AGE)
                .build(),
        }
    }
}

impl Visibility {
    /// Whether article `id` is published and due at `now`.
    pub(crate) async fn is_visible(
        &self,
        store: &dyn Store,
        id: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let published_at = match self.known.get(&id) {
            Some(published_at) => published_at,
            None => {
                let published_at = store.published_at(id).await?;
                self.known.insert(id, published_at);
                published_at
            }
        };
        Ok(published_at.is_some_and(|due| due <= now))
    }

    pub(crate) fn forget(&self) {
        self.known.invalidate_all();
    }
}
