//! The newsroom area's SQL, the same on both backends (see `sql.rs`):
//! `impl_newsroom!` stamps it onto each backend's store.

use crate::newsroom::{ArticleHead, RevisionKind, RevisionMeta, WorkItem};
use crate::{Result, StoreError};
use gazette_core::{ArticleStatus, Lang};

pub(crate) const REVISION_COLUMNS: &str =
    "id, article_id, created_at, account_id, actor, kind, title";

pub(crate) const PERSON_COLUMNS: &str =
    "p.id, p.slug, p.name, p.affiliation, p.name_en, p.affiliation_en";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RevisionRow {
    id: i64,
    article_id: i64,
    created_at: i64,
    account_id: Option<i64>,
    actor: String,
    kind: String,
    title: String,
}

impl TryFrom<RevisionRow> for RevisionMeta {
    type Error = StoreError;
    fn try_from(row: RevisionRow) -> Result<Self> {
        Ok(RevisionMeta {
            id: row.id,
            article_id: row.article_id,
            created_at: row.created_at,
            account_id: row.account_id,
            actor: row.actor,
            kind: RevisionKind::parse(&row.kind)?,
            title: row.title,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct HeadRow {
    id: i64,
    status: String,
    created_by: Option<i64>,
    head_revision: Option<i64>,
    updated_at: i64,
    review_state: String,
    review_round: i64,
    live_revision: Option<i64>,
}

impl TryFrom<HeadRow> for ArticleHead {
    type Error = StoreError;
    fn try_from(row: HeadRow) -> Result<Self> {
        Ok(ArticleHead {
            id: row.id,
            status: ArticleStatus::parse(&row.status)?,
            created_by: row.created_by,
            head_revision: row.head_revision,
            updated_at: row.updated_at,
            review_state: crate::review::ReviewState::parse(&row.review_state)?,
            review_round: row.review_round,
            live_revision: row.live_revision,
        })
    }
}

/// A person credited on an article.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CreditedRow {
    pub(crate) article_id: i64,
    #[sqlx(flatten)]
    pub(crate) person: crate::rows::PersonRow,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct WorkRow {
    id: i64,
    lang: String,
    title: String,
    status: String,
    channel_id: i64,
    updated_at: i64,
    published_at: i64,
    created_by: Option<i64>,
    review_state: String,
}

impl TryFrom<WorkRow> for WorkItem {
    type Error = StoreError;
    fn try_from(row: WorkRow) -> Result<Self> {
        Ok(WorkItem {
            id: row.id,
            lang: Lang::parse(&row.lang)?,
            title: row.title,
            status: ArticleStatus::parse(&row.status)?,
            channel_id: row.channel_id,
            updated_at: row.updated_at,
            published_at: row.published_at,
            created_by: row.created_by,
            review_state: crate::review::ReviewState::parse(&row.review_state)?,
        })
    }
}

/// `text` as a LIKE pattern that matches it anywhere, its own `%`, `_`
/// and `\` taken literally.
pub(crate) fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

macro_rules! impl_newsroom {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Writes an article's fields, credits and tags over its row, in
            /// the caller's transaction.
            async fn write_article_fields(
                tx: &mut sqlx::Transaction<'_, $db>,
                id: i64,
                a: &$crate::NewArticle,
            ) -> $crate::Result<()> {
                let cover = a.cover.as_ref();
                sqlx::query::<$db>(
                    "UPDATE articles SET lang = $1, slug = $2, channel_id = $3, topic_id = $4, \
                     translation_group = COALESCE($5, translation_group), title = $6, kicker = $7, subtitle = $8, summary = $9, \
                     body = $10, body_format = 'html', source = $11, updated_at = $12, \
                     cover_media_id = $13, cover_alt = $14, cover_caption = $15, cover_credit = $16, \
                     kind = $18 WHERE id = $17",
                )
                .bind(a.lang.code())
                .bind(a.slug.as_str())
                .bind(a.channel_id)
                .bind(a.topic_id)
                .bind(a.translation_group)
                .bind(&a.title)
                .bind(&a.kicker)
                .bind(&a.subtitle)
                .bind(&a.summary)
                .bind(&a.body)
                .bind(&a.source)
                .bind(a.updated_at)
                .bind(cover.map(|c| c.media_id))
                .bind(cover.map(|c| c.alt.as_str()))
                .bind(cover.and_then(|c| c.caption.as_deref()))
                .bind(cover.and_then(|c| c.credit.as_deref()))
                .bind(id)
                .bind(if a.gallery { "gallery" } else { "story" })
                .execute(&mut **tx)
                .await?;
                sqlx::query::<$db>("DELETE FROM article_credits WHERE article_id = $1")
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                sqlx::query::<$db>("DELETE FROM article_tags WHERE article_id = $1")
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                // The 责编 is a sign-off, never a credit the form writes.
                let credits = a
                    .credits
                    .iter()
                    .filter(|(role, _)| *role != gazette_core::CreditRole::ResponsibleEditor);
                for (position, (role, person_id)) in credits.enumerate() {
                    sqlx::query::<$db>(
                        "INSERT INTO article_credits (article_id, role, position, person_id) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(role.code())
                    .bind(position as i64)
                    .bind(*person_id)
                    .execute(&mut **tx)
                    .await?;
                }
                for tag in &a.tags {
                    sqlx::query::<$db>(
                        "INSERT INTO article_tags (article_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(tag.as_str())
                    .execute(&mut **tx)
                    .await?;
                }
                Ok(())
            }

            async fn insert_revision(
                tx: &mut sqlx::Transaction<'_, $db>,
                article_id: i64,
                r: &$crate::newsroom::NewRevision,
            ) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO article_revisions (article_id, created_at, account_id, actor, kind, \
                     title, content) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(article_id)
                .bind(r.created_at)
                .bind(r.account_id)
                .bind(&r.actor)
                .bind(r.kind.as_str())
                .bind(&r.title)
                .bind(&r.content)
                .fetch_one(&mut **tx)
                .await?)
            }
        }

        #[async_trait::async_trait]
        impl $crate::newsroom::NewsroomStore for $store {
            async fn account_person(&self, account_id: i64) -> $crate::Result<Option<i64>> {
                Ok(sqlx::query_scalar::<$db, Option<i64>>(
                    "SELECT person_id FROM accounts WHERE id = $1",
                )
                .bind(account_id)
                .fetch_one(&self.write)
                .await?)
            }

            async fn ensure_account_person(
                &self,
                account_id: i64,
                p: &$crate::NewPerson,
            ) -> $crate::Result<i64> {
                if let Some(id) = self.account_person(account_id).await? {
                    return Ok(id);
                }
                let mut tx = self.write.begin().await?;
                let person_id = sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO people (slug, name, affiliation, name_en, affiliation_en) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(p.slug.as_str())
                .bind(&p.name)
                .bind(&p.affiliation)
                .bind(&p.name_en)
                .bind(&p.affiliation_en)
                .fetch_one(&mut *tx)
                .await?;
                let linked = sqlx::query::<$db>(
                    "UPDATE accounts SET person_id = $1 WHERE id = $2 AND person_id IS NULL",
                )
                .bind(person_id)
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
                if linked.rows_affected() == 1 {
                    tx.commit().await?;
                    return Ok(person_id);
                }
                // Another call linked one first (or the account is gone).
                tx.rollback().await?;
                self.account_person(account_id)
                    .await?
                    .ok_or($crate::StoreError::NotFound)
            }

            async fn people_by_ids(&self, person_ids: &[i64]) -> $crate::Result<Vec<gazette_core::Person>> {
                let rows: Vec<$crate::rows::PersonRow> = $crate::sql::rows_for_ids(
                    &self.write,
                    person_ids,
                    &format!(
                        "SELECT {} FROM people p WHERE p.id IN ",
                        $crate::sql_newsroom::PERSON_COLUMNS
                    ),
                    "",
                )
                .await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn person_named(
                &self,
                name: &str,
                affiliation: Option<&str>,
            ) -> $crate::Result<Option<gazette_core::Person>> {
                let sql = format!(
                    "SELECT {} FROM people p WHERE p.name = $1 OR p.name_en = $1 \
                     ORDER BY CASE WHEN EXISTS (SELECT 1 FROM accounts s WHERE s.person_id = p.id) \
                     THEN 0 ELSE 1 END, CASE WHEN p.affiliation = $2 OR p.affiliation_en = $2 \
                     THEN 0 ELSE 1 END, p.id LIMIT 1",
                    $crate::sql_newsroom::PERSON_COLUMNS
                );
                sqlx::query_as::<$db, $crate::rows::PersonRow>(sqlx::AssertSqlSafe(sql))
                    .bind(name)
                    .bind(affiliation)
                    .fetch_optional(&self.write)
                    .await?
                    .map(TryInto::try_into)
                    .transpose()
            }

            async fn person_slug_taken(&self, slug: &str) -> $crate::Result<bool> {
                Ok(sqlx::query_scalar::<$db, i64>("SELECT COUNT(*) FROM people WHERE slug = $1")
                    .bind(slug)
                    .fetch_one(&self.write)
                    .await?
                    > 0)
            }

            async fn create_draft(
                &self,
                a: &$crate::NewArticle,
                created_by: Option<i64>,
                revision: &$crate::newsroom::NewRevision,
            ) -> $crate::Result<(i64, i64)> {
                let mut tx = self.write.begin().await?;
                let id = sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO articles (lang, slug, channel_id, status, title, summary, body, \
                     body_format, published_at, updated_at, created_by, created_at) VALUES ($1, $2, \
                     $3, $4, $5, $6, $7, 'html', $8, $9, $10, $11) RETURNING id",
                )
                .bind(a.lang.code())
                .bind(a.slug.as_str())
                .bind(a.channel_id)
                .bind(a.status.code())
                .bind(&a.title)
                .bind(&a.summary)
                .bind(&a.body)
                .bind(a.published_at)
                .bind(a.updated_at)
                .bind(created_by)
                .bind(revision.created_at)
                .fetch_one(&mut *tx)
                .await?;
                Self::write_article_fields(&mut tx, id, a).await?;
                let revision_id = Self::insert_revision(&mut tx, id, revision).await?;
                sqlx::query::<$db>("UPDATE articles SET head_revision = $1 WHERE id = $2")
                    .bind(revision_id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                Self::record_change(
                    &mut tx,
                    $crate::changes::ChangeKind::Saved,
                    Some(id),
                    revision.created_at,
                )
                .await?;
                tx.commit().await?;
                Ok((id, revision_id))
            }

            async fn save_revision(
                &self,
                article_id: i64,
                base: Option<i64>,
                revision: &$crate::newsroom::NewRevision,
                apply: Option<&$crate::NewArticle>,
            ) -> $crate::Result<$crate::newsroom::SaveOutcome> {
                let mut tx = self.write.begin().await?;
                let revision_id = Self::insert_revision(&mut tx, article_id, revision).await?;
                // The compare-and-set that makes a concurrent save a conflict;
                // the new round voids approvals, and a signed-off article
                // goes back to review.
                let moved = sqlx::query::<$db>(
                    "UPDATE articles SET head_revision = $1, review_round = review_round + 1, \
                     review_state = CASE WHEN review_state IN ('approved', 'submitted') \
                     THEN 'submitted' WHEN review_state = 'live' THEN 'editing' \
                     ELSE review_state END WHERE id = $2 \
                     AND head_revision IS NOT DISTINCT FROM $3",
                )
                .bind(revision_id)
                .bind(article_id)
                .bind(base)
                .execute(&mut *tx)
                .await?;
                if moved.rows_affected() == 0 {
                    tx.rollback().await?;
                    let head = self.article_head(article_id).await?;
                    return Ok($crate::newsroom::SaveOutcome::Conflict {
                        head: head.head_revision,
                    });
                }
                if let Some(article) = apply {
                    Self::write_article_fields(&mut tx, article_id, article).await?;
                    Self::record_change(
                        &mut tx,
                        $crate::changes::ChangeKind::Saved,
                        Some(article_id),
                        revision.created_at,
                    )
                    .await?;
                }
                tx.commit().await?;
                Ok($crate::newsroom::SaveOutcome::Saved(revision_id))
            }

            async fn article_head(&self, id: i64) -> $crate::Result<$crate::newsroom::ArticleHead> {
                sqlx::query_as::<$db, $crate::sql_newsroom::HeadRow>(
                    "SELECT id, status, created_by, head_revision, updated_at, review_state, \
                     review_round, live_revision FROM articles WHERE id = $1",
                )
                .bind(id)
                .fetch_one(&self.write)
                .await?
                .try_into()
            }

            async fn revisions(&self, article_id: i64) -> $crate::Result<Vec<$crate::newsroom::RevisionMeta>> {
                let sql = format!(
                    "SELECT {} FROM article_revisions WHERE article_id = $1 ORDER BY id DESC",
                    $crate::sql_newsroom::REVISION_COLUMNS
                );
                sqlx::query_as::<$db, $crate::sql_newsroom::RevisionRow>(sqlx::AssertSqlSafe(sql))
                    .bind(article_id)
                    .fetch_all(&self.write)
                    .await?
                    .into_iter()
                    .map(TryInto::try_into)
                    .collect()
            }

            async fn revision(&self, id: i64) -> $crate::Result<$crate::newsroom::Revision> {
                let sql = format!(
                    "SELECT {} FROM article_revisions WHERE id = $1",
                    $crate::sql_newsroom::REVISION_COLUMNS
                );
                let meta: $crate::newsroom::RevisionMeta =
                    sqlx::query_as::<$db, $crate::sql_newsroom::RevisionRow>(sqlx::AssertSqlSafe(sql))
                        .bind(id)
                        .fetch_one(&self.write)
                        .await?
                        .try_into()?;
                let content = sqlx::query_scalar::<$db, String>(
                    "SELECT content FROM article_revisions WHERE id = $1",
                )
                .bind(id)
                .fetch_one(&self.write)
                .await?;
                Ok($crate::newsroom::Revision { meta, content })
            }

            async fn translation_group_for(&self, article_id: i64) -> $crate::Result<i64> {
                sqlx::query::<$db>(
                    "UPDATE articles SET translation_group = -id WHERE id = $1 AND translation_group IS NULL",
                )
                .bind(article_id)
                .execute(&self.write)
                .await?;
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT translation_group FROM articles WHERE id = $1",
                )
                .bind(article_id)
                .fetch_one(&self.write)
                .await?)
            }

            async fn is_credited_author(&self, article_id: i64, person_id: i64) -> $crate::Result<bool> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT COUNT(*) FROM article_credits WHERE article_id = $1 AND person_id = $2 \
                     AND role = 'author'",
                )
                .bind(article_id)
                .bind(person_id)
                .fetch_one(&self.write)
                .await?
                    > 0)
            }

