//! The storage seam. Everything Gazette keeps goes through [`Store`]; the
//! SQLite and PostgreSQL implementations share their SQL (see `sql.rs`) and
//! differ only in connection set-up and migrations. No SQL lives elsewhere.

pub mod accounts;
pub mod changes;
pub mod counters;
pub mod curation;
pub mod dashboard;
mod error;
mod input;
pub mod media;
pub mod newsroom;
mod postgres;
pub mod publishing;
pub mod review;
mod rows;
pub mod search;
pub mod sitemaps;
mod sql;
mod sql_accounts;
mod sql_changes;
mod sql_curation;
mod sql_dashboard;
mod sql_media;
mod sql_newsroom;
mod sql_publishing;
mod sql_review;
mod sql_search;
mod sql_sitemaps;
mod sqlite;

pub use accounts::AccountStore;
pub use changes::ChangeStore;
pub use counters::CounterStore;
pub use curation::CurationStore;
pub use dashboard::DashboardStore;
pub use error::StoreError;
pub use input::{
    ArticleFilter, NewArticle, NewChannel, NewCover, NewMedia, NewPerson, NewPhotoItem, NewSlot,
    NewTopic,
};
pub use media::MediaStore;
pub use newsroom::NewsroomStore;
pub use postgres::PostgresStore;
pub use publishing::PublishingStore;
pub use review::ReviewStore;
pub use search::{SearchAsked, SearchSource, SearchStore};
pub use sitemaps::SitemapStore;
pub use sqlite::{Durability, SqliteStore};

use async_trait::async_trait;
use gazette_core::{
    Article, ArticleSummary, Channel, Cursor, Lang, Person, PhotoItem, Slot, Topic,
};
use std::sync::Arc;

pub type Result<T> = std::result::Result<T, StoreError>;

/// An increment of one article's count (of a mood's votes, or of views) on
/// one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Increment {
    pub article_id: i64,
    pub counter: Counter,
    /// YYYYMMDD in the site's time zone.
    pub day: i64,
    pub count: i64,
}

/// What a reader's action adds one to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Counter {
    /// A mood vote, by mood key.
    Mood(String),
    /// A read of the article (a view).
    View,
}

/// One reader's vote or view, already reduced to what may be kept: the
/// article, what it counts, the day, and a keyed hash that recognises a
/// repeat that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub article_id: i64,
    pub counter: Counter,
    /// YYYYMMDD in the site's time zone.
    pub day: i64,
    /// Decides whether the vote counts: it must not have been seen that day.
    pub hash: [u8; 32],
    /// Remembered as seen too, whether or not the vote counts (the new
    /// token handed to a reader who voted without one).
    pub also_remember: Option<[u8; 32]>,
    /// A quota this tally draws on when it would count (votes without a
    /// token, per network prefix and article): past its limit for the day,
    /// the tally does not count.
    pub cap: Option<Cap>,
}

/// A daily quota shared by several tallies, named by a keyed hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cap {
    pub hash: [u8; 32],
    /// How many tallies drawing on it may count in one day.
    pub limit: i64,
}

/// What related reading is computed from: a published article's text and
/// what it is filed under (scheduled ones included: they are ranked ahead
/// of time and shown once due).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleText {
    pub id: i64,
    pub lang: Lang,
    pub channel_id: i64,
    pub topic_id: Option<i64>,
    pub tags: Vec<String>,
    pub published_at: i64,
    pub title: String,
    pub summary: String,
    /// Body HTML (the constrained subset the editor writes).
    pub body: String,
}

/// A stored media file (an image) with its type.
#[derive(Debug, Clone)]
pub struct Media {
    pub id: i64,
    pub content_type: String,
    pub extension: String,
    pub width: i64,
    pub height: i64,
    pub bytes: Vec<u8>,
}

/// Everything the engine can ask of storage: every area, each its own
/// trait. Each backend implements them all; each service of the engine
/// takes the areas it needs.
pub trait Store:
    ContentStore
    + AccountStore
    + NewsroomStore
    + ReviewStore
    + PublishingStore
    + ChangeStore
    + CounterStore
    + MediaStore
    + DashboardStore
    + CurationStore
    + SitemapStore
    + SearchStore
    + Send
    + Sync
{
}

impl<T> Store for T where
    T: ContentStore
        + AccountStore
        + NewsroomStore
        + ReviewStore
        + PublishingStore
        + ChangeStore
        + CounterStore
        + MediaStore
        + DashboardStore
        + CurationStore
        + SitemapStore
        + SearchStore
        + Send
        + Sync
{
}

/// The content area: channels, people, topics, media, articles and their
/// lists, related reading, slots, the photo stream. Reads take `now` (unix
/// seconds) where visibility depends on time, so that scheduled articles
/// stay hidden.
#[async_trait]
pub trait ContentStore: Send + Sync {
    /// Which backend this is, for logs and `/healthz`.
    fn backend(&self) -> &'static str;

    async fn create_channel(&self, channel: &NewChannel) -> Result<i64>;
    async fn channels(&self) -> Result<Vec<Channel>>;

    async fn create_person(&self, person: &NewPerson) -> Result<i64>;
    async fn person_by_slug(&self, slug: &str) -> Result<Person>;

