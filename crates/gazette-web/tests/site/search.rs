//! Readers' search through the real router: the header's form on every
//! page, the results page without JavaScript, the JSON endpoint, hostile
//! queries, the rate limit, and the index following publications,
//! retractions and take-downs on this node at once and on another node.

use crate::support::*;
use axum::http::StatusCode;
use std::time::{Duration, Instant};

/// The demo's crewed-launch story: its title has 航天员, its text 空间站.
const LAUNCH: &str = "/science/space/45-crewed-spacecraft-launch.html";

async fn searched(app: &TestApp) -> &TestApp {
    app.engine().update_search().await.expect("index the demo");
    app
}

fn result_links(reply: &Reply) -> Vec<String> {
    attrs(&reply.html(), "ol.search-results h2 a", "href")
}

#[tokio::test]
async fn every_page_has_a_search_form_that_works_without_javascript() {
    let app = TestApp::new().await;
    searched(&app).await;
    for (page, action) in [
        ("/", "/search"),
        ("/en/", "/en/search"),
        (LAUNCH, "/search"),
    ] {
        let html = app.get(page).await.html();
        let forms = select(&html, "header form[role=search]");
        assert_eq!(forms.len(), 1, "{page}");
        assert_eq!(forms[0].value().attr("action"), Some(action), "{page}");
        assert_eq!(forms[0].value().attr("method"), Some("get"), "{page}");
        assert_eq!(
            select(&html, "header form input[type=search][name=q]").len(),
            1,
            "{page}"
        );
    }
    let reply = app.get("/search?q=%E8%88%AA%E5%A4%A9%E5%91%98").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("cache-control"), "no-store");
    let links = result_links(&reply);
    assert_eq!(links.first().map(String::as_str), Some(LAUNCH), "{links:?}");
    let html = reply.html();
    assert!(
        select(&html, "ol.search-results mark")
            .iter()
            .any(|m| text(m) == "航天员"),
        "matches are marked"
    );
    assert_eq!(
        attrs(&html, "header input[name=q]", "value"),
        ["航天员"],
        "the header keeps the query"
    );
    assert_eq!(attrs(&html, "meta[name=robots]", "content"), ["noindex"]);
    // A fragment of two characters from inside a word.
    assert!(
        result_links(&app.get("/search?q=%E5%A4%A9%E5%91%98").await).contains(&LAUNCH.to_owned())
    );
    // English, in either case and number.
    let english = app.get("/en/search?q=RAILWAYS").await;
    assert!(!result_links(&english).is_empty());
    assert_eq!(
        english.html().root_element().value().attr("lang"),
        Some("en")
    );
}

#[tokio::test]
async fn hostile_queries_get_results_or_none_never_an_error() {
    let app = TestApp::new().await;
    searched(&app).await;
    let long = "%E8%88%AA".repeat(3_400);
    for query in [
        "%22",
        "(",
        "title%3A",
        "AND",
        "*",
        "%FF%FE%FD",
        "%E8%88",
        "%00",
        "a%22%20OR%201%3D1--",
        "%3Cscript%3Ealert(1)%3C/script%3E",
        &"x".repeat(10_240),
        &long,
    ] {
        for path in ["/search", "/api/search"] {
            let reply = app.get(&format!("{path}?q={query}")).await;
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "{path}?q={}",
                &query[..query.len().min(40)]
            );
        }
    }
    let reply = app.get("/search?q=%3Cscript%3E").await;
    assert!(!reply.text().contains("<script>"), "the query is escaped");
    // Filters and cursors that mean nothing are left out.
    let reply = app
        .get("/search?q=%E8%88%AA%E5%A4%A9&after=junk&channel=x&topic=-1&lang=fr&from=2026-13-45&until=yesterday")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(!result_links(&reply).is_empty());
}

