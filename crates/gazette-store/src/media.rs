//! The media library area of the store: uploads with their credits, the
//! variants made from them, replacement and deletion. The bytes live in
//! the database on both backends, so every node reads the same files with
//! no other service; pages keep them in a cache of their own.
//!
//! Variants are made off the request path: an upload is stored `pending`,
//! a node claims it for a while ([`MediaStore::claim_pending_media`]),
//! makes the variants and stores them only if the photo is still the one
//! it read (its hash), so a replacement meanwhile is never given the old
//! photo's variants. A replacement, a deletion or a new caption appends a
//! change to the change log, which is how every node forgets the pages
//! that show the photo.

use crate::Result;
use async_trait::async_trait;

/// A checked upload, ready to store (the engine prepared its bytes).
#[derive(Debug, Clone)]
pub struct NewUpload {
    pub content_type: String,
    pub extension: String,
    pub width: i64,
    pub height: i64,
    pub bytes: Vec<u8>,
    pub hash: String,
    pub animated: bool,
    pub details: MediaDetails,
    pub uploaded_by: Option<i64>,
    pub at: i64,
}

/// What the newsroom writes about a photo.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaDetails {
    pub caption: String,
    pub alt: String,
    /// The photographer or illustrator (摄影/制图).
    pub credit: String,
    pub licence: String,
}

/// The state of a photo's variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantsState {
    /// Made before variants existed: shown as it is.
    None,
    Pending,
    Ready,
}

impl VariantsState {
    pub(crate) fn parse(text: &str) -> Self {
        match text {
            "pending" => VariantsState::Pending,
            "ready" => VariantsState::Ready,
            _ => VariantsState::None,
        }
    }
}

/// One library entry, without its bytes.
#[derive(Debug, Clone)]
pub struct MediaInfo {
    pub id: i64,
    pub content_type: String,
    pub extension: String,
    pub width: i64,
    pub height: i64,
    pub size: i64,
    pub hash: String,
    pub animated: bool,
    pub details: MediaDetails,
    pub uploaded_by: Option<i64>,
    pub uploader: Option<String>,
    pub created_at: i64,
    pub variants: VariantsState,
    pub deleted_at: Option<i64>,
}

/// Which library entries to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct MediaFilter {
    /// Only these entries (what the library's search found); none at
    /// all when empty.
    pub ids: Option<Vec<i64>>,
    pub uploaded_by: Option<i64>,
    /// Uploaded at or after, before (UTC seconds).
    pub from: Option<i64>,
    pub until: Option<i64>,
    /// Shown by an article (cover or body), a topic or the photo stream.
    pub used: Option<bool>,
    /// Keyset paging: entries with a smaller id.
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// A variant to store.
#[derive(Debug, Clone)]
pub struct NewVariant {
    /// `webp`, `jpg`, `png`, or `card` for the share card.
    pub format: String,
    pub width: i64,
    pub height: i64,
    pub content_type: String,
    pub hash: String,
    pub bytes: Vec<u8>,
}

/// A stored variant, without its bytes (what pages need to name it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantInfo {
    pub media_id: i64,
    pub format: String,
    pub width: i64,
    pub height: i64,
    pub hash: String,
}

#[async_trait]
pub trait MediaStore: Send + Sync {
    /// Stores a checked upload with its variants pending; the change log
    /// names it (`Uploaded`).
    async fn add_upload(&self, upload: &NewUpload) -> Result<i64>;
    /// Puts other bytes under the same id (a better scan, a rights claim
    /// answered with another photo): the old variants go, new ones are
    /// pending, and the change log names the photo. The details are kept.
    async fn replace_media(&self, id: i64, upload: &NewUpload) -> Result<()>;
    /// Deletes a photo's bytes and variants, keeping a tombstone row that
    /// pages show as a placeholder; the change log names it.
    async fn delete_media(&self, id: i64, at: i64) -> Result<()>;
    /// New caption, alt text, credit and licence; the change log names it.
    async fn set_media_details(&self, id: i64, details: &MediaDetails, at: i64) -> Result<()>;
    async fn media_info(&self, id: i64) -> Result<MediaInfo>;
    /// Several entries at once (deleted ones too); unknown ids are left out.
    async fn media_infos(&self, ids: &[i64]) -> Result<Vec<MediaInfo>>;
    async fn media_library(&self, filter: &MediaFilter) -> Result<Vec<MediaInfo>>;
    /// Articles that show the photo: as their cover or in their body.
    async fn articles_showing_media(&self, id: i64) -> Result<Vec<i64>>;
    /// Claims one photo whose variants are pending and not claimed by
    /// another node until `until`: its id and hash.
    async fn claim_pending_media(&self, now: i64, until: i64) -> Result<Option<(i64, String)>>;
    /// Stores the variants made from the photo with `hash` and marks them
    /// ready, only if the photo still has that hash (else false: it was
    /// replaced or deleted meanwhile, and nothing is stored).
    async fn store_variants(
        &self,
        id: i64,
        hash: &str,
        variants: &[NewVariant],
        at: i64,
    ) -> Result<bool>;
    /// The variants of these photos, without bytes.
    async fn media_variants(&self, ids: &[i64]) -> Result<Vec<VariantInfo>>;
    /// One variant's type and bytes.
    async fn variant_bytes(
        &self,
        id: i64,
        format: &str,
        width: i64,
    ) -> Result<(VariantInfo, String, Vec<u8>)>;
}