            async fn worklist(
                &self,
                f: &$crate::newsroom::WorkFilter,
                limit: i64,
            ) -> $crate::Result<Vec<$crate::newsroom::WorkItem>> {
                let mut query = sqlx::QueryBuilder::<$db>::new(
                    "SELECT a.id, a.lang, a.title, a.status, a.channel_id, a.updated_at, \
                     a.published_at, a.created_by, a.review_state FROM articles a WHERE 1 = 1",
                );
                if let Some(status) = f.status {
                    query.push(" AND a.status = ").push_bind(status.code());
                }
                if let Some(state) = f.review_state {
                    query.push(" AND a.review_state = ").push_bind(state.as_str());
                }
                if let Some(channel) = f.channel_id {
                    query
                        .push(
                            " AND a.channel_id IN (WITH RECURSIVE sub(id) AS (SELECT CAST(",
                        )
                        .push_bind(channel)
                        .push(
                            " AS BIGINT) UNION ALL SELECT c.id FROM channels c JOIN sub ON \
                             c.parent_id = sub.id) SELECT id FROM sub)",
                        );
                }
                if let Some(person) = f.author_person_id {
                    query
                        .push(
                            " AND EXISTS (SELECT 1 FROM article_credits c WHERE c.article_id = a.id \
                             AND c.role = 'author' AND c.person_id = ",
                        )
                        .push_bind(person)
                        .push(")");
                }
                if let Some(from) = f.changed_from {
                    query.push(" AND a.updated_at >= ").push_bind(from);
                }
                if let Some(before) = f.changed_before {
                    query.push(" AND a.updated_at < ").push_bind(before);
                }
                if let Some(title) = f.title.as_deref().filter(|t| !t.is_empty()) {
                    query
                        .push(" AND LOWER(a.title) LIKE ")
                        .push_bind($crate::sql_newsroom::contains_pattern(title))
                        .push(" ESCAPE '\\'");
                }
                if let Some(ids) = &f.ids {
                    if ids.is_empty() {
                        return Ok(Vec::new());
                    }
                    query.push(" AND a.id IN ");
                    $crate::sql::push_ids(&mut query, ids);
                }
                if let Some((account, person)) = f.only_for {
                    query.push(" AND (a.created_by = ").push_bind(account);
                    if let Some(person) = person {
                        query
                            .push(
                                " OR EXISTS (SELECT 1 FROM article_credits c WHERE c.article_id = a.id \
                                 AND c.role = 'author' AND c.person_id = ",
                            )
                            .push_bind(person)
                            .push(")");
                    }
                    query.push(")");
                }
                if let Some((updated_at, id)) = f.after {
                    query
                        .push(" AND (a.updated_at < ")
                        .push_bind(updated_at)
                        .push(" OR (a.updated_at = ")
                        .push_bind(updated_at)
                        .push(" AND a.id < ")
                        .push_bind(id)
                        .push("))");
                }
                query
                    .push(" ORDER BY a.updated_at DESC, a.id DESC LIMIT ")
                    .push_bind(limit);
                query
                    .build_query_as::<$crate::sql_newsroom::WorkRow>()
                    .fetch_all(&self.read)
                    .await?
                    .into_iter()
                    .map(TryInto::try_into)
                    .collect()
            }