    async fn create_topic(&self, topic: &NewTopic) -> Result<i64>;
    async fn topics(&self) -> Result<Vec<Topic>>;

    async fn create_media(&self, media: &NewMedia) -> Result<i64>;
    async fn media(&self, id: i64) -> Result<Media>;
    /// The extension of a media file, without its bytes (for building URLs).
    async fn media_extension(&self, id: i64) -> Result<String>;

    /// Creates an article with its credits and tags in one transaction.
    async fn create_article(&self, article: &NewArticle) -> Result<i64>;
    /// Any article, whatever its status: callers decide what to show.
    async fn article(&self, id: i64) -> Result<Article>;
    async fn article_count(&self) -> Result<i64>;
    /// When a published article is (or was) due; `None` if the article is
    /// not published (draft, retracted) or does not exist. One indexed
    /// lookup, for the vote and read endpoints.
    async fn published_at(&self, id: i64) -> Result<Option<i64>>;
    /// Whether `cursor` names an article that is or was (retracted since)
    /// on the list `filter` selects in `lang`: the only cursors a list page
    /// accepts, so that list pages cannot be made up.
    async fn cursor_listed(
        &self,
        filter: &ArticleFilter,
        lang: Lang,
        now: i64,
        cursor: Cursor,
    ) -> Result<bool>;
    /// Whether `cursor` names a photo item of the stream in `lang`.
    async fn photo_cursor_listed(&self, lang: Lang, now: i64, cursor: Cursor) -> Result<bool>;
    /// Moves an article to another slug and channel (its old URL redirects).
    async fn move_article(&self, id: i64, slug: &str, channel_id: i64, now: i64) -> Result<()>;
    async fn retract_article(&self, id: i64, note: &str, now: i64) -> Result<()>;

    /// Published articles, newest first, in `lang`, matching `filter`,
    /// strictly older than `before` when given.
    async fn list_articles(
        &self,
        filter: &ArticleFilter,
        lang: Lang,
        now: i64,
        before: Option<Cursor>,
        limit: i64,
    ) -> Result<Vec<ArticleSummary>>;
    /// The other published articles of a translation group.
    async fn translations(
        &self,
        group: i64,
        except_id: i64,
        now: i64,
    ) -> Result<Vec<ArticleSummary>>;
    /// Published articles sharing the most tags with `article_id`.
    async fn related_by_tags(
        &self,
        article_id: i64,
        lang: Lang,
        now: i64,
        limit: i64,
    ) -> Result<Vec<ArticleSummary>>;

    /// Published articles' texts, tags and topics for related reading, by
    /// id from after `after`, at most `limit` (read in batches, so that the
    /// archive's texts are never all in memory).
    async fn article_texts_after(&self, after: i64, limit: i64) -> Result<Vec<ArticleText>>;
    /// Replaces all related-reading lists at once: (article, related ids
    /// best first).
    /// The articles whose lists changed.
    async fn replace_related(&self, lists: &[(i64, Vec<i64>)]) -> Result<Vec<i64>>;
    /// Replaces the lists of the articles given, leaving the others.
    async fn set_related(&self, lists: &[(i64, Vec<i64>)]) -> Result<()>;
    /// An article's related reading, best first, visible ones only.
    async fn related(
        &self,
        article_id: i64,
        lang: Lang,
        now: i64,
        limit: i64,
    ) -> Result<Vec<ArticleSummary>>;

    async fn create_slot(&self, slot: &NewSlot) -> Result<i64>;
    async fn set_slot_entry(
        &self,
        slot_id: i64,
        article_id: i64,
        position: i64,
        expires_at: Option<i64>,
    ) -> Result<()>;
    /// A slot and its live entries: unexpired, published, in manual order,
    /// never more than the slot's size limit.
    async fn slot(&self, key: &str, lang: Lang, now: i64) -> Result<(Slot, Vec<ArticleSummary>)>;

    async fn create_photo_item(&self, item: &NewPhotoItem) -> Result<i64>;
    async fn photo_items(
        &self,
        lang: Lang,
        now: i64,
        before: Option<Cursor>,
        limit: i64,
    ) -> Result<Vec<PhotoItem>>;
}

/// Opens the store a URL names: `sqlite://PATH` (optionally
/// `?synchronous=normal`) or `postgres://...`, and runs its migrations.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if let Some(rest) = url.strip_prefix("sqlite://") {
        let (path, durability) = match rest.split_once('?') {
            None => (rest, Durability::Full),
            Some((path, query)) => match query.strip_prefix("synchronous=") {
                Some(value) => (path, Durability::parse(value)?),
                None => {
                    return Err(StoreError::Config(format!(
                        "the only SQLite URL option is synchronous=full|normal, not {query:?}"
                    )));
                }
            },
        };
        Ok(Arc::new(
            SqliteStore::open_with(std::path::Path::new(path), durability).await?,
        ))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(url, None).await?))
    } else {
        Err(StoreError::Config(format!(
            "database URL must start with sqlite:// or postgres://, got {:?}",
            url.split(':').next().unwrap_or_default()
        )))
    }
}
