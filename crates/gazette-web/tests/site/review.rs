//! Review and sign-off through the real router: a channel's levels, who
//! may pass each, rejections with a comment, approvals voided by edits,
//! the final signer's own edits, publishing, and the 责编 snapshot.

use crate::articles::{base_of, create, get_as, member, post_as};
use crate::support::*;
use axum::http::StatusCode;
use gazette_core::Role;

/// The review state the article page shows.
async fn review_state(app: &TestApp, cookie: &str, id: i64) -> String {
    let html = get_as(app, cookie, &format!("/admin/articles/{id}"))
        .await
        .html();
    attrs(&html, "#review-h .status", "class")
        .first()
        .and_then(|c| c.split_whitespace().find_map(|w| w.strip_prefix("review-")))
        .unwrap_or_default()
        .to_owned()
}

/// A review button pressed on the page as it is now.
pub(crate) async fn press(
    app: &TestApp,
    cookie: &str,
    id: i64,
    step: &str,
    extra: &[(&str, &str)],
) -> Reply {
    let base = base_of(app, cookie, id).await;
    let mut pairs = vec![("base", base.as_str())];
    pairs.extend_from_slice(extra);
    post_as(app, cookie, &format!("/admin/articles/{id}/{step}"), &pairs).await
}

/// The public address of an article, from the home page's links.
pub(crate) async fn public_path(app: &TestApp, id: i64) -> Option<String> {
    let home = app.get("/").await.html();
    attrs(&home, "a", "href").into_iter().find(|h| {
        h.rsplit('/')
            .next()
            .is_some_and(|f| f.starts_with(&format!("{id}-")))
    })
}

fn fields<'a>(title: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("lang", "zh"),
        ("channel_id", "1"),
        ("summary", "两级审核的稿件摘要。"),
        ("body", body),
        ("author_name", "记者甲"),
    ]
}

