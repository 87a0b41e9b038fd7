//! The curation area of the store: the recommendation slots as editors set
//! them (every entry, scheduled and expired ones too), replaced whole in
//! one transaction that appends a change naming the slot.

use crate::Result;
use async_trait::async_trait;
use gazette_core::{ArticleStatus, Slot};

/// One entry as an editor sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotEntryInput {
    pub article_id: i64,
    pub starts_at: Option<i64>,
    pub expires_at: Option<i64>,
}

/// One entry as the curation page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotEntry {
    pub article_id: i64,
    pub title: String,
    pub lang: String,
    pub status: ArticleStatus,
    pub published_at: i64,
    pub starts_at: Option<i64>,
    pub expires_at: Option<i64>,
}

/// A channel's new place and names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelChange {
    pub parent_id: Option<i64>,
    pub slug: gazette_core::Slug,
    pub name_zh: String,
    pub name_en: String,
}

/// A section of hand-picked articles in a special topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicSection {
    pub title_zh: String,
    pub title_en: String,
    pub article_ids: Vec<i64>,
}

/// An article found by the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerHit {
    pub article_id: i64,
    pub title: String,
    pub lang: String,
    pub published_at: i64,
}

#[async_trait]
pub trait CurationStore: Send + Sync {
    /// Every slot, by key.
    async fn slots(&self) -> Result<Vec<Slot>>;
    /// A slot's entries in order, whatever their times and status.
    async fn slot_entries(&self, slot_id: i64) -> Result<Vec<SlotEntry>>;
    /// Replaces a slot's entries (in this order) and appends a change
    /// naming the slot.
    async fn replace_slot_entries(
        &self,
        slot_id: i64,
        key: &str,
        entries: &[SlotEntryInput],
        at: i64,
    ) -> Result<()>;
    /// Adds a channel at the end of its siblings; a change.
    async fn add_channel(
        &self,
        parent_id: Option<i64>,
        slug: &gazette_core::Slug,
        name_zh: &str,
        name_en: &str,
        at: i64,
    ) -> Result<i64>;
    /// Renames or moves a channel. `old_paths` are the paths it and its
    /// descendants had (`news/china`), kept as redirects to each; a change.
    /// A sibling with the same slug is a `Conflict`.
    async fn change_channel(
        &self,
        id: i64,
        change: &ChannelChange,
        old_paths: &[(String, i64)],
        at: i64,
    ) -> Result<()>;
    /// Puts siblings in this order; a change.
    async fn order_channels(&self, ids: &[i64], at: i64) -> Result<()>;
    /// Retires a channel without children: its articles and topics move to
    /// `into`, and its paths (and `old_path`) redirect there; a change.
    async fn retire_channel(&self, id: i64, into: i64, old_path: &str, at: i64) -> Result<()>;
    /// The channel an old path redirects to.
    async fn channel_redirect(&self, path: &str) -> Result<Option<i64>>;
    /// Articles in a channel (any status), for the retire form.
    async fn channel_article_count(&self, id: i64) -> Result<i64>;

    /// Creates (`id` None) or updates a special topic and replaces its
    /// sections; a change naming the topic. A slug another topic has is a
    /// `Conflict`.
    async fn save_topic(
        &self,
        id: Option<i64>,
        topic: &crate::NewTopic,
        sections: &[TopicSection],
        at: i64,
    ) -> Result<i64>;
    /// A topic's sections in order.
    async fn topic_sections(&self, topic_id: i64) -> Result<Vec<TopicSection>>;
    /// The articles filed under a topic (any status).
    async fn topic_article_ids(&self, topic_id: i64) -> Result<Vec<i64>>;
}
