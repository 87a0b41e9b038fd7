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

/// A search's parameters from the query string. Everything is optional
/// and nothing is an error: percent-escapes that are not UTF-8 become
/// U+FFFD, a number that is not one or a date that is not `YYYY-MM-DD` is
/// left out, and the query is cut to what search reads.
pub fn search_ask(query: Option<&str>) -> gazette_engine::SearchAsk {
    let mut ask = gazette_engine::SearchAsk::default();
    let Some(query) = query else {
        return ask;
    };
    // The address limit bounds this; at most a few hundred pairs are read.
    for (key, value) in form_urlencoded::parse(query.as_bytes()).take(256) {
        let value = value.trim();
        match key.as_ref() {
            "q" => {
                ask.q = value
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(SEARCH_QUERY_CHARS)
                    .collect();
            }
            "channel" => ask.channel = value.parse().ok().filter(|n: &i64| *n > 0),
            "topic" => ask.topic = value.parse().ok().filter(|n: &i64| *n > 0),
            "lang" => ask.lang = gazette_engine::Lang::parse(value).ok(),
            "from" => ask.from = date(value),
            "until" => ask.until = date(value),
            "after" => ask.after = Some(value.chars().take(64).collect()),
            "limit" => ask.per_page = value.parse().ok(),
            _ => {}
        }
    }
    ask
}

/// Characters of a query kept (search reads fewer).
const SEARCH_QUERY_CHARS: usize = 200;

fn date(value: &str) -> Option<String> {
    let shaped = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shaped.then(|| value.to_owned())
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
