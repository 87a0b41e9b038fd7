//! Mood votes and read beacons over HTTP. `POST /api/articles/{id}/vote`
//! with `mood=KEY`: a script asking for JSON gets the fresh counts; a plain
//! form gets a 303 to `/vote/{id}/`, a page with the fresh counts. A browser
//! without a vote token gets one in a first-party cookie.
//! `POST /api/articles/{id}/view` (the page's beacon) counts a read and
//! answers 204. Both are rate-limited per network prefix.

use crate::decode::{self, VoteForm};
use crate::{AppState, WebError, client, respond};
use axum::extract::{ConnectInfo, FromRequest, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_engine::{Visitor, VoteRequest};
use std::net::SocketAddr;
use std::sync::Arc;

const TOKEN_COOKIE: &str = "gz_vote";

pub fn parse_id(id: &str) -> Result<i64, WebError> {
    id.parse()
        .map_err(|_| WebError::BadRequest(format!("article id must be a number, not {id:?}")))
}

pub async fn vote(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let article_id = parse_id(&id)?;
    state
        .origins
        .check(request.headers())
        .map_err(WebError::Forbidden)?;
    let headers = request.headers().clone();
    let visitor = visitor(&state, &request);
    if !state.vote_limit.allow(&visitor.network_prefix) {
        return Err(WebError::TooManyRequests);
    }
    let form = read_form(request).await?;
    let prefix = visitor.network_prefix.clone();
    let outcome = state
        .engine
        .vote(VoteRequest {
            article_id,
            mood: form.mood.clone(),
            visitor,
        })
        .await?;
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"));
    let mut response = if wants_json {
        (
            [(header::CONTENT_TYPE, "application/json")],
            outcome.to_json(article_id),
        )
            .into_response()
    } else {
        let location = format!(
            "/vote/{article_id}/?mood={}&counted={}",
            form.mood,
            u8::from(outcome.counted)
        );
        let mut redirect = StatusCode::SEE_OTHER.into_response();
        if let Ok(location) = HeaderValue::from_str(&location) {
            redirect.headers_mut().insert(header::LOCATION, location);
        }
        redirect
    };
    let out = response.headers_mut();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // A network gets so many new tokens a day, whatever it votes on.
    if let Some(token) = outcome
        .new_token
        .filter(|_| state.token_limit.allow(&prefix))
    {
        let secure = if state.secure_cookies { "; Secure" } else { "" };
        let cookie = format!(
            "{TOKEN_COOKIE}={token}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}"
        );
        if let Ok(cookie) = HeaderValue::from_str(&cookie) {
            out.insert(header::SET_COOKIE, cookie);
        }
    }
    Ok(response)
}

/// A read beacon: counts a read of the article and answers 204 whether or
/// not it counted (a repeat, a crawler), so the answer tells nothing.
pub async fn read(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let article_id = parse_id(&id)?;
    state
        .origins
        .check(request.headers())
        .map_err(WebError::Forbidden)?;
    let visitor = visitor(&state, &request);
    if !state.read_limit.allow(&visitor.network_prefix) {
        return Err(WebError::TooManyRequests);
    }
    state.engine.record_read(article_id, &visitor).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::CACHE_CONTROL, "no-store")],
    )
        .into_response())
}

/// The vote form from the body (already bounded by the body limit).
async fn read_form(request: Request) -> Result<VoteForm, WebError> {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(WebError::BadRequest(
            "a vote is a form (application/x-www-form-urlencoded) with a mood".into(),
        ));
    }
    let body = axum::body::Bytes::from_request(request, &())
        .await
        .map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => WebError::TooLarge,
            _ => WebError::BadRequest("the vote form could not be read".into()),
        })?;
    decode::vote_form(&body).map_err(WebError::BadRequest)
}

/// Who sent the request, as far as de-duplication needs: the vote token
/// cookie, the client's network prefix (through trusted proxies only) and
/// the user agent.
fn visitor(state: &AppState, request: &Request) -> Visitor {
    let headers = request.headers();
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    Visitor {
        token: decode::cookie(headers, TOKEN_COOKIE),
        network_prefix: client::prefix(client::address(peer, headers, &state.trusted_proxies)),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
    }
}

/// The page a vote without JavaScript lands on.
pub async fn voted(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    uri: axum::http::Uri,
    method: axum::http::Method,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let query = decode::voted_query(uri.query());
    let mood = query.mood.unwrap_or_default();
    let body = match state
        .engine
        .vote_result_page(id, &mood, query.counted == Some(1))
        .await
    {
        Ok(body) => body,
        Err(gazette_engine::EngineError::NotFound(_)) => {
            return crate::site::not_found(&state, &method, &headers).await;
        }
        Err(e) => return Err(e.into()),
    };
    Ok(respond::cached(&body, &method, &headers, Some(&state.csp)))
}
