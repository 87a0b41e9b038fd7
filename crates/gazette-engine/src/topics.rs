//! Special topics (专题) as editors make them: a banner (a photo of the
//! media library), a title and introduction in both languages, and
//! sections of hand-picked articles shown above the topic's own list. A
//! topic's address (its slug) is set when it is made and never changes,
//! so links to it never break. Each save is a change-log entry naming the
//! topic: every node forgets its page, the front page, its channel's page
//! and the pages of the articles it holds.

use crate::staff::{Action, Actor, permissions};
use crate::{Engine, EngineError};
use gazette_core::{Slug, Topic};
use gazette_store::curation::TopicSection;
use gazette_store::{NewTopic, StoreError};

/// Sections a topic keeps at most, and articles per section.
pub const MAX_SECTIONS: usize = 12;
pub const MAX_SECTION_ARTICLES: usize = 30;

/// A topic as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct TopicForm {
    pub slug: String,
    pub channel_id: String,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub cover_media_id: String,
    /// Each section: its titles and its articles' numbers (separated by
    /// commas, spaces or lines). A section without a title is dropped.
    pub sections: Vec<(String, String, String)>,
}

fn may_curate(actor: &Actor<'_>) -> Result<(), EngineError> {
    match actor.account {
        Some(account) if permissions::allowed(account.role, Action::Curate) => Ok(()),
        None if actor.is_command_line() => Ok(()),
        _ => Err(EngineError::Forbidden(
            "your role may not edit special topics".into(),
        )),
    }
}

fn bad(message: impl Into<String>) -> EngineError {
    EngineError::BadRequest(message.into())
}

impl Engine {
    /// Every topic, for the topics page.
    pub async fn managed_topics(&self, actor: &Actor<'_>) -> Result<Vec<Topic>, EngineError> {
        may_curate(actor)?;
        Ok(self.store.topics().await?)
    }

    /// One topic and its sections.
    pub async fn managed_topic(
        &self,
        actor: &Actor<'_>,
        id: i64,
    ) -> Result<(Topic, Vec<TopicSection>), EngineError> {
        may_curate(actor)?;
        let topic = self
            .store
            .topics()
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| EngineError::NotFound(format!("no topic {id}")))?;
        let sections = self.store.topic_sections(id).await?;
        Ok((topic, sections))
    }

    /// Makes (`id` None) or updates a topic; its id.
    pub async fn save_topic(
        &self,
        actor: &Actor<'_>,
        id: Option<i64>,
        form: &TopicForm,
    ) -> Result<i64, EngineError> {
        may_curate(actor)?;
        let line = |label: &str, text: &str, max: usize| {
            let text = crate::newsroom::draft::clean_line(text);
            if text.is_empty() || text.chars().count() > max {
                return Err(bad(format!("the {label} must have 1 to {max} characters")));
            }
            Ok(text)
        };
        let existing = match id {
            Some(id) => Some(self.managed_topic(actor, id).await?.0),
            None => None,
        };
        let slug = match &existing {
            // A topic keeps its address.
            Some(topic) => topic.slug.clone(),
            None => Slug::parse(form.slug.trim()).map_err(|_| {
                bad("the slug is lower-case letters, digits and hyphens (world-cup)")
            })?,
        };
        let channel_id: i64 = form
            .channel_id
            .trim()
            .parse()
            .map_err(|_| bad("choose the channel the topic belongs to"))?;
        let channels = self.store.channels().await?;
        if !channels.iter().any(|c| c.id == channel_id) {
            return Err(bad(format!("there is no channel {channel_id}")));
        }
        let cover_media_id = match form.cover_media_id.trim() {
            "" => None,
            text => {
                let media_id: i64 = text
                    .parse()
                    .map_err(|_| bad("the banner is a photo's number in the media library"))?;
                match self.store.media_info(media_id).await {
                    Ok(info) if info.deleted_at.is_none() => Some(media_id),
                    Ok(_) | Err(StoreError::NotFound) => {
                        return Err(bad(format!("there is no photo {media_id}")));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        };
        if form.sections.len() > MAX_SECTIONS + 2 {
            return Err(bad(format!("a topic has at most {MAX_SECTIONS} sections")));
        }
        let mut sections = Vec::new();
        for (title_zh, title_en, articles) in &form.sections {
            if articles
                .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
                .filter(|w| !w.is_empty())
                .count()
                > MAX_SECTION_ARTICLES
            {
                return Err(bad(format!(
                    "a section holds at most {MAX_SECTION_ARTICLES} articles"
                )));
            }
            if title_zh.trim().is_empty()
                && title_en.trim().is_empty()
                && articles.trim().is_empty()
            {
                continue;
            }
            let title_zh = line("section's Chinese title", title_zh, 40)?;
            let title_en = line("section's English title", title_en, 80)?;
            let mut article_ids: Vec<i64> = Vec::new();
            for word in articles.split(|c: char| c == ',' || c == '，' || c.is_whitespace()) {
                if word.is_empty() {
                    continue;
                }
                let id: i64 = word
                    .parse()
                    .map_err(|_| bad(format!("{word:?} is not an article number")))?;
                match self.store.article(id).await {
                    Ok(a) if a.status == gazette_core::ArticleStatus::Published => {}
                    Ok(_) => return Err(bad(format!("article {id} is not published"))),
                    Err(StoreError::NotFound) => {
                        return Err(bad(format!("there is no article {id}")));
                    }
                    Err(e) => return Err(e.into()),
                }
                if !article_ids.contains(&id) {
                    article_ids.push(id);
                }
            }
            if article_ids.len() > MAX_SECTION_ARTICLES {
                return Err(bad(format!(
                    "a section holds at most {MAX_SECTION_ARTICLES} articles"
                )));
            }
            sections.push(TopicSection {
                title_zh,
                title_en,
                article_ids,
            });
        }
        if sections.len() > MAX_SECTIONS {
            return Err(bad(format!("a topic has at most {MAX_SECTIONS} sections")));
        }
        let topic = NewTopic {
            slug,
            channel_id,
            title_zh: line("Chinese title", &form.title_zh, 60)?,
            title_en: line("English title", &form.title_en, 120)?,
            description_zh: crate::newsroom::draft::clean_text(&form.description_zh),
            description_en: crate::newsroom::draft::clean_text(&form.description_en),
            cover_media_id,
        };
        let saved = self
            .store
            .save_topic(id, &topic, &sections, self.now())
            .await
            .map_err(|e| match e {
                StoreError::Conflict(message) => EngineError::Conflict(message),
                other => other.into(),
            })?;
        crate::staff::record(
            self.store.as_ref(),
            self.now(),
            actor,
            "topic_saved",
            &format!("topic {saved}"),
            topic.slug.as_str(),
        )
        .await?;
        self.follow_changes().await?;
        Ok(saved)
    }
}
