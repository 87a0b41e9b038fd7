//! The public site, page by page, through the real router on a fresh
//! database with the demo content. Assertions read the parsed HTML.

/// The back office: accounts, sessions, and the attacks on them.
#[path = "site/admin.rs"]
mod admin;
/// Writing: drafts, revisions, conflicts, previews.
#[path = "site/articles.rs"]
mod articles;
/// The change log and exact invalidation, across nodes.
#[path = "site/changes.rs"]
mod changes;
/// Publishing: schedules, corrections, the update log, withdrawals.
#[path = "site/channels.rs"]
mod channels;

#[path = "site/curation.rs"]
mod curation;

#[path = "site/dashboard.rs"]
mod dashboard;

#[path = "site/media.rs"]
mod media;

#[path = "site/sitemaps.rs"]
mod sitemaps;

/// Feeds: well-formed whatever they carry, cached with their lists.
#[path = "site/feeds.rs"]
mod feeds;

/// Readers' search: the form, the results, the index following changes.
#[path = "site/search.rs"]
mod search;

#[path = "site/publishing.rs"]
mod publishing;
/// Review and sign-off, publishing.
#[path = "site/review.rs"]
mod review;
mod support;

use axum::http::{Method, StatusCode};
use std::io::Read;
use support::*;

/// The demo's long flagship article: topic, translation, cover, inline figure.
const FLAGSHIP: &str = "/digital/governance/1-shared-safe-open-cyberspace.html";

#[tokio::test]
async fn article_page_shows_every_element_of_the_reference_page() {
    let app = TestApp::new().await;
    let reply = app.get(FLAGSHIP).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.html();

    // 首页 > 数字化 > 网络治理 > 专题 > 正文, as links.
    let crumbs = texts(&html, "nav.breadcrumb li");
    assert_eq!(
        crumbs,
        ["首页", "数字化", "网络治理", "互联网大会乌镇峰会", "正文"]
    );
    assert_eq!(
        attrs(&html, "nav.breadcrumb a", "href"),
        [
            "/",
            "/digital/",
            "/digital/governance/",
            "/topic/wuzhen-summit/"
        ]
    );

    // Title, kicker, subtitle; source and time in the site's zone.
    assert_eq!(one(&html, "h1"), "让网络空间更普惠、更安全、更开放");
    assert_eq!(one(&html, ".article-head .kicker"), "峰会观察");
    assert!(one(&html, ".subtitle").starts_with("弥合数字鸿沟"));
    assert_eq!(one(&html, ".article-meta .source"), "来源：本报");
    let datetime = attrs(&html, "time.published", "datetime").remove(0);
    assert!(datetime.ends_with("+08:00"), "{datetime}");
    assert_eq!(
        one(&html, "time.published"),
        datetime[..16].replace('T', " ")
    );

    // Byline with affiliation; the credit chain as links.
    assert_eq!(
        one(&html, ".byline"),
        "作者丨何晓雯 东湖大学法学院教授、网络法研究中心主任"
    );
    assert_eq!(attrs(&html, ".byline a", "href"), ["/author/he-xiaowen/"]);
    let credits = one(&html, ".credits");
    assert!(
        credits.contains("编辑：")
            && credits.contains("统筹：乔振")
            && credits.contains("[ 责编：罗文静 ]"),
        "{credits}"
    );
    assert_eq!(select(&html, ".credits a").len(), 3);

    // Cover with caption and photo credit; the body's own figure; Markdown emphasis.
    assert_eq!(attrs(&html, ".cover img", "width"), ["1200"]);
    assert!(!attrs(&html, ".cover img", "alt")[0].is_empty());
    assert!(one(&html, ".cover figcaption").contains("制图：本报"));
    assert_eq!(
        select(&html, ".article-body figure img[loading=lazy]").len(),
        1
    );
    assert!(one(&html, ".article-body figure figcaption").contains("制图：本报"));
    assert!(select(&html, ".article-body p").len() >= 8, "long article");
    assert!(
        texts(&html, ".article-body strong")
            .iter()
            .any(|t| t == "弥合数字鸿沟，首先是让网络用得起、用得上")
    );

    // Share panel: a copyable absolute link without JavaScript, a button for the script.
    assert_eq!(
        attrs(&html, ".share input#share-url", "value"),
        [format!("{BASE}{FLAGSHIP}")]
    );
    assert_eq!(
        select(&html, ".share .share-actions[hidden] button[data-share]").len(),
        1
    );
    assert!(one(&html, ".wechat-tip[hidden] p").contains("右上角"));

    // Now-reading bar, read-the-rest label (the full text is always in the HTML).
    assert_eq!(
        one(&html, ".now-reading[hidden]"),
        "正在阅读：让网络空间更普惠、更安全、更开放"
    );
    assert_eq!(select(&html, "template#read-rest-label").len(), 1);
    assert_eq!(select(&html, "#article-body[data-fold]").len(), 1);

    // Related reading: real articles, never this one.
    let related = attrs(&html, ".related a", "href");
    assert!(related.len() >= 3, "{related:?}");
    assert!(!related.iter().any(|h| h == FLAGSHIP));
    for href in &related {
        assert_eq!(app.get(href).await.status, StatusCode::OK, "{href}");
    }

    // Mood vote with counts equal to the stored totals.
    let totals = app.store.mood_totals(1).await.expect("totals");
    let moods = select(&html, ".moods li");
    assert_eq!(moods.len(), 4);
    assert_eq!(
        texts(&html, ".moods .mood-label"),
        ["开心", "难过", "点赞", "飘过"]
    );
    for mood in &moods {
        let key = mood.value().attr("data-mood").expect("mood key");
        let shown: i64 = text(
            &mood
                .select(&scraper::Selector::parse(".count").expect("css"))
                .next()
                .expect("count"),
        )
        .parse()
        .expect("number");
        let stored = totals.iter().find(|(k, _)| k == key).map_or(0, |(_, n)| *n);
        assert_eq!(shown, stored, "{key}");
    }

    // Mood ranking block, the two slots, the photo stream with a next-page link.
    assert_eq!(select(&html, ".sidebar .ranking h3").len(), 4);
    assert!(!select(&html, ".sidebar .ranking ol li a").is_empty());
    assert_eq!(one(&html, ".slot-visual-focus h2"), "视觉焦点");
    assert!(!select(&html, ".slot-visual-focus li img").is_empty());
    assert_eq!(one(&html, ".slot-exclusive h2"), "独家策划");
    assert_eq!(select(&html, ".stream li.photo").len(), 8);
    let next = attrs(&html, ".stream a[rel=next]", "href").remove(0);
    assert!(next.starts_with("/stream/?after="), "{next}");

    // Translation linked with hreflang, share-card metadata and NewsArticle JSON-LD.
    assert_eq!(attrs(&html, ".translations a", "hreflang"), ["en"]);
    assert_eq!(
        attrs(&html, "link[rel=canonical]", "href"),
        [format!("{BASE}{FLAGSHIP}")]
    );
    assert_eq!(
        attrs(&html, "link[rel=alternate]", "hreflang"),
        ["zh-CN", "en"]
    );
    assert_eq!(
        attrs(&html, "meta[property='og:type']", "content"),
        ["article"]
    );
    assert!(attrs(&html, "meta[property='og:image']", "content")[0].starts_with(BASE));
    let jsonld: serde_json::Value =
        serde_json::from_str(&one(&html, "script[type='application/ld+json']")).expect("JSON-LD");
    assert_eq!(jsonld["@type"], "NewsArticle");
    assert_eq!(jsonld["headline"], "让网络空间更普惠、更安全、更开放");
    assert_eq!(jsonld["author"][0]["name"], "何晓雯");
    assert_eq!(jsonld["datePublished"], datetime);
}

#[tokio::test]
async fn related_reading_follows_publishing_and_retraction() {
    let app = TestApp::new().await;
    let related = |html: &scraper::Html| attrs(html, ".related a", "href");
    let first = related(&app.get(FLAGSHIP).await.html());
    assert_eq!(first.len(), 6, "{first:?}");
    assert!(!first.iter().any(|h| h == FLAGSHIP || h.contains("/29-")));

    // Retracting the best match takes it off the list.
    let best_id: i64 = first[0]
        .rsplit('/')
        .next()
        .and_then(|file| file.split('-').next())
        .and_then(|id| id.parse().ok())
        .expect("article id in the URL");
    app.store
        .retract_article(best_id, "test", jiff::Timestamp::now().as_second())
        .await
        .expect("retract");
    let engine = &app.app.state.engine;
    engine.content_changed().await.expect("refresh");
    let after = related(&app.get(FLAGSHIP).await.html());
    assert!(!after.contains(&first[0]), "{after:?}");
    assert_eq!(after[0], first[1]);

    // A new story on the same subject is ranked first once published.
    let flagship = app.store.article(1).await.expect("flagship");
    let now = jiff::Timestamp::now().as_second();
    let follow_up = app
        .store
        .create_article(&gazette_store::NewArticle {
            lang: gazette_core::Lang::Zh,
            slug: gazette_core::Slug::parse("follow-up").expect("slug"),
            channel_id: flagship.summary.channel_id,
            topic_id: None,
            translation_group: None,
            status: gazette_core::ArticleStatus::Published,
            title: format!("{}：后续", flagship.summary.title),
            kicker: None,
            subtitle: None,
            gallery: false,
            summary: flagship.summary.summary.clone(),
            body: flagship.body.clone(),
            source: None,
            published_at: now - 60,
            updated_at: now - 60,
            cover: None,
            credits: vec![],
            tags: vec![],
        })
        .await
        .expect("publish");
    engine.content_changed().await.expect("refresh");
    let html = app.get(FLAGSHIP).await.html();
    let with_new = related(&html);
    assert!(
        with_new[0].contains(&format!("/{follow_up}-follow-up.html")),
        "{with_new:?}"
    );
    for href in &with_new {
        assert_eq!(app.get(href).await.status, StatusCode::OK, "{href}");
    }
}

