//! The search area's SQL (see `search.rs`): `impl_search!` stamps it onto
//! each backend's store.

#[derive(sqlx::FromRow)]
pub(crate) struct SourceRow {
    pub(crate) id: i64,
    lang: String,
    status: String,
    channel_id: i64,
    topic_id: Option<i64>,
    published_at: i64,
    updated_at: i64,
    created_by: Option<i64>,
    slug: String,
    title: String,
    subtitle: Option<String>,
    summary: String,
    body: String,
    source: Option<String>,
}

/// Rows with their authors and tags (all three lists in article order).
pub(crate) fn sources(
    rows: Vec<SourceRow>,
    authors: Vec<(i64, i64, String, Option<String>)>,
    tags: Vec<(i64, String)>,
) -> crate::Result<Vec<crate::search::SearchSource>> {
    let mut authors = authors.into_iter().peekable();
    let mut tags = tags.into_iter().peekable();
    let corrupt = |e: gazette_core::ParseError| crate::StoreError::Corrupt(e.to_string());
    rows.into_iter()
        .map(|row| {
            while authors.next_if(|a| a.0 < row.id).is_some() {}
            while tags.next_if(|t| t.0 < row.id).is_some() {}
            let mut own_authors = Vec::new();
            while let Some((_, person, name, name_en)) = authors.next_if(|a| a.0 == row.id) {
                own_authors.push((person, name, name_en));
            }
            let mut own_tags = Vec::new();
            while let Some((_, tag)) = tags.next_if(|t| t.0 == row.id) {
                own_tags.push(tag);
            }
            Ok(crate::search::SearchSource {
                id: row.id,
                lang: gazette_core::Lang::parse(&row.lang).map_err(corrupt)?,
                status: gazette_core::ArticleStatus::parse(&row.status).map_err(corrupt)?,
                channel_id: row.channel_id,
                topic_id: row.topic_id,
                published_at: row.published_at,
                updated_at: row.updated_at,
                created_by: row.created_by,
                slug: row.slug,
                title: row.title,
                subtitle: row.subtitle,
                summary: row.summary,
                body: row.body,
                source: row.source,
                authors: own_authors,
                tags: own_tags,
            })
        })
        .collect()
}

macro_rules! impl_search {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::search::SearchStore for $store {
            async fn search_sources(
                &self,
                after: i64,
                until: i64,
                limit: i64,
            ) -> $crate::Result<Vec<$crate::search::SearchSource>> {
                let rows = sqlx::query_as::<$db, $crate::sql_search::SourceRow>(
                    "SELECT id, lang, status, channel_id, topic_id, published_at, updated_at, \
                     created_by, slug, title, subtitle, summary, body, source \
                     FROM articles WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3",
                )
                .bind(after)
                .bind(until)
                .bind(limit)
                .fetch_all(&self.read)
                .await?;
                let (Some(first), Some(last)) =
                    (rows.first().map(|r| r.id), rows.last().map(|r| r.id))
                else {
                    return Ok(Vec::new());
                };
                let authors = sqlx::query_as::<$db, (i64, i64, String, Option<String>)>(
                    "SELECT c.article_id, c.person_id, p.name, p.name_en \
                     FROM article_credits c JOIN people p ON p.id = c.person_id \
                     WHERE c.role = 'author' AND c.article_id BETWEEN $1 AND $2 \
                     ORDER BY c.article_id, c.position",
                )
                .bind(first)
                .bind(last)
                .fetch_all(&self.read)
                .await?;
                let tags = sqlx::query_as::<$db, (i64, String)>(
                    "SELECT article_id, tag FROM article_tags WHERE article_id BETWEEN $1 AND $2 \
                     ORDER BY article_id, tag",
                )
                .bind(first)
                .bind(last)
                .fetch_all(&self.read)
                .await?;
                $crate::sql_search::sources(rows, authors, tags)
            }

            async fn count_search(
                &self,
                asked: &$crate::search::SearchAsked<'_>,
            ) -> $crate::Result<bool> {
                let mut tx = self.write.begin().await?;
                let new = sqlx::query::<$db>(
                    "INSERT INTO dedup_seen (day, hash) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(asked.day)
                .bind(asked.asker)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1;
                if new {
                    sqlx::query::<$db>(
                        "INSERT INTO search_queries (day, query_key, askers, found) VALUES ($1, $2, 1, $3) \
                         ON CONFLICT (day, query_key) DO UPDATE SET askers = search_queries.askers + 1, \
                         found = excluded.found",
                    )
                    .bind(asked.day)
                    .bind(asked.query_key)
                    .bind(i64::from(asked.found))
                    .execute(&mut *tx)
                    .await?;
                    // The words only once enough people asked them.
                    sqlx::query::<$db>(
                        "UPDATE search_queries SET query = $3 WHERE day = $1 AND query_key = $2 \
                         AND query IS NULL AND askers >= $4",
                    )
                    .bind(asked.day)
                    .bind(asked.query_key)
                    .bind(asked.query)
                    .bind(asked.least)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(new)
            }

            async fn frequent_searches(
                &self,
                first_day: i64,
                last_day: i64,
                least: i64,
                unfound: bool,
                limit: i64,
            ) -> $crate::Result<Vec<(String, i64)>> {
                Ok(sqlx::query_as::<$db, (String, i64)>(
                    "SELECT query, CAST(SUM(askers) AS BIGINT) FROM search_queries \
                     WHERE day BETWEEN $1 AND $2 AND askers >= $3 AND query IS NOT NULL \
                     AND ($4 = 0 OR found = 0) \
                     GROUP BY query ORDER BY 2 DESC, query LIMIT $5",
                )
                .bind(first_day)
                .bind(last_day)
                .bind(least)
                .bind(i64::from(unfound))
                .bind(limit)
                .fetch_all(&self.read)
                .await?)
            }

            async fn forget_rare_searches(&self, day: i64, least: i64) -> $crate::Result<u64> {
                Ok(
                    sqlx::query::<$db>("DELETE FROM search_queries WHERE day < $1 AND askers < $2")
                        .bind(day)
                        .bind(least)
                        .execute(&self.write)
                        .await?
                        .rows_affected(),
                )
            }
        }
    };
}

pub(crate) use impl_search;
