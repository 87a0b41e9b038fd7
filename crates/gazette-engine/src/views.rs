//! From core types to view models: links, times, images and cards in the
//! page's language. Everything a template prints about an article passes
//! through here, so every page shows it the same way.

use crate::SiteConfig;
use gazette_core::{ArticleSummary, ChannelTree, Cover, Lang, Permalink, PhotoItem, Topic};
use gazette_render::view::{
    Alternate, Card, FeedLink, Image, Link, Meta, NavItem, PhotoCard, SiteView, TimeView,
};

/// The site's own raster image (the theme's largest icon): the share card
/// of pages without a photo, and the publisher's logo in structured data.
pub(crate) const SITE_IMAGE: &str = "/icon-512.png";

/// What every view needs to know: the page language, the channel tree, the site.
pub(crate) struct Ctx<'a> {
    pub lang: Lang,
    pub tree: &'a ChannelTree,
    pub config: &'a SiteConfig,
    pub assets: &'a gazette_render::Assets,
}

impl<'a> Ctx<'a> {
    /// The context of a page in `lang` of this engine's site.
    pub fn new(engine: &'a crate::Engine, lang: Lang, tree: &'a ChannelTree) -> Self {
        Ctx {
            lang,
            tree,
            config: &engine.config,
            assets: engine.theme.assets(),
        }
    }
}

