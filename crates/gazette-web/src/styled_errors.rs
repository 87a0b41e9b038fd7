//! Error answers in the form the caller can use. A plain-text error from
//! anywhere below (the router, an extractor, the request body limit) becomes
//! the site's styled page for its status, in the path's language; under
//! `/api/` it becomes JSON for scripts (`Accept: application/json`) and, for
//! a person (the vote form posts there without JavaScript), the styled page
//! in the language of the page they came from. An address longer than any
//! page's is refused here, with 414, before routing.

use crate::{AppState, respond};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Error messages are short; anything longer is not read.
const MESSAGE_LIMIT: usize = 4096;
/// The longest path and query answered (nginx's default header buffer):
/// page addresses and cursors are far shorter. Hyper itself refuses
/// addresses over 64 KiB, with a bare 414, before they get here.
pub const MAX_URI_BYTES: usize = 8192;
/// Searches may be longer: a reader pasting a paragraph gets results (of
/// its first words), not an error; 10 KB of Chinese is 30 KB escaped.
const MAX_SEARCH_URI_BYTES: usize = 48 * 1024;

/// The longest address answered at `path`.
fn longest_address(path: &str) -> usize {
    if matches!(path, "/search" | "/en/search" | "/api/search") {
        MAX_SEARCH_URI_BYTES
    } else {
        MAX_URI_BYTES
    }
}

pub async fn styled_errors(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    // The back office's errors (and shared previews') stay its own: never
    // the public page, whose caching and framing rules are the public site's.
    if path == "/admin" || path.starts_with("/admin/") || path.starts_with("/preview/") {
        let too_long = request
            .uri()
            .path_and_query()
            .is_some_and(|pq| pq.as_str().len() > MAX_URI_BYTES);
        let mut response = if too_long {
            axum::http::StatusCode::URI_TOO_LONG.into_response()
        } else {
            next.run(request).await
        };
        if response.status().is_client_error() || response.status().is_server_error() {
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
        }
        return response;
    }
    let api = path.starts_with("/api/");
    let headers = request.headers();
    let wants_json = api
        && headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("application/json"));
    // A page's language is in its path; for the API, the page the person
    // came from says which language they read.
    let lang = if api {
        headers
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(|referer| referer.parse::<axum::http::Uri>().ok())
            .map_or(gazette_engine::Lang::Zh, |uri| {
                gazette_engine::lang_of_path(uri.path())
            })
    } else {
        gazette_engine::lang_of_path(path)
    };
    let method = if request.method() == Method::HEAD {
        Method::HEAD
    } else {
        Method::GET
    };
    let uri_bytes = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    let longest = longest_address(path);
    let response = if uri_bytes > longest {
        (
            axum::http::StatusCode::URI_TOO_LONG,
            format!("addresses on this site are at most {longest} bytes long"),
        )
            .into_response()
    } else {
        next.run(request).await
    };
    let status = response.status();
    let is_plain_error = (status.is_client_error() || status.is_server_error())
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"text/plain"));
    if !is_plain_error {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    if wants_json {
        let message = axum::body::to_bytes(body, MESSAGE_LIMIT)
            .await
            .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
            .unwrap_or_default();
        let json = serde_json::json!({ "error": message, "status": status.as_u16() });
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::from(json.to_string()));
    }
    match state.engine.error_page(lang, status.as_u16()).await {
        Ok(page) => {
            let mut styled = respond::cached(&page, &method, &Default::default(), Some(&state.csp));
            *styled.status_mut() = status;
            // Keep what the error said about retrying or allowed methods.
            for name in [header::RETRY_AFTER, header::ALLOW] {
                if let Some(value) = parts.headers.get(&name) {
                    styled.headers_mut().insert(name, value.clone());
                }
            }
            styled
        }
        Err(_) => Response::from_parts(parts, body).into_response(),
    }
}
