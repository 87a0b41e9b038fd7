//! Request header parsing for cached bodies: which encoding to send, and
//! whether the client's copy is still good. Headers are hostile input:
//! anything malformed counts as absent.

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_ENCODING, IF_MODIFIED_SINCE, IF_NONE_MATCH};
use gazette_engine::{CachedBody, Encoding};

/// The best encoding the client accepts: brotli, then gzip, then identity.
pub fn encoding(headers: &HeaderMap) -> Encoding {
    let Some(accept) = headers.get(ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else {
        return Encoding::Identity;
    };
    let (mut brotli, mut gzip, mut wildcard) = (None, None, None);
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
            })
            .next()
            .unwrap_or(1.0);
        match name.as_str() {
            "br" => brotli = Some(q),
            "gzip" | "x-gzip" => gzip = Some(q),
            "*" => wildcard = Some(q),
            _ => {}
        }
    }
    let accepted = |q: Option<f32>| q.or(wildcard).is_some_and(|q| q > 0.0);
    if accepted(brotli) {
        Encoding::Brotli
    } else if accepted(gzip) {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Whether `If-None-Match` names this ETag (or `*`).
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

/// Whether the client's copy is current: `If-None-Match` names this
/// variant's ETag, or, when the request has no `If-None-Match` (ETags win),
/// `If-Modified-Since` is no earlier than when the body's content changed.
pub fn client_copy_is_current(headers: &HeaderMap, body: &CachedBody, etag: &str) -> bool {
    if headers.contains_key(IF_NONE_MATCH) {
        return not_modified(headers, etag);
    }
    headers
        .get(IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|since| body.unchanged_since(since))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(name: axum::http::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).expect("header"));
        headers
    }

    #[test]
    fn prefers_brotli_then_gzip_and_respects_q_zero() {
        assert_eq!(
            encoding(&with(ACCEPT_ENCODING, "gzip, deflate, br")),
            Encoding::Brotli
        );
        assert_eq!(
            encoding(&with(ACCEPT_ENCODING, "gzip, br;q=0")),
            Encoding::Gzip
        );
        assert_eq!(
            encoding(&with(ACCEPT_ENCODING, "identity")),
            Encoding::Identity
        );
        assert_eq!(
            encoding(&with(ACCEPT_ENCODING, "*;q=0")),
            Encoding::Identity
        );
        assert_eq!(
            encoding(&with(ACCEPT_ENCODING, ";;;q=zz, ,")),
            Encoding::Identity
        );
        assert_eq!(encoding(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn matches_etags_in_lists() {
        let headers = with(IF_NONE_MATCH, "\"a\", W/\"b-gz\"");
        assert!(not_modified(&headers, "\"b-gz\""));
        assert!(!not_modified(&headers, "\"b\""));
        assert!(not_modified(&with(IF_NONE_MATCH, "*"), "\"x\""));
    }
}
