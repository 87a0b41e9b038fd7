//! The back office under `/admin`: server-rendered pages in Chinese or
//! English (the account's choice), usable without JavaScript, never cached
//! (`private, no-store`) and never through the page cache, loading nothing
//! from another host. Every state-changing request needs a session's form
//! token and an `Origin` (or `Sec-Fetch-Site`) of the site itself; every
//! permission is checked again by the engine's staff service.

mod account;
mod articles;
mod auth;
mod channels;
mod charts;
mod curation;
mod dashboard;
mod forms;
mod guard;
mod media;
mod people;
mod publishing;
mod render;
mod review;
mod terms;
mod topics;

pub use render::AdminPages;

use crate::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::sync::Arc;

const CSS: &str = include_str!("../../admin/admin.css");
const ARTICLE_JS: &str = include_str!("../../admin/article.js");
const MEDIA_JS: &str = include_str!("../../admin/media.js");
const CURATION_JS: &str = include_str!("../../admin/curation.js");
/// Built by `scripts/build-editor` from `editor/` (checked by the tests).
const EDITOR_JS: &str = include_str!("../../admin/editor.js");
const EDITOR_LICENSES: &str = include_str!("../../admin/editor-licenses.txt");

/// The article form's saves (new, save, autosave, save and sign off):
/// their own body limit, sized for the longest body a draft may have as
/// a form sends it ([`articles::FORM_BODY_LIMIT`]); the handlers read the
/// form only for a signed-in member posting from the site.
pub fn article_form_router() -> Router<Arc<AppState>> {
    with_body_limit(
        Router::new()
            .route("/admin/articles", post(articles::create))
            .route("/admin/articles/{id}", post(articles::save)),
        articles::FORM_BODY_LIMIT,
    )
}

/// The routes that take photos: their own body limit (a photo is far
/// larger than any form). How many are read at a time is bounded in
/// `media.rs`, once the session and origin are checked.
pub fn upload_router() -> Router<Arc<AppState>> {
    with_body_limit(
        Router::new()
            .route("/admin/media/upload", post(media::upload))
            .route("/admin/media/{id}/replace", post(media::replace)),
        media::UPLOAD_BODY_LIMIT,
    )
}

/// Routes whose bodies may weigh up to `limit` bytes: what extractors
/// read, and what the body itself may bring (413 past either).
fn with_body_limit(routes: Router<Arc<AppState>>, limit: usize) -> Router<Arc<AppState>> {
    routes
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit))
}

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/admin", get(|| async { Redirect::permanent("/admin/") }))
        .route("/admin/", get(account::home))
        .route("/admin/admin.css", get(css))
        .route("/admin/article.js", get(article_js))
        .route(
            "/admin/media.js",
            get(|| async { static_file("text/javascript; charset=utf-8", MEDIA_JS) }),
        )
        .route(
            "/admin/editor.js",
            get(|| async { static_file("text/javascript; charset=utf-8", EDITOR_JS) }),
        )
        .route(
            "/admin/editor-licenses.txt",
            get(|| async { static_file("text/plain; charset=utf-8", EDITOR_LICENSES) }),
        )
        .route("/admin/channels", get(channels::list).post(channels::add))
        .route(
            "/admin/channels/{id}",
            get(channels::channel).post(channels::change),
        )
        .route("/admin/channels/{id}/up", post(channels::up))
        .route("/admin/channels/{id}/down", post(channels::down))
        .route("/admin/channels/{id}/retire", post(channels::retire))
        .route("/admin/topics", get(topics::list).post(topics::create))
        .route("/admin/topics/{id}", get(topics::topic).post(topics::save))
        .route("/admin/slots", get(curation::list))
        .route(
            "/admin/slots/{key}",
            get(curation::editor).post(curation::edit),
        )
        .route(
            "/admin/curation.js",
            get(|| async { static_file("text/javascript; charset=utf-8", CURATION_JS) }),
        )
        .route("/admin/dashboard", get(dashboard::desk))
        .route("/admin/dashboard/articles/{id}", get(dashboard::article))
        .route("/admin/media", get(media::library))
        .route(
            "/admin/media/{id}",
            get(media::photo).post(media::save_details),
        )
        .route("/admin/media/{id}/delete", post(media::delete))
        .route("/admin/login", get(auth::login_form).post(auth::login))
        .route("/admin/login/code", get(auth::code_form).post(auth::code))
        .route("/admin/logout", post(auth::logout))
        .route(
            "/admin/password/{secret}",
            get(auth::link_form).post(auth::set_by_link),
        )
        .route("/admin/account", get(account::page))
        .route("/admin/account/password", post(account::change_password))
        .route("/admin/account/lang", post(account::set_lang))
        .route("/admin/account/sessions/end", post(account::end_session))
        .route(
            "/admin/account/second-factor",
            post(account::second_factor_begin),
        )
        .route(
            "/admin/account/second-factor/confirm",
            post(account::second_factor_confirm),
        )
        .route(
            "/admin/account/second-factor/off",
            post(account::second_factor_off),
        )
        .route("/admin/people", get(people::list).post(people::invite))
        .route("/admin/people/{id}", get(people::person))
        .route("/admin/people/{id}/role", post(people::set_role))
        .route("/admin/people/{id}/reset", post(people::reset))
        .route("/admin/people/{id}/disable", post(people::disable))
        .route("/admin/people/{id}/enable", post(people::enable))
        .route(
            "/admin/people/{id}/second-factor/off",
            post(people::clear_second_factor),
        )
        .route("/admin/people/{id}/sessions/end", post(people::end_session))
        .route("/admin/audit", get(people::audit))
        .route("/admin/articles", get(articles::list))
        .route("/admin/articles/new", get(articles::new_form))
        .route("/admin/articles/{id}", get(articles::edit))
        .route("/admin/articles/{id}/revisions", get(articles::revisions))
        .route("/admin/articles/{id}/compare", get(articles::compare))
        .route("/admin/articles/{id}/restore", post(articles::restore))
        .route("/admin/articles/{id}/preview", get(articles::preview))
        .route(
            "/admin/articles/{id}/preview-links",
            post(articles::make_preview_link),
        )
        .route(
            "/admin/articles/{id}/preview-links/revoke",
            post(articles::revoke_preview_links),
        )
        .route("/admin/articles/{id}/submit", post(review::submit))
        .route("/admin/articles/{id}/approve", post(review::approve))
        .route("/admin/articles/{id}/reject", post(review::reject))
        .route("/admin/articles/{id}/publish", post(publishing::publish))
        .route(
            "/admin/articles/{id}/take-down",
            post(publishing::take_down),
        )
        .route("/admin/articles/{id}/retract", post(publishing::retract))
        .route(
            "/admin/articles/{id}/schedule/cancel",
            post(publishing::cancel_schedule),
        )
        .route(
            "/admin/articles/{id}/updates/{update}/redact",
            post(publishing::redact),
        )
        .route("/admin/review", get(review::settings))
        .route("/admin/review/{channel}", post(review::save_settings))
        .route("/preview/{secret}", get(articles::shared_preview))
        .route("/admin/terms", get(terms::list).post(terms::add))
        .route("/admin/terms/{id}/delete", post(terms::remove))
}

async fn css() -> Response {
    static_file("text/css; charset=utf-8", CSS)
}

async fn article_js() -> Response {
    static_file("text/javascript; charset=utf-8", ARTICLE_JS)
}

/// A file of the back office itself (its style sheet, its one script).
fn static_file(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=300"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        body,
    )
        .into_response()
}
