//! What a reader sends to the vote endpoints: the form body, the result
//! page's query and the `Cookie` header. Each decoder answers or declines,
//! never panics.
#![no_main]

use axum::http::{HeaderMap, HeaderValue, header};
use gazette_web::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode::vote_form(data);
    let text = String::from_utf8_lossy(data);
    let _ = decode::voted_query(Some(&text));
    let _ = decode::cookie_in(&text, "gz_vote");
    if let Ok(value) = HeaderValue::from_bytes(data) {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, value.clone());
        headers.append(header::COOKIE, value);
        if let Some(token) = decode::cookie(&headers, "gz_vote") {
            assert!(!token.contains(';'), "{token:?}");
        }
    }
});
