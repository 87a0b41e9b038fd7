//! robots.txt and the sitemaps: absolute addresses of published articles
//! only, one spelling per file, the news sitemap's last 48 hours with
//! language codes, and a retraction leaving them at once.

use crate::support::*;
use axum::http::StatusCode;
use gazette_core::{ChannelTree, Permalink};

fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .filter_map(|part| part.split("</loc>").next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn robots_and_sitemaps_name_published_articles_and_follow_a_retraction() {
    let app = TestApp::new().await;
    let engine = app.engine_arc();
    engine.start_following().await.expect("following");
    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status, StatusCode::OK);
    assert!(robots.header("content-type").starts_with("text/plain"));
    let text = robots.text();
    assert!(
        text.contains(&format!("Sitemap: {BASE}/sitemap.xml")),
        "{text}"
    );
    assert!(text.contains(&format!("Sitemap: {BASE}/sitemap-news.xml")));
    assert!(text.contains("Disallow: /admin/"));

    let index = app.get("/sitemap.xml").await;
    assert_eq!(
        index.header("content-type"),
        "application/xml; charset=utf-8"
    );
    let index = index.text();
    assert!(index.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex"));
    assert_eq!(locs(&index), [format!("{BASE}/sitemaps/articles-1.xml")]);
    assert!(index.contains("<lastmod>"));

    let child = app.get("/sitemaps/articles-1.xml").await.text();
    let addresses = locs(&child);
    let tree = ChannelTree::new(app.store.channels().await.expect("channels"));
    let flagship = app.store.article(1).await.expect("article");
    let flagship_url = format!("{BASE}{}", Permalink::article(&tree, &flagship.summary));
    assert!(addresses.contains(&flagship_url));
    assert!(
        addresses
            .iter()
            .all(|a| a.starts_with(BASE) && a.ends_with(".html"))
    );
    assert_eq!(
        child.matches("<url>").count(),
        child.matches("</url>").count()
    );
    // The demo's retracted report is in no sitemap.
    assert!(!child.contains("bridge-closure-report"));
    for missing in [
        "/sitemaps/articles-2.xml",
        "/sitemaps/articles-01.xml",
        "/sitemaps/articles-0.xml",
    ] {
        assert_eq!(
            app.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }

    let news = app.get("/sitemap-news.xml").await.text();
    assert!(news.contains("xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\""));
    assert!(news.contains("<news:language>zh-cn</news:language>"));
    assert!(news.contains("<news:language>en</news:language>"));
    assert!(locs(&news).len() <= 1_000 && !locs(&news).is_empty());

    // A retraction leaves both at once.
    app.store
        .retract_article(1, "不实", engine.now())
        .await
        .expect("retracted");
    engine.follow_changes().await.expect("applied");
    let child = app.get("/sitemaps/articles-1.xml").await.text();
    assert!(!locs(&child).contains(&flagship_url));
    assert!(!locs(&app.get("/sitemap-news.xml").await.text()).contains(&flagship_url));
}
