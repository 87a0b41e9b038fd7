//! Mood counts as readers fetch them (`/api/articles/{id}/moods`) and the
//! page a vote without JavaScript lands on (`/vote/{id}/`), cached per
//! article so that a flood of reads costs nothing, and dropped the moment a
//! vote for that article commits, so a voter never sees counts older than
//! their own vote next to "counted".
//!
//! Votes committed by another node drop nothing here: entries also expire
//! after a few seconds.
//!
//! A build that read the store before a commit must not put its outdated
//! body back after the commit dropped the entry: each article has an epoch
//! (in one of a few shards), bumped under the shard's lock when its votes
//! commit; a body is kept only if its article's epoch did not move while it
//! was built.

use crate::CachedBody;
use std::sync::{Arc, Mutex};

/// Shards of epochs: a commit locks one, not all.
const SHARDS: usize = 64;
/// Bytes of cached counts and vote pages kept at most.
const MAX_BYTES: u64 = 32 << 20;
/// Votes committed by other nodes (or imported) show after this long at most.
const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(5);

/// Which cached answer about an article's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum CountsView {
    /// The JSON counts.
    Json,
    /// The vote result page: the chosen mood's position in the site's
    /// mood list (`None` for none or an unknown one), and whether it counted.
    Voted { mood: Option<usize>, counted: bool },
}

#[derive(Debug)]
pub(crate) struct CountsCache {
    bodies: moka::sync::Cache<(i64, CountsView), Arc<CachedBody>>,
    epochs: Vec<Mutex<u64>>,
    /// How many moods the site has, to name every view of an article.
    moods: usize,
}

/// An article's epoch as a build began.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Epoch(u64);

impl CountsCache {
    pub(crate) fn new(moods: usize) -> Self {
        CountsCache {
            bodies: moka::sync::Cache::builder()
                .max_capacity(MAX_BYTES)
                .time_to_live(MAX_AGE)
                .weigher(|_, body: &Arc<CachedBody>| {
                    u32::try_from(body.weight()).unwrap_or(u32::MAX)
                })
                .build(),
            epochs: (0..SHARDS).map(|_| Mutex::new(0)).collect(),
            moods,
        }
    }

    pub(crate) fn get(&self, article: i64, view: CountsView) -> Option<Arc<CachedBody>> {
        self.bodies.get(&(article, view))
    }

    /// Call before reading the store for a body to [`keep`](Self::keep).
    pub(crate) fn epoch(&self, article: i64) -> Epoch {
        Epoch(*self.shard(article))
    }

    /// Keeps a body built since `epoch`, unless a commit came in between.
    pub(crate) fn keep(&self, article: i64, view: CountsView, since: Epoch, body: Arc<CachedBody>) {
        let shard = self.shard(article);
        if *shard == since.0 {
            self.bodies.insert((article, view), body);
        }
    }

    /// Votes for these articles committed: forget what was cached of them.
    pub(crate) fn committed(&self, articles: &[i64]) {
        for &article in articles {
            let mut shard = self.shard(article);
            *shard += 1;
            self.bodies.invalidate(&(article, CountsView::Json));
            for mood in std::iter::once(None).chain((0..self.moods).map(Some)) {
                for counted in [false, true] {
                    self.bodies
                        .invalidate(&(article, CountsView::Voted { mood, counted }));
                }
            }
        }
    }

    /// Content changed (a retraction, say): forget everything.
    pub(crate) fn clear(&self) {
        for shard in &self.epochs {
            *shard.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        }
        self.bodies.invalidate_all();
    }

    fn shard(&self, article: i64) -> std::sync::MutexGuard<'_, u64> {
        let index = usize::try_from(article.rem_euclid(SHARDS as i64)).unwrap_or(0);
        self.epochs[index].lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::Packing;

    fn body() -> Arc<CachedBody> {
        Arc::new(CachedBody::new(
            200,
            "application/json",
            "no-store",
            b"{}".to_vec(),
            Packing::Fast,
        ))
    }

    #[test]
    fn a_commit_drops_every_view_and_stops_late_builds() {
        let cache = CountsCache::new(3);
        let voted = CountsView::Voted {
            mood: Some(2),
            counted: true,
        };
        let epoch = cache.epoch(7);
        cache.keep(7, CountsView::Json, epoch, body());
        cache.keep(7, voted, epoch, body());
        cache.keep(8, CountsView::Json, cache.epoch(8), body());
        assert!(cache.get(7, voted).is_some());
        let before_commit = cache.epoch(7);
        cache.committed(&[7]);
        assert!(cache.get(7, CountsView::Json).is_none());
        assert!(cache.get(7, voted).is_none());
        assert!(
            cache.get(8, CountsView::Json).is_some(),
            "other articles stay"
        );
        cache.keep(7, CountsView::Json, before_commit, body());
        assert!(
            cache.get(7, CountsView::Json).is_none(),
            "a body read before the commit is not kept"
        );
        cache.clear();
        assert!(cache.get(8, CountsView::Json).is_none());
    }
}
