//! Writing in the back office through the real router: drafts, who may see
//! and edit them, revisions, conflicts, previews and preview links, and
//! what a hostile author would put in an article.

use crate::support::*;
use axum::http::{Method, StatusCode};
use gazette_core::{Clock, Lang, Role};
use gazette_engine::newsroom::Newsroom;
use gazette_engine::staff::{Actor, NewStaff, secrets};
use gazette_store::accounts::SessionRecord;

const ORIGIN: (&str, &str) = ("origin", BASE);
const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

/// An account with a session made in the store (no password hashing).
pub(crate) async fn member(
    app: &TestApp,
    email: &str,
    name: &str,
    role: Role,
    n: usize,
) -> (i64, String) {
    let (account, _) = app
        .engine()
        .staff()
        .add_account(
            &Actor::COMMAND_LINE,
            NewStaff {
                email,
                name_zh: name,
                name_en: None,
                role,
                lang: Lang::Zh,
                password: None,
            },
        )
        .await
        .expect("account");
    let secret = format!("{:064x}", 0xdef000 + n);
    app.store
        .create_session(&SessionRecord {
            id_hash: secrets::stored_hash(&secret),
            account_id: account.id,
            created_at: 0,
            last_seen_at: i64::MAX / 4,
            expires_at: i64::MAX / 2,
            device: "test".into(),
            prefix: "10.0.0.1".into(),
        })
        .await
        .expect("session");
    (account.id, secret)
}

pub(crate) async fn get_as(app: &TestApp, cookie: &str, path: &str) -> Reply {
    app.get_with(path, &[("cookie", &format!("gz_staff={cookie}"))])
        .await
}

pub(crate) async fn post_as(
    app: &TestApp,
    cookie: &str,
    path: &str,
    pairs: &[(&str, &str)],
) -> Reply {
    let token = secrets::form_token(cookie);
    let mut all: Vec<(&str, &str)> = vec![("form_token", &token)];
    all.extend_from_slice(pairs);
    let body = serde_urlencoded::to_string(&all).expect("form");
    let cookie = format!("gz_staff={cookie}");
    app.request(
        Method::POST,
        path,
        &[FORM, ORIGIN, ("cookie", &cookie)],
        body.into_bytes(),
    )
    .await
}

