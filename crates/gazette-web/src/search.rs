//! Readers' search: `/search` (and `/en/search`), the results page, and
//! `/api/search`, the same results as JSON. Each search is cold work, so
//! a network prefix may run only so many a minute (`searches_per_minute`),
//! 429 past that. Results are never cached, here or downstream.

use crate::{AppState, WebError, client, decode, respond};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use gazette_engine::Lang;
use std::sync::Arc;

/// Takes one search from the asking network's budget; the network's
/// prefix (for the insights' one hash, then dropped).
fn within_budget(state: &AppState, request: &Request) -> Result<String, WebError> {
    let prefix = client::prefix_of(request, &state.trusted_proxies);
    if state.search_limit.allow(&prefix) {
        Ok(prefix)
    } else {
        Err(WebError::TooManyRequests)
    }
}

/// Counts a first page's query for the editors' insights, off the
/// answer's path.
fn note(state: &AppState, prefix: String, ask: &gazette_engine::SearchAsk, total: usize) {
    if ask.after.is_some() || ask.q.trim().is_empty() {
        return;
    }
    let engine = state.engine.clone();
    let query = ask.q.clone();
    tokio::spawn(async move {
        if let Err(error) = engine.note_search(&prefix, &query, total > 0).await {
            tracing::warn!(%error, "counting a search failed");
        }
    });
}

/// The results page, in the path's language.
pub async fn page(
    State(state): State<Arc<AppState>>,
    request: Request,
) -> Result<Response, WebError> {
    let prefix = within_budget(&state, &request)?;
    let lang = if request.uri().path().starts_with("/en/") {
        Lang::En
    } else {
        Lang::Zh
    };
    let ask = decode::search_ask(request.uri().query());
    let (body, total) = state.engine.search_page(lang, &ask).await?;
    note(&state, prefix, &ask, total);
    let method = request.method().clone();
    Ok(respond::cached(
        &body,
        &method,
        request.headers(),
        Some(&state.csp),
    ))
}

/// The results as JSON.
pub async fn json(
    State(state): State<Arc<AppState>>,
    request: Request,
) -> Result<Response, WebError> {
    let prefix = within_budget(&state, &request)?;
    let ask = decode::search_ask(request.uri().query());
    let value = state.engine.search_json(&ask).await?;
    let total = value["total"].as_u64().unwrap_or(0) as usize;
    note(&state, prefix, &ask, total);
    let mut response = (
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if request.method() == Method::HEAD {
        *response.body_mut() = axum::body::Body::empty();
    }
    Ok(response)
}