#[tokio::test]
async fn translations_link_both_ways_and_speak_their_language() {
    let app = TestApp::new().await;
    let zh = app.get(FLAGSHIP).await.html();
    let en_url = attrs(&zh, ".translations a", "href").remove(0);
    assert!(en_url.starts_with("/en/digital/governance/"), "{en_url}");
    let en = app.get(&en_url).await;
    assert_eq!(en.status, StatusCode::OK);
    let en = en.html();
    assert_eq!(attrs(&en, "html", "lang"), ["en"]);
    assert_eq!(
        one(&en, "h1"),
        "Making cyberspace more inclusive, safer and more open"
    );
    assert_eq!(attrs(&en, ".translations a", "href"), [FLAGSHIP]);
    assert_eq!(attrs(&en, ".translations a", "hreflang"), ["zh-CN"]);
    assert_eq!(texts(&en, "nav.breadcrumb li")[0], "Home");
    assert!(one(&en, ".article-meta .source").starts_with("Source:"));
    assert_eq!(
        texts(&en, ".moods .mood-label"),
        ["Happy", "Sad", "Like", "Passing by"]
    );
    assert_eq!(attrs(&en, "a.lang-switch", "href"), [FLAGSHIP]);
}

#[tokio::test]
async fn home_page_is_a_busy_front_page() {
    let app = TestApp::new().await;
    let reply = app.get("/").await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.html();
    assert_eq!(attrs(&html, "html", "lang"), ["zh-CN"]);
    assert_eq!(
        texts(&html, ".channel-bar a"),
        [
            "首页",
            "要闻",
            "数字化",
            "财经",
            "文化",
            "科学",
            "体育",
            "推荐",
            "排行"
        ]
    );
    assert_eq!(select(&html, ".lead .lead-story article.card").len(), 1);
    assert_eq!(select(&html, ".lead .top-stories article.card").len(), 3);
    assert!(select(&html, ".latest li").len() >= 10);
    assert_eq!(
        select(&html, ".section").len(),
        6,
        "a block per top-level channel"
    );
    assert_eq!(select(&html, ".topics .card").len(), 3);
    let focus = select(&html, ".slot-visual-focus li").len();
    assert!((1..=4).contains(&focus), "slot size limit: {focus}");
    assert!(!select(&html, ".slot-exclusive li").is_empty());
    assert_eq!(select(&html, ".stream li.photo").len(), 8);
    assert_eq!(
        texts(&html, ".site-footer p")[1..3],
        ["测试ICP备12345678号", "新闻许可证 10120170000"]
    );
    // Every article link on the page resolves.
    for href in attrs(&html, ".lead a, .latest a", "href") {
        assert_eq!(app.get(&href).await.status, StatusCode::OK, "{href}");
    }
    let en = app.get("/en/").await.html();
    assert_eq!(attrs(&en, "html", "lang"), ["en"]);
    assert_eq!(texts(&en, ".channel-bar a")[0], "Home");
    assert_eq!(select(&en, ".lead article.card").len(), 4);
}

#[tokio::test]
async fn the_front_page_has_a_lead_story_and_repeats_nothing_near_the_top() {
    let app = TestApp::new().await;
    let html = app.get("/").await.html();
    let lead = attrs(&html, ".lead-story .card-title a", "href");
    assert_eq!(lead.len(), 1);
    assert_eq!(
        attrs(&html, ".lead-story img", "fetchpriority"),
        ["high"],
        "the lead's picture loads first"
    );
    // The lead, the top stories and the sidebar's slots (the first screen
    // at 390 and 1280 px): every story once.
    let near_top = attrs(
        &html,
        ".lead .card-title a, .slot-visual-focus a, .slot-exclusive a",
        "href",
    );
    let mut unique = near_top.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), near_top.len(), "{near_top:?}");
    // A curated headline slot decides the lead.
    let headline = app
        .store
        .create_slot(&gazette_store::NewSlot {
            key: "headline".into(),
            name_zh: "头条".into(),
            name_en: "Headline".into(),
            size_limit: 1,
        })
        .await
        .expect("slot");
    app.store
        .set_slot_entry(headline, 1, 1, None)
        .await
        .expect("entry");
    app.engine().invalidate_all();
    let curated = app.get("/").await.html();
    assert_eq!(
        attrs(&curated, ".lead-story .card-title a", "href"),
        [FLAGSHIP]
    );
    assert!(
        !attrs(&curated, ".top-stories a", "href").contains(&FLAGSHIP.to_owned()),
        "the lead is not repeated in the row under it"
    );
}

#[tokio::test]
async fn channel_pages_list_the_channel_and_its_children_with_cursor_pages() {
    let app = TestApp::new().await;
    let html = app.get("/news/").await.html();
    assert_eq!(one(&html, "h1"), "要闻");
    assert_eq!(
        attrs(&html, ".subnav a", "href"),
        ["/news/china/", "/news/world/"]
    );
    assert_eq!(
        attrs(&html, ".channel-bar a[aria-current]", "href"),
        ["/news/"]
    );
    let mut seen = attrs(&html, ".card-list h2 a", "href");
    assert_eq!(seen.len(), 12);
    assert!(
        seen.iter()
            .all(|h| h.starts_with("/news/china/") || h.starts_with("/news/world/"))
    );
    let next = attrs(&html, ".more a[rel=next]", "href").remove(0);
    let second = app.get(&next).await.html();
    let more = attrs(&second, ".card-list h2 a", "href");
    assert!(!more.is_empty());
    assert!(
        more.iter().all(|h| !seen.contains(h)),
        "no duplicates across pages"
    );
    seen.extend(more);
    assert!(select(&second, ".more a[rel=next]").is_empty(), "last page");

    let sub = app.get("/news/china/").await.html();
    assert_eq!(texts(&sub, "nav.breadcrumb li"), ["首页", "要闻", "国内"]);
    assert!(
        attrs(&sub, ".subnav a", "href").contains(&"/topic/spring-travel/".to_owned()),
        "topics hang in the tree"
    );
}

#[tokio::test]
async fn topic_tag_and_author_pages() {
    let app = TestApp::new().await;
    let topic = app.get("/topic/spring-travel/").await;
    assert_eq!(topic.status, StatusCode::OK);
    let topic = topic.html();
    assert_eq!(one(&topic, "h1"), "春运观察");
    assert_eq!(
        texts(&topic, "nav.breadcrumb li"),
        ["首页", "要闻", "国内", "春运观察"]
    );
    assert_eq!(select(&topic, ".card-list .card").len(), 4);
    assert_eq!(select(&topic, ".list-head img").len(), 1);

    let article = app.get(FLAGSHIP).await.html();
    let tag_link = select(&article, ".tags a")
        .into_iter()
        .find(|a| text(a) == "数字鸿沟")
        .and_then(|a| a.value().attr("href").map(str::to_owned))
        .expect("tag link");
    assert_eq!(tag_link, "/tag/%E6%95%B0%E5%AD%97%E9%B8%BF%E6%B2%9F/");
    let tag = app.get(&tag_link).await.html();
    assert_eq!(one(&tag, "h1"), "数字鸿沟");
    assert!(select(&tag, ".card-list .card").len() >= 4);

    let author = app.get("/author/he-xiaowen/").await.html();
    assert_eq!(one(&author, "h1"), "何晓雯");
    assert_eq!(
        one(&author, ".description"),
        "东湖大学法学院教授、网络法研究中心主任"
    );
    assert_eq!(attrs(&author, ".card-list h2 a", "href"), [FLAGSHIP]);
    let en_author = app.get("/en/author/he-xiaowen/").await.html();
    assert_eq!(
        select(&en_author, ".card-list .card").len(),
        1,
        "the English translation"
    );
    assert_eq!(one(&en_author, "h1"), "He Xiaowen", "the English name");
    assert!(one(&en_author, ".description").starts_with("Professor of law"));
}

#[tokio::test]
async fn people_appear_in_the_language_of_the_page_and_agree_with_the_articles() {
    let app = TestApp::new().await;
    let zh = app.get(FLAGSHIP).await.html();
    let en_url = attrs(&zh, ".translations a", "href").remove(0);
    let en = app.get(&en_url).await.html();
    let byline = one(&en, ".byline");
    assert!(byline.contains("He Xiaowen"), "{byline}");
    assert!(
        !byline.chars().any(gazette_core::typography::is_han),
        "no Chinese in an English byline: {byline}"
    );
    // The byline's affiliation is what the note at the end of the body says.
    for (html, note_of) in [
        (&zh, "东湖大学法学院教授、网络法研究中心主任"),
        (&en, "Cyber Law Centre"),
    ] {
        assert!(one(html, ".byline").contains(note_of));
        let body = texts(html, ".article-body p").join(" ");
        assert!(body.contains(note_of), "the note agrees: {note_of}");
    }
    // Editors and the rest of the credit chain too.
    let credits = one(&en, ".credits");
    assert!(
        !credits.chars().any(gazette_core::typography::is_han),
        "{credits}"
    );
}

