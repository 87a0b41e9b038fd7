//! Sample view models with every optional field filled and every list
//! non-empty, so that rendering them exercises every branch of a template.
//! The theme check renders each page template against these at start-up.

use crate::Assets;
use crate::view::*;

fn link(label: &str, url: &str) -> Link {
    Link {
        label: label.into(),
        url: url.into(),
    }
}

fn image() -> Image {
    Image {
        src: "/media/1.svg".into(),
        alt: "示例图片".into(),
        width: 1200,
        height: 675,
        caption: Some("图片说明".into()),
        credit: Some("摄影：示例".into()),
    }
}

fn card() -> Card {
    Card {
        title: "示例标题".into(),
        url: "/tech/1-sample.html".into(),
        kicker: Some("引题".into()),
        summary: "摘要".into(),
        time: Some(TimeView {
            text: "2024-01-03 20:38".into(),
            iso: "2024-01-03T20:38:00+08:00".into(),
        }),
        image: Some(image()),
        channel: Some(link("科技", "/tech/")),
    }
}

pub fn site(assets: &Assets) -> SiteView {
    SiteView {
        name: "Gazette".into(),
        lang: "zh".into(),
        html_lang: "zh-CN".into(),
        home_url: "/".into(),
        nav: vec![NavItem {
            label: "科技".into(),
            url: "/tech/".into(),
            current: true,
        }],
        footer_lines: vec!["示例ICP备00000000号".into()],
        css_url: assets.css.url.clone(),
        js_url: assets.js.url.clone(),
        moods_url: assets.moods.url.clone(),
        other_lang: link("English", "/en/"),
        ranking_url: "/ranking/".into(),
        stream_url: "/stream/".into(),
        search_url: "/search".into(),
        query: "示例".into(),
        section: "home".into(),
    }
}

fn meta() -> Meta {
    Meta {
        title: "示例".into(),
        description: "摘要".into(),
        canonical: "https://example.org/".into(),
        og_type: "article".into(),
        og_image: Some("https://example.org/media/1.svg".into()),
        og_image_alt: Some("示例图片".into()),
        og_locale: "zh_CN".into(),
        preload_image: Some("/media/1.svg".into()),
        alternates: vec![Alternate {
            hreflang: "en".into(),
            url: "https://example.org/en/".into(),
        }],
        jsonld: Some(serde_json::json!({"@type": "NewsArticle", "headline": "</script>"})),
        feeds: vec![FeedLink {
            title: "示例 RSS".into(),
            url: "https://example.org/feeds/rss.xml".into(),
            mime: "application/rss+xml".into(),
        }],
        noindex: true,
    }
}

fn ranking() -> RankingPeriod {
    RankingPeriod {
        key: "week".into(),
        moods: vec![MoodRanking {
            key: "happy".into(),
            icon: "happy".into(),
            label: "开心".into(),
            items: vec![RankedItem {
                title: "示例".into(),
                url: "/tech/1-sample.html".into(),
                count: 3,
                current: false,
            }],
        }],
    }
}

fn most_read() -> ReadRanking {
    ReadRanking {
        key: "week".into(),
        items: vec![RankedItem {
            title: "示例".into(),
            url: "/tech/1-sample.html".into(),
            count: 1_234,
            current: true,
        }],
    }
}

fn slot(key: &str) -> Option<SlotView> {
    Some(SlotView {
        key: key.into(),
        name: "视觉焦点".into(),
        items: vec![card()],
    })
}

fn sidebar() -> Sidebar {
    Sidebar {
        ranking: ranking(),
        most_read: most_read(),
        visual_focus: slot("visual-focus"),
        exclusive: slot("exclusive"),
    }
}

fn stream() -> StreamView {
    StreamView {
        items: vec![PhotoCard {
            image: image(),
            caption: "图说".into(),
            url: Some("/tech/1-sample.html".into()),
            time: "2024-01-03 20:38".into(),
            datetime: "2024-01-03T20:38:00+08:00".into(),
        }],
        next_url: Some("/stream/?after=1.1".into()),
        more_url: Some("/stream/more/?after=1.1".into()),
    }
}

pub fn article_page(assets: &Assets) -> ArticlePage {
    ArticlePage {
        site: site(assets),
        meta: meta(),
        breadcrumb: vec![link("首页", "/"), link("科技", "/tech/")],
        article: ArticleView {
            id: 1,
            title: "示例标题".into(),
            kicker: Some("引题".into()),
            subtitle: Some("副题".into()),
            summary: "摘要".into(),
            source: Some("本报".into()),
            published: "2024-01-03 20:38".into(),
            published_iso: "2024-01-03T20:38:00+08:00".into(),
            updated: Some("2024-01-04 09:00".into()),
            updated_iso: Some("2024-01-04T09:00:00+08:00".into()),
            authors: vec![Byline {
                name: "作者".into(),
                url: "/author/a/".into(),
                affiliation: Some("单位".into()),
            }],
            body_html: "<p>正文</p>".into(),
            gallery: vec![crate::view::GalleryPhoto {
                src: "/media/1.svg".into(),
                media_id: Some(1),
                alt: "示意".into(),
                width: 1200,
                height: 675,
                caption_html: "图片<em>说明</em>".into(),
                credit: Some("摄影：本报".into()),
            }],
            cover: Some(image()),
            editors: vec![link("编辑", "/author/e/")],
            coordinators: vec![link("统筹", "/author/c/")],
            responsible_editor: Some(link("责编", "/author/r/")),
            tags: vec![link("标签", "/tag/x/")],
            translations: vec![Translation {
                hreflang: "en".into(),
                language: "English".into(),
                title: "Sample".into(),
                url: "/en/tech/2-sample.html".into(),
            }],
            topic: Some(link("专题", "/topic/t/")),
            share_url: "https://example.org/tech/1-sample.html".into(),
            updates: vec![UpdateView {
                date: "2024-01-04 09:00".into(),
                iso: "2024-01-04T09:00:00+08:00".into(),
                correction: Some("第二段的日期应为 1 月 3 日。".into()),
                changes_url: Some("/changes/1/".into()),
            }],
        },
        related: vec![card()],
        moods: vec![MoodCount {
            key: "happy".into(),
            icon: "happy".into(),
            label: "开心".into(),
            count: 2,
        }],
        sidebar: sidebar(),
        stream: stream(),
    }
}

