//! Variants and share cards, made off the request path. Every node's
//! server asks every second; a node claims one waiting photo at a time
//! (for five minutes, in case it stops halfway), makes its variants under
//! a decode permit on the blocking pool, and stores them only if the photo
//! is still the one it read. Storing them appends a change, so pages that
//! showed the photo without variants are rebuilt naming them.

use super::MediaLibrary;
use crate::EngineError;
use gazette_media::card::{photo_card, svg_card};
use gazette_media::{ImageKind, Limits, MediaError, VariantFormat, make_variants};
use gazette_store::media::NewVariant;
use gazette_store::{Media, StoreError};
use std::sync::atomic::Ordering;

/// How long a claim on a waiting photo lasts.
const CLAIM_SECONDS: i64 = 300;

impl MediaLibrary {
    /// Makes the variants of every photo waiting for them; how many photos
    /// were done. One run at a time on each node.
    pub async fn make_pending_variants(&self) -> Result<usize, EngineError> {
        if self.working.swap(true, Ordering::AcqRel) {
            return Ok(0);
        }
        let result = self.make_all_pending().await;
        self.working.store(false, Ordering::Release);
        result
    }

    async fn make_all_pending(&self) -> Result<usize, EngineError> {
        let mut done = 0;
        loop {
            let now = self.clock.now();
            let Some((id, hash)) = self
                .store
                .claim_pending_media(now, now + CLAIM_SECONDS)
                .await?
            else {
                return Ok(done);
            };
            let media = match self.store.media(id).await {
                Ok(media) => media,
                Err(StoreError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            let permit = self.decode_permit().await?;
            let limits = self.limits;
            let decoding = self.decoding.clone();
            let made = tokio::task::spawn_blocking(move || {
                let _permit = permit;
                decoding.run(|| variants_of(&media, &limits))
            })
            .await;
            let variants = match made {
                Ok(Ok(variants)) => variants,
                // A photo whose variants cannot be made is shown as it is.
                Ok(Err(error)) => {
                    tracing::warn!(id, %error, "making a photo's variants failed");
                    Vec::new()
                }
                Err(error) => {
                    tracing::warn!(id, %error, "making a photo's variants stopped");
                    Vec::new()
                }
            };
            self.store
                .store_variants(id, &hash, &variants, self.clock.now())
                .await?;
            done += 1;
        }
    }
}

/// The variants and the share card of a stored file.
fn variants_of(media: &Media, limits: &Limits) -> Result<Vec<NewVariant>, MediaError> {
    let stored =
        |format: &str, width: u32, height: u32, kind: ImageKind, bytes: Vec<u8>| NewVariant {
            format: format.to_owned(),
            width: i64::from(width),
            height: i64::from(height),
            content_type: kind.content_type().to_owned(),
            hash: gazette_media::content_hash(&bytes),
            bytes,
        };
    if media.content_type == "image/svg+xml" {
        // Drawn by the program: shown as SVG, shared as a PNG card.
        let card = svg_card(&media.bytes)?;
        return Ok(vec![stored(
            "card",
            card.width,
            card.height,
            card.kind,
            card.bytes,
        )]);
    }
    let kind = ImageKind::sniff(&media.bytes)?;
    let mut out: Vec<NewVariant> = make_variants(&media.bytes, kind, limits)?
        .into_iter()
        .map(|v| {
            let format = match v.format {
                VariantFormat::WebP => "webp",
                VariantFormat::Fallback(kind) => kind.extension(),
            };
            stored(format, v.width, v.height, v.format.kind(), v.bytes)
        })
        .collect();
    let card = photo_card(&media.bytes, kind, limits)?;
    out.push(stored(
        "card",
        card.width,
        card.height,
        card.kind,
        card.bytes,
    ));
    Ok(out)
}
