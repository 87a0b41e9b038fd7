//! Gazette's use cases. The web layer asks for a path and gets bytes back;
//! the engine decides what page that is, gathers its data from the store,
//! renders it with the theme and keeps the result in the page cache.

pub mod cache;
mod changes;
pub mod channels;
pub mod config;
mod counts;
pub mod curation;
pub mod dashboard;
pub mod demo;
mod errors;
pub mod insights;
pub mod media;
mod mood_vote;
pub mod newsroom;
pub(crate) mod pages;
mod reads;
pub mod related;
pub mod search;
pub mod sitemaps;
pub mod staff;
pub mod tally;
mod tokens;
pub mod topics;
mod views;
mod visibility;

pub use mood_vote::{VoteOutcome, VoteRequest};
pub use pages::search::SearchAsk;
pub use reads::ReadOutcome;
pub use tally::Visitor;

pub use cache::{CachedBody, Encoding, Packing, Variant};
pub use config::SiteConfig;
pub use gazette_core::Lang;
pub use gazette_render::ICON_FILES;

use cache::{Lookup, PageCache};
use counts::{CountsCache, CountsView};
use gazette_core::{Cursor, PageRoute};
use gazette_render::Theme;
use gazette_store::{Store, StoreError};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{OnceCell, Semaphore};

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
    /// The signed-in member's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Someone else changed it first; the message says what to do.
    #[error("{0}")]
    Conflict(String),
    /// The search index could not be read or written.
    #[error("search: {0}")]
    Search(String),
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
    /// Media files, apart from pages so that photos cannot push hot pages out.
    media: PageCache,
    /// Error pages, one per status and language.
    errors: errors::ErrorPages,
    counts: Arc<CountsCache>,
    assets: Vec<(String, Arc<CachedBody>)>,
    tallies: tally::TallyDesk,
    tokens: OnceCell<tokens::VoteTokens>,
    crawlers: reads::CrawlerFilter,
    visibility: visibility::Visibility,
    /// Cold work (page builds, store reads for uncached answers) runs
    /// under these permits, so cache hits never queue behind builds.
    cold_work: Semaphore,
    /// Upgrades to the best compression run one at a time, in the background.
    repacking: Arc<Semaphore>,
    repacks_waiting: Arc<AtomicUsize>,
    stats: Stats,
    staff: staff::Staff,
    newsroom: newsroom::Newsroom,
    media_library: media::MediaLibrary,
    /// Where this node is in the change log.
    follower: changes::Follower,
    /// Which cached pages depend on which articles and lists.
    dependencies: changes::Dependencies,
    /// Moves on before each invalidation: a page whose build began before
    /// is served but not kept (it may have read what just changed).
    invalidations: AtomicU64,
    /// Related reading's index, once a full ranking made it.
    related: tokio::sync::Mutex<RelatedState>,
    /// What readers search for, as per-day counts.
    insights: insights::SearchInsights,
    /// This node's search index, following the change log.
    search: Arc<search::SiteSearch>,
    /// Articles changed in the log that related reading has yet to see:
    /// noted by the follower, which never waits for a ranking.
    related_pending: std::sync::Mutex<Vec<i64>>,
}

/// See [`Engine::content_changed`].
#[derive(Default)]
struct RelatedState {
    index: Option<related::index::RelatedIndex>,
}

/// Past this many changed articles at once, a full ranking is as quick.
const RELATED_INCREMENTAL: usize = 2_000;

/// Counters for tests and benchmarks.
#[derive(Debug, Default)]
struct Stats {
    page_builds: AtomicU64,
    error_builds: AtomicU64,
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
/// Pages waiting for their best packing at most.
const REPACK_QUEUE: usize = 256;
/// Bytes of media kept in memory at most.
const MEDIA_CACHE_BYTES: u64 = 64 << 20;

/// What a page path's query means to the cache: nothing, unless the page
/// takes a cursor and the query has one.
fn after_param(query: Option<&str>) -> Option<&str> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("after="))
}

/// The language a path is in, for error pages.
pub fn lang_of_path(path: &str) -> Lang {
    if path == "/en" || path.starts_with("/en/") {
        Lang::En
    } else {
        Lang::Zh
    }
}

