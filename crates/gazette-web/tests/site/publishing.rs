//! Publishing through the real router: scheduled publication (once, at
//! its time, void after an edit), corrections in the public update log
//! and the comparison page, redaction, retraction (410) and take-down
//! (404) everywhere at once.

use crate::articles::{create, get_as, member, post_as};
use crate::review::{press, public_path};
use crate::support::*;
use axum::http::StatusCode;
use gazette_core::Role;

/// The staff of these tests: an author, an editor and a responsible editor.
struct Newsroom {
    author: String,
    editor: String,
    chief: String,
}

async fn newsroom(app: &TestApp) -> Newsroom {
    Newsroom {
        author: member(app, "author@p.org", "记者甲", Role::Author, 11)
            .await
            .1,
        editor: member(app, "editor@p.org", "编辑乙", Role::Editor, 12)
            .await
            .1,
        chief: member(app, "chief@p.org", "责编丙", Role::ResponsibleEditor, 13)
            .await
            .1,
    }
}

fn fields<'a>(title: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("lang", "zh"),
        ("channel_id", "1"),
        ("summary", "发布测试的摘要。"),
        ("body", body),
        ("author_name", "记者甲"),
    ]
}

/// A new article written, submitted and signed off (channel 1: one level).
async fn signed_off(app: &TestApp, n: &Newsroom, title: &str, body: &str) -> i64 {
    let id = create(app, &n.author, &fields(title, body)).await;
    assert_eq!(
        press(app, &n.author, id, "submit", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let signed = press(app, &n.chief, id, "approve", &[]).await;
    assert!(signed.header("location").ends_with("done=signed_off"));
    id
}

/// Revises a live article and takes the revision through sign-off.
async fn revise(app: &TestApp, n: &Newsroom, id: i64, title: &str, body: &str) {
    let base = crate::articles::base_of(app, &n.author, id).await;
    let mut form = fields(title, body);
    form.push(("base", &base));
    let saved = post_as(app, &n.author, &format!("/admin/articles/{id}"), &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(
        press(app, &n.author, id, "submit", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        press(app, &n.chief, id, "approve", &[]).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_scheduled_publication_goes_live_once_at_its_time_and_an_edit_voids_it() {
    let app = TestApp::new().await;
    let n = newsroom(&app).await;
    let id = signed_off(&app, &n, "定时发布的稿件", "<p>到点上线。</p>").await;
    let zone = &app.engine().config().zone;
    let now = app.engine().now();
    let at = now + 3_600 - now % 60;
    let typed = zone.input_minute(at);
    // A time that has passed is refused, not taken as "now".
    let past = press(
        &app,
        &n.editor,
        id,
        "publish",
        &[("at", &zone.input_minute(now - 600))],
    )
    .await;
    assert_eq!(past.status, StatusCode::BAD_REQUEST);
    let garbled = press(&app, &n.editor, id, "publish", &[("at", "next tuesday")]).await;
    assert_eq!(garbled.status, StatusCode::BAD_REQUEST);
    // Authors cannot schedule either.
    let refused = press(&app, &n.author, id, "publish", &[("at", &typed)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let scheduled = press(&app, &n.editor, id, "publish", &[("at", &typed)]).await;
    assert_eq!(
        scheduled.status,
        StatusCode::SEE_OTHER,
        "{}",
        scheduled.text()
    );
    assert!(scheduled.header("location").ends_with("done=scheduled"));
    let page = get_as(&app, &n.editor, &format!("/admin/articles/{id}"))
        .await
        .text();
    assert!(page.contains("定时发布") && page.contains(&zone.minute(at)));

    let newsroom = app.engine().newsroom();
    assert_eq!(newsroom.run_due_jobs(at - 1).await.expect("early"), 0);
    assert!(public_path(&app, id).await.is_none(), "not before its time");
    assert_eq!(newsroom.run_due_jobs(at).await.expect("due"), 1);
    app.engine().content_changed().await.expect("refresh");
    let path = public_path(&app, id).await.expect("live");
    assert_eq!(one(&app.get(&path).await.html(), "h1"), "定时发布的稿件");
    // Once: the job is done, whoever checks again.
    assert_eq!(newsroom.run_due_jobs(at + 5).await.expect("again"), 0);

    // A second article, scheduled, then edited: the schedule is void.
    let other = signed_off(&app, &n, "改过的定时稿件", "<p>第一稿。</p>").await;
    let scheduled = press(&app, &n.editor, other, "publish", &[("at", &typed)]).await;
    assert_eq!(scheduled.status, StatusCode::SEE_OTHER);
    let base = crate::articles::base_of(&app, &n.author, other).await;
    let mut form = fields("改过的定时稿件", "<p>签发后又改了。</p>");
    form.push(("base", &base));
    post_as(&app, &n.author, &format!("/admin/articles/{other}"), &form).await;
    assert_eq!(newsroom.run_due_jobs(at).await.expect("due"), 0);
    assert!(
        public_path(&app, other).await.is_none(),
        "nothing unsigned goes live"
    );
    let audit = app
        .store
        .audit_entries(&Default::default(), 200)
        .await
        .expect("audit");
    assert!(audit.iter().any(|e| e.action == "publish_void"));
    assert!(
        audit
            .iter()
            .any(|e| e.action == "article_published"
                && e.actor.starts_with("schedule, set by 编辑乙"))
    );
}

#[tokio::test]
async fn corrections_show_in_the_public_update_log_with_what_changed() {
    let app = TestApp::new().await;
    let n = newsroom(&app).await;
    let id = signed_off(&app, &n, "会议报道", "<p>会议于2日召开，有120人出席。</p>").await;
    assert_eq!(
        press(&app, &n.editor, id, "publish", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let path = public_path(&app, id).await.expect("live");
    assert!(select(&app.get(&path).await.html(), "section.updates").is_empty());

    // A correction: dated on the page, with the comparison.
    revise(
        &app,
        &n,
        id,
        "会议报道",
        "<p>会议于3日召开，有120人出席。</p>",
    )
    .await;
    let published = press(
        &app,
        &n.editor,
        id,
        "publish",
        &[("correction", "会议日期应为3日，原文误作2日。")],
    )
    .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.text()
    );
    let html = app.get(&path).await.html();
    let log = texts(&html, "section.updates li");
    assert_eq!(log.len(), 1);
    assert!(log[0].contains("更正：会议日期应为3日"), "{log:?}");
    let changes = attrs(&html, "section.updates a", "href");
    assert_eq!(changes.len(), 1);
    let diff = app.get(&changes[0]).await;
    assert_eq!(diff.status, StatusCode::OK);
    let diff = diff.html();
    // Marked for screen readers too, not only by strike-through.
    assert_eq!(texts(&diff, ".diff del"), ["［删去：］2"]);
    assert_eq!(texts(&diff, ".diff ins"), ["［新增：］3"]);

    // A minor edit stays out of the public log.
    revise(
        &app,
        &n,
        id,
        "会议报道",
        "<p>会议于3日召开，有 120 人出席。</p>",
    )
    .await;
    let minor = press(&app, &n.editor, id, "publish", &[("minor", "on")]).await;
    assert_eq!(minor.status, StatusCode::SEE_OTHER);
    assert_eq!(
        texts(&app.get(&path).await.html(), "section.updates li").len(),
        1
    );

    // The responsible editor cuts a passage from the public history; an
    // author cannot.
    let update = changes[0]
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let redact = format!("/admin/articles/{id}/updates/{update}/redact");
    let refused = post_as(&app, &n.author, &redact, &[("passage", "120人")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let missing = post_as(&app, &n.chief, &redact, &[("passage", "不在其中")]).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    let cut = post_as(&app, &n.chief, &redact, &[("passage", "120人")]).await;
    assert_eq!(cut.status, StatusCode::SEE_OTHER, "{}", cut.text());
    let diff = app.get(&changes[0]).await.text();
    assert!(!diff.contains("120人") && diff.contains("［已删除］"));
    let audit = get_as(
        &app,
        &member(&app, "admin@p.org", "管理员", Role::Admin, 14)
            .await
            .1,
        "/admin/audit",
    )
    .await
    .text();
    assert!(audit.contains("history_redacted") || audit.contains("删去公开记录中的文字"));
    assert!(
        !audit.contains("120人"),
        "the audit log does not repeat the cut passage"
    );
}

#[tokio::test]
async fn the_comparison_pages_follow_the_public_diff_setting() {
    let app = TestApp::with_config(
        gazette_engine::config::SiteConfig {
            public_diff: false,
            ..site_config()
        },
        web_config(),
    )
    .await;
    let n = newsroom(&app).await;
    let id = signed_off(&app, &n, "不公开改动的稿件", "<p>第一稿。</p>").await;
    press(&app, &n.editor, id, "publish", &[]).await;
    revise(&app, &n, id, "不公开改动的稿件", "<p>第二稿。</p>").await;
    press(
        &app,
        &n.editor,
        id,
        "publish",
        &[("correction", "更正了一处。")],
    )
    .await;
    let path = public_path(&app, id).await.expect("live");
    let html = app.get(&path).await.html();
    assert!(texts(&html, "section.updates li")[0].contains("更正了一处"));
    assert!(
        select(&html, "section.updates a").is_empty(),
        "no comparison link"
    );
    let update = app.store.updates(id).await.expect("updates")[0].id;
    assert_eq!(
        app.get(&format!("/changes/{update}/")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn retraction_answers_410_and_a_take_down_404_and_both_leave_every_list() {
    let app = TestApp::new().await;
    let n = newsroom(&app).await;
    let retracted = signed_off(&app, &n, "将被撤稿的稿件", "<p>正文。</p>").await;
    let taken = signed_off(&app, &n, "将被撤下的稿件", "<p>正文。</p>").await;
    for id in [retracted, taken] {
        assert_eq!(
            press(&app, &n.editor, id, "publish", &[]).await.status,
            StatusCode::SEE_OTHER
        );
    }
    let retracted_path = public_path(&app, retracted).await.expect("live");
    let taken_path = public_path(&app, taken).await.expect("live");
    // Editors neither retract nor take down; a retraction says why.
    let refused = post_as(
        &app,
        &n.editor,
        &format!("/admin/articles/{retracted}/retract"),
        &[("note", "x")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let silent = post_as(
        &app,
        &n.chief,
        &format!("/admin/articles/{retracted}/retract"),
        &[("note", " ")],
    )
    .await;
    assert_eq!(silent.status, StatusCode::BAD_REQUEST);
    let done = post_as(
        &app,
        &n.chief,
        &format!("/admin/articles/{retracted}/retract"),
        &[("note", "报道所依据的材料不实。")],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let gone = app.get(&retracted_path).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.text().contains("报道所依据的材料不实"));

    // A take-down at a time, run by the schedule.
    let zone = &app.engine().config().zone;
    let at = app.engine().now() + 7_200;
    let at = at - at % 60;
    let scheduled = post_as(
        &app,
        &n.chief,
        &format!("/admin/articles/{taken}/take-down"),
        &[("at", &zone.input_minute(at))],
    )
    .await;
    assert_eq!(
        scheduled.status,
        StatusCode::SEE_OTHER,
        "{}",
        scheduled.text()
    );
    assert_eq!(app.get(&taken_path).await.status, StatusCode::OK);
    assert_eq!(
        app.engine().newsroom().run_due_jobs(at).await.expect("due"),
        1
    );
    app.engine().content_changed().await.expect("refresh");
    assert_eq!(app.get(&taken_path).await.status, StatusCode::NOT_FOUND);

    // Neither is on the home page, its channel or the sidebar any more.
    for page in ["/", "/news/", "/ranking/"] {
        let reply = app.get(page).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        let html = reply.text();
        for path in [&retracted_path, &taken_path] {
            assert!(!html.contains(path.as_str()), "{path} still on {page}");
        }
    }
}

#[tokio::test]
async fn a_withdrawn_article_stays_withdrawn_and_schedules_keep_to_the_roles() {
    let app = TestApp::new().await;
    let n = newsroom(&app).await;
    let zone = &app.engine().config().zone;
    let now = app.engine().now();
    let later = zone.input_minute(now + 7_200 - now % 60);
    let due = now + 7_200 - now % 60;

    // Live, then a correction signed off and scheduled; then retracted.
    let id = signed_off(&app, &n, "撤稿后不再上线的稿件", "<p>第一稿。</p>").await;
    press(&app, &n.editor, id, "publish", &[]).await;
    revise(&app, &n, id, "撤稿后不再上线的稿件", "<p>第二稿。</p>").await;
    let scheduled = press(&app, &n.editor, id, "publish", &[("at", &later)]).await;
    assert_eq!(scheduled.status, StatusCode::SEE_OTHER);
    let retracted = post_as(
        &app,
        &n.chief,
        &format!("/admin/articles/{id}/retract"),
        &[("note", "材料不实。")],
    )
    .await;
    assert_eq!(retracted.status, StatusCode::SEE_OTHER);
    // Neither the schedule nor an editor brings it back.
    assert_eq!(
        app.engine()
            .newsroom()
            .run_due_jobs(due)
            .await
            .expect("due"),
        0
    );
    let again = press(&app, &n.editor, id, "publish", &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
    let resubmit = press(&app, &n.author, id, "submit", &[]).await;
    assert_eq!(resubmit.status, StatusCode::CONFLICT);

    // An editor's "cancel" leaves a responsible editor's take-down standing.
    let other = signed_off(&app, &n, "定时撤下的稿件", "<p>正文。</p>").await;
    press(&app, &n.editor, other, "publish", &[]).await;
    let take_down = post_as(
        &app,
        &n.chief,
        &format!("/admin/articles/{other}/take-down"),
        &[("at", &later)],
    )
    .await;
    assert_eq!(take_down.status, StatusCode::SEE_OTHER);
    let cancel = post_as(
        &app,
        &n.editor,
        &format!("/admin/articles/{other}/schedule/cancel"),
        &[],
    )
    .await;
    assert_eq!(cancel.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.open_jobs(other).await.expect("jobs").len(), 1);

    // A job runs with its setter's rights as they are when it is due: the
    // responsible editor disabled meanwhile, the take-down is void.
    let chief_id = app
        .store
        .accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.name_zh == "责编丙")
        .expect("chief")
        .id;
    app.store
        .set_disabled(chief_id, Some(now))
        .await
        .expect("disabled");
    assert_eq!(
        app.engine()
            .newsroom()
            .run_due_jobs(due)
            .await
            .expect("due"),
        0
    );
    assert_eq!(
        app.store.article(other).await.expect("article").status,
        gazette_core::ArticleStatus::Published
    );
}

#[tokio::test]
async fn a_co_author_added_in_a_pending_revision_does_not_review_it() {
    let app = TestApp::new().await;
    let n = newsroom(&app).await;
    let (_, second_chief) =
        member(&app, "chief2@p.org", "责编丁", Role::ResponsibleEditor, 15).await;
    let id = signed_off(&app, &n, "共同署名的稿件", "<p>第一稿。</p>").await;
    press(&app, &n.editor, id, "publish", &[]).await;
    // The next revision credits the second responsible editor as an author.
    let base = crate::articles::base_of(&app, &n.author, id).await;
    let mut form = fields("共同署名的稿件", "<p>第二稿。</p>");
    form.push(("author_name", "责编丁"));
    form.push(("base", &base));
    post_as(&app, &n.author, &format!("/admin/articles/{id}"), &form).await;
    press(&app, &n.author, id, "submit", &[]).await;
    let own = press(&app, &second_chief, id, "approve", &[]).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "{}", own.text());
}

#[tokio::test]
async fn hostile_notes_are_text_wherever_they_show() {
    let app = TestApp::new().await;
    let n = newsroom(&app).await;
    let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">x</a>";
    let title = format!("标题{hostile}");
    let id = signed_off(&app, &n, &title, "<p>第一稿。</p>").await;
    press(&app, &n.editor, id, "publish", &[]).await;
    let path = public_path(&app, id).await.expect("live");
    revise(
        &app,
        &n,
        id,
        &title,
        "<p>第二稿<script>alert(4)</script>。</p>",
    )
    .await;
    let published = press(&app, &n.editor, id, "publish", &[("correction", hostile)]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let article = app.get(&path).await.text();
    let changes = attrs(&app.get(&path).await.html(), "section.updates a", "href");
    let diff = app.get(&changes[0]).await.text();
    // The back office: the review history with a hostile rejection, the
    // update log, the worklist and the audit log.
    let other = signed_off(&app, &n, "另一篇", "<p>正文。</p>").await;
    let _ = other;
    let admin = member(&app, "admin@x.org", "管理员", Role::Admin, 16)
        .await
        .1;
    let pages = [
        article,
        diff,
        get_as(&app, &n.chief, &format!("/admin/articles/{id}"))
            .await
            .text(),
        get_as(&app, &n.chief, "/admin/articles").await.text(),
        get_as(&app, &admin, "/admin/audit").await.text(),
    ];
    for (i, page) in pages.iter().enumerate() {
        for bad in ["<script>alert", "<img src=x", "href=\"javascript:"] {
            assert!(!page.contains(bad), "page {i} carries {bad}");
        }
    }
    assert!(
        pages[0].contains("&lt;script&gt;alert(1)"),
        "shown as text on the article page"
    );
    // Retracted with a hostile note: the 410 page shows it as text.
    let retracted = post_as(
        &app,
        &n.chief,
        &format!("/admin/articles/{id}/retract"),
        &[("note", hostile)],
    )
    .await;
    assert_eq!(retracted.status, StatusCode::SEE_OTHER);
    let gone = app.get(&path).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(!gone.text().contains("<script>alert") && gone.text().contains("&lt;script&gt;"));
}
