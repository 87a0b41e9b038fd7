//! Channel, topic, tag and author pages: a heading over a paginated list.

use super::{LIST_CACHE, LIST_PAGE, Page};
use crate::{EngineError, Reply};
use gazette_core::{Cursor, Lang, Permalink, Slug, Tag};
use gazette_render::view::{Image, Link, ListPage};
use gazette_store::{ArticleFilter, StoreError};

/// What differs between list pages; the rest is shared.
struct Listing {
    kind: &'static str,
    canonical: String,
    /// The same page in the other language, when it exists there.
    other: Option<String>,
    channel: Option<i64>,
    breadcrumb: Vec<Link>,
    heading: String,
    description: Option<String>,
    image: Option<Image>,
    subnav: Vec<Link>,
    /// A special topic's sections (its id), shown on its first page.
    topic_sections: Option<i64>,
    filter: ArticleFilter,
}

fn other_lang(lang: Lang) -> Lang {
    match lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    }
}

pub(super) async fn channel(
    page: &Page<'_>,
    slugs: &[Slug],
    cursor: Option<Cursor>,
) -> Result<Reply, EngineError> {
    let ctx = &page.ctx;
    let Some(channel) = ctx.tree.find_by_path(slugs) else {
        // A path the channel had before a rename, a move or its retirement.
        let path = slugs
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("/");
        return match page.engine.store.channel_redirect(&path).await? {
            Some(id) if ctx.tree.get(id).is_some() => {
                Ok(Reply::Moved(Permalink::channel(ctx.lang, ctx.tree, id)))
            }
            _ => Err(StoreError::NotFound.into()),
        };
    };
    let mut breadcrumb = ctx.trail(Some(channel.id));
    breadcrumb.pop();
    let mut subnav: Vec<Link> = ctx
        .tree
        .children(channel.id)
        .filter_map(|c| ctx.channel_link(c.id))
        .collect();
    let topics = page.content.topics().await?;
    subnav.extend(
        topics
            .iter()
            .filter(|t| t.channel_id == channel.id)
            .map(|t| Link {
                label: t.title(ctx.lang).to_owned(),
                url: Permalink::topic(ctx.lang, &t.slug),
            }),
    );
    let listing = Listing {
        kind: "channel",
        canonical: Permalink::channel(ctx.lang, ctx.tree, channel.id),
        other: Some(Permalink::channel(
            other_lang(ctx.lang),
            ctx.tree,
            channel.id,
        )),
        channel: Some(channel.id),
        breadcrumb,
        heading: channel.name(ctx.lang).to_owned(),
        description: None,
        image: None,
        subnav,
        topic_sections: None,
        filter: ArticleFilter::Channel(channel.id),
    };
    render(page, listing, cursor).await
}

pub(super) async fn topic(
    page: &Page<'_>,
    slug: &Slug,
    cursor: Option<Cursor>,
) -> Result<Reply, EngineError> {
    let ctx = &page.ctx;
    let topics = page.content.topics().await?;
    let topic = topics
        .iter()
        .find(|t| &t.slug == slug)
        .ok_or(StoreError::NotFound)?;
    let listing = Listing {
        kind: "topic",
        canonical: Permalink::topic(ctx.lang, slug),
        other: Some(Permalink::topic(other_lang(ctx.lang), slug)),
        channel: Some(topic.channel_id),
        breadcrumb: ctx.trail(Some(topic.channel_id)),
        heading: topic.title(ctx.lang).to_owned(),
        description: Some(topic.description(ctx.lang).to_owned()),
        image: topic.cover.as_ref().map(|c| ctx.image(c)),
        subnav: Vec::new(),
        topic_sections: Some(topic.id),
        filter: ArticleFilter::Topic(topic.id),
    };
    render(page, listing, cursor).await
}

pub(super) async fn tag(
    page: &Page<'_>,
    tag: &Tag,
    cursor: Option<Cursor>,
) -> Result<Reply, EngineError> {
    let ctx = &page.ctx;
    let listing = Listing {
        kind: "tag",
        canonical: Permalink::tag(ctx.lang, tag),
        other: None,
        channel: None,
        breadcrumb: ctx.trail(None),
        heading: tag.to_string(),
        description: None,
        image: None,
        subnav: Vec::new(),
        topic_sections: None,
        filter: ArticleFilter::Tag(tag.clone()),
    };
    render(page, listing, cursor).await
}