/// Creates a draft; its id.
pub(crate) async fn create(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> i64 {
    let reply = post_as(app, cookie, "/admin/articles", fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let location = reply.header("location");
    location
        .trim_start_matches("/admin/articles/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"))
}

/// The latest revision of an article, as its edit form carries it.
pub(crate) async fn base_of(app: &TestApp, cookie: &str, id: i64) -> String {
    let html = get_as(app, cookie, &format!("/admin/articles/{id}"))
        .await
        .text();
    let start = html.find("name=\"base\" value=\"").expect("a base") + 19;
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn authors_see_and_edit_only_their_own_and_co_authored_drafts() {
    let app = TestApp::new().await;
    let (_, ada) = member(&app, "ada@example.org", "艾达", Role::Author, 1).await;
    let (_, bo) = member(&app, "bo@example.org", "薄波", Role::Author, 2).await;
    let (_, eve) = member(&app, "eve@example.org", "易文", Role::Editor, 3).await;

    // The blank form credits the author; saving makes a draft.
    let blank = get_as(&app, &ada, "/admin/articles/new").await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(blank.text().contains("value=\"艾达\""), "{}", blank.text());
    let id = create(
        &app,
        &ada,
        &[
            ("title", "艾达的草稿"),
            ("lang", "zh"),
            ("channel_id", "1"),
            ("author_name", "艾达"),
            ("body", "<p>正文</p>"),
        ],
    )
    .await;
    // Drafts are not public.
    let head = app.store.article(id).await.expect("article");
    assert_eq!(head.summary.title, "艾达的草稿");
    assert_eq!(
        app.get(&format!("/news/{id}-article.html")).await.status,
        StatusCode::NOT_FOUND
    );

    // Another author: not in the list, 403 on every page of it.
    assert!(
        !get_as(&app, &bo, "/admin/articles")
            .await
            .text()
            .contains("艾达的草稿")
    );
    for path in ["", "/revisions", "/preview"] {
        let reply = get_as(&app, &bo, &format!("/admin/articles/{id}{path}")).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    let base = base_of(&app, &ada, id).await;
    let refused = post_as(
        &app,
        &bo,
        &format!("/admin/articles/{id}"),
        &[
            ("base", &base),
            ("title", "抢改"),
            ("lang", "zh"),
            ("channel_id", "1"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    for path in ["/preview-links", "/restore"] {
        let reply = post_as(
            &app,
            &bo,
            &format!("/admin/articles/{id}{path}"),
            &[("revision", &base)],
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }

    // An editor sees and edits anyone's draft.
    assert!(
        get_as(&app, &eve, "/admin/articles")
            .await
            .text()
            .contains("艾达的草稿")
    );
    assert_eq!(
        get_as(&app, &eve, &format!("/admin/articles/{id}"))
            .await
            .status,
        StatusCode::OK
    );

    // Ada adds Bo as a co-author (by name): now Bo may edit it too.
    let saved = post_as(
        &app,
        &ada,
        &format!("/admin/articles/{id}"),
        &[
            ("base", &base),
            ("title", "艾达和薄波的稿件"),
            ("lang", "zh"),
            ("channel_id", "1"),
            ("author_name", "艾达"),
            ("author_name", "薄波"),
            ("author_affiliation", ""),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let list = get_as(&app, &bo, "/admin/articles").await.text();
    assert!(list.contains("艾达和薄波的稿件"), "{list}");
    assert_eq!(
        get_as(&app, &bo, &format!("/admin/articles/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    let article = app.store.article(id).await.expect("article");
    let authors: Vec<&str> = article
        .credits
        .authors
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(authors, ["艾达", "薄波"]);

    // A cross-site post, or one without the token, changes nothing.
    let cookie = format!("gz_staff={ada}");
    for headers in [
        vec![
            FORM,
            ("origin", "https://evil.example"),
            ("cookie", &cookie),
        ],
        vec![FORM, ORIGIN, ("cookie", &cookie)],
    ] {
        let reply = app
            .request(
                Method::POST,
                "/admin/articles",
                &headers,
                b"title=x&lang=zh&channel_id=1".to_vec(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn a_save_on_an_old_revision_is_a_conflict_that_loses_nothing() {
    let app = TestApp::new().await;
    let (_, ada) = member(&app, "ada@example.org", "艾达", Role::Author, 1).await;
    let (_, eve) = member(&app, "eve@example.org", "易文", Role::Editor, 2).await;
    let id = create(
        &app,
        &ada,
        &[("title", "原标题"), ("lang", "zh"), ("channel_id", "1")],
    )
    .await;
    let base = base_of(&app, &ada, id).await;
    let first = post_as(
        &app,
        &eve,
        &format!("/admin/articles/{id}"),
        &[
            ("base", &base),
            ("title", "编辑改的标题"),
            ("lang", "zh"),
            ("channel_id", "1"),
        ],
    )
    .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    // Ada still has the form made from the first revision.
    let second = post_as(
        &app,
        &ada,
        &format!("/admin/articles/{id}"),
        &[
            ("base", &base),
            ("title", "作者改的标题"),
            ("lang", "zh"),
            ("channel_id", "1"),
        ],
    )
    .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    let page = second.text();
    assert!(page.contains("<del>编辑</del>"), "their words: {page}");
    assert!(page.contains("<ins>作者</ins>"), "our words: {page}");
    assert!(
        page.contains("value=\"作者改的标题\""),
        "ours stays in the form"
    );
    let newest = base_of(&app, &eve, id).await;
    assert!(
        page.contains(&format!("name=\"base\" value=\"{newest}\"")),
        "saving again builds on theirs"
    );
    let revisions = app.store.revisions(id).await.expect("revisions");
    assert_eq!(revisions.len(), 2, "the losing save stored nothing");
    assert_eq!(
        app.store.article(id).await.expect("row").summary.title,
        "编辑改的标题"
    );
    // Saving again, knowingly, on top of theirs.
    let again = post_as(
        &app,
        &ada,
        &format!("/admin/articles/{id}"),
        &[
            ("base", &newest),
            ("title", "作者改的标题"),
            ("lang", "zh"),
            ("channel_id", "1"),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    // An autosave that lost the race says so in JSON.
    let token = secrets::form_token(&ada);
    let cookie = format!("gz_staff={ada}");
    let body =
        format!("form_token={token}&base={newest}&kind=autosave&title=x&lang=zh&channel_id=1");
    let reply = app
        .request(
            Method::POST,
            &format!("/admin/articles/{id}"),
            &[
                FORM,
                ORIGIN,
                ("cookie", &cookie),
                ("accept", "application/json"),
            ],
            body.into_bytes(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.text().contains("\"conflict\":true"));
}

#[tokio::test]
async fn revisions_compare_readably_and_an_old_one_comes_back_as_the_newest() {
    let app = TestApp::new().await;
    let (_, ada) = member(&app, "ada@example.org", "艾达", Role::Author, 1).await;
    let id = create(
        &app,
        &ada,
        &[
            ("title", "Summit opens in Wuzhen"),
            ("lang", "en"),
            ("channel_id", "1"),
            ("body", "<p>The summit opened today.</p>"),
        ],
    )
    .await;
    let first = base_of(&app, &ada, id).await;
    post_as(
        &app,
        &ada,
        &format!("/admin/articles/{id}"),
        &[
            ("base", &first),
            ("title", "Summit opens in Wuzhen"),
            ("lang", "en"),
            ("channel_id", "1"),
            ("body", "<p>The summit closed today.</p>"),
        ],
    )
    .await;
    let second = base_of(&app, &ada, id).await;
    let page = get_as(
        &app,
        &ada,
        &format!("/admin/articles/{id}/compare?from={first}&to={second}"),
    )
    .await
    .text();
    assert!(
        page.contains("<del>opened</del><ins>closed</ins>"),
        "word level for English: {page}"
    );
    let listed = get_as(&app, &ada, &format!("/admin/articles/{id}/revisions"))
        .await
        .text();
    assert!(listed.contains("value=\"restore\"") || listed.contains("/restore"));
    let restored = post_as(
        &app,
        &ada,
        &format!("/admin/articles/{id}/restore"),
        &[("revision", &first), ("base", &second)],
    )
    .await;
    assert_eq!(
        restored.status,
        StatusCode::SEE_OTHER,
        "{}",
        restored.text()
    );
    let revisions = app.store.revisions(id).await.expect("revisions");
    assert_eq!(revisions.len(), 3, "restoring adds, never rewrites");
    assert_eq!(
        app.store.article(id).await.expect("row").body,
        "<p>The summit opened today.</p>"
    );
    // A revision of another article is not this one's.
    let other = create(
        &app,
        &ada,
        &[("title", "Other"), ("lang", "en"), ("channel_id", "1")],
    )
    .await;
    let reply = get_as(
        &app,
        &ada,
        &format!("/admin/articles/{other}/compare?from={first}&to={second}"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn preview_links_use_the_base_url_and_stop_when_revoked_or_expired() {
    let app = TestApp::new().await;
    let (_, ada) = member(&app, "ada@example.org", "艾达", Role::Author, 1).await;
    let id = create(
        &app,
        &ada,
        &[
            ("title", "尚未发布的稿件"),
            ("lang", "zh"),
            ("channel_id", "1"),
            ("body", "<p>预览中的正文。</p>"),
        ],
    )
    .await;
    let token = secrets::form_token(&ada);
    let cookie = format!("gz_staff={ada}");
    // The Host header says another site: the link is still the configured one's.
    let made = app
        .request(
            Method::POST,
            &format!("/admin/articles/{id}/preview-links"),
            &[FORM, ORIGIN, ("cookie", &cookie), ("host", "evil.example")],
            format!("form_token={token}").into_bytes(),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text());
    let html = made.text().replace("&#x2f;", "/");
    let start = html
        .find(&format!("{BASE}/preview/"))
        .unwrap_or_else(|| panic!("the link: {html}"))
        + BASE.len();
    let path = html[start..].split('"').next().expect("path").to_owned();
    let secret = path.trim_start_matches("/preview/").to_owned();

    let shown = app.get(&path).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.text().contains("预览中的正文。"));
    assert_eq!(shown.header("referrer-policy"), "no-referrer");
    assert_eq!(shown.header("cache-control"), "private, no-store");
    assert!(shown.header("x-robots-tag").contains("noindex"));
    // Previews are never in the page cache, and the draft stays unpublished.
    assert_eq!(
        app.get(&format!("/news/{id}-article.html")).await.status,
        StatusCode::NOT_FOUND
    );

    // Expired: a week and a day later.
    let later = Newsroom::new(
        app.store.clone(),
        Clock::Fixed(app.engine().now() + 8 * 86_400),
        BASE,
        std::sync::Arc::new(gazette_engine::search::SiteSearch::new(None)),
    );
    assert!(
        later
            .preview_by_link(&secret)
            .await
            .expect("lookup")
            .is_none()
    );

    let revoked = post_as(
        &app,
        &ada,
        &format!("/admin/articles/{id}/preview-links/revoke"),
        &[],
    )
    .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let gone = app.get(&path).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.header("cache-control"), "private, no-store");
    for junk in [
        "/preview/abc",
        "/preview/%00",
        &format!("/preview/{}", "f".repeat(64)),
    ] {
        assert_eq!(app.get(junk).await.status, StatusCode::NOT_FOUND, "{junk}");
    }
}

#[tokio::test]
async fn a_long_chinese_article_saves_and_only_a_members_large_form_is_read() {
    let app = TestApp::new().await;
    let (_, ada) = member(&app, "ada@example.org", "艾达", Role::Author, 1).await;
    // 200,000 Chinese characters: 600 KB of text, 1.8 MB as a form sends
    // it, past the 1 MiB other forms may weigh.
    let long = "新闻".repeat(100_000);
    let body = format!("<p>{long}</p>");
    let fields = |body: &str| {
        vec![
            ("title", "长文"),
            ("lang", "zh"),
            ("channel_id", "1"),
            ("body", body),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect::<Vec<_>>()
    };
    fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
        fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }
    let store = app.store.clone();
    let stored_body = |id| {
        let store = store.clone();
        async move { store.article(id).await.expect("row").body }
    };
    let id = create(&app, &ada, &pairs(&fields(&body))).await;
    assert!(stored_body(id).await.contains(&long));
    let base = base_of(&app, &ada, id).await;
    let mut again = fields(&format!("<p>{long}</p><p>再加一段。</p>"));
    again.push(("base".into(), base));
    let saved = post_as(&app, &ada, &format!("/admin/articles/{id}"), &pairs(&again)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    assert!(stored_body(id).await.contains("再加一段"));

    // Past the body's own limit: the form again, saying so, the text kept.
    let too_long = format!("<p>{}</p>", "新闻".repeat(200_000));
    let refused = post_as(&app, &ada, "/admin/articles", &pairs(&fields(&too_long))).await;
    let page = refused.text();
    assert!(
        page.contains("正文太长了"),
        "{}",
        &page[..page.len().min(2_000)]
    );
    assert!(
        page.contains(&"新闻".repeat(1_000)),
        "the text stays in the form"
    );

    // Past the article form's own limit (4 MiB), sent without a length:
    // a member's post is read, and refused with 413; a stranger's is
    // answered with the way to sign in, never read (reading it would
    // have ended in 413 too).
    let huge = vec![b'a'; 5 << 20];
    let cookie = format!("gz_staff={ada}");
    let reply = app
        .request(
            Method::POST,
            "/admin/articles",
            &[FORM, ORIGIN, ("cookie", &cookie)],
            huge.clone(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    let stranger = app
        .request(Method::POST, "/admin/articles", &[FORM, ORIGIN], huge)
        .await;
    assert_eq!(stranger.status, StatusCode::SEE_OTHER);
    assert!(stranger.header("location").starts_with("/admin/login"));
}

#[tokio::test]
async fn what_a_hostile_author_writes_is_neutralised_in_every_output() {
    let app = TestApp::new().await;
    let (_, ada) = member(&app, "ada@example.org", "艾达", Role::Author, 1).await;
    let (_, eve) = member(&app, "eve@example.org", "易文", Role::Editor, 2).await;
    let script = "</script><script>alert(1)</script>";
    let body = "<p>ok</p><script>alert(2)</script><img src=x onerror=alert(3)>\
        <a href=\"javascript:alert(4)\">j</a><a href=\"data:text/html,x\">d</a>\
        <iframe srcdoc=\"<script>alert(5)</script>\"></iframe><svg onload=alert(6)></svg>\
        <p style=\"background:url(javascript:alert(7))\">s</p><img src=\"https://tracker.example/p.gif\">";
    let id = create(
        &app,
        &ada,
        &[
            ("title", &format!("标题{script}")),
            ("subtitle", "<img src=x onerror=alert(8)>"),
            ("summary", script),
            ("lang", "zh"),
            ("channel_id", "1"),
            ("body", body),
            ("author_name", "<svg onload=alert(9)>"),
            ("cover_media_id", "1"),
            ("cover_alt", "<img src=x onerror=alert(10)>"),
            ("cover_caption", script),
        ],
    )
    .await;
    let stored = app.store.article(id).await.expect("row");
    for bad in [
        "<script",
        "onerror",
        "javascript:",
        "data:",
        "srcdoc",
        "<svg",
        "style=",
        "tracker",
    ] {
        assert!(
            !stored.body.contains(bad),
            "stored body keeps {bad}: {}",
            stored.body
        );
    }
    let first = base_of(&app, &ada, id).await;
    post_as(
        &app,
        &ada,
        &format!("/admin/articles/{id}"),
        &[
            ("base", &first),
            ("title", &format!("新标题{script}")),
            ("lang", "zh"),
            ("channel_id", "1"),
            ("body", body),
        ],
    )
    .await;
    let second = base_of(&app, &ada, id).await;
    let pages = [
        format!("/admin/articles/{id}"),
        "/admin/articles".to_owned(),
        format!("/admin/articles/{id}/revisions"),
        format!("/admin/articles/{id}/compare?from={first}&to={second}"),
        format!("/admin/articles/{id}/preview"),
        "/admin/audit".to_owned(),
    ];
    let (_, admin) = member(&app, "root@example.org", "管理员", Role::Admin, 3).await;
    for path in &pages {
        let who = if path == "/admin/audit" { &admin } else { &eve };
        let reply = get_as(&app, who, path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        let html = reply.text();
        for bad in [
            "<script>alert",
            "<img src=x onerror",
            "<svg onload",
            "href=\"javascript:",
            "<iframe",
            "tracker.example",
        ] {
            assert!(!html.contains(bad), "{path} shows {bad}");
        }
    }
}

#[tokio::test]
async fn proofreading_shows_slips_and_the_term_list_which_only_editors_change() {
    let app = TestApp::new().await;
    let (_, ada) = member(&app, "ada@example.org", "艾达", Role::Author, 1).await;
    let (_, eve) = member(&app, "eve@example.org", "易文", Role::Editor, 2).await;
    let (_, root) = member(&app, "root@example.org", "管理员", Role::Admin, 3).await;

    // Authors read the list but do not change it.
    assert_eq!(
        get_as(&app, &ada, "/admin/terms").await.status,
        StatusCode::OK
    );
    let refused = post_as(
        &app,
        &ada,
        "/admin/terms",
        &[("term", "首次"), ("kind", "check"), ("note", "x")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let hostile = "<script>alert(1)</script>";
    for (term, kind, note) in [
        ("有史以来", "avoid", "避免绝对化表述"),
        (hostile, "check", hostile),
    ] {
        let added = post_as(
            &app,
            &eve,
            "/admin/terms",
            &[("term", term), ("kind", kind), ("note", note)],
        )
        .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
    }
    let twice = post_as(
        &app,
        &eve,
        "/admin/terms",
        &[("term", "有史以来"), ("kind", "avoid"), ("note", "")],
    )
    .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    let list = get_as(&app, &ada, "/admin/terms").await.text();
    assert!(
        list.contains("有史以来") && !list.contains(hostile),
        "{list}"
    );

    let id = create(
        &app,
        &ada,
        &[
            ("title", "夜市,今年第一次冬天开张"),
            ("lang", "zh"),
            ("channel_id", "1"),
            (
                "body",
                "<p>这是有史以来的的第一次。他说：“冬天也要开。</p><p><script>alert(1)</script></p>",
            ),
        ],
    )
    .await;
    let page = get_as(&app, &ada, &format!("/admin/articles/{id}"))
        .await
        .text();
    assert!(page.contains("校对提示"), "{page}");
    assert!(page.contains("应为“，”"), "half-width comma: {page}");
    assert!(page.contains("“的的”可能多打了一遍"), "repeated: {page}");
    assert!(page.contains("没有配对的"), "unpaired quote: {page}");
    assert!(
        page.contains("避免使用“有史以来”：避免绝对化表述"),
        "term: {page}"
    );
    assert!(!page.contains(hostile), "escaped");
    // Removing a term is for editors too, and it is in the audit log.
    let terms = app.store.style_terms().await.expect("terms");
    let term = terms.iter().find(|t| t.term == "有史以来").expect("term");
    let path = format!("/admin/terms/{}/delete", term.id);
    assert_eq!(
        post_as(&app, &ada, &path, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_as(&app, &eve, &path, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let audit = get_as(&app, &root, "/admin/audit").await.text();
    assert!(
        audit.contains("term_added") && audit.contains("term_removed"),
        "{audit}"
    );
}
