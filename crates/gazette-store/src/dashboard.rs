//! The dashboard area of the store: what the newsroom's charts are drawn
//! from. Only aggregates exist to read: per-day counts of reads and moods
//! (nothing about who read), publications, and review steps.

use crate::Result;
use async_trait::async_trait;

/// One day's count (`day` is `YYYYMMDD` in the site's zone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    pub day: i64,
    pub count: i64,
}

/// One day's votes for one mood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoodDayCount {
    pub day: i64,
    pub mood: String,
    pub count: i64,
}

/// A published article, with one of its authors (one row per author; an
/// article without authors has one row without).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedRow {
    pub article_id: i64,
    pub published_at: i64,
    pub channel_id: i64,
    pub author: Option<String>,
}

/// An article's sign-off and the submission it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignoffTime {
    pub article_id: i64,
    pub title: String,
    pub submitted_at: i64,
    pub signed_off_at: i64,
}

#[async_trait]
pub trait DashboardStore: Send + Sync {
    /// An article's reads per day from `first_day` on.
    async fn reads_by_day(&self, article_id: i64, first_day: i64) -> Result<Vec<DayCount>>;
    /// An article's mood votes per day and mood from `first_day` on.
    async fn moods_by_day(&self, article_id: i64, first_day: i64) -> Result<Vec<MoodDayCount>>;
    /// Articles live now that were first published in `[from, until)`.
    async fn published_between(&self, from: i64, until: i64) -> Result<Vec<PublishedRow>>;
    /// Sign-offs in `[from, until)`, each with the latest submission of its
    /// article before it.
    async fn signoff_times(&self, from: i64, until: i64) -> Result<Vec<SignoffTime>>;
}