            async fn authors_of(
                &self,
                article_ids: &[i64],
            ) -> $crate::Result<Vec<(i64, gazette_core::Person)>> {
                let rows: Vec<$crate::sql_newsroom::CreditedRow> = $crate::sql::rows_for_ids(
                    &self.read,
                    article_ids,
                    &format!(
                        "SELECT c.article_id, {} FROM article_credits c JOIN people p ON p.id = c.person_id \
                         WHERE c.role = 'author' AND c.article_id IN ",
                        $crate::sql_newsroom::PERSON_COLUMNS
                    ),
                    " ORDER BY c.article_id, c.position",
                )
                .await?;
                rows.into_iter()
                    .map(|row| Ok((row.article_id, row.person.try_into()?)))
                    .collect()
            }

            async fn create_preview_link(
                &self,
                token_hash: &[u8],
                article_id: i64,
                created_by: Option<i64>,
                now: i64,
                expires_at: i64,
            ) -> $crate::Result<()> {
                sqlx::query::<$db>(
                    "INSERT INTO preview_links (token_hash, article_id, created_by, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(token_hash)
                .bind(article_id)
                .bind(created_by)
                .bind(now)
                .bind(expires_at)
                .execute(&self.write)
                .await?;
                Ok(())
            }

            async fn preview_link(&self, token_hash: &[u8], now: i64) -> $crate::Result<Option<i64>> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT article_id FROM preview_links WHERE token_hash = $1 AND expires_at > $2 \
                     AND revoked_at IS NULL",
                )
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.write)
                .await?)
            }

            async fn open_preview_links(&self, article_id: i64, now: i64) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT COUNT(*) FROM preview_links WHERE article_id = $1 AND expires_at > $2 \
                     AND revoked_at IS NULL",
                )
                .bind(article_id)
                .bind(now)
                .fetch_one(&self.write)
                .await?)
            }

            async fn revoke_preview_links(&self, article_id: i64, now: i64) -> $crate::Result<u64> {
                Ok(sqlx::query::<$db>(
                    "UPDATE preview_links SET revoked_at = $1 WHERE article_id = $2 \
                     AND revoked_at IS NULL AND expires_at > $1",
                )
                .bind(now)
                .bind(article_id)
                .execute(&self.write)
                .await?
                .rows_affected())
            }

            async fn style_terms(&self) -> $crate::Result<Vec<$crate::newsroom::StyleTerm>> {
                let rows = sqlx::query_as::<$db, (i64, String, i64, String)>(
                    "SELECT id, term, avoid, note FROM style_terms ORDER BY term",
                )
                .fetch_all(&self.write)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, term, avoid, note)| $crate::newsroom::StyleTerm {
                        id,
                        term,
                        avoid: avoid != 0,
                        note,
                    })
                    .collect())
            }

            async fn add_style_term(
                &self,
                term: &str,
                avoid: bool,
                note: &str,
                created_by: Option<i64>,
                now: i64,
            ) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO style_terms (term, avoid, note, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(term)
                .bind(i64::from(avoid))
                .bind(note)
                .bind(created_by)
                .bind(now)
                .fetch_one(&self.write)
                .await?)
            }

            async fn delete_style_term(&self, id: i64) -> $crate::Result<bool> {
                Ok(sqlx::query::<$db>("DELETE FROM style_terms WHERE id = $1")
                    .bind(id)
                    .execute(&self.write)
                    .await?
                    .rows_affected()
                    == 1)
            }

            async fn markdown_bodies(&self, limit: i64) -> $crate::Result<Vec<(i64, String)>> {
                Ok(sqlx::query_as::<$db, (i64, String)>(
                    "SELECT id, body FROM articles WHERE body_format = 'markdown' ORDER BY id LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&self.write)
                .await?)
            }

            async fn set_html_body(&self, id: i64, html: &str) -> $crate::Result<()> {
                sqlx::query::<$db>(
                    "UPDATE articles SET body = $1, body_format = 'html' WHERE id = $2 \
                     AND body_format = 'markdown'",
                )
                .bind(html)
                .bind(id)
                .execute(&self.write)
                .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_newsroom;
