//! The library's search: this node's [`PhotoIndex`] of every photo's
//! caption, alt text, credit and licence, filled from the store on first
//! use and kept up with the change log (an upload, new details, a
//! deletion). Each search catches up first, so a photo is found on any
//! node as soon as its change is committed; the follower's tick keeps the
//! index warm between searches.

use super::{MediaFilter, MediaInfo};
use crate::EngineError;
use gazette_search::PhotoIndex;
use gazette_store::Store;
use gazette_store::changes::ChangeKind;
use std::sync::Arc;

/// Changes read at a time, and photos read at a time when filling.
const BATCH: i64 = 1_000;
/// Past this many changes behind, filling anew is quicker than replaying.
const REPLAY_LIMIT: usize = 50_000;
/// Matches taken from the index at first while a page is filled (the
/// store then applies the other filters)...
const FIRST_MATCHES: usize = 500;
/// ...twice as many each round after, up to this many (a common word
/// with a narrow filter goes through a large library in a few rounds).
const MOST_MATCHES: usize = 8_000;

/// The index and the change-log number it reflects.
struct Followed {
    index: Arc<PhotoIndex>,
    last: i64,
}

/// This node's photo search.
#[derive(Default)]
pub(crate) struct PhotoSearch {
    /// None until the first catch-up fills it; one catch-up at a time.
    followed: tokio::sync::Mutex<Option<Followed>>,
}

impl PhotoSearch {
    /// Brings the index up to the change log (filling it from the store
    /// the first time, or when it is far behind).
    pub(crate) async fn catch_up(&self, store: &dyn Store) -> Result<Arc<PhotoIndex>, EngineError> {
        let mut followed = self.followed.lock().await;
        if followed.is_none() {
            *followed = Some(fill(store).await?);
        }
        if let Some(state) = followed.as_mut() {
            // A failed read keeps what was applied; the next catch-up
            // goes on from there.
            if !replay(store, state).await? {
                *followed = Some(fill(store).await?);
            }
        }
        followed
            .as_ref()
            .map(|state| state.index.clone())
            .ok_or_else(|| EngineError::Search("the photo index is not there".into()))
    }

    /// The library's entries whose words hold every part of `text`, with
    /// `filter`'s other conditions, newest first (`filter.ids` is
    /// replaced by the matches).
    pub(crate) async fn search(
        &self,
        store: &dyn Store,
        text: &str,
        filter: &MediaFilter,
    ) -> Result<Vec<MediaInfo>, EngineError> {
        let index = self.catch_up(store).await?;
        let limit = filter.limit.max(1);
        // A cursor below every id (a made-up negative one) finds nothing,
        // as the store's own paging does.
        let mut below = filter.before_id.map(|id| u64::try_from(id).unwrap_or(0));
        let mut found: Vec<MediaInfo> = Vec::new();
        let mut round = FIRST_MATCHES;
        loop {
            let ids = index.matching(text, below, round)?;
            let Some(&last) = ids.last() else {
                break;
            };
            let page = store
                .media_library(&MediaFilter {
                    ids: Some(ids.iter().map(|id| *id as i64).collect()),
                    before_id: None,
                    limit: limit - found.len() as i64,
                    ..filter.clone()
                })
                .await?;
            found.extend(page);
            if found.len() as i64 >= limit || ids.len() < round {
                break;
            }
            below = Some(last);
            round = (round * 2).min(MOST_MATCHES);
        }
        Ok(found)
    }
}

/// A new index of every photo in the library, reflecting the change log
/// as it was before the first photo was read (what changes meanwhile is
/// replayed after).
async fn fill(store: &dyn Store) -> Result<Followed, EngineError> {
    let last = store.last_change().await?;
    let index = Arc::new(PhotoIndex::new()?);
    let mut before_id = None;
    loop {
        let photos = store
            .media_library(&MediaFilter {
                before_id,
                limit: BATCH,
                ..Default::default()
            })
            .await?;
        let Some(oldest) = photos.last().map(|p| p.id) else {
            break;
        };
        for photo in &photos {
            put(&index, photo)?;
        }
        before_id = Some(oldest);
    }
    commit(&index).await?;
    Ok(Followed { index, last })
}

/// The photos the log names after `state.last`, read again and put in or
/// taken out; false when it is too far behind to replay.
async fn replay(store: &dyn Store, state: &mut Followed) -> Result<bool, EngineError> {
    let mut replayed = 0;
    loop {
        let batch = store.changes_after(state.last, BATCH).await?;
        let Some(newest) = batch.last().map(|c| c.seq) else {
            return Ok(true);
        };
        replayed += batch.len();
        if replayed > REPLAY_LIMIT {
            return Ok(false);
        }
        let mut ids: Vec<i64> = batch
            .iter()
            .filter(|c| matches!(c.kind, ChangeKind::Media | ChangeKind::Uploaded))
            .filter_map(|c| c.media_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if !ids.is_empty() {
            let photos = store.media_infos(&ids).await?;
            for id in ids {
                match photos.iter().find(|p| p.id == id) {
                    Some(photo) if photo.deleted_at.is_none() => put(&state.index, photo)?,
                    _ => state.index.remove(id as u64),
                }
            }
            commit(&state.index).await?;
        }
        state.last = newest;
    }
}

fn put(index: &PhotoIndex, photo: &MediaInfo) -> Result<(), EngineError> {
    let d = &photo.details;
    Ok(index.put(
        photo.id as u64,
        &[&d.caption, &d.alt, &d.credit, &d.licence],
    )?)
}

/// Commits on the blocking pool (tantivy writes its segment there).
async fn commit(index: &Arc<PhotoIndex>) -> Result<(), EngineError> {
    let index = index.clone();
    tokio::task::spawn_blocking(move || index.commit())
        .await
        .map_err(|e| EngineError::Search(e.to_string()))?
        .map_err(Into::into)
}
