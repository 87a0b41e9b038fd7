//! Gazette's use cases. The web layer asks for a path and gets bytes back;
//! the engine decides what page that is, gathers its data from the store,
//! renders it with the theme and keeps the result in the page cache.

pub mod cache;
pub mod config;
pub mod demo;
mod mood_vote;
mod pages;
mod reads;
pub mod related;
pub mod tally;
mod views;
mod visibility;

pub use mood_vote::{VoteOutcome, VoteRequest};
pub use reads::ReadOutcome;
pub use tally::Visitor;

pub use cache::{CachedBody, Encoding, Variant};
pub use config::SiteConfig;

use cache::{Lookup, PageCache};
use gazette_core::{Cursor, PageRoute};
use gazette_render::Theme;
use gazette_store::{Store, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// Why the engine could not answer with a page.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The request was malformed in a way the reader should be told about.
    #[error("{0}")]
    BadRequest(String),
    /// What the request names does not exist (or is not published).
    #[error("{0}")]
    NotFound(String),
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Render(#[from] gazette_render::theme::RenderError),
    /// Building a response took longer than [`BUILD_DEADLINE`].
    #[error("timed out building the response")]
    Timeout,
}

/// How long building one response (store reads, rendering) may take. Cache
/// hits never start this clock.
const BUILD_DEADLINE: Duration = Duration::from_secs(20);

async fn within_deadline<T>(
    work: impl std::future::Future<Output = Result<T, EngineError>>,
) -> Result<T, EngineError> {
    tokio::time::timeout(BUILD_DEADLINE, work)
        .await
        .unwrap_or(Err(EngineError::Timeout))
}

/// What a public path resolves to.
#[derive(Debug, Clone)]
pub enum Reply {
    Body(Arc<CachedBody>),
    /// A permanent redirect to the page's canonical path.
    Moved(String),
}

/// The engine: store, theme, configuration and caches.
pub struct Engine {
    store: Arc<dyn Store>,
    theme: Theme,
    config: SiteConfig,
    pages: PageCache,
    assets: Vec<(String, Arc<CachedBody>)>,
    tallies: tally::TallyDesk,
    crawlers: reads::CrawlerFilter,
    visibility: visibility::Visibility,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("backend", &self.store.backend())
            .finish_non_exhaustive()
    }
}

/// Pages are rebuilt at most this long after they were made, so scheduled
/// articles appear and counts refresh without an explicit invalidation.
const PAGE_MAX_AGE: Duration = Duration::from_secs(30);
const PAGE_CACHE_ENTRIES: usize = 20_000;

