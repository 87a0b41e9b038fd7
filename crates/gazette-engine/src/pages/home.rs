//! The home page: lead stories, latest headlines, topics, a block per
//! top-level channel, the sidebar and the photo stream.

use super::{LIST_CACHE, Page};
use crate::{EngineError, Reply};
use gazette_core::{Lang, Permalink};
use gazette_render::view::{HomePage, Section};
use gazette_store::ArticleFilter;

const LEAD: usize = 3;
const LATEST: usize = 12;
const PER_SECTION: i64 = 6;

pub(super) async fn build(page: &Page<'_>) -> Result<Reply, EngineError> {
    let ctx = &page.ctx;
    let store = &page.engine.store;
    let canonical = Permalink::home(ctx.lang);
    if let Some(moved) = page.redirect_unless(&canonical, None) {
        return Ok(moved);
    }
    let newest = store
        .list_articles(
            &ArticleFilter::All,
            ctx.lang,
            page.now,
            None,
            (LEAD + LATEST) as i64,
        )
        .await?;
    let (lead, latest) = newest.split_at(newest.len().min(LEAD));
    let mut sections = Vec::new();
    for channel in ctx.tree.roots() {
        let items = store
            .list_articles(
                &ArticleFilter::Channel(channel.id),
                ctx.lang,
                page.now,
                None,
                PER_SECTION,
            )
            .await?;
        if let (Some(link), false) = (ctx.channel_link(channel.id), items.is_empty()) {
            sections.push(Section {
                channel: link,
                items: ctx.cards(&items),
            });
        }
    }
    let topics = store.topics().await?;
    let other_lang = match ctx.lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    let other = Permalink::home(other_lang);
    let name = ctx.config.name(ctx.lang).to_owned();
    let description = match ctx.lang {
        Lang::Zh => format!("{name}：新闻、专题与图片报道"),
        Lang::En => format!("{name}: news, specials and photo stories"),
    };
    let mut site = ctx.site(None, Some(other.clone()));
    site.section = "home".into();
    let view = HomePage {
        site,
        meta: ctx.meta(name, description, &canonical, Some(&other)),
        lead: ctx.cards(lead),
        latest: ctx.cards(latest),
        sections,
        topics: topics.iter().map(|t| ctx.topic_card(t)).collect(),
        sidebar: page.sidebar().await?,
        stream: page.stream(None).await?,
    };
    page.render(200, LIST_CACHE, "home.html", &view).await
}
