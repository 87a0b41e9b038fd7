//! Rows as the database returns them, and their conversion into core types.
//! Every stored string is parsed again on the way out: a bad row is a
//! `StoreError::Corrupt`, never a panic.

use crate::StoreError;
use gazette_core::{
    ArticleRef, ArticleSummary, Channel, Cover, Lang, Person, PhotoItem, Slot, SlotKey, Slug, Topic,
};

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ChannelRow {
    id: i64,
    parent_id: Option<i64>,
    slug: String,
    name_zh: String,
    name_en: String,
    position: i64,
}

impl TryFrom<ChannelRow> for Channel {
    type Error = StoreError;
    fn try_from(row: ChannelRow) -> Result<Self, StoreError> {
        Ok(Channel {
            id: row.id,
            parent_id: row.parent_id,
            slug: Slug::parse(&row.slug)?,
            name_zh: row.name_zh,
            name_en: row.name_en,
            position: row.position,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct PersonRow {
    pub(crate) id: i64,
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) affiliation: Option<String>,
    pub(crate) name_en: Option<String>,
    pub(crate) affiliation_en: Option<String>,
}

impl TryFrom<PersonRow> for Person {
    type Error = StoreError;
    fn try_from(row: PersonRow) -> Result<Self, StoreError> {
        Ok(Person {
            id: row.id,
            slug: Slug::parse(&row.slug)?,
            name: row.name,
            affiliation: row.affiliation,
            name_en: row.name_en,
            affiliation_en: row.affiliation_en,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct TopicRow {
    id: i64,
    slug: String,
    channel_id: i64,
    title_zh: String,
    title_en: String,
    description_zh: String,
    description_en: String,
    cover_media_id: Option<i64>,
    width: Option<i64>,
    height: Option<i64>,
    extension: Option<String>,
}

impl TryFrom<TopicRow> for Topic {
    type Error = StoreError;
    fn try_from(row: TopicRow) -> Result<Self, StoreError> {
        Ok(Topic {
            id: row.id,
            slug: Slug::parse(&row.slug)?,
            channel_id: row.channel_id,
            title_zh: row.title_zh,
            title_en: row.title_en,
            description_zh: row.description_zh,
            description_en: row.description_en,
            // Topic covers are decorative: the title beside them says it all.
            cover: joined_cover(
                (row.cover_media_id, row.width, row.height, row.extension),
                String::new(),
                None,
                None,
            ),
        })
    }
}

/// The columns of [`SummaryRow`], selected from `articles a LEFT JOIN media m`.
pub(crate) const SUMMARY_COLUMNS: &str = "a.id, a.lang, a.slug, a.channel_id, a.title, a.kicker, \
    a.summary, a.published_at, a.cover_media_id, a.cover_alt, a.cover_caption, a.cover_credit, \
    m.width AS cover_width, m.height AS cover_height, m.extension AS cover_extension";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SummaryRow {
    id: i64,
    lang: String,
    slug: String,
    channel_id: i64,
    title: String,
    kicker: Option<String>,
    summary: String,
    published_at: i64,
    cover_media_id: Option<i64>,
    cover_alt: Option<String>,
    cover_caption: Option<String>,
    cover_credit: Option<String>,
    cover_width: Option<i64>,
    cover_height: Option<i64>,
    cover_extension: Option<String>,
}

impl TryFrom<SummaryRow> for ArticleSummary {
    type Error = StoreError;
    fn try_from(row: SummaryRow) -> Result<Self, StoreError> {
        let cover = joined_cover(
            (
                row.cover_media_id,
                row.cover_width,
                row.cover_height,
                row.cover_extension,
            ),
            row.cover_alt.unwrap_or_default(),
            row.cover_caption,
            row.cover_credit,
        );
        Ok(ArticleSummary {
            id: row.id,
            lang: Lang::parse(&row.lang)?,
            slug: Slug::parse(&row.slug)?,
            channel_id: row.channel_id,
            title: row.title,
            kicker: row.kicker,
            summary: row.summary,
            published_at: row.published_at,
            cover,
        })
    }
}

/// The article columns beyond its summary.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ArticleRow {
    #[sqlx(flatten)]
    pub(crate) summary: SummaryRow,
    pub(crate) subtitle: Option<String>,
    pub(crate) body: String,
    pub(crate) source: Option<String>,
    pub(crate) updated_at: i64,
    pub(crate) status: String,
    pub(crate) retraction_note: Option<String>,
    pub(crate) topic_id: Option<i64>,
    pub(crate) translation_group: Option<i64>,
    pub(crate) kind: String,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CreditRow {
    pub(crate) role: String,
    #[sqlx(flatten)]
    pub(crate) person: PersonRow,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RankedRow {
    #[sqlx(flatten)]
    pub(crate) summary: SummaryRow,
    pub(crate) total: i64,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SlotRow {
    id: i64,
    key: String,
    name_zh: String,
    name_en: String,
    size_limit: i64,
}

impl TryFrom<SlotRow> for Slot {
    type Error = StoreError;
    fn try_from(row: SlotRow) -> Result<Self, StoreError> {
        Ok(Slot {
            id: row.id,
            key: SlotKey::parse(&row.key)?,
            name_zh: row.name_zh,
            name_en: row.name_en,
            size_limit: row.size_limit,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct PhotoRow {
    id: i64,
    lang: String,
    media_id: i64,
    alt: String,
    caption: String,
    credit: Option<String>,
    article_id: Option<i64>,
    article_lang: Option<String>,
    article_slug: Option<String>,
    article_channel_id: Option<i64>,
    published_at: i64,
    width: i64,
    height: i64,
    extension: String,
}

impl TryFrom<PhotoRow> for PhotoItem {
    type Error = StoreError;
    fn try_from(row: PhotoRow) -> Result<Self, StoreError> {
        Ok(PhotoItem {
            id: row.id,
            lang: Lang::parse(&row.lang)?,
            image: Cover {
                media_id: row.media_id,
                alt: row.alt,
                caption: None,
                credit: row.credit,
                width: row.width,
                height: row.height,
                extension: row.extension,
            },
            caption: row.caption,
            article: match (
                row.article_id,
                row.article_lang,
                row.article_slug,
                row.article_channel_id,
            ) {
                (Some(id), Some(lang), Some(slug), Some(channel_id)) => Some(ArticleRef {
                    id,
                    lang: Lang::parse(&lang)?,
                    slug: Slug::parse(&slug)?,
                    channel_id,
                }),
                _ => None,
            },
            published_at: row.published_at,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct MediaRow {
    pub(crate) id: i64,
    pub(crate) content_type: String,
    pub(crate) extension: String,
    pub(crate) width: i64,
    pub(crate) height: i64,
    pub(crate) bytes: Vec<u8>,
}

/// A cover from the columns of a `LEFT JOIN media`: present only when the
/// media row was (id, width, height and extension all there).
fn joined_cover(
    media: (Option<i64>, Option<i64>, Option<i64>, Option<String>),
    alt: String,
    caption: Option<String>,
    credit: Option<String>,
) -> Option<Cover> {
    match media {
        (Some(media_id), Some(width), Some(height), Some(extension)) => Some(Cover {
            media_id,
            alt,
            caption,
            credit,
            width,
            height,
            extension,
        }),
        _ => None,
    }
}

/// Converts every row, failing on the first that does not parse.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct TextRow {
    pub(crate) id: i64,
    lang: String,
    channel_id: i64,
    topic_id: Option<i64>,
    published_at: i64,
    title: String,
    summary: String,
    body: String,
}

/// Articles' texts with their tags (both lists ordered by article id).
pub(crate) fn texts(
    rows: Vec<TextRow>,
    tags: Vec<(i64, String)>,
) -> Result<Vec<crate::ArticleText>, StoreError> {
    let mut tags = tags.into_iter().peekable();
    rows.into_iter()
        .map(|row| {
            while tags.next_if(|(id, _)| *id < row.id).is_some() {}
            let mut own = Vec::new();
            while let Some((_, tag)) = tags.next_if(|(id, _)| *id == row.id) {
                own.push(tag);
            }
            Ok(crate::ArticleText {
                id: row.id,
                lang: Lang::parse(&row.lang)?,
                channel_id: row.channel_id,
                topic_id: row.topic_id,
                tags: own,
                published_at: row.published_at,
                title: row.title,
                summary: row.summary,
                body: row.body,
            })
        })
        .collect()
}

pub(crate) fn convert<R, T>(rows: Vec<R>) -> Result<Vec<T>, StoreError>
where
    T: TryFrom<R, Error = StoreError>,
{
    rows.into_iter().map(T::try_from).collect()
}
