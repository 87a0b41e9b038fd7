//! The media library through the real router: uploads as a browser and a
//! hostile script send them, the decode bound, photos on pages with their
//! variants, and deletion reaching every page that showed a photo.

use crate::admin::{ORIGIN, add, form_token, get_as, post_as, sign_in};
use crate::support::*;
use axum::http::{Method, StatusCode};
use gazette_core::{ChannelTree, Permalink, Role};
use gazette_engine::media::{MediaFilter, UploadForm};
use gazette_engine::staff::Actor;

const ROCKET: &[u8] = include_bytes!("../../../gazette-engine/demo/photos/rocket.jpg");
const COFFEE: &[u8] = include_bytes!("../../../gazette-engine/demo/photos/coffee-phone.jpg");
const BOUNDARY: &str = "gazette-test-boundary";

/// A `multipart/form-data` body: the form token first, then the fields,
/// then each file with the name and type the client claims.
fn multipart(token: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut part = |headers: String, content: &[u8]| {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n{headers}\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"form_token\"".into(),
        token.as_bytes(),
    );
    for (name, value) in fields {
        part(
            format!("Content-Disposition: form-data; name=\"{name}\""),
            value.as_bytes(),
        );
    }
    for (file_name, claimed_type, bytes) in files {
        part(
            format!(
                "Content-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: {claimed_type}"
            ),
            bytes,
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, cookie: &str, path: &str, body: Vec<u8>, json: bool) -> Reply {
    let cookie = format!("gz_staff={cookie}");
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let mut headers = vec![
        ("cookie", cookie.as_str()),
        ("content-type", content_type.as_str()),
        ORIGIN,
    ];
    if json {
        headers.push(("accept", "application/json"));
    }
    app.request(Method::POST, path, &headers, body).await
}

async fn library_size(app: &TestApp) -> usize {
    app.store
        .media_library(&MediaFilter {
            limit: 1_000,
            ..Default::default()
        })
        .await
        .expect("library")
        .len()
}

#[tokio::test]
async fn hostile_uploads_are_refused_with_a_reason_and_store_nothing() {
    let app = TestApp::new().await;
    add(&app, "photo@example.org", Role::Author).await;
    let cookie = sign_in(&app, "photo@example.org").await;
    let token = form_token(&app, &cookie).await;
    let before = library_size(&app).await;
    let mut polyglot_avif = vec![0, 0, 0, 0x1c];
    polyglot_avif.extend_from_slice(b"ftypavif\0\0\0\0avifmif1miaf");
    let truncated = &ROCKET[..ROCKET.len() / 3];
    for (name, claimed, bytes, says) in [
        (
            "photo.jpg",
            "image/jpeg",
            &b"<!doctype html><script>alert(document.cookie)</script>"[..],
            "not accepted",
        ),
        (
            "../../../etc/passwd",
            "image/png",
            &b"root:x:0:0"[..],
            "not a JPEG",
        ),
        ("phone.avif", "image/avif", &polyglot_avif[..], "AVIF"),
        ("cut.jpg", "image/jpeg", truncated, "damaged or truncated"),
        (
            "logo.svg",
            "image/svg+xml",
            &b"<svg xmlns='http://www.w3.org/2000/svg'/>"[..],
            "SVG",
        ),
    ] {
        let reply = upload(
            &app,
            &cookie,
            "/admin/media/upload",
            multipart(&token, &[], &[(name, claimed, bytes)]),
            true,
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{name}");
        let answer: serde_json::Value = serde_json::from_slice(&reply.body).expect("JSON");
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.contains(says), "{name}: {error}");
        // The same refusal without the script: the library page says why.
        let reply = upload(
            &app,
            &cookie,
            "/admin/media/upload",
            multipart(&token, &[], &[(name, claimed, bytes)]),
            false,
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{name}");
        assert!(reply.text().contains(says), "{name}");
    }
    // One bad file among good ones: the good ones are taken, the page says
    // which one was not.
    let reply = upload(
        &app,
        &cookie,
        "/admin/media/upload",
        multipart(
            &token,
            &[],
            &[
                ("a.jpg", "image/jpeg", ROCKET),
                ("b.jpg", "image/jpeg", b"GIF89a"),
            ],
        ),
        true,
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("b.jpg"), "{}", reply.text());
    assert_eq!(library_size(&app).await, before + 1, "only the good file");
    // Without the token, or from another site, nothing is read.
    let reply = upload(
        &app,
        &cookie,
        "/admin/media/upload",
        multipart("wrong", &[], &[("a.jpg", "image/jpeg", ROCKET)]),
        true,
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // A stranger is sent to sign in.
    let reply = app
        .request(
            Method::POST,
            "/admin/media/upload",
            &[
                (
                    "content-type",
                    &format!("multipart/form-data; boundary={BOUNDARY}"),
                ),
                ORIGIN,
            ],
            multipart(&token, &[], &[("a.jpg", "image/jpeg", ROCKET)]),
        )
        .await;
    assert_ne!(reply.status, StatusCode::OK);
    assert_eq!(library_size(&app).await, before + 1);
}

#[tokio::test]
async fn an_upload_is_stored_clean_under_a_generated_name_and_past_the_limit_is_413() {
    let app = TestApp::new().await;
    add(&app, "photo@example.org", Role::Author).await;
    let cookie = sign_in(&app, "photo@example.org").await;
    let token = form_token(&app, &cookie).await;
    let reply = upload(
        &app,
        &cookie,
        "/admin/media/upload",
        multipart(
            &token,
            &[
                ("caption", "小店的咖啡"),
                ("alt", "一杯咖啡"),
                ("credit", "摄影：测试"),
                ("licence", "本报所有"),
            ],
            &[("../../evil name.php.jpg", "text/html", COFFEE)],
        ),
        true,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let answer: serde_json::Value = serde_json::from_slice(&reply.body).expect("JSON");
    let photo = &answer["photos"][0];
    let id = photo["id"].as_i64().expect("an id");
    assert_eq!(photo["src"], format!("/media/{id}.jpg"));
    // Stored upright: the phone photo's pixels lay on their side.
    assert_eq!(
        (photo["width"].as_i64(), photo["height"].as_i64()),
        (Some(600), Some(400))
    );
    // Served with the type found in the bytes, and without the EXIF block.
    let file = app.get(&format!("/media/{id}.jpg")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.header("content-type"), "image/jpeg");
    assert!(!file.body.windows(4).any(|w| w == b"Exif"), "no EXIF");
    assert!(
        COFFEE.windows(4).any(|w| w == b"Exif"),
        "the upload had one"
    );
    let library = get_as(&app, &cookie, "/admin/media?q=咖啡").await;
    assert!(library.text().contains("小店的咖啡"));
    // The site's search engine: the credit in traditional characters,
    // every part of the query required, wherever it is.
    let found = |q: &'static str| {
        let (app, cookie) = (&app, &cookie);
        async move {
            let query = serde_urlencoded::to_string([("q", q)]).expect("encodes");
            let path = format!("/admin/media?{query}");
            get_as(app, cookie, &path)
                .await
                .text()
                .contains("小店的咖啡")
        }
    };
    assert!(found("攝影 咖啡").await);
    assert!(found("一杯").await, "the alt text");
    assert!(!found("咖啡 夜市").await);
    assert!(
        !library.text().contains("evil name"),
        "the client's name is not kept"
    );
    // The upload route has its own limit; the rest of the site keeps its small one.
    let mut huge = vec![0xFF, 0xD8, 0xFF];
    huge.resize(53 * 1024 * 1024, 0);
    let reply = upload(
        &app,
        &cookie,
        "/admin/media/upload",
        multipart(&token, &[], &[("big.jpg", "image/jpeg", &huge)]),
        true,
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    let reply = post_as(
        &app,
        &cookie,
        "/admin/terms",
        &format!("form_token={token}&term={}", "x".repeat(2 << 20)),
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_uploads_at_once_stay_within_the_decode_bound() {
    let app = TestApp::new().await;
    let engine = app.engine_arc();
    let mut uploads = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let engine = engine.clone();
        uploads.spawn(async move {
            let form = UploadForm {
                bytes: ROCKET.to_vec(),
                details: Default::default(),
            };
            engine
                .media_library()
                .upload(&Actor::COMMAND_LINE, form)
                .await
        });
    }
    while let Some(result) = uploads.join_next().await {
        result.expect("joined").expect("uploaded");
    }
    let library = engine.media_library();
    let peak = library.peak_decodes();
    let bound = gazette_engine::media::DECODES_AT_ONCE;
    assert!(
        peak >= 1 && peak <= bound,
        "at most {bound} decodes at once, saw {peak}"
    );
    // Their variants too: made one photo at a time, under the same bound.
    let made = library.make_pending_variants().await.expect("variants");
    assert!(made >= 8);
    assert!(library.peak_decodes() <= bound);
}

/// The page of the demo article whose cover is the photo captioned
/// `caption`, and the page of its channel.
async fn article_with_photo(app: &TestApp, caption: &str) -> (i64, String, String) {
    let photo = app
        .engine()
        .media_library()
        .list(
            &Actor::COMMAND_LINE,
            Some(caption),
            &MediaFilter {
                limit: 5,
                ..Default::default()
            },
        )
        .await
        .expect("library")
        .first()
        .map(|m| m.id)
        .expect("the demo's photo");
    let article_id = app.store.articles_showing_media(photo).await.expect("uses")[0];
    let article = app.store.article(article_id).await.expect("article");
    let tree = ChannelTree::new(app.store.channels().await.expect("channels"));
    let channel = Permalink::channel(article.summary.lang, &tree, article.summary.channel_id);
    (photo, Permalink::article(&tree, &article.summary), channel)
}

#[tokio::test]
async fn pages_name_the_variants_that_exist_and_a_deleted_photo_leaves_a_placeholder() {
    let app = TestApp::new().await;
    let engine = app.engine_arc();
    engine.start_following().await.expect("following");
    let (photo, path, channel) = article_with_photo(&app, "小店的一杯咖啡").await;
    // Before its variants exist, the page names the photo alone.
    let page = app.get(&path).await.text();
    assert!(
        page.contains(&format!("/media/{photo}-")),
        "the hashed address"
    );
    assert!(!page.contains("srcset=\"/media/"), "no variants named yet");
    // Once they are made, the cached page is forgotten and names them.
    engine
        .media_library()
        .make_pending_variants()
        .await
        .expect("variants");
    engine.follow_changes().await.expect("applied");
    let html = app.get(&path).await.html();
    let webp = attrs(&html, ".cover picture source[type='image/webp']", "srcset");
    assert_eq!(webp.len(), 1, "one WebP source");
    let fallback = attrs(&html, ".cover picture img", "srcset");
    let sizes = attrs(&html, ".cover picture img", "sizes");
    assert_eq!(sizes, ["(min-width: 960px) 808px, 100vw"]);
    let mut urls = Vec::new();
    for list in webp.iter().chain(&fallback) {
        for entry in list.split(", ") {
            let (url, width) = entry.split_once(' ').expect("url and width");
            assert!(width.ends_with('w'));
            urls.push(url.to_owned());
        }
    }
    assert!(urls.len() >= 4, "{urls:?}");
    let original = app.get(&format!("/media/{photo}.jpg")).await;
    for url in &urls {
        let file = app.get(url).await;
        assert_eq!(file.status, StatusCode::OK, "{url}");
        assert!(
            file.body.len() <= original.body.len(),
            "{url} is no larger than the photo"
        );
        assert_eq!(file.header("cache-control"), "public, max-age=86400");
    }
    // The share card is raster, and the cover is preloaded.
    let og = attrs(&html, "meta[property='og:image']", "content");
    assert!(
        og[0].starts_with(BASE) && og[0].ends_with("-card.jpg"),
        "{og:?}"
    );
    let card = app.get(og[0].trim_start_matches(BASE)).await;
    assert_eq!(card.header("content-type"), "image/jpeg");
    assert_eq!(
        attrs(&html, "link[rel=preload][as=image]", "type"),
        ["image/webp"]
    );
    // Its channel's page names the photo too (a card of the article).
    let list = app.get(&channel).await.text();
    assert!(list.contains(&format!("/media/{photo}-")));

    // A rights claim: an editor deletes the photo.
    add(&app, "desk@example.org", Role::Editor).await;
    let cookie = sign_in(&app, "desk@example.org").await;
    let token = form_token(&app, &cookie).await;
    let reply = post_as(
        &app,
        &cookie,
        &format!("/admin/media/{photo}/delete"),
        &format!("form_token={token}"),
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    engine.follow_changes().await.expect("applied");
    let html = app.get(&path).await.html();
    assert_eq!(
        select(&html, ".cover .media-removed").len(),
        1,
        "a placeholder"
    );
    assert!(select(&html, ".cover picture").is_empty());
    assert!(
        !app.get(&channel)
            .await
            .text()
            .contains(&format!("/media/{photo}-"))
    );
    for url in urls.iter().chain([&format!("/media/{photo}.jpg")]) {
        assert_eq!(app.get(url).await.status, StatusCode::NOT_FOUND, "{url}");
    }
    // Another node, which cached the page before, forgets it too.
    let other = app.another_node();
    other.engine().follow_changes().await.expect("start");
    assert_eq!(
        select(&other.get(&path).await.html(), ".cover .media-removed").len(),
        1
    );
}

#[tokio::test]
async fn authors_change_only_their_own_uploads_and_only_editors_delete() {
    let app = TestApp::new().await;
    add(&app, "one@example.org", Role::Author).await;
    add(&app, "two@example.org", Role::Author).await;
    let one = sign_in(&app, "one@example.org").await;
    let two = sign_in(&app, "two@example.org").await;
    let token_one = form_token(&app, &one).await;
    let token_two = form_token(&app, &two).await;
    let reply = upload(
        &app,
        &one,
        "/admin/media/upload",
        multipart(&token_one, &[], &[("a.jpg", "image/jpeg", ROCKET)]),
        true,
    )
    .await;
    let answer: serde_json::Value = serde_json::from_slice(&reply.body).expect("JSON");
    let id = answer["photos"][0]["id"].as_i64().expect("id");
    let details =
        |token: &str| format!("form_token={token}&caption=%E6%96%B0&alt=a&credit=c&licence=l");
    assert_eq!(
        post_as(
            &app,
            &two,
            &format!("/admin/media/{id}"),
            &details(&token_two),
            &[ORIGIN]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_as(
            &app,
            &one,
            &format!("/admin/media/{id}"),
            &details(&token_one),
            &[ORIGIN]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.store
            .media_info(id)
            .await
            .expect("info")
            .details
            .caption,
        "新"
    );
    let reply = upload(
        &app,
        &two,
        &format!("/admin/media/{id}/replace"),
        multipart(&token_two, &[], &[("b.jpg", "image/jpeg", COFFEE)]),
        false,
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = upload(
        &app,
        &one,
        &format!("/admin/media/{id}/replace"),
        multipart(&token_one, &[], &[("b.jpg", "image/jpeg", COFFEE)]),
        false,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    assert_eq!(app.store.media_info(id).await.expect("info").width, 600);
    // Deleting is the desk's: not even the uploader, if an author.
    assert_eq!(
        post_as(
            &app,
            &one,
            &format!("/admin/media/{id}/delete"),
            &format!("form_token={token_one}"),
            &[ORIGIN]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert!(
        app.store
            .media_info(id)
            .await
            .expect("info")
            .deleted_at
            .is_none()
    );
    // Hostile details: control characters go, overlong ones are refused.
    let long = format!("form_token={token_one}&caption={}", "x".repeat(600));
    assert_eq!(
        post_as(&app, &one, &format!("/admin/media/{id}"), &long, &[ORIGIN])
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let sneaky = format!("form_token={token_one}&caption=%E2%80%AEabc%07");
    assert_eq!(
        post_as(
            &app,
            &one,
            &format!("/admin/media/{id}"),
            &sneaky,
            &[ORIGIN]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.store
            .media_info(id)
            .await
            .expect("info")
            .details
            .caption,
        "abc"
    );
    // Made-up ids and spellings.
    assert_eq!(
        get_as(&app, &one, "/admin/media/999999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/media/0012.jpg").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/media/12-ZZZZ.jpg").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/media/..%2F..%2Fetc%2Fpasswd").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_gallery_shows_its_body_photos_in_order_with_numbers_captions_and_credits() {
    let app = TestApp::new().await;
    // The demo's gallery shows the rocket photograph among others.
    let rocket = app
        .engine()
        .media_library()
        .list(
            &Actor::COMMAND_LINE,
            Some("运载火箭点火升空"),
            &MediaFilter {
                limit: 5,
                ..Default::default()
            },
        )
        .await
        .expect("library")[0]
        .id;
    let mut gallery = None;
    for id in app
        .store
        .articles_showing_media(rocket)
        .await
        .expect("uses")
    {
        let article = app.store.article(id).await.expect("article");
        if article.gallery {
            gallery = Some(article);
        }
    }
    let gallery = gallery.expect("the demo's gallery");
    let tree = ChannelTree::new(app.store.channels().await.expect("channels"));
    let path = Permalink::article(&tree, &gallery.summary);
    let html = app.get(&path).await.html();
    let photos = select(&html, ".gallery .gallery-photo");
    assert_eq!(photos.len(), 6);
    let counts = texts(&html, ".gallery-photo .gallery-count");
    assert_eq!(counts, ["1/6", "2/6", "3/6", "4/6", "5/6", "6/6"]);
    let ids = attrs(&html, ".gallery-photo", "id");
    assert_eq!(ids[0], "photo-1");
    let credits = texts(&html, ".gallery-photo .credit");
    assert_eq!(credits[0], "摄影：SpaceX");
    assert_eq!(credits.len(), 6, "every photo credited from the library");
    // Photo by photo: width and height set, the first eager, the rest lazy.
    let loading = attrs(&html, ".gallery-photo img", "loading");
    assert_eq!(loading.len(), 5, "all but the first are lazy");
    assert!(
        attrs(&html, ".gallery-photo img", "width")
            .iter()
            .all(|w| w.parse::<i64>().is_ok())
    );
    // The introduction stays; the figures are not shown twice, nor the cover.
    assert!(one(&html, ".gallery-intro").contains("六张照片"));
    assert!(select(&html, ".gallery-intro figure").is_empty());
    assert!(select(&html, "figure.cover").is_empty());
}

/// The library's search follows the change log: a photo uploaded on one
/// node is found on another, and a deleted one is not.
#[tokio::test]
async fn a_photo_uploaded_on_one_node_is_found_on_another_on_postgres() {
    let Some((store, schema)) = PgSchema::create("site_photos").await else {
        return;
    };
    let a = TestApp::with_store(store, None).await;
    let b = a.another_node();
    let find = |app: &TestApp, q: &'static str| {
        let library = app.engine_arc();
        async move {
            library
                .media_library()
                .list(
                    &Actor::COMMAND_LINE,
                    Some(q),
                    &MediaFilter {
                        limit: 10,
                        ..Default::default()
                    },
                )
                .await
                .expect("library")
                .into_iter()
                .map(|m| m.id)
                .collect::<Vec<_>>()
        }
    };
    assert!(find(&b, "灯塔守望").await.is_empty(), "b's index is filled");
    let id = a
        .engine()
        .media_library()
        .upload(
            &Actor::COMMAND_LINE,
            UploadForm {
                bytes: COFFEE.to_vec(),
                details: gazette_engine::media::MediaDetails {
                    caption: "灯塔守望者的清晨".into(),
                    ..Default::default()
                },
            },
        )
        .await
        .expect("uploaded");
    assert_eq!(find(&b, "燈塔守望").await, [id]);
    assert_eq!(find(&a, "灯塔守望").await, [id]);
    a.engine()
        .media_library()
        .delete(&Actor::COMMAND_LINE, id)
        .await
        .expect("deleted");
    assert!(find(&b, "灯塔守望").await.is_empty());
    drop((a, b));
    schema.drop_schema().await;
}
