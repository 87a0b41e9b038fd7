//! The search area of the store: articles as the search index takes them,
//! whatever their status (readers' search keeps to published ones, staff
//! search sees drafts too), with the authors' names and tags; and what
//! readers search for, as per-day counts of distinct askers.

use crate::Result;
use async_trait::async_trait;
use gazette_core::{ArticleStatus, Lang};

/// An article's searchable text and the fields search filters on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchSource {
    pub id: i64,
    pub lang: Lang,
    pub status: ArticleStatus,
    pub channel_id: i64,
    pub topic_id: Option<i64>,
    pub published_at: i64,
    pub updated_at: i64,
    pub created_by: Option<i64>,
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub summary: String,
    /// Body HTML.
    pub body: String,
    pub source: Option<String>,
    /// Credited authors: person id and names (Chinese, English if any).
    pub authors: Vec<(i64, String, Option<String>)>,
    pub tags: Vec<String>,
}

/// One reader's query, as the insights count it.
#[derive(Debug, Clone, Copy)]
pub struct SearchAsked<'a> {
    pub day: i64,
    pub asker: &'a [u8],
    pub query_key: &'a [u8],
    pub query: &'a str,
    pub found: bool,
    /// Askers from whom on the query's text is kept.
    pub least: i64,
}

#[async_trait]
pub trait SearchStore: Send + Sync {
    /// Articles with `after < id <= until`, in id order, at most `limit`.
    async fn search_sources(&self, after: i64, until: i64, limit: i64)
    -> Result<Vec<SearchSource>>;
    /// Counts a reader's query on `day` once per asker: `asker` is their
    /// keyed hash for the day (kept in `dedup_seen` with the votes'), the
    /// query is known by `query_key` (a keyed hash too); a new asker adds
    /// one to its count, and its text is written once `least` have asked.
    /// Whether it counted.
    async fn count_search(&self, asked: &SearchAsked<'_>) -> Result<bool>;
    /// The queries asked by at least `least` distinct askers on a day
    /// between `first_day` and `last_day`, with their askers summed over
    /// those days, most first; only those that found nothing if `unfound`.
    async fn frequent_searches(
        &self,
        first_day: i64,
        last_day: i64,
        least: i64,
        unfound: bool,
        limit: i64,
    ) -> Result<Vec<(String, i64)>>;
    /// Deletes the counts of days before `day` with fewer than `least`
    /// askers. How many went.
    async fn forget_rare_searches(&self, day: i64, least: i64) -> Result<u64>;
}
