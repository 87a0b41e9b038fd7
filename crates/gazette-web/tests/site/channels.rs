//! The channel tree through the real router: rename, move, reorder and
//! retire, each keeping old addresses redirecting, the channel bar on
//! every cached page following, and what is refused.

use crate::admin::{ORIGIN, add, form_token, get_as, post_as, sign_in};
use crate::support::*;
use axum::http::StatusCode;
use gazette_core::Role;

#[tokio::test]
async fn channels_are_renamed_moved_reordered_and_retired_with_old_addresses_redirecting() {
    let app = TestApp::new().await;
    let engine = app.engine_arc();
    engine.start_following().await.expect("following");
    add(&app, "chief@example.org", Role::ResponsibleEditor).await;
    let cookie = sign_in(&app, "chief@example.org").await;
    let token = form_token(&app, &cookie).await;
    let tree = gazette_core::ChannelTree::new(app.store.channels().await.expect("channels"));
    let china = tree
        .find_by_path(&[
            gazette_core::Slug::parse("news").expect("slug"),
            gazette_core::Slug::parse("china").expect("slug"),
        ])
        .expect("news/china")
        .id;
    let news = tree
        .get(china)
        .and_then(|c| c.parent_id)
        .expect("under news");
    // An article of that channel, and the front page, cached.
    let article = attrs(
        &app.get("/news/china/").await.html(),
        ".card-title a",
        "href",
    )[0]
    .clone();
    assert!(article.starts_with("/news/china/"));
    app.get("/").await;

    // Rename: the channel, its articles' addresses and the bar follow.
    let form = format!(
        "form_token={token}&parent={news}&slug=domestic&name_zh=%E5%9B%BD%E5%86%85%E6%96%B0%E9%97%BB&name_en=Domestic"
    );
    let reply = post_as(
        &app,
        &cookie,
        &format!("/admin/channels/{china}"),
        &form,
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let old = app.get("/news/china/").await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.header("location"), "/news/domestic/");
    let moved = app.get(&article).await;
    assert_eq!(moved.status, StatusCode::MOVED_PERMANENTLY);
    assert!(moved.header("location").starts_with("/news/domestic/"));
    assert_eq!(app.get("/news/domestic/").await.status, StatusCode::OK);
    assert!(
        app.get("/").await.text().contains("国内新闻"),
        "the channel bar follows"
    );

    // Move it to the top level: both old addresses redirect to the new one.
    let form = format!(
        "form_token={token}&parent=&slug=domestic&name_zh=%E5%9B%BD%E5%86%85&name_en=Domestic"
    );
    let reply = post_as(
        &app,
        &cookie,
        &format!("/admin/channels/{china}"),
        &form,
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/news/china/").await.header("location"),
        "/domestic/"
    );
    assert_eq!(
        app.get("/news/domestic/").await.header("location"),
        "/domestic/"
    );

    // Refused: under itself, a sibling's slug, a bad slug.
    let sub = engine
        .add_channel(
            &gazette_engine::staff::Actor::COMMAND_LINE,
            Some(china),
            "regions",
            "地方",
            "Regions",
        )
        .await
        .expect("sub-channel");
    for (form, says) in [
        (
            format!("form_token={token}&parent={sub}&slug=domestic&name_zh=a&name_en=a"),
            "under itself",
        ),
        (
            format!("form_token={token}&parent=&slug=news&name_zh=a&name_en=a"),
            "same parent",
        ),
        (
            format!("form_token={token}&parent=&slug=Bad%20Slug&name_zh=a&name_en=a"),
            "lower-case",
        ),
    ] {
        let reply = post_as(
            &app,
            &cookie,
            &format!("/admin/channels/{china}"),
            &form,
            &[ORIGIN],
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{says}");
        assert!(reply.text().contains(says), "{says}: {}", reply.text());
    }

    // Reorder: "up" moves it before the channel above it in the bar.
    let roots_before: Vec<String> = texts(&app.get("/").await.html(), ".channel-bar a");
    let reply = post_as(
        &app,
        &cookie,
        &format!("/admin/channels/{china}/up"),
        &format!("form_token={token}"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let roots_after: Vec<String> = texts(&app.get("/").await.html(), ".channel-bar a");
    let at = |list: &[String]| list.iter().position(|n| n == "国内").expect("in the bar");
    assert_eq!(
        at(&roots_after) + 1,
        at(&roots_before),
        "{roots_before:?} {roots_after:?}"
    );

    // Retire: refused while it has a channel under it; then the
    // sub-channel goes, its articles and address to its parent.
    let reply = post_as(
        &app,
        &cookie,
        &format!("/admin/channels/{china}/retire"),
        &format!("form_token={token}&into={news}"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::CONFLICT.max(StatusCode::UNPROCESSABLE_ENTITY)
    );
    let reply = post_as(
        &app,
        &cookie,
        &format!("/admin/channels/{sub}/retire"),
        &format!("form_token={token}&into={china}"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/domestic/regions/").await.header("location"),
        "/domestic/"
    );
    let reply = post_as(
        &app,
        &cookie,
        &format!("/admin/channels/{china}/retire"),
        &format!("form_token={token}&into={news}"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/domestic/").await.header("location"), "/news/");
    assert_eq!(
        app.get("/news/china/").await.header("location"),
        "/news/",
        "every old address"
    );
    let moved = app.get(&article).await;
    assert!(
        moved.header("location").starts_with("/news/"),
        "{}",
        moved.header("location")
    );
    assert_eq!(
        app.get(moved.header("location")).await.status,
        StatusCode::OK
    );

    // The pages themselves.
    let list = get_as(&app, &cookie, "/admin/channels").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text().contains("/news/") && !list.text().contains("/domestic/"));
    assert_eq!(
        get_as(&app, &cookie, &format!("/admin/channels/{news}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        get_as(&app, &cookie, &format!("/admin/channels/{china}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Editors may curate but not change the tree.
    add(&app, "desk@example.org", Role::Editor).await;
    let desk = sign_in(&app, "desk@example.org").await;
    assert_eq!(
        get_as(&app, &desk, "/admin/channels").await.status,
        StatusCode::FORBIDDEN
    );
}
