//! The publishing area's SQL, the same on both backends (see `sql.rs`):
//! `impl_publishing!` stamps it onto each backend's store.

use crate::publishing::{Job, JobAction, Update};
use crate::{Result, StoreError};

pub(crate) const JOB_COLUMNS: &str =
    "id, article_id, action, due_at, round, head_revision, created_by, done_at, outcome";
pub(crate) const UPDATE_COLUMNS: &str =
    "id, article_id, at, minor, correction, text_before, text_after, redactions";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct JobRow {
    id: i64,
    article_id: i64,
    action: String,
    due_at: i64,
    round: Option<i64>,
    head_revision: Option<i64>,
    created_by: Option<i64>,
    done_at: Option<i64>,
    outcome: Option<String>,
}

impl TryFrom<JobRow> for Job {
    type Error = StoreError;
    fn try_from(row: JobRow) -> Result<Self> {
        Ok(Job {
            id: row.id,
            article_id: row.article_id,
            action: JobAction::parse(&row.action)?,
            due_at: row.due_at,
            round: row.round,
            head_revision: row.head_revision,
            created_by: row.created_by,
            done_at: row.done_at,
            outcome: row.outcome,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct UpdateRow {
    id: i64,
    article_id: i64,
    at: i64,
    minor: i64,
    correction: Option<String>,
    text_before: String,
    text_after: String,
    redactions: i64,
}

impl From<UpdateRow> for Update {
    fn from(row: UpdateRow) -> Self {
        Update {
            id: row.id,
            article_id: row.article_id,
            at: row.at,
            minor: row.minor != 0,
            correction: row.correction,
            before: row.text_before,
            after: row.text_after,
            redactions: row.redactions,
        }
    }
}

macro_rules! impl_publishing {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Marks an open job done in the caller's transaction; false if
            /// another node (or an earlier run) did it first.
            pub(crate) async fn claim_job(
                tx: &mut sqlx::Transaction<'_, $db>,
                job: i64,
                now: i64,
            ) -> $crate::Result<bool> {
                let claimed = sqlx::query::<$db>(
                    "UPDATE publish_jobs SET done_at = $1, outcome = 'done' \
                     WHERE id = $2 AND done_at IS NULL",
                )
                .bind(now)
                .bind(job)
                .execute(&mut **tx)
                .await?;
                Ok(claimed.rows_affected() == 1)
            }

            /// Cancels every open job of an article in the caller's transaction.
            pub(crate) async fn cancel_open_jobs(
                tx: &mut sqlx::Transaction<'_, $db>,
                article_id: i64,
                now: i64,
            ) -> $crate::Result<()> {
                sqlx::query::<$db>(
                    "UPDATE publish_jobs SET done_at = $1, outcome = 'cancelled' \
                     WHERE article_id = $2 AND done_at IS NULL",
                )
                .bind(now)
                .bind(article_id)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            /// Adds an update log entry in the caller's transaction.
            pub(crate) async fn insert_update(
                tx: &mut sqlx::Transaction<'_, $db>,
                article_id: i64,
                u: &$crate::publishing::NewUpdate,
            ) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO article_updates (article_id, at, minor, correction, text_before, \
                     text_after, account_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(article_id)
                .bind(u.at)
                .bind(i64::from(u.minor))
                .bind(&u.correction)
                .bind(&u.before)
                .bind(&u.after)
                .bind(u.account_id)
                .fetch_one(&mut **tx)
                .await?)
            }
        }

        #[async_trait::async_trait]
        impl $crate::publishing::PublishingStore for $store {
            async fn schedule_job(&self, job: &$crate::publishing::NewJob) -> $crate::Result<i64> {
                let mut tx = self.write.begin().await?;
                sqlx::query::<$db>(
                    "UPDATE publish_jobs SET done_at = $1, outcome = 'cancelled' \
                     WHERE article_id = $2 AND action = $3 AND done_at IS NULL",
                )
                .bind(job.created_at)
                .bind(job.article_id)
                .bind(job.action.as_str())
                .execute(&mut *tx)
                .await?;
                let id = sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO publish_jobs (article_id, action, due_at, round, head_revision, \
                     created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(job.article_id)
                .bind(job.action.as_str())
                .bind(job.due_at)
                .bind(job.round)
                .bind(job.head_revision)
                .bind(job.created_by)
                .bind(job.created_at)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn open_jobs(&self, article_id: i64) -> $crate::Result<Vec<$crate::publishing::Job>> {
                let rows = sqlx::query_as::<$db, $crate::sql_publishing::JobRow>(sqlx::AssertSqlSafe(
                    format!(
                        "SELECT {} FROM publish_jobs WHERE article_id = $1 AND done_at IS NULL \
                         ORDER BY due_at, id",
                        $crate::sql_publishing::JOB_COLUMNS
                    ),
                ))
                .bind(article_id)
                .fetch_all(&self.write)
                .await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn cancel_jobs(
                &self,
                article_id: i64,
                action: Option<$crate::publishing::JobAction>,
                now: i64,
            ) -> $crate::Result<u64> {
                let done = sqlx::query::<$db>(
                    "UPDATE publish_jobs SET done_at = $1, outcome = 'cancelled' \
                     WHERE article_id = $2 AND done_at IS NULL AND (CAST($3 AS TEXT) IS NULL OR action = $3)",
                )
                .bind(now)
                .bind(article_id)
                .bind(action.map(|a| a.as_str()))
                .execute(&self.write)
                .await?;
                Ok(done.rows_affected())
            }

            async fn due_jobs(&self, now: i64, limit: i64) -> $crate::Result<Vec<$crate::publishing::Job>> {
                let rows = sqlx::query_as::<$db, $crate::sql_publishing::JobRow>(sqlx::AssertSqlSafe(
                    format!(
                        "SELECT {} FROM publish_jobs WHERE done_at IS NULL AND due_at <= $1 \
                         ORDER BY due_at, id LIMIT $2",
                        $crate::sql_publishing::JOB_COLUMNS
                    ),
                ))
                .bind(now)
                .bind(limit)
                .fetch_all(&self.write)
                .await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn void_job(&self, id: i64, now: i64) -> $crate::Result<bool> {
                let done = sqlx::query::<$db>(
                    "UPDATE publish_jobs SET done_at = $1, outcome = 'void' \
                     WHERE id = $2 AND done_at IS NULL",
                )
                .bind(now)
                .bind(id)
                .execute(&self.write)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn take_down(&self, article_id: i64, now: i64, job: Option<i64>) -> $crate::Result<bool> {
                let mut tx = self.write.begin().await?;
                if let Some(job) = job
                    && !Self::claim_job(&mut tx, job, now).await?
                {
                    tx.rollback().await?;
                    return Ok(false);
                }
                let done = sqlx::query::<$db>(
                    "UPDATE articles SET status = 'taken_down', updated_at = $1, \
                     review_state = 'editing' WHERE id = $2 AND status = 'published'",
                )
                .bind(now)
                .bind(article_id)
                .execute(&mut *tx)
                .await?;
                let taken_down = done.rows_affected() == 1;
                if taken_down {
                    // Nothing scheduled may bring it back.
                    Self::cancel_open_jobs(&mut tx, article_id, now).await?;
                    Self::record_change(
                        &mut tx,
                        $crate::changes::ChangeKind::TakenDown,
                        Some(article_id),
                        now,
                    )
                    .await?;
                }
                // A job whose article is no longer published is done all the same.
                tx.commit().await?;
                Ok(taken_down)
            }

            async fn updates(&self, article_id: i64) -> $crate::Result<Vec<$crate::publishing::Update>> {
                let rows = sqlx::query_as::<$db, $crate::sql_publishing::UpdateRow>(sqlx::AssertSqlSafe(
                    format!(
                        "SELECT {} FROM article_updates WHERE article_id = $1 ORDER BY id",
                        $crate::sql_publishing::UPDATE_COLUMNS
                    ),
                ))
                .bind(article_id)
                .fetch_all(&self.read)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn update(&self, id: i64) -> $crate::Result<$crate::publishing::Update> {
                Ok(sqlx::query_as::<$db, $crate::sql_publishing::UpdateRow>(sqlx::AssertSqlSafe(
                    format!(
                        "SELECT {} FROM article_updates WHERE id = $1",
                        $crate::sql_publishing::UPDATE_COLUMNS
                    ),
                ))
                .bind(id)
                .fetch_one(&self.write)
                .await?
                .into())
            }

            async fn redact_update(
                &self,
                update: &$crate::publishing::Update,
                now: i64,
            ) -> $crate::Result<bool> {
                let mut tx = self.write.begin().await?;
                // Only over the copy the redaction was made from: of two at
                // once, the second is refused rather than undoing the first.
                let article = sqlx::query_scalar::<$db, i64>(
                    "UPDATE article_updates SET text_before = $1, text_after = $2, correction = $3, \
                     redactions = redactions + 1 WHERE id = $4 AND redactions = $5 RETURNING article_id",
                )
                .bind(&update.before)
                .bind(&update.after)
                .bind(&update.correction)
                .bind(update.id)
                .bind(update.redactions)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(article) = article else {
                    tx.rollback().await?;
                    return Ok(false);
                };
                Self::record_change(
                    &mut tx,
                    $crate::changes::ChangeKind::Redacted,
                    Some(article),
                    now,
                )
                .await?;
                tx.commit().await?;
                Ok(true)
            }
        }
    };
}

pub(crate) use impl_publishing;
