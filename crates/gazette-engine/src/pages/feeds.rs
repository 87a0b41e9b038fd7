//! Feeds: RSS 2.0, Atom and JSON Feed 1.1 of the site (its front page's
//! list: every article in the language), each channel, each special
//! topic and each author, at the list's address plus `feed.xml`,
//! `atom.xml` or `feed.json`. The twenty latest articles, with their whole
//! body (or the summary only: `feeds_full_text = false`), absolute links
//! and dates in the site's zone. Built with the rss and atom_syndication
//! crates (which escape, and split `]]>` out of CDATA) and serde_json;
//! characters XML cannot carry (control characters) are dropped first.
//! Cached and forgotten like the list they follow.

use super::{LIST_CACHE, Page};
use crate::{CachedBody, EngineError, Reply};
use gazette_core::{Article, FeedFormat, Lang, PageRoute, Permalink};
use gazette_store::{ArticleFilter, StoreError};

/// Articles in a feed.
pub(crate) const FEED_ITEMS: i64 = 20;

/// The list a feed follows.
struct Source {
    title: String,
    description: String,
    /// The list page's path.
    page: String,
    filter: ArticleFilter,
}

async fn source(page: &Page<'_>, list: &PageRoute) -> Result<Source, EngineError> {
    let ctx = &page.ctx;
    let site = ctx.config.name(ctx.lang).to_owned();
    Ok(match list {
        PageRoute::Home => Source {
            description: site.clone(),
            title: site,
            page: Permalink::home(ctx.lang),
            filter: ArticleFilter::All,
        },
        PageRoute::Channel(slugs) => {
            let channel = ctx.tree.find_by_path(slugs).ok_or(StoreError::NotFound)?;
            let name = channel.name(ctx.lang);
            Source {
                title: format!("{name} - {site}"),
                description: name.to_owned(),
                page: Permalink::channel(ctx.lang, ctx.tree, channel.id),
                filter: ArticleFilter::Channel(channel.id),
            }
        }
        PageRoute::Topic(slug) => {
            let topics = page.content.topics().await?;
            let topic = topics
                .iter()
                .find(|t| &t.slug == slug)
                .ok_or(StoreError::NotFound)?;
            Source {
                title: format!("{} - {site}", topic.title(ctx.lang)),
                description: topic.description(ctx.lang).to_owned(),
                page: Permalink::topic(ctx.lang, slug),
                filter: ArticleFilter::Topic(topic.id),
            }
        }
        PageRoute::Author(slug) => {
            let person = page.content.person_by_slug(slug.as_str()).await?;
            let name = person.name_in(ctx.lang);
            Source {
                title: format!("{name} - {site}"),
                description: person.affiliation_in(ctx.lang).unwrap_or(name).to_owned(),
                page: Permalink::author(ctx.lang, slug),
                filter: ArticleFilter::Person(person.id),
            }
        }
        _ => return Err(StoreError::NotFound.into()),
    })
}

/// Text as XML 1.0 can carry it: without the control characters it
/// forbids (tabs and line breaks stay) and without U+FFFE and U+FFFF.
pub(crate) fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|c| {
            matches!(c, '\t' | '\n' | '\r')
                || (!c.is_control() && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        })
        .collect()
}

/// One article as every format needs it.
struct Entry {
    url: String,
    title: String,
    summary: String,
    /// Body HTML with absolute links, when feeds carry whole articles.
    html: Option<String>,
    published: i64,
    updated: i64,
    authors: Vec<String>,
    tags: Vec<String>,
}

/// Body HTML whose site-relative links and images are absolute (a feed
/// reader has no page to resolve them against).
fn absolute_links(html: &str, base: &str) -> String {
    html.replace("src=\"/", &format!("src=\"{base}/"))
        .replace("href=\"/", &format!("href=\"{base}/"))
}

