//! The publishing area of the store: publications and take-downs due at a
//! time, and the public update log of live articles.
//!
//! A job is run at most once, whatever the number of nodes: the runner
//! marks it done with `... WHERE done_at IS NULL` in the same transaction
//! as the change itself (see `ReviewStore::publish` and
//! [`PublishingStore::take_down`]). On PostgreSQL the row lock makes a
//! second node wait for the first and then find the job done; SQLite has
//! one writer. A scheduled publication also names the review round and
//! revision that were signed off, so it can never publish anything else.

use crate::{Result, StoreError};
use async_trait::async_trait;

/// What a job does when it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobAction {
    Publish,
    TakeDown,
}

impl JobAction {
    pub fn as_str(self) -> &'static str {
        match self {
            JobAction::Publish => "publish",
            JobAction::TakeDown => "take_down",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Self> {
        match text {
            "publish" => Ok(JobAction::Publish),
            "take_down" => Ok(JobAction::TakeDown),
            other => Err(StoreError::Corrupt(format!("unknown job {other:?}"))),
        }
    }
}

/// A job to schedule.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub article_id: i64,
    pub action: JobAction,
    pub due_at: i64,
    /// For a publication: the round and revision that were signed off.
    pub round: Option<i64>,
    pub head_revision: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

/// A scheduled job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub article_id: i64,
    pub action: JobAction,
    pub due_at: i64,
    pub round: Option<i64>,
    pub head_revision: Option<i64>,
    pub created_by: Option<i64>,
    pub done_at: Option<i64>,
    /// done, void (the article moved on), cancelled.
    pub outcome: Option<String>,
}

/// An entry of the public update log to add with a publication.
#[derive(Debug, Clone)]
pub struct NewUpdate {
    pub at: i64,
    /// A typo fix: out of the public log unless it carries a correction.
    pub minor: bool,
    /// 更正: the dated note shown on the article page.
    pub correction: Option<String>,
    /// The public fields before and after, as JSON.
    pub before: String,
    pub after: String,
    pub account_id: Option<i64>,
}

/// An entry of the update log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub id: i64,
    pub article_id: i64,
    pub at: i64,
    pub minor: bool,
    pub correction: Option<String>,
    pub before: String,
    pub after: String,
    /// How many passages were cut from it.
    pub redactions: i64,
}

#[async_trait]
pub trait PublishingStore: Send + Sync {
    /// Schedules a job; an open job of the same action for the article is
    /// cancelled in the same transaction (one schedule per action).
    async fn schedule_job(&self, job: &NewJob) -> Result<i64>;
    /// An article's jobs that have not run, soonest first.
    async fn open_jobs(&self, article_id: i64) -> Result<Vec<Job>>;
    /// Cancels an article's open jobs of `action` (all actions: `None`).
    async fn cancel_jobs(
        &self,
        article_id: i64,
        action: Option<JobAction>,
        now: i64,
    ) -> Result<u64>;
    /// Open jobs due at `now`, oldest first.
    async fn due_jobs(&self, now: i64, limit: i64) -> Result<Vec<Job>>;
    /// Marks an open job void: its article moved on since it was made.
    async fn void_job(&self, id: i64, now: i64) -> Result<bool>;
    /// Takes a published article down (404 for readers). With a job, only
    /// if that job is still open, marking it done in the same transaction.
    /// False if there was nothing to do.
    async fn take_down(&self, article_id: i64, now: i64, job: Option<i64>) -> Result<bool>;

    /// The update log of an article, oldest first.
    async fn updates(&self, article_id: i64) -> Result<Vec<Update>>;
    async fn update(&self, id: i64) -> Result<Update>;
    /// Stores an entry's public copies as `update` has them after a
    /// redaction (`update.redactions` still the count it was read with);
    /// false if another redaction of it came first.
    async fn redact_update(&self, update: &Update, now: i64) -> Result<bool>;
}
