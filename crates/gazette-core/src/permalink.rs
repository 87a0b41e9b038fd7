//! Permalinks: the one place that decides what URL each page has.
//! Routes (`route.rs`) parse these back; a request for any other spelling
//! of a page's URL is redirected here.

use crate::{ArticleRef, ArticleSummary, ChannelTree, Lang, Slug, Tag};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters kept as they are in a path segment: RFC 3986 unreserved.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Builds site-relative URLs (starting with `/`).
#[derive(Debug, Clone, Copy)]
pub struct Permalink;

impl Permalink {
    pub fn home(lang: Lang) -> String {
        format!("{}/", lang.path_prefix())
    }

    pub fn channel(lang: Lang, tree: &ChannelTree, channel_id: i64) -> String {
        format!("{}{}", lang.path_prefix(), tree.url_path(channel_id))
    }

    /// `/tech/ai/1024-open-summit.html`: the channel path, then id and slug.
    /// The id finds the article; the rest is checked and redirected if stale.
    pub fn article(tree: &ChannelTree, article: &ArticleSummary) -> String {
        Self::article_ref(
            tree,
            &ArticleRef {
                id: article.id,
                lang: article.lang,
                slug: article.slug.clone(),
                channel_id: article.channel_id,
            },
        )
    }

    pub fn article_ref(tree: &ChannelTree, article: &ArticleRef) -> String {
        format!(
            "{}{}{}-{}.html",
            article.lang.path_prefix(),
            tree.url_path(article.channel_id),
            article.id,
            article.slug
        )
    }

    pub fn topic(lang: Lang, slug: &Slug) -> String {
        format!("{}/topic/{}/", lang.path_prefix(), slug)
    }

    pub fn tag(lang: Lang, tag: &Tag) -> String {
        format!(
            "{}/tag/{}/",
            lang.path_prefix(),
            utf8_percent_encode(tag.as_str(), SEGMENT)
        )
    }

    /// The comparison page of one update of an article.
    pub fn changes(lang: Lang, update_id: i64) -> String {
        format!("{}/changes/{update_id}/", lang.path_prefix())
    }

    pub fn author(lang: Lang, slug: &Slug) -> String {
        format!("{}/author/{}/", lang.path_prefix(), slug)
    }

    pub fn stream(lang: Lang) -> String {
        format!("{}/stream/", lang.path_prefix())
    }

    /// The photo stream's "load more" fragments.
    pub fn stream_more(lang: Lang) -> String {
        format!("{}/stream/more/", lang.path_prefix())
    }

    /// A list's feed: the list page's path (which ends in `/`) and the
    /// format's file name.
    pub fn feed(list_path: &str, format: crate::FeedFormat) -> String {
        format!("{list_path}{}", format.file_name())
    }

    /// The search page (the header's form goes there; never a cached page).
    pub fn search(lang: Lang) -> String {
        format!("{}/search", lang.path_prefix())
    }

    pub fn ranking(lang: Lang) -> String {
        format!("{}/ranking/", lang.path_prefix())
    }

    /// Media files carry their extension so that static hosts type them right.
    /// A photo's stable address: what article bodies and templates name.
    /// It answers with the current file (and a short cache lifetime).
    pub fn media(media_id: i64, extension: &str) -> String {
        format!("/media/{media_id}.{extension}")
    }

    /// A photo's address that changes with its content (a long cache
    /// lifetime); the stable address when no hash is known.
    pub fn media_file(media_id: i64, hash: &str, extension: &str) -> String {
        if hash.is_empty() {
            Self::media(media_id, extension)
        } else {
            format!("/media/{media_id}-{hash}.{extension}")
        }
    }

    /// One variant of a photo (`width` pixels wide), by its own content hash.
    pub fn media_variant(media_id: i64, hash: &str, width: i64, extension: &str) -> String {
        format!("/media/{media_id}-{hash}-{width}.{extension}")
    }

    /// A photo's share card (1200 x 630 raster), by its own content hash.
    pub fn media_card(media_id: i64, hash: &str, extension: &str) -> String {
        format!("/media/{media_id}-{hash}-card.{extension}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_percent_encoded() {
        let tag = Tag::parse("open web").expect("tag");
        assert_eq!(Permalink::tag(Lang::En, &tag), "/en/tag/open%20web/");
        let tag = Tag::parse("乌镇").expect("tag");
        assert_eq!(Permalink::tag(Lang::Zh, &tag), "/tag/%E4%B9%8C%E9%95%87/");
    }
}