fn entry(page: &Page<'_>, article: &Article, full: bool) -> Entry {
    let ctx = &page.ctx;
    let base = &ctx.config.base_url;
    let summary = &article.summary;
    Entry {
        url: ctx.absolute(&Permalink::article(ctx.tree, summary)),
        title: xml_safe(&summary.title),
        summary: xml_safe(&summary.summary),
        html: full.then(|| {
            xml_safe(&absolute_links(
                &gazette_render::body::sanitize(&article.body),
                base,
            ))
        }),
        published: summary.published_at,
        updated: article.updated_at.max(summary.published_at),
        authors: article
            .credits
            .authors
            .iter()
            .map(|p| xml_safe(p.name_in(ctx.lang)))
            .collect(),
        tags: article.tags.iter().map(|t| xml_safe(t.as_str())).collect(),
    }
}

pub(super) async fn build(
    page: &Page<'_>,
    list: &PageRoute,
    format: FeedFormat,
) -> Result<Reply, EngineError> {
    let source = source(page, list).await?;
    let canonical = Permalink::feed(&source.page, format);
    if let Some(moved) = page.redirect_unless(&canonical, None) {
        return Ok(moved);
    }
    let ctx = &page.ctx;
    let summaries = page
        .content
        .list_articles(&source.filter, ctx.lang, page.now, None, FEED_ITEMS)
        .await?;
    let full = ctx.config.feeds_full_text;
    let mut entries = Vec::with_capacity(summaries.len());
    for summary in &summaries {
        match page.content.article(summary.id).await {
            Ok(article) => entries.push(entry(page, &article, full)),
            Err(StoreError::NotFound) => {}
            Err(other) => return Err(other.into()),
        }
    }
    let feed = Feed {
        title: xml_safe(&source.title),
        description: xml_safe(&source.description),
        page_url: ctx.absolute(&source.page),
        feed_url: ctx.absolute(&canonical),
        lang: ctx.lang,
        site: xml_safe(ctx.config.name(ctx.lang)),
        updated: entries.iter().map(|e| e.updated).max().unwrap_or(page.now),
        entries,
    };
    let zone = &ctx.config.zone;
    let (content_type, bytes) = match format {
        FeedFormat::Rss => ("application/rss+xml; charset=utf-8", feed.rss(zone)),
        FeedFormat::Atom => ("application/atom+xml; charset=utf-8", feed.atom(zone)),
        FeedFormat::Json => ("application/feed+json; charset=utf-8", feed.json(zone)),
    };
    Ok(Reply::Body(
        CachedBody::build_page(200, content_type, LIST_CACHE, bytes, false).await,
    ))
}

struct Feed {
    title: String,
    description: String,
    page_url: String,
    feed_url: String,
    lang: Lang,
    site: String,
    updated: i64,
    entries: Vec<Entry>,
}

impl Feed {
    fn rss(&self, zone: &gazette_core::time::SiteZone) -> Vec<u8> {
        use rss::extension::dublincore::DublinCoreExtension;
        let items: Vec<rss::Item> = self
            .entries
            .iter()
            .map(|e| {
                let mut item = rss::Item::default();
                item.set_title(e.title.clone());
                item.set_link(e.url.clone());
                item.set_guid(rss::Guid {
                    value: e.url.clone(),
                    permalink: true,
                });
                item.set_pub_date(zone.rfc2822(e.published));
                item.set_description(e.summary.clone());
                item.set_content(e.html.clone());
                item.set_categories(
                    e.tags
                        .iter()
                        .map(|t| rss::Category {
                            name: t.clone(),
                            domain: None,
                        })
                        .collect::<Vec<_>>(),
                );
                if !e.authors.is_empty() {
                    let mut dc = DublinCoreExtension::default();
                    dc.set_creators(e.authors.clone());
                    item.set_dublin_core_ext(dc);
                }
                item
            })
            .collect();
        let mut channel = rss::Channel::default();
        channel.set_title(self.title.clone());
        channel.set_link(self.page_url.clone());
        channel.set_description(self.description.clone());
        channel.set_language(Some(self.lang.bcp47().to_ascii_lowercase()));
        channel.set_last_build_date(zone.rfc2822(self.updated));
        channel.set_generator("Gazette".to_owned());
        channel.set_items(items);
        channel.to_string().into_bytes()
    }