/// Whether a route's page is a list that takes an `after` cursor.
fn pages_by_cursor(route: &PageRoute) -> bool {
    matches!(
        route,
        PageRoute::Channel(_)
            | PageRoute::Topic(_)
            | PageRoute::Tag(_)
            | PageRoute::Author(_)
            | PageRoute::Stream
            | PageRoute::StreamMore
    )
}

impl Engine {
    pub fn new(store: Arc<dyn Store>, theme: Theme, config: SiteConfig) -> Self {
        let immutable = "public, max-age=31536000, immutable";
        let assets = theme
            .assets()
            .all()
            .map(|a| {
                let bytes = if a.url == "/manifest.webmanifest" {
                    with_site_name(&a.bytes, &config)
                } else {
                    a.bytes.clone()
                };
                let cache = if a.fingerprinted {
                    immutable
                } else {
                    "public, max-age=86400"
                };
                let body = CachedBody::new(200, a.content_type, cache, bytes, Packing::Best);
                (a.url.clone(), Arc::new(body))
            })
            .collect();
        let max_group = if config.group_commit {
            tally::MAX_GROUP
        } else {
            1
        };
        let counts = Arc::new(CountsCache::new(config.moods.iter().count()));
        let dropped = counts.clone();
        let tallies = tally::TallyDesk::start(
            store.clone(),
            config.zone.clone(),
            max_group,
            Box::new(move |articles| dropped.committed(articles)),
        );
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let staff = staff::Staff::new(
            store.clone(),
            config.staff.clone(),
            config.clock,
            &config.base_url,
        );
        let search = Arc::new(search::SiteSearch::new(config.search_dir.as_deref()));
        let insights = insights::SearchInsights::new(store.clone(), config.zone.clone());
        let newsroom = newsroom::Newsroom::new(
            store.clone(),
            config.clock,
            &config.base_url,
            search.clone(),
        );
        let media_library = media::MediaLibrary::new(store.clone(), config.clock);
        Engine {
            newsroom,
            media_library,
            store,
            theme,
            pages: PageCache::new(PAGE_MAX_AGE, config.page_cache_bytes),
            media: PageCache::new(Duration::from_secs(3600), MEDIA_CACHE_BYTES),
            errors: errors::ErrorPages::new(),
            counts,
            config,
            assets,
            tallies,
            tokens: OnceCell::new(),
            crawlers: reads::CrawlerFilter::new(),
            visibility: visibility::Visibility::default(),
            // Half the cores: the other half keeps answering from the cache.
            cold_work: Semaphore::new((cores / 2).max(1)),
            repacking: Arc::new(Semaphore::new(1)),
            repacks_waiting: Arc::new(AtomicUsize::new(0)),
            stats: Stats::default(),
            staff,
            follower: changes::Follower::default(),
            dependencies: changes::Dependencies::default(),
            invalidations: AtomicU64::new(0),
            related: tokio::sync::Mutex::new(RelatedState::default()),
            related_pending: std::sync::Mutex::new(Vec::new()),
            search,
            insights,
        }
    }

    /// Accounts, sessions and the audit log.
    pub fn staff(&self) -> &staff::Staff {
        &self.staff
    }

    /// Articles as the newsroom writes them.
    pub fn newsroom(&self) -> &newsroom::Newsroom {
        &self.newsroom
    }

