//! The curation area's SQL, the same on both backends (see `curation.rs`):
//! `impl_curation!` stamps it onto each backend's store.

macro_rules! impl_curation {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::curation::CurationStore for $store {
            async fn slots(&self) -> $crate::Result<Vec<gazette_core::Slot>> {
                let rows = sqlx::query_as::<$db, $crate::rows::SlotRow>(
                    "SELECT id, key, name_zh, name_en, size_limit FROM slots ORDER BY id",
                )
                .fetch_all(&self.read)
                .await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn slot_entries(
                &self,
                slot_id: i64,
            ) -> $crate::Result<Vec<$crate::curation::SlotEntry>> {
                let rows = sqlx::query_as::<$db, (i64, String, String, String, i64, Option<i64>, Option<i64>)>(
                    "SELECT a.id, a.title, a.lang, a.status, a.published_at, e.starts_at, e.expires_at \
                     FROM slot_entries e JOIN articles a ON a.id = e.article_id \
                     WHERE e.slot_id = $1 ORDER BY e.position, a.id",
                )
                .bind(slot_id)
                .fetch_all(&self.read)
                .await?;
                rows.into_iter()
                    .map(|(article_id, title, lang, status, published_at, starts_at, expires_at)| {
                        Ok($crate::curation::SlotEntry {
                            article_id,
                            title,
                            lang,
                            status: gazette_core::ArticleStatus::parse(&status)?,
                            published_at,
                            starts_at,
                            expires_at,
                        })
                    })
                    .collect()
            }

            async fn replace_slot_entries(
                &self,
                slot_id: i64,
                key: &str,
                entries: &[$crate::curation::SlotEntryInput],
                at: i64,
            ) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                sqlx::query::<$db>("DELETE FROM slot_entries WHERE slot_id = $1")
                    .bind(slot_id)
                    .execute(&mut *tx)
                    .await?;
                for (position, entry) in entries.iter().enumerate() {
                    sqlx::query::<$db>(
                        "INSERT INTO slot_entries (slot_id, article_id, position, starts_at, expires_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(slot_id)
                    .bind(entry.article_id)
                    .bind(position as i64 + 1)
                    .bind(entry.starts_at)
                    .bind(entry.expires_at)
                    .execute(&mut *tx)
                    .await?;
                }
                let seq = Self::record_change(&mut tx, $crate::changes::ChangeKind::Slot, None, at)
                    .await?;
                sqlx::query::<$db>("UPDATE changes SET slot_key = $1 WHERE seq = $2")
                    .bind(key)
                    .bind(seq)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn pick_articles(
                &self,
                text: &str,
                limit: i64,
            ) -> $crate::Result<Vec<$crate::curation::PickerHit>> {
                let id: i64 = text.trim().parse().unwrap_or(0);
                let rows = sqlx::query_as::<$db, (i64, String, String, i64)>(
                    "SELECT id, title, lang, published_at FROM articles \
                     WHERE status = 'published' AND (id = $1 OR title LIKE $2 ESCAPE '\\') \
                     ORDER BY published_at DESC, id DESC LIMIT $3",
                )
                .bind(id)
                .bind($crate::sql_media::like_pattern(text.trim()))
                .bind(limit)
                .fetch_all(&self.read)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(article_id, title, lang, published_at)| $crate::curation::PickerHit {
                        article_id,
                        title,
                        lang,
                        published_at,
                    })
                    .collect())
            }
        }
    };
}

pub(crate) use impl_curation;