pub(super) async fn author(
    page: &Page<'_>,
    slug: &Slug,
    cursor: Option<Cursor>,
) -> Result<Reply, EngineError> {
    let ctx = &page.ctx;
    let person = page.content.person_by_slug(slug.as_str()).await?;
    let listing = Listing {
        kind: "author",
        canonical: Permalink::author(ctx.lang, slug),
        other: Some(Permalink::author(other_lang(ctx.lang), slug)),
        channel: None,
        breadcrumb: ctx.trail(None),
        heading: person.name_in(ctx.lang).to_owned(),
        description: person.affiliation_in(ctx.lang).map(str::to_owned),
        image: None,
        subnav: Vec::new(),
        topic_sections: None,
        filter: ArticleFilter::Person(person.id),
    };
    render(page, listing, cursor).await
}

async fn render(
    page: &Page<'_>,
    listing: Listing,
    cursor: Option<Cursor>,
) -> Result<Reply, EngineError> {
    let ctx = &page.ctx;
    if let Some(moved) = page.redirect_unless(&listing.canonical, cursor) {
        return Ok(moved);
    }
    if let Some(cursor) = cursor {
        let listed = page
            .content
            .cursor_listed(&listing.filter, ctx.lang, page.now, cursor)
            .await?;
        page.check_listed(listed)?;
    }
    let mut items = page
        .content
        .list_articles(&listing.filter, ctx.lang, page.now, cursor, LIST_PAGE + 1)
        .await?;
    let more = items.len() as i64 > LIST_PAGE;
    items.truncate(LIST_PAGE as usize);
    // A tag nobody uses is not a page; an empty channel or topic still is.
    if items.is_empty() && cursor.is_none() && listing.kind == "tag" {
        return Err(StoreError::NotFound.into());
    }
    let next_url = items.last().filter(|_| more).map(|last| {
        let next = Cursor {
            published_at: last.published_at,
            id: last.id,
        };
        format!("{}?after={}", listing.canonical, next.encode())
    });
    let description = listing
        .description
        .clone()
        .unwrap_or_else(|| listing.heading.clone());
    let mut meta = ctx.meta(
        ctx.title(&listing.heading),
        description,
        &listing.canonical,
        listing.other.as_deref(),
    );
    // The list's own feeds before the site's (tags have none).
    if listing.kind != "tag" {
        let mut feeds = ctx.feed_links(&listing.canonical, &listing.heading);
        feeds.append(&mut meta.feeds);
        meta.feeds = feeds;
    }
    let view = ListPage {
        site: ctx.site(listing.channel, listing.other.clone()),
        meta,
        kind: listing.kind.to_owned(),
        breadcrumb: listing.breadcrumb,
        heading: listing.heading,
        description: listing.description,
        image: listing.image,
        subnav: listing.subnav,
        sections: match (listing.topic_sections, cursor.is_none()) {
            (Some(topic), true) => topic_sections(page, topic).await?,
            _ => Vec::new(),
        },
        items: ctx.cards(&items),
        next_url,
        sidebar: page.sidebar().await?,
    };
    page.render(200, LIST_CACHE, "list.html", &view).await
}

/// A topic's sections with the articles readers may see, in the
/// newsroom's order (sections left empty are not shown).
async fn topic_sections(
    page: &Page<'_>,
    topic: i64,
) -> Result<Vec<gazette_render::view::TopicSectionView>, EngineError> {
    let ctx = &page.ctx;
    let mut out = Vec::new();
    for section in page.engine.store.topic_sections(topic).await? {
        let mut articles = Vec::new();
        for id in &section.article_ids {
            match page.content.article(*id).await {
                Ok(a)
                    if a.status == gazette_core::ArticleStatus::Published
                        && a.summary.published_at <= page.now
                        && a.summary.lang == ctx.lang =>
                {
                    articles.push(a.summary)
                }
                Ok(_) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if !articles.is_empty() {
            out.push(gazette_render::view::TopicSectionView {
                title: match ctx.lang {
                    Lang::Zh => section.title_zh,
                    Lang::En => section.title_en,
                },
                items: ctx.cards(&articles),
            });
        }
    }
    Ok(out)
}