#[tokio::test]
async fn filters_and_pages_narrow_and_continue_the_results() {
    let app = TestApp::new().await;
    searched(&app).await;
    let all: serde_json::Value =
        serde_json::from_slice(&app.get("/api/search?q=%E7%9A%84&limit=50").await.body)
            .expect("json");
    let total = all["total"].as_u64().expect("total");
    assert!(total > 12, "a common character finds many: {total}");
    // Pages of five, following the cursor, give every result once.
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let page: serde_json::Value = serde_json::from_slice(
            &app.get(&format!("/api/search?q=%E7%9A%84&limit=5{after}"))
                .await
                .body,
        )
        .expect("json");
        seen.extend(
            page["results"]
                .as_array()
                .expect("results")
                .iter()
                .map(|r| r["id"].as_u64()),
        );
        match page["next"].as_str() {
            Some(next) => after = format!("&after={next}"),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len() as u64, total);
    assert_eq!(seen.len(), unique.len(), "no result twice");
    // The page links the next page without JavaScript.
    let html = app.get("/search?q=%E7%9A%84").await.html();
    let next = attrs(&html, "nav.pager a[rel=next]", "href");
    assert_eq!(next.len(), 1);
    assert_eq!(app.get(&next[0]).await.status, StatusCode::OK);
    // Language and channel filters.
    let english: serde_json::Value =
        serde_json::from_slice(&app.get("/api/search?q=the&lang=en&limit=50").await.body)
            .expect("json");
    assert!(
        english["results"]
            .as_array()
            .expect("results")
            .iter()
            .all(|r| r["lang"] == "en")
    );
    let science: serde_json::Value = serde_json::from_slice(
        &app.get("/api/search?q=%E7%9A%84&channel=11&limit=50")
            .await
            .body,
    )
    .expect("json");
    for hit in science["results"].as_array().expect("results") {
        assert!(
            hit["url"].as_str().is_some_and(|u| u.contains("/science/")),
            "{hit}"
        );
    }
}

#[tokio::test]
async fn searches_past_the_networks_budget_get_429() {
    let app = TestApp::new().await;
    searched(&app).await;
    let mut statuses = Vec::new();
    for _ in 0..70 {
        statuses.push(
            app.get_from("198.51.100.7:4000", "/search?q=news", &[])
                .await
                .status,
        );
    }
    assert_eq!(statuses[0], StatusCode::OK);
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(
        app.get_from("203.0.113.9:4000", "/search?q=news", &[])
            .await
            .status,
        StatusCode::OK,
        "another network is not held back"
    );
}

#[tokio::test]
async fn a_retraction_leaves_the_results_at_once() {
    let app = TestApp::new().await;
    searched(&app).await;
    let query = "/search?q=%E8%88%AA%E5%A4%A9%E5%91%98";
    assert!(result_links(&app.get(query).await).contains(&LAUNCH.to_owned()));
    app.store
        .retract_article(45, "不实", app.engine().now())
        .await
        .expect("retract");
    app.engine().content_changed().await.expect("follow");
    assert!(!result_links(&app.get(query).await).contains(&LAUNCH.to_owned()));
}