#[tokio::test]
async fn an_article_passes_two_levels_is_sent_back_signed_off_and_published() {
    let app = TestApp::new().await;
    let (_, admin) = member(&app, "admin@r.org", "管理员", Role::Admin, 1).await;
    let (_, author) = member(&app, "author@r.org", "记者甲", Role::Author, 2).await;
    let (_, editor) = member(&app, "editor@r.org", "编辑乙", Role::Editor, 3).await;
    let (_, second_editor) = member(&app, "editor2@r.org", "编辑丁", Role::Editor, 4).await;
    let (chief_id, chief) = member(&app, "chief@r.org", "责编丙", Role::ResponsibleEditor, 5).await;

    // Only admins set levels; the last level must be a sign-off.
    let levels = [
        ("levels", "2"),
        ("role_1", "editor"),
        ("role_2", "responsible-editor"),
    ];
    let refused = post_as(&app, &chief, "/admin/review/1", &levels).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let bad = post_as(
        &app,
        &admin,
        "/admin/review/1",
        &[("levels", "1"), ("role_1", "editor")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
    let bad = post_as(&app, &admin, "/admin/review/1", &[("levels", "4")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let set = post_as(&app, &admin, "/admin/review/1", &levels).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.text());
    let settings = get_as(&app, &admin, "/admin/review").await;
    assert_eq!(settings.status, StatusCode::OK);

    let id = create(&app, &author, &fields("两级审核的稿件", "<p>第一稿。</p>")).await;
    assert_eq!(review_state(&app, &author, id).await, "editing");
    // Nothing to approve before a submission.
    let early = press(&app, &editor, id, "approve", &[]).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text());
    let submitted = press(&app, &author, id, "submit", &[]).await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER);
    assert_eq!(review_state(&app, &author, id).await, "submitted");

    // Authors never review, least of all their own article.
    let own = press(&app, &author, id, "approve", &[]).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let first = press(&app, &editor, id, "approve", &[]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.text());
    assert!(first.header("location").ends_with("done=approved"));
    // Level two is the sign-off: not for editors, and not for the same person.
    for cookie in [&editor, &second_editor] {
        let refused = press(&app, cookie, id, "approve", &[]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
    // The responsible editor sends it back, saying why.
    let empty = press(&app, &chief, id, "reject", &[("comment", "  ")]).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    let comment = "第二段的数字请再核实<script>x</script>";
    let rejected = press(&app, &chief, id, "reject", &[("comment", comment)]).await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER);
    let page = get_as(&app, &author, &format!("/admin/articles/{id}"))
        .await
        .text();
    assert!(
        page.contains("第二段的数字请再核实&lt;script&gt;"),
        "the author sees the comment, escaped"
    );
    assert_eq!(review_state(&app, &author, id).await, "rejected");

    // The author revises and submits again: a new round from level one.
    let base = base_of(&app, &author, id).await;
    let mut revised = fields("两级审核的稿件", "<p>第二稿，数字已核实。</p>");
    revised.push(("base", &base));
    let saved = post_as(&app, &author, &format!("/admin/articles/{id}"), &revised).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(
        press(&app, &author, id, "submit", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        press(&app, &second_editor, id, "approve", &[]).await.status,
        StatusCode::SEE_OTHER
    );

    // A step on a page that is out of date is a conflict.
    let stale = post_as(
        &app,
        &chief,
        &format!("/admin/articles/{id}/approve"),
        &[("base", &base)],
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);

    // The chief signs off with an edit of their own: kept as a sign-off
    // revision, and the first level's approval stands.
    let base = base_of(&app, &chief, id).await;
    let mut signed = fields("两级审核的稿件（签发稿）", "<p>第二稿，数字已核实。</p>");
    signed.push(("base", &base));
    signed.push(("kind", "signoff"));
    let reply = post_as(&app, &chief, &format!("/admin/articles/{id}"), &signed).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    assert!(reply.header("location").ends_with("done=signed_off"));
    assert_eq!(review_state(&app, &chief, id).await, "approved");
    let history = get_as(&app, &chief, &format!("/admin/articles/{id}/revisions"))
        .await
        .text();
    assert!(
        history.contains("签发时修改"),
        "the signer's edits are their own revision"
    );

    // An edit after the sign-off voids every approval: back to level one.
    let base = base_of(&app, &editor, id).await;
    let mut late = fields(
        "两级审核的稿件（签发稿）",
        "<p>第二稿，数字已核实。又改了一处。</p>",
    );
    late.push(("base", &base));
    let saved = post_as(&app, &editor, &format!("/admin/articles/{id}"), &late).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(review_state(&app, &editor, id).await, "submitted");
    let early = press(&app, &editor, id, "publish", &[]).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    // The editor who made the edit may pass level one again (it is not
    // their article); the chief signs off as it stands.
    assert_eq!(
        press(&app, &editor, id, "approve", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let signed = press(&app, &chief, id, "approve", &[]).await;
    assert!(signed.header("location").ends_with("done=signed_off"));

    // Authors cannot publish; an editor can.
    assert_eq!(
        press(&app, &author, id, "publish", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let published = press(&app, &editor, id, "publish", &[]).await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.text()
    );
    assert_eq!(review_state(&app, &editor, id).await, "live");
    let path = public_path(&app, id).await.expect("on the home page");
    let html = app.get(&path).await.html();
    assert_eq!(one(&html, "h1"), "两级审核的稿件（签发稿）");
    assert_eq!(one(&html, ".responsible a"), "责编丙");

    // A new revision goes through review while readers keep the live one.
    let base = base_of(&app, &author, id).await;
    let mut newer = fields("未经审核的新标题", "<p>新的一稿。</p>");
    newer.push(("base", &base));
    let saved = post_as(&app, &author, &format!("/admin/articles/{id}"), &newer).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(review_state(&app, &author, id).await, "editing");
    let html = app.get(&path).await.html();
    assert_eq!(one(&html, "h1"), "两级审核的稿件（签发稿）");

    // The 责编 is a snapshot: it stays when the signer's account goes.
    app.store
        .set_disabled(chief_id, Some(1))
        .await
        .expect("disabled");
    app.engine().content_changed().await.expect("refresh");
    let html = app.get(&path).await.html();
    assert_eq!(one(&html, ".responsible a"), "责编丙");
}

#[tokio::test]
async fn nobody_reviews_an_article_they_wrote_or_co_wrote() {
    let app = TestApp::new().await;
    let (_, chief) = member(&app, "chief@r.org", "责编丙", Role::ResponsibleEditor, 1).await;
    let (_, other_chief) = member(&app, "chief2@r.org", "责编戊", Role::ResponsibleEditor, 2).await;
    let (_, author) = member(&app, "author@r.org", "记者甲", Role::Author, 3).await;
    // The responsible editor writes; a co-author is credited too.
    let mut draft = fields("责编自己写的稿件", "<p>正文。</p>");
    draft.push(("author_name", "记者甲"));
    let id = create(&app, &chief, &draft).await;
    assert_eq!(
        press(&app, &chief, id, "submit", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let own = press(&app, &chief, id, "approve", &[]).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "{}", own.text());
    let page = get_as(&app, &chief, &format!("/admin/articles/{id}"))
        .await
        .text();
    assert!(page.contains("不能由你审核"), "the page says why");
    // The co-author (an author) may see it but not pass it.
    assert_eq!(
        press(&app, &author, id, "approve", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let signed = press(&app, &other_chief, id, "approve", &[]).await;
    assert!(signed.header("location").ends_with("done=signed_off"));
}
