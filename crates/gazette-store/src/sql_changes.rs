//! The change log's SQL (see `changes.rs`): `impl_changes!` stamps it onto
//! each backend's store; `$listens` is true for PostgreSQL, whose appends
//! are ordered by an advisory lock and announced by `NOTIFY`.

/// What a change concerns: the columns of `changes` that name it.
#[derive(Debug, Default)]
pub(crate) struct Subject<'a> {
    pub(crate) article_id: Option<i64>,
    pub(crate) media_id: Option<i64>,
    pub(crate) slot_key: Option<&'a str>,
    pub(crate) topic_id: Option<i64>,
}

/// The advisory lock key that orders appends to the change log.
pub(crate) const CHANGE_LOCK: i64 = 0x6761_7a65_7474;

macro_rules! impl_changes {
    ($store:ty, $db:ty, $listens:literal) => {
        impl $store {
            /// Appends a change of an article (or of nothing in particular)
            /// in the caller's transaction; its number.
            pub(crate) async fn record_change(
                tx: &mut sqlx::Transaction<'_, $db>,
                kind: $crate::changes::ChangeKind,
                article_id: Option<i64>,
                at: i64,
            ) -> $crate::Result<i64> {
                let subject = $crate::sql_changes::Subject {
                    article_id,
                    ..Default::default()
                };
                Self::record_change_of(tx, kind, &subject, at).await
            }

            /// Appends a change naming what it concerns, in one statement,
            /// in the caller's transaction; its number.
            pub(crate) async fn record_change_of(
                tx: &mut sqlx::Transaction<'_, $db>,
                kind: $crate::changes::ChangeKind,
                subject: &$crate::sql_changes::Subject<'_>,
                at: i64,
            ) -> $crate::Result<i64> {
                if $listens {
                    // Held until commit: numbers commit in the order given.
                    sqlx::query::<$db>("SELECT pg_advisory_xact_lock($1)")
                        .bind($crate::sql_changes::CHANGE_LOCK)
                        .execute(&mut **tx)
                        .await?;
                }
                let seq = sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO changes (at, kind, article_id, media_id, slot_key, topic_id) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq",
                )
                .bind(at)
                .bind(kind.as_str())
                .bind(subject.article_id)
                .bind(subject.media_id)
                .bind(subject.slot_key)
                .bind(subject.topic_id)
                .fetch_one(&mut **tx)
                .await?;
                if $listens {
                    // Delivered to listeners when the transaction commits.
                    sqlx::query::<$db>("SELECT pg_notify($1, $2)")
                        .bind($crate::changes::NOTIFY_CHANNEL)
                        .bind(seq.to_string())
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(seq)
            }
        }

        #[async_trait::async_trait]
        impl $crate::changes::ChangeStore for $store {
            async fn last_change(&self) -> $crate::Result<i64> {
                Ok(
                    sqlx::query_scalar::<$db, Option<i64>>("SELECT MAX(seq) FROM changes")
                        .fetch_one(&self.write)
                        .await?
                        .unwrap_or(0),
                )
            }

            async fn changes_after(
                &self,
                seq: i64,
                limit: i64,
            ) -> $crate::Result<Vec<$crate::changes::Change>> {
                let rows = sqlx::query_as::<$db, (i64, i64, String, Option<i64>, Option<i64>, Option<String>, Option<i64>)>(
                    "SELECT seq, at, kind, article_id, media_id, slot_key, topic_id FROM changes WHERE seq > $1 \
                     ORDER BY seq LIMIT $2",
                )
                .bind(seq)
                .bind(limit)
                .fetch_all(&self.write)
                .await?;
                rows.into_iter()
                    .map(|(seq, at, kind, article_id, media_id, slot_key, topic_id)| {
                        Ok($crate::changes::Change {
                            seq,
                            at,
                            kind: $crate::changes::ChangeKind::parse(&kind),
                            article_id,
                            media_id,
                            slot_key,
                            topic_id,
                        })
                    })
                    .collect()
            }

            fn change_signals(&self) -> Option<tokio::sync::mpsc::Receiver<()>> {
                self.listen_for_changes()
            }
        }
    };
}

pub(crate) use impl_changes;
