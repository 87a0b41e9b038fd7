//! The search area of the store: articles as the search index takes them,
//! whatever their status (readers' search keeps to published ones, staff
//! search sees drafts too), with the authors' names and tags.

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

#[async_trait]
pub trait SearchStore: Send + Sync {
    /// Articles with `after < id <= until`, in id order, at most `limit`.
    async fn search_sources(&self, after: i64, until: i64, limit: i64)
    -> Result<Vec<SearchSource>>;
}
