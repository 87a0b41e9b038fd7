//! The home page: a lead story (头条) over a row of top stories, the latest
//! headlines, topics, a block per top-level channel, the sidebar and the
//! photo stream. Curated slots (`headline`, `top-stories`) decide the lead
//! and the top stories when the newsroom has set them; otherwise the newest
//! stories with a picture do. No story appears twice near the top.

use super::{LIST_CACHE, Page};
use crate::{EngineError, Reply};
use gazette_core::{ArticleSummary, Lang, Permalink, SlotKey};
use gazette_render::view::{HomePage, Section};
use gazette_store::{ArticleFilter, StoreError};
use std::collections::HashSet;

const TOP: usize = 3;
const LATEST: usize = 12;
const PER_SECTION: usize = 6;

pub(super) async fn build(page: &Page<'_>) -> Result<Reply, EngineError> {
    let ctx = &page.ctx;
    let store = page.content;
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
            (1 + TOP + LATEST + TOP) as i64,
        )
        .await?;
    let pictured = newest.iter().filter(|a| a.cover.is_some());
    let lead = match curated(page, SlotKey::HEADLINE).await?.into_iter().next() {
        Some(article) => Some(article),
        None => pictured.clone().next().cloned(),
    };
    let mut shown: HashSet<i64> = lead.iter().map(|a| a.id).collect();
    let mut top: Vec<ArticleSummary> = curated(page, SlotKey::TOP_STORIES).await?;
    top.retain(|a| !shown.contains(&a.id));
    if top.is_empty() {
        top = pictured
            .filter(|a| !shown.contains(&a.id))
            .cloned()
            .collect();
    }
    top.truncate(TOP);
    shown.extend(top.iter().map(|a| a.id));
    let latest: Vec<ArticleSummary> = newest
        .iter()
        .filter(|a| !shown.contains(&a.id))
        .take(LATEST)
        .cloned()
        .collect();
    let mut sections = Vec::new();
    for channel in ctx.tree.roots() {
        let mut items = store
            .list_articles(
                &ArticleFilter::Channel(channel.id),
                ctx.lang,
                page.now,
                None,
                (PER_SECTION + 1 + TOP) as i64,
            )
            .await?;
        items.retain(|a| !shown.contains(&a.id));
        items.truncate(PER_SECTION);
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
    // The sidebar's slots do not repeat the stories at the top.
    let above: Vec<String> = lead
        .iter()
        .chain(&top)
        .map(|a| Permalink::article(ctx.tree, a))
        .collect();
    let sidebar = page.sidebar_without(&above, None).await?;
    let mut site = ctx.site(None, Some(other.clone()));
    site.section = "home".into();
    let view = HomePage {
        site,
        meta: ctx.meta(name, description, &canonical, Some(&other)),
        lead: lead.as_ref().map(|a| ctx.card(a)),
        top: ctx.cards(&top),
        latest: ctx.cards(&latest),
        sections,
        topics: topics.iter().map(|t| ctx.topic_card(t)).collect(),
        sidebar,
        stream: page.stream(None).await?,
    };
    page.render(200, LIST_CACHE, "home.html", &view).await
}

/// The live entries of a curated slot, in the newsroom's order; none if
/// the slot is not set up.
async fn curated(page: &Page<'_>, key: &str) -> Result<Vec<ArticleSummary>, EngineError> {
    match page.slot_articles(key).await {
        Ok((_, articles)) => Ok(articles),
        Err(StoreError::NotFound) => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}
