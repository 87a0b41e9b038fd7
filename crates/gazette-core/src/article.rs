//! Articles, special topics (专题) and photo news items.

use crate::{Credits, Lang, ParseError, Slug, Tag};
use serde::Serialize;

/// Where an article is in its life. Only `Published` articles whose publish
/// time has come are shown; `Retracted` ones (撤稿) answer 410 with a
/// notice; `TakenDown` ones (撤下) answer 404 as if they never were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    Published,
    Retracted,
    TakenDown,
}

impl ArticleStatus {
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        match text {
            "draft" => Ok(Self::Draft),
            "published" => Ok(Self::Published),
            "retracted" => Ok(Self::Retracted),
            "taken_down" => Ok(Self::TakenDown),
            other => Err(ParseError::Status(other.to_owned())),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Retracted => "retracted",
            Self::TakenDown => "taken_down",
        }
    }
}

/// A cover or inline image: a media item with its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cover {
    pub media_id: i64,
    pub alt: String,
    pub caption: Option<String>,
    /// 摄影 / 图片来源
    pub credit: Option<String>,
    pub width: i64,
    pub height: i64,
    /// The media file's extension (`svg`, `jpg` ...), part of its URL.
    pub extension: String,
}

/// What lists of articles need: enough for a headline, a teaser and a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleSummary {
    pub id: i64,
    pub lang: Lang,
    pub slug: Slug,
    pub channel_id: i64,
    pub title: String,
    pub kicker: Option<String>,
    pub summary: String,
    pub published_at: i64,
    pub cover: Option<Cover>,
}

/// A whole article as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    pub summary: ArticleSummary,
    pub subtitle: Option<String>,
    /// A photo gallery (组图): the body's figures are its photos, shown one
    /// after another.
    pub gallery: bool,
    /// Body HTML written by the newsroom (the constrained subset of
    /// `gazette_render::body`); sanitised again when rendered.
    pub body: String,
    /// 来源
    pub source: Option<String>,
    pub updated_at: i64,
    pub status: ArticleStatus,
    pub retraction_note: Option<String>,
    pub topic_id: Option<i64>,
    /// Articles sharing a group are translations of each other.
    pub translation_group: Option<i64>,
    pub credits: Credits,
    pub tags: Vec<Tag>,
}

/// A special topic (专题), hung in the channel tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Topic {
    pub id: i64,
    pub slug: Slug,
    pub channel_id: i64,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub cover: Option<Cover>,
}

impl Topic {
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.title_zh,
            Lang::En => &self.title_en,
        }
    }

    pub fn description(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.description_zh,
            Lang::En => &self.description_en,
        }
    }
}

/// Enough of an article to link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleRef {
    pub id: i64,
    pub lang: Lang,
    pub slug: Slug,
    pub channel_id: i64,
}

/// A photo news item of the recommended stream: an image, its caption, a time,
/// and the article it leads to, if that is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhotoItem {
    pub id: i64,
    pub lang: Lang,
    pub image: Cover,
    pub caption: String,
    pub article: Option<ArticleRef>,
    pub published_at: i64,
}