impl Ctx<'_> {
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url)
    }

    pub fn time(&self, unix_seconds: i64) -> TimeView {
        TimeView {
            text: self.config.zone.minute(unix_seconds),
            iso: self.config.zone.rfc3339(unix_seconds),
        }
    }

    pub fn image(&self, cover: &Cover) -> Image {
        Image {
            src: Permalink::media(cover.media_id, &cover.extension),
            alt: cover.alt.clone(),
            width: cover.width,
            height: cover.height,
            caption: cover.caption.clone(),
            credit: cover.credit.clone(),
        }
    }

    pub fn channel_link(&self, channel_id: i64) -> Option<Link> {
        self.tree.get(channel_id).map(|c| Link {
            label: c.name(self.lang).to_owned(),
            url: Permalink::channel(self.lang, self.tree, c.id),
        })
    }

    pub fn card(&self, article: &ArticleSummary) -> Card {
        Card {
            title: article.title.clone(),
            url: Permalink::article(self.tree, article),
            kicker: article.kicker.clone(),
            summary: article.summary.clone(),
            time: Some(self.time(article.published_at)),
            image: article.cover.as_ref().map(|c| self.image(c)),
            channel: self.channel_link(article.channel_id),
        }
    }

    pub fn cards(&self, articles: &[ArticleSummary]) -> Vec<Card> {
        articles.iter().map(|a| self.card(a)).collect()
    }

    pub fn topic_card(&self, topic: &Topic) -> Card {
        Card {
            title: topic.title(self.lang).to_owned(),
            url: Permalink::topic(self.lang, &topic.slug),
            kicker: None,
            summary: topic.description(self.lang).to_owned(),
            time: None,
            image: topic.cover.as_ref().map(|c| self.image(c)),
            channel: self.channel_link(topic.channel_id),
        }
    }

    pub fn photo(&self, item: &PhotoItem, url: Option<String>) -> PhotoCard {
        let time = self.time(item.published_at);
        PhotoCard {
            image: self.image(&item.image),
            caption: item.caption.clone(),
            url,
            time: time.text,
            datetime: time.iso,
        }
    }

    /// The breadcrumb trail down to a channel, inclusive, starting at home.
    pub fn trail(&self, channel_id: Option<i64>) -> Vec<Link> {
        let mut trail = vec![Link {
            label: self.home_label(),
            url: Permalink::home(self.lang),
        }];
        if let Some(id) = channel_id {
            trail.extend(self.tree.path(id).into_iter().map(|c| Link {
                label: c.name(self.lang).to_owned(),
                url: Permalink::channel(self.lang, self.tree, c.id),
            }));
        }
        trail
    }

    fn home_label(&self) -> String {
        match self.lang {
            Lang::Zh => "首页".into(),
            Lang::En => "Home".into(),
        }
    }

    /// The site chrome. `current` is the channel the page belongs to (its
    /// root is marked in the channel bar); `other` is this page in the other
    /// language, when it exists.
    pub fn site(&self, current: Option<i64>, other: Option<String>) -> SiteView {
        let current_root = current.and_then(|id| self.tree.path(id).first().map(|c| c.id));
        let other_lang = match self.lang {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        SiteView {
            name: self.config.name(self.lang).to_owned(),
            lang: self.lang.code().to_owned(),
            html_lang: self.lang.bcp47().to_owned(),
            home_url: Permalink::home(self.lang),
            nav: self
                .tree
                .roots()
                .map(|c| NavItem {
                    label: c.name(self.lang).to_owned(),
                    url: Permalink::channel(self.lang, self.tree, c.id),
                    current: Some(c.id) == current_root,
                })
                .collect(),
            footer_lines: self.config.footer_lines.clone(),
            css_url: self.assets.css.url.clone(),
            js_url: self.assets.js.url.clone(),
            moods_url: self.assets.moods.url.clone(),
            other_lang: Link {
                label: match other_lang {
                    Lang::Zh => "中文".into(),
                    Lang::En => "English".into(),
                },
                url: other.unwrap_or_else(|| Permalink::home(other_lang)),
            },
            ranking_url: Permalink::ranking(self.lang),
            stream_url: Permalink::stream(self.lang),
            search_url: Permalink::search(self.lang),
            query: String::new(),
            section: String::new(),
        }
    }

    /// Head metadata for a page at `path` that also exists in the other
    /// language at `other` (`hreflang` alternates both ways).
    pub fn meta(
        &self,
        title: String,
        description: String,
        path: &str,
        other: Option<&str>,
    ) -> Meta {
        let mut alternates = Vec::new();
        if let Some(other) = other {
            let (zh, en) = match self.lang {
                Lang::Zh => (path, other),
                Lang::En => (other, path),
            };
            alternates.push(Alternate {
                hreflang: Lang::Zh.bcp47().into(),
                url: self.absolute(zh),
            });
            alternates.push(Alternate {
                hreflang: Lang::En.bcp47().into(),
                url: self.absolute(en),
            });
        }
        Meta {
            title,
            description,
            canonical: self.absolute(path),
            og_type: "website".into(),
            // Pages without a photo of their own share the site's icon.
            og_image: Some(self.absolute(SITE_IMAGE)),
            og_image_alt: Some(self.config.name(self.lang).to_owned()),
            og_locale: match self.lang {
                Lang::Zh => "zh_CN",
                Lang::En => "en_US",
            }
            .to_owned(),
            preload_image: None,
            alternates,
            jsonld: None,
            feeds: self.feed_links(&Permalink::home(self.lang), self.config.name(self.lang)),
            noindex: false,
        }
    }

    /// The three feeds of the list at `list_path`, named after `title`.
    pub fn feed_links(&self, list_path: &str, title: &str) -> Vec<FeedLink> {
        gazette_core::FeedFormat::ALL
            .into_iter()
            .map(|format| FeedLink {
                title: format!(
                    "{title} ({})",
                    match format {
                        gazette_core::FeedFormat::Rss => "RSS",
                        gazette_core::FeedFormat::Atom => "Atom",
                        gazette_core::FeedFormat::Json => "JSON Feed",
                    }
                ),
                url: self.absolute(&Permalink::feed(list_path, format)),
                mime: format.mime().to_owned(),
            })
            .collect()
    }

    /// `<title>`: the page's name, then the site's.
    pub fn title(&self, name: &str) -> String {
        format!("{name} - {}", self.config.name(self.lang))
    }
}
