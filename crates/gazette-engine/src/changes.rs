//! Following the change log: exact cache invalidation, on every node.
//!
//! Each cached page records what it was built from ([`page_dependencies`]):
//! the list it is (the home page, a channel, a topic, a tag, an author, the
//! photo stream) and every article it links to, read from its own HTML
//! (article URLs are made only by `Permalink`, `…/ID-SLUG.html`), so that
//! every block counts: lists, slots, the sidebar's rankings, related
//! reading, the stream, translations. A change to an article invalidates
//! the pages that link it and the lists it belongs to; nothing else.
//! Site-wide blocks do not invalidate every page when an article is
//! published: a page shows a new article in its sidebar or related list
//! when it is next rebuilt (within the page cache's 30 s), while a
//! retracted or taken-down article leaves every page that links it at once.
//! Invalidated pages are rebuilt on demand, one request each, under the
//! cold-work limit: never all at the same moment.
//!
//! A [`Follower`] remembers the last sequence number applied. The node that
//! makes a change follows the log at once (`Engine::content_changed`); the
//! others wake on PostgreSQL's `NOTIFY` and poll every few seconds besides,
//! and a node that starts or reconnects catches up from its last number.

use gazette_core::{Article, ChannelTree, PageRoute, SlotKey, Topic};
use regex::bytes::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{LazyLock, Mutex};

/// Past this many registrations the index starts afresh (with the cache):
/// a bound against pages evicted long ago that never changed.
const MAX_REGISTRATIONS: usize = 2_000_000;

/// Where the follower is in the change log.
#[derive(Debug)]
pub(crate) struct Follower {
    /// The last sequence number applied; -1 before the first catch-up.
    last: AtomicI64,
    /// One catch-up at a time.
    pub(crate) applying: tokio::sync::Mutex<()>,
}

impl Default for Follower {
    fn default() -> Self {
        Follower {
            last: AtomicI64::new(-1),
            applying: tokio::sync::Mutex::new(()),
        }
    }
}

impl Follower {
    pub(crate) fn last(&self) -> i64 {
        self.last.load(Ordering::Acquire)
    }

    pub(crate) fn set_last(&self, seq: i64) {
        self.last.store(seq, Ordering::Release);
    }
}

/// Which cached pages depend on what: dependency key → page cache keys.
#[derive(Debug, Default)]
pub(crate) struct Dependencies {
    by_key: Mutex<(HashMap<String, HashSet<String>>, usize)>,
}

impl Dependencies {
    /// Records that the page cached under `page` depends on `keys`. False
    /// when the index was full and started afresh (the caller then drops
    /// every cached page, whose dependencies are no longer known).
    pub(crate) fn register(&self, page: &str, keys: Vec<String>) -> bool {
        let mut guard = self.by_key.lock().unwrap_or_else(|e| e.into_inner());
        let (index, count) = &mut *guard;
        let fresh = *count + keys.len() <= MAX_REGISTRATIONS;
        if !fresh {
            index.clear();
            *count = 0;
        }
        for key in keys {
            if index.entry(key).or_default().insert(page.to_owned()) {
                *count += 1;
            }
        }
        fresh
    }

    /// The pages depending on `key`, forgotten as they are returned.
    pub(crate) fn take(&self, key: &str) -> HashSet<String> {
        let mut guard = self.by_key.lock().unwrap_or_else(|e| e.into_inner());
        let (index, count) = &mut *guard;
        let pages = index.remove(key).unwrap_or_default();
        *count = count.saturating_sub(pages.len());
        pages
    }

    pub(crate) fn clear(&self) {
        let mut guard = self.by_key.lock().unwrap_or_else(|e| e.into_inner());
        guard.0.clear();
        guard.1 = 0;
    }
}

/// The list a route shows, as a dependency key (language apart: a change
/// invalidates the list in both languages).
pub(crate) fn list_key(route: &PageRoute) -> Option<String> {
    match route {
        PageRoute::Home => Some("home".into()),
        PageRoute::Channel(slugs) => Some(format!(
            "channel:{}",
            slugs
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("/")
        )),
        PageRoute::Topic(slug) => Some(format!("topic:{slug}")),
        PageRoute::Tag(tag) => Some(format!("tag:{tag}")),
        PageRoute::Author(slug) => Some(format!("author:{slug}")),
        PageRoute::Stream | PageRoute::StreamMore => Some("stream".into()),
        PageRoute::Article { id, .. } => Some(article_page_key(*id)),
        PageRoute::Ranking | PageRoute::Changes(_) => None,
        // A feed is forgotten with its list.
        PageRoute::Feed(list, _) => list_key(list),
    }
}

