//! Readers' search: the results page (a GET form that works without
//! JavaScript) and the same results as JSON. Never kept in the page cache:
//! every query is its own answer, and a script must not be able to fill
//! the cache with them. Built under the cold-work limit like any page.

use super::Page;
use crate::views::Ctx;
use crate::{CachedBody, Engine, EngineError, Reply};
use gazette_core::{ArticleRef, ChannelTree, Lang, Permalink, Slug};
use gazette_render::view::{Choice, SearchFilters, SearchHitView, SearchPage};
use gazette_search::{Cursor, Filters, Request, Results, Scope};
use std::sync::Arc;

/// Results per page.
pub const PER_PAGE: usize = 10;
/// Search pages must not be kept by browsers or CDNs either.
const SEARCH_CACHE: &str = "no-store";

/// What a reader asked, as the page's parameters carry it (already
/// decoded; anything unreadable is left out, never an error).
#[derive(Debug, Clone, Default)]
pub struct SearchAsk {
    pub q: String,
    pub channel: Option<i64>,
    pub topic: Option<i64>,
    pub lang: Option<Lang>,
    /// `YYYY-MM-DD`, in the site's zone.
    pub from: Option<String>,
    pub until: Option<String>,
    pub after: Option<String>,
    pub per_page: Option<usize>,
}

