//! The change log and exact cache invalidation: a change forgets only the
//! pages that depend on it, on this node at once and on another node on
//! the same PostgreSQL within a second; a node catches up from the log.

use crate::support::*;
use axum::http::StatusCode;
use std::time::{Duration, Instant};

/// The demo's retracted-on-demand victim and a page that does not link it.
const VICTIM: &str = "/news/china/29-bridge-closure-report.html";

/// The article id in an article URL.
fn id_of(path: &str) -> i64 {
    path.rsplit('/')
        .next()
        .and_then(|f| f.split('-').next())
        .and_then(|id| id.parse().ok())
        .expect("an article URL")
}

/// A published article on a channel's list, that list, and an article
/// page that does not link it.
async fn victim_and_bystander(app: &TestApp) -> (String, &'static str, String) {
    const LIST: &str = "/news/china/";
    let list = app.get(LIST).await.html();
    let home = app.get("/").await.html();
    let articles: Vec<String> = attrs(&home, "a", "href")
        .into_iter()
        .filter(|h| h.ends_with(".html"))
        .collect();
    for victim in attrs(&list, "main a", "href") {
        if !victim.ends_with(".html") || victim == VICTIM {
            continue;
        }
        for candidate in &articles {
            if *candidate == victim || candidate == VICTIM {
                continue;
            }
            let page = app.get(candidate).await;
            if page.status == StatusCode::OK && !page.text().contains(victim.as_str()) {
                return (victim, LIST, candidate.clone());
            }
        }
    }
    panic!("every article page links every article of {LIST}");
}

#[tokio::test]
async fn a_retraction_forgets_the_pages_that_show_the_article_and_no_others() {
    let app = TestApp::new().await;
    let engine = app.engine();
    engine.follow_changes().await.expect("start");
    let (victim, list, bystander) = victim_and_bystander(&app).await;
    // Cached, and counted.
    for path in [list, victim.as_str(), bystander.as_str()] {
        assert_eq!(app.get(path).await.status, StatusCode::OK);
    }
    let (builds, _) = engine.build_counts();
    app.get(&bystander).await;
    assert_eq!(engine.build_counts().0, builds, "served from the cache");

    app.store
        .retract_article(id_of(&victim), "不实", engine.now())
        .await
        .expect("retract");
    assert_eq!(engine.follow_changes().await.expect("follow"), 1);
    assert_eq!(app.get(&victim).await.status, StatusCode::GONE);
    assert!(
        !app.get("/").await.text().contains(victim.as_str()),
        "off the home page at once"
    );
    let (builds, _) = engine.build_counts();
    assert_eq!(app.get(&bystander).await.status, StatusCode::OK);
    assert_eq!(
        engine.build_counts().0,
        builds,
        "a page without it stays cached"
    );
    // Nothing new: nothing applied.
    assert_eq!(engine.follow_changes().await.expect("again"), 0);
}

#[tokio::test]
async fn a_node_catches_up_from_the_log_after_missing_the_signals() {
    let app = TestApp::new().await;
    let other = app.another_node();
    other.engine().follow_changes().await.expect("start");
    let (victim, _, _) = victim_and_bystander(&other).await;
    assert_eq!(other.get(&victim).await.status, StatusCode::OK);
    // Two changes on the first node, none of them signalled to the other.
    let now = app.engine().now();
    app.store
        .retract_article(id_of(&victim), "不实", now)
        .await
        .expect("retract");
    app.store
        .retract_article(id_of(VICTIM), "不实", now)
        .await
        .expect("again");
    assert_eq!(
        other.get(&victim).await.status,
        StatusCode::OK,
        "still its cached copy"
    );
    assert_eq!(other.engine().follow_changes().await.expect("catch up"), 2);
    assert_eq!(other.get(&victim).await.status, StatusCode::GONE);
}

/// Two nodes on one PostgreSQL: a retraction on one reaches the other's
/// cache through NOTIFY within a second.
#[tokio::test]
async fn a_change_on_one_node_reaches_another_within_a_second_on_postgres() {
    let Some((store, schema)) = PgSchema::create("site_nodes").await else {
        return;
    };
    let a = TestApp::with_store(store, None).await;
    let b = a.another_node();
    a.engine_arc().start_following().await.expect("a follows");
    b.engine_arc().start_following().await.expect("b follows");
    let (victim, list, _) = victim_and_bystander(&b).await;
    assert_eq!(b.get(&victim).await.status, StatusCode::OK);
    assert!(b.get(list).await.text().contains(victim.as_str()));

    a.store
        .retract_article(id_of(&victim), "不实", a.engine().now())
        .await
        .expect("retract");
    a.engine()
        .content_changed()
        .await
        .expect("a applies its own change");
    let started = Instant::now();
    while b.get(&victim).await.status != StatusCode::GONE {
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "not on node b within a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!b.get(list).await.text().contains(victim.as_str()));
    drop((a, b));
    schema.drop_schema().await;
}

#[tokio::test]
async fn a_retracted_article_leaves_the_sidebar_of_every_cached_page_at_once() {
    let app = TestApp::new().await;
    let engine = app.engine();
    engine.follow_changes().await.expect("start");
    // The week's most read article, in the sidebar of every page.
    let home = app.get("/").await.html();
    let top = attrs(&home, "aside.sidebar .most-read a, aside.sidebar a", "href")
        .into_iter()
        .find(|h| h.ends_with(".html"))
        .expect("an article in the sidebar");
    let pages: Vec<String> = attrs(&home, "main a", "href")
        .into_iter()
        .filter(|h| h.ends_with(".html") && *h != top && h != VICTIM)
        .take(5)
        .chain(["/".to_owned(), "/news/".to_owned()])
        .collect();
    for page in &pages {
        let text = app.get(page).await.text();
        assert!(
            text.contains(top.as_str()),
            "{page} shows {top} in its sidebar"
        );
    }
    app.store
        .retract_article(id_of(&top), "不实", engine.now())
        .await
        .expect("retract");
    engine.follow_changes().await.expect("follow");
    for page in &pages {
        let reply = app.get(page).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        assert!(
            !reply.text().contains(top.as_str()),
            "{top} still on {page}"
        );
    }
}
