//! Curation: the recommendation slots (the front page's headline and top
//! stories, the sidebar's visual focus and exclusive features) as editors
//! set them. A slot is saved whole (its entries in order, each with an
//! optional start and expiry), checked here whoever sends it, audited, and
//! written with a change-log entry naming the slot, so every node forgets
//! the pages that show it (`changes.rs`). Before saving, the front page can
//! be previewed with the unsaved entries.

use crate::pages::SlotPreview;
use crate::staff::{Action, Actor, permissions};
use crate::{CachedBody, Engine, EngineError};
use gazette_core::{ArticleStatus, Lang, Slot};
use gazette_store::StoreError;
pub use gazette_store::curation::{PickerHit, SlotEntry, SlotEntryInput};
use std::sync::Arc;

/// The most articles the picker offers at once.
const PICKER_HITS: usize = 20;

/// The most entries a slot keeps (the slot's size says how many show; the
/// others wait for those before them to expire).
pub const MAX_ENTRIES: usize = 20;

fn may_curate(actor: &Actor<'_>) -> Result<(), EngineError> {
    match actor.account {
        Some(account) if permissions::allowed(account.role, Action::Curate) => Ok(()),
        None if actor.is_command_line() => Ok(()),
        Some(_) => Err(EngineError::Forbidden(
            "your role may not set the recommendation slots".into(),
        )),
        None => Err(EngineError::Forbidden("sign in to curate".into())),
    }
}

impl Engine {
    /// Every slot with its entries, for the curation pages.
    pub async fn curated_slots(
        &self,
        actor: &Actor<'_>,
    ) -> Result<Vec<(Slot, Vec<SlotEntry>)>, EngineError> {
        may_curate(actor)?;
        let mut out = Vec::new();
        for slot in self.store.slots().await? {
            let entries = self.store.slot_entries(slot.id).await?;
            out.push((slot, entries));
        }
        Ok(out)
    }

    /// One slot by key, with its stored entries.
    pub async fn curated_slot(
        &self,
        actor: &Actor<'_>,
        key: &str,
    ) -> Result<(Slot, Vec<SlotEntry>), EngineError> {
        may_curate(actor)?;
        let slot = self
            .store
            .slots()
            .await?
            .into_iter()
            .find(|s| s.key.as_str() == key)
            .ok_or_else(|| EngineError::NotFound(format!("no slot {key:?}")))?;
        let entries = self.store.slot_entries(slot.id).await?;
        Ok((slot, entries))
    }

