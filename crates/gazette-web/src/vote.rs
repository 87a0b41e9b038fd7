//! Mood votes and read beacons over HTTP. `POST /api/articles/{id}/vote`
//! with `mood=KEY`: a script asking for JSON gets the fresh counts; a plain
//! form gets a 303 to `/vote/{id}/`, a page with the fresh counts. A browser
//! without a vote token gets one in a first-party cookie.
//! `POST /api/articles/{id}/view` (the page's beacon) counts a read and
//! answers 204. Both are rate-limited per network prefix.

use crate::{AppState, WebError, client, respond};
use axum::extract::{ConnectInfo, FromRequest, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_engine::{Visitor, VoteRequest};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

const TOKEN_COOKIE: &str = "gz_vote";
/// Rate-limit buckets kept before idle ones are dropped.
const MAX_BUCKETS: usize = 100_000;

/// Requests per minute per network prefix.
#[derive(Debug)]
pub struct RateLimit(DefaultKeyedRateLimiter<String>);

impl RateLimit {
    pub fn per_minute(requests: u32) -> Self {
        RateLimit(RateLimiter::keyed(Quota::per_minute(
            NonZeroU32::new(requests).unwrap_or(NonZeroU32::MIN),
        )))
    }

    fn allow(&self, prefix: &str) -> bool {
        if self.0.len() > MAX_BUCKETS {
            self.0.retain_recent();
        }
        self.0.check_key(&prefix.to_owned()).is_ok()
    }
}

#[derive(Debug, serde::Deserialize)]
struct VoteForm {
    mood: String,
}

#[derive(Debug, serde::Deserialize)]
pub struct VotedQuery {
    mood: Option<String>,
    counted: Option<u8>,
}

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
    let headers = request.headers().clone();
    let visitor = visitor(&state, &request);
    if !state.vote_limit.allow(&visitor.network_prefix) {
        return Err(WebError::TooManyRequests);
    }
    let axum::Form(form) = axum::Form::<VoteForm>::from_request(request, &())
        .await
        .map_err(|e| {
            WebError::BadRequest(format!("a vote is a form with a mood: {}", e.body_text()))
        })?;
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
    if let Some(token) = outcome.new_token {
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
        token: cookie(headers, TOKEN_COOKIE),
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
    Query(query): Query<VotedQuery>,
    method: axum::http::Method,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let mood = query.mood.unwrap_or_default();
    let body = match state
        .engine
        .vote_result_page(id, &mood, query.counted == Some(1))
        .await
    {
        Ok(body) => body,
        Err(gazette_engine::EngineError::NotFound(_)) => state.engine.not_found().await?,
        Err(e) => return Err(e.into()),
    };
    Ok(respond::cached(&body, &method, &headers, Some(&state.csp)))
}

/// A cookie's value from the request, if well-formed.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}
