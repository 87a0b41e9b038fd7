//! The sitemaps area of the store: the published articles search engines
//! are told about, in id order, with when each last changed.

use crate::Result;
use async_trait::async_trait;
use gazette_core::ArticleRef;

/// A published article for a sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    pub article: ArticleRef,
    pub title: String,
    pub published_at: i64,
    pub updated_at: i64,
}

#[async_trait]
pub trait SitemapStore: Send + Sync {
    /// Published (and due) articles: how many, and when the latest change was.
    async fn sitemap_summary(&self, now: i64) -> Result<(i64, i64)>;
    /// Published articles in id order, from the `offset`th, at most `limit`.
    async fn sitemap_entries(&self, now: i64, offset: i64, limit: i64)
    -> Result<Vec<SitemapEntry>>;
    /// Articles first published since `since`, newest first, at most `limit`.
    async fn news_entries(&self, now: i64, since: i64, limit: i64) -> Result<Vec<SitemapEntry>>;
}