    /// Entries as a curator is setting them, with what the page shows of
    /// each article (unknown articles left out).
    pub async fn describe_entries(
        &self,
        actor: &Actor<'_>,
        entries: &[SlotEntryInput],
    ) -> Result<Vec<SlotEntry>, EngineError> {
        may_curate(actor)?;
        if entries.len() > MAX_ENTRIES {
            return Err(EngineError::BadRequest(format!(
                "a slot keeps at most {MAX_ENTRIES} entries"
            )));
        }
        let mut out = Vec::new();
        for entry in entries {
            match self.store.article(entry.article_id).await {
                Ok(article) => out.push(SlotEntry {
                    article_id: entry.article_id,
                    title: article.summary.title,
                    lang: article.summary.lang.code().to_owned(),
                    status: article.status,
                    published_at: article.summary.published_at,
                    starts_at: entry.starts_at,
                    expires_at: entry.expires_at,
                }),
                Err(StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(out)
    }

    /// Published articles for the picker: the one whose id is typed,
    /// then the search engine's best matches (titles, text, authors and
    /// tags, as the worklist's search).
    pub async fn pick_articles(
        &self,
        actor: &Actor<'_>,
        text: &str,
    ) -> Result<Vec<PickerHit>, EngineError> {
        may_curate(actor)?;
        let text: String = text.trim().chars().take(100).collect();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let mut hits = Vec::new();
        if let Ok(id) = text.parse::<i64>() {
            match self.store.article(id).await {
                Ok(article) if article.status == ArticleStatus::Published => hits.push(PickerHit {
                    article_id: article.summary.id,
                    title: article.summary.title,
                    lang: article.summary.lang.code().to_owned(),
                    published_at: article.summary.published_at,
                }),
                Ok(_) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let found = self
            .search
            .search(gazette_search::Request {
                query: text,
                scope: gazette_search::Scope::Staff {
                    status: Some(ArticleStatus::Published.code().to_owned()),
                    only_for: None,
                },
                filters: gazette_search::Filters::default(),
                after: None,
                per_page: PICKER_HITS,
                now: self.now(),
            })
            .await?;
        for hit in found.hits {
            if hits
                .iter()
                .all(|h: &PickerHit| h.article_id != hit.id as i64)
            {
                hits.push(PickerHit {
                    article_id: hit.id as i64,
                    title: hit.title,
                    lang: hit.lang,
                    published_at: hit.published_at,
                });
            }
        }
        hits.truncate(PICKER_HITS);
        Ok(hits)
    }

    /// Saves a slot's entries in this order. Refused: more than
    /// [`MAX_ENTRIES`], an article twice, an unknown, draft or withdrawn
    /// article, an expiry not after its start.
    pub async fn save_slot(
        &self,
        actor: &Actor<'_>,
        key: &str,
        entries: &[SlotEntryInput],
    ) -> Result<(), EngineError> {
        let (slot, _) = self.curated_slot(actor, key).await?;
        self.check_entries(entries).await?;
        self.store
            .replace_slot_entries(slot.id, key, entries, self.now())
            .await?;
        let detail = entries
            .iter()
            .map(|e| e.article_id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        crate::staff::record(
            self.store.as_ref(),
            self.now(),
            actor,
            "slot_set",
            &format!("slot {key}"),
            &detail,
        )
        .await?;
        // This node forgets the pages at once; the others on the change log.
        self.follow_changes().await?;
        Ok(())
    }

    async fn check_entries(&self, entries: &[SlotEntryInput]) -> Result<(), EngineError> {
        if entries.len() > MAX_ENTRIES {
            return Err(EngineError::BadRequest(format!(
                "a slot keeps at most {MAX_ENTRIES} entries"
            )));
        }
        for (i, entry) in entries.iter().enumerate() {
            if entries[..i]
                .iter()
                .any(|e| e.article_id == entry.article_id)
            {
                return Err(EngineError::BadRequest(format!(
                    "article {} is in the slot twice",
                    entry.article_id
                )));
            }
            if let (Some(start), Some(end)) = (entry.starts_at, entry.expires_at)
                && end <= start
            {
                return Err(EngineError::BadRequest(format!(
                    "article {}: the expiry must come after the start",
                    entry.article_id
                )));
            }
            match self.store.article(entry.article_id).await {
                Ok(article) if article.status == ArticleStatus::Published => {}
                Ok(_) => {
                    return Err(EngineError::BadRequest(format!(
                        "article {} is not published",
                        entry.article_id
                    )));
                }
                Err(StoreError::NotFound) => {
                    return Err(EngineError::BadRequest(format!(
                        "there is no article {}",
                        entry.article_id
                    )));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// The front page in `lang` with the slot's unsaved entries.
    pub async fn preview_slot(
        &self,
        actor: &Actor<'_>,
        key: &str,
        lang: Lang,
        entries: Vec<SlotEntryInput>,
    ) -> Result<Arc<CachedBody>, EngineError> {
        self.curated_slot(actor, key).await?;
        if entries.len() > MAX_ENTRIES {
            return Err(EngineError::BadRequest(format!(
                "a slot keeps at most {MAX_ENTRIES} entries"
            )));
        }
        let preview = SlotPreview {
            key: key.to_owned(),
            entries,
        };
        crate::pages::preview_home(self, lang, &preview).await
    }
}
