//! The public site's routes: pages (everything not matched below goes to
//! the engine's page resolver), assets, media, the reader API and the
//! health check.

use crate::{AppState, WebError, respond, vote};
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gazette_engine::{CachedBody, Lang, Reply};
use std::sync::Arc;

type AppRouter = Router<Arc<AppState>>;

pub fn router(export_origins: &[String]) -> AppRouter {
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route("/assets/{file}", get(asset))
        .route("/media/{file}", get(media))
        .route("/robots.txt", get(sitemap))
        .route("/sitemap.xml", get(sitemap))
        .route("/sitemap-news.xml", get(sitemap))
        .route("/sitemaps/{file}", get(sitemap))
        .route("/search", get(crate::search::page))
        .route("/en/search", get(crate::search::page))
        .route("/api/search", get(crate::search::json));
    // The icons and manifest browsers ask for at the root.
    for (file, _) in gazette_engine::ICON_FILES {
        router = router.route(&format!("/{file}"), get(asset));
    }
    router
        .merge(reader_api(export_origins))
        .route("/vote/{id}/", get(vote::voted))
        .fallback(page)
}

/// What pages' scripts call: fresh counts, votes and read beacons. Pages
/// exported to other origins call it too, so those origins get CORS
/// headers (with credentials: the vote token cookie rides along).
fn reader_api(export_origins: &[String]) -> AppRouter {
    let api = Router::new()
        .route("/api/articles/{id}/moods", get(mood_counts))
        .route("/api/articles/{id}/vote", post(vote::vote))
        .route("/api/articles/{id}/view", post(vote::read));
    let origins: Vec<HeaderValue> = export_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    if origins.is_empty() {
        return api;
    }
    api.layer(
        tower_http::cors::CorsLayer::new()
            .allow_origin(origins)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::ACCEPT, header::CONTENT_TYPE])
            .allow_credentials(true)
            .max_age(std::time::Duration::from_secs(86_400)),
    )
}

/// Every public page. Takes the request whole so that its headers are read
/// in place rather than copied.
async fn page(State(state): State<Arc<AppState>>, request: Request) -> Result<Response, WebError> {
    let method = request.method();
    let uri = request.uri();
    if method != Method::GET && method != Method::HEAD {
        let lang = gazette_engine::lang_of_path(uri.path());
        let mut response = error_page(&state, lang, 405, &Method::GET, request.headers()).await?;
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Ok(response);
    }
    match state.engine.page(uri.path(), uri.query()).await? {
        Reply::Body(body) => Ok(respond::cached(
            &body,
            method,
            request.headers(),
            Some(&state.csp),
        )),
        Reply::Moved(location) => Ok(respond::moved(&location)),
    }
}

async fn asset(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let body = state.engine.asset(uri.path());
    file_or_not_found(&state, body, &method, &headers).await
}

async fn media(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let body = state.engine.media(&file).await?;
    file_or_not_found(&state, body, &method, &headers).await
}

/// `robots.txt` and the sitemaps (built and cached like pages).
async fn sitemap(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let path = uri.path();
    let body = match gazette_engine::sitemaps::SitemapFile::parse(path) {
        Some(file) => state.engine.sitemap_file(file, path).await?,
        None => None,
    };
    match body {
        Some(body) => Ok(respond::cached(&body, &method, &headers, None)),
        None => not_found(&state, &method, &headers).await,
    }
}

/// A static file's cached body, or the 404 page.
async fn file_or_not_found(
    state: &AppState,
    body: Option<Arc<CachedBody>>,
    method: &Method,
    headers: &HeaderMap,
) -> Result<Response, WebError> {
    match body {
        Some(body) => Ok(respond::cached(
            &body,
            method,
            headers,
            Some(&respond::FILE_CSP),
        )),
        None => not_found(state, method, headers).await,
    }
}

async fn mood_counts(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let id = vote::parse_id(&id)?;
    match state.engine.mood_counts(id).await? {
        Some(body) => Ok(respond::cached(&body, &method, &headers, None)),
        None => Err(WebError::NotFound(format!("no published article {id}"))),
    }
}

pub(crate) async fn not_found(
    state: &AppState,
    method: &Method,
    headers: &HeaderMap,
) -> Result<Response, WebError> {
    error_page(state, Lang::Zh, 404, method, headers).await
}

/// The engine's kept error page for a status, in a language.
pub(crate) async fn error_page(
    state: &AppState,
    lang: Lang,
    status: u16,
    method: &Method,
    headers: &HeaderMap,
) -> Result<Response, WebError> {
    let body = state.engine.error_page(lang, status).await?;
    Ok(respond::cached(&body, method, headers, Some(&state.csp)))
}

async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    match state.engine.store().article_count().await {
        Ok(_) => (
            axum::http::StatusCode::OK,
            format!("ok {}\n", state.engine.store().backend()),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "store unavailable\n",
            )
                .into_response()
        }
    }
}
