//! Rendered responses kept as bytes, each with gzip and brotli variants and
//! a strong ETag per encoding. The cache is the same for every reader: keys
//! are paths, never anything about who asks.
//!
//! Compression is priced to how often a body is sent. A body is first
//! packed at [`Packing::Fast`] (cheap levels, nothing below
//! [`COMPRESS_MIN`] bytes); a body that stays in the cache is then packed
//! again at [`Packing::Best`] in the background and swapped in
//! ([`PageCache::upgrade`]), so the expensive brotli level never runs on a
//! request's path and never for a body that is sent once.
//!
//! [`PageCache`] is bounded by bytes, on moka: its TinyLFU admission keeps
//! pages read often when one-off keys stream through, and eviction drops
//! one entry at a time, never everything.

use bytes::Bytes;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Bodies smaller than this are not compressed: the framing would eat the gain.
pub const COMPRESS_MIN: usize = 1024;

/// One encoding of a body.
#[derive(Debug, Clone)]
pub struct Variant {
    pub bytes: Bytes,
    /// Quoted strong ETag, distinct per encoding and packing.
    pub etag: String,
}

/// How a body may be encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

/// How hard a body's compressed variants were worked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    /// gzip level 1 and brotli quality 4: a fraction of a millisecond for
    /// a page, for bodies built on a request's path.
    Fast,
    /// gzip level 9 and brotli quality 11: made once, off the request path,
    /// for bodies that stay cached.
    Best,
}

impl Packing {
    fn gzip_level(self) -> u32 {
        match self {
            Packing::Fast => 1,
            Packing::Best => 9,
        }
    }

    fn brotli_quality(self) -> i32 {
        match self {
            Packing::Fast => 4,
            Packing::Best => 11,
        }
    }

    /// Marks the ETag, since the bytes differ between packings.
    fn tag(self) -> &'static str {
        match self {
            Packing::Fast => "f",
            Packing::Best => "b",
        }
    }
}

