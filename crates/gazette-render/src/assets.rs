//! The theme's static assets: CSS and JS, fingerprinted so that they can be
//! cached forever (a changed file gets a new URL), and the site's icons and
//! web app manifest, at the root paths browsers ask for (`/favicon.ico`).

use serde::Serialize;

/// One asset with its content-addressed URL.
#[derive(Debug, Clone, Serialize)]
pub struct Asset {
    pub url: String,
    pub content_type: &'static str,
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// The URL carries a hash of the bytes (so it may be cached forever).
    #[serde(skip)]
    pub fingerprinted: bool,
}

impl Asset {
    fn new(stem: &str, extension: &str, content_type: &'static str, bytes: Vec<u8>) -> Self {
        let hash = blake3::hash(&bytes).to_hex();
        Asset {
            url: format!("/assets/{stem}.{}.{extension}", &hash[..12]),
            content_type,
            bytes,
            fingerprinted: true,
        }
    }

    fn at_root(name: &str, content_type: &'static str, bytes: Vec<u8>) -> Self {
        Asset {
            url: format!("/{name}"),
            content_type,
            bytes,
            fingerprinted: false,
        }
    }
}

/// The icon files a theme has, with their types. A theme directory may
/// replace any of them under `assets/`.
pub const ICON_FILES: [(&str, &str); 5] = [
    ("favicon.ico", "image/x-icon"),
    ("favicon.svg", "image/svg+xml"),
    ("icon-192.png", "image/png"),
    ("icon-512.png", "image/png"),
    ("manifest.webmanifest", "application/manifest+json"),
];

/// The stylesheet and the script every page links, and the icons.
#[derive(Debug, Clone, Serialize)]
pub struct Assets {
    pub css: Asset,
    pub js: Asset,
    /// The mood icons, one SVG sprite of `<symbol id="mood-NAME">`.
    pub moods: Asset,
    #[serde(skip)]
    pub icons: Vec<Asset>,
}

impl Assets {
    pub fn new(css: Vec<u8>, js: Vec<u8>, moods: Vec<u8>) -> Self {
        Assets {
            css: Asset::new("site", "css", "text/css; charset=utf-8", css),
            js: Asset::new("site", "js", "text/javascript; charset=utf-8", js),
            moods: Asset::new("moods", "svg", "image/svg+xml", moods),
            icons: Vec::new(),
        }
    }

    /// Adds the icons: `(file name, bytes)` for each of [`ICON_FILES`].
    pub fn with_icons(mut self, icons: Vec<(&'static str, Vec<u8>)>) -> Self {
        self.icons = icons
            .into_iter()
            .filter_map(|(name, bytes)| {
                let (_, content_type) = ICON_FILES.iter().find(|(n, _)| *n == name)?;
                Some(Asset::at_root(name, content_type, bytes))
            })
            .collect();
        self
    }

    /// Every asset, for serving.
    pub fn all(&self) -> impl Iterator<Item = &Asset> {
        [&self.css, &self.js, &self.moods]
            .into_iter()
            .chain(&self.icons)
    }

    /// Whether the mood sprite draws an icon of this name.
    pub fn has_mood_icon(&self, name: &str) -> bool {
        let id = format!("id=\"mood-{name}\"");
        !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && self
                .moods
                .bytes
                .windows(id.len())
                .any(|w| w == id.as_bytes())
    }

    pub fn find(&self, url: &str) -> Option<&Asset> {
        self.all().find(|a| a.url == url)
    }
}
