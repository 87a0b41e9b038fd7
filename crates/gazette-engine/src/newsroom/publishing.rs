//! Publishing (发布): a signed-off revision goes live now or at a time; a
//! live article is retracted (撤稿: 410 with a notice, the record kept) or
//! taken down (撤下: 404), now or at a time; every later publication of a
//! live article adds to its public update log, with a correction (更正)
//! when there is one, and a responsible editor can cut a passage from that
//! public history.
//!
//! Scheduled jobs run through [`Newsroom::run_due_jobs`], which the server
//! calls every second or two with its clock's time (tests pass any time):
//! each job is claimed in the same transaction as its change, so it runs
//! once however many nodes try (see `gazette_store::publishing`). A
//! scheduled publication is void if the article was edited or its review
//! moved since it was signed off.

use super::review::{expect_base, expected, moved_on};
use super::{Newsroom, account, draft::ArticleDraft, draft::clean_text};
use crate::EngineError;
use crate::staff::{Action, Actor, permissions};
use gazette_core::{Article, ArticleStatus};
use gazette_store::accounts::Account;
use gazette_store::newsroom::ArticleHead;
pub use gazette_store::publishing::{Job, JobAction, Update};
use gazette_store::publishing::{NewJob, NewUpdate};
use gazette_store::review::{Publication, ReviewState, StepKind, StepOutcome};
use serde::{Deserialize, Serialize};

/// A correction note is kept to this many characters.
const NOTE_CHARS: usize = 2_000;
/// Jobs run per call of [`Newsroom::run_due_jobs`].
const JOBS_PER_RUN: i64 = 50;
/// What replaces a redacted passage in the public history.
pub const REDACTED: &str = "［已删除］";

/// How to publish: now or at a time, as a minor edit or with a correction.
#[derive(Debug, Clone, Default)]
pub struct PublishOptions {
    /// A typo fix: kept out of the public update log (unless corrected).
    pub minor: bool,
    /// 更正: shown, dated, on the article page.
    pub correction: String,
    /// Publish at this time rather than now.
    pub at: Option<i64>,
}

/// What publishing came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    Now,
    Scheduled(i64),
}

/// The public fields of a published version, as the update log keeps
/// them: what readers saw, in plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicText {
    pub title: String,
    pub subtitle: String,
    pub summary: String,
    pub body: String,
}

impl PublicText {
    fn of_article(article: &Article) -> Self {
        PublicText {
            title: article.summary.title.clone(),
            subtitle: article.subtitle.clone().unwrap_or_default(),
            summary: article.summary.summary.clone(),
            body: gazette_render::body::plain_text(&article.body),
        }
    }

