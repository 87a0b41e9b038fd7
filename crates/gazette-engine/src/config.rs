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
    /// Readers may see what changed between published versions (the
    /// update log's comparison pages); corrections show either way.
    pub public_diff: bool,
    /// Bytes of rendered pages (all encodings) kept in memory at most.
    pub page_cache_bytes: u64,
    /// Votes without a valid token counted per network prefix, article and day.
    pub tokenless_votes_per_day: i64,
    /// What the site takes as "now" (the system's time but in tests).
    pub clock: gazette_core::Clock,
    /// Sign-in and sessions.
    pub staff: crate::staff::StaffConfig,
    /// Feeds carry whole articles (true) or their summaries only.
    pub feeds_full_text: bool,
    /// Where this node keeps its search index (in memory when None).
    pub search_dir: Option<std::path::PathBuf>,
}

/// Default for [`SiteConfig::page_cache_bytes`]: a few thousand pages.
pub const DEFAULT_PAGE_CACHE_BYTES: u64 = 256 << 20;
/// Default for [`SiteConfig::tokenless_votes_per_day`].
pub const DEFAULT_TOKENLESS_VOTES_PER_DAY: i64 = 20;

impl SiteConfig {
    pub fn name(&self, lang: gazette_core::Lang) -> &str {
        match lang {
            gazette_core::Lang::Zh => &self.name_zh,
            gazette_core::Lang::En => &self.name_en,
        }
    }
}