#[tokio::test]
async fn ranking_and_stream_pages() {
    let app = TestApp::new().await;
    let ranking = app.get("/ranking/").await.html();
    assert_eq!(one(&ranking, "h1"), "排行榜");
    assert_eq!(
        texts(&ranking, ".ranking-period h2"),
        [
            "阅读排行",
            "新闻表情排行 · 今日",
            "新闻表情排行 · 本周",
            "新闻表情排行 · 本月"
        ]
    );
    assert_eq!(
        texts(&ranking, "#most-read-page-h ~ .mood-columns h3"),
        ["今日", "本周", "本月"]
    );
    let ranked = |css: &str| -> Vec<i64> {
        texts(&ranking, css)
            .iter()
            .map(|c| c.parse().expect("count"))
            .collect()
    };
    for css in [
        "#period-month-h ~ .mood-columns .mood-column:first-child .count",
        "#most-read-page-h ~ .mood-columns .mood-column:nth-child(2) .count",
    ] {
        let counts = ranked(css);
        assert!(!counts.is_empty(), "{css}");
        assert!(
            counts.windows(2).all(|w| w[0] >= w[1]),
            "ranked: {counts:?}"
        );
    }
    let week = ranked("#most-read-page-h ~ .mood-columns .mood-column:nth-child(2) .count");
    let month = ranked("#most-read-page-h ~ .mood-columns .mood-column:nth-child(3) .count");
    assert!(month[0] >= week[0], "a month holds at least its last week");
    let sidebar = app.get(FLAGSHIP).await.html();
    assert_eq!(
        texts(&sidebar, ".most-read li .count")
            .iter()
            .map(|c| c.parse::<i64>().expect("count"))
            .collect::<Vec<_>>(),
        week[..5],
        "the sidebar block is the week's top five"
    );

    let stream = app.get("/stream/").await.html();
    let first: Vec<String> = attrs(&stream, ".photo img", "src");
    assert_eq!(first.len(), 8);
    let next = attrs(&stream, "a[rel=next]", "href").remove(0);
    let rest = app.get(&next).await.html();
    let second = attrs(&rest, ".photo-caption", "class").len();
    assert!(second >= 1);
    let captions_1 = texts(&stream, ".photo-caption");
    let captions_2 = texts(&rest, ".photo-caption");
    assert!(
        captions_2.iter().all(|c| !captions_1.contains(c)),
        "no item twice"
    );
}

#[tokio::test]
async fn load_more_fragments_continue_the_stream_to_its_end() {
    let app = TestApp::new().await;
    let html = app.get("/").await.html();
    let mut seen = attrs(&html, ".stream li.photo img", "src");
    let mut more = attrs(&html, ".stream a[data-more]", "data-more").remove(0);
    assert!(more.starts_with("/stream/more/?after="), "{more}");
    let mut fragments = 0;
    loop {
        let reply = app.get(&more).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.header("content-type"), "text/html; charset=utf-8");
        let fragment = reply.html();
        assert!(
            select(&fragment, "header, footer, nav").is_empty(),
            "a fragment, not a page"
        );
        let items = attrs(&fragment, "li.photo img", "src");
        assert!(!items.is_empty());
        let last = select(&fragment, "a[data-more]").is_empty();
        assert!(
            last || items.len().is_multiple_of(4),
            "each load adds whole rows (2 or 4 a row): {}",
            items.len()
        );
        for src in items {
            assert!(!seen.contains(&src), "{src} twice");
            seen.push(src);
        }
        fragments += 1;
        match attrs(&fragment, "a[data-more]", "data-more").pop() {
            Some(next) => more = next,
            None => break,
        }
    }
    assert!(
        fragments >= 3,
        "the stream pages several times: {fragments}"
    );
    let now = jiff::Timestamp::now().as_second();
    let photo_items = app
        .store
        .photo_items(gazette_core::Lang::Zh, now, None, 1_000)
        .await
        .expect("items")
        .len();
    assert_eq!(seen.len(), photo_items, "every item once, none missing");
    assert_eq!(
        app.get("/stream/more/?after=x.1").await.status,
        StatusCode::BAD_REQUEST
    );
    let en = app.get("/en/").await.html();
    assert!(
        attrs(&en, ".stream a[data-more]", "data-more")[0].starts_with("/en/stream/more/?after=")
    );
}

#[tokio::test]
async fn retracted_articles_answer_410_with_the_notice() {
    let app = TestApp::new().await;
    let reply = app.get("/news/china/29-bridge-closure-report.html").await;
    assert_eq!(reply.status, StatusCode::GONE);
    let html = reply.html();
    assert_eq!(one(&html, "h1"), "此文已撤稿");
    assert_eq!(one(&html, ".retracted-title"), "老城区一座桥梁将封闭改造");
    assert!(one(&html, ".retraction-note").contains("原稿所述封闭时间有误"));
    // It is gone from lists too.
    let china = app.get("/news/china/").await.text();
    assert!(!china.contains("bridge-closure-report"));
}

#[tokio::test]
async fn stale_urls_redirect_to_the_canonical_one() {
    let app = TestApp::new().await;
    for old in [
        "/digital/governance/1-old-slug.html",
        "/news/1-shared-safe-open-cyberspace.html",
        "/en/digital/governance/1-shared-safe-open-cyberspace.html",
        "/digital/governance/1.html",
    ] {
        let reply = app.get(old).await;
        assert_eq!(reply.status, StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(reply.header("location"), FLAGSHIP, "{old}");
    }
    let reply = app.get("/news/china").await;
    assert_eq!(
        (reply.status, reply.header("location")),
        (StatusCode::MOVED_PERMANENTLY, "/news/china/")
    );

    // After a move, the old URL leads to the new one.
    let world = app
        .store
        .channels()
        .await
        .expect("channels")
        .into_iter()
        .find(|c| c.slug.as_str() == "world")
        .expect("world");
    app.store
        .move_article(1, "open-cyberspace", world.id, 0)
        .await
        .expect("move");
    let reply = app.get(FLAGSHIP).await;
    assert_eq!(
        reply.header("location"),
        "/news/world/1-open-cyberspace.html"
    );
}

#[tokio::test]
async fn bad_input_gets_4xx_never_5xx() {
    let app = TestApp::new().await;
    for (path, status) in [
        ("/no-such-channel/", StatusCode::NOT_FOUND),
        ("/news/abc-x.html", StatusCode::NOT_FOUND),
        ("/news/0-x.html", StatusCode::NOT_FOUND),
        ("/news/99999999999999999999-x.html", StatusCode::NOT_FOUND),
        ("/news/424242-x.html", StatusCode::NOT_FOUND),
        ("/tag/%FF%FE/", StatusCode::NOT_FOUND),
        ("/tag/%E6%B2%A1%E6%9C%89/", StatusCode::NOT_FOUND),
        ("/author/nobody/", StatusCode::NOT_FOUND),
        ("/author/Bad_Slug/", StatusCode::NOT_FOUND),
        ("/topic/none/", StatusCode::NOT_FOUND),
        ("/media/abc.svg", StatusCode::NOT_FOUND),
        ("/media/1.png", StatusCode::NOT_FOUND),
        ("/media/99999.svg", StatusCode::NOT_FOUND),
        ("/assets/site.0000.css", StatusCode::NOT_FOUND),
        ("/news//x", StatusCode::NOT_FOUND),
        ("/news/?after=forged", StatusCode::BAD_REQUEST),
        ("/stream/?after=1.-5", StatusCode::BAD_REQUEST),
        (
            "/stream/?after=99999999999999999999.1",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, status, "{path}");
        if status == StatusCode::NOT_FOUND {
            let html = reply.html();
            assert_eq!(one(&html, "h1"), "页面未找到", "{path}");
            assert!(
                !select(&html, ".error-page li a").is_empty(),
                "the 404 page offers a way on"
            );
        } else {
            assert!(
                reply.text().contains("after"),
                "the message names the parameter: {}",
                reply.text()
            );
        }
    }
    let big = app
        .request(
            Method::POST,
            "/",
            &[("content-length", "5000")],
            vec![b'x'; 5000],
        )
        .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        one(&big.html(), "h1"),
        "请求内容过大",
        "413 is the styled page"
    );
    let big_en = app
        .request(
            Method::POST,
            "/en/",
            &[("content-length", "5000")],
            vec![b'x'; 5000],
        )
        .await;
    assert_eq!(one(&big_en.html(), "h1"), "Request too large");
    // Tracking parameters are ignored, but an address longer than any page's is refused.
    let long = format!("/en/?utm_source={}", "x".repeat(9000));
    let reply = app.get(&long).await;
    assert_eq!(reply.status, StatusCode::URI_TOO_LONG);
    assert_eq!(one(&reply.html(), "h1"), "Address too long");
    let long = format!("/?utm_source={}", "x".repeat(9000));
    assert_eq!(one(&app.get(&long).await.html(), "h1"), "网址过长");
    let post = app.request(Method::POST, "/", &[], b"x".to_vec()).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(post.header("allow"), "GET, HEAD");
}

