//! Decoding what readers send to the vote endpoints: the vote form, the
//! vote result page's query and the token cookie. Hostile input by
//! definition, so each decoder answers `Err` or `None`, never panics
//! (the fuzz targets in `fuzz/` hold them to that).

use axum::http::{HeaderMap, header};

/// A vote as the form posts it.
#[derive(Debug, serde::Deserialize)]
pub struct VoteForm {
    pub mood: String,
}

/// The vote form from a request body (`mood=happy`).
pub fn vote_form(body: &[u8]) -> Result<VoteForm, String> {
    serde_urlencoded::from_bytes(body).map_err(|e| format!("a vote is a form with a mood: {e}"))
}

/// The vote result page's query (`?mood=happy&counted=1`): what it cannot
/// read is left out.
#[derive(Debug, Default, serde::Deserialize)]
pub struct VotedQuery {
    pub mood: Option<String>,
    pub counted: Option<u8>,
}

pub fn voted_query(query: Option<&str>) -> VotedQuery {
    query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default()
}

/// A cookie's value from the request, if present and well-formed.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| cookie_in(v, name))
}

/// Every value of a cookie the request carries under this name.
pub fn cookies(headers: &HeaderMap, name: &str) -> Vec<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_owned())
        .collect()
}

/// A cookie's value from one `Cookie` header value.
pub fn cookie_in(header: &str, name: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_votes_queries_and_cookies_or_refuses() {
        assert_eq!(vote_form(b"mood=happy").expect("form").mood, "happy");
        assert_eq!(vote_form(b"mood=%E5%BC%80&x=1").expect("form").mood, "开");
        for bad in [&b""[..], b"x=1", b"\xff\xfe=1", b"mood=1&mood=2"] {
            assert!(vote_form(bad).is_err(), "{bad:?}");
        }
        let q = voted_query(Some("mood=sad&counted=1"));
        assert_eq!((q.mood.as_deref(), q.counted), (Some("sad"), Some(1)));
        let q = voted_query(Some("counted=999&mood=%FF"));
        assert_eq!((q.mood, q.counted), (None, None));
        assert_eq!(
            cookie_in("a=1; gz_vote=abc; b=2", "gz_vote").as_deref(),
            Some("abc")
        );
        assert_eq!(
            cookie_in("gz_vote=\"abc\"", "gz_vote").as_deref(),
            Some("abc")
        );
        assert_eq!(cookie_in("gz_votex=1;=;;", "gz_vote"), None);
    }
}
