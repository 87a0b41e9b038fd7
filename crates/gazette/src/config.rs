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
                    "互联网新闻信息服务许可证:00000000000(示例)".into(),
                    "京ICP备00000000号(示例)".into(),
                ]
            }),
            moods: self.moods.clone().unwrap_or_default(),
        })
    }
}
