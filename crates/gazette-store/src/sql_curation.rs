//! The curation area's SQL, the same on both backends (see `curation.rs`):
//! `impl_curation!` stamps it onto each backend's store.

macro_rules! impl_curation {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Keeps `path` redirecting to `channel`, in the caller's transaction.
            async fn keep_redirect(
                tx: &mut sqlx::Transaction<'_, $db>,
                path: &str,
                channel: i64,
            ) -> $crate::Result<()> {
                sqlx::query::<$db>(
                    "INSERT INTO channel_redirects (path, channel_id) VALUES ($1, $2) \
                     ON CONFLICT (path) DO UPDATE SET channel_id = excluded.channel_id",
                )
                .bind(path)
                .bind(channel)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
        }

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
                // The change is appended first: on PostgreSQL its lock makes
                // two saves of the slot (or of anything) take turns.
                Self::record_change_of(
                    &mut tx,
                    $crate::changes::ChangeKind::Slot,
                    &$crate::sql_changes::Subject { slot_key: Some(key), ..Default::default() },
                    at,
                )
                .await?;
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
                tx.commit().await?;
                Ok(())
            }

            async fn add_channel(
                &self,
                parent_id: Option<i64>,
                slug: &gazette_core::Slug,
                name_zh: &str,
                name_en: &str,
                at: i64,
            ) -> $crate::Result<i64> {
                let mut tx = self.write.begin().await?;
                // First: channel changes take turns (the change log's lock).
                Self::record_change(&mut tx, $crate::changes::ChangeKind::Channels, None, at).await?;
                let taken = sqlx::query_scalar::<$db, i64>(
                    "SELECT COUNT(*) FROM channels WHERE COALESCE(parent_id, 0) = COALESCE(CAST($1 AS BIGINT), 0) \
                     AND slug = $2",
                )
                .bind(parent_id)
                .bind(slug.as_str())
                .fetch_one(&mut *tx)
                .await?;
                if taken > 0 {
                    return Err($crate::StoreError::Conflict(
                        "another channel under the same parent has this slug".into(),
                    ));
                }
                let id = sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO channels (parent_id, slug, name_zh, name_en, position) \
                     VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM channels \
                     WHERE COALESCE(parent_id, 0) = COALESCE(CAST($1 AS BIGINT), 0))) RETURNING id",
                )
                .bind(parent_id)
                .bind(slug.as_str())
                .bind(name_zh)
                .bind(name_en)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn change_channel(
                &self,
                id: i64,
                change: &$crate::curation::ChannelChange,
                old_paths: &[(String, i64)],
                at: i64,
            ) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                // First: channel changes take turns (the change log's lock).
                Self::record_change(&mut tx, $crate::changes::ChangeKind::Channels, None, at).await?;
                let taken = sqlx::query_scalar::<$db, i64>(
                    "SELECT COUNT(*) FROM channels WHERE COALESCE(parent_id, 0) = COALESCE(CAST($1 AS BIGINT), 0) \
                     AND slug = $2 AND id <> $3",
                )
                .bind(change.parent_id)
                .bind(change.slug.as_str())
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                if taken > 0 {
                    return Err($crate::StoreError::Conflict(
                        "another channel under the same parent has this slug".into(),
                    ));
                }
                if let Some(parent) = change.parent_id {
                    let loops = sqlx::query_scalar::<$db, i64>(
                        "WITH RECURSIVE up(id, parent_id) AS (\
                         SELECT id, parent_id FROM channels WHERE id = $1 \
                         UNION SELECT c.id, c.parent_id FROM channels c JOIN up ON c.id = up.parent_id) \
                         SELECT COUNT(*) FROM up WHERE id = $2",
                    )
                    .bind(parent)
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                    if loops > 0 {
                        return Err($crate::StoreError::Conflict(
                            "a channel cannot move under itself or one of its own channels".into(),
                        ));
                    }
                }
                let changed = sqlx::query::<$db>(
                    "UPDATE channels SET parent_id = $2, slug = $3, name_zh = $4, name_en = $5 \
                     WHERE id = $1 AND retired_at IS NULL",
                )
                .bind(id)
                .bind(change.parent_id)
                .bind(change.slug.as_str())
                .bind(&change.name_zh)
                .bind(&change.name_en)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                for (path, channel) in old_paths {
                    Self::keep_redirect(&mut tx, path, *channel).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn order_channels(&self, ids: &[i64], at: i64) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                // First: channel changes take turns (the change log's lock).
                Self::record_change(&mut tx, $crate::changes::ChangeKind::Channels, None, at).await?;
                for (position, id) in ids.iter().enumerate() {
                    sqlx::query::<$db>("UPDATE channels SET position = $2 WHERE id = $1")
                        .bind(id)
                        .bind(position as i64 + 1)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn retire_channel(
                &self,
                id: i64,
                into: i64,
                old_path: &str,
                at: i64,
            ) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                // First: channel changes take turns (the change log's lock).
                Self::record_change(&mut tx, $crate::changes::ChangeKind::Channels, None, at).await?;
                let children = sqlx::query_scalar::<$db, i64>(
                    "SELECT COUNT(*) FROM channels WHERE parent_id = $1 AND retired_at IS NULL",
                )
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                if children > 0 || id == into {
                    return Err($crate::StoreError::Conflict(
                        "a channel with channels under it, or into itself, cannot be retired".into(),
                    ));
                }
                let changed = sqlx::query::<$db>(
                    "UPDATE channels SET retired_at = $2 WHERE id = $1 AND retired_at IS NULL \
                     AND EXISTS (SELECT 1 FROM channels t WHERE t.id = $3 AND t.retired_at IS NULL)",
                )
                .bind(id)
                .bind(at)
                .bind(into)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                // Each article moved is a change of its own (search and the
                // pages that name it follow articles, not channels).
                let moved = sqlx::query_scalar::<$db, i64>(
                    "SELECT id FROM articles WHERE channel_id = $1 ORDER BY id",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
                sqlx::query::<$db>("UPDATE articles SET channel_id = $2 WHERE channel_id = $1")
                    .bind(id)
                    .bind(into)
                    .execute(&mut *tx)
                    .await?;
                for article in moved {
                    Self::record_change(&mut tx, $crate::changes::ChangeKind::Moved, Some(article), at)
                        .await?;
                }
                sqlx::query::<$db>("UPDATE topics SET channel_id = $2 WHERE channel_id = $1")
                    .bind(id)
                    .bind(into)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query::<$db>("UPDATE channel_redirects SET channel_id = $2 WHERE channel_id = $1")
                    .bind(id)
                    .bind(into)
                    .execute(&mut *tx)
                    .await?;
                Self::keep_redirect(&mut tx, old_path, into).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn channel_redirect(&self, path: &str) -> $crate::Result<Option<i64>> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT channel_id FROM channel_redirects WHERE path = $1",
                )
                .bind(path)
                .fetch_optional(&self.read)
                .await?)
            }

            async fn channel_article_count(&self, id: i64) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT COUNT(*) FROM articles WHERE channel_id = $1",
                )
                .bind(id)
                .fetch_one(&self.read)
                .await?)
            }

            async fn save_topic(
                &self,
                id: Option<i64>,
                t: &$crate::NewTopic,
                sections: &[$crate::curation::TopicSection],
                at: i64,
            ) -> $crate::Result<i64> {
                let mut tx = self.write.begin().await?;

                let taken = sqlx::query_scalar::<$db, i64>(
                    "SELECT COUNT(*) FROM topics WHERE slug = $1 AND id <> COALESCE(CAST($2 AS BIGINT), 0)",
                )
                .bind(t.slug.as_str())
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                if taken > 0 {
                    return Err($crate::StoreError::Conflict(
                        "another topic has this slug".into(),
                    ));
                }
                let id = match id {
                    Some(id) => {
                        let changed = sqlx::query::<$db>(
                            "UPDATE topics SET slug = $2, channel_id = $3, title_zh = $4, title_en = $5, \
                             description_zh = $6, description_en = $7, cover_media_id = $8 WHERE id = $1",
                        )
                        .bind(id)
                        .bind(t.slug.as_str())
                        .bind(t.channel_id)
                        .bind(&t.title_zh)
                        .bind(&t.title_en)
                        .bind(&t.description_zh)
                        .bind(&t.description_en)
                        .bind(t.cover_media_id)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                        if changed == 0 {
                            return Err($crate::StoreError::NotFound);
                        }
                        id
                    }
                    None => {
                        sqlx::query_scalar::<$db, i64>(
                            "INSERT INTO topics (slug, channel_id, title_zh, title_en, description_zh, \
                             description_en, cover_media_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                        )
                        .bind(t.slug.as_str())
                        .bind(t.channel_id)
                        .bind(&t.title_zh)
                        .bind(&t.title_en)
                        .bind(&t.description_zh)
                        .bind(&t.description_en)
                        .bind(t.cover_media_id)
                        .fetch_one(&mut *tx)
                        .await?
                    }
                };
                sqlx::query::<$db>(
                    "DELETE FROM topic_section_entries WHERE section_id IN \
                     (SELECT id FROM topic_sections WHERE topic_id = $1)",
                )
                .bind(id)
                .execute(&mut *tx)
                .await?;
                sqlx::query::<$db>("DELETE FROM topic_sections WHERE topic_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for (position, section) in sections.iter().enumerate() {
                    let section_id = sqlx::query_scalar::<$db, i64>(
                        "INSERT INTO topic_sections (topic_id, position, title_zh, title_en) \
                         VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(id)
                    .bind(position as i64 + 1)
                    .bind(&section.title_zh)
                    .bind(&section.title_en)
                    .fetch_one(&mut *tx)
                    .await?;
                    for (at_position, article) in section.article_ids.iter().enumerate() {
                        sqlx::query::<$db>(
                            "INSERT INTO topic_section_entries (section_id, position, article_id) \
                             VALUES ($1, $2, $3)",
                        )
                        .bind(section_id)
                        .bind(at_position as i64 + 1)
                        .bind(article)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                Self::record_change_of(
                    &mut tx,
                    $crate::changes::ChangeKind::Topic,
                    &$crate::sql_changes::Subject { topic_id: Some(id), ..Default::default() },
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn topic_sections(
                &self,
                topic_id: i64,
            ) -> $crate::Result<Vec<$crate::curation::TopicSection>> {
                let sections = sqlx::query_as::<$db, (i64, String, String)>(
                    "SELECT id, title_zh, title_en FROM topic_sections WHERE topic_id = $1 \
                     ORDER BY position",
                )
                .bind(topic_id)
                .fetch_all(&self.read)
                .await?;
                let mut out = Vec::new();
                for (id, title_zh, title_en) in sections {
                    let article_ids = sqlx::query_scalar::<$db, i64>(
                        "SELECT article_id FROM topic_section_entries WHERE section_id = $1 \
                         ORDER BY position",
                    )
                    .bind(id)
                    .fetch_all(&self.read)
                    .await?;
                    out.push($crate::curation::TopicSection {
                        title_zh,
                        title_en,
                        article_ids,
                    });
                }
                Ok(out)
            }

            async fn topic_article_ids(&self, topic_id: i64) -> $crate::Result<Vec<i64>> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT id FROM articles WHERE topic_id = $1 UNION \
                     SELECT e.article_id FROM topic_section_entries e \
                     JOIN topic_sections s ON s.id = e.section_id WHERE s.topic_id = $1",
                )
                .bind(topic_id)
                .fetch_all(&self.read)
                .await?)
            }
        }
    };
}

pub(crate) use impl_curation;
