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
        }
    };
}

pub(crate) use impl_search;