    fn of_draft(draft: &ArticleDraft) -> Self {
        PublicText {
            title: draft.title.clone(),
            subtitle: draft.subtitle.clone(),
            summary: draft.summary.clone(),
            body: gazette_render::body::plain_text(&draft.body),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Self {
        serde_json::from_str(text).unwrap_or_default()
    }

    /// Every field with `passage` cut out; how many times it was found.
    fn redacted(&self, passage: &str) -> (Self, usize) {
        let mut found = 0;
        let mut cut = |text: &str| {
            found += text.matches(passage).count();
            text.replace(passage, REDACTED)
        };
        let out = PublicText {
            title: cut(&self.title),
            subtitle: cut(&self.subtitle),
            summary: cut(&self.summary),
            body: cut(&self.body),
        };
        (out, found)
    }
}

/// Whether an update log entry shows on the public page.
pub fn is_public(update: &Update) -> bool {
    !update.minor || update.correction.is_some()
}

impl Newsroom {
    /// Publishes the signed-off latest revision now, or schedules it.
    pub async fn publish(
        &self,
        actor: &Actor<'_>,
        id: i64,
        base: Option<i64>,
        options: &PublishOptions,
    ) -> Result<Published, EngineError> {
        let account = account(actor)?;
        may(
            account,
            Action::Publish,
            "authors cannot publish; an editor publishes what was signed off",
        )?;
        let head = self.editable(actor, id).await?;
        expect_base(&head, base)?;
        if withdrawn(head.status) {
            return Err(EngineError::Conflict(format!(
                "article {id} was withdrawn ({}): it is not published again",
                head.status.code()
            )));
        }
        if head.review_state != ReviewState::Approved {
            return Err(EngineError::Conflict(format!(
                "article {id} is {}, not signed off: it cannot be published yet",
                head.review_state.as_str()
            )));
        }
        let now = self.now();
        not_past(options.at, now)?;
        match options.at {
            Some(at) => {
                self.store
                    .schedule_job(&NewJob {
                        article_id: id,
                        action: JobAction::Publish,
                        due_at: at,
                        round: Some(head.review_round),
                        head_revision: head.head_revision,
                        created_by: Some(account.id),
                        created_at: now,
                    })
                    .await?;
                self.record(
                    actor,
                    "publish_scheduled",
                    &format!("article {id}"),
                    &format!("at {at}, revision {}", base.unwrap_or(0)),
                )
                .await?;
                Ok(Published::Scheduled(at))
            }
            None => match self
                .publish_head(actor, account, &head, options, None)
                .await?
            {
                StepOutcome::Taken(_) => Ok(Published::Now),
                StepOutcome::Conflict => Err(moved_on(id)),
            },
        }
    }

    /// Publishes what `head` names, adding to the update log when the
    /// article was already live.
    async fn publish_head(
        &self,
        actor: &Actor<'_>,
        account: &Account,
        head: &ArticleHead,
        options: &PublishOptions,
        job: Option<i64>,
    ) -> Result<StepOutcome, EngineError> {
        let draft = match head.head_revision {
            Some(revision) => {
                ArticleDraft::from_json(&self.store.revision(revision).await?.content)?
            }
            None => self.draft_of_row(head.id).await?,
        };
        let now = self.now();
        let article = self
            .new_article(&draft, ArticleStatus::Published, now, now)
            .await?;
        let correction = Some(
            clean_text(&options.correction)
                .chars()
                .take(NOTE_CHARS)
                .collect::<String>(),
        )
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
        let update = if head.status == ArticleStatus::Published {
            let live = self.store.article(head.id).await?;
            Some(NewUpdate {
                at: now,
                minor: options.minor,
                correction: correction.clone(),
                before: PublicText::of_article(&live).to_json(),
                after: PublicText::of_draft(&draft).to_json(),
                account_id: Some(account.id),
            })
        } else {
            None
        };
        let step = self.step(account, StepKind::Published, None, None).await?;
        let outcome = self
            .store
            .publish(
                head.id,
                Publication {
                    expected: expected(head),
                    article: &article,
                    step: &step,
                    update: update.as_ref(),
                    job,
                },
            )
            .await?;
        if let StepOutcome::Taken(_) = outcome {
            let mut detail = format!(
                "revision {}: {}",
                head.head_revision.unwrap_or(0),
                draft.title
            );
            if let Some(note) = &correction {
                detail.push_str(&format!("; correction: {note}"));
            } else if options.minor {
                detail.push_str("; minor");
            }
            self.record(
                actor,
                "article_published",
                &format!("article {}", head.id),
                &detail,
            )
            .await?;
        }
        Ok(outcome)
    }

    /// Runs the jobs due at `now`; how many changed what readers see. A
    /// job that fails is logged and set aside (void), never left to block
    /// the jobs after it.
    pub async fn run_due_jobs(&self, now: i64) -> Result<usize, EngineError> {
        let mut changed = 0;
        for job in self.store.due_jobs(now, JOBS_PER_RUN).await? {
            match self.run_job(&job, now).await {
                Ok(true) => changed += 1,
                Ok(false) => {}
                Err(error) => {
                    tracing::warn!(%error, job = job.id, article = job.article_id, "a scheduled job failed; set aside");
                    self.store.void_job(job.id, now).await?;
                }
            }
        }
        Ok(changed)
    }

    /// Runs one due job; whether it changed what readers see.
    async fn run_job(&self, job: &Job, now: i64) -> Result<bool, EngineError> {
        let setter = match job.created_by {
            Some(id) => Some(self.store.account(id).await?),
            None => None,
        };
        let actor = Actor::scheduler(setter.as_ref());
        let subject = format!("article {}", job.article_id);
        // The job acts with its setter's rights as they are now.
        let needed = match job.action {
            JobAction::Publish => Action::Publish,
            JobAction::TakeDown => Action::Withdraw,
        };
        let entitled = setter
            .as_ref()
            .filter(|a| a.disabled_at.is_none() && permissions::allowed(a.role, needed));
        let Some(setter) = entitled else {
            self.store.void_job(job.id, now).await?;
            self.record(
                &actor,
                "publish_void",
                &subject,
                "its setter may no longer do this",
            )
            .await?;
            return Ok(false);
        };
        let head = self.store.article_head(job.article_id).await?;
        match job.action {
            JobAction::Publish => {
                let still_signed = head.review_state == ReviewState::Approved
                    && !withdrawn(head.status)
                    && Some(head.review_round) == job.round
                    && head.head_revision == job.head_revision;
                if !still_signed {
                    self.store.void_job(job.id, now).await?;
                    self.record(
                        &actor,
                        "publish_void",
                        &subject,
                        "edited since it was signed off",
                    )
                    .await?;
                    return Ok(false);
                }
                let options = PublishOptions::default();
                match self
                    .publish_head(&actor, setter, &head, &options, Some(job.id))
                    .await?
                {
                    StepOutcome::Taken(_) => Ok(true),
                    // Another node ran it, or the article moved on just now.
                    StepOutcome::Conflict => {
                        self.store.void_job(job.id, now).await?;
                        Ok(false)
                    }
                }
            }
            JobAction::TakeDown => {
                let done = self
                    .store
                    .take_down(job.article_id, now, Some(job.id))
                    .await?;
                if done {
                    self.record(&actor, "article_taken_down", &subject, "as scheduled")
                        .await?;
                }
                Ok(done)
            }
        }
    }

    /// Takes a live article down at a time (or now, with `None`).
    pub async fn take_down(
        &self,
        actor: &Actor<'_>,
        id: i64,
        at: Option<i64>,
    ) -> Result<Published, EngineError> {
        let account = self.withdrawable(actor, id).await?;
        let now = self.now();
        not_past(at, now)?;
        if let Some(at) = at {
            self.store
                .schedule_job(&NewJob {
                    article_id: id,
                    action: JobAction::TakeDown,
                    due_at: at,
                    round: None,
                    head_revision: None,
                    created_by: Some(account.id),
                    created_at: now,
                })
                .await?;
            self.record(
                actor,
                "take_down_scheduled",
                &format!("article {id}"),
                &format!("at {at}"),
            )
            .await?;
            return Ok(Published::Scheduled(at));
        }
        self.store.cancel_jobs(id, None, now).await?;
        self.store.take_down(id, now, None).await?;
        self.record(actor, "article_taken_down", &format!("article {id}"), "")
            .await?;
        Ok(Published::Now)
    }

    /// The member, if they may withdraw this article and it is live.
    async fn withdrawable<'a>(
        &self,
        actor: &Actor<'a>,
        id: i64,
    ) -> Result<&'a Account, EngineError> {
        let account = account(actor)?;
        may(
            account,
            Action::Withdraw,
            "only responsible editors and admins retract or take down",
        )?;
        if self.editable(actor, id).await?.status != ArticleStatus::Published {
            return Err(EngineError::Conflict(format!("article {id} is not live")));
        }
        Ok(account)
    }

