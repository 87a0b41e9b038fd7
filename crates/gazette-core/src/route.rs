//! Page routes: what a public URL path asks for, parsed without touching
//! the store. Whether the thing exists is the engine's question.

use crate::{Lang, ParseError, Slug, Tag};
use percent_encoding::percent_decode_str;

/// A public page a path can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRoute {
    Home,
    Channel(Vec<Slug>),
    Article {
        channel_path: Vec<String>,
        id: i64,
        slug: String,
    },
    Topic(Slug),
    Tag(Tag),
    Author(Slug),
    Stream,
    /// The next items of the photo stream as an HTML fragment, for "load more".
    StreamMore,
    Ranking,
    /// What changed in one published update of an article.
    Changes(i64),
    /// A list's feed: the front page's (the whole site), a channel's, a
    /// topic's or an author's.
    Feed(Box<PageRoute>, FeedFormat),
}

/// The formats a list's feed comes in, each at its own file name after
/// the list's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    /// RSS 2.0, `feed.xml`.
    Rss,
    /// Atom, `atom.xml`.
    Atom,
    /// JSON Feed 1.1, `feed.json`.
    Json,
}

impl FeedFormat {
    pub const ALL: [FeedFormat; 3] = [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json];

    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "feed.xml",
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Json => "feed.json",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }

    fn from_file_name(name: &str) -> Option<FeedFormat> {
        FeedFormat::ALL.into_iter().find(|f| f.file_name() == name)
    }
}

impl PageRoute {
    /// Parses a request path (still percent-encoded) into its language and
    /// route. `None` means no page could ever live there: a 404.
    pub fn parse(path: &str) -> Option<(Lang, PageRoute)> {
        let path = path.strip_prefix('/')?;
        let mut segments: Vec<&str> = path.split('/').collect();
        if segments.last() == Some(&"") {
            segments.pop();
        }
        let lang = if segments.first() == Some(&"en") {
            segments.remove(0);
            Lang::En
        } else {
            Lang::Zh
        };
        if segments.iter().any(|s| s.is_empty()) {
            return None;
        }
        if let Some(format) = segments.last().and_then(|s| FeedFormat::from_file_name(s)) {
            segments.pop();
            let list = match segments.as_slice() {
                [] => PageRoute::Home,
                ["topic", slug] => PageRoute::Topic(Slug::parse(slug).ok()?),
                ["author", slug] => PageRoute::Author(Slug::parse(slug).ok()?),
                ["tag", ..] | ["stream", ..] | ["ranking"] | ["changes", ..] => return None,
                channels => PageRoute::Channel(
                    channels
                        .iter()
                        .map(|s| Slug::parse_channel(s))
                        .collect::<Result<_, _>>()
                        .ok()?,
                ),
            };
            return Some((lang, PageRoute::Feed(Box::new(list), format)));
        }
        let route = match segments.as_slice() {
            [] => PageRoute::Home,
            ["topic", slug] => PageRoute::Topic(Slug::parse(slug).ok()?),
            ["tag", tag] => PageRoute::Tag(Tag::parse(&decode(tag)?).ok()?),
            ["author", slug] => PageRoute::Author(Slug::parse(slug).ok()?),
            ["stream"] => PageRoute::Stream,
            ["stream", "more"] => PageRoute::StreamMore,
            ["ranking"] => PageRoute::Ranking,
            ["changes", id] => PageRoute::Changes(id.parse().ok().filter(|id: &i64| *id > 0)?),
            [channels @ .., last] if last.ends_with(".html") => {
                let stem = last.strip_suffix(".html")?;
                let (id, slug) = stem.split_once('-').unwrap_or((stem, ""));
                let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
                PageRoute::Article {
                    channel_path: channels.iter().map(|s| s.to_string()).collect(),
                    id,
                    slug: slug.to_owned(),
                }
            }
            channels => PageRoute::Channel(
                channels
                    .iter()
                    .map(|s| Slug::parse_channel(s))
                    .collect::<Result<_, _>>()
                    .ok()?,
            ),
        };
        Some((lang, route))
    }
}

fn decode(segment: &str) -> Option<String> {
    percent_decode_str(segment)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// A position in a newest-first list: the publish time and id of the last
/// item shown. Opaque to readers, but checked: a forged one is a 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub published_at: i64,
    pub id: i64,
}