/// Pages that link an article (its own page does, by its canonical link).
pub(crate) fn article_key(id: i64) -> String {
    format!("article:{id}")
}

/// An article's own page only: what a change of its related list touches.
pub(crate) fn article_page_key(id: i64) -> String {
    format!("article-page:{id}")
}

/// Pages that show a recommendation slot: the front page shows the
/// headline and top stories (its list key, `home`), every page with the
/// sidebar the visual focus and exclusive features.
pub(crate) fn slot_keys(key: &str) -> Vec<String> {
    match key {
        SlotKey::HEADLINE | SlotKey::TOP_STORIES => vec!["home".to_owned()],
        other => vec![format!("slot:{other}")],
    }
}

/// The sitemaps: every change to an article may concern them.
pub(crate) const SITEMAPS: &str = "sitemaps";

/// Pages that name a photo (any of its addresses or variants).
pub(crate) fn media_key(id: i64) -> String {
    format!("media:{id}")
}

/// Every article a built page links to (`href="…/ID-SLUG.html"`), every
/// photo it names (`/media/ID.EXT`, `/media/ID-HASH…`), and the list it is.
pub(crate) fn page_dependencies(list: Option<String>, html: &[u8]) -> Vec<String> {
    static ARTICLE_LINK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?:href|content)="[^"]*/([0-9]{1,18})-[^"/]*\.html""#)
            .expect("a valid pattern")
    });
    static PHOTO: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"/media/([0-9]{1,18})[-.]"#).expect("a valid pattern"));
    let number =
        |c: regex::bytes::Captures<'_>| std::str::from_utf8(&c[1]).ok()?.parse::<i64>().ok();
    let mut keys: HashSet<String> = ARTICLE_LINK
        .captures_iter(html)
        .filter_map(number)
        .map(article_key)
        .collect();
    keys.extend(PHOTO.captures_iter(html).filter_map(number).map(media_key));
    // The sidebar shows its slots (or their place, when empty).
    if contains_bytes(html, b"<aside class=\"sidebar\">") {
        keys.extend(
            [SlotKey::VISUAL_FOCUS, SlotKey::EXCLUSIVE]
                .into_iter()
                .flat_map(slot_keys),
        );
    }
    keys.extend(list);
    keys.into_iter().collect()
}

fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What a change to `article` invalidates: pages linking it and the lists
/// it is on (or now enters): the home page, its channel and the channels
/// above, its topic, its tags, its authors and the one who signed it off.
pub(crate) fn article_dependents(
    article: &Article,
    tree: &ChannelTree,
    topics: &[Topic],
) -> Vec<String> {
    let summary = &article.summary;
    let mut keys = vec![
        article_key(summary.id),
        "home".to_owned(),
        SITEMAPS.to_owned(),
    ];
    let path = tree.path(summary.channel_id);
    for depth in 1..=path.len() {
        keys.push(format!(
            "channel:{}",
            path[..depth]
                .iter()
                .map(|c| c.slug.as_str())
                .collect::<Vec<_>>()
                .join("/")
        ));
    }
    if let Some(topic) = topics.iter().find(|t| Some(t.id) == article.topic_id) {
        keys.push(format!("topic:{}", topic.slug));
    }
    keys.extend(article.tags.iter().map(|t| format!("tag:{t}")));
    keys.extend(
        article
            .credits
            .authors
            .iter()
            .chain(&article.credits.editors)
            .chain(&article.credits.coordinators)
            .map(|p| format!("author:{}", p.slug)),
    );
    if let Some(slug) = article
        .credits
        .responsible_editor
        .as_ref()
        .and_then(|s| s.slug.as_ref())
    {
        keys.push(format!("author:{slug}"));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_depends_on_every_article_it_links_and_on_its_list() {
        let html = br#"<link rel="canonical" href="https://x.org/news/12-a.html">
            <a href="/tech/ai/7-b-c.html">b</a> <a href="/en/world/300-d.html">d</a>
            <a href="/topic/x/">no</a> <a href="/assets/1-x.css">no</a>
            <meta property="og:url" content="https://x.org/news/12-a.html">"#;
        let mut keys = page_dependencies(Some("home".into()), html);
        keys.sort();
        assert_eq!(keys, ["article:12", "article:300", "article:7", "home"]);
    }

    #[test]
    fn the_index_gives_each_page_once_and_forgets_what_it_gives() {
        let deps = Dependencies::default();
        assert!(deps.register("/", vec!["home".into(), article_key(1)]));
        assert!(deps.register("/news/", vec![article_key(1)]));
        let pages = deps.take(&article_key(1));
        assert_eq!(pages.len(), 2);
        assert!(deps.take(&article_key(1)).is_empty());
        assert_eq!(deps.take("home").len(), 1);
    }
}