#[tokio::test]
async fn cached_pages_negotiate_encodings_and_answer_conditional_requests() {
    let app = TestApp::new().await;
    let plain = app.get(FLAGSHIP).await;
    let gzip = app.get_with(FLAGSHIP, &[("accept-encoding", "gzip")]).await;
    let brotli = app
        .get_with(FLAGSHIP, &[("accept-encoding", "gzip, br")])
        .await;
    assert_eq!(gzip.header("content-encoding"), "gzip");
    assert_eq!(brotli.header("content-encoding"), "br");
    assert_eq!(plain.header("vary"), "Accept-Encoding");
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gzip.body[..])
        .read_to_end(&mut unzipped)
        .expect("gzip");
    assert_eq!(unzipped, plain.body);
    assert!(brotli.body.len() < gzip.body.len() && gzip.body.len() < plain.body.len() / 2);
    let etags = [
        plain.header("etag"),
        gzip.header("etag"),
        brotli.header("etag"),
    ];
    assert!(
        etags
            .iter()
            .all(|e| e.starts_with('"') && !e.starts_with("W/")),
        "strong: {etags:?}"
    );
    assert!(
        etags[0] != etags[1] && etags[1] != etags[2] && etags[0] != etags[2],
        "one per encoding"
    );

    let again = app
        .get_with(
            FLAGSHIP,
            &[("accept-encoding", "br"), ("if-none-match", etags[2])],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let other = app.get_with(FLAGSHIP, &[("if-none-match", etags[2])]).await;
    assert_eq!(
        other.status,
        StatusCode::OK,
        "an ETag of another encoding does not match"
    );

    let head = app.request(Method::HEAD, FLAGSHIP, &[], Vec::new()).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), plain.body.len().to_string());
}

#[tokio::test]
async fn the_same_page_for_every_reader() {
    let app = TestApp::new().await;
    let first = app.get(FLAGSHIP).await;
    let other = app
        .get_with(
            FLAGSHIP,
            &[
                ("user-agent", "Mozilla/5.0 MicroMessenger/8.0"),
                ("accept-language", "en-US"),
                ("cookie", "session=abc"),
                ("x-forwarded-for", "203.0.113.9"),
            ],
        )
        .await;
    assert_eq!(first.body, other.body);
    assert_eq!(first.header("etag"), other.header("etag"));
    assert!(first.headers.get("set-cookie").is_none());
    assert!(
        !first.header("vary").contains("User-Agent") && !first.header("vary").contains("Cookie")
    );
}

#[tokio::test]
async fn cache_control_is_set_per_kind() {
    let app = TestApp::new().await;
    let html = app.get(FLAGSHIP).await;
    assert_eq!(
        html.header("cache-control"),
        "public, max-age=60, stale-while-revalidate=30"
    );
    assert!(
        html.header("content-security-policy")
            .contains("default-src 'self'")
    );
    assert_eq!(
        app.get("/").await.header("cache-control"),
        "public, max-age=30, stale-while-revalidate=30"
    );
    assert_eq!(
        app.get("/nope/").await.header("cache-control"),
        "public, max-age=60"
    );
    let css = attrs(&html.html(), "link[rel=stylesheet]", "href").remove(0);
    let asset = app.get(&css).await;
    assert_eq!(
        asset.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(asset.header("content-type"), "text/css; charset=utf-8");
    let image = attrs(&html.html(), ".cover img", "src").remove(0);
    let media = app.get(&image).await;
    assert_eq!(media.status, StatusCode::OK);
    assert_eq!(media.header("content-type"), "image/svg+xml");
    // Named by its content hash: a day, so that a deleted photo leaves
    // outside caches within one.
    assert!(image.contains('-'), "{image}");
    assert_eq!(media.header("cache-control"), "public, max-age=86400");
    // The stable address bodies name: five minutes.
    let stable = image.split('-').next().expect("id").to_owned() + ".svg";
    assert_eq!(
        app.get(&stable).await.header("cache-control"),
        "public, max-age=300"
    );
}

#[tokio::test]
async fn updated_articles_show_the_update_time() {
    let app = TestApp::new().await;
    // The demo corrects every ninth article two hours after publication.
    let html = app
        .get("/digital/governance/5-apps-for-older-readers.html")
        .await
        .html();
    let updated = one(&html, ".updated");
    assert!(updated.starts_with("更新时间："), "{updated}");
    let plain = app.get(FLAGSHIP).await.html();
    assert!(select(&plain, ".updated").is_empty());
}

#[tokio::test]
async fn mood_counts_are_served_fresh_as_json() {
    let app = TestApp::new().await;
    let html = app.get(FLAGSHIP).await.html();
    let url = attrs(&html, ".moods[data-counts]", "data-counts").remove(0);
    assert_eq!(url, "/api/articles/1/moods");
    let before: serde_json::Value =
        serde_json::from_slice(&app.get(&url).await.body).expect("json");
    let happy = before["moods"]["happy"].as_i64().expect("count");
    assert_eq!(
        app.get(&url).await.body,
        serde_json::to_vec(&before).expect("json"),
        "kept while nobody votes"
    );
    // Counts are kept per article until a vote for it commits: the vote's
    // commit drops them, so the next read is fresh.
    let vote = app
        .post_from(
            "198.51.100.90:1",
            "/api/articles/1/vote",
            "mood=happy",
            &[("accept", "application/json")],
        )
        .await;
    assert_eq!(vote.status, StatusCode::OK);
    let after = app.get(&url).await;
    assert_eq!(after.header("content-type"), "application/json");
    let after: serde_json::Value = serde_json::from_slice(&after.body).expect("json");
    assert_eq!(after["moods"]["happy"].as_i64(), Some(happy + 1));
    assert_eq!(after["moods"].as_object().map(|m| m.len()), Some(4));
    assert_eq!(
        app.get("/api/articles/abc/moods").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/api/articles/999999/moods").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/articles/29/moods").await.status,
        StatusCode::NOT_FOUND,
        "retracted"
    );
}

