//! One builder per page kind. Each gathers its data from the store, maps it
//! to view models, checks that the request used the page's canonical path
//! (redirecting if not), renders and packs the bytes for the cache.

mod article;
mod extras;
mod feeds;
mod gallery;
mod home;
mod lists;
pub mod search;

pub(crate) use extras::error_page;

use crate::views::Ctx;
use crate::{CachedBody, Engine, EngineError, Reply};
use gazette_core::{ChannelTree, Cursor, Lang, PageRoute, Permalink};
use gazette_render::view::{
    MoodRanking, RankedItem, RankingPeriod, ReadRanking, Sidebar, SlotView, StreamView,
};
use gazette_store::{ContentStore, Counter, CounterStore, PublishingStore, StoreError};
use serde::Serialize;
use std::sync::Arc;

/// Articles and lists are kept short by outside caches (browsers, a CDN):
/// a retracted or taken-down article may live on there at most this long
/// (max-age plus stale-while-revalidate: 90 and 60 seconds).
pub(crate) const ARTICLE_CACHE: &str = "public, max-age=60, stale-while-revalidate=30";
pub(crate) const LIST_CACHE: &str = "public, max-age=30, stale-while-revalidate=30";
pub(crate) const NOT_FOUND_CACHE: &str = "public, max-age=60";
pub(crate) const GONE_CACHE: &str = "public, max-age=3600";
const HTML: &str = "text/html; charset=utf-8";

/// Items per page of a list and of the photo stream.
pub(crate) const LIST_PAGE: i64 = 12;
pub(crate) const STREAM_PAGE: i64 = 8;

/// A page being built: the engine, the areas of the store a page reads,
/// its view context, the clock and the path asked for.
pub(crate) struct Page<'a> {
    pub engine: &'a Engine,
    /// Channels, articles and their lists, related reading, slots, the stream.
    pub content: &'a dyn ContentStore,
    /// Readers' votes and reads, and the rankings drawn from them.
    pub counters: &'a dyn CounterStore,
    /// The public update log of live articles.
    pub updates: &'a dyn PublishingStore,
    pub ctx: Ctx<'a>,
    pub now: i64,
    pub path: &'a str,
    /// The page is a list that takes a cursor.
    pub paged: bool,
    /// Entries a curator has not saved yet, shown in place of a slot's
    /// stored ones (the curation page's preview; never cached).
    pub slot_preview: Option<&'a SlotPreview>,
}

/// A slot's entries as a curator is setting them.
#[derive(Debug, Clone)]
pub struct SlotPreview {
    pub key: String,
    pub entries: Vec<gazette_store::curation::SlotEntryInput>,
}

impl<'a> Page<'a> {
    fn new(
        engine: &'a Engine,
        lang: Lang,
        tree: &'a ChannelTree,
        path: &'a str,
        paged: bool,
    ) -> Self {
        Page {
            engine,
            content: engine.store.as_ref(),
            counters: engine.store.as_ref(),
            updates: engine.store.as_ref(),
            ctx: Ctx::new(engine, lang, tree),
            now: engine.now(),
            path,
            paged,
            slot_preview: None,
        }
    }
}

/// The home page with a slot's unsaved entries, for the curation page's
/// preview: built afresh and never cached.
pub(crate) async fn preview_home(
    engine: &Engine,
    lang: Lang,
    preview: &SlotPreview,
) -> Result<Arc<CachedBody>, EngineError> {
    let tree = ChannelTree::new(engine.store.channels().await?);
    let path = Permalink::home(lang);
    let mut page = Page::new(engine, lang, &tree, &path, false);
    page.slot_preview = Some(preview);
    match home::build(&page).await? {
        Reply::Body(body) => Ok(body),
        Reply::Moved(to) => Err(EngineError::NotFound(format!("preview moved to {to}"))),
    }
}

pub(crate) async fn build(
    engine: &Engine,
    path: &str,
    lang: Lang,
    route: PageRoute,
    cursor: Option<Cursor>,
    paged: bool,
) -> Result<Reply, EngineError> {
    let tree = ChannelTree::new(engine.store.channels().await?);
    let page = Page::new(engine, lang, &tree, path, paged);
    let reply = match route {
        PageRoute::Home => home::build(&page).await,
        PageRoute::Channel(slugs) => lists::channel(&page, &slugs, cursor).await,
        PageRoute::Article { id, .. } => article::build(&page, id).await,
        PageRoute::Topic(slug) => lists::topic(&page, &slug, cursor).await,
        PageRoute::Tag(tag) => lists::tag(&page, &tag, cursor).await,
        PageRoute::Author(slug) => lists::author(&page, &slug, cursor).await,
        PageRoute::Stream => extras::stream(&page, cursor).await,
        PageRoute::StreamMore => extras::stream_more(&page, cursor).await,
        PageRoute::Ranking => extras::ranking(&page).await,
        PageRoute::Changes(id) => article::changes(&page, id).await,
        PageRoute::Feed(list, format) => feeds::build(&page, &list, format).await,
    };
    match reply {
        Err(EngineError::Store(StoreError::NotFound)) => {
            Err(EngineError::NotFound(format!("no page at {path}")))
        }
        other => other,
    }
}

