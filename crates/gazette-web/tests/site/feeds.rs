//! Feeds through the real router: well-formed whatever an article holds
//! (read back with the rss and atom_syndication parsers and serde_json),
//! cached like pages and forgotten with their list.

use crate::support::*;
use axum::http::StatusCode;
use gazette_core::{ArticleStatus, Lang, Slug};
use gazette_store::NewArticle;

/// An article as an import might bring it: markup, CDATA's end, control
/// characters, emoji and the non-characters XML refuses.
fn hostile(now: i64) -> NewArticle {
    NewArticle {
        lang: Lang::Zh,
        slug: Slug::parse("hostile-feed").expect("slug"),
        channel_id: 1,
        topic_id: None,
        translation_group: None,
        status: ArticleStatus::Published,
        title: "]]> <b>&amp;</b>\u{1}\u{8}控制字符 😀\u{FFFE}".into(),
        kicker: None,
        subtitle: None,
        gallery: false,
        summary: "摘要里有 ]]> 和 \u{7}响铃".into(),
        body: "<p>正文 ]]&gt; 以及 \u{B}垂直制表 🚀</p><p><img src=\"/media/1.svg\" alt=\"\"></p>"
            .into(),
        source: None,
        published_at: now - 60,
        updated_at: now - 60,
        cover: None,
        credits: Vec::new(),
        tags: Vec::new(),
    }
}

const CLEAN_TITLE: &str = "]]> <b>&amp;</b>控制字符 😀";

#[tokio::test]
async fn feeds_stay_well_formed_whatever_an_article_holds() {
    let app = TestApp::new().await;
    app.engine().follow_changes().await.expect("start");
    app.store
        .create_article(&hostile(app.engine().now()))
        .await
        .expect("hostile article");
    app.engine().content_changed().await.expect("follow");

    let rss = app.get("/feed.xml").await;
    assert_eq!(rss.status, StatusCode::OK);
    assert!(
        rss.header("content-type")
            .starts_with("application/rss+xml")
    );
    let channel = rss::Channel::read_from(&rss.body[..]).expect("RSS parses");
    let item = &channel.items()[0];
    assert_eq!(item.title(), Some(CLEAN_TITLE));
    let content = item.content().expect("whole article");
    assert!(
        content.contains("]]&gt;") && content.contains("🚀"),
        "{content}"
    );
    assert!(!content.contains('\u{B}'));
    assert!(
        content.contains(&format!("src=\"{BASE}/media/1.svg\"")),
        "photos are absolute: {content}"
    );

    let atom = app.get("/atom.xml").await;
    assert!(
        atom.header("content-type")
            .starts_with("application/atom+xml")
    );
    let feed = atom_syndication::Feed::read_from(&atom.body[..]).expect("Atom parses");
    assert_eq!(feed.entries()[0].title().as_str(), CLEAN_TITLE);

    let json = app.get("/feed.json").await;
    assert!(
        json.header("content-type")
            .starts_with("application/feed+json")
    );
    let feed: serde_json::Value = serde_json::from_slice(&json.body).expect("JSON");
    assert_eq!(feed["items"][0]["title"], CLEAN_TITLE);
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
}

#[tokio::test]
async fn a_feed_is_cached_and_forgotten_with_its_list() {
    let app = TestApp::new().await;
    let engine = app.engine();
    engine.follow_changes().await.expect("start");
    let path = "/science/space/feed.json";
    let first: serde_json::Value = serde_json::from_slice(&app.get(path).await.body).expect("JSON");
    let (builds, _) = engine.build_counts();
    assert_eq!(app.get(path).await.status, StatusCode::OK);
    assert_eq!(engine.build_counts().0, builds, "served from the cache");
    let url = first["items"][0]["url"]
        .as_str()
        .expect("an item")
        .to_owned();
    let id: i64 = url
        .rsplit('/')
        .next()
        .and_then(|f| f.split('-').next())
        .and_then(|n| n.parse().ok())
        .expect("an article id");
    app.store
        .retract_article(id, "不实", engine.now())
        .await
        .expect("retract");
    engine.follow_changes().await.expect("follow");
    let after: serde_json::Value = serde_json::from_slice(&app.get(path).await.body).expect("JSON");
    assert!(
        after["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|item| item["url"] != url.as_str()),
        "a retracted article leaves the feed at once"
    );
}

#[tokio::test]
async fn list_pages_announce_their_feeds_and_summaries_can_stand_in() {
    let app = TestApp::with_config(
        gazette_engine::config::SiteConfig {
            feeds_full_text: false,
            ..site_config()
        },
        web_config(),
    )
    .await;
    let html = app.get("/science/space/").await.html();
    let feeds = attrs(&html, "link[rel=alternate][type]", "href");
    assert_eq!(
        &feeds[..3],
        [
            format!("{BASE}/science/space/feed.xml"),
            format!("{BASE}/science/space/atom.xml"),
            format!("{BASE}/science/space/feed.json"),
        ]
    );
    assert!(
        feeds.contains(&format!("{BASE}/feed.xml")),
        "and the site's"
    );
    let feed: serde_json::Value =
        serde_json::from_slice(&app.get("/science/space/feed.json").await.body).expect("JSON");
    let item = &feed["items"][0];
    assert!(item.get("content_html").is_none());
    assert_eq!(item["content_text"], item["summary"]);
    assert_eq!(
        app.get("/science/space/feed.xml?utm_source=x").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/nowhere/feed.xml").await.status,
        StatusCode::NOT_FOUND
    );
}
