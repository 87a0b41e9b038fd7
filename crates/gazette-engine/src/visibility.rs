//! Whether readers may see an article, remembered for the vote and read
//! endpoints, which would otherwise ask the store on every request. The
//! store's answer (when a published article is due, or that it is not
//! published) is kept for [`MAX_AGE`], and forgotten at once when this node
//! changes content; the due time is compared with the clock on each call,
//! so scheduled articles open on time.

use gazette_store::{Store, StoreError};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an answer is trusted (changes made by another node show after this).
const MAX_AGE: Duration = Duration::from_secs(30);
/// Entries kept before the map is emptied (made-up ids must not fill memory).
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Default)]
pub(crate) struct Visibility {
    known: Mutex<HashMap<i64, (Option<i64>, Instant)>>,
}

impl Visibility {
    /// Whether article `id` is published and due at `now`.
    pub(crate) async fn is_visible(
        &self,
        store: &dyn Store,
        id: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let remembered = self.lock().get(&id).copied();
        let published_at = match remembered {
            Some((published_at, at)) if at.elapsed() < MAX_AGE => published_at,
            _ => {
                let published_at = store.published_at(id).await?;
                let mut known = self.lock();
                if known.len() >= MAX_ENTRIES {
                    known.clear();
                }
                known.insert(id, (published_at, Instant::now()));
                published_at
            }
        };
        Ok(published_at.is_some_and(|due| due <= now))
    }

    pub(crate) fn forget(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, (Option<i64>, Instant)>> {
        self.known.lock().unwrap_or_else(|e| e.into_inner())
    }
}
