//! Votes and reads only from the site's own pages. A browser says where a
//! request comes from (`Origin`, or `Sec-Fetch-Site`); a vote or read from
//! another site's page (which could make its visitors' browsers vote) is
//! refused. A request that carries neither is not from a browser page and
//! falls under the per-network caps instead.

use axum::http::{HeaderMap, header};

/// The origins votes and reads are taken from.
#[derive(Debug, Clone)]
pub struct SiteOrigins {
    /// The origin of the configured base URL; `None`: the request's own host.
    pub site: Option<String>,
    /// Origins of statically exported copies.
    pub exports: Vec<String>,
}

impl SiteOrigins {
    /// `Err` with the reason when the request comes from another site's page.
    pub fn check(&self, headers: &HeaderMap) -> Result<(), &'static str> {
        let origin = headers
            .get(header::ORIGIN)
            .map(|v| v.to_str().unwrap_or(""));
        match origin {
            Some(origin) => self.allows(origin, headers),
            None => match headers.get("sec-fetch-site").map(|v| v.as_bytes()) {
                None | Some(b"same-origin") => Ok(()),
                Some(_) => Err("votes and reads are taken only from this site's pages"),
            },
        }
    }

    /// The back office's check: the site itself only (not the export
    /// origins, which never post staff forms).
    pub fn check_same_site(&self, headers: &HeaderMap) -> Result<(), &'static str> {
        SiteOrigins {
            site: self.site.clone(),
            exports: Vec::new(),
        }
        .check(headers)
    }

    fn allows(&self, origin: &str, headers: &HeaderMap) -> Result<(), &'static str> {
        let origin = origin.trim_end_matches('/');
        if origin.eq_ignore_ascii_case("null") || origin.is_empty() {
            return Err("votes and reads from an opaque origin are not taken");
        }
        let same_site = match &self.site {
            Some(site) => origin.eq_ignore_ascii_case(site),
            // No configured URL: the host the request was addressed to.
            None => {
                let host = headers
                    .get(header::HOST)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                let authority = origin.split_once("://").map_or("", |(_, rest)| rest);
                !host.is_empty() && authority.eq_ignore_ascii_case(host)
            }
        };
        if same_site || self.exports.iter().any(|e| origin.eq_ignore_ascii_case(e)) {
            Ok(())
        } else {
            Err("votes and reads are taken only from this site's pages")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn only_the_site_and_its_exports_may_vote() {
        let configured = SiteOrigins {
            site: Some("https://news.example.org".into()),
            exports: vec!["https://static.example.org".into()],
        };
        let allowed = [
            headers(&[("origin", "https://news.example.org")]),
            headers(&[("origin", "https://NEWS.example.org/")]),
            headers(&[("origin", "https://static.example.org")]),
            headers(&[("sec-fetch-site", "same-origin")]),
            headers(&[]),
        ];
        for h in &allowed {
            assert!(configured.check(h).is_ok(), "{h:?}");
        }
        let refused = [
            headers(&[("origin", "https://evil.example")]),
            headers(&[("origin", "null")]),
            headers(&[("origin", "http://news.example.org")]),
            headers(&[("origin", "https://news.example.org.evil.example")]),
            headers(&[("sec-fetch-site", "cross-site")]),
            headers(&[("sec-fetch-site", "same-site")]),
        ];
        for h in &refused {
            assert!(configured.check(h).is_err(), "{h:?}");
        }
        let by_host = SiteOrigins {
            site: None,
            exports: Vec::new(),
        };
        assert!(
            by_host
                .check(&headers(&[
                    ("origin", "http://127.0.0.1:8080"),
                    ("host", "127.0.0.1:8080")
                ]))
                .is_ok()
        );
        assert!(
            by_host
                .check(&headers(&[
                    ("origin", "http://evil.example"),
                    ("host", "127.0.0.1:8080")
                ]))
                .is_err()
        );
        assert!(
            by_host.check(&headers(&[("origin", "http://x")])).is_err(),
            "no host"
        );
    }
}
