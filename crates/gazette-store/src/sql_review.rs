//! The review area's SQL, the same on both backends (see `sql.rs`):
//! `impl_review!` stamps it onto each backend's store.

use crate::review::{ReviewStep, StepKind};
use crate::{Result, StoreError};

pub(crate) const STEP_COLUMNS: &str = "id, article_id, revision_id, round, kind, level, \
     account_id, person_id, name_zh, name_en, comment, at";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct StepRow {
    id: i64,
    article_id: i64,
    revision_id: Option<i64>,
    round: i64,
    kind: String,
    level: Option<i64>,
    account_id: Option<i64>,
    person_id: Option<i64>,
    name_zh: String,
    name_en: Option<String>,
    comment: Option<String>,
    at: i64,
}

impl TryFrom<StepRow> for ReviewStep {
    type Error = StoreError;
    fn try_from(row: StepRow) -> Result<Self> {
        Ok(ReviewStep {
            id: row.id,
            article_id: row.article_id,
            revision_id: row.revision_id,
            round: row.round,
            kind: StepKind::parse(&row.kind)?,
            level: row.level,
            account_id: row.account_id,
            person_id: row.person_id,
            name_zh: row.name_zh,
            name_en: row.name_en,
            comment: row.comment,
            at: row.at,
        })
    }
}

/// A unique index said no: another reviewer passed the level first.
pub(crate) fn conflict_as_outcome<T>(
    result: Result<T>,
) -> Result<std::result::Result<T, crate::review::StepOutcome>> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(StoreError::Conflict(_)) => Ok(Err(crate::review::StepOutcome::Conflict)),
        Err(other) => Err(other),
    }
}

