//! The theme's static assets (CSS, JS), fingerprinted so that they can be
//! cached forever: a changed file gets a new URL.

use serde::Serialize;

/// One asset with its content-addressed URL.
#[derive(Debug, Clone, Serialize)]
pub struct Asset {
    pub url: String,
    pub content_type: &'static str,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

impl Asset {
    fn new(stem: &str, extension: &str, content_type: &'static str, bytes: Vec<u8>) -> Self {
        let hash = blake3::hash(&bytes).to_hex();
        Asset {
            url: format!("/assets/{stem}.{}.{extension}", &hash[..12]),
            content_type,
            bytes,
        }
    }
}

/// The stylesheet and the script every page links.
#[derive(Debug, Clone, Serialize)]
pub struct Assets {
    pub css: Asset,
    pub js: Asset,
}

impl Assets {
    pub fn new(css: Vec<u8>, js: Vec<u8>) -> Self {
        Assets {
            css: Asset::new("site", "css", "text/css; charset=utf-8", css),
            js: Asset::new("site", "js", "text/javascript; charset=utf-8", js),
        }
    }

    pub fn find(&self, url: &str) -> Option<&Asset> {
        [&self.css, &self.js].into_iter().find(|a| a.url == url)
    }
}
