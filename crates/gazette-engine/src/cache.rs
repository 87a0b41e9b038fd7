//! Rendered responses kept as bytes, each with gzip and brotli variants made
//! once when the page is built (never per request) and a strong ETag per
//! encoding. The cache is the same for every reader: keys are paths, never
//! anything about who asks.

use bytes::Bytes;
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// One encoding of a body.
#[derive(Debug, Clone)]
pub struct Variant {
    pub bytes: Bytes,
    /// Quoted strong ETag, distinct per encoding.
    pub etag: String,
}

/// How a body may be encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

/// A complete response body, ready to send in any encoding.
#[derive(Debug)]
pub struct CachedBody {
    pub status: u16,
    pub content_type: &'static str,
    pub cache_control: &'static str,
    /// HTTP date of when the body was built.
    pub last_modified: String,
    pub identity: Variant,
    /// `None` when compressing would not help (already-compressed media).
    pub gzip: Option<Variant>,
    pub brotli: Option<Variant>,
    built: Instant,
    refreshing: AtomicBool,
}

impl CachedBody {
    /// Builds a body and its compressed variants. CPU-bound: call it off the
    /// async workers (see [`CachedBody::build`]).
    pub fn new(
        status: u16,
        content_type: &'static str,
        cache_control: &'static str,
        body: Vec<u8>,
    ) -> Self {
        let hash = blake3::hash(&body).to_hex();
        let tag = &hash[..20];
        let compressible = content_type.starts_with("text/")
            || content_type.starts_with("application/json")
            || content_type.starts_with("image/svg");
        let (gzip, brotli) = if compressible {
            (
                Some(Variant {
                    bytes: gzip(&body).into(),
                    etag: format!("\"{tag}-gz\""),
                }),
                Some(Variant {
                    bytes: brotli(&body).into(),
                    etag: format!("\"{tag}-br\""),
                }),
            )
        } else {
            (None, None)
        };
        CachedBody {
            status,
            content_type,
            cache_control,
            last_modified: jiff::Timestamp::now()
                .strftime("%a, %d %b %Y %H:%M:%S GMT")
                .to_string(),
            identity: Variant {
                bytes: body.into(),
                etag: format!("\"{tag}\""),
            },
            gzip,
            brotli,
            built: Instant::now(),
            refreshing: AtomicBool::new(false),
        }
    }

    /// [`CachedBody::new`] on the blocking pool.
    pub async fn build(
        status: u16,
        content_type: &'static str,
        cache_control: &'static str,
        body: Vec<u8>,
    ) -> Arc<Self> {
        let build = move || Arc::new(CachedBody::new(status, content_type, cache_control, body));
        match tokio::task::spawn_blocking(build.clone()).await {
            Ok(body) => body,
            // The blocking pool is gone (shutdown): build here rather than fail.
            Err(_) => build(),
        }
    }

    /// The variant to send for an encoding, falling back to identity.
    pub fn variant(&self, encoding: Encoding) -> (&Variant, Encoding) {
        match encoding {
            Encoding::Brotli => self
                .brotli
                .as_ref()
                .map_or((&self.identity, Encoding::Identity), |v| (v, encoding)),
            Encoding::Gzip => self
                .gzip
                .as_ref()
                .map_or((&self.identity, Encoding::Identity), |v| (v, encoding)),
            Encoding::Identity => (&self.identity, Encoding::Identity),
        }
    }
}

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 3),
        flate2::Compression::best(),
    );
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(body);
    encoder.finish().unwrap_or_default()
}

fn brotli(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() / 3);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
    out
}

/// Bodies by key (a path and its normalised query). Entries older than
/// `max_age` are served while one request rebuilds them, so a busy page is
/// rebuilt once, not once per waiting reader.
#[derive(Debug)]
pub struct PageCache {
    entries: RwLock<HashMap<String, Arc<CachedBody>>>,
    max_age: Duration,
    max_entries: usize,
}

