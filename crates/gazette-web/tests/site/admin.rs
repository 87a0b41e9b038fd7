//! The back office through the real router: sign-in, sessions, links,
//! roles, and what a stranger, a hostile page or a script would try.

use crate::support::*;
use axum::http::{Method, StatusCode};
use gazette_core::{Clock, Lang, Role};
use gazette_engine::staff::{Actor, NewStaff, PasswordCost, Staff, StaffConfig, permissions};
use gazette_store::accounts::SessionRecord;
use gazette_store::review::LevelRule;

pub(crate) const PASSWORD: &str = "correct horse battery";
pub(crate) const ORIGIN: (&str, &str) = ("origin", BASE);
const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

pub(crate) async fn add(app: &TestApp, email: &str, role: Role) -> i64 {
    let (account, _) = app
        .engine()
        .staff()
        .add_account(
            &Actor::COMMAND_LINE,
            NewStaff {
                email,
                name_zh: "测试",
                name_en: Some("Test"),
                role,
                lang: Lang::Zh,
                password: Some(PASSWORD),
            },
        )
        .await
        .expect("account");
    account.id
}

/// Signs in through the form; the session cookie's value.
pub(crate) async fn sign_in(app: &TestApp, email: &str) -> String {
    let reply = post(
        app,
        "/admin/login",
        &format!("email={email}&password=correct+horse+battery"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    cookie_value(&reply).expect("a session cookie")
}

fn cookie_value(reply: &Reply) -> Option<String> {
    let cookie = reply.header("set-cookie");
    cookie
        .strip_prefix("gz_staff=")
        .and_then(|rest| rest.split(';').next())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

async fn post(app: &TestApp, path: &str, form: &str, headers: &[(&str, &str)]) -> Reply {
    let mut all = vec![FORM];
    all.extend_from_slice(headers);
    app.request(Method::POST, path, &all, form.as_bytes().to_vec())
        .await
}

pub(crate) async fn get_as(app: &TestApp, cookie: &str, path: &str) -> Reply {
    app.get_with(path, &[("cookie", &format!("gz_staff={cookie}"))])
        .await
}

/// The form token on a page the session can see.
pub(crate) async fn form_token(app: &TestApp, cookie: &str) -> String {
    let html = get_as(app, cookie, "/admin/account").await.text();
    let start = html
        .find("name=\"form_token\" value=\"")
        .expect("a form token")
        + 25;
    html[start..start + 32].to_owned()
}

pub(crate) async fn post_as(
    app: &TestApp,
    cookie: &str,
    path: &str,
    form: &str,
    headers: &[(&str, &str)],
) -> Reply {
    let cookie = format!("gz_staff={cookie}");
    let mut all = vec![("cookie", cookie.as_str())];
    all.extend_from_slice(headers);
    post(app, path, form, &all).await
}

#[tokio::test]
async fn staff_sign_in_with_a_fresh_session_and_pages_that_are_never_cached() {
    let app = TestApp::new().await;
    add(&app, "chief@example.org", Role::Admin).await;
    let reply = app.get("/admin/").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/admin/login?next=/admin/");
    // A session id planted before sign-in (fixation) is not the one after.
    let planted = "a".repeat(64);
    let reply = post(
        &app,
        "/admin/login",
        "email=Chief%40Example.org&password=correct+horse+battery&next=/admin/people",
        &[ORIGIN, ("cookie", &format!("gz_staff={planted}"))],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/admin/people");
    let cookie = cookie_value(&reply).expect("cookie");
    assert_ne!(cookie, planted);
    let set = reply.header("set-cookie");
    for attribute in ["Path=/admin", "HttpOnly", "SameSite=Lax"] {
        assert!(set.contains(attribute), "{set}");
    }
    assert_eq!(
        get_as(&app, &planted, "/admin/").await.status,
        StatusCode::SEE_OTHER
    );
    let second = sign_in(&app, "chief@example.org").await;
    assert_ne!(second, cookie, "every sign-in makes a new session");
    for path in [
        "/admin/",
        "/admin/account",
        "/admin/people",
        "/admin/audit",
        "/admin/login",
    ] {
        let page = get_as(&app, &cookie, path).await;
        assert!(
            page.status.is_success() || page.status == StatusCode::SEE_OTHER,
            "{path}"
        );
        assert_eq!(page.header("cache-control"), "private, no-store", "{path}");
        if page.status == StatusCode::OK {
            assert!(
                page.header("content-security-policy")
                    .contains("frame-ancestors 'none'")
            );
        }
    }
    // Only a hash of the session id is in the store.
    let sessions = app.store.sessions_of(1, i64::MAX / 2 - 1).await;
    assert!(sessions.is_ok());
    let html = get_as(&app, &cookie, "/admin/account").await.text();
    assert!(
        !html.contains(&cookie),
        "the page never shows the session id"
    );
    // Public pages never see the staff cookie's path, and are the same bytes with it.
    let plain = app.get("/").await;
    let with = app
        .get_with("/", &[("cookie", &format!("gz_staff={cookie}"))])
        .await;
    assert_eq!(plain.body, with.body);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_address_get_the_same_answer() {
    let app = TestApp::new().await;
    add(&app, "known@example.org", Role::Author).await;
    let known = post(
        &app,
        "/admin/login",
        "email=known%40example.org&password=wrong+password",
        &[ORIGIN],
    )
    .await;
    let unknown = post(
        &app,
        "/admin/login",
        "email=nobody%40example.org&password=wrong+password",
        &[ORIGIN],
    )
    .await;
    assert_eq!(known.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, known.status);
    let problem = |r: &Reply| one(&r.html(), ".problem");
    assert_eq!(problem(&known), problem(&unknown));
    assert_eq!(problem(&known), "邮箱或密码不正确。");
    assert!(cookie_value(&known).is_none() && cookie_value(&unknown).is_none());
}

#[tokio::test]
async fn an_unknown_address_costs_the_same_hashing_as_a_known_one() {
    // The real cost (OWASP parameters): the decoy hash takes as long.
    let app = TestApp::new().await;
    let staff = Staff::new(
        app.store.clone(),
        StaffConfig {
            password_cost: PasswordCost::Owasp,
        },
        Clock::System,
        BASE,
    );
    staff
        .add_account(
            &Actor::COMMAND_LINE,
            NewStaff {
                email: "timed@example.org",
                name_zh: "计时",
                name_en: None,
                role: Role::Author,
                lang: Lang::Zh,
                password: Some(PASSWORD),
            },
        )
        .await
        .expect("account");
    // The decoy is made on first use: do that before timing.
    staff
        .sign_in("warm@example.org", "x", "10.9.9.9", "t")
        .await
        .expect("sign in");
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..4 {
        let prefix = format!("10.0.0.{i}");
        let started = std::time::Instant::now();
        staff
            .sign_in("timed@example.org", "wrong password", &prefix, "t")
            .await
            .expect("sign in");
        known.push(started.elapsed().as_secs_f64());
        let started = std::time::Instant::now();
        staff
            .sign_in("untimed@example.org", "wrong password", &prefix, "t")
            .await
            .expect("sign in");
        unknown.push(started.elapsed().as_secs_f64());
    }
    known.sort_by(f64::total_cmp);
    unknown.sort_by(f64::total_cmp);
    let ratio = unknown[2] / known[2];
    assert!(
        (0.5..2.0).contains(&ratio),
        "known {known:?}, unknown {unknown:?}"
    );
}

#[tokio::test]
async fn the_login_throttle_holds_per_account_and_per_network() {
    let app = TestApp::new().await;
    add(&app, "target@example.org", Role::Editor).await;
    async fn attempt(app: &TestApp, email: &str, password: &str, peer: &str) -> StatusCode {
        let form = format!("email={email}&password={password}");
        app.post_from(peer, "/admin/login", &form, &[ORIGIN])
            .await
            .status
    }
    for i in 0..10 {
        // From different networks: only the account's count grows.
        let peer = format!("10.1.{i}.1:5000");
        assert_eq!(
            attempt(&app, "target@example.org", "wrong", &peer).await,
            StatusCode::UNAUTHORIZED
        );
        let peer = format!("10.2.{i}.1:5000");
        assert_eq!(
            attempt(&app, "ghost@example.org", "wrong", &peer).await,
            StatusCode::UNAUTHORIZED
        );
    }
    // The eleventh: refused without looking at the password, known or not.
    assert_eq!(
        attempt(
            &app,
            "target@example.org",
            "correct+horse+battery",
            "10.3.0.1:5000"
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        attempt(&app, "ghost@example.org", "wrong", "10.3.0.2:5000").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Per network: 20 failures from one address, whatever the accounts.
    for i in 0..20 {
        let email = format!("spray{i}@example.org");
        assert_eq!(
            attempt(&app, &email, "wrong", "10.4.0.1:5000").await,
            StatusCode::UNAUTHORIZED,
            "attempt {i}"
        );
    }
    assert_eq!(
        attempt(&app, "fresh@example.org", "wrong", "10.4.0.1:5000").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        attempt(&app, "fresh@example.org", "wrong", "10.5.0.1:5000").await,
        StatusCode::UNAUTHORIZED,
        "other networks are not held back"
    );
    // Nothing typed in the password field is kept, in the audit log or anywhere it shows.
    let audit = app
        .engine()
        .staff()
        .audit_entries(&Actor::COMMAND_LINE, &Default::default(), 500)
        .await
        .expect("audit");
    assert!(audit.iter().any(|e| e.action == "login_failed"));
    assert!(
        audit
            .iter()
            .all(|e| !format!("{e:?}").contains("correct horse") && !e.detail.contains("wrong"))
    );
}

#[tokio::test]
async fn forms_need_their_token_and_the_site_as_origin() {
    let app = TestApp::new().await;
    add(&app, "admin@example.org", Role::Admin).await;
    let cookie = sign_in(&app, "admin@example.org").await;
    let token = form_token(&app, &cookie).await;
    let invite =
        |t: &str| format!("form_token={t}&email=new%40example.org&name_zh=%E6%96%B0&role=author");
    for (form, headers, why) in [
        (invite(""), vec![ORIGIN], "no token"),
        (invite(&"0".repeat(32)), vec![ORIGIN], "a made-up token"),
        (
            invite(&token),
            vec![("origin", "https://evil.example")],
            "another site's page",
        ),
        (invite(&token), vec![("origin", "null")], "an opaque origin"),
        (
            invite(&token),
            vec![("sec-fetch-site", "cross-site")],
            "cross-site without Origin",
        ),
    ] {
        let reply = post_as(&app, &cookie, "/admin/people", &form, &headers).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{why}");
    }
    let other = sign_in(&app, "admin@example.org").await;
    let reply = post_as(&app, &other, "/admin/people", &invite(&token), &[ORIGIN]).await;
    assert_eq!(
        reply.status,
        StatusCode::FORBIDDEN,
        "another session's token"
    );
    let reply = post_as(&app, &cookie, "/admin/people", &invite(&token), &[ORIGIN]).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    // Signing in from another site's page (login CSRF) is refused too.
    let reply = post(
        &app,
        "/admin/login",
        "email=admin%40example.org&password=correct+horse+battery",
        &[("origin", "https://evil.example")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(cookie_value(&reply).is_none());
}

#[tokio::test]
async fn after_sign_in_next_stays_on_the_site() {
    let app = TestApp::new().await;
    add(&app, "nav@example.org", Role::Author).await;
    for next in [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "%2F%2Fevil.example",
        "/admin//evil.example",
    ] {
        let form = format!("email=nav%40example.org&password=correct+horse+battery&next={next}");
        let reply = post(&app, "/admin/login", &form, &[ORIGIN]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(reply.header("location"), "/admin/", "{next}");
    }
    let page = app.get("/admin/login?next=//evil.example").await.text();
    assert!(!page.contains("evil.example"));
}

#[tokio::test]
async fn links_work_once_expire_give_way_to_newer_ones_and_use_the_base_url() {
    let app = TestApp::new().await;
    let admin = add(&app, "boss@example.org", Role::Admin).await;
    let cookie = sign_in(&app, "boss@example.org").await;
    let token = form_token(&app, &cookie).await;
    // The invitation link comes from the configured base URL, whatever Host says.
    let form = format!(
        "form_token={token}&email=newbie%40example.org&name_zh=%E6%96%B0%E4%BA%BA&role=editor"
    );
    let reply = post_as(
        &app,
        &cookie,
        "/admin/people",
        &form,
        &[ORIGIN, ("host", "evil.example")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let html = reply.html();
    let link = select(&html, "input.link")
        .first()
        .and_then(|e| e.value().attr("value"))
        .expect("a link")
        .to_owned();
    assert!(
        link.starts_with(&format!("{BASE}/admin/password/")),
        "{link}"
    );
    let path = link.trim_start_matches(BASE).to_owned();
    assert_eq!(app.get(&path).await.status, StatusCode::OK);
    let set = post(&app, &path, "password=a+brand+new+password", &[ORIGIN]).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    assert_eq!(set.header("location"), "/admin/login?done=password_set");
    // Used: it works once.
    assert_eq!(app.get(&path).await.status, StatusCode::GONE);
    assert_eq!(
        post(&app, &path, "password=another+new+password", &[ORIGIN])
            .await
            .status,
        StatusCode::GONE
    );
    let welcome = post(
        &app,
        "/admin/login",
        "email=newbie%40example.org&password=a+brand+new+password",
        &[ORIGIN],
    )
    .await;
    assert_eq!(welcome.status, StatusCode::SEE_OTHER);
    // A newer reset link revokes the older one.
    let staff = app.engine().staff();
    let first = staff
        .reset_link(&Actor::COMMAND_LINE, "newbie@example.org")
        .await
        .expect("link");
    let second = staff
        .reset_link(&Actor::COMMAND_LINE, "newbie@example.org")
        .await
        .expect("link");
    assert_eq!(
        app.get(first.trim_start_matches(BASE)).await.status,
        StatusCode::GONE
    );
    assert_eq!(
        app.get(second.trim_start_matches(BASE)).await.status,
        StatusCode::OK
    );
    // Expiry: 72 hours on, by a clock that has moved.
    let later = Staff::new(
        app.store.clone(),
        StaffConfig::default(),
        Clock::Fixed(staff.now() + 73 * 3600),
        BASE,
    );
    let secret = second.rsplit('/').next().expect("secret");
    assert!(later.open_link(secret).await.expect("store").is_none());
    assert!(staff.open_link(secret).await.expect("store").is_some());
    // Made-up and malformed links.
    for bad in [
        "0000",
        "../../etc/passwd",
        &"f".repeat(64),
        &"%00".repeat(30),
    ] {
        let status = app.get(&format!("/admin/password/{bad}")).await.status;
        assert!(
            status == StatusCode::GONE || status == StatusCode::NOT_FOUND,
            "{bad}: {status}"
        );
    }
    let _ = admin;
}

#[tokio::test]
async fn ended_sessions_and_sessions_from_before_a_password_change_are_refused_on_every_node() {
    let app = TestApp::new().await;
    add(&app, "editor@example.org", Role::Editor).await;
    let laptop = sign_in(&app, "editor@example.org").await;
    let phone = sign_in(&app, "editor@example.org").await;
    // A second node on the same database.
    let theme = gazette_render::Theme::load(None).expect("theme");
    let node_b = gazette_web::app(
        std::sync::Arc::new(gazette_engine::Engine::new(
            app.store.clone(),
            theme,
            site_config(),
        )),
        &web_config(),
    );
    let on_b = |cookie: String| {
        let router = node_b.router.clone();
        async move {
            use tower::ServiceExt;
            let request = axum::http::Request::get("/admin/")
                .header("cookie", format!("gz_staff={cookie}"))
                .body(axum::body::Body::empty())
                .expect("request");
            router.oneshot(request).await.expect("answer").status()
        }
    };
    assert_eq!(on_b(phone.clone()).await, StatusCode::OK);
    // The laptop ends the phone's session.
    let page = get_as(&app, &laptop, "/admin/account").await.html();
    let handles: Vec<String> = select(&page, "input[name=handle]")
        .iter()
        .filter_map(|e| e.value().attr("value").map(str::to_owned))
        .collect();
    assert_eq!(handles.len(), 1, "the other session, not this one");
    let token = form_token(&app, &laptop).await;
    let ended = post_as(
        &app,
        &laptop,
        "/admin/account/sessions/end",
        &format!("form_token={token}&handle={}", handles[0]),
        &[ORIGIN],
    )
    .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    assert_eq!(
        on_b(phone.clone()).await,
        StatusCode::SEE_OTHER,
        "refused at once on the other node"
    );
    assert_eq!(
        get_as(&app, &phone, "/admin/").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(on_b(laptop.clone()).await, StatusCode::OK);
    // A password change ends every session, the one that made it too.
    let tablet = sign_in(&app, "editor@example.org").await;
    let changed = post_as(
        &app,
        &laptop,
        "/admin/account/password",
        &format!(
            "form_token={token}&current=correct+horse+battery&password=an+even+better+password"
        ),
        &[ORIGIN],
    )
    .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.text());
    for cookie in [laptop, tablet] {
        assert_eq!(on_b(cookie.clone()).await, StatusCode::SEE_OTHER);
        assert_eq!(
            get_as(&app, &cookie, "/admin/").await.status,
            StatusCode::SEE_OTHER
        );
    }
    // A wrong current password changes nothing.
    let fresh = post(
        &app,
        "/admin/login",
        "email=editor%40example.org&password=an+even+better+password",
        &[ORIGIN],
    )
    .await;
    let fresh = cookie_value(&fresh).expect("signed in with the new password");
    let token = form_token(&app, &fresh).await;
    let refused = post_as(
        &app,
        &fresh,
        "/admin/account/password",
        &format!("form_token={token}&current=guess+guess+guess&password=whatever+whatever"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(get_as(&app, &fresh, "/admin/").await.status, StatusCode::OK);
}

/// A session made in the store directly (no password hashing), for the
/// permission table's many cases.
async fn session_for(app: &TestApp, account_id: i64, n: usize) -> String {
    let secret = format!("{:064x}", 0xabc000 + n);
    app.store
        .create_session(&SessionRecord {
            id_hash: gazette_engine::staff::secrets::stored_hash(&secret),
            account_id,
            created_at: 0,
            last_seen_at: i64::MAX / 4,
            expires_at: i64::MAX / 2,
            device: "test".into(),
            prefix: "10.0.0.1".into(),
        })
        .await
        .expect("session");
    secret
}

/// A live article of `writer`'s, signed off and published by `signer`,
/// then revised and published again with a correction: its id and the
/// update log entry.
async fn live_article(
    newsroom: &gazette_engine::newsroom::Newsroom,
    writer: &Actor<'_>,
    signer: &Actor<'_>,
    n: usize,
) -> (i64, i64) {
    use gazette_engine::newsroom::{DraftForm, Saved, publishing::PublishOptions};
    let form = |body: &str| DraftForm {
        title: format!("已发布的稿件 {n}"),
        lang: "zh".into(),
        channel_id: "1".into(),
        body: body.into(),
        ..Default::default()
    };
    let Saved::Saved {
        article_id: id,
        revision,
    } = newsroom
        .create(writer, &form("<p>first</p>"))
        .await
        .expect("draft")
    else {
        panic!("not saved")
    };
    let mut base = Some(revision);
    for body in ["<p>first</p>", "<p>second</p>"] {
        if body != "<p>first</p>" {
            let Saved::Saved { revision, .. } = newsroom
                .save(
                    writer,
                    id,
                    base,
                    &form(body),
                    gazette_engine::newsroom::RevisionKind::Save,
                )
                .await
                .expect("saved")
            else {
                panic!("not saved")
            };
            base = Some(revision);
        }
        newsroom.submit(writer, id, base).await.expect("submitted");
        newsroom
            .approve(signer, id, base, None)
            .await
            .expect("signed");
        let options = PublishOptions {
            correction: "corrected".into(),
            ..Default::default()
        };
        newsroom
            .publish(signer, id, base, &options)
            .await
            .expect("published");
    }
    let update = newsroom.updates(signer, id).await.expect("updates")[0].id;
    (id, update)
}

#[tokio::test]
async fn every_role_gets_exactly_what_the_permission_table_gives_it() {
    let app = TestApp::new().await;
    let mut cases = 0;
    let victim = add(&app, "victim@example.org", Role::Author).await;
    let victim_session = session_for(&app, victim, 999).await;
    let victim_handle = gazette_engine::staff::secrets::handle(
        &gazette_engine::staff::secrets::stored_hash(&victim_session),
    );
    // An article the victim (an author) wrote: others' to see only by role.
    let victim_account = app.store.account(victim).await.expect("victim");
    let article = match app
        .engine()
        .newsroom()
        .create(
            &Actor::web(Some(&victim_account), "10.0.0.9"),
            &gazette_engine::newsroom::DraftForm {
                title: "作者的草稿".into(),
                lang: "zh".into(),
                channel_id: "1".into(),
                ..Default::default()
            },
        )
        .await
        .expect("draft")
    {
        gazette_engine::newsroom::Saved::Saved { article_id, .. } => article_id,
        other => panic!("{other:?}"),
    };
    // Channel 2 has two review levels (editors, then responsible
    // editors); channel 1 the default (one sign-off).
    app.store
        .set_review_levels(
            2,
            &[
                LevelRule {
                    level: 1,
                    role: Role::Editor,
                    members: vec![],
                },
                LevelRule {
                    level: 2,
                    role: Role::ResponsibleEditor,
                    members: vec![],
                },
            ],
        )
        .await
        .expect("levels");
    let signer = add(&app, "signer@example.org", Role::ResponsibleEditor).await;
    let signer = app.store.account(signer).await.expect("signer");
    let victim_actor = Actor::web(Some(&victim_account), "10.0.0.9");
    let signer_actor = Actor::web(Some(&signer), "10.0.0.9");
    let newsroom = app.engine().newsroom();
    for (n, role) in Role::ALL.into_iter().enumerate() {
        let id = add(&app, &format!("{}@example.org", role.as_str()), role).await;
        let cookie = session_for(&app, id, n).await;
        let token = gazette_engine::staff::secrets::form_token(&cookie);
        // The victim's submitted articles: one waiting for level one of
        // two, one for its sign-off, one signed off and waiting to go live.
        let mut waiting = Vec::new();
        for (channel, signed) in [("2", false), ("1", false), ("1", true)] {
            let article = match newsroom
                .create(
                    &victim_actor,
                    &gazette_engine::newsroom::DraftForm {
                        title: format!("待审稿件 {n}"),
                        lang: "zh".into(),
                        channel_id: channel.into(),
                        ..Default::default()
                    },
                )
                .await
                .expect("draft")
            {
                gazette_engine::newsroom::Saved::Saved {
                    article_id,
                    revision,
                } => {
                    newsroom
                        .submit(&victim_actor, article_id, Some(revision))
                        .await
                        .expect("submitted");
                    if signed {
                        newsroom
                            .approve(&signer_actor, article_id, Some(revision), None)
                            .await
                            .expect("signed off");
                    }
                    (article_id, revision)
                }
                other => panic!("{other:?}"),
            };
            waiting.push(article);
        }
        let [(to_review, r1), (to_sign, r2), (to_publish, r3)] = waiting[..] else {
            unreachable!()
        };
        // Two live articles of the victim's: one to retract, one with an
        // entry in its update log to redact.
        let (to_retract, _) = live_article(newsroom, &victim_actor, &signer_actor, n).await;
        // A photo the victim uploaded: others' to change and delete by role.
        let photo = app
            .engine()
            .media_library()
            .upload(
                &victim_actor,
                gazette_engine::media::UploadForm {
                    bytes: include_bytes!("../../../gazette-engine/demo/photos/rocket.jpg")
                        .to_vec(),
                    details: Default::default(),
                },
            )
            .await
            .expect("photo");
        let (to_redact, update) = live_article(newsroom, &victim_actor, &signer_actor, n).await;
        let pages: [(String, Method, String, permissions::Action); 23] = [
            (
                "/admin/people".to_owned(),
                Method::GET,
                String::new(),
                permissions::Action::ManageAccounts,
            ),
            (
                format!("/admin/people/{victim}"),
                Method::GET,
                String::new(),
                permissions::Action::ManageAccounts,
            ),
            (
                "/admin/audit".to_owned(),
                Method::GET,
                String::new(),
                permissions::Action::ReadAudit,
            ),
            (
                "/admin/people".to_owned(),
                Method::POST,
                format!("form_token={token}&email=x{n}%40example.org&name_zh=x&role=admin"),
                permissions::Action::ManageAccounts,
            ),
            (
                format!("/admin/people/{victim}/role"),
                Method::POST,
                format!("form_token={token}&role=admin"),
                permissions::Action::ManageAccounts,
            ),
            (
                format!("/admin/people/{victim}/reset"),
                Method::POST,
                format!("form_token={token}"),
                permissions::Action::ManageAccounts,
            ),
            (
                format!("/admin/people/{victim}/sessions/end"),
                Method::POST,
                format!("form_token={token}&handle={victim_handle}"),
                permissions::Action::EndOthersSessions,
            ),
            (
                format!("/admin/articles/{article}"),
                Method::GET,
                String::new(),
                permissions::Action::EditOthersArticles,
            ),
            (
                format!("/admin/articles/{article}/revisions"),
                Method::GET,
                String::new(),
                permissions::Action::EditOthersArticles,
            ),
            (
                format!("/admin/articles/{article}/preview-links"),
                Method::POST,
                format!("form_token={token}"),
                permissions::Action::EditOthersArticles,
            ),
            (
                "/admin/terms".to_owned(),
                Method::POST,
                format!("form_token={token}&term=term{n}&kind=check&note=n"),
                permissions::Action::ManageTerms,
            ),
            (
                format!("/admin/articles/{to_review}/approve"),
                Method::POST,
                format!("form_token={token}&base={r1}"),
                permissions::Action::Review,
            ),
            (
                format!("/admin/articles/{to_sign}/approve"),
                Method::POST,
                format!("form_token={token}&base={r2}"),
                permissions::Action::SignOff,
            ),
            (
                format!("/admin/articles/{to_publish}/publish"),
                Method::POST,
                format!("form_token={token}&base={r3}"),
                permissions::Action::Publish,
            ),
            (
                format!("/admin/articles/{to_retract}/retract"),
                Method::POST,
                format!("form_token={token}&note=withdrawn"),
                permissions::Action::Withdraw,
            ),
            (
                format!("/admin/articles/{to_redact}/updates/{update}/redact"),
                Method::POST,
                format!("form_token={token}&passage=second"),
                permissions::Action::Redact,
            ),
            (
                format!("/admin/media/{photo}"),
                Method::POST,
                format!("form_token={token}&caption=changed"),
                permissions::Action::ManageMedia,
            ),
            (
                format!("/admin/media/{photo}/delete"),
                Method::POST,
                format!("form_token={token}"),
                permissions::Action::ManageMedia,
            ),
            (
                "/admin/slots/exclusive".to_owned(),
                Method::GET,
                String::new(),
                permissions::Action::Curate,
            ),
            (
                "/admin/slots/exclusive".to_owned(),
                Method::POST,
                format!("form_token={token}&action=save"),
                permissions::Action::Curate,
            ),
            (
                "/admin/channels".to_owned(),
                Method::GET,
                String::new(),
                permissions::Action::ManageChannels,
            ),
            (
                "/admin/review".to_owned(),
                Method::GET,
                String::new(),
                permissions::Action::ManageReview,
            ),
            (
                "/admin/review/1".to_owned(),
                Method::POST,
                format!("form_token={token}&levels=0"),
                permissions::Action::ManageReview,
            ),
        ];
        for (path, method, form, action) in pages {
            let reply = if method == Method::GET {
                get_as(&app, &cookie, &path).await
            } else {
                post_as(&app, &cookie, &path, &form, &[ORIGIN]).await
            };
            let allowed = permissions::allowed(role, action);
            if allowed {
                assert!(
                    reply.status.is_success() || reply.status.is_redirection(),
                    "{role:?} {method} {path}: {}",
                    reply.status
                );
            } else {
                assert_eq!(
                    reply.status,
                    StatusCode::FORBIDDEN,
                    "{role:?} {method} {path}"
                );
            }
            cases += 1;
        }
    }
    assert_eq!(cases, 4 * 23);
    // Every action of the table was tried.
    assert_eq!(permissions::Action::ALL.len(), 14);
    // The victim kept its role and session through every refused attempt but the admin's.
    let victim_now = app.store.account(victim).await.expect("victim");
    assert_eq!(
        victim_now.role,
        Role::Admin,
        "only the admin's change went through"
    );
}

#[tokio::test]
async fn names_and_addresses_are_escaped_wherever_they_show() {
    let app = TestApp::new().await;
    add(&app, "admin@example.org", Role::Admin).await;
    let cookie = sign_in(&app, "admin@example.org").await;
    let token = form_token(&app, &cookie).await;
    let hostile = "%3Cscript%3Ealert(1)%3C%2Fscript%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E";
    let reply = post_as(
        &app,
        &cookie,
        "/admin/people",
        &format!("form_token={token}&email=xss%40example.org&name_zh={hostile}&name_en={hostile}&role=author"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let bad_login = post(
        &app,
        "/admin/login",
        &format!("email={hostile}&password=x"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(bad_login.status, StatusCode::UNAUTHORIZED);
    for page in [
        reply.text(),
        bad_login.text(),
        get_as(&app, &cookie, "/admin/people").await.text(),
    ] {
        assert!(!page.contains("<script>alert"), "escaped");
        assert!(!page.contains("<img src=x"), "escaped");
        assert!(
            page.contains("&lt;script&gt;") || page.contains("&lt;img"),
            "shown as text"
        );
    }
    // The audit log keeps no free text from a failed sign-in at all.
    let audit = get_as(&app, &cookie, "/admin/audit").await.text();
    assert!(!audit.contains("<script>alert") && !audit.contains("&lt;script&gt;"));
    assert!(audit.contains("not an address"));
}

/// Signs in up to the second factor; the pending cookie's value.
async fn sign_in_halfway(app: &TestApp, email: &str) -> String {
    let reply = post(
        app,
        "/admin/login",
        &format!("email={email}&password=correct+horse+battery&next=/admin/account"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.header("location"),
        "/admin/login/code?next=/admin/account"
    );
    assert!(cookie_value(&reply).is_none(), "no session before the code");
    reply
        .header("set-cookie")
        .strip_prefix("gz_staff_pending=")
        .and_then(|rest| rest.split(';').next())
        .expect("pending cookie")
        .to_owned()
}

async fn enter_code(app: &TestApp, pending: &str, code: &str) -> Reply {
    post(
        app,
        "/admin/login/code",
        &format!("code={code}&next=/admin/account"),
        &[ORIGIN, ("cookie", &format!("gz_staff_pending={pending}"))],
    )
    .await
}

#[tokio::test]
async fn a_second_factor_is_asked_after_the_password_and_each_code_works_once() {
    use gazette_engine::staff::second_factor::code_at;
    let app = TestApp::new().await;
    let id = add(&app, "careful@example.org", Role::Editor).await;
    let cookie = sign_in(&app, "careful@example.org").await;
    let token = form_token(&app, &cookie).await;
    let other_session = sign_in(&app, "careful@example.org").await;
    let refused = post_as(
        &app,
        &cookie,
        "/admin/account/second-factor",
        &format!("form_token={token}&password=a+wrong+guess"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "the password first"
    );
    let setup = post_as(
        &app,
        &cookie,
        "/admin/account/second-factor",
        &format!("form_token={token}&password=correct+horse+battery"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(setup.status, StatusCode::OK);
    assert!(
        !select(&setup.html(), ".qr svg").is_empty(),
        "a QR code to scan"
    );
    let secret = app
        .store
        .account(id)
        .await
        .expect("account")
        .totp_pending
        .expect("pending secret");
    assert!(
        app.store
            .account(id)
            .await
            .expect("account")
            .totp_secret
            .is_none(),
        "not on before a code"
    );
    let now = app.engine().now();
    let wrong = post_as(
        &app,
        &cookie,
        "/admin/account/second-factor/confirm",
        &format!("form_token={token}&code=000000"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let confirmed = post_as(
        &app,
        &cookie,
        "/admin/account/second-factor/confirm",
        &format!("form_token={token}&code={}", code_at(&secret, now)),
        &[ORIGIN],
    )
    .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text());
    let recovery: Vec<String> = texts(&confirmed.html(), ".codes code");
    assert_eq!(recovery.len(), 10);
    assert_eq!(
        get_as(&app, &other_session, "/admin/").await.status,
        StatusCode::SEE_OTHER,
        "sessions opened with the password alone end"
    );
    assert_eq!(
        get_as(&app, &cookie, "/admin/").await.status,
        StatusCode::OK,
        "the one that turned it on stays"
    );
    let again = post_as(
        &app,
        &cookie,
        "/admin/account/second-factor",
        &format!("form_token={token}&password=correct+horse+battery"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(
        again.status,
        StatusCode::BAD_REQUEST,
        "no second set-up while it is on"
    );
    // Now the password alone does not sign in.
    let pending = sign_in_halfway(&app, "careful@example.org").await;
    assert_eq!(
        enter_code(&app, &pending, "123456").await.status,
        StatusCode::UNAUTHORIZED
    );
    // The code used to confirm was for this step: it does not work again.
    assert_eq!(
        enter_code(&app, &pending, &code_at(&secret, now))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let next_code = code_at(&secret, now + 30);
    let welcome = enter_code(&app, &pending, &next_code).await;
    assert_eq!(welcome.status, StatusCode::SEE_OTHER, "{}", welcome.text());
    assert_eq!(welcome.header("location"), "/admin/account");
    let session = welcome
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            c.strip_prefix("gz_staff=")
                .and_then(|r| r.split(';').next())
                .map(str::to_owned)
        })
        .expect("a session");
    assert_eq!(
        get_as(&app, &session, "/admin/").await.status,
        StatusCode::OK
    );
    // The half-done sign-in is used up (even a good recovery code gets the
    // start again), and the same code on another is refused.
    let used = enter_code(&app, &pending, &recovery[5]).await;
    assert_eq!(used.status, StatusCode::UNAUTHORIZED);
    assert!(used.text().contains("登录已过期"), "{}", used.text());
    let again = sign_in_halfway(&app, "careful@example.org").await;
    assert_eq!(
        enter_code(&app, &again, &next_code).await.status,
        StatusCode::UNAUTHORIZED,
        "a code works once"
    );
    // A recovery code works once, however it is typed.
    let typed = recovery[0].to_uppercase().replace('-', "+");
    assert_eq!(
        enter_code(&app, &again, &typed).await.status,
        StatusCode::SEE_OTHER
    );
    let third = sign_in_halfway(&app, "careful@example.org").await;
    assert_eq!(
        enter_code(&app, &third, &recovery[0]).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Made-up or missing pending sign-ins go back to the start.
    let made_up = enter_code(&app, &"e".repeat(64), &recovery[1]).await;
    assert_eq!(made_up.status, StatusCode::UNAUTHORIZED);
    assert!(made_up.text().contains("登录已过期"));
    let missing = post(
        &app,
        "/admin/login/code",
        &format!("code={}", recovery[1]),
        &[ORIGIN],
    )
    .await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert!(missing.text().contains("登录已过期"));
    // Turning it off takes the password.
    let token = form_token(&app, &session).await;
    let refused = post_as(
        &app,
        &session,
        "/admin/account/second-factor/off",
        &format!("form_token={token}&password=wrong+guess"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let off = post_as(
        &app,
        &session,
        "/admin/account/second-factor/off",
        &format!("form_token={token}&password=correct+horse+battery"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    sign_in(&app, "careful@example.org").await;
}

#[tokio::test]
async fn wrong_codes_count_against_the_sign_in_throttle() {
    use gazette_engine::staff::second_factor::code_at;
    let app = TestApp::new().await;
    let id = add(&app, "guessed@example.org", Role::Author).await;
    let cookie = sign_in(&app, "guessed@example.org").await;
    let token = form_token(&app, &cookie).await;
    post_as(
        &app,
        &cookie,
        "/admin/account/second-factor",
        &format!("form_token={token}&password=correct+horse+battery"),
        &[ORIGIN],
    )
    .await;
    let secret = app
        .store
        .account(id)
        .await
        .expect("account")
        .totp_pending
        .expect("pending");
    let now = app.engine().now();
    let code = code_at(&secret, now);
    post_as(
        &app,
        &cookie,
        "/admin/account/second-factor/confirm",
        &format!("form_token={token}&code={code}"),
        &[ORIGIN],
    )
    .await;
    let pending = sign_in_halfway(&app, "guessed@example.org").await;
    for _ in 0..10 {
        assert_eq!(
            enter_code(&app, &pending, "999999").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        enter_code(&app, &pending, &code_at(&secret, now + 30))
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS,
        "guessing six digits stops after ten tries"
    );
}

#[tokio::test]
async fn attempts_sent_all_at_once_are_counted_all_the_same() {
    let app = TestApp::new().await;
    add(&app, "rushed@example.org", Role::Author).await;
    let mut attempts = tokio::task::JoinSet::new();
    for i in 0..30 {
        let router = app.router.clone();
        attempts.spawn(async move {
            use tower::ServiceExt;
            let mut request = axum::http::Request::post("/admin/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("origin", BASE)
                .body(axum::body::Body::from(
                    "email=rushed%40example.org&password=wrong+password",
                ))
                .expect("request");
            let peer: std::net::SocketAddr = format!("10.7.{i}.1:4000").parse().expect("peer");
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            router.oneshot(request).await.expect("answer").status()
        });
    }
    let statuses = attempts.join_all().await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let held = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, held), (10, 20), "{statuses:?}");
}

#[tokio::test]
async fn a_stranger_reaching_the_staff_service_is_refused() {
    let app = TestApp::new().await;
    let staff = app.engine().staff();
    let stranger = Actor::web(None, "10.0.0.9");
    assert!(matches!(
        staff.accounts(&stranger).await,
        Err(gazette_engine::EngineError::Forbidden(_))
    ));
    assert!(
        staff
            .reset_link(&stranger, "anyone@example.org")
            .await
            .is_err()
    );
    assert!(
        staff
            .audit_entries(&stranger, &Default::default(), 10)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_disabled_account_is_out_at_once_and_the_last_admin_stays() {
    let app = TestApp::new().await;
    let admin = add(&app, "only-admin@example.org", Role::Admin).await;
    let leaver = add(&app, "leaver@example.org", Role::Editor).await;
    let admin_cookie = sign_in(&app, "only-admin@example.org").await;
    let leaver_cookie = sign_in(&app, "leaver@example.org").await;
    let link = app
        .engine()
        .staff()
        .reset_link(&Actor::COMMAND_LINE, "leaver@example.org")
        .await
        .expect("link");
    let token = form_token(&app, &admin_cookie).await;
    let reply = post_as(
        &app,
        &admin_cookie,
        &format!("/admin/people/{leaver}/disable"),
        &format!("form_token={token}"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get_as(&app, &leaver_cookie, "/admin/").await.status,
        StatusCode::SEE_OTHER,
        "its session ended"
    );
    assert_eq!(
        app.get(link.trim_start_matches(BASE)).await.status,
        StatusCode::GONE,
        "its links too"
    );
    let refused = post(
        &app,
        "/admin/login",
        "email=leaver%40example.org&password=correct+horse+battery",
        &[ORIGIN],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNAUTHORIZED,
        "the same answer as a wrong password"
    );
    let page = get_as(&app, &admin_cookie, &format!("/admin/people/{leaver}"))
        .await
        .text();
    assert!(page.contains("已停用"));
    post_as(
        &app,
        &admin_cookie,
        &format!("/admin/people/{leaver}/enable"),
        &format!("form_token={token}"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(
        get_as(&app, &leaver_cookie, "/admin/").await.status,
        StatusCode::SEE_OTHER,
        "enabled again, its old sessions stay ended"
    );
    sign_in(&app, "leaver@example.org").await;
    // The last admin: not disabled by themselves, not demoted, not disabled by the command line.
    let own = post_as(
        &app,
        &admin_cookie,
        &format!("/admin/people/{admin}/disable"),
        &format!("form_token={token}"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);
    let staff = app.engine().staff();
    assert!(
        staff
            .set_disabled(&Actor::COMMAND_LINE, admin, true)
            .await
            .is_err()
    );
    assert!(
        staff
            .set_role(&Actor::COMMAND_LINE, admin, Role::Editor)
            .await
            .is_err()
    );
    // With a second admin, the first may go.
    staff
        .set_role(&Actor::COMMAND_LINE, leaver, Role::Admin)
        .await
        .expect("second admin");
    staff
        .set_role(&Actor::COMMAND_LINE, admin, Role::Editor)
        .await
        .expect("demoted");
    assert!(
        staff
            .set_role(&Actor::COMMAND_LINE, leaver, Role::Author)
            .await
            .is_err(),
        "now the last one"
    );
}