impl Engine {
    pub fn new(store: Arc<dyn Store>, theme: Theme, config: SiteConfig) -> Self {
        let immutable = "public, max-age=31536000, immutable";
        let assets = [&theme.assets().css, &theme.assets().js]
            .into_iter()
            .map(|a| {
                (
                    a.url.clone(),
                    Arc::new(CachedBody::new(
                        200,
                        a.content_type,
                        immutable,
                        a.bytes.clone(),
                    )),
                )
            })
            .collect();
        let max_group = if config.group_commit {
            tally::MAX_GROUP
        } else {
            1
        };
        let tallies = tally::TallyDesk::start(store.clone(), config.zone.clone(), max_group);
        Engine {
            store,
            theme,
            config,
            pages: PageCache::new(PAGE_MAX_AGE, PAGE_CACHE_ENTRIES),
            assets,
            tallies,
            crawlers: reads::CrawlerFilter::new(),
            visibility: visibility::Visibility::default(),
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn config(&self) -> &SiteConfig {
        &self.config
    }

    /// A fingerprinted theme asset (`/assets/site.<hash>.css`).
    pub fn asset(&self, path: &str) -> Option<Arc<CachedBody>> {
        self.assets
            .iter()
            .find(|(url, _)| url == path)
            .map(|(_, body)| body.clone())
    }

    /// After articles are published or changed: recomputes related reading
    /// and forgets every cached page.
    pub async fn content_changed(&self) -> Result<(), EngineError> {
        related::refresh(self.store.as_ref()).await?;
        self.invalidate_all();
        Ok(())
    }

    /// Forgets every cached page; each is rebuilt on its next request.
    pub fn invalidate_all(&self) {
        self.pages.clear();
        self.visibility.forget();
    }

    /// The response for a public page path with its raw query string.
    pub async fn page(&self, path: &str, query: Option<&str>) -> Result<Reply, EngineError> {
        let cursor = parse_after(query)?;
        // The hot path: a cache hit costs a map lookup, with no allocation.
        let key = cursor.map(|c| format!("{path}?after={}", c.encode()));
        if let Lookup::Fresh(body) = self.pages.get(key.as_deref().unwrap_or(path)) {
            return Ok(Reply::Body(body));
        }
        let build = async {
            match PageRoute::parse(path) {
                Some((lang, route)) => pages::build(self, path, lang, route, cursor).await,
                None => Ok(Reply::Body(
                    pages::not_found(self, gazette_core::Lang::Zh).await?,
                )),
            }
        };
        // Boxed: the build future is large, and inlined it would make every
        // request's future (cache hits included) that large, to be moved
        // through each layer of the router.
        let reply = within_deadline(Box::pin(build)).await?;
        if let Reply::Body(body) = &reply {
            // Only real pages are kept: a flood of made-up paths must not fill memory.
            if body.status == 200 || body.status == 410 {
                self.pages
                    .insert(key.unwrap_or_else(|| path.to_owned()), body.clone());
            }
        }
        Ok(reply)
    }

    /// A fresh cached body for a page path, without building anything: the
    /// server's fast path. `None` sends the request the long way round.
    pub fn cached_page(&self, path: &str, query: Option<&str>) -> Option<Arc<CachedBody>> {
        let key = match parse_after(query).ok()? {
            Some(c) => std::borrow::Cow::Owned(format!("{path}?after={}", c.encode())),
            None => std::borrow::Cow::Borrowed(path),
        };
        self.pages.servable(&key)
    }

    /// The 404 page, for paths the web layer itself found nothing at.
    pub async fn not_found(&self) -> Result<Arc<CachedBody>, EngineError> {
        pages::not_found(self, gazette_core::Lang::Zh).await
    }

    /// An article's mood counts as JSON, fresh from the store (cached pages
    /// may lag; the page's script asks here). `None` unless it is published.
    pub async fn mood_counts(&self, id: i64) -> Result<Option<Arc<CachedBody>>, EngineError> {
        within_deadline(self.read_mood_counts(id)).await
    }

    async fn read_mood_counts(&self, id: i64) -> Result<Option<Arc<CachedBody>>, EngineError> {
        if !self.is_visible(id).await? {
            return Ok(None);
        }
        let counts = self.mood_counts_of(id).await?;
        let body = mood_vote::counts_json(id, &counts, None);
        Ok(Some(Arc::new(CachedBody::new(
            200,
            "application/json",
            "public, max-age=5",
            body,
        ))))
    }

    /// A media file by its file name (`12.svg`).
    pub async fn media(&self, file: &str) -> Result<Option<Arc<CachedBody>>, EngineError> {
        let Some((id, extension)) = file.split_once('.') else {
            return Ok(None);
        };
        let Ok(id) = id.parse::<i64>() else {
            return Ok(None);
        };
        let key = format!("/media/{file}");
        if let Lookup::Fresh(body) | Lookup::Stale(body) = self.pages.get(&key) {
            return Ok(Some(body));
        }
        let media = match within_deadline(async { Ok(self.store.media(id).await) }).await? {
            Ok(media) if media.extension == extension => media,
            Ok(_) | Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let content_type = match media.extension.as_str() {
            "svg" => "image/svg+xml",
            "png" => "image/png",
            "webp" => "image/webp",
            _ => "image/jpeg",
        };
        let body = CachedBody::build(
            200,
            content_type,
            "public, max-age=31536000, immutable",
            media.bytes,
        )
        .await;
        self.pages.insert(key, body.clone());
        Ok(Some(body))
    }
}

/// The `after` cursor of a list page's query string. A forged cursor is a
/// 400; other parameters are ignored (and not part of the cache key).
fn parse_after(query: Option<&str>) -> Result<Option<Cursor>, EngineError> {
    let Some(query) = query else { return Ok(None) };
    for pair in query.split('&') {
        if let Some(value) = pair.strip_prefix("after=") {
            return Cursor::parse(value)
                .map(Some)
                .map_err(|e| EngineError::BadRequest(format!("invalid 'after' parameter: {e}")));
        }
    }
    Ok(None)
}