    /// Retracts a live article: its page becomes a notice (410) saying why.
    pub async fn retract(&self, actor: &Actor<'_>, id: i64, note: &str) -> Result<(), EngineError> {
        self.withdrawable(actor, id).await?;
        let note: String = clean_text(note).chars().take(NOTE_CHARS).collect();
        let note = note.trim();
        if note.is_empty() {
            return Err(EngineError::BadRequest(
                "say why the article is retracted: readers see this note".into(),
            ));
        }
        let now = self.now();
        self.store.cancel_jobs(id, None, now).await?;
        self.store.retract_article(id, note, now).await?;
        self.record(actor, "article_retracted", &format!("article {id}"), note)
            .await
    }

    /// Cancels an article's scheduled jobs: publications, and take-downs
    /// too for those who may withdraw articles.
    pub async fn cancel_schedule(&self, actor: &Actor<'_>, id: i64) -> Result<(), EngineError> {
        let account = account(actor)?;
        may(
            account,
            Action::Publish,
            "authors cannot publish or schedule",
        )?;
        self.editable(actor, id).await?;
        let which = if permissions::allowed(account.role, Action::Withdraw) {
            None
        } else {
            Some(JobAction::Publish)
        };
        let cancelled = self.store.cancel_jobs(id, which, self.now()).await?;
        self.record(
            actor,
            "schedule_cancelled",
            &format!("article {id}"),
            &format!("{cancelled} job(s)"),
        )
        .await
    }

