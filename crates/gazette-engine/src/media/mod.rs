//! The media library: photos uploaded by the newsroom, checked and made
//! clean by `gazette_media`, kept in the store, with their variants made
//! off the request path ([`variants`]), named on pages ([`pictures`]) and
//! found by their words ([`search`]).
//!
//! Every decode (an upload's check, a photo's variants) holds one of a few
//! permits, so however many uploads arrive at once, at most that many
//! pixel buffers exist; an upload that cannot get one within half a minute
//! is answered 503 and nothing is stored.

pub mod files;
pub mod pictures;
mod search;
pub mod variants;

use crate::EngineError;
use crate::staff::{Action, Actor, permissions};
use gazette_core::Clock;
use gazette_media::{Limits, MediaError};
use gazette_store::media::NewUpload;
pub use gazette_store::media::{MediaDetails, MediaFilter, MediaInfo, VariantsState};
use gazette_store::{Store, StoreError};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Decodes at a time, on this node: each holds a whole pixel buffer (up to
/// 160 MB for a 40-megapixel photo).
pub const DECODES_AT_ONCE: usize = 2;
/// How long an upload waits for a decode permit before a 503.
const DECODE_WAIT: Duration = Duration::from_secs(30);
/// Library entries per page.
pub const LIBRARY_PAGE: i64 = 48;

/// The longest caption, alt text, credit or licence note, in characters.
const DETAIL_CHARS: usize = 500;

/// An upload as a browser sent it: the bytes and what the form says. The
/// file's name and claimed type are not part of it: neither is trusted.
#[derive(Debug, Clone, Default)]
pub struct UploadForm {
    pub bytes: Vec<u8>,
    pub details: MediaDetails,
}

/// The media library service.
pub struct MediaLibrary {
    store: Arc<dyn Store>,
    clock: Clock,
    limits: Limits,
    decodes: Arc<Semaphore>,
    /// This node is making variants (one run at a time).
    working: std::sync::atomic::AtomicBool,
    /// Decodes running now, and the most that ever ran at once.
    decoding: Arc<DecodeCount>,
    /// The photos by their words.
    search: search::PhotoSearch,
}

/// Counts decodes as they run, to show the bound holds.
#[derive(Debug, Default)]
pub(crate) struct DecodeCount {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl DecodeCount {
    /// Runs `work` counted as one decode.
    pub(crate) fn run<T>(&self, work: impl FnOnce() -> T) -> T {
        let running = self.now.fetch_add(1, Ordering::AcqRel) + 1;
        self.peak.fetch_max(running, Ordering::AcqRel);
        let result = work();
        self.now.fetch_sub(1, Ordering::AcqRel);
        result
    }
}

impl std::fmt::Debug for MediaLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaLibrary").finish_non_exhaustive()
    }
}