    fn atom(&self, zone: &gazette_core::time::SiteZone) -> Vec<u8> {
        use atom_syndication::{
            Category, Content, Entry as AtomEntry, Feed as AtomFeed, FixedDateTime, Link, Person,
            Text,
        };
        let date =
            |unix: i64| FixedDateTime::parse_from_rfc3339(&zone.rfc3339(unix)).unwrap_or_default();
        let link = |href: &str, rel: &str, mime: Option<&str>| Link {
            href: href.to_owned(),
            rel: rel.to_owned(),
            mime_type: mime.map(str::to_owned),
            ..Link::default()
        };
        let person = |name: &str| Person {
            name: name.to_owned(),
            ..Person::default()
        };
        let mut feed = AtomFeed::default();
        feed.set_id(self.page_url.clone());
        feed.set_title(Text::plain(self.title.clone()));
        feed.set_subtitle(Some(Text::plain(self.description.clone())));
        feed.set_updated(date(self.updated));
        feed.set_lang(Some(self.lang.bcp47().to_owned()));
        feed.set_authors(vec![person(&self.site)]);
        feed.set_links(vec![
            link(&self.page_url, "alternate", Some("text/html")),
            link(&self.feed_url, "self", Some("application/atom+xml")),
        ]);
        feed.set_entries(
            self.entries
                .iter()
                .map(|e| {
                    let mut entry = AtomEntry::default();
                    entry.set_id(e.url.clone());
                    entry.set_title(Text::plain(e.title.clone()));
                    entry.set_updated(date(e.updated));
                    entry.set_published(Some(date(e.published)));
                    entry.set_links(vec![link(&e.url, "alternate", Some("text/html"))]);
                    entry.set_authors(e.authors.iter().map(|a| person(a)).collect::<Vec<_>>());
                    entry.set_summary(Some(Text::plain(e.summary.clone())));
                    if let Some(html) = &e.html {
                        entry.set_content(Some(Content {
                            value: Some(html.clone()),
                            content_type: Some("html".to_owned()),
                            ..Content::default()
                        }));
                    }
                    entry.set_categories(
                        e.tags
                            .iter()
                            .map(|t| Category {
                                term: t.clone(),
                                ..Category::default()
                            })
                            .collect::<Vec<_>>(),
                    );
                    entry
                })
                .collect::<Vec<_>>(),
        );
        feed.to_string().into_bytes()
    }

    fn json(&self, zone: &gazette_core::time::SiteZone) -> Vec<u8> {
        let items: Vec<serde_json::Value> = self
            .entries
            .iter()
            .map(|e| {
                let mut item = serde_json::json!({
                    "id": e.url,
                    "url": e.url,
                    "title": e.title,
                    "summary": e.summary,
                    "date_published": zone.rfc3339(e.published),
                    "date_modified": zone.rfc3339(e.updated),
                    "authors": e.authors.iter().map(|a| serde_json::json!({"name": a})).collect::<Vec<_>>(),
                    "tags": e.tags,
                    "language": self.lang.bcp47(),
                });
                match &e.html {
                    Some(html) => item["content_html"] = html.clone().into(),
                    None => item["content_text"] = e.summary.clone().into(),
                }
                item
            })
            .collect();
        serde_json::json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.title,
            "description": self.description,
            "home_page_url": self.page_url,
            "feed_url": self.feed_url,
            "language": self.lang.bcp47(),
            "authors": [{"name": self.site}],
            "items": items,
        })
        .to_string()
        .into_bytes()
    }
}
