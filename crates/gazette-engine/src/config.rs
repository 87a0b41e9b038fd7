//! The site's settings as the engine needs them, already parsed.

use gazette_core::{MoodSet, time::SiteZone};

/// Who the site is and how it shows itself.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub name_zh: String,
    pub name_en: String,
    /// Absolute origin and path prefix pages are served under, no trailing slash
    /// (`https://news.example.org`). Canonical links and share cards use it.
    pub base_url: String,
    pub zone: SiteZone,
    /// Registration lines for the footer (ICP备案号, 新闻许可证 ...).
    pub footer_lines: Vec<String>,
    pub moods: MoodSet,
    /// Commit queued votes and views together (on unless measuring its worth).
    pub group_commit: bool,
}

impl SiteConfig {
    pub fn name(&self, lang: gazette_core::Lang) -> &str {
        match lang {
            gazette_core::Lang::Zh => &self.name_zh,
            gazette_core::Lang::En => &self.name_en,
        }
    }
}
