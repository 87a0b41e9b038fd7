//! Curation through the real router: the slot editor works without a
//! script (search, add, move, remove, preview, save), refuses what it must,
//! follows the role table, and a saved slot reaches the pages that show it
//! (and only those) on every node.

use crate::admin::{ORIGIN, add, form_token, get_as, post_as, sign_in};
use crate::support::*;
use axum::http::StatusCode;
use gazette_core::Role;

/// The editor's form as a browser sends it: the token, the button, and
/// the entries in order.
/// The articles the picker offers to add, in its order.
fn offered(reply: &Reply) -> Vec<i64> {
    attrs(&reply.html(), ".picker button[name=action]", "value")
        .iter()
        .filter_map(|v| v.strip_prefix("add:")?.parse().ok())
        .collect()
}

fn editor_form(token: &str, action: &str, query: &str, entries: &[(i64, &str, &str)]) -> String {
    let mut form = format!(
        "form_token={token}&action={}&q={}",
        urlencode(action),
        urlencode(query)
    );
    for (i, (id, starts, expires)) in entries.iter().enumerate() {
        form.push_str(&format!(
            "&entry_{i}_id={id}&entry_{i}_starts={}&entry_{i}_expires={}",
            urlencode(starts),
            urlencode(expires)
        ));
    }
    form
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)]).expect("encodes")[2..].to_owned()
}

/// The article ids an editor page lists, in order.
fn listed(reply: &Reply) -> Vec<i64> {
    attrs(&reply.html(), "[data-entry] input[type=hidden]", "value")
        .iter()
        .map(|v| v.parse().expect("an id"))
        .collect()
}

