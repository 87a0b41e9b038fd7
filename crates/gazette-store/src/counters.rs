//! The counters area of the store: readers' mood votes and reads, kept as
//! per-day counts; their de-duplication by keyed hashes under a daily key
//! (deleted after two days); the site's own secrets; and the rankings
//! drawn from the counts. Nothing here names a reader.

use crate::{Counter, Increment, Result, Tally};
use async_trait::async_trait;
use gazette_core::{ArticleSummary, Lang};

#[async_trait]
pub trait CounterStore: Send + Sync {
    /// Adds to articles' counts per mood or views and day (YYYYMMDD), all
    /// in one transaction (imports and the demo; readers go through
    /// `record_tallies`).
    async fn add_counts(&self, counts: &[Increment]) -> Result<()>;
    /// Records votes and views in one transaction. Each counts only if its
    /// hash was not seen that day (atomically: a unique key, not
    /// check-then-insert); the result says, one by one, whether it counted.
    async fn record_tallies(&self, tallies: &[Tally]) -> Result<Vec<bool>>;
    /// The de-duplication key of a day. The first caller's `candidate`
    /// becomes the key; every node then reads the same one.
    async fn dedup_key(&self, day: i64, candidate: &[u8]) -> Result<Vec<u8>>;
    /// A secret of the site's (`name`): the first caller's `candidate`
    /// becomes it; every node then reads the same one.
    async fn site_secret(&self, name: &str, candidate: &[u8]) -> Result<Vec<u8>>;
    /// Deletes de-duplication keys and hashes of days before `day`.
    async fn forget_dedup_before(&self, day: i64) -> Result<()>;
    /// All-time totals per mood key for one article.
    async fn mood_totals(&self, article_id: i64) -> Result<Vec<(String, i64)>> {
        Ok(self
            .mood_totals_of(&[article_id])
            .await?
            .into_iter()
            .map(|(_, mood, total)| (mood, total))
            .collect())
    }
    /// All-time totals per mood key of several articles: (article, mood, total).
    async fn mood_totals_of(&self, article_ids: &[i64]) -> Result<Vec<(i64, String, i64)>>;
    /// All-time read count of one article.
    async fn view_total(&self, article_id: i64) -> Result<i64>;
    /// The articles counted most often by `counter` (votes for one mood, or
    /// views) between two days inclusive.
    async fn ranking(
        &self,
        counter: &Counter,
        lang: Lang,
        first_day: i64,
        last_day: i64,
        now: i64,
        limit: i64,
    ) -> Result<Vec<(ArticleSummary, i64)>>;
}