/// What a cache lookup found.
#[derive(Debug)]
pub enum Lookup {
    Fresh(Arc<CachedBody>),
    /// Stale, and this caller has been chosen to rebuild it; others get it as fresh.
    Stale(Arc<CachedBody>),
    Missing,
}

impl PageCache {
    pub fn new(max_age: Duration, max_entries: usize) -> Self {
        PageCache {
            entries: RwLock::new(HashMap::new()),
            max_age,
            max_entries,
        }
    }

    pub fn get(&self, key: &str) -> Lookup {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        match entries.get(key) {
            None => Lookup::Missing,
            Some(body) if body.built.elapsed() < self.max_age => Lookup::Fresh(body.clone()),
            Some(body) => {
                if body.refreshing.swap(true, Ordering::AcqRel) {
                    Lookup::Fresh(body.clone())
                } else {
                    Lookup::Stale(body.clone())
                }
            }
        }
    }

    /// A body to serve without building anything: fresh, or stale while
    /// another request already rebuilds it. Never claims the rebuild itself,
    /// so that the caller that does build (`get`) is the one chosen.
    pub fn servable(&self, key: &str) -> Option<Arc<CachedBody>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let body = entries.get(key)?;
        let fresh = body.built.elapsed() < self.max_age || body.refreshing.load(Ordering::Acquire);
        fresh.then(|| body.clone())
    }

    pub fn insert(&self, key: String, body: Arc<CachedBody>) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        // A crude bound: many distinct keys (e.g. crafted cursors) cannot grow memory without limit.
        if entries.len() >= self.max_entries && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, body);
    }

    /// Drops every entry: the next request for each page rebuilds it.
    pub fn clear(&self) {
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn variants_decode_to_the_same_bytes_with_distinct_etags() {
        let html = "<p>新闻</p>".repeat(200).into_bytes();
        let body = CachedBody::new(200, "text/html; charset=utf-8", "public", html.clone());
        let gz = body.gzip.as_ref().expect("gzip");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&gz.bytes[..])
            .read_to_end(&mut decoded)
            .expect("gunzip");
        assert_eq!(decoded, html);
        let br = body.brotli.as_ref().expect("brotli");
        let mut decoded = Vec::new();
        brotli::Decompressor::new(&br.bytes[..], 4096)
            .read_to_end(&mut decoded)
            .expect("unbrotli");
        assert_eq!(decoded, html);
        assert!(br.bytes.len() < gz.bytes.len() && gz.bytes.len() < html.len());
        let etags = [&body.identity.etag, &gz.etag, &br.etag];
        assert!(etags[0] != etags[1] && etags[1] != etags[2] && etags[0] != etags[2]);
    }

    #[test]
    fn stale_entries_are_rebuilt_by_one_caller() {
        let cache = PageCache::new(Duration::ZERO, 10);
        cache.insert(
            "/".into(),
            Arc::new(CachedBody::new(200, "text/html", "public", b"x".to_vec())),
        );
        assert!(matches!(cache.get("/"), Lookup::Stale(_)));
        assert!(
            matches!(cache.get("/"), Lookup::Fresh(_)),
            "second caller serves the stale copy"
        );
        assert!(matches!(cache.get("/nope"), Lookup::Missing));
    }

    #[test]
    fn the_fast_path_never_claims_a_rebuild() {
        let cache = PageCache::new(Duration::ZERO, 10);
        cache.insert(
            "/".into(),
            Arc::new(CachedBody::new(200, "text/html", "public", b"x".to_vec())),
        );
        assert!(
            cache.servable("/").is_none(),
            "stale and nobody rebuilding: build it"
        );
        assert!(
            matches!(cache.get("/"), Lookup::Stale(_)),
            "the builder is still chosen"
        );
        assert!(
            cache.servable("/").is_some(),
            "while it rebuilds, the old copy is served"
        );
    }
}