fn list_page(assets: &Assets) -> ListPage {
    ListPage {
        site: site(assets),
        meta: meta(),
        kind: "channel".into(),
        breadcrumb: vec![link("首页", "/")],
        heading: "科技".into(),
        description: Some("说明".into()),
        image: Some(image()),
        subnav: vec![link("人工智能", "/tech/ai/")],
        sections: vec![crate::view::TopicSectionView {
            title: "现场".into(),
            items: vec![card()],
        }],
        items: vec![card()],
        next_url: Some("/tech/?after=1.1".into()),
        sidebar: sidebar(),
    }
}

/// Every page template with a context that reaches all of its branches.
pub fn all(assets: &Assets) -> Vec<(&'static str, serde_json::Value)> {
    let value = |v: serde_json::Result<serde_json::Value>| v.unwrap_or(serde_json::Value::Null);
    vec![
        (
            "article.html",
            value(serde_json::to_value(article_page(assets))),
        ),
        (
            "home.html",
            value(serde_json::to_value(HomePage {
                site: site(assets),
                meta: meta(),
                lead: Some(card()),
                top: vec![card()],
                latest: vec![card()],
                sections: vec![Section {
                    channel: link("科技", "/tech/"),
                    items: vec![card()],
                }],
                topics: vec![card()],
                sidebar: sidebar(),
                stream: stream(),
            })),
        ),
        ("list.html", value(serde_json::to_value(list_page(assets)))),
        (
            "stream.html",
            value(serde_json::to_value(StreamPage {
                site: site(assets),
                meta: meta(),
                breadcrumb: vec![link("首页", "/")],
                stream: stream(),
            })),
        ),
        (
            "voted.html",
            value(serde_json::to_value(VotedPage {
                site: site(assets),
                meta: meta(),
                article: link("示例标题", "/tech/1-sample.html"),
                chosen: Some("开心".into()),
                counted: true,
                moods: vec![MoodCount {
                    key: "happy".into(),
                    icon: "happy".into(),
                    label: "开心".into(),
                    count: 2,
                }],
            })),
        ),
        (
            "stream_more.html",
            value(serde_json::to_value(StreamFragment {
                site: site(assets),
                stream: stream(),
            })),
        ),
        (
            "ranking.html",
            value(serde_json::to_value(RankingPage {
                site: site(assets),
                meta: meta(),
                breadcrumb: vec![Link {
                    label: "首页".into(),
                    url: "/".into(),
                }],
                most_read: vec![most_read()],
                periods: vec![ranking()],
            })),
        ),
        (
            "search.html",
            value(serde_json::to_value(SearchPage {
                site: site(assets),
                meta: meta(),
                breadcrumb: vec![link("首页", "/")],
                query: "示例".into(),
                filters: SearchFilters {
                    channels: vec![Choice {
                        value: "1".into(),
                        label: "科技".into(),
                        selected: true,
                    }],
                    topics: vec![Choice {
                        value: "1".into(),
                        label: "专题".into(),
                        selected: false,
                    }],
                    langs: vec![Choice {
                        value: "zh".into(),
                        label: "中文".into(),
                        selected: false,
                    }],
                    from: "2024-01-01".into(),
                    until: "2024-02-01".into(),
                    any: true,
                },
                hits: vec![SearchHitView {
                    url: "/tech/1-sample.html".into(),
                    title_html: "<mark>示例</mark>标题".into(),
                    snippet_html: "…<mark>示例</mark>摘要…".into(),
                    time: TimeView {
                        text: "2024-01-03 20:38".into(),
                        iso: "2024-01-03T20:38:00+08:00".into(),
                    },
                    channel: Some(link("科技", "/tech/")),
                }],
                total: 1,
                asked: true,
                later_page: true,
                next_url: Some("/search?q=x&after=1".into()),
                first_url: Some("/search?q=x".into()),
            })),
        ),
        (
            "changes.html",
            value(serde_json::to_value(ChangesPage {
                site: site(assets),
                meta: meta(),
                breadcrumb: vec![Link {
                    label: "首页".into(),
                    url: "/".into(),
                }],
                article: Link {
                    label: "标题".into(),
                    url: "/tech/1-sample.html".into(),
                },
                date: "2024-01-04 09:00".into(),
                iso: "2024-01-04T09:00:00+08:00".into(),
                correction: Some("日期有误。".into()),
                fields: vec![ChangedField {
                    label: "正文".into(),
                    segments: vec![
                        ChangeSegment {
                            kind: "same",
                            text: "会议于".into(),
                        },
                        ChangeSegment {
                            kind: "gone",
                            text: "2日".into(),
                        },
                        ChangeSegment {
                            kind: "new",
                            text: "3日".into(),
                        },
                    ],
                }],
            })),
        ),
    ]
    .into_iter()
    .chain([400, 403, 404, 405, 410, 413, 429, 503].map(|status| {
        (
            "error.html",
            value(serde_json::to_value(ErrorPage {
                site: site(assets),
                meta: meta(),
                status,
                retracted_title: Some("标题".into()),
                retraction_note: Some("说明".into()),
                suggestions: vec![card()],
            })),
        )
    }))
    .collect()
}