    /// An article's scheduled jobs that have not run.
    pub async fn jobs(&self, actor: &Actor<'_>, id: i64) -> Result<Vec<Job>, EngineError> {
        self.editable(actor, id).await?;
        Ok(self.store.open_jobs(id).await?)
    }

    /// The whole update log of an article, minor edits included.
    pub async fn updates(&self, actor: &Actor<'_>, id: i64) -> Result<Vec<Update>, EngineError> {
        self.editable(actor, id).await?;
        Ok(self.store.updates(id).await?)
    }

    /// Cuts every occurrence of `passage` from the article's public history:
    /// every entry's versions and correction notes (the entry named is the
    /// one the responsible editor started from). The newsroom's revisions
    /// keep it. How many occurrences were cut.
    pub async fn redact(
        &self,
        actor: &Actor<'_>,
        id: i64,
        update_id: i64,
        passage: &str,
    ) -> Result<usize, EngineError> {
        let account = account(actor)?;
        may(
            account,
            Action::Redact,
            "only responsible editors and admins redact the public history",
        )?;
        self.editable(actor, id).await?;
        let updates = self.store.updates(id).await?;
        if !updates.iter().any(|u| u.id == update_id) {
            return Err(EngineError::NotFound(format!(
                "article {id} has no update {update_id}"
            )));
        }
        let passage = passage.trim();
        if passage.chars().count() < 2 {
            return Err(EngineError::BadRequest(
                "paste the passage to cut, at least two characters of it".into(),
            ));
        }
        let mut found = 0;
        for update in updates {
            let (before, in_before) = PublicText::from_json(&update.before).redacted(passage);
            let (after, in_after) = PublicText::from_json(&update.after).redacted(passage);
            let in_note = update
                .correction
                .as_deref()
                .map_or(0, |c| c.matches(passage).count());
            if in_before + in_after + in_note == 0 {
                continue;
            }
            let redacted = Update {
                before: before.to_json(),
                after: after.to_json(),
                correction: update
                    .correction
                    .as_ref()
                    .map(|c| c.replace(passage, REDACTED)),
                ..update
            };
            if !self.store.redact_update(&redacted, self.now()).await? {
                return Err(EngineError::Conflict(
                    "someone redacted this history at the same moment; reload and look again"
                        .into(),
                ));
            }
            found += in_before + in_after + in_note;
        }
        if found == 0 {
            return Err(EngineError::BadRequest(
                "that passage is not in the article's public history".into(),
            ));
        }
        // The audit log says that a passage was cut, not what it was.
        self.record(
            actor,
            "history_redacted",
            &format!("article {id}"),
            &format!(
                "{found} occurrence(s), {} characters",
                passage.chars().count()
            ),
        )
        .await?;
        Ok(found)
    }
}

/// Retracted and taken-down articles are never published again.
pub(super) fn withdrawn(status: ArticleStatus) -> bool {
    matches!(status, ArticleStatus::Retracted | ArticleStatus::TakenDown)
}

/// A scheduled time must be ahead: one that has passed is a mistake, not
/// "now".
fn not_past(at: Option<i64>, now: i64) -> Result<(), EngineError> {
    match at {
        Some(at) if at <= now => Err(EngineError::BadRequest(
            "that time has passed; leave the time empty to act now".into(),
        )),
        _ => Ok(()),
    }
}

fn may(account: &Account, action: Action, why: &str) -> Result<(), EngineError> {
    if permissions::allowed(account.role, action) {
        Ok(())
    } else {
        Err(EngineError::Forbidden(why.to_owned()))
    }
}
