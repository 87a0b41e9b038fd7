//! A budget for junk. A network prefix whose requests keep ending in 404s,
//! 400s, 405s or redirects to a canonical address (a scanner, a script
//! making up URLs, a crawler with a stale sitemap) gets 429 once it has
//! spent its budget (`junk_per_minute`). Answers that are real pages never
//! spend it: many readers share one carrier-NAT address, and search engines
//! fetch many real pages from one address. Cache hits never get here.

use crate::{AppState, WebError, client, respond};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Whether an answer says the request was for nothing real.
fn is_junk(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::BAD_REQUEST
            | StatusCode::NOT_FOUND
            | StatusCode::METHOD_NOT_ALLOWED
            | StatusCode::MOVED_PERMANENTLY
    )
}

/// The middleware: answers as the router does, then charges junk answers
/// to the client's network prefix and turns them into 429 past the budget.
/// The work is done first (only its outcome tells junk from a real page);
/// it is bounded by the cold-work limit, and a junk answer costs little.
pub async fn limit_junk(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let prefix = client::prefix_of(&request, &state.trusted_proxies);
    let path = request.uri().path();
    let lang = gazette_engine::lang_of_path(path);
    let api = path.starts_with("/api/");
    let head = request.method() == Method::HEAD;
    let response = next.run(request).await;
    if !is_junk(response.status()) || state.junk_limit.allow(&prefix) {
        return response;
    }
    let mut refused = if api {
        WebError::TooManyRequests.into_response()
    } else {
        match state.engine.error_page(lang, 429).await {
            Ok(body) => {
                let method = if head { Method::HEAD } else { Method::GET };
                respond::cached(&body, &method, &Default::default(), Some(&state.csp))
            }
            Err(e) => WebError::from(e).into_response(),
        }
    };
    refused
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    refused
}