#[tokio::test]
async fn the_slot_editor_works_without_a_script_and_a_save_reaches_only_the_pages_showing_the_slot()
{
    let app = TestApp::new().await;
    let engine = app.engine_arc();
    engine.start_following().await.expect("following");
    // The picker searches with the site's engine.
    engine.update_search().await.expect("index the demo");
    add(&app, "desk@example.org", Role::Editor).await;
    let cookie = sign_in(&app, "desk@example.org").await;
    let token = form_token(&app, &cookie).await;
    let list = get_as(&app, &cookie, "/admin/slots").await;
    assert_eq!(list.status, StatusCode::OK);
    for key in ["headline", "top-stories", "visual-focus", "exclusive"] {
        assert!(
            list.text().contains(&format!("/admin/slots/{key}")),
            "{key}"
        );
    }
    // Search, then add two articles (staged, nothing saved yet).
    let path = "/admin/slots/top-stories";
    let found = post_as(
        &app,
        &cookie,
        path,
        &editor_form(&token, "search", "春运", &[]),
        &[ORIGIN],
    )
    .await;
    assert_eq!(found.status, StatusCode::OK);
    let hits = offered(&found);
    assert!(hits.len() >= 2, "{hits:?}");
    // The picker searches as the site does: traditional characters find
    // the same articles, and an id finds its article first.
    let traditional = post_as(
        &app,
        &cookie,
        path,
        &editor_form(&token, "search", "春運", &[]),
        &[ORIGIN],
    )
    .await;
    assert_eq!(offered(&traditional), hits);
    let by_id = post_as(
        &app,
        &cookie,
        path,
        &editor_form(&token, "search", &hits[1].to_string(), &[]),
        &[ORIGIN],
    )
    .await;
    assert_eq!(offered(&by_id).first(), Some(&hits[1]));
    let (a, b) = (hits[0], hits[1]);
    // The lead story is another one (the top stories never repeat it).
    app.store
        .replace_slot_entries(
            slot_id(&app, "headline").await,
            "headline",
            &[gazette_store::curation::SlotEntryInput {
                article_id: 1,
                starts_at: None,
                expires_at: None,
            }],
            0,
        )
        .await
        .expect("headline");
    let staged = post_as(
        &app,
        &cookie,
        path,
        &editor_form(&token, &format!("add:{a}"), "春运", &[]),
        &[ORIGIN],
    )
    .await;
    assert_eq!(listed(&staged), [a]);
    let staged = post_as(
        &app,
        &cookie,
        path,
        &editor_form(&token, &format!("add:{b}"), "", &[(a, "", "")]),
        &[ORIGIN],
    )
    .await;
    assert_eq!(listed(&staged), [a, b]);
    // Keyboard order without a script: "up" on the second.
    let staged = post_as(
        &app,
        &cookie,
        path,
        &editor_form(&token, "up:1", "", &[(a, "", ""), (b, "", "")]),
        &[ORIGIN],
    )
    .await;
    assert_eq!(listed(&staged), [b, a]);
    assert!(
        app.store
            .slot_entries(slot_id(&app, "top-stories").await)
            .await
            .expect("entries")
            .is_empty(),
        "nothing saved yet"
    );

    // The front page and an article page are cached.
    let article_path = attrs(
        &app.get("/").await.html(),
        ".latest a, .card-title a",
        "href",
    )
    .into_iter()
    .find(|h| h.ends_with(".html"))
    .expect("an article");
    kept(&app, "/").await;
    kept(&app, &article_path).await;

    // The preview shows the unsaved order; it is never cached.
    let preview = post_as(
        &app,
        &cookie,
        path,
        &editor_form(&token, "preview:zh", "", &[(b, "", ""), (a, "", "")]),
        &[ORIGIN],
    )
    .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert_eq!(preview.header("cache-control"), "private, no-store");
    let top = attrs(&preview.html(), ".top-stories .card-title a", "href");
    assert!(top[0].contains(&format!("/{b}-")), "{top:?}");
    assert!(
        engine.cached_page("/", None).is_some(),
        "a preview leaves the cache alone"
    );

    // Saving: the front page is forgotten, the article page is not (it
    // shows no top stories).
    let saved = post_as(
        &app,
        &cookie,
        path,
        &editor_form(&token, "save", "", &[(b, "", ""), (a, "", "")]),
        &[ORIGIN],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(
        engine.cached_page("/", None).is_none(),
        "the front page is rebuilt"
    );
    assert!(
        engine.cached_page(&article_path, None).is_some(),
        "other pages stay"
    );
    let top = attrs(
        &app.get("/").await.html(),
        ".top-stories .card-title a",
        "href",
    );
    assert!(
        top[0].contains(&format!("/{b}-")) && top[1].contains(&format!("/{a}-")),
        "{top:?}"
    );
    // Another node that had the front page cached forgets it too.
    let other = app.another_node();
    other.engine().follow_changes().await.expect("start");
    other.get("/").await;
    let saved = post_as(
        &app,
        &cookie,
        path,
        &editor_form(&token, "save", "", &[(a, "", "")]),
        &[ORIGIN],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    other.engine().follow_changes().await.expect("applied");
    let top = attrs(
        &other.get("/").await.html(),
        ".top-stories .card-title a",
        "href",
    );
    assert!(top[0].contains(&format!("/{a}-")), "{top:?}");

    // A sidebar slot reaches every page with the sidebar.
    kept(&app, &article_path).await;
    let saved = post_as(
        &app,
        &cookie,
        "/admin/slots/visual-focus",
        &editor_form(&token, "save", "", &[(b, "", "")]),
        &[ORIGIN],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(engine.cached_page(&article_path, None).is_none());

    // Start and end times: one that has not started does not show.
    let later = "2099-01-01T08:00";
    let saved = post_as(
        &app,
        &cookie,
        path,
        &editor_form(&token, "save", "", &[(a, later, ""), (b, "", "")]),
        &[ORIGIN],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let top = attrs(
        &app.get("/").await.html(),
        ".top-stories .card-title a",
        "href",
    );
    assert!(top[0].contains(&format!("/{b}-")), "{top:?}");

    // Refused with a reason, nothing stored: an end before its start, an
    // unknown article, a malformed time, the same article twice.
    for (entries, says) in [
        (
            vec![(a, "2026-12-02T08:00", "2026-12-01T08:00")],
            "after the start",
        ),
        (vec![(999_999, "", "")], "no article"),
        (vec![(a, "tomorrow", "")], "not a date"),
        (vec![(a, "", ""), (a, "", "")], "twice"),
    ] {
        let reply = post_as(
            &app,
            &cookie,
            path,
            &editor_form(&token, "save", "", &entries),
            &[ORIGIN],
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{says}");
        assert!(reply.text().contains(says), "{says}");
    }
    let stored: Vec<i64> = app
        .store
        .slot_entries(slot_id(&app, "top-stories").await)
        .await
        .expect("entries")
        .iter()
        .map(|e| e.article_id)
        .collect();
    assert_eq!(stored, [a, b], "the last good save stands");
    assert_eq!(
        get_as(&app, &cookie, "/admin/slots/no-such-slot")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// Asks for a page until this node keeps it (a build that overlapped
/// start-up's background work is served but not kept).
async fn kept(app: &TestApp, path: &str) {
    for _ in 0..100 {
        app.get(path).await;
        if app.engine().cached_page(path, None).is_some() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{path} was never kept");
}

async fn slot_id(app: &TestApp, key: &str) -> i64 {
    app.store
        .slots()
        .await
        .expect("slots")
        .into_iter()
        .find(|s| s.key.as_str() == key)
        .expect("slot")
        .id
}

#[tokio::test]
async fn special_topics_are_made_with_sections_of_picked_articles_and_their_pages_follow() {
    let app = TestApp::new().await;
    let engine = app.engine_arc();
    engine.start_following().await.expect("following");
    add(&app, "desk@example.org", Role::Editor).await;
    let cookie = sign_in(&app, "desk@example.org").await;
    let token = form_token(&app, &cookie).await;
    let channel = app.store.channels().await.expect("channels")[0].id;
    let form = |slug: &str, banner: &str| {
        format!(
            "form_token={token}&slug={slug}&channel_id={channel}&title_zh=%E5%86%AC%E5%A5%A5&title_en=Winter+Games\
             &description_zh=%E5%AF%BC%E8%AF%AD&description_en=Intro&cover_media_id={banner}"
        )
    };
    // Two sections: the first with articles 3 and 1, the second with 2.
    let sections = "&section_1_title_zh=%E7%8E%B0%E5%9C%BA&section_1_title_en=On+site&section_1_articles=3%2C+1\
                    &section_2_title_zh=%E8%AF%84%E8%AE%BA&section_2_title_en=Comment&section_2_articles=2\
                    &section_3_title_zh=&section_3_title_en=&section_3_articles=";
    let reply = post_as(
        &app,
        &cookie,
        "/admin/topics",
        &(form("winter-games", "") + sections),
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let edit = reply
        .header("location")
        .split('?')
        .next()
        .expect("path")
        .to_owned();
    let page = app.get("/topic/winter-games/").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    assert_eq!(texts(&html, ".topic-section h2"), ["现场", "评论"]);
    let first = attrs(&html, ".topic-section:first-of-type .card-title a", "href");
    assert!(
        first[0].contains("/3-") && first[1].contains("/1-"),
        "{first:?}"
    );
    kept(&app, "/topic/winter-games/").await;

    // Reordered and saved: the cached page is forgotten, the address kept.
    let sections =
        "&section_1_title_zh=%E7%8E%B0%E5%9C%BA&section_1_title_en=On+site&section_1_articles=1+3";
    let reply = post_as(
        &app,
        &cookie,
        &edit,
        &(form("ignored", "") + sections),
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    assert!(engine.cached_page("/topic/winter-games/", None).is_none());
    let first = attrs(
        &app.get("/topic/winter-games/").await.html(),
        ".topic-section .card-title a",
        "href",
    );
    assert!(
        first[0].contains("/1-") && first[1].contains("/3-"),
        "{first:?}"
    );
    assert_eq!(
        app.get("/topic/ignored/").await.status,
        StatusCode::NOT_FOUND
    );

    // Refused with a reason: an unknown article, a word, a taken slug, a missing photo.
    for (body, says) in [
        (
            form("other-one", "")
                + "&section_1_title_zh=a&section_1_title_en=a&section_1_articles=999999",
            "no article",
        ),
        (
            form("other-two", "")
                + "&section_1_title_zh=a&section_1_title_en=a&section_1_articles=abc",
            "not an article number",
        ),
        (form("winter-games", ""), "slug"),
        (form("other-three", "999999"), "no photo"),
    ] {
        let reply = post_as(&app, &cookie, "/admin/topics", &body, &[ORIGIN]).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{says}");
        assert!(reply.text().contains(says), "{says}: {}", reply.text());
    }
    assert_eq!(
        app.store
            .topics()
            .await
            .expect("topics")
            .iter()
            .filter(|t| t.slug.as_str().starts_with("other"))
            .count(),
        0
    );
    assert_eq!(get_as(&app, &cookie, &edit).await.status, StatusCode::OK);
    add(&app, "writer@example.org", Role::Author).await;
    let writer = sign_in(&app, "writer@example.org").await;
    assert_eq!(
        get_as(&app, &writer, "/admin/topics").await.status,
        StatusCode::FORBIDDEN
    );
}
