//! The sitemaps area's SQL (see `sitemaps.rs`): `impl_sitemaps!` stamps it
//! onto each backend's store.

/// Columns of a sitemap entry.
pub(crate) const ENTRY: &str = "id, lang, slug, channel_id, title, published_at, updated_at";

pub(crate) fn entry(
    row: (i64, String, String, i64, String, i64, i64),
) -> crate::Result<crate::sitemaps::SitemapEntry> {
    let (id, lang, slug, channel_id, title, published_at, updated_at) = row;
    Ok(crate::sitemaps::SitemapEntry {
        article: gazette_core::ArticleRef {
            id,
            lang: gazette_core::Lang::parse(&lang)
                .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?,
            slug: gazette_core::Slug::parse(&slug)
                .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?,
            channel_id,
        },
        title,
        published_at,
        updated_at,
    })
}

macro_rules! impl_sitemaps {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::sitemaps::SitemapStore for $store {
            async fn sitemap_summary(&self, now: i64) -> $crate::Result<(i64, i64)> {
                let (count, latest) = sqlx::query_as::<$db, (i64, Option<i64>)>(
                    "SELECT COUNT(*), MAX(updated_at) FROM articles \
                     WHERE status = 'published' AND published_at <= $1",
                )
                .bind(now)
                .fetch_one(&self.read)
                .await?;
                Ok((count, latest.unwrap_or(0)))
            }

            async fn sitemap_entries(
                &self,
                now: i64,
                offset: i64,
                limit: i64,
            ) -> $crate::Result<Vec<$crate::sitemaps::SitemapEntry>> {
                let sql = format!(
                    "SELECT {} FROM articles WHERE status = 'published' AND published_at <= $1 \
                     ORDER BY id LIMIT $3 OFFSET $2",
                    $crate::sql_sitemaps::ENTRY
                );
                let rows = sqlx::query_as::<$db, (i64, String, String, i64, String, i64, i64)>(
                    sqlx::AssertSqlSafe(sql),
                )
                .bind(now)
                .bind(offset)
                .bind(limit)
                .fetch_all(&self.read)
                .await?;
                rows.into_iter().map($crate::sql_sitemaps::entry).collect()
            }

            async fn news_entries(
                &self,
                now: i64,
                since: i64,
                limit: i64,
            ) -> $crate::Result<Vec<$crate::sitemaps::SitemapEntry>> {
                let sql = format!(
                    "SELECT {} FROM articles WHERE status = 'published' AND published_at <= $1 \
                     AND published_at >= $2 ORDER BY published_at DESC, id DESC LIMIT $3",
                    $crate::sql_sitemaps::ENTRY
                );
                let rows = sqlx::query_as::<$db, (i64, String, String, i64, String, i64, i64)>(
                    sqlx::AssertSqlSafe(sql),
                )
                .bind(now)
                .bind(since)
                .bind(limit)
                .fetch_all(&self.read)
                .await?;
                rows.into_iter().map($crate::sql_sitemaps::entry).collect()
            }
        }
    };
}

pub(crate) use impl_sitemaps;