/// A complete response body, ready to send in any encoding.
#[derive(Debug)]
pub struct CachedBody {
    pub status: u16,
    pub content_type: &'static str,
    pub cache_control: &'static str,
    /// HTTP date of when the content last changed: when these bytes were
    /// first built (a rebuild to the same bytes keeps it).
    pub last_modified: String,
    /// The same, in seconds since the epoch.
    pub modified_at: i64,
    pub identity: Variant,
    /// `None` when compressing would not help (small bodies, media).
    pub gzip: Option<Variant>,
    pub brotli: Option<Variant>,
    pub packing: Packing,
    /// A list page that takes an `after` cursor. Any query on a page that
    /// does not page is ignored, so it is answered from this entry.
    pub paged: bool,
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
        packing: Packing,
    ) -> Self {
        let hash = blake3::hash(&body).to_hex();
        let tag = &hash[..20];
        let compressible = (content_type.starts_with("text/")
            || content_type.starts_with("application/json")
            || content_type.starts_with("application/manifest+json")
            || content_type.starts_with("image/svg"))
            && body.len() >= COMPRESS_MIN;
        let (gzip, brotli) = if compressible {
            let p = packing.tag();
            (
                Some(Variant {
                    bytes: gzip(&body, packing.gzip_level()).into(),
                    etag: format!("\"{tag}-gz{p}\""),
                }),
                Some(Variant {
                    bytes: brotli(&body, packing.brotli_quality()).into(),
                    etag: format!("\"{tag}-br{p}\""),
                }),
            )
        } else {
            (None, None)
        };
        let now = jiff::Timestamp::now();
        CachedBody {
            status,
            content_type,
            cache_control,
            last_modified: now.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string(),
            modified_at: now.as_second(),
            identity: Variant {
                bytes: body.into(),
                etag: format!("\"{tag}\""),
            },
            gzip,
            brotli,
            packing,
            paged: false,
            built: Instant::now(),
            refreshing: AtomicBool::new(false),
        }
    }

    /// [`CachedBody::new`] at [`Packing::Fast`] on the blocking pool.
    pub async fn build(
        status: u16,
        content_type: &'static str,
        cache_control: &'static str,
        body: Vec<u8>,
    ) -> Arc<Self> {
        Self::build_page(status, content_type, cache_control, body, false).await
    }

    /// [`CachedBody::build`] for a page, marked `paged` if it takes a cursor.
    pub async fn build_page(
        status: u16,
        content_type: &'static str,
        cache_control: &'static str,
        body: Vec<u8>,
        paged: bool,
    ) -> Arc<Self> {
        let build = move || {
            let mut body =
                CachedBody::new(status, content_type, cache_control, body, Packing::Fast);
            body.paged = paged;
            Arc::new(body)
        };
        off_the_workers(build).await
    }

    /// The same body packed at [`Packing::Best`], keeping its build time
    /// (its age decides when it is rebuilt) and its other properties.
    pub fn repacked_best(&self) -> Self {
        let mut best = CachedBody::new(
            self.status,
            self.content_type,
            self.cache_control,
            self.identity.bytes.to_vec(),
            Packing::Best,
        );
        best.last_modified.clone_from(&self.last_modified);
        best.modified_at = self.modified_at;
        best.paged = self.paged;
        best.built = self.built;
        best
    }

    /// This body again, as if built now: for a rebuild that produced the
    /// very same bytes, which then keeps its packed variants (no packing
    /// at all) and its `Last-Modified`.
    pub fn renewed(&self) -> Self {
        CachedBody {
            status: self.status,
            content_type: self.content_type,
            cache_control: self.cache_control,
            last_modified: self.last_modified.clone(),
            modified_at: self.modified_at,
            identity: self.identity.clone(),
            gzip: self.gzip.clone(),
            brotli: self.brotli.clone(),
            packing: self.packing,
            paged: self.paged,
            built: Instant::now(),
            refreshing: AtomicBool::new(false),
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

    /// Whether the content has not changed since an HTTP date (an
    /// `If-Modified-Since` value); a date that does not parse says no.
    pub fn unchanged_since(&self, http_date: &str) -> bool {
        jiff::fmt::strtime::parse("%a, %d %b %Y %H:%M:%S GMT", http_date.trim())
            .and_then(|parsed| parsed.to_datetime())
            .and_then(|datetime| jiff::tz::TimeZone::UTC.to_timestamp(datetime))
            .is_ok_and(|since| self.modified_at <= since.as_second())
    }

    /// Whether this is `other`'s page (same bytes and status), not yet
    /// packed at the best levels.
    fn needs_best_packing_of(&self, other: &CachedBody) -> bool {
        self.packing == Packing::Fast
            && self.status == other.status
            && self.identity.etag == other.identity.etag
    }

    /// Bytes this body holds, for the cache's bound.
    pub fn weight(&self) -> usize {
        self.identity.bytes.len()
            + self.gzip.as_ref().map_or(0, |v| v.bytes.len())
            + self.brotli.as_ref().map_or(0, |v| v.bytes.len())
            + std::mem::size_of::<Self>()
    }
}

/// Runs CPU-bound work on the blocking pool; builds in place if the pool is
/// gone (shutdown) rather than fail.
pub(crate) async fn off_the_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + Clone + 'static,
) -> T {
    match tokio::task::spawn_blocking(work.clone()).await {
        Ok(value) => value,
        Err(_) => work(),
    }
}

fn gzip(body: &[u8], level: u32) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 3),
        flate2::Compression::new(level),
    );
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(body);
    encoder.finish().unwrap_or_default()
}

fn brotli(body: &[u8], quality: i32) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() / 3);
    let params = brotli::enc::BrotliEncoderParams {
        quality,
        lgwin: 22,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
    out
}

/// Bodies by key (a path, and its `after` cursor on list pages), bounded
/// by bytes. Entries older than `max_age` are served while one request
/// rebuilds them, so a busy page is rebuilt once, not once per waiting
/// reader. Cloning gives another handle on the same entries.
#[derive(Debug, Clone)]
pub struct PageCache {
    entries: moka::sync::Cache<String, Arc<CachedBody>>,
    max_age: Duration,
}

/// What a cache lookup found.
#[derive(Debug)]
pub enum Lookup {
    Fresh(Arc<CachedBody>),
    /// Stale, and this caller has been chosen to rebuild it; others get it as fresh.
    Stale(RebuildClaim),
    Missing,
}

/// The right to rebuild a stale entry. While it is held, other requests are
/// served the stale copy; when it is dropped (rebuilt, failed, or the
/// request given up half-way), the claim ends, so a rebuild that never
/// finished cannot freeze the old copy in place.
#[derive(Debug)]
pub struct RebuildClaim(Arc<CachedBody>);

impl RebuildClaim {
    /// The stale copy.
    pub fn body(&self) -> &Arc<CachedBody> {
        &self.0
    }
}

impl Drop for RebuildClaim {
    fn drop(&mut self) {
        self.0.refreshing.store(false, Ordering::Release);
    }
}