    /// The media library: uploads, variants, deletion.
    pub fn media_library(&self) -> &media::MediaLibrary {
        &self.media_library
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Now, by the site's clock.
    pub fn now(&self) -> i64 {
        self.config.clock.now()
    }

    pub fn config(&self) -> &SiteConfig {
        &self.config
    }

    /// A theme asset: fingerprinted (`/assets/site.<hash>.css`) or at the
    /// site's root (`/favicon.ico`, `/manifest.webmanifest`).
    pub fn asset(&self, path: &str) -> Option<Arc<CachedBody>> {
        self.assets
            .iter()
            .find(|(url, _)| url == path)
            .map(|(_, body)| body.clone())
    }

    /// A newsroom preview: the article page as readers would get it, built
    /// afresh under the cold-work limit and kept nowhere.
    pub async fn preview_page(
        &self,
        article: &gazette_core::Article,
    ) -> Result<Arc<CachedBody>, EngineError> {
        self.cold(pages::preview(self, article)).await
    }

    /// Runs the scheduled publications and take-downs that are due, and
    /// forgets cached pages when any changed what readers see.
    pub async fn run_due_jobs(&self) -> Result<usize, EngineError> {
        let changed = self.newsroom.run_due_jobs(self.now()).await?;
        if changed > 0 {
            self.content_changed().await?;
        }
        Ok(changed)
    }

    /// After this node changed content: follows the change log at once, so
    /// that its own pages and search show the change on the next request
    /// (other nodes follow through `NOTIFY` or their poll), then brings
    /// related reading up to date.
    pub async fn content_changed(&self) -> Result<(), EngineError> {
        self.follow_changes().await?;
        self.search.catch_up(self.store.as_ref()).await?;
        self.update_related().await
    }

    /// After this node saved a draft: its search index follows (a failure
    /// is logged; the next catch-up retries).
    pub async fn drafts_changed(&self) {
        if let Err(error) = self.update_search().await {
            tracing::warn!(%error, "bringing the search index up to date failed");
        }
    }

    /// Brings this node's search index up to the change log (a new index
    /// is filled from the store). How many articles were written.
    pub async fn update_search(&self) -> Result<usize, EngineError> {
        self.search.catch_up(self.store.as_ref()).await
    }

    /// Readers' search results page (never cached), under the cold-work
    /// limit, and how many articles matched.
    pub async fn search_page(
        &self,
        lang: Lang,
        ask: &pages::search::SearchAsk,
    ) -> Result<(Arc<CachedBody>, usize), EngineError> {
        self.cold(pages::search::page(self, lang, ask)).await
    }

    /// Readers' search results as JSON, under the cold-work limit.
    pub async fn search_json(
        &self,
        ask: &pages::search::SearchAsk,
    ) -> Result<serde_json::Value, EngineError> {
        self.cold(pages::search::json(self, ask)).await
    }

    /// Counts a reader's search for the editors' insights (once per asker
    /// and day; nothing that names them is kept). Whether it counted.
    pub async fn note_search(
        &self,
        network_prefix: &str,
        query: &str,
        found: bool,
    ) -> Result<bool, EngineError> {
        self.insights
            .note(&self.tallies, network_prefix, query, found, self.now())
            .await
    }

    /// The editors' search insights: today's and this week's frequent
    /// queries, and those that found nothing.
    pub async fn search_insights(&self, limit: i64) -> Result<insights::Insights, EngineError> {
        self.insights.insights(self.now(), limit).await
    }

    /// Deletes rare queries of days that are over (run hourly).
    pub async fn forget_rare_searches(&self) -> Result<u64, EngineError> {
        self.insights.forget_rare(self.now()).await
    }

    /// This node's search index.
    pub fn site_search(&self) -> &search::SiteSearch {
        &self.search
    }

    /// Related reading after changes: one article at a time through the
    /// index (its list and the lists it enters or leaves, written and their
    /// pages forgotten); the first time, or after too many changes at once,
    /// a full ranking that makes the index. Every node does this for every
    /// change it follows, so each node's index stays the archive's and its
    /// pages show moved lists at once; the lists written are the same.
    pub async fn update_related(&self) -> Result<(), EngineError> {
        let mut related = self.related.lock().await;
        let pending: Vec<i64> = {
            let mut pending = self
                .related_pending
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let mut taken = std::mem::take(&mut *pending);
            taken.sort_unstable();
            taken.dedup();
            taken
        };
        let changed = match related.index.as_mut() {
            Some(index) if pending.len() <= RELATED_INCREMENTAL => {
                let changed = related::update(self.store.as_ref(), index, &pending).await?;
                related::write_lists(self.store.as_ref(), index, &changed).await?;
                changed
            }
            _ => {
                let (changed, index) = related::refresh(self.store.as_ref()).await?;
                related.index = Some(index);
                changed
            }
        };
        drop(related);
        self.invalidations.fetch_add(1, Ordering::AcqRel);
        for id in changed {
            for page in self.dependencies.take(&changes::article_page_key(id)) {
                self.pages.remove(&page);
            }
        }
        Ok(())
    }

    /// Applies the change log since the last number this node applied:
    /// forgets the cached pages each change concerns. How many changes.
    /// The first call (at start-up) only notes where the log is, after
    /// forgetting everything.
    pub async fn follow_changes(&self) -> Result<usize, EngineError> {
        /// Changes read at a time; past [`CATCH_UP_LIMIT`], starting afresh
        /// is cheaper than working through them.
        const BATCH: i64 = 500;
        const CATCH_UP_LIMIT: usize = 5_000;
        let _one_at_a_time = self.follower.applying.lock().await;
        let mut last = self.follower.last();
        if last < 0 {
            let latest = self.store.last_change().await?;
            self.invalidate_all();
            self.follower.set_last(latest);
            return Ok(0);
        }
        let mut applied = 0;
        loop {
            let batch = self.store.changes_after(last, BATCH).await?;
            let Some(newest) = batch.last().map(|c| c.seq) else {
                break;
            };
            applied += batch.len();
            if applied > CATCH_UP_LIMIT {
                let latest = self.store.last_change().await?;
                self.invalidate_all();
                self.follower.set_last(latest);
                return Ok(applied);
            }
            // Drafts saved and photos added change nothing readers see.
            let batch: Vec<_> = batch
                .into_iter()
                .filter(|c| c.kind.seen_by_readers())
                .collect();
            if batch.is_empty() {
                last = newest;
                self.follower.set_last(last);
                continue;
            }
            self.invalidations.fetch_add(1, Ordering::AcqRel);
            let tree = gazette_core::ChannelTree::new(self.store.channels().await?);
            let topics = self.store.topics().await?;
            // The channel tree: every page shows the channel bar.
            if batch
                .iter()
                .any(|c| c.kind == gazette_store::changes::ChangeKind::Channels)
            {
                self.pages.clear();
                self.dependencies.clear();
            }
            // A topic's change: its page, the front page (its card), its
            // channel's page (its link) and its articles' pages (their
            // breadcrumb).
            for id in batch.iter().filter_map(|c| c.topic_id) {
                let topics = self.store.topics().await?;
                let Some(topic) = topics.iter().find(|t| t.id == id) else {
                    continue;
                };
                let mut keys = vec![format!("topic:{}", topic.slug), "home".to_owned()];
                let tree = gazette_core::ChannelTree::new(self.store.channels().await?);
                keys.push(format!(
                    "channel:{}",
                    crate::channels::path_of(&tree, topic.channel_id)
                ));
                keys.extend(
                    self.store
                        .topic_article_ids(id)
                        .await?
                        .into_iter()
                        .map(changes::article_page_key),
                );
                for key in keys {
                    for page in self.dependencies.take(&key) {
                        self.pages.remove(&page);
                    }
                }
            }
            // A slot's change: the pages that show it.
            for key in batch.iter().filter_map(|c| c.slot_key.as_deref()) {
                for dependency in changes::slot_keys(key) {
                    for page in self.dependencies.take(&dependency) {
                        self.pages.remove(&page);
                    }
                }
            }
            // A photo's change: the pages that name it, and its files.
            let photos: Vec<i64> = batch.iter().filter_map(|c| c.media_id).collect();
            if !photos.is_empty() {
                self.media.clear();
                for id in photos {
                    for page in self.dependencies.take(&changes::media_key(id)) {
                        self.pages.remove(&page);
                    }
                }
            }
            let mut articles: Vec<i64> = batch.iter().filter_map(|c| c.article_id).collect();
            articles.sort_unstable();
            articles.dedup();
            for &id in &articles {
                let article = match self.store.article(id).await {
                    Ok(article) => article,
                    Err(StoreError::NotFound) => continue,
                    Err(other) => return Err(other.into()),
                };
                for key in changes::article_dependents(&article, &tree, &topics) {
                    for page in self.dependencies.take(&key) {
                        self.pages.remove(&page);
                    }
                }
            }
            // The error pages suggest the latest articles; the vote
            // endpoints remember which articles are visible.
            self.errors.clear();
            self.visibility.forget();
            self.related_pending
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(articles);
            last = newest;
            self.follower.set_last(last);
        }
        Ok(applied)
    }

    /// Follows the change log from now on: notes where it is, then applies
    /// it whenever the store signals a change from another node, and every
    /// few seconds regardless (a missed signal costs at most that long).
    pub async fn start_following(self: &Arc<Self>) -> Result<(), EngineError> {
        self.follow_changes().await?;
        // Related reading's index, made in the background: publications
        // then update lists one article at a time from the first one.
        let ranking = self.clone();
        tokio::spawn(async move {
            if let Err(error) = ranking.content_changed().await {
                tracing::warn!(%error, "ranking related reading failed");
            }
        });
        let mut signals = self.store.change_signals();
        let poll = if signals.is_some() {
            Duration::from_secs(5)
        } else {
            Duration::from_secs(2)
        };
        let engine = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(poll);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                match signals.as_mut() {
                    Some(signals) => {
                        tokio::select! {
                            _ = tick.tick() => {}
                            signal = signals.recv() => if signal.is_none() { return },
                        }
                    }
                    None => {
                        tick.tick().await;
                    }
                }
                if let Err(error) = engine.follow_changes().await {
                    tracing::warn!(%error, "following the change log failed");
                }
                if let Err(error) = engine.search.catch_up(engine.store.as_ref()).await {
                    tracing::warn!(%error, "bringing the search index up to date failed");
                }
                if let Err(error) = engine.media_library.update_search().await {
                    tracing::warn!(%error, "bringing the photo search up to date failed");
                }
                if let Err(error) = engine.update_related().await {
                    tracing::warn!(%error, "updating related reading failed");
                }
            }
        });
        Ok(())
    }

    /// Forgets every cached page; each is rebuilt on its next request.
    pub fn invalidate_all(&self) {
        self.invalidations.fetch_add(1, Ordering::AcqRel);
        self.pages.clear();
        self.dependencies.clear();
        self.media.clear();
        self.errors.clear();
        self.counts.clear();
        self.visibility.forget();
    }

    /// Runs cold work (store reads, rendering) under the global limit and
    /// the build deadline; waiting for a permit counts against the deadline.
    async fn cold<T>(
        &self,
        work: impl std::future::Future<Output = Result<T, EngineError>>,
    ) -> Result<T, EngineError> {
        within_deadline(async {
            let _permit = self
                .cold_work
                .acquire()
                .await
                .map_err(|_| EngineError::Timeout)?;
            work.await
        })
        .await
    }

    /// The response for a public page path with its raw query string. A
    /// query means nothing but a list page's `after` cursor: every other
    /// parameter (`utm_*`, share-app tags), and a cursor on a page that does
    /// not page, is ignored and the canonical page is answered.
    pub async fn page(&self, path: &str, query: Option<&str>) -> Result<Reply, EngineError> {
        let Some((lang, route)) = PageRoute::parse(path) else {
            return Ok(Reply::Body(self.error_page(lang_of_path(path), 404).await?));
        };
        let cursor = match after_param(query) {
            Some(raw) if pages_by_cursor(&route) => match Cursor::parse(raw) {
                Ok(cursor) => Some(cursor),
                Err(_) => return Ok(Reply::Body(self.error_page(lang, 400).await?)),
            },
            _ => None,
        };
        let key = match cursor {
            Some(c) => format!("{path}?after={}", c.encode()),
            None => path.to_owned(),
        };
        let stale = match self.pages.get(&key) {
            Lookup::Fresh(body) => return Ok(Reply::Body(body)),
            // Held until this request is done with the rebuild, however it ends.
            Lookup::Stale(claim) => Some(claim),
            Lookup::Missing => None,
        };
        let paged = pages_by_cursor(&route);
        let list = changes::list_key(&route);
        let epoch = self.invalidations.load(Ordering::Acquire);
        // Boxed: the build future is large, and inlined it would make every
        // request's future (cache hits included) that large, to be moved
        // through each layer of the router.
        let build = Box::pin(pages::build(self, path, lang, route, cursor, paged));
        let reply = match self.cold(build).await {
            Ok(reply) => reply,
            // Gone, or never there (a made-up tag, a cursor not on the list).
            Err(EngineError::NotFound(_)) => {
                self.pages.remove(&key);
                return Ok(Reply::Body(self.error_page(lang, 404).await?));
            }
            // A rebuild that failed serves the previous copy rather than an
            // error, unless something it may show changed meanwhile.
            Err(error) => match stale {
                Some(old) if self.invalidations.load(Ordering::Acquire) == epoch => {
                    tracing::warn!(%error, "rebuilding a page failed; serving the previous copy");
                    // Kept as it was, and tried again after another while.
                    let again = Arc::new(old.body().renewed());
                    self.pages.insert(key, again.clone());
                    return Ok(Reply::Body(again));
                }
                Some(_) => {
                    self.pages.remove(&key);
                    return Err(error);
                }
                None => return Err(error),
            },
        };
        self.stats.page_builds.fetch_add(1, Ordering::Relaxed);
        // Most rebuilds find nothing changed: keep the packed copy (and its
        // Last-Modified) instead of packing the same bytes again.
        let reply = match (reply, stale) {
            (Reply::Body(new), Some(old))
                if new.identity.etag == old.body().identity.etag
                    && new.status == old.body().status =>
            {
                Reply::Body(Arc::new(old.body().renewed()))
            }
            (reply, _) => reply,
        };
        match &reply {
            // Only real pages are kept: made-up paths get the shared error pages.
            // Kept only if nothing was invalidated while it was built: kept
            // first, then checked, so that an invalidation running at the
            // same moment either finds the entry or is seen here.
            Reply::Body(body) if body.status == 200 || body.status == 410 => {
                let keys = changes::page_dependencies(list, &body.identity.bytes);
                if !self.dependencies.register(&key, keys) {
                    self.pages.clear();
                }
                self.pages.insert(key.clone(), body.clone());
                if self.invalidations.load(Ordering::Acquire) == epoch {
                    self.repack_later(key, body.clone());
                } else {
                    self.pages.remove(&key);
                }
            }
            // A page that moved (or became an error) must not keep being
            // served from its old entry.
            _ => self.pages.remove(&key),
        }
        Ok(reply)
    }

    /// Builds a page without the cache (and without keeping it): what a
    /// cold build costs, and what a static export will call.
    pub async fn build_uncached(&self, path: &str) -> Result<Reply, EngineError> {
        let (lang, route) = PageRoute::parse(path)
            .ok_or_else(|| EngineError::NotFound(format!("no page at {path}")))?;
        let paged = pages_by_cursor(&route);
        self.cold(Box::pin(pages::build(self, path, lang, route, None, paged)))
            .await
    }

    /// Packs a kept page again at the best compression, in the background,
    /// one at a time, and swaps it in if the entry is still that page
    /// packed fast by then. At most [`REPACK_QUEUE`] wait: past that a page
    /// keeps its fast packing until its next rebuild.
    fn repack_later(&self, key: String, body: Arc<CachedBody>) {
        if body.gzip.is_none() || body.packing == Packing::Best {
            return;
        }
        if self.repacks_waiting.fetch_add(1, Ordering::AcqRel) >= REPACK_QUEUE {
            self.repacks_waiting.fetch_sub(1, Ordering::AcqRel);
            return;
        }
        let permits = self.repacking.clone();
        let waiting = self.repacks_waiting.clone();
        let pages = self.pages.clone();
        tokio::spawn(async move {
            let permit = permits.acquire_owned().await;
            waiting.fetch_sub(1, Ordering::AcqRel);
            // Evicted, replaced or already repacked meanwhile: nothing to do.
            if permit.is_err() || !pages.awaits_best_packing(&key, &body) {
                return;
            }
            let best = cache::off_the_workers(move || Arc::new(body.repacked_best())).await;
            pages.upgrade(&key, best);
        });
    }

    /// A fresh cached body for a page path, without building anything: the
    /// server's fast path. `None` sends the request the long way round.
    pub fn cached_page(&self, path: &str, query: Option<&str>) -> Option<Arc<CachedBody>> {
        let page = self.pages.servable(path)?;
        match after_param(query) {
            Some(raw) if page.paged => {
                let cursor = Cursor::parse(raw).ok()?;
                self.pages
                    .servable(&format!("{path}?after={}", cursor.encode()))
            }
            _ => Some(page),
        }
    }

    /// The error page for a status (400, 404, 405, 413, 429, 503) in a
    /// language: built once, kept, and rebuilt at most once a minute (the
    /// 404 page suggests the latest articles).
    pub async fn error_page(
        &self,
        lang: Lang,
        status: u16,
    ) -> Result<Arc<CachedBody>, EngineError> {
        self.errors
            .get_or_build(lang, status, || async {
                self.stats.error_builds.fetch_add(1, Ordering::Relaxed);
                self.cold(pages::error_page(self, lang, status)).await
            })
            .await
    }

    /// The 404 page in Chinese, for paths the web layer itself found nothing at.
    pub async fn not_found(&self) -> Result<Arc<CachedBody>, EngineError> {
        self.error_page(Lang::Zh, 404).await
    }

    /// The vote token signer, loaded from the store once.
    pub(crate) async fn tokens(&self) -> Result<&tokens::VoteTokens, EngineError> {
        Ok(self
            .tokens
            .get_or_try_init(|| tokens::VoteTokens::load(self.store.as_ref()))
            .await?)
    }

    /// An article's mood counts as JSON, cached until a vote for it
    /// commits. `None` unless it is published.
    pub async fn mood_counts(&self, id: i64) -> Result<Option<Arc<CachedBody>>, EngineError> {
        if let Some(body) = self.counts.get(id, CountsView::Json) {
            return Ok(Some(body));
        }
        let epoch = self.counts.epoch(id);
        let Some(body) = self.cold(self.read_mood_counts(id)).await? else {
            return Ok(None);
        };
        self.counts.keep(id, CountsView::Json, epoch, body.clone());
        Ok(Some(body))
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
            Packing::Fast,
        ))))
    }

    /// A media file by its name, cached apart from pages: `12.jpg` (the
    /// stable address: the current file), `12-HASH.jpg` (that file),
    /// `12-HASH-720.webp` (a variant) or `12-HASH-card.jpg` (the share card).
    pub async fn media(&self, file: &str) -> Result<Option<Arc<CachedBody>>, EngineError> {
        let Some(name) = media::files::MediaName::parse(file) else {
            return Ok(None);
        };
        let key = format!("/media/{file}");
        match self.media.get(&key) {
            Lookup::Fresh(body) => return Ok(Some(body)),
            Lookup::Stale(claim) => return Ok(Some(claim.body().clone())),
            Lookup::Missing => {}
        }
        let body = self
            .cold(async {
                let Some((content_type, bytes)) =
                    media::files::read(self.store.as_ref(), &name).await?
                else {
                    return Ok(None);
                };
                // The type is the one stored when the file was checked, never
                // the name's; a type not on this list is not served.
                let Some(content_type) = media_type(&content_type) else {
                    return Ok(None);
                };
                let cache_control = name.cache_control();
                let pack =
                    move || CachedBody::new(200, content_type, cache_control, bytes, Packing::Best);
                Ok(Some(Arc::new(cache::off_the_workers(pack).await)))
            })
            .await?;
        if let Some(body) = &body {
            self.media.insert(key, body.clone());
        }
        Ok(body)
    }

    /// How many pages were built and how many error pages (for tests and benchmarks).
    pub fn build_counts(&self) -> (u64, u64) {
        (
            self.stats.page_builds.load(Ordering::Relaxed),
            self.stats.error_builds.load(Ordering::Relaxed),
        )
    }

    /// Entries and bytes in the page cache (for tests and benchmarks).
    pub fn page_cache_size(&self) -> (u64, u64) {
        (self.pages.len(), self.pages.weighted_size())
    }
}

/// The theme's web app manifest with the site's own name (the theme's
/// file as it is if it is not a JSON object).
fn with_site_name(manifest: &[u8], config: &SiteConfig) -> Vec<u8> {
    let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_slice(manifest) else {
        return manifest.to_vec();
    };
    fields.insert("name".into(), config.name_zh.clone().into());
    fields.insert("short_name".into(), config.name_zh.clone().into());
    serde_json::to_vec_pretty(&fields).unwrap_or_else(|_| manifest.to_vec())
}

/// The media types Gazette serves, as static strings for the header.
fn media_type(stored: &str) -> Option<&'static str> {
    [
        "image/svg+xml",
        "image/png",
        "image/jpeg",
        "image/webp",
        "image/gif",
    ]
    .into_iter()
    .find(|known| *known == stored)
}
