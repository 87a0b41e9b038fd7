//! What callers hand the store to create things, and list filters.

use gazette_core::{ArticleStatus, CreditRole, Lang, Slug, Tag};

#[derive(Debug, Clone)]
pub struct NewChannel {
    pub parent_id: Option<i64>,
    pub slug: Slug,
    pub name_zh: String,
    pub name_en: String,
    pub position: i64,
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub slug: Slug,
    pub name: String,
    pub affiliation: Option<String>,
    /// English name and affiliation, when they differ.
    pub name_en: Option<String>,
    pub affiliation_en: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewTopic {
    pub slug: Slug,
    pub channel_id: i64,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub cover_media_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewMedia {
    pub content_type: String,
    pub extension: String,
    pub width: i64,
    pub height: i64,
    pub bytes: Vec<u8>,
    /// `gazette_media::content_hash` of the bytes, for addresses that
    /// change when the file does.
    pub hash: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewCover {
    pub media_id: i64,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewArticle {
    pub lang: Lang,
    pub slug: Slug,
    pub channel_id: i64,
    pub topic_id: Option<i64>,
    pub translation_group: Option<i64>,
    pub status: ArticleStatus,
    pub title: String,
    pub kicker: Option<String>,
    pub subtitle: Option<String>,
    /// A photo gallery (组图).
    pub gallery: bool,
    pub summary: String,
    pub body: String,
    pub source: Option<String>,
    pub published_at: i64,
    pub updated_at: i64,
    pub cover: Option<NewCover>,
    /// In credit order; positions are assigned per role.
    pub credits: Vec<(CreditRole, i64)>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone)]
pub struct NewSlot {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub size_limit: i64,
}

#[derive(Debug, Clone)]
pub struct NewPhotoItem {
    pub lang: Lang,
    pub media_id: i64,
    pub alt: String,
    pub caption: String,
    pub credit: Option<String>,
    pub article_id: Option<i64>,
    pub published_at: i64,
}

/// Which published articles a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleFilter {
    All,
    /// A channel and all channels below it.
    Channel(i64),
    Topic(i64),
    Tag(Tag),
    /// Articles crediting a person in any role.
    Person(i64),
}