impl PageCache {
    /// A cache holding at most `max_bytes` of bodies and keys.
    pub fn new(max_age: Duration, max_bytes: u64) -> Self {
        let entries = moka::sync::Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|key: &String, body: &Arc<CachedBody>| {
                u32::try_from(key.len() + body.weight()).unwrap_or(u32::MAX)
            })
            .build();
        PageCache { entries, max_age }
    }

    pub fn get(&self, key: &str) -> Lookup {
        match self.entries.get(key) {
            None => Lookup::Missing,
            Some(body) if body.built.elapsed() < self.max_age => Lookup::Fresh(body),
            Some(body) => {
                if body.refreshing.swap(true, Ordering::AcqRel) {
                    Lookup::Fresh(body)
                } else {
                    Lookup::Stale(RebuildClaim(body))
                }
            }
        }
    }

    /// A body to serve without building anything: fresh, or stale while
    /// another request already rebuilds it. Never claims the rebuild itself,
    /// so that the caller that does build (`get`) is the one chosen.
    pub fn servable(&self, key: &str) -> Option<Arc<CachedBody>> {
        let body = self.entries.get(key)?;
        let fresh = body.built.elapsed() < self.max_age || body.refreshing.load(Ordering::Acquire);
        fresh.then_some(body)
    }

    pub fn insert(&self, key: String, body: Arc<CachedBody>) {
        self.entries.insert(key, body);
    }

    /// Puts the best-packed `best` in place of the same page packed fast,
    /// unless the entry has changed meanwhile (another page, invalidated,
    /// already repacked): a late upgrade never brings back an outdated page.
    pub fn upgrade(&self, key: &str, best: Arc<CachedBody>) -> bool {
        use moka::ops::compute::{CompResult, Op};
        let result = self
            .entries
            .entry_by_ref(key)
            .and_compute_with(|current| match current {
                Some(entry) if entry.value().needs_best_packing_of(&best) => Op::Put(best),
                _ => Op::Nop,
            });
        matches!(result, CompResult::ReplacedWith(_))
    }

    /// Whether `key` still holds `body`'s page packed fast (worth repacking).
    pub fn awaits_best_packing(&self, key: &str, body: &CachedBody) -> bool {
        self.entries
            .get(key)
            .is_some_and(|current| current.needs_best_packing_of(body))
    }

    /// Drops one entry.
    pub fn remove(&self, key: &str) {
        self.entries.invalidate(key);
    }

    /// Drops every entry: the next request for each page rebuilds it.
    pub fn clear(&self) {
        self.entries.invalidate_all();
    }

    /// Bytes held, after pending evictions are applied.
    pub fn weighted_size(&self) -> u64 {
        self.entries.run_pending_tasks();
        self.entries.weighted_size()
    }

    pub fn len(&self) -> u64 {
        self.entries.run_pending_tasks();
        self.entries.entry_count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn page(text: &str) -> Arc<CachedBody> {
        Arc::new(CachedBody::new(
            200,
            "text/html",
            "public",
            text.as_bytes().to_vec(),
            Packing::Fast,
        ))
    }

    #[test]
    fn variants_decode_to_the_same_bytes_with_distinct_etags() {
        let html = "<p>新闻</p>".repeat(200).into_bytes();
        for packing in [Packing::Fast, Packing::Best] {
            let body = CachedBody::new(
                200,
                "text/html; charset=utf-8",
                "public",
                html.clone(),
                packing,
            );
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
            assert!(br.bytes.len() < html.len() && gz.bytes.len() < html.len());
            let etags = [&body.identity.etag, &gz.etag, &br.etag];
            assert!(etags[0] != etags[1] && etags[1] != etags[2] && etags[0] != etags[2]);
        }
    }

    #[test]
    fn small_bodies_are_not_compressed_and_best_packing_keeps_the_page() {
        let small = CachedBody::new(404, "text/html", "public", b"tiny".to_vec(), Packing::Fast);
        assert!(small.gzip.is_none() && small.brotli.is_none());
        let fast = CachedBody::new(
            200,
            "text/html",
            "public",
            (0..400)
                .map(|i| format!("<p>第{i}段：关于{}号议题的报道。</p>", i * 7919 % 1000))
                .collect::<String>()
                .into_bytes(),
            Packing::Fast,
        );
        let mut fast = fast;
        fast.paged = true;
        let best = fast.repacked_best();
        assert_eq!(best.identity.etag, fast.identity.etag, "same page");
        assert_ne!(
            best.brotli.as_ref().map(|v| &v.etag),
            fast.brotli.as_ref().map(|v| &v.etag),
            "other bytes, other tag"
        );
        assert!(best.paged && best.last_modified == fast.last_modified);
        assert!(
            best.brotli.as_ref().map(|v| v.bytes.len())
                <= fast.brotli.as_ref().map(|v| v.bytes.len())
        );
    }

    #[test]
    fn a_renewed_body_keeps_its_bytes_and_dates_but_is_fresh() {
        let cache = PageCache::new(Duration::from_millis(50), 1 << 20);
        let old = page("same");
        cache.insert("/".into(), old.clone());
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.servable("/").is_none(), "stale");
        let renewed = Arc::new(old.renewed());
        assert_eq!(renewed.identity.etag, old.identity.etag);
        assert_eq!(renewed.last_modified, old.last_modified);
        cache.insert("/".into(), renewed);
        assert!(cache.servable("/").is_some(), "fresh again");
    }

    #[test]
    fn if_modified_since_compares_with_the_content_time() {
        let body = page("x");
        assert!(body.unchanged_since(&body.last_modified));
        assert!(body.unchanged_since("Fri, 01 Jan 2100 00:00:00 GMT"));
        assert!(!body.unchanged_since("Thu, 01 Jan 2004 00:00:00 GMT"));
        for junk in ["", "yesterday", "Thu, 32 Jan 2004 00:00:00 GMT", "\u{0}"] {
            assert!(!body.unchanged_since(junk), "{junk:?}");
        }
    }

    #[test]
    fn stale_entries_are_rebuilt_by_one_caller() {
        let cache = PageCache::new(Duration::ZERO, 1 << 20);
        cache.insert("/".into(), page("x"));
        let claim = cache.get("/");
        assert!(matches!(claim, Lookup::Stale(_)));
        assert!(
            matches!(cache.get("/"), Lookup::Fresh(_)),
            "second caller serves the stale copy"
        );
        drop(claim);
        assert!(
            matches!(cache.get("/"), Lookup::Stale(_)),
            "a claim given up without a rebuild lets the next caller rebuild"
        );
        assert!(matches!(cache.get("/nope"), Lookup::Missing));
    }

    #[test]
    fn the_fast_path_never_claims_a_rebuild() {
        let cache = PageCache::new(Duration::ZERO, 1 << 20);
        cache.insert("/".into(), page("x"));
        assert!(
            cache.servable("/").is_none(),
            "stale and nobody rebuilding: build it"
        );
        let claim = cache.get("/");
        assert!(
            matches!(claim, Lookup::Stale(_)),
            "the builder is still chosen"
        );
        assert!(
            cache.servable("/").is_some(),
            "while it rebuilds, the old copy is served"
        );
    }

    #[test]
    fn an_upgrade_never_replaces_another_page() {
        let cache = PageCache::new(Duration::from_secs(60), 1 << 20);
        let first = page("first");
        cache.insert("/".into(), first.clone());
        let newer = page("newer");
        cache.insert("/".into(), newer.clone());
        assert!(!cache.awaits_best_packing("/", &first));
        assert!(
            !cache.upgrade("/", Arc::new(first.repacked_best())),
            "another page now"
        );
        assert!(cache.awaits_best_packing("/", &newer));
        assert!(cache.upgrade("/", Arc::new(newer.repacked_best())));
        assert!(!cache.awaits_best_packing("/", &newer), "done once");
        assert!(!cache.upgrade("/", Arc::new(newer.repacked_best())));
        cache.clear();
        assert!(
            !cache.upgrade("/", Arc::new(newer.repacked_best())),
            "after clear"
        );
        assert!(cache.servable("/").is_none());
    }

    #[test]
    fn one_off_keys_neither_overflow_the_bound_nor_evict_a_hot_page() {
        let body = "<p>新闻</p>".repeat(300);
        let cache = PageCache::new(Duration::from_secs(60), 400_000);
        let hot = page(&body);
        cache.insert("/hot".into(), hot);
        for round in 0..50 {
            for _ in 0..20 {
                assert!(cache.servable("/hot").is_some(), "round {round}");
            }
            for i in 0..200 {
                cache.insert(format!("/junk/{round}/{i}"), page(&body));
            }
        }
        assert!(
            cache.weighted_size() <= 400_000,
            "{}",
            cache.weighted_size()
        );
        assert!(cache.servable("/hot").is_some(), "the hot page stays");
        assert!(cache.len() > 1, "eviction is one entry at a time");
    }
}
