//! The media library's SQL, the same on both backends (see `media.rs`):
//! `impl_media!` stamps it onto each backend's store.

use crate::media::{MediaDetails, MediaInfo, VariantsState};

pub(crate) const INFO_COLUMNS: &str = "m.id, m.content_type, m.extension, m.width, m.height, \
     CAST(LENGTH(m.bytes) AS BIGINT) AS size, m.hash, m.animated, m.caption, m.alt, m.credit, m.licence, \
     m.uploaded_by, ac.name_zh AS uploader, m.created_at, m.variants, m.deleted_at";

pub(crate) const INFO_FROM: &str = "FROM media m LEFT JOIN accounts ac ON ac.id = m.uploaded_by";

/// Whether an article, a topic or the photo stream shows photo `m`. The
/// body test is a scan of published and draft bodies for the photo's
/// stable address (`/media/ID.`); fine for a newsroom's library pages.
pub(crate) const USED: &str = "(EXISTS (SELECT 1 FROM articles a WHERE a.cover_media_id = m.id) \
     OR EXISTS (SELECT 1 FROM topics t WHERE t.cover_media_id = m.id) \
     OR EXISTS (SELECT 1 FROM photo_items p WHERE p.media_id = m.id) \
     OR EXISTS (SELECT 1 FROM articles a WHERE a.body LIKE '%/media/' || CAST(m.id AS TEXT) || '.%'))";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct InfoRow {
    id: i64,
    content_type: String,
    extension: String,
    width: i64,
    height: i64,
    size: Option<i64>,
    hash: String,
    animated: i64,
    caption: String,
    alt: String,
    credit: String,
    licence: String,
    uploaded_by: Option<i64>,
    uploader: Option<String>,
    created_at: i64,
    variants: String,
    deleted_at: Option<i64>,
}

impl From<InfoRow> for MediaInfo {
    fn from(row: InfoRow) -> Self {
        MediaInfo {
            id: row.id,
            content_type: row.content_type,
            extension: row.extension,
            width: row.width,
            height: row.height,
            size: row.size.unwrap_or(0),
            hash: row.hash,
            animated: row.animated != 0,
            details: MediaDetails {
                caption: row.caption,
                alt: row.alt,
                credit: row.credit,
                licence: row.licence,
            },
            uploaded_by: row.uploaded_by,
            uploader: row.uploader,
            created_at: row.created_at,
            variants: VariantsState::parse(&row.variants),
            deleted_at: row.deleted_at,
        }
    }
}