macro_rules! impl_review {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Records a step in the caller's transaction.
            async fn insert_step(
                tx: &mut sqlx::Transaction<'_, $db>,
                article_id: i64,
                revision_id: Option<i64>,
                round: i64,
                s: &$crate::review::NewStep,
            ) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO review_events (article_id, revision_id, round, kind, level, \
                     account_id, person_id, name_zh, name_en, comment, at) VALUES ($1, $2, $3, \
                     $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .bind(article_id)
                .bind(revision_id)
                .bind(round)
                .bind(s.kind.as_str())
                .bind(s.level)
                .bind(s.account_id)
                .bind(s.person_id)
                .bind(&s.name_zh)
                .bind(&s.name_en)
                .bind(&s.comment)
                .bind(s.at)
                .fetch_one(&mut **tx)
                .await?)
            }

            /// The 责编 of an article given with its credits (the demo,
            /// imports): a sign-off snapshot of that person's names.
            pub(crate) async fn record_signoff_of(
                tx: &mut sqlx::Transaction<'_, $db>,
                article_id: i64,
                person_id: i64,
                at: i64,
            ) -> $crate::Result<()> {
                let (name_zh, name_en) = sqlx::query_as::<$db, (String, Option<String>)>(
                    "SELECT name, name_en FROM people WHERE id = $1",
                )
                .bind(person_id)
                .fetch_one(&mut **tx)
                .await?;
                let step = $crate::review::NewStep {
                    kind: $crate::review::StepKind::SignedOff,
                    level: Some(1),
                    account_id: None,
                    person_id: Some(person_id),
                    name_zh,
                    name_en,
                    comment: None,
                    at,
                };
                let id = Self::insert_step(tx, article_id, None, 0, &step).await?;
                sqlx::query::<$db>("UPDATE articles SET signoff_event = $1 WHERE id = $2")
                    .bind(id)
                    .bind(article_id)
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::review::ReviewStore for $store {
            async fn review_levels(
                &self,
            ) -> $crate::Result<Vec<(i64, $crate::review::LevelRule)>> {
                let levels = sqlx::query_as::<$db, (i64, i64, String)>(
                    "SELECT channel_id, level, role FROM review_levels ORDER BY channel_id, level",
                )
                .fetch_all(&self.read)
                .await?;
                let members = sqlx::query_as::<$db, (i64, i64, i64)>(
                    "SELECT channel_id, level, account_id FROM review_level_members \
                     ORDER BY channel_id, level, account_id",
                )
                .fetch_all(&self.read)
                .await?;
                levels
                    .into_iter()
                    .map(|(channel, level, role)| {
                        Ok((
                            channel,
                            $crate::review::LevelRule {
                                level,
                                role: gazette_core::Role::parse(&role)?,
                                members: members
                                    .iter()
                                    .filter(|(c, l, _)| *c == channel && *l == level)
                                    .map(|(_, _, account)| *account)
                                    .collect(),
                            },
                        ))
                    })
                    .collect()
            }

            async fn set_review_levels(
                &self,
                channel_id: i64,
                levels: &[$crate::review::LevelRule],
            ) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                for table in ["review_level_members", "review_levels"] {
                    sqlx::query::<$db>(sqlx::AssertSqlSafe(format!(
                        "DELETE FROM {table} WHERE channel_id = $1"
                    )))
                    .bind(channel_id)
                    .execute(&mut *tx)
                    .await?;
                }
                for rule in levels {
                    sqlx::query::<$db>(
                        "INSERT INTO review_levels (channel_id, level, role) VALUES ($1, $2, $3)",
                    )
                    .bind(channel_id)
                    .bind(rule.level)
                    .bind(rule.role.as_str())
                    .execute(&mut *tx)
                    .await?;
                    for account in &rule.members {
                        sqlx::query::<$db>(
                            "INSERT INTO review_level_members (channel_id, level, account_id) \
                             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                        )
                        .bind(channel_id)
                        .bind(rule.level)
                        .bind(*account)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                tx.commit().await?;
                Ok(())
            }

            async fn review_steps(
                &self,
                article_id: i64,
            ) -> $crate::Result<Vec<$crate::review::ReviewStep>> {
                let rows = sqlx::query_as::<$db, $crate::sql_review::StepRow>(sqlx::AssertSqlSafe(
                    format!(
                        "SELECT {} FROM review_events WHERE article_id = $1 ORDER BY id",
                        $crate::sql_review::STEP_COLUMNS
                    ),
                ))
                .bind(article_id)
                .fetch_all(&self.write)
                .await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn take_step(
                &self,
                article_id: i64,
                expected: $crate::review::Expected,
                change: $crate::review::StepChange<'_>,
            ) -> $crate::Result<$crate::review::StepOutcome> {
                use $crate::review::StepOutcome;
                let mut tx = self.write.begin().await?;
                let mut head = expected.head_revision;
                if let Some((revision, apply)) = change.revision {
                    let id = Self::insert_revision(&mut tx, article_id, revision).await?;
                    let moved = sqlx::query::<$db>(
                        "UPDATE articles SET head_revision = $1 WHERE id = $2 \
                         AND head_revision IS NOT DISTINCT FROM $3 AND review_round = $4 \
                         AND review_state = $5",
                    )
                    .bind(id)
                    .bind(article_id)
                    .bind(head)
                    .bind(expected.round)
                    .bind(expected.state.as_str())
                    .execute(&mut *tx)
                    .await?;
                    if moved.rows_affected() == 0 {
                        tx.rollback().await?;
                        return Ok(StepOutcome::Conflict);
                    }
                    if let Some(article) = apply {
                        Self::write_article_fields(&mut tx, article_id, article).await?;
                    }
                    head = Some(id);
                }
                let round = expected.round + i64::from(change.new_round);
                let moved = sqlx::query::<$db>(
                    "UPDATE articles SET review_state = $1, review_round = $2 WHERE id = $3 \
                     AND head_revision IS NOT DISTINCT FROM $4 AND review_round = $5 \
                     AND review_state = $6",
                )
                .bind(change.state.as_str())
                .bind(round)
                .bind(article_id)
                .bind(head)
                .bind(expected.round)
                .bind(expected.state.as_str())
                .execute(&mut *tx)
                .await?;
                if moved.rows_affected() == 0 {
                    tx.rollback().await?;
                    return Ok(StepOutcome::Conflict);
                }
                let inserted = Self::insert_step(&mut tx, article_id, head, round, change.step).await;
                match $crate::sql_review::conflict_as_outcome(inserted)? {
                    Ok(id) => {
                        tx.commit().await?;
                        Ok(StepOutcome::Taken(id))
                    }
                    Err(outcome) => {
                        tx.rollback().await?;
                        Ok(outcome)
                    }
                }
            }

            async fn publish(
                &self,
                article_id: i64,
                p: $crate::review::Publication<'_>,
            ) -> $crate::Result<$crate::review::StepOutcome> {
                use $crate::review::StepOutcome;
                let (expected, article, step) = (p.expected, p.article, p.step);
                let mut tx = self.write.begin().await?;
                if let Some(job) = p.job
                    && !Self::claim_job(&mut tx, job, step.at).await?
                {
                    tx.rollback().await?;
                    return Ok(StepOutcome::Conflict);
                }
                // SET expressions read the row as it was: a first
                // publication is dated now, a later one keeps its date.
                let moved = sqlx::query::<$db>(
                    "UPDATE articles SET status = 'published', review_state = 'live', \
                     published_at = CASE WHEN status = 'published' THEN published_at ELSE $1 END, \
                     live_revision = head_revision, \
                     signoff_event = (SELECT MAX(e.id) FROM review_events e WHERE \
                     e.article_id = $2 AND e.round = $3 AND e.kind = 'signed_off') \
                     WHERE id = $2 AND review_round = $3 AND review_state = $4 \
                     AND head_revision IS NOT DISTINCT FROM $5 \
                     AND review_state = 'approved' AND status IN ('draft', 'published')",
                )
                .bind(step.at)
                .bind(article_id)
                .bind(expected.round)
                .bind(expected.state.as_str())
                .bind(expected.head_revision)
                .execute(&mut *tx)
                .await?;
                if moved.rows_affected() == 0 {
                    tx.rollback().await?;
                    return Ok(StepOutcome::Conflict);
                }
                Self::write_article_fields(&mut tx, article_id, article).await?;
                if let Some(update) = p.update {
                    Self::insert_update(&mut tx, article_id, update).await?;
                }
                Self::record_change(
                    &mut tx,
                    $crate::changes::ChangeKind::Published,
                    Some(article_id),
                    step.at,
                )
                .await?;
                let id = Self::insert_step(
                    &mut tx,
                    article_id,
                    expected.head_revision,
                    expected.round,
                    step,
                )
                .await?;
                tx.commit().await?;
                Ok(StepOutcome::Taken(id))
            }
        }
    };
}

pub(crate) use impl_review;