impl SearchAsk {
    /// The query string of this search, without its cursor.
    fn query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("q", self.q.clone())];
        if let Some(channel) = self.channel {
            pairs.push(("channel", channel.to_string()));
        }
        if let Some(topic) = self.topic {
            pairs.push(("topic", topic.to_string()));
        }
        if let Some(lang) = self.lang {
            pairs.push(("lang", lang.code().to_owned()));
        }
        if let Some(from) = &self.from {
            pairs.push(("from", from.clone()));
        }
        if let Some(until) = &self.until {
            pairs.push(("until", until.clone()));
        }
        if let Some(per_page) = self.per_page {
            pairs.push(("limit", per_page.to_string()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

fn percent_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Runs a reader's search.
pub(crate) async fn run(
    engine: &Engine,
    tree: &ChannelTree,
    ask: &SearchAsk,
) -> Result<Results, EngineError> {
    let channels: Vec<u64> = ask
        .channel
        .filter(|c| tree.get(*c).is_some())
        .map(|c| tree.subtree(c).into_iter().map(|id| id as u64).collect())
        .unwrap_or_default();
    let zone = &engine.config.zone;
    let day = |date: &Option<String>| date.as_deref().and_then(|d| zone.day_start(d));
    let filters = Filters {
        channels,
        topic: ask.topic.map(|t| t as u64),
        lang: ask.lang.map(|l| l.code().to_owned()),
        from: day(&ask.from),
        // Until a day: up to its end.
        until: day(&ask.until).map(|start| start + 86_400),
    };
    let request = Request {
        query: ask.q.clone(),
        scope: Scope::Public,
        filters,
        after: ask.after.as_deref().and_then(Cursor::decode),
        per_page: ask.per_page.unwrap_or(PER_PAGE),
        now: engine.now(),
    };
    engine.search.search(request).await
}

/// A hit's address, if its slug is still a slug.
fn hit_url(tree: &ChannelTree, hit: &gazette_search::Hit) -> Option<String> {
    Some(Permalink::article_ref(
        tree,
        &ArticleRef {
            id: hit.id as i64,
            lang: Lang::parse(&hit.lang).ok()?,
            slug: Slug::parse(&hit.slug).ok()?,
            channel_id: hit.channel_id as i64,
        },
    ))
}

/// The results page, and how many articles matched.
pub(crate) async fn page(
    engine: &Engine,
    lang: Lang,
    ask: &SearchAsk,
) -> Result<(Arc<CachedBody>, usize), EngineError> {
    let tree = ChannelTree::new(engine.store.channels().await?);
    let path = Permalink::search(lang);
    let page = Page::new(engine, lang, &tree, &path, false);
    let asked = !ask.q.trim().is_empty();
    let results = if asked {
        run(engine, &tree, ask).await?
    } else {
        Results::default()
    };
    let ctx = &page.ctx;
    let topics = engine.store.topics().await?;
    let view = SearchPage {
        site: {
            let mut site = ctx.site(None, None);
            site.query = ask.q.clone();
            site
        },
        meta: {
            let title = match lang {
                Lang::Zh => "搜索",
                Lang::En => "Search",
            };
            let mut meta = ctx.meta(ctx.title(title), title.to_owned(), &path, None);
            meta.noindex = true;
            meta
        },
        breadcrumb: ctx.trail(None),
        query: ask.q.clone(),
        filters: filters_view(ctx, &tree, &topics, ask),
        hits: results
            .hits
            .iter()
            .filter_map(|hit| {
                Some(SearchHitView {
                    url: hit_url(&tree, hit)?,
                    title_html: hit.title_html.clone(),
                    snippet_html: hit.snippet_html.clone(),
                    time: ctx.time(hit.published_at),
                    channel: ctx.channel_link(hit.channel_id as i64),
                })
            })
            .collect(),
        total: results.total,
        asked,
        later_page: ask.after.is_some(),
        next_url: results
            .next
            .map(|next| format!("{path}?{}&after={}", ask.query_string(), next.encode())),
        first_url: ask
            .after
            .is_some()
            .then(|| format!("{path}?{}", ask.query_string())),
    };
    match page.render(200, SEARCH_CACHE, "search.html", &view).await? {
        Reply::Body(body) => Ok((body, results.total)),
        Reply::Moved(to) => Err(EngineError::NotFound(format!("search moved to {to}"))),
    }
}

fn filters_view(
    ctx: &Ctx<'_>,
    tree: &ChannelTree,
    topics: &[gazette_core::Topic],
    ask: &SearchAsk,
) -> SearchFilters {
    let mut channels = Vec::new();
    for root in tree.roots() {
        let mut stack = vec![(root.id, 0usize)];
        while let Some((id, depth)) = stack.pop() {
            let Some(channel) = tree.get(id) else {
                continue;
            };
            channels.push(Choice {
                value: id.to_string(),
                label: format!("{}{}", "— ".repeat(depth), channel.name(ctx.lang)),
                selected: ask.channel == Some(id),
            });
            let children: Vec<i64> = tree.children(id).map(|c| c.id).collect();
            stack.extend(children.into_iter().rev().map(|c| (c, depth + 1)));
        }
    }
    let langs = [(Lang::Zh, "中文"), (Lang::En, "English")]
        .into_iter()
        .map(|(lang, label)| Choice {
            value: lang.code().to_owned(),
            label: label.to_owned(),
            selected: ask.lang == Some(lang),
        })
        .collect();
    SearchFilters {
        channels,
        topics: topics
            .iter()
            .map(|t| Choice {
                value: t.id.to_string(),
                label: t.title(ctx.lang).to_owned(),
                selected: ask.topic == Some(t.id),
            })
            .collect(),
        langs,
        from: ask.from.clone().unwrap_or_default(),
        until: ask.until.clone().unwrap_or_default(),
        any: ask.channel.is_some()
            || ask.topic.is_some()
            || ask.lang.is_some()
            || ask.from.is_some()
            || ask.until.is_some(),
    }
}

/// The results as JSON, for scripts and apps.
pub(crate) async fn json(
    engine: &Engine,
    ask: &SearchAsk,
) -> Result<serde_json::Value, EngineError> {
    let tree = ChannelTree::new(engine.store.channels().await?);
    let results = if ask.q.trim().is_empty() {
        Results::default()
    } else {
        run(engine, &tree, ask).await?
    };
    let zone = &engine.config.zone;
    let hits: Vec<serde_json::Value> = results
        .hits
        .iter()
        .filter_map(|hit| {
            let url = hit_url(&tree, hit)?;
            Some(serde_json::json!({
                "id": hit.id,
                "url": format!("{}{url}", engine.config.base_url),
                "lang": hit.lang,
                "title_html": hit.title_html,
                "snippet_html": hit.snippet_html,
                "published": zone.rfc3339(hit.published_at),
                "channel_id": hit.channel_id,
            }))
        })
        .collect();
    Ok(serde_json::json!({
        "query": ask.q,
        "total": results.total,
        "results": hits,
        "next": results.next.map(|n| n.encode()),
    }))
}