/// The page an article would have, for the newsroom's preview: rendered
/// like any article page but never cached.
pub(crate) async fn preview(
    engine: &Engine,
    article: &gazette_core::Article,
) -> Result<Arc<CachedBody>, EngineError> {
    let tree = ChannelTree::new(engine.store.channels().await?);
    let lang = article.summary.lang;
    let path = Permalink::article(&tree, &article.summary);
    let page = Page::new(engine, lang, &tree, &path, false);
    match article::preview(&page, article).await? {
        Reply::Body(body) => Ok(body),
        Reply::Moved(to) => Err(EngineError::NotFound(format!("preview moved to {to}"))),
    }
}

impl Page<'_> {
    /// A redirect when the request's path is not the page's canonical one.
    pub fn redirect_unless(&self, canonical: &str, cursor: Option<Cursor>) -> Option<Reply> {
        (self.path != canonical).then(|| {
            Reply::Moved(match cursor {
                Some(c) => format!("{canonical}?after={}", c.encode()),
                None => canonical.to_owned(),
            })
        })
    }

    /// Renders a template into a cacheable body.
    pub async fn render<T: Serialize>(
        &self,
        status: u16,
        cache_control: &'static str,
        template: &str,
        view: &T,
    ) -> Result<Reply, EngineError> {
        Ok(Reply::Body(
            render(
                self.engine,
                status,
                cache_control,
                template,
                view,
                self.paged,
            )
            .await?,
        ))
    }

    /// Checks that a list cursor names an item that is or was on the list
    /// (the store says): made-up cursors are not pages.
    pub fn check_listed(&self, listed: bool) -> Result<(), EngineError> {
        if listed {
            Ok(())
        } else {
            Err(EngineError::NotFound(format!(
                "{}: the cursor names nothing on this list",
                self.path
            )))
        }
    }

    /// The sidebar every page carries: the week's most read, the week's
    /// mood ranking and the slots.
    pub async fn sidebar(&self) -> Result<Sidebar, EngineError> {
        let visual_focus = self.slot(gazette_core::SlotKey::VISUAL_FOCUS).await?;
        let mut exclusive = self.slot(gazette_core::SlotKey::EXCLUSIVE).await?;
        // A story in both slots is shown once, in the first.
        if let (Some(focus), Some(exclusive)) = (&visual_focus, &mut exclusive) {
            exclusive
                .items
                .retain(|card| !focus.items.iter().any(|f| f.url == card.url));
        }
        Ok(Sidebar {
            most_read: self.read_ranking("week", 6, 5).await?,
            ranking: self.ranking_period("week", 6, 5).await?,
            visual_focus,
            exclusive,
        })
    }

    /// The sidebar of a page that already shows the stories at `shown`
    /// (the lead and top stories, or the article being read): its slots
    /// leave them out. `current`, the article being read, is shown in the
    /// rankings without a link, so that a page never promotes itself.
    pub async fn sidebar_without(
        &self,
        shown: &[String],
        current: Option<&str>,
    ) -> Result<Sidebar, EngineError> {
        let mut sidebar = self.sidebar().await?;
        for slot in [&mut sidebar.visual_focus, &mut sidebar.exclusive]
            .into_iter()
            .flatten()
        {
            slot.items.retain(|card| !shown.contains(&card.url));
        }
        let rankings = sidebar
            .ranking
            .moods
            .iter_mut()
            .flat_map(|mood| mood.items.iter_mut())
            .chain(sidebar.most_read.items.iter_mut());
        for item in rankings {
            item.current = current == Some(item.url.as_str());
        }
        Ok(sidebar)
    }

    /// The most-read articles over the last `days_back + 1` days.
    pub async fn read_ranking(
        &self,
        key: &str,
        days_back: i64,
        limit: i64,
    ) -> Result<ReadRanking, EngineError> {
        Ok(ReadRanking {
            key: key.to_owned(),
            items: self.ranked(&Counter::View, days_back, limit).await?,
        })
    }

    /// The mood ranking over the last `days_back + 1` days.
    pub async fn ranking_period(
        &self,
        key: &str,
        days_back: i64,
        limit: i64,
    ) -> Result<RankingPeriod, EngineError> {
        let mut moods = Vec::new();
        for mood in self.ctx.config.moods.iter() {
            moods.push(MoodRanking {
                key: mood.key.clone(),
                icon: mood.icon.clone(),
                label: mood_label(mood, self.ctx.lang),
                items: self
                    .ranked(&Counter::Mood(mood.key.clone()), days_back, limit)
                    .await?,
            });
        }
        Ok(RankingPeriod {
            key: key.to_owned(),
            moods,
        })
    }

    /// The top articles by `counter` over the last `days_back + 1` days in
    /// the site's zone, summed from per-day counts.
    async fn ranked(
        &self,
        counter: &Counter,
        days_back: i64,
        limit: i64,
    ) -> Result<Vec<RankedItem>, EngineError> {
        let zone = &self.ctx.config.zone;
        let ranked = self
            .counters
            .ranking(
                counter,
                self.ctx.lang,
                zone.day_number_before(self.now, days_back),
                zone.day_number(self.now),
                self.now,
                limit,
            )
            .await?;
        Ok(ranked
            .iter()
            .map(|(article, count)| RankedItem {
                title: article.title.clone(),
                url: Permalink::article(self.ctx.tree, article),
                count: *count,
                current: false,
            })
            .collect())
    }

    /// A slot and its live entries, or the curator's unsaved ones for the
    /// slot being previewed (under the same rules: published, started, not
    /// expired, in the page's language, at most the slot's size).
    pub async fn slot_articles(
        &self,
        key: &str,
    ) -> Result<(gazette_core::Slot, Vec<gazette_core::ArticleSummary>), StoreError> {
        let (slot, live) = self.content.slot(key, self.ctx.lang, self.now).await?;
        let Some(preview) = self.slot_preview.filter(|p| p.key == key) else {
            return Ok((slot, live));
        };
        let mut articles = Vec::new();
        for entry in &preview.entries {
            if entry.starts_at.is_some_and(|t| t > self.now)
                || entry.expires_at.is_some_and(|t| t <= self.now)
            {
                continue;
            }
            let article = match self.content.article(entry.article_id).await {
                Ok(article) => article,
                Err(StoreError::NotFound) => continue,
                Err(e) => return Err(e),
            };
            if article.status == gazette_core::ArticleStatus::Published
                && article.summary.published_at <= self.now
                && article.summary.lang == self.ctx.lang
                && (articles.len() as i64) < slot.size_limit
            {
                articles.push(article.summary);
            }
        }
        Ok((slot, articles))
    }

    async fn slot(&self, key: &str) -> Result<Option<SlotView>, EngineError> {
        match self.slot_articles(key).await {
            Ok((slot, articles)) => Ok(Some(SlotView {
                key: slot.key.as_str().to_owned(),
                name: match self.ctx.lang {
                    Lang::Zh => slot.name_zh,
                    Lang::En => slot.name_en,
                },
                items: self.ctx.cards(&articles),
            })),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// A page of the recommended photo stream, with the link to the next.
    pub async fn stream(&self, cursor: Option<Cursor>) -> Result<StreamView, EngineError> {
        self.stream_without(cursor, None).await
    }

    /// A page of the stream leaving out items that lead to `current` (the
    /// article being read), still a full page.
    pub async fn stream_without(
        &self,
        cursor: Option<Cursor>,
        current: Option<i64>,
    ) -> Result<StreamView, EngineError> {
        let mut items = self
            .content
            .photo_items(self.ctx.lang, self.now, cursor, STREAM_PAGE + 2)
            .await?;
        items.retain(|item| current.is_none() || item.article.as_ref().map(|a| a.id) != current);
        let more = items.len() as i64 > STREAM_PAGE;
        items.truncate(STREAM_PAGE as usize);
        let next = items.last().filter(|_| more).map(|last| {
            Cursor {
                published_at: last.published_at,
                id: last.id,
            }
            .encode()
        });
        let after = |base: String| next.as_ref().map(|c| format!("{base}?after={c}"));
        let next_url = after(Permalink::stream(self.ctx.lang));
        let more_url = after(Permalink::stream_more(self.ctx.lang));
        Ok(StreamView {
            items: items
                .iter()
                .map(|item| {
                    let url = item
                        .article
                        .as_ref()
                        .map(|a| Permalink::article_ref(self.ctx.tree, a));
                    self.ctx.photo(item, url)
                })
                .collect(),
            next_url,
            more_url,
        })
    }
}

pub(crate) fn mood_label(mood: &gazette_core::Mood, lang: Lang) -> String {
    match lang {
        Lang::Zh => mood.label_zh.clone(),
        Lang::En => mood.label_en.clone(),
    }
}

pub(crate) async fn render<T: Serialize>(
    engine: &Engine,
    status: u16,
    cache_control: &'static str,
    template: &str,
    view: &T,
    paged: bool,
) -> Result<Arc<CachedBody>, EngineError> {
    let html = engine.theme.render(template, view)?;
    let html =
        crate::media::pictures::add_pictures(engine.store.as_ref(), &engine.config.base_url, html)
            .await?;
    Ok(CachedBody::build_page(status, HTML, cache_control, html.into_bytes(), paged).await)
}
