//! Turns a cached body into a response: the negotiated encoding, its ETag,
//! 304 when the client's copy is current, and the headers every response
//! carries.

use crate::negotiate;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use gazette_engine::{CachedBody, Encoding};

const VARY: HeaderValue = HeaderValue::from_static("Accept-Encoding");

/// The policy of every file that is not a page (media, theme assets): it
/// may run nothing and load nothing, so that an image with a script in it
/// (an SVG) is inert even when opened on its own.
pub const FILE_CSP: HeaderValue =
    HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox");

/// The response for a cached body, with `csp` as its Content-Security-Policy
/// (the site's on pages, [`FILE_CSP`] on files).
pub fn cached(
    body: &CachedBody,
    method: &Method,
    headers: &HeaderMap,
    csp: Option<&HeaderValue>,
) -> Response {
    let (variant, encoding) = body.variant(negotiate::encoding(headers));
    let status = StatusCode::from_u16(body.status).unwrap_or(StatusCode::OK);
    let fresh =
        status == StatusCode::OK && negotiate::client_copy_is_current(headers, body, &variant.etag);
    let mut response = if fresh || method == Method::HEAD {
        Response::new(Body::empty())
    } else {
        Response::new(Body::from(variant.bytes.clone()))
    };
    *response.status_mut() = if fresh {
        StatusCode::NOT_MODIFIED
    } else {
        status
    };
    let out = response.headers_mut();
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(body.content_type),
    );
    out.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(body.cache_control),
    );
    if let Ok(etag) = HeaderValue::from_str(&variant.etag) {
        out.insert(header::ETAG, etag);
    }
    if let Ok(modified) = HeaderValue::from_str(&body.last_modified) {
        out.insert(header::LAST_MODIFIED, modified);
    }
    if body.gzip.is_some() {
        out.insert(header::VARY, VARY);
    }
    match encoding {
        Encoding::Brotli => {
            out.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
        }
        Encoding::Gzip => {
            out.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        Encoding::Identity => {}
    }
    if method == Method::HEAD && !fresh {
        out.insert(
            header::CONTENT_LENGTH,
            HeaderValue::from(variant.bytes.len()),
        );
    }
    out.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    out.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if let Some(csp) = csp {
        out.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
    }
    response
}

/// A permanent redirect to a site-relative path.
pub fn moved(location: &str) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
    if let Ok(location) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