impl Cursor {
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let (time, id) = text.split_once('.').ok_or(ParseError::Cursor)?;
        let published_at = time.parse().map_err(|_| ParseError::Cursor)?;
        let id = id.parse().map_err(|_| ParseError::Cursor)?;
        if id <= 0 || published_at < 0 {
            return Err(ParseError::Cursor);
        }
        Ok(Cursor { published_at, id })
    }

    pub fn encode(self) -> String {
        format!("{}.{}", self.published_at, self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> Slug {
        Slug::parse(s).expect("test slug")
    }

    #[test]
    fn parses_feeds_of_lists() {
        assert_eq!(
            PageRoute::parse("/feed.xml"),
            Some((
                Lang::Zh,
                PageRoute::Feed(Box::new(PageRoute::Home), FeedFormat::Rss)
            ))
        );
        assert_eq!(
            PageRoute::parse("/en/science/space/atom.xml"),
            Some((
                Lang::En,
                PageRoute::Feed(
                    Box::new(PageRoute::Channel(vec![slug("science"), slug("space")])),
                    FeedFormat::Atom
                )
            ))
        );
        assert_eq!(
            PageRoute::parse("/author/lin-qingyun/feed.json"),
            Some((
                Lang::Zh,
                PageRoute::Feed(
                    Box::new(PageRoute::Author(slug("lin-qingyun"))),
                    FeedFormat::Json
                )
            ))
        );
        assert_eq!(PageRoute::parse("/ranking/feed.xml"), None);
        assert_eq!(PageRoute::parse("/tag/x/feed.xml"), None);
    }

    #[test]
    fn parses_the_changes_page() {
        assert_eq!(
            PageRoute::parse("/changes/12/"),
            Some((Lang::Zh, PageRoute::Changes(12)))
        );
        assert_eq!(
            PageRoute::parse("/en/changes/12/"),
            Some((Lang::En, PageRoute::Changes(12)))
        );
        assert_eq!(PageRoute::parse("/changes/0/"), None);
        assert_eq!(PageRoute::parse("/changes/x/"), None);
    }

    #[test]
    fn parses_each_page_kind() {
        assert_eq!(PageRoute::parse("/"), Some((Lang::Zh, PageRoute::Home)));
        assert_eq!(PageRoute::parse("/en/"), Some((Lang::En, PageRoute::Home)));
        assert_eq!(PageRoute::parse("/en"), Some((Lang::En, PageRoute::Home)));
        assert_eq!(
            PageRoute::parse("/tech/ai/"),
            Some((Lang::Zh, PageRoute::Channel(vec![slug("tech"), slug("ai")])))
        );
        assert_eq!(
            PageRoute::parse("/tech/ai/12-open-web.html"),
            Some((
                Lang::Zh,
                PageRoute::Article {
                    channel_path: vec!["tech".into(), "ai".into()],
                    id: 12,
                    slug: "open-web".into()
                }
            ))
        );
        assert_eq!(
            PageRoute::parse("/en/stream/more/"),
            Some((Lang::En, PageRoute::StreamMore))
        );
        assert_eq!(
            PageRoute::parse("/topic/wuzhen/"),
            Some((Lang::Zh, PageRoute::Topic(slug("wuzhen"))))
        );
        assert_eq!(
            PageRoute::parse("/en/tag/open%20web/"),
            Some((
                Lang::En,
                PageRoute::Tag(Tag::parse("open web").expect("tag"))
            ))
        );
    }

    #[test]
    fn rejects_malformed_paths() {
        for bad in [
            "",
            "tech",
            "/a//b/",
            "/x/abc-slug.html",
            "/x/-1-a.html",
            "/Tech/",
            "/tag/%FF/",
            "/topic/a/b/",
        ] {
            assert_eq!(PageRoute::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn cursors_round_trip_and_reject_forgeries() {
        let cursor = Cursor {
            published_at: 1_700_000_000,
            id: 42,
        };
        assert_eq!(Cursor::parse(&cursor.encode()), Ok(cursor));
        for bad in ["", "1", "a.b", "1.-2", "1.0", "99999999999999999999.1"] {
            assert!(Cursor::parse(bad).is_err(), "{bad:?}");
        }
    }
}
