//! The change log's SQL (see `changes.rs`): `impl_changes!` stamps it onto
//! each backend's store; `$listens` is true for PostgreSQL, whose appends
//! are ordered by an advisory lock and announced by `NOTIFY`.

/// The advisory lock key that orders appends to the change log.
pub(crate) const CHANGE_LOCK: i64 = 0x6761_7a65_7474;

macro_rules! impl_changes {
    ($store:ty, $db:ty, $listens:literal) => {
        impl $store {
            /// Appends a change in the caller's transaction; its number.
            pub(crate) async fn record_change(
                tx: &mut sqlx::Transaction<'_, $db>,
                kind: $crate::changes::ChangeKind,
                article_id: Option<i64>,
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
                    "INSERT INTO changes (at, kind, article_id) VALUES ($1, $2, $3) RETURNING seq",
                )
                .bind(at)
                .bind(kind.as_str())
                .bind(article_id)
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

            /// Appends a change of photo `media_id` in the caller's transaction.
            pub(crate) async fn record_media_change(
                tx: &mut sqlx::Transaction<'_, $db>,
                media_id: i64,
                at: i64,
            ) -> $crate::Result<i64> {
                let seq =
                    Self::record_change(tx, $crate::changes::ChangeKind::Media, None, at).await?;
                sqlx::query::<$db>("UPDATE changes SET media_id = $1 WHERE seq = $2")
                    .bind(media_id)
                    .bind(seq)
                    .execute(&mut **tx)
                    .await?;
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
                            kind: $crate::changes::ChangeKind::parse(&kind)?,
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
