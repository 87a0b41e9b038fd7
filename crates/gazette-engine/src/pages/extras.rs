//! The photo stream page, the ranking page (most read and moods), and the
//! 404 and 410 pages.

use super::{GONE_CACHE, LIST_CACHE, NOT_FOUND_CACHE, Page};
use crate::views::Ctx;
use crate::{CachedBody, Engine, EngineError, Reply};
use gazette_core::{Article, ChannelTree, Cursor, Lang, Permalink};
use gazette_render::view::{ErrorPage, RankingPage, StreamFragment, StreamPage};
use gazette_store::ArticleFilter;
use std::sync::Arc;

pub(super) async fn stream(page: &Page<'_>, cursor: Option<Cursor>) -> Result<Reply, EngineError> {
    let ctx = &page.ctx;
    let canonical = Permalink::stream(ctx.lang);
    if let Some(moved) = page.redirect_unless(&canonical, cursor) {
        return Ok(moved);
    }
    check_stream_cursor(page, cursor).await?;
    let stream = page.stream(cursor).await?;
    let title = match ctx.lang {
        Lang::Zh => "推荐阅读",
        Lang::En => "Recommended",
    };
    let mut site = ctx.site(None, None);
    site.section = "stream".into();
    let view = StreamPage {
        site,
        meta: ctx.meta(ctx.title(title), title.to_owned(), &canonical, None),
        breadcrumb: ctx.trail(None),
        stream,
    };
    page.render(200, LIST_CACHE, "stream.html", &view).await
}

/// The items after `cursor` as a fragment for "load more".
pub(super) async fn stream_more(
    page: &Page<'_>,
    cursor: Option<Cursor>,
) -> Result<Reply, EngineError> {
    if let Some(moved) = page.redirect_unless(&Permalink::stream_more(page.ctx.lang), cursor) {
        return Ok(moved);
    }
    check_stream_cursor(page, cursor).await?;
    let stream = page.stream(cursor).await?;
    let view = StreamFragment {
        site: page.ctx.site(None, None),
        stream,
    };
    page.render(200, LIST_CACHE, "stream_more.html", &view)
        .await
}

/// A stream cursor must name a photo item of the stream.
async fn check_stream_cursor(page: &Page<'_>, cursor: Option<Cursor>) -> Result<(), EngineError> {
    let Some(cursor) = cursor else {
        return Ok(());
    };
    let listed = page
        .content
        .photo_cursor_listed(page.ctx.lang, page.now, cursor)
        .await?;
    page.check_listed(listed)
}

pub(super) async fn ranking(page: &Page<'_>) -> Result<Reply, EngineError> {
    let ctx = &page.ctx;
    let canonical = Permalink::ranking(ctx.lang);
    if let Some(moved) = page.redirect_unless(&canonical, None) {
        return Ok(moved);
    }
    let most_read = vec![
        page.read_ranking("today", 0, 10).await?,
        page.read_ranking("week", 6, 10).await?,
        page.read_ranking("month", 29, 10).await?,
    ];
    let periods = vec![
        page.ranking_period("today", 0, 10).await?,
        page.ranking_period("week", 6, 10).await?,
        page.ranking_period("month", 29, 10).await?,
    ];
    let title = match ctx.lang {
        Lang::Zh => "排行榜",
        Lang::En => "Rankings",
    };
    let mut site = ctx.site(None, None);
    site.section = "ranking".into();
    let view = RankingPage {
        site,
        meta: ctx.meta(ctx.title(title), title.to_owned(), &canonical, None),
        breadcrumb: ctx.trail(None),
        most_read,
        periods,
    };
    page.render(200, LIST_CACHE, "ranking.html", &view).await
}

/// The 410 page of a retracted article: its title and the notice.
pub(super) async fn gone(page: &Page<'_>, article: &Article) -> Result<Reply, EngineError> {
    let body = render_error(page.engine, &page.ctx, 410, Some(article)).await?;
    Ok(Reply::Body(body))
}

/// The error page for `status` (404 and the other 4xx), offering the
/// latest articles. The engine keeps one per status and language.
pub(crate) async fn error_page(
    engine: &Engine,
    lang: Lang,
    status: u16,
) -> Result<Arc<CachedBody>, EngineError> {
    let tree = ChannelTree::new(engine.store.channels().await?);
    let ctx = Ctx::new(engine, lang, &tree);
    render_error(engine, &ctx, status, None).await
}

async fn render_error(
    engine: &Engine,
    ctx: &Ctx<'_>,
    status: u16,
    retracted: Option<&Article>,
) -> Result<Arc<CachedBody>, EngineError> {
    let latest = engine
        .store
        .list_articles(&ArticleFilter::All, ctx.lang, engine.now(), None, 8)
        .await?;
    let title = match (status, ctx.lang) {
        (410, Lang::Zh) => "此文已撤稿",
        (410, Lang::En) => "Retracted",
        (400, Lang::Zh) => "请求有误",
        (400, Lang::En) => "Bad request",
        (403, Lang::Zh) => "无法完成此请求",
        (403, Lang::En) => "This request cannot be completed",
        (405, Lang::Zh) => "不支持的请求方式",
        (405, Lang::En) => "Method not allowed",
        (413, Lang::Zh) => "请求内容过大",
        (413, Lang::En) => "Request too large",
        (414, Lang::Zh) => "网址过长",
        (414, Lang::En) => "Address too long",
        (429, Lang::Zh) => "请求过于频繁",
        (429, Lang::En) => "Too many requests",
        (503, Lang::Zh) => "服务繁忙",
        (503, Lang::En) => "Service busy",
        (_, Lang::Zh) => "页面未找到",
        (_, Lang::En) => "Page not found",
    };
    let mut meta = ctx.meta(
        ctx.title(title),
        title.to_owned(),
        &Permalink::home(ctx.lang),
        None,
    );
    meta.alternates.clear();
    let view = ErrorPage {
        site: ctx.site(None, None),
        meta,
        status,
        retracted_title: retracted.map(|a| a.summary.title.clone()),
        retraction_note: retracted.and_then(|a| a.retraction_note.clone()),
        suggestions: ctx.cards(&latest),
    };
    let cache = match status {
        410 => GONE_CACHE,
        404 => NOT_FOUND_CACHE,
        _ => "no-store",
    };
    super::render(engine, status, cache, "error.html", &view, false).await
}