/// Two nodes on one PostgreSQL, each with its own index: a take-down on
/// one leaves the other's results within a second.
#[tokio::test]
async fn a_change_reaches_another_nodes_index_within_a_second_on_postgres() {
    let Some((store, schema)) = PgSchema::create("site_search").await else {
        return;
    };
    let a = TestApp::with_store(store, None).await;
    let b = a.another_node();
    a.engine_arc().start_following().await.expect("a follows");
    b.engine_arc().start_following().await.expect("b follows");
    let query = "/search?q=%E8%88%AA%E5%A4%A9%E5%91%98";
    let started = Instant::now();
    while !result_links(&b.get(query).await).contains(&LAUNCH.to_owned()) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "b's index is filled"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    a.store
        .retract_article(45, "不实", a.engine().now())
        .await
        .expect("retract");
    a.engine()
        .content_changed()
        .await
        .expect("a applies its own change");
    assert!(!result_links(&a.get(query).await).contains(&LAUNCH.to_owned()));
    let started = Instant::now();
    while result_links(&b.get(query).await).contains(&LAUNCH.to_owned()) {
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "not gone from node b within a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop((a, b));
    schema.drop_schema().await;
}

/// The worklist's search box: the same engine over drafts, under the role
/// rules, following saves at once.
#[tokio::test]
async fn staff_search_finds_drafts_by_fragment_within_each_role() {
    use crate::articles::{create, get_as, member, post_as};
    use gazette_core::Role;
    let app = TestApp::new().await;
    searched(&app).await;
    let (_, author) = member(&app, "writer@s.org", "撰稿人甲", Role::Author, 21).await;
    let (_, other) = member(&app, "other@s.org", "撰稿人乙", Role::Author, 22).await;
    let (_, editor) = member(&app, "editor@s.org", "编辑丙", Role::Editor, 23).await;
    let fields = |title: &'static str, by: &'static str| {
        vec![
            ("title", title),
            ("lang", "zh"),
            ("channel_id", "1"),
            ("summary", "草稿的摘要。"),
            ("body", "<p>深海热液区发现新的微生物群落。</p>"),
            ("author_name", by),
        ]
    };
    let mine = create(&app, &author, &fields("深海探测队的第一份报告", "撰稿人甲")).await;
    let theirs = create(&app, &other, &fields("深海钻探的另一份报告", "撰稿人乙")).await;
    let found = |cookie: &str, q: &str| {
        let path = format!("/admin/articles?q={q}");
        let cookie = cookie.to_owned();
        let app = &app;
        async move {
            let html = get_as(app, &cookie, &path).await.html();
            attrs(&html, "tbody a", "href")
        }
    };
    // 热液 is in the body only; 探测队 is a fragment of the title.
    let by_editor = found(&editor, "%E7%83%AD%E6%B6%B2").await;
    for id in [mine, theirs] {
        assert!(
            by_editor.contains(&format!("/admin/articles/{id}")),
            "{by_editor:?}"
        );
    }
    let by_author = found(&author, "%E7%83%AD%E6%B6%B2").await;
    assert_eq!(
        by_author,
        [format!("/admin/articles/{mine}")],
        "only one's own"
    );
    assert_eq!(
        found(&author, "%E6%8E%A2%E6%B5%8B%E9%98%9F").await,
        [format!("/admin/articles/{mine}")]
    );
    // A save is searchable at once.
    let base = crate::articles::base_of(&app, &author, mine).await;
    let mut edited = fields("冰川融水的第一份报告", "撰稿人甲");
    edited.push(("base", &base));
    let saved = post_as(&app, &author, &format!("/admin/articles/{mine}"), &edited).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(
        found(&author, "%E5%86%B0%E5%B7%9D").await,
        [format!("/admin/articles/{mine}")]
    );
    assert!(
        found(&author, "%E6%8E%A2%E6%B5%8B%E9%98%9F")
            .await
            .is_empty()
    );
    // Readers never see drafts.
    assert!(result_links(&app.get("/search?q=%E7%83%AD%E6%B6%B2").await).is_empty());
}

/// Search insights: counted once per asker and day, shown from five askers,
/// nothing that names an asker kept.
#[tokio::test]
async fn editors_see_frequent_queries_and_never_rare_ones() {
    use crate::articles::{get_as, member};
    use gazette_core::Role;
    let app = TestApp::new().await;
    searched(&app).await;
    let (_, editor) = member(&app, "insights@s.org", "编辑丁", Role::Editor, 31).await;
    // Five networks ask for 航天员 (one of them three times), four ask for
    // a query that finds nothing, one asks for a rare one.
    for (i, peer) in [
        "198.51.100.1",
        "198.51.100.2",
        "198.51.100.3",
        "198.51.100.4",
        "198.51.100.5",
    ]
    .iter()
    .enumerate()
    {
        let times = if i == 0 { 3 } else { 1 };
        for _ in 0..times {
            app.get_from(
                &format!("{peer}:5000"),
                "/search?q=%E8%88%AA%E5%A4%A9%E5%91%98",
                &[],
            )
            .await;
        }
    }
    for peer in [
        "203.0.113.1",
        "203.0.113.2",
        "203.0.113.3",
        "203.0.113.4",
        "203.0.113.5",
    ] {
        app.get_from(&format!("{peer}:5000"), "/api/search?q=zzqqxx", &[])
            .await;
    }
    for peer in ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"] {
        app.get_from(&format!("{peer}:5000"), "/search?q=%E7%BD%95%E8%A7%81", &[])
            .await;
    }
    // Counting happens off the answer's path.
    let started = Instant::now();
    let rows = loop {
        let html = get_as(&app, &editor, "/admin/dashboard").await.html();
        let rows = texts(&html, "section:last-of-type tbody tr");
        if rows.len() >= 3 || started.elapsed() > Duration::from_secs(5) {
            break rows;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let joined = rows.join("\n");
    assert!(
        joined.contains("航天员5"),
        "five distinct askers, not seven asks: {joined}"
    );
    assert!(joined.contains("zzqqxx5"), "{joined}");
    assert!(
        !joined.contains("罕见"),
        "four askers are too few to show: {joined}"
    );
    // Found nothing: only the query with no results.
    let html = get_as(&app, &editor, "/admin/dashboard").await.html();
    let unfound = texts(&html, "section:last-of-type > div.table-wrap tbody tr");
    assert_eq!(unfound.len(), 1, "{unfound:?}");
    assert!(unfound[0].contains("zzqqxx"));
    // What is kept: per-day counts, and the words of frequent queries only.
    let (kept,): (i64,) = sqlx_count(&app, "SELECT COUNT(*) FROM search_queries").await;
    assert_eq!(kept, 3);
    let (worded,): (i64,) = sqlx_count(
        &app,
        "SELECT COUNT(*) FROM search_queries WHERE query IS NOT NULL",
    )
    .await;
    assert_eq!(worded, 2, "the rare query's words are not stored");
}

/// One number from the test database.
async fn sqlx_count(app: &TestApp, sql: &str) -> (i64,) {
    use sqlx::Connection;
    let db = app.data_dir().expect("sqlite").join("gazette.db");
    let mut connection = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .expect("connect");
    sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut connection)
        .await
        .expect("query")
}