macro_rules! impl_media {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::media::MediaStore for $store {
            async fn add_upload(&self, u: &$crate::media::NewUpload) -> $crate::Result<i64> {
                let mut tx = self.write.begin().await?;
                let id = sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO media (content_type, extension, width, height, bytes, hash, \
                     animated, caption, alt, credit, licence, uploaded_by, variants, created_at, \
                     updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'pending', $13, $13) \
                     RETURNING id",
                )
                .bind(&u.content_type)
                .bind(&u.extension)
                .bind(u.width)
                .bind(u.height)
                .bind(&u.bytes)
                .bind(&u.hash)
                .bind(i64::from(u.animated))
                .bind(&u.details.caption)
                .bind(&u.details.alt)
                .bind(&u.details.credit)
                .bind(&u.details.licence)
                .bind(u.uploaded_by)
                .bind(u.at)
                .fetch_one(&mut *tx)
                .await?;
                Self::record_change_of(
                    &mut tx,
                    $crate::changes::ChangeKind::Uploaded,
                    &$crate::sql_changes::Subject { media_id: Some(id), ..Default::default() },
                    u.at,
                )
                .await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn replace_media(
                &self,
                id: i64,
                u: &$crate::media::NewUpload,
            ) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                let changed = sqlx::query::<$db>(
                    "UPDATE media SET content_type = $2, extension = $3, width = $4, height = $5, \
                     bytes = $6, hash = $7, animated = $8, variants = 'pending', \
                     claimed_until = NULL, updated_at = $9 \
                     WHERE id = $1 AND deleted_at IS NULL AND content_type <> 'image/svg+xml'",
                )
                .bind(id)
                .bind(&u.content_type)
                .bind(&u.extension)
                .bind(u.width)
                .bind(u.height)
                .bind(&u.bytes)
                .bind(&u.hash)
                .bind(i64::from(u.animated))
                .bind(u.at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                sqlx::query::<$db>("DELETE FROM media_variants WHERE media_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                Self::record_change_of(
                    &mut tx,
                    $crate::changes::ChangeKind::Media,
                    &$crate::sql_changes::Subject { media_id: Some(id), ..Default::default() },
                    u.at,
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn delete_media(&self, id: i64, at: i64) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                let changed = sqlx::query::<$db>(
                    "UPDATE media SET bytes = $2, hash = '', deleted_at = $3, updated_at = $3, \
                     claimed_until = NULL WHERE id = $1 AND deleted_at IS NULL",
                )
                .bind(id)
                .bind(Vec::<u8>::new())
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                sqlx::query::<$db>("DELETE FROM media_variants WHERE media_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                Self::record_change_of(
                    &mut tx,
                    $crate::changes::ChangeKind::Media,
                    &$crate::sql_changes::Subject { media_id: Some(id), ..Default::default() },
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn set_media_details(
                &self,
                id: i64,
                d: &$crate::media::MediaDetails,
                at: i64,
            ) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                let changed = sqlx::query::<$db>(
                    "UPDATE media SET caption = $2, alt = $3, credit = $4, licence = $5, \
                     updated_at = $6 WHERE id = $1 AND deleted_at IS NULL",
                )
                .bind(id)
                .bind(&d.caption)
                .bind(&d.alt)
                .bind(&d.credit)
                .bind(&d.licence)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                Self::record_change_of(
                    &mut tx,
                    $crate::changes::ChangeKind::Media,
                    &$crate::sql_changes::Subject { media_id: Some(id), ..Default::default() },
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn media_info(&self, id: i64) -> $crate::Result<$crate::media::MediaInfo> {
                let sql = format!(
                    "SELECT {} {} WHERE m.id = $1",
                    $crate::sql_media::INFO_COLUMNS,
                    $crate::sql_media::INFO_FROM
                );
                let row = sqlx::query_as::<$db, $crate::sql_media::InfoRow>(sqlx::AssertSqlSafe(sql))
                    .bind(id)
                    .fetch_one(&self.read)
                    .await?;
                Ok(row.into())
            }

            async fn media_infos(
                &self,
                ids: &[i64],
            ) -> $crate::Result<Vec<$crate::media::MediaInfo>> {
                let rows: Vec<$crate::sql_media::InfoRow> = $crate::sql::rows_for_ids(
                    &self.read,
                    ids,
                    &format!(
                        "SELECT {} {} WHERE m.id IN ",
                        $crate::sql_media::INFO_COLUMNS,
                        $crate::sql_media::INFO_FROM
                    ),
                    "",
                )
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn media_library(
                &self,
                f: &$crate::media::MediaFilter,
            ) -> $crate::Result<Vec<$crate::media::MediaInfo>> {
                let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} {} WHERE m.deleted_at IS NULL",
                    $crate::sql_media::INFO_COLUMNS,
                    $crate::sql_media::INFO_FROM
                ));
                if let Some(ids) = &f.ids {
                    if ids.is_empty() {
                        return Ok(Vec::new());
                    }
                    query.push(" AND m.id IN ");
                    $crate::sql::push_ids(&mut query, ids);
                }
                if let Some(account) = f.uploaded_by {
                    query.push(" AND m.uploaded_by = ");
                    query.push_bind(account);
                }
                if let Some(from) = f.from {
                    query.push(" AND m.created_at >= ");
                    query.push_bind(from);
                }
                if let Some(until) = f.until {
                    query.push(" AND m.created_at < ");
                    query.push_bind(until);
                }
                match f.used {
                    Some(true) => {
                        query.push(" AND ");
                        query.push($crate::sql_media::USED);
                    }
                    Some(false) => {
                        query.push(" AND NOT ");
                        query.push($crate::sql_media::USED);
                    }
                    None => {}
                }
                if let Some(before) = f.before_id {
                    query.push(" AND m.id < ");
                    query.push_bind(before);
                }
                query.push(" ORDER BY m.id DESC LIMIT ");
                query.push_bind(f.limit);
                let rows = query
                    .build_query_as::<$crate::sql_media::InfoRow>()
                    .fetch_all(&self.read)
                    .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn articles_showing_media(&self, id: i64) -> $crate::Result<Vec<i64>> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT id FROM articles WHERE cover_media_id = $1 \
                     OR body LIKE '%/media/' || CAST($1 AS TEXT) || '.%' ORDER BY id",
                )
                .bind(id)
                .fetch_all(&self.read)
                .await?)
            }

            async fn claim_pending_media(
                &self,
                now: i64,
                until: i64,
            ) -> $crate::Result<Option<(i64, String)>> {
                Ok(sqlx::query_as::<$db, (i64, String)>(
                    "UPDATE media SET claimed_until = $2 WHERE id = (\
                     SELECT id FROM media WHERE variants = 'pending' AND deleted_at IS NULL \
                     AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY id LIMIT 1) \
                     AND variants = 'pending' AND (claimed_until IS NULL OR claimed_until < $1) \
                     RETURNING id, hash",
                )
                .bind(now)
                .bind(until)
                .fetch_optional(&self.write)
                .await?)
            }

            async fn store_variants(
                &self,
                id: i64,
                hash: &str,
                variants: &[$crate::media::NewVariant],
                at: i64,
            ) -> $crate::Result<bool> {
                let mut tx = self.write.begin().await?;
                let changed = sqlx::query::<$db>(
                    "UPDATE media SET variants = 'ready', claimed_until = NULL \
                     WHERE id = $1 AND hash = $2 AND deleted_at IS NULL AND variants = 'pending'",
                )
                .bind(id)
                .bind(hash)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Ok(false);
                }
                for v in variants {
                    sqlx::query::<$db>(
                        "INSERT INTO media_variants (media_id, format, width, height, content_type, \
                         hash, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(id)
                    .bind(&v.format)
                    .bind(v.width)
                    .bind(v.height)
                    .bind(&v.content_type)
                    .bind(&v.hash)
                    .bind(&v.bytes)
                    .execute(&mut *tx)
                    .await?;
                }
                // Pages that showed the photo without its variants now
                // name them.
                Self::record_change_of(
                    &mut tx,
                    $crate::changes::ChangeKind::Media,
                    &$crate::sql_changes::Subject { media_id: Some(id), ..Default::default() },
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn media_variants(
                &self,
                ids: &[i64],
            ) -> $crate::Result<Vec<$crate::media::VariantInfo>> {
                let rows: Vec<(i64, String, i64, i64, String)> = $crate::sql::rows_for_ids(
                    &self.read,
                    ids,
                    "SELECT media_id, format, width, height, hash FROM media_variants WHERE media_id IN ",
                    " ORDER BY media_id, format, width",
                )
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(media_id, format, width, height, hash)| $crate::media::VariantInfo {
                        media_id,
                        format,
                        width,
                        height,
                        hash,
                    })
                    .collect())
            }

            async fn variant_bytes(
                &self,
                id: i64,
                format: &str,
                width: i64,
            ) -> $crate::Result<($crate::media::VariantInfo, String, Vec<u8>)> {
                let (height, hash, content_type, bytes) =
                    sqlx::query_as::<$db, (i64, String, String, Vec<u8>)>(
                        "SELECT height, hash, content_type, bytes FROM media_variants \
                         WHERE media_id = $1 AND format = $2 AND width = $3",
                    )
                    .bind(id)
                    .bind(format)
                    .bind(width)
                    .fetch_one(&self.read)
                    .await?;
                Ok((
                    $crate::media::VariantInfo {
                        media_id: id,
                        format: format.to_owned(),
                        width,
                        height,
                        hash,
                    },
                    content_type,
                    bytes,
                ))
            }
        }
    };
}

pub(crate) use impl_media;
