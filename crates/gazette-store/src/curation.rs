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
    /// Published articles whose title contains `text` (or whose id it is),
    /// newest first.
    async fn pick_articles(&self, text: &str, limit: i64) -> Result<Vec<PickerHit>>;
}
