//! Typed configuration: an optional TOML file, overridden by flags and
//! `GAZETTE_*` environment variables (clap reads both).

use anyhow::{Context, Result};
use gazette_core::{MoodSet, time::SiteZone};
use gazette_engine::SiteConfig;
use serde::Deserialize;
use std::path::Path;

/// The configuration file's shape. Every field is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub site_name_zh: Option<String>,
    pub site_name_en: Option<String>,
    pub base_url: Option<String>,
    pub time_zone: Option<String>,
    /// Registration lines for the footer (ICP备案号, 新闻许可证 ...).
    pub footer_lines: Option<Vec<String>>,
    pub moods: Option<MoodSet>,
    pub max_body_bytes: Option<usize>,
    /// Other origins pages may load from (a CDN).
    pub extra_origins: Option<Vec<String>>,
    /// Proxies whose X-Forwarded-For is believed.
    pub trusted_proxies: Option<Vec<std::net::IpAddr>>,
    /// Votes per minute per network prefix before 429.
    pub votes_per_minute: Option<u32>,
    /// Read beacons per minute per network prefix before 429.
    pub reads_per_minute: Option<u32>,
    /// Commit queued votes and views in one transaction (default true;
    /// false only to measure what group commit is worth).
    pub group_commit: Option<bool>,
    /// Readers may compare published versions of an article (default true).
    pub public_diff: Option<bool>,
    /// Origins of statically exported copies of the site, allowed to vote
    /// and count views across origins (CORS), e.g. `https://static.example.org`.
    pub export_origins: Option<Vec<String>>,
    /// Megabytes of rendered pages kept in memory (default 256).
    pub page_cache_mb: Option<u64>,
    /// Votes without a valid token counted per network prefix, article and
    /// day (default 20).
    pub tokenless_votes_per_day: Option<i64>,
    /// 404s and redirects one network prefix may get per minute before 429
    /// (default 120). Real pages are never limited.
    pub junk_per_minute: Option<u32>,
    /// Searches one network prefix may run per minute before 429
    /// (default 60; a burst of as many is allowed).
    pub searches_per_minute: Option<u32>,
    /// Feeds carry whole articles (default true) or summaries only.
    pub feeds_full_text: Option<bool>,
}

impl FileConfig {
    pub fn read(path: Option<&Path>) -> Result<Self> {
        let Some(path) = path else {
            return Ok(FileConfig::default());
        };
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    /// The export origins, each checked to be a bare origin
    /// (`https://host[:port]`, no path).
    pub fn export_origins(&self) -> Result<Vec<String>> {
        let origins = self.export_origins.clone().unwrap_or_default();
        for origin in &origins {
            let rest = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            let bare = rest.is_some_and(|r| {
                !r.is_empty() && !r.contains(['/', '?', '#', ' ', '*']) && r.is_ascii()
            });
            anyhow::ensure!(
                bare,
                "export_origins: {origin:?} is not an origin like https://static.example.org"
            );
        }
        Ok(origins)
    }

    /// The origin of the configured base URL (`https://news.example.org`),
    /// if one is configured: the only origin votes and reads are taken from
    /// (besides the export origins). Without one, the request's own host.
    pub fn site_origin(&self, flag: Option<&str>) -> Option<String> {
        let url = flag.or(self.base_url.as_deref())?;
        let (scheme, rest) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
        // Browsers leave the scheme's default port out of `Origin`.
        let default_port = if scheme == "https" { ":443" } else { ":80" };
        let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
        Some(format!("{scheme}://{authority}"))
    }

    /// The site settings, with `base_url` defaulting to the listening address.
    pub fn site(&self, base_url: Option<&str>, default_base: &str) -> Result<SiteConfig> {
        let zone_name = self.time_zone.as_deref().unwrap_or("Asia/Shanghai");
        let base_url = base_url
            .or(self.base_url.as_deref())
            .unwrap_or(default_base)
            .trim_end_matches('/')
            .to_owned();
        Ok(SiteConfig {
            name_zh: self
                .site_name_zh
                .clone()
                .unwrap_or_else(|| "公报新闻".into()),
            name_en: self
                .site_name_en
                .clone()
                .unwrap_or_else(|| "Gazette News".into()),
            base_url,
            zone: SiteZone::parse(zone_name)?,
            footer_lines: self.footer_lines.clone().unwrap_or_else(|| {
                vec![
                    "互联网新闻信息服务许可证：00000000000（示例）".into(),
                    "京ICP备00000000号（示例）".into(),
                ]
            }),
            moods: self.moods.clone().unwrap_or_default(),
            group_commit: self.group_commit.unwrap_or(true),
            public_diff: self.public_diff.unwrap_or(true),
            page_cache_bytes: self
                .page_cache_mb
                .map_or(gazette_engine::config::DEFAULT_PAGE_CACHE_BYTES, |mb| {
                    mb.max(1) << 20
                }),
            tokenless_votes_per_day: self
                .tokenless_votes_per_day
                .unwrap_or(gazette_engine::config::DEFAULT_TOKENLESS_VOTES_PER_DAY)
                .max(0),
            clock: gazette_core::Clock::System,
            staff: Default::default(),
            feeds_full_text: self.feeds_full_text.unwrap_or(true),
            search_dir: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_origin_is_what_browsers_send_as_origin() {
        let file = FileConfig {
            base_url: Some("HTTPS://News.Example.org:443/zh/".into()),
            ..Default::default()
        };
        assert_eq!(
            file.site_origin(None).as_deref(),
            Some("https://news.example.org")
        );
        assert_eq!(
            file.site_origin(Some("http://127.0.0.1:8080")).as_deref(),
            Some("http://127.0.0.1:8080"),
            "the flag wins; other ports stay"
        );
        assert_eq!(FileConfig::default().site_origin(None), None);
    }
}
