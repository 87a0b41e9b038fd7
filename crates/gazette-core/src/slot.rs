//! Recommendation slots (推荐位): editor-curated, ordered, size-limited lists.

use crate::{ParseError, Slug};
use serde::Serialize;

/// The stable key templates use to place a slot, e.g. `visual-focus`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct SlotKey(Slug);

impl SlotKey {
    pub const VISUAL_FOCUS: &'static str = "visual-focus";
    pub const EXCLUSIVE: &'static str = "exclusive";
    /// The front page's lead story (头条): its first live entry.
    pub const HEADLINE: &'static str = "headline";
    /// The row of top stories under the lead (要闻).
    pub const TOP_STORIES: &'static str = "top-stories";

    pub fn parse(text: &str) -> Result<Self, ParseError> {
        Slug::parse(text)
            .map(SlotKey)
            .map_err(|_| ParseError::SlotKey(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// A slot: at most `size_limit` entries are ever shown, in manual order,
/// each entry until its own expiry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slot {
    pub id: i64,
    pub key: SlotKey,
    pub name_zh: String,
    pub name_en: String,
    pub size_limit: i64,
}