/// Over a real socket, a cached page comes from the server's fast path and
/// must be the same response the router gives; misses and other methods
/// still reach the router.
#[tokio::test]
async fn the_server_fast_path_answers_like_the_router() {
    let app = TestApp::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(gazette_web::serve(
        listener,
        app.app.clone(),
        std::future::pending(),
    ));

    for encoding in ["identity", "gzip", "br"] {
        // The router builds and caches the page; the server then answers from the cache.
        let routed = app
            .get_with(FLAGSHIP, &[("accept-encoding", encoding)])
            .await;
        let request = format!(
            "GET {FLAGSHIP} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: {encoding}\r\nConnection: close\r\n\r\n"
        );
        let (status, headers, body) = raw_request(addr, &request).await;
        assert_eq!(status, "HTTP/1.1 200 OK");
        assert_eq!(body, routed.body, "{encoding}");
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or("")
        };
        for name in [
            "etag",
            "content-type",
            "cache-control",
            "content-encoding",
            "vary",
            "content-security-policy",
            "last-modified",
        ] {
            assert_eq!(header(name), routed.header(name), "{name} ({encoding})");
        }
    }
    let (status, headers, _) = raw_request(
        addr,
        &format!(
            "GET {FLAGSHIP} HTTP/1.1\r\nHost: x\r\nIf-None-Match: {}\r\nConnection: close\r\n\r\n",
            app.get(FLAGSHIP).await.header("etag")
        ),
    )
    .await;
    assert_eq!(status, "HTTP/1.1 304 Not Modified", "{headers:?}");
    let (status, _, body) = raw_request(
        addr,
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(
        (status.as_str(), body.as_slice()),
        ("HTTP/1.1 200 OK", &b"ok sqlite\n"[..])
    );
    let (status, _, _) = raw_request(
        addr,
        &format!(
            "POST {FLAGSHIP} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx"
        ),
    )
    .await;
    assert_eq!(status, "HTTP/1.1 405 Method Not Allowed");
    let (status, _, _) = raw_request(
        addr,
        "GET /news/?after=forged HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, "HTTP/1.1 400 Bad Request");
    let oversized = format!(
        "GET {FLAGSHIP} HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n{}",
        "x".repeat(5000)
    );
    let (status, _, _) = raw_request(addr, &oversized).await;
    assert_eq!(
        status, "HTTP/1.1 413 Payload Too Large",
        "the body limit holds on cached pages too"
    );
    let overlong = format!(
        "GET /?utm_source={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "x".repeat(9000)
    );
    let (status, _, body) = raw_request(addr, &overlong).await;
    assert_eq!(
        status, "HTTP/1.1 414 URI Too Long",
        "a cached page is no excuse"
    );
    assert!(
        String::from_utf8_lossy(&body).contains("网址过长"),
        "the 414 is the styled page"
    );
}

/// Every URL a page loads by itself (not links it offers) is on the site's own origin.
#[tokio::test]
async fn no_page_loads_anything_from_another_host() {
    let app = TestApp::new().await;
    let home = app.get("/").await.html();
    let css = attrs(&home, "link[rel=stylesheet]", "href").remove(0);
    let stylesheet = app.get(&css).await.text();
    assert!(
        !stylesheet.contains("url(") && !stylesheet.contains("@import"),
        "the CSS loads nothing"
    );
    for path in [
        "/",
        "/en/",
        FLAGSHIP,
        "/news/",
        "/topic/wuzhen-summit/",
        "/author/lin-qingyun/",
        "/ranking/",
        "/stream/",
        "/nope/",
        "/news/china/29-bridge-closure-report.html",
    ] {
        let html = app.get(path).await.html();
        let loaded: Vec<String> = [
            "script[src]",
            "img[src]",
            "iframe[src]",
            "source[src]",
            "video[src]",
            "audio[src]",
        ]
        .iter()
        .flat_map(|css| attrs(&html, css, "src"))
        .chain(attrs(
            &html,
            "link[rel=stylesheet], link[rel=preload], link[rel=icon]",
            "href",
        ))
        .chain(attrs(&html, "img[srcset], source[srcset]", "srcset"))
        .collect();
        assert!(!loaded.is_empty(), "{path}");
        for url in loaded {
            assert!(
                url.starts_with('/') && !url.starts_with("//"),
                "{path} loads {url}"
            );
        }
        assert!(
            select(&html, "[style]").is_empty(),
            "{path} has inline styles"
        );
    }
}

/// The site runs the same on PostgreSQL (the conformance suite covers the store itself).
#[tokio::test]
async fn smoke_test_on_postgres() {
    let Some((store, schema)) = PgSchema::create("site_smoke").await else {
        return;
    };
    let app = TestApp::with_store(store, None).await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(select(&home.html(), ".lead article.card").len(), 4);
    let article = app.get(FLAGSHIP).await;
    assert_eq!(article.status, StatusCode::OK);
    assert_eq!(select(&article.html(), ".moods li").len(), 4);
    assert_eq!(
        app.get("/news/china/29-bridge-closure-report.html")
            .await
            .status,
        StatusCode::GONE
    );
    assert_eq!(app.get("/ranking/").await.status, StatusCode::OK);
    drop(app);
    schema.drop_schema().await;
}

mod votes {
    use super::*;

    const VOTE: &str = "/api/articles/1/vote";

    async fn happy(app: &TestApp) -> i64 {
        let counts: serde_json::Value =
            serde_json::from_slice(&app.get("/api/articles/1/moods").await.body).expect("json");
        counts["moods"]["happy"].as_i64().expect("count")
    }

    /// A token the site issued, got by voting on another article.
    pub(super) async fn issued_token(app: &TestApp, peer: &str) -> String {
        let vote = app
            .post_from(peer, "/api/articles/2/vote", "mood=happy", &[])
            .await;
        assert!(
            vote.header("location").ends_with("counted=1"),
            "{}",
            vote.status
        );
        token_of(&vote)
    }

    fn token_of(reply: &Reply) -> String {
        let cookie = reply.header("set-cookie");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        cookie
            .trim_start_matches("gz_vote=")
            .split(';')
            .next()
            .unwrap_or_default()
            .to_owned()
    }

    #[tokio::test]
    async fn a_vote_without_javascript_lands_on_fresh_counts_and_counts_once_a_day() {
        let app = TestApp::new().await;
        let before = happy(&app).await;
        let ua = [("user-agent", "Probe/1.0")];
        let first = app
            .post_from("198.51.100.7:5000", VOTE, "mood=happy", &ua)
            .await;
        assert_eq!(first.status, StatusCode::SEE_OTHER);
        assert_eq!(first.header("location"), "/vote/1/?mood=happy&counted=1");
        let token = token_of(&first);
        assert_eq!(token.len(), 64, "random part and signature");

        let page = app.get(first.header("location")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.header("cache-control"), "no-store");
        let html = page.html();
        assert_eq!(one(&html, "h1"), "感谢您表达心情");
        let shown: i64 = one(&html, "[data-mood=happy] .count")
            .parse()
            .expect("count");
        assert_eq!(shown, before + 1, "fresh counts, not the cached page's");
        assert_eq!(attrs(&html, ".error-page a.button", "href"), [FLAGSHIP]);

        let cookie = format!("gz_vote={token}");
        let again = app
            .post_from(
                "198.51.100.7:5000",
                VOTE,
                "mood=sad",
                &[("cookie", &cookie)],
            )
            .await;
        assert_eq!(
            again.header("location"),
            "/vote/1/?mood=sad&counted=0",
            "the token voted today"
        );
        assert!(again.headers.get("set-cookie").is_none());
        let cleared = app
            .post_from("198.51.100.7:6000", VOTE, "mood=like", &ua)
            .await;
        assert_eq!(
            cleared.header("location"),
            "/vote/1/?mood=like&counted=0",
            "same network and browser"
        );
        let voted = app.get("/vote/1/?mood=like&counted=0").await.html();
        assert_eq!(one(&voted, "h1"), "您今天已经表达过对这篇文章的心情");
        let neighbour = app
            .post_from("198.51.100.8:5000", VOTE, "mood=happy", &ua)
            .await;
        assert_eq!(
            neighbour.header("location"),
            "/vote/1/?mood=happy&counted=1"
        );
        assert_eq!(happy(&app).await, before + 2);
    }

    #[tokio::test]
    async fn a_script_gets_json_counts() {
        let app = TestApp::new().await;
        let before = happy(&app).await;
        let reply = app
            .post_from(
                "203.0.113.9:1",
                VOTE,
                "mood=happy",
                &[("accept", "application/json")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.header("content-type"), "application/json");
        let body: serde_json::Value = serde_json::from_slice(&reply.body).expect("json");
        assert_eq!(body["counted"], true);
        assert_eq!(body["moods"]["happy"].as_i64(), Some(before + 1));
        assert_eq!(body["moods"].as_object().map(|m| m.len()), Some(4));
    }

    #[tokio::test]
    async fn bad_votes_get_clear_4xx_and_write_nothing() {
        let app = TestApp::new().await;
        let totals = app.store.mood_totals(1).await.expect("totals");
        for (path, form, status, words) in [
            (VOTE, "mood=angry", StatusCode::BAD_REQUEST, "unknown mood"),
            (VOTE, "feeling=happy", StatusCode::BAD_REQUEST, "mood"),
            (
                "/api/articles/abc/vote",
                "mood=happy",
                StatusCode::BAD_REQUEST,
                "number",
            ),
            (
                "/api/articles/424242/vote",
                "mood=happy",
                StatusCode::NOT_FOUND,
                "no published article",
            ),
            (
                "/api/articles/29/vote",
                "mood=happy",
                StatusCode::NOT_FOUND,
                "no published article",
            ),
        ] {
            // A script is told why in JSON.
            let json = [("accept", "application/json")];
            let reply = app.post_from("192.0.2.1:1", path, form, &json).await;
            assert_eq!(reply.status, status, "{path} {form}");
            assert_eq!(reply.header("content-type"), "application/json");
            let body: serde_json::Value = serde_json::from_slice(&reply.body).expect("json");
            let error = body["error"].as_str().unwrap_or_default();
            assert!(error.contains(words), "{path}: {error}");
            assert_eq!(body["status"], status.as_u16());
            // A person (the form without JavaScript) gets the styled page,
            // in the language of the page the form was on.
            let english = [("referer", "https://news.example.org/en/news/1-x.html")];
            let page = app.post_from("192.0.2.1:1", path, form, &english).await;
            assert_eq!(page.status, status);
            assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
            let heading = one(&page.html(), "h1");
            assert!(
                ["Bad request", "Page not found"].contains(&heading.as_str()),
                "{heading}"
            );
        }
        assert_eq!(app.store.mood_totals(1).await.expect("totals"), totals);
        assert_eq!(app.get("/vote/424242/").await.status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
        let app = TestApp::new().await;
        let first = app
            .post_from(
                "192.0.2.50:1",
                VOTE,
                "mood=meh",
                &[("x-forwarded-for", "203.0.113.1")],
            )
            .await;
        assert!(first.header("location").ends_with("counted=1"));
        let second = app
            .post_from(
                "192.0.2.50:2",
                VOTE,
                "mood=meh",
                &[("x-forwarded-for", "203.0.113.2")],
            )
            .await;
        assert!(
            second.header("location").ends_with("counted=0"),
            "the peer decides, not the header"
        );
    }

    #[tokio::test]
    async fn too_many_votes_from_one_network_get_429() {
        let app = TestApp::new().await;
        for i in 0..20 {
            let cookie = format!("gz_vote={i:032x}");
            let reply = app
                .post_from("192.0.2.60:1", VOTE, "mood=like", &[("cookie", &cookie)])
                .await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "vote {i}");
        }
        let over = app
            .post_from(
                "192.0.2.60:1",
                VOTE,
                "mood=like",
                &[("cookie", "gz_vote=ffffffffffffffffffffffffffffffff")],
            )
            .await;
        assert_eq!(over.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(one(&over.html(), "h1"), "请求过于频繁");
        let elsewhere = app.post_from("192.0.2.61:1", VOTE, "mood=like", &[]).await;
        assert_eq!(
            elsewhere.status,
            StatusCode::SEE_OTHER,
            "another network is not held back"
        );
    }

    #[tokio::test]
    async fn reads_count_once_a_day_and_never_for_crawlers() {
        let app = TestApp::new().await;
        const READ: &str = "/api/articles/1/view";
        let total = || async { app.store.view_total(1).await.expect("views") };
        let before = total().await;
        let browser = [(
            "user-agent",
            "Mozilla/5.0 (Linux; Android 13) Chrome/120.0 Mobile",
        )];
        let first = app.post_from("198.51.100.20:1", READ, "", &browser).await;
        assert_eq!(first.status, StatusCode::NO_CONTENT);
        assert_eq!(first.header("cache-control"), "no-store");
        assert!(
            first.headers.get("set-cookie").is_none(),
            "reading hands out no token"
        );
        assert_eq!(total().await, before + 1);
        let reload = app.post_from("198.51.100.20:2", READ, "", &browser).await;
        assert_eq!(
            reload.status,
            StatusCode::NO_CONTENT,
            "the answer tells nothing"
        );
        assert_eq!(total().await, before + 1, "a reload is not a second read");
        for crawler in [
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "",
        ] {
            let reply = app
                .post_from("198.51.100.21:1", READ, "", &[("user-agent", crawler)])
                .await;
            assert_eq!(reply.status, StatusCode::NO_CONTENT);
        }
        assert_eq!(total().await, before + 1, "crawlers are not readers");
        let cookie = format!("gz_vote={}", issued_token(&app, "198.51.100.99:1").await);
        let with_token = [browser[0], ("cookie", cookie.as_str())];
        app.post_from("198.51.100.20:3", READ, "", &with_token)
            .await;
        assert_eq!(
            total().await,
            before + 2,
            "a reader with a token is told apart from others on the network"
        );
        let vote = app
            .post_from("198.51.100.20:4", VOTE, "mood=happy", &with_token)
            .await;
        assert!(
            vote.header("location").ends_with("counted=1"),
            "reading does not use up the vote"
        );
        let moods = app.store.mood_totals(29).await.expect("moods");
        for (path, status) in [
            ("/api/articles/29/view", StatusCode::NOT_FOUND),
            ("/api/articles/424242/view", StatusCode::NOT_FOUND),
            ("/api/articles/x1/view", StatusCode::BAD_REQUEST),
        ] {
            let reply = app.post_from("198.51.100.22:1", path, "", &browser).await;
            assert_eq!(reply.status, status, "{path}");
        }
        assert_eq!(app.store.view_total(29).await.expect("views"), 0);
        assert_eq!(app.store.mood_totals(29).await.expect("moods"), moods);
        assert_eq!(app.get(READ).await.status, StatusCode::METHOD_NOT_ALLOWED);
        let html = app.get(FLAGSHIP).await.html();
        assert_eq!(attrs(&html, "article[data-view]", "data-view"), [READ]);
    }

    #[tokio::test]
    async fn too_many_reads_from_one_network_get_429() {
        let app = TestApp::new().await;
        for i in 0..40 {
            let reply = app
                .post_from("192.0.2.70:1", "/api/articles/1/view", "", &[])
                .await;
            assert_eq!(reply.status, StatusCode::NO_CONTENT, "read {i}");
        }
        let over = app
            .post_from("192.0.2.70:1", "/api/articles/1/view", "", &[])
            .await;
        assert_eq!(over.status, StatusCode::TOO_MANY_REQUESTS);
    }

    #[tokio::test]
    async fn export_origins_may_call_the_api_and_no_other() {
        let app = TestApp::new().await;
        let preflight = app
            .request(
                Method::OPTIONS,
                VOTE,
                &[
                    ("origin", EXPORT_ORIGIN),
                    ("access-control-request-method", "POST"),
                    ("access-control-request-headers", "accept, content-type"),
                ],
                Vec::new(),
            )
            .await;
        assert_eq!(preflight.status, StatusCode::OK);
        assert_eq!(
            preflight.header("access-control-allow-origin"),
            EXPORT_ORIGIN
        );
        assert_eq!(preflight.header("access-control-allow-credentials"), "true");
        assert!(
            preflight
                .header("access-control-allow-methods")
                .contains("POST")
        );
        let vote = app
            .post_from(
                "203.0.113.40:1",
                VOTE,
                "mood=like",
                &[("origin", EXPORT_ORIGIN), ("accept", "application/json")],
            )
            .await;
        assert_eq!(vote.status, StatusCode::OK);
        assert_eq!(vote.header("access-control-allow-origin"), EXPORT_ORIGIN);
        assert_eq!(vote.header("access-control-allow-credentials"), "true");
        assert!(vote.header("vary").to_ascii_lowercase().contains("origin"));
        let read = app
            .post_from(
                "203.0.113.40:1",
                "/api/articles/1/view",
                "",
                &[("origin", EXPORT_ORIGIN)],
            )
            .await;
        assert_eq!(read.header("access-control-allow-origin"), EXPORT_ORIGIN);
        let counts = app
            .get_with("/api/articles/1/moods", &[("origin", EXPORT_ORIGIN)])
            .await;
        assert_eq!(counts.header("access-control-allow-origin"), EXPORT_ORIGIN);

        let stranger = app
            .post_from(
                "203.0.113.41:1",
                VOTE,
                "mood=like",
                &[
                    ("origin", "https://elsewhere.example"),
                    ("accept", "application/json"),
                ],
            )
            .await;
        assert!(
            stranger
                .headers
                .get("access-control-allow-origin")
                .is_none()
        );
        let page = app.get_with(FLAGSHIP, &[("origin", EXPORT_ORIGIN)]).await;
        assert!(
            page.headers.get("access-control-allow-origin").is_none(),
            "pages are not an API"
        );
    }

    async fn views_of_3_to_7(app: &TestApp) -> i64 {
        let mut sum = 0;
        for id in 3..=7 {
            sum += app.store.view_total(id).await.expect("views");
        }
        sum
    }

    #[tokio::test]
    async fn nothing_identifying_reaches_the_data_directory() {
        let app = TestApp::new().await;
        let views_before = views_of_3_to_7(&app).await;
        let mut probes = Vec::new();
        for i in 0..30 {
            let address = format!("198.51.100.{}", 100 + i);
            let agent = format!("Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Reader{i}x{i}");
            let reply = app
                .post_from(
                    &format!("{address}:4242"),
                    VOTE,
                    "mood=happy",
                    &[("user-agent", &agent)],
                )
                .await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER);
            let token = token_of(&reply);
            let cookie = format!("gz_vote={token}");
            app.post_from(
                &format!("{address}:4243"),
                "/api/articles/2/vote",
                "mood=sad",
                &[("cookie", &cookie)],
            )
            .await;
            let read = app
                .post_from(
                    &format!("{address}:4244"),
                    &format!("/api/articles/{}/view", 3 + i % 5),
                    "",
                    &[("user-agent", &agent)],
                )
                .await;
            assert_eq!(read.status, StatusCode::NO_CONTENT);
            app.post_from(
                &format!("{address}:4245"),
                "/api/articles/3/view",
                "",
                &[("cookie", &cookie), ("user-agent", &agent)],
            )
            .await;
            probes.extend([address, agent, token]);
        }
        assert_eq!(
            views_of_3_to_7(&app).await,
            views_before + 60,
            "every read counted"
        );
        let dir = app.data_dir().expect("sqlite data dir");
        let mut files = 0;
        for entry in std::fs::read_dir(dir).expect("data dir") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            files += 1;
            for probe in &probes {
                assert!(
                    !bytes.windows(probe.len()).any(|w| w == probe.as_bytes()),
                    "{probe} found in {}",
                    path.display()
                );
            }
        }
        assert!(files >= 2, "the database and its WAL were scanned");
    }
}

#[tokio::test]
async fn the_navigation_shows_where_the_reader_is_on_every_page_kind() {
    let app = TestApp::new().await;
    for (path, current) in [
        ("/", "首页"),
        ("/en/", "Home"),
        ("/ranking/", "排行"),
        ("/en/ranking/", "Rankings"),
        ("/stream/", "推荐"),
        ("/en/stream/", "Picks"),
        ("/digital/", "数字化"),
        (FLAGSHIP, "数字化"),
    ] {
        let html = app.get(path).await.html();
        assert_eq!(
            texts(&html, ".channel-bar a[aria-current]"),
            [current],
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_ranking_page_has_a_breadcrumb_and_a_period_switch_without_javascript() {
    // Mid-morning in the site's zone: just after midnight, "today" has no
    // reads yet, and the demo's counts are spread over the hours before now.
    let mut site = site_config();
    site.clock = gazette_core::Clock::fixed_at("2026-11-20T09:30:00+08:00").expect("instant");
    let app = TestApp::with_config(site, web_config()).await;
    for (path, home) in [("/ranking/", "首页"), ("/en/ranking/", "Home")] {
        let html = app.get(path).await.html();
        assert_eq!(texts(&html, ".breadcrumb a"), [home], "{path}");
        let choices = attrs(&html, "input.period-choice[type=radio]", "id");
        assert_eq!(choices, ["period-today", "period-week", "period-month"]);
        assert_eq!(
            attrs(&html, "input.period-choice[checked]", "id"),
            ["period-week"]
        );
        assert_eq!(
            attrs(&html, ".period-switch label", "for"),
            choices,
            "each choice has its label"
        );
        for period in ["today", "week", "month"] {
            assert!(
                !select(&html, &format!(".periods .period-{period} .ranked li")).is_empty(),
                "{path}: {period} is in the page"
            );
        }
    }
}

#[tokio::test]
async fn mood_icons_are_drawn_by_the_theme_never_emoji() {
    let app = TestApp::new().await;
    let is_emoji = |c: char| matches!(c, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}');
    let mut sprite = None;
    for path in [FLAGSHIP, "/ranking/", "/vote/1/", "/", "/en/ranking/"] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let text = page.text();
        assert!(!text.chars().any(is_emoji), "{path} shows an emoji");
        let html = page.html();
        let uses = attrs(&html, "svg.mood-icon use", "href");
        assert!(!uses.is_empty(), "{path} has mood icons");
        for href in uses {
            let (file, id) = href.split_once('#').expect("a symbol");
            assert!(id.starts_with("mood-"), "{href}");
            sprite = Some(file.to_owned());
        }
        // Each icon has its mood's name in text beside it.
        for label in texts(&html, ".mood-list .mood-label") {
            assert!(!label.is_empty());
        }
    }
    let sprite = app.get(&sprite.expect("a sprite")).await;
    assert_eq!(sprite.status, StatusCode::OK);
    assert_eq!(sprite.header("content-type"), "image/svg+xml");
    for mood in ["happy", "sad", "like", "meh"] {
        assert!(
            sprite.text().contains(&format!("id=\"mood-{mood}\"")),
            "{mood}"
        );
    }
}

#[tokio::test]
async fn an_article_page_never_links_to_itself() {
    let app = TestApp::new().await;
    let home = app.get("/").await.html();
    // Articles promoted in the slots and the rankings are the ones at risk.
    let mut promoted: Vec<String> = attrs(&home, ".sidebar a[href$='.html']", "href");
    promoted.push(FLAGSHIP.to_owned());
    promoted.sort();
    promoted.dedup();
    assert!(promoted.len() > 5, "{promoted:?}");
    let mut marked = 0;
    for path in &promoted {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let html = page.html();
        let links = attrs(&html, "a", "href");
        assert!(
            !links
                .iter()
                .any(|href| href == path || href.ends_with(path.as_str())),
            "{path} links to itself"
        );
        marked += select(&html, ".sidebar [aria-current=page]").len();
    }
    assert!(
        marked > 0,
        "ranked articles are shown, unlinked, on their own page"
    );
}

#[tokio::test]
async fn if_modified_since_gets_304_when_the_content_has_not_changed() {
    let app = TestApp::new().await;
    let first = app.get(FLAGSHIP).await;
    let modified = first.header("last-modified").to_owned();
    let etag = first.header("etag").to_owned();
    let again = app
        .get_with(FLAGSHIP, &[("if-modified-since", &modified)])
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let older = app
        .get_with(
            FLAGSHIP,
            &[("if-modified-since", "Thu, 01 Jan 2004 00:00:00 GMT")],
        )
        .await;
    assert_eq!(older.status, StatusCode::OK);
    let other_etag = app
        .get_with(
            FLAGSHIP,
            &[
                ("if-modified-since", &modified),
                ("if-none-match", "\"other\""),
            ],
        )
        .await;
    assert_eq!(other_etag.status, StatusCode::OK, "ETags win");
    let same_etag = app.get_with(FLAGSHIP, &[("if-none-match", &etag)]).await;
    assert_eq!(same_etag.status, StatusCode::NOT_MODIFIED);
    let junk = app
        .get_with(FLAGSHIP, &[("if-modified-since", "not a date")])
        .await;
    assert_eq!(junk.status, StatusCode::OK);
}

/// Hostile traffic on the cold paths: cache keys an attacker cannot
/// multiply, a bounded cache, error pages served from memory, a junk
/// budget, and votes only from the site's own pages.
mod hostile {
    use super::*;

    const VOTE: &str = "/api/articles/1/vote";

    fn next_link(html: &scraper::Html) -> String {
        attrs(html, "a[rel=next]", "href").remove(0)
    }

    #[tokio::test]
    async fn share_parameters_and_cursors_on_pages_that_do_not_page_cost_nothing() {
        let app = TestApp::new().await;
        for page in [FLAGSHIP, "/", "/ranking/", "/en/"] {
            let canonical = app.get(page).await;
            assert_eq!(canonical.status, StatusCode::OK);
            let (entries, _) = app.engine().page_cache_size();
            let (builds, _) = app.engine().build_counts();
            for query in [
                "?from=singlemessage&isappinstalled=0",
                "?utm_source=wechat&utm_medium=social",
                "?after=1700000000.1",
                "?after=garbage",
                "?after=1700000000.1&from=timeline",
            ] {
                let variant = app.get(&format!("{page}{query}")).await;
                assert_eq!(variant.status, StatusCode::OK, "{page}{query}");
                assert_eq!(
                    variant.body, canonical.body,
                    "{page}{query}: the canonical bytes"
                );
            }
            assert_eq!(
                app.engine().page_cache_size().0,
                entries,
                "{page}: no new entry"
            );
            assert_eq!(
                app.engine().build_counts().0,
                builds,
                "{page}: nothing built"
            );
        }
        // The server's fast path answers them from the cache too.
        assert!(
            app.engine()
                .cached_page(FLAGSHIP, Some("from=singlemessage"))
                .is_some()
        );
        assert!(app.engine().cached_page("/", Some("after=1.1")).is_some());
    }

    #[tokio::test]
    async fn list_cursors_must_name_an_item_on_the_list() {
        let app = TestApp::new().await;
        assert_eq!(
            app.get("/tag/made-up-tag/").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get("/tag/made-up-tag/?after=1700000000.1").await.status,
            StatusCode::NOT_FOUND,
            "an unknown tag with a cursor"
        );
        assert_eq!(
            app.get("/author/nobody/?after=1700000000.1").await.status,
            StatusCode::NOT_FOUND
        );
        let first = app.get("/digital/").await.html();
        let next = next_link(&first);
        let second = app.get(&next).await;
        assert_eq!(second.status, StatusCode::OK, "{next}");
        let (published_at, id) = next
            .split_once("after=")
            .and_then(|(_, c)| c.split_once('.'))
            .expect("cursor");
        let published_at: i64 = published_at.parse().expect("time");
        for forged in [
            format!("/digital/?after={}.{id}", published_at + 1),
            format!("/digital/?after={published_at}.424242"),
            "/digital/?after=1700000000.1".to_owned(),
            // An article of another channel.
            format!("/economy/?after={published_at}.{id}"),
        ] {
            let reply = app.get(&forged).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{forged}");
            assert_eq!(one(&reply.html(), "h1"), "页面未找到");
        }
        let stream = app.get("/stream/").await.html();
        let stream_next = next_link(&stream);
        assert_eq!(app.get(&stream_next).await.status, StatusCode::OK);
        assert_eq!(
            app.get("/stream/?after=1700000000.1").await.status,
            StatusCode::NOT_FOUND
        );
        // A retracted article's cursor (already on readers' screens) keeps working.
        let id: i64 = id.parse().expect("id");
        app.store
            .retract_article(id, "撤稿说明", 0)
            .await
            .expect("retract");
        app.engine().invalidate_all();
        assert_eq!(app.get(&next).await.status, StatusCode::OK, "{next}");
    }

    #[tokio::test]
    async fn junk_keys_leave_the_cache_within_its_bound_and_the_hot_page_cached() {
        let mut site = site_config();
        site.page_cache_bytes = 2 << 20;
        let app = TestApp::with_config(site, web_config()).await;
        app.get(FLAGSHIP).await;
        // Every page of every list is a real key; with the article read
        // often, one-off list pages stream through a small cache.
        let mut lists: Vec<String> = ["/digital/", "/news/", "/stream/", "/en/stream/"]
            .map(str::to_owned)
            .to_vec();
        let mut served = 0;
        while let Some(list) = lists.pop() {
            let page = app.get(&list).await;
            assert_eq!(page.status, StatusCode::OK, "{list}");
            if let Some(next) = attrs(&page.html(), "a[rel=next]", "href").pop() {
                lists.push(next);
            }
            served += 1;
            for _ in 0..3 {
                assert!(app.engine().cached_page(FLAGSHIP, None).is_some());
            }
        }
        assert!(served > 4, "{served}");
        for i in 0..10_000 {
            let junk = match i % 4 {
                0 => format!("/tag/junk-{i}/?after=1700000000.{}", i + 1),
                1 => format!("/digital/?after=1700000000.{}", i + 1),
                2 => format!("/no/such/page-{i}.php"),
                _ => format!("{FLAGSHIP}?after=1.{i}&utm_source={i}"),
            };
            let status = app.get_from("203.0.113.77:1", &junk, &[]).await.status;
            assert!(
                matches!(
                    status,
                    StatusCode::NOT_FOUND | StatusCode::OK | StatusCode::TOO_MANY_REQUESTS
                ),
                "{junk}: {status}"
            );
            if i % 100 == 0 {
                assert!(app.engine().cached_page(FLAGSHIP, None).is_some());
            }
        }
        let (_, bytes) = app.engine().page_cache_size();
        assert!(bytes <= 2 << 20, "{bytes} bytes");
        assert!(
            app.engine().cached_page(FLAGSHIP, None).is_some(),
            "the hot page is still cached"
        );
    }

    #[tokio::test]
    async fn error_pages_are_built_once_per_status_and_language() {
        let app = TestApp::new().await;
        let first = app.get("/no/such/page-0").await;
        assert_eq!(first.status, StatusCode::NOT_FOUND);
        let (_, builds) = app.engine().build_counts();
        for i in 1..60 {
            let reply = app.get(&format!("/no/such/page-{i}")).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND);
            assert_eq!(reply.body, first.body, "the same bytes");
        }
        for path in [
            "/tag/made-up/",
            "/author/nobody/",
            "/media/abc.svg",
            "/vote/424242/",
        ] {
            assert_eq!(app.get(path).await.body, first.body, "{path}");
        }
        assert_eq!(app.engine().build_counts().1, builds, "not rebuilt");
        let english = app.get("/en/no/such/page").await;
        assert_eq!(english.status, StatusCode::NOT_FOUND);
        assert_eq!(one(&english.html(), "h1"), "Page not found");
        let bad = app.get("/stream/?after=forged").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(one(&bad.html(), "h1"), "请求有误");
        assert_eq!(bad.header("content-type"), "text/html; charset=utf-8");
        let post = app.request(Method::POST, "/en/", &[], Vec::new()).await;
        assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(post.header("allow"), "GET, HEAD");
        assert_eq!(one(&post.html(), "h1"), "Method not allowed");
        assert_eq!(app.engine().build_counts().1, builds + 3, "one build each");
    }

    #[tokio::test]
    async fn a_prefix_sending_junk_gets_429_while_readers_elsewhere_do_not() {
        let app = TestApp::new().await;
        let mut limited = 0;
        for i in 0..150 {
            let reply = app
                .get_from("203.0.113.5:1", &format!("/wp-admin/{i}.php"), &[])
                .await;
            match reply.status {
                StatusCode::NOT_FOUND => {}
                StatusCode::TOO_MANY_REQUESTS => {
                    limited += 1;
                    assert_eq!(reply.header("retry-after"), "60");
                    assert_eq!(one(&reply.html(), "h1"), "请求过于频繁");
                }
                other => panic!("{other}"),
            }
        }
        assert!(limited >= 25, "past the budget of 120: {limited}");
        let real = app.get_from("203.0.113.5:2", FLAGSHIP, &[]).await;
        assert_eq!(real.status, StatusCode::OK, "real pages are never limited");
        for i in 0..300 {
            let page = ["/", FLAGSHIP, "/digital/", "/ranking/"][i % 4];
            let reply = app.get_from("198.51.100.40:1", page, &[]).await;
            assert_eq!(reply.status, StatusCode::OK, "a reader on another network");
        }
        let api = app
            .get_from(
                "203.0.113.5:3",
                "/api/articles/424242/moods",
                &[("accept", "application/json")],
            )
            .await;
        assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(api.text().contains("too many requests"), "{}", api.text());
    }

    #[tokio::test]
    async fn votes_and_reads_come_only_from_the_sites_own_pages() {
        let app = TestApp::new().await;
        let totals = || async { app.store.mood_totals(1).await.expect("totals") };
        let views = || async { app.store.view_total(1).await.expect("views") };
        let (before, read_before) = (totals().await, views().await);
        let browser = ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0");
        for refused in [
            vec![("origin", "https://evil.example")],
            vec![("origin", "null")],
            vec![("origin", "http://news.example.org")],
            vec![("sec-fetch-site", "cross-site")],
        ] {
            let mut headers = refused.clone();
            headers.push(browser);
            let vote = app
                .post_from("198.51.100.70:1", VOTE, "mood=happy", &headers)
                .await;
            assert_eq!(vote.status, StatusCode::FORBIDDEN, "{refused:?}");
            assert!(vote.headers.get("set-cookie").is_none());
            let read = app
                .post_from("198.51.100.70:1", "/api/articles/1/view", "", &headers)
                .await;
            assert_eq!(read.status, StatusCode::FORBIDDEN, "{refused:?}");
        }
        assert_eq!(totals().await, before, "nothing counted");
        assert_eq!(views().await, read_before);
        for (i, allowed) in [
            vec![("origin", "https://news.example.org")],
            vec![("origin", EXPORT_ORIGIN)],
            vec![("sec-fetch-site", "same-origin")],
            vec![],
        ]
        .into_iter()
        .enumerate()
        {
            let vote = app
                .post_from(
                    &format!("198.51.100.{}:1", 71 + i),
                    VOTE,
                    "mood=happy",
                    &allowed,
                )
                .await;
            assert!(
                vote.header("location").ends_with("counted=1"),
                "{allowed:?}: {}",
                vote.status
            );
        }
        let happy = |t: &[(String, i64)]| t.iter().find(|(m, _)| m == "happy").map_or(0, |x| x.1);
        assert_eq!(happy(&totals().await), happy(&before) + 4);
    }

    #[tokio::test]
    async fn a_forged_token_is_no_token_and_the_network_cap_holds() {
        let mut site = site_config();
        site.tokenless_votes_per_day = 5;
        let mut web = web_config();
        web.votes_per_minute = 1_000;
        let app = TestApp::with_config(site, web).await;
        let forged = format!("gz_vote={}", "ab".repeat(32));
        let first = app
            .post_from(
                "203.0.113.80:1",
                VOTE,
                "mood=happy",
                &[("cookie", &forged), ("user-agent", "A")],
            )
            .await;
        assert!(first.header("location").ends_with("counted=1"));
        assert!(
            first.header("set-cookie").starts_with("gz_vote="),
            "a made-up token is no token: a real one is handed out"
        );
        let again = app
            .post_from(
                "203.0.113.80:2",
                VOTE,
                "mood=happy",
                &[("cookie", &forged), ("user-agent", "A")],
            )
            .await;
        assert!(
            again.header("location").ends_with("counted=0"),
            "the forged token did not make a second voter"
        );
        // Rotating user agents without tokens: at most the cap per day.
        let mut counted = 1;
        for i in 0..30 {
            let agent = format!("Agent/{i}");
            let vote = app
                .post_from(
                    "203.0.113.80:3",
                    VOTE,
                    "mood=like",
                    &[("user-agent", &agent)],
                )
                .await;
            if vote.header("location").ends_with("counted=1") {
                counted += 1;
                assert!(vote.headers.get("set-cookie").is_some());
            } else {
                assert!(
                    vote.headers.get("set-cookie").is_none(),
                    "no token past the cap"
                );
            }
        }
        assert_eq!(counted, 5, "the cap per network, article and day");
        let other_article = app
            .post_from(
                "203.0.113.80:4",
                "/api/articles/2/vote",
                "mood=like",
                &[("user-agent", "Z")],
            )
            .await;
        assert!(
            other_article.header("location").ends_with("counted=1"),
            "per article"
        );
        assert!(
            other_article.headers.get("set-cookie").is_none(),
            "no more new tokens a day than the cap: tokens cannot be harvested across articles"
        );
        let token = votes::issued_token(&app, "203.0.113.81:1").await;
        let with_token = app
            .post_from(
                "203.0.113.80:5",
                VOTE,
                "mood=like",
                &[("cookie", &format!("gz_vote={token}"))],
            )
            .await;
        assert!(
            with_token.header("location").ends_with("counted=1"),
            "a reader with a real token is not held by the network's cap"
        );
    }

    #[tokio::test]
    async fn an_oversized_vote_is_refused_unread() {
        let app = TestApp::new().await;
        let before = app.store.mood_totals(1).await.expect("totals");
        let huge = format!("mood=happy&pad={}", "x".repeat(10_000));
        let reply = app.post_from("198.51.100.95:1", VOTE, &huge, &[]).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
        let untyped = app
            .request(
                Method::POST,
                VOTE,
                &[("origin", BASE), ("accept", "application/json")],
                b"mood=happy".to_vec(),
            )
            .await;
        assert_eq!(untyped.status, StatusCode::BAD_REQUEST, "not a form");
        assert!(untyped.text().contains("application/x-www-form-urlencoded"));
        assert_eq!(app.store.mood_totals(1).await.expect("totals"), before);
    }

    #[tokio::test]
    async fn media_and_icons_cannot_attack_the_site() {
        let app = TestApp::new().await;
        let html = app.get(FLAGSHIP).await.html();
        let image = attrs(&html, "img[src^='/media/']", "src").remove(0);
        let media = app.get(&image).await;
        assert_eq!(media.status, StatusCode::OK);
        assert_eq!(
            media.header("content-security-policy"),
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        );
        assert_eq!(media.header("x-content-type-options"), "nosniff");
        assert_eq!(media.header("content-type"), "image/svg+xml");
        let alias = image.replace("/media/", "/media/0");
        assert_eq!(
            app.get(&alias).await.status,
            StatusCode::NOT_FOUND,
            "{alias}"
        );
        let favicon = app.get("/favicon.ico").await;
        assert_eq!(favicon.status, StatusCode::OK);
        assert_eq!(favicon.header("content-type"), "image/x-icon");
        assert_eq!(&favicon.body[..4], &[0, 0, 1, 0], "an icon file");
        let manifest = app.get("/manifest.webmanifest").await;
        assert_eq!(manifest.status, StatusCode::OK);
        let manifest: serde_json::Value = serde_json::from_slice(&manifest.body).expect("json");
        assert_eq!(manifest["name"], "测试新闻", "the site's own name");
        for icon in manifest["icons"].as_array().expect("icons") {
            let src = icon["src"].as_str().expect("src");
            assert_eq!(app.get(src).await.status, StatusCode::OK, "{src}");
        }
        assert_eq!(
            attrs(&html, "link[rel=manifest]", "href"),
            ["/manifest.webmanifest"]
        );
    }
}

/// With the clock fixed, two sites loaded from the demo serve the same
/// bytes: what the screenshot baselines rely on.
#[tokio::test]
async fn a_fixed_clock_makes_the_demo_site_the_same_on_every_run() {
    let mut site = site_config();
    site.clock = gazette_core::Clock::fixed_at("2026-11-20T09:30:00+08:00").expect("instant");
    let first = TestApp::with_config(site.clone(), web_config()).await;
    let second = TestApp::with_config(site, web_config()).await;
    for path in ["/", "/en/", FLAGSHIP, "/news/", "/ranking/", "/stream/"] {
        let page = first.get(path).await.text();
        assert_eq!(page, second.get(path).await.text(), "{path}");
    }
    let dates = texts(&first.get(FLAGSHIP).await.html(), "time");
    assert!(
        dates
            .iter()
            .all(|d| d.starts_with("2026-11-") || d.starts_with("11-")),
        "dates follow the clock: {dates:?}"
    );
}
