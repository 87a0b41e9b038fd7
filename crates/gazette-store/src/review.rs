//! The review area of the store (审核): each channel's review levels and
//! who does them, and the steps an article takes through them.
//!
//! Steps belong to a *round*. Submitting starts a round, and so does every
//! save (see `NewsroomStore::save_revision`), except the edits a final
//! signer makes as part of signing off; approvals count only in the
//! article's current round, so an edit voids them without deleting
//! anything. Each step is taken with a compare-and-set on the article's
//! round and latest revision: a reviewer approves exactly what they saw.
//! Unique indexes keep each level of a round to one approval and each
//! person to one level.

use crate::newsroom::NewRevision;
use crate::{NewArticle, Result, StoreError};
use async_trait::async_trait;
use gazette_core::Role;

/// Where an article's latest revision is in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewState {
    /// Being written; not submitted.
    Editing,
    /// Waiting for its next review level.
    Submitted,
    /// Sent back to its authors with a comment.
    Rejected,
    /// Signed off: ready to publish.
    Approved,
    /// What readers see.
    Live,
}

impl ReviewState {
    pub const ALL: [ReviewState; 5] = [
        ReviewState::Editing,
        ReviewState::Submitted,
        ReviewState::Rejected,
        ReviewState::Approved,
        ReviewState::Live,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Editing => "editing",
            ReviewState::Submitted => "submitted",
            ReviewState::Rejected => "rejected",
            ReviewState::Approved => "approved",
            ReviewState::Live => "live",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        ReviewState::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown review state {text:?}")))
    }
}

/// What a review step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Submitted,
    /// A level below the last passed.
    Approved,
    /// The last level passed: the signer becomes the page's 责编.
    SignedOff,
    /// Sent back, with a comment.
    Rejected,
    /// The signed-off revision went live.
    Published,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Submitted => "submitted",
            StepKind::Approved => "approved",
            StepKind::SignedOff => "signed_off",
            StepKind::Rejected => "rejected",
            StepKind::Published => "published",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Self> {
        Ok(match text {
            "submitted" => StepKind::Submitted,
            "approved" => StepKind::Approved,
            "signed_off" => StepKind::SignedOff,
            "rejected" => StepKind::Rejected,
            "published" => StepKind::Published,
            other => {
                return Err(StoreError::Corrupt(format!(
                    "unknown review step {other:?}"
                )));
            }
        })
    }
}

/// A step to record. The names are a snapshot of the actor's as they are
/// now: a sign-off keeps them whatever happens to the account later.
#[derive(Debug, Clone)]
pub struct NewStep {
    pub kind: StepKind,
    pub level: Option<i64>,
    pub account_id: Option<i64>,
    /// The actor's byline person (the 责编 links to their page).
    pub person_id: Option<i64>,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub comment: Option<String>,
    pub at: i64,
}

/// A recorded step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewStep {
    pub id: i64,
    pub article_id: i64,
    pub revision_id: Option<i64>,
    pub round: i64,
    pub kind: StepKind,
    pub level: Option<i64>,
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub comment: Option<String>,
    pub at: i64,
}

/// Who does one review level of a channel: anyone holding `role` (or a
/// role above it), or, when `members` is not empty, those accounts only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelRule {
    pub level: i64,
    pub role: Role,
    pub members: Vec<i64>,
}

/// The article as the step expects to find it: anything else is a
/// conflict (someone saved or reviewed first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    pub round: i64,
    pub head_revision: Option<i64>,
    pub state: ReviewState,
}

/// What a step came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    /// The step's id.
    Taken(i64),
    /// The article moved on since the page was made.
    Conflict,
}

/// A step and what it does to the article.
#[derive(Debug, Clone)]
pub struct StepChange<'a> {
    pub step: &'a NewStep,
    /// The review state afterwards.
    pub state: ReviewState,
    /// Start a new round first (a submission).
    pub new_round: bool,
    /// A revision to add as the new latest before the step (a final
    /// signer's edits), with the row's new content for a draft.
    pub revision: Option<(&'a NewRevision, Option<&'a NewArticle>)>,
}

/// What publishing writes, with the article as the step expects it.
#[derive(Debug, Clone)]
pub struct Publication<'a> {
    pub expected: Expected,
    pub article: &'a NewArticle,
    pub step: &'a NewStep,
    /// The update log's entry (a live article's later publication).
    pub update: Option<&'a crate::publishing::NewUpdate>,
    /// The scheduled job that runs it, claimed in the same transaction.
    pub job: Option<i64>,
}

#[async_trait]
pub trait ReviewStore: Send + Sync {
    /// Every channel's own review levels: (channel, rule), by channel and
    /// level. Channels without rows take their parent's.
    async fn review_levels(&self) -> Result<Vec<(i64, LevelRule)>>;
    /// Replaces a channel's levels; none makes it take its parent's again.
    async fn set_review_levels(&self, channel_id: i64, levels: &[LevelRule]) -> Result<()>;

    /// An article's steps, oldest first.
    async fn review_steps(&self, article_id: i64) -> Result<Vec<ReviewStep>>;
    /// Takes a step if the article is as expected.
    async fn take_step(
        &self,
        article_id: i64,
        expected: Expected,
        change: StepChange<'_>,
    ) -> Result<StepOutcome>;
    /// Publishes the signed-off latest revision, if the article is as
    /// expected (and a scheduled job, if one runs it, is still open): the
    /// row takes the content, the last sign-off of the round becomes the
    /// page's 责编, a first publication is dated `step.at`, and a later one
    /// adds its entry to the update log, all in one transaction.
    async fn publish(&self, article_id: i64, publication: Publication<'_>) -> Result<StepOutcome>;
}