impl MediaLibrary {
    pub(crate) fn new(store: Arc<dyn Store>, clock: Clock) -> Self {
        MediaLibrary {
            store,
            clock,
            limits: Limits::default(),
            decodes: Arc::new(Semaphore::new(DECODES_AT_ONCE)),
            working: std::sync::atomic::AtomicBool::new(false),
            decoding: Arc::new(DecodeCount::default()),
            search: search::PhotoSearch::default(),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The most decodes that ever ran at once on this node (for tests
    /// and benchmarks of the bound).
    pub fn peak_decodes(&self) -> usize {
        self.decoding.peak.load(Ordering::Acquire)
    }

    /// Checks and stores an upload; its id. A refused file is a 400 with
    /// the reason, and nothing is stored.
    pub async fn upload(&self, actor: &Actor<'_>, form: UploadForm) -> Result<i64, EngineError> {
        let uploaded_by = may_upload(actor)?;
        let details = clean_details(&form.details)?;
        let prepared = self.prepare(form.bytes).await?;
        let upload = self.new_upload(prepared, details, uploaded_by);
        let id = self.store.add_upload(&upload).await?;
        crate::staff::record(
            self.store.as_ref(),
            upload.at,
            actor,
            "media_uploaded",
            &format!("media {id}"),
            &upload.details.caption,
        )
        .await?;
        Ok(id)
    }

    /// Puts another file under a photo's id (pages show it once its
    /// variants are made; until then, the new file itself).
    pub async fn replace(
        &self,
        actor: &Actor<'_>,
        id: i64,
        bytes: Vec<u8>,
    ) -> Result<(), EngineError> {
        let info = self.may_manage(actor, id).await?;
        let prepared = self.prepare(bytes).await?;
        let upload = self.new_upload(prepared, info.details, info.uploaded_by);
        self.store
            .replace_media(id, &upload)
            .await
            .map_err(not_found(id))?;
        self.audit(actor, "media_replaced", id, "").await
    }

    /// Deletes a photo (a rights claim): its bytes and variants go, pages
    /// that showed it show a placeholder.
    pub async fn delete(&self, actor: &Actor<'_>, id: i64) -> Result<(), EngineError> {
        let info = self.store.media_info(id).await.map_err(not_found(id))?;
        require(actor, Action::ManageMedia)?;
        self.store
            .delete_media(id, self.clock.now())
            .await
            .map_err(not_found(id))?;
        self.audit(actor, "media_deleted", id, &info.details.caption)
            .await
    }

    /// New caption, alt text, credit and licence.
    pub async fn set_details(
        &self,
        actor: &Actor<'_>,
        id: i64,
        details: &MediaDetails,
    ) -> Result<(), EngineError> {
        self.may_manage(actor, id).await?;
        let details = clean_details(details)?;
        self.store
            .set_media_details(id, &details, self.clock.now())
            .await
            .map_err(not_found(id))?;
        self.audit(actor, "media_details_changed", id, "").await
    }

    /// One entry (deleted ones too), for any member of staff.
    pub async fn info(&self, actor: &Actor<'_>, id: i64) -> Result<MediaInfo, EngineError> {
        may_upload(actor)?;
        self.store.media_info(id).await.map_err(not_found(id))
    }

    /// The articles that show a photo (as their cover or in their body):
    /// ids and titles, for any member of staff.
    pub async fn uses(
        &self,
        actor: &Actor<'_>,
        id: i64,
    ) -> Result<Vec<(i64, String)>, EngineError> {
        may_upload(actor)?;
        let mut uses = Vec::new();
        let others = crate::dashboard::may_see_others(actor);
        for article in self.store.articles_showing_media(id).await? {
            match self.store.article(article).await {
                // Drafts' titles only for those who may open others' articles.
                Ok(a) if a.status == gazette_core::ArticleStatus::Published || others => {
                    uses.push((article, a.summary.title))
                }
                Ok(_) => {}
                Err(StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(uses)
    }

    /// The smallest WebP variant of each photo that has one, for the
    /// library's thumbnails.
    pub async fn thumbnails(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, String>, EngineError> {
        let mut smallest: std::collections::HashMap<i64, gazette_store::media::VariantInfo> =
            std::collections::HashMap::new();
        for variant in self.store.media_variants(ids).await? {
            if variant.format != "webp" {
                continue;
            }
            match smallest.get(&variant.media_id) {
                Some(kept) if kept.width <= variant.width => {}
                _ => {
                    smallest.insert(variant.media_id, variant);
                }
            }
        }
        Ok(smallest
            .into_values()
            .map(|v| {
                let url =
                    gazette_core::Permalink::media_variant(v.media_id, &v.hash, v.width, "webp");
                (v.media_id, url)
            })
            .collect())
    }

    /// The library, filtered, for any member of staff: with `text`, the
    /// photos whose caption, alt text, credit or licence hold every part
    /// of it (as the site's search reads a query), newest first.
    pub async fn list(
        &self,
        actor: &Actor<'_>,
        text: Option<&str>,
        filter: &MediaFilter,
    ) -> Result<Vec<MediaInfo>, EngineError> {
        may_upload(actor)?;
        let filter = MediaFilter {
            limit: filter.limit.clamp(1, 200),
            ..filter.clone()
        };
        match text.filter(|t| !t.trim().is_empty()) {
            Some(text) => self.search.search(self.store.as_ref(), text, &filter).await,
            None => Ok(self.store.media_library(&filter).await?),
        }
    }

    /// Brings this node's photo search up to the change log (the
    /// follower's tick; a search catches up by itself as well).
    pub async fn update_search(&self) -> Result<(), EngineError> {
        self.search.catch_up(self.store.as_ref()).await.map(drop)
    }

    /// Whether `actor` may change this photo: those who may manage media,
    /// and its uploader.
    pub fn may_change(actor: &Actor<'_>, info: &MediaInfo) -> bool {
        match actor.account {
            Some(account) => {
                permissions::allowed(account.role, Action::ManageMedia)
                    || info.uploaded_by == Some(account.id)
            }
            None => actor.is_command_line(),
        }
    }

    async fn may_manage(&self, actor: &Actor<'_>, id: i64) -> Result<MediaInfo, EngineError> {
        let info = self.store.media_info(id).await.map_err(not_found(id))?;
        if info.deleted_at.is_some() {
            return Err(EngineError::NotFound(format!("photo {id} was deleted")));
        }
        if !Self::may_change(actor, &info) {
            return Err(EngineError::Forbidden(
                "only the uploader and editors may change this photo".into(),
            ));
        }
        Ok(info)
    }

    /// Decodes and cleans an upload under a decode permit, on the blocking
    /// pool.
    async fn prepare(&self, bytes: Vec<u8>) -> Result<gazette_media::Prepared, EngineError> {
        if bytes.len() > self.limits.max_bytes {
            return Err(refused(MediaError::Refused(format!(
                "the file is larger than {} MB",
                self.limits.max_bytes / (1024 * 1024)
            ))));
        }
        // The permit goes with the decode: if the client leaves, the
        // request's future is dropped but the decode runs on, still counted.
        let permit = self.decode_permit().await?;
        let limits = self.limits;
        let decoding = self.decoding.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            decoding.run(|| gazette_media::prepare(&bytes, &limits))
        })
        .await
        .map_err(|e| EngineError::BadRequest(format!("the check stopped: {e}")))?
        .map_err(refused)
    }

    pub(crate) async fn decode_permit(
        &self,
    ) -> Result<tokio::sync::OwnedSemaphorePermit, EngineError> {
        match tokio::time::timeout(DECODE_WAIT, self.decodes.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(EngineError::Timeout),
        }
    }

    fn new_upload(
        &self,
        prepared: gazette_media::Prepared,
        details: MediaDetails,
        uploaded_by: Option<i64>,
    ) -> NewUpload {
        upload_record(prepared, details, uploaded_by, self.clock.now())
    }

    async fn audit(
        &self,
        actor: &Actor<'_>,
        action: &str,
        id: i64,
        detail: &str,
    ) -> Result<(), EngineError> {
        crate::staff::record(
            self.store.as_ref(),
            self.clock.now(),
            actor,
            action,
            &format!("media {id}"),
            detail,
        )
        .await
    }
}

/// A stored upload's record from a prepared file.
fn upload_record(
    prepared: gazette_media::Prepared,
    details: MediaDetails,
    uploaded_by: Option<i64>,
    at: i64,
) -> NewUpload {
    NewUpload {
        content_type: prepared.kind.content_type().into(),
        extension: prepared.kind.extension().into(),
        width: i64::from(prepared.width),
        height: i64::from(prepared.height),
        hash: gazette_media::content_hash(&prepared.bytes),
        bytes: prepared.bytes,
        animated: prepared.animated,
        details,
        uploaded_by,
        at,
    }
}

/// The upload path without the service around it (no permission, no
/// decode permit: the caller runs one at a time), for the demo loader.
pub(crate) fn prepare_upload(
    bytes: Vec<u8>,
    details: MediaDetails,
    uploaded_by: Option<i64>,
    at: i64,
) -> Result<NewUpload, EngineError> {
    let prepared = gazette_media::prepare(&bytes, &Limits::default()).map_err(refused)?;
    Ok(upload_record(
        prepared,
        clean_details(&details)?,
        uploaded_by,
        at,
    ))
}

/// Anyone signed in may upload (and the command line, for the demo); the
/// uploader's account.
fn may_upload(actor: &Actor<'_>) -> Result<Option<i64>, EngineError> {
    match actor.account {
        Some(account) => Ok(Some(account.id)),
        None if actor.is_command_line() => Ok(None),
        None => Err(EngineError::Forbidden(
            "sign in to use the media library".into(),
        )),
    }
}

fn require(actor: &Actor<'_>, action: Action) -> Result<(), EngineError> {
    match actor.account {
        Some(account) if permissions::allowed(account.role, action) => Ok(()),
        None if actor.is_command_line() => Ok(()),
        _ => Err(EngineError::Forbidden(
            "your role may not delete photos".into(),
        )),
    }
}

fn refused(error: MediaError) -> EngineError {
    match error {
        MediaError::Refused(message) => EngineError::BadRequest(message),
        MediaError::Encode(message) => EngineError::BadRequest(format!(
            "the photo could not be processed ({message}); try exporting it again"
        )),
    }
}

fn not_found(id: i64) -> impl Fn(StoreError) -> EngineError {
    move |e| match e {
        StoreError::NotFound => EngineError::NotFound(format!("no photo {id}")),
        e => e.into(),
    }
}

/// Plain text, trimmed, without control or bidirectional-override
/// characters, at most [`DETAIL_CHARS`] characters each.
fn clean_details(details: &MediaDetails) -> Result<MediaDetails, EngineError> {
    let clean = |label: &str, text: &str| {
        let text = crate::newsroom::draft::clean_line(text);
        if text.chars().count() > DETAIL_CHARS {
            return Err(EngineError::BadRequest(format!(
                "the {label} is longer than {DETAIL_CHARS} characters"
            )));
        }
        Ok(text)
    };
    Ok(MediaDetails {
        caption: clean("caption", &details.caption)?,
        alt: clean("alt text", &details.alt)?,
        credit: clean("credit", &details.credit)?,
        licence: clean("licence note", &details.licence)?,
    })
}
