//! Readers' search: `/search` (and `/en/search`), the results page, and
//! `/api/search`, the same results as JSON. Each search is cold work, so
//! a network prefix may run only so many a minute (`searches_per_minute`),
//! 429 past that. Results are never cached, here or downstream.

use crate::{AppState, WebError, client, decode, respond};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use gazette_engine::Lang;
use std::net::SocketAddr;
use std::sync::Arc;

/// Takes one search from the asking network's budget.
fn within_budget(state: &AppState, request: &Request) -> Result<(), WebError> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let prefix = client::prefix(client::address(
        peer,
        request.headers(),
        &state.trusted_proxies,
    ));
    if state.search_limit.allow(&prefix) {
        Ok(())
    } else {
        Err(WebError::TooManyRequests)
    }
}

/// The results page, in the path's language.
pub async fn page(
    State(state): State<Arc<AppState>>,
    request: Request,
) -> Result<Response, WebError> {
    within_budget(&state, &request)?;
    let lang = if request.uri().path().starts_with("/en/") {
        Lang::En
    } else {
        Lang::Zh
    };
    let ask = decode::search_ask(request.uri().query());
    let body = state.engine.search_page(lang, &ask).await?;
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
    within_budget(&state, &request)?;
    let ask = decode::search_ask(request.uri().query());
    let value = state.engine.search_json(&ask).await?;
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
