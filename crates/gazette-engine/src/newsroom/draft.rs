//! An article as the newsroom edits it: every field of the content model,
//! kept whole in each revision (as JSON). Text fields are plain text (pages
//! escape them); the body is body HTML, sanitised whenever a draft is made
//! from what a browser sent. Checked here, so that whatever reaches the
//! store is valid whoever sent it.

use crate::EngineError;
use gazette_core::{CreditRole, Lang, Slug, Tag};
use serde::{Deserialize, Serialize};

/// Longest title, kicker, subtitle or source, in characters.
pub const MAX_LINE: usize = 200;
/// Longest summary, in characters.
pub const MAX_SUMMARY: usize = 1_000;
/// Longest body, in bytes of HTML.
pub const MAX_BODY: usize = 1 << 20;
/// Most tags, and credits per role.
pub const MAX_TAGS: usize = 20;
pub const MAX_CREDITS: usize = 12;

/// Someone credited: a person of the content model (a staff member's byline
/// person or a free name), with the name as it was when saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditLine {
    pub person_id: i64,
    pub name: String,
    #[serde(default)]
    pub affiliation: Option<String>,
}

/// The cover picture and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverDraft {
    pub media_id: i64,
    pub alt: String,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub credit: Option<String>,
}

/// Every editable field of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDraft {
    pub lang: Lang,
    pub title: String,
    #[serde(default)]
    pub kicker: String,
    #[serde(default)]
    pub subtitle: String,
    #[serde(default)]
    pub summary: String,
    /// Body HTML (see `gazette_render::body`).
    #[serde(default)]
    pub body: String,
    /// 来源
    #[serde(default)]
    pub source: String,
    pub slug: Slug,
    pub channel_id: i64,
    #[serde(default)]
    pub topic_id: Option<i64>,
    /// The article this one is a translation of (or that translates it).
    #[serde(default)]
    pub translation_of: Option<i64>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    #[serde(default)]
    pub authors: Vec<CreditLine>,
    #[serde(default)]
    pub editors: Vec<CreditLine>,
    /// 统筹
    #[serde(default)]
    pub coordinators: Vec<CreditLine>,
    #[serde(default)]
    pub cover: Option<CoverDraft>,
    /// A photo gallery (组图): the body's figures are its photos.
    #[serde(default)]
    pub gallery: bool,
}

impl ArticleDraft {
    /// The credits in page order, for the store.
    pub fn credits(&self) -> Vec<(CreditRole, i64)> {
        let lines = [
            (CreditRole::Author, &self.authors),
            (CreditRole::Editor, &self.editors),
            (CreditRole::Coordinator, &self.coordinators),
        ];
        lines
            .into_iter()
            .flat_map(|(role, people)| people.iter().map(move |p| (role, p.person_id)))
            .collect()
    }

    /// Parses a stored revision.
    pub fn from_json(json: &str) -> Result<Self, EngineError> {
        serde_json::from_str(json).map_err(|e| {
            EngineError::Store(gazette_store::StoreError::Corrupt(format!(
                "a revision does not parse: {e}"
            )))
        })
    }

    pub fn to_json(&self) -> String {
        // A struct of strings, numbers and lists: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A field the author must fix, by field name and message key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub field: &'static str,
    pub key: &'static str,
}

/// Whether a character may stay in plain text: no control characters, no
/// bidirectional overrides (which can make a title read as something else).
fn kept(c: char) -> bool {
    !c.is_control() && !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A one-line text as it may be kept: trimmed, without control characters.
pub fn clean_line(text: &str) -> String {
    text.chars()
        .filter(|c| kept(*c))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// A multi-line text as it may be kept (the summary).
pub fn clean_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || kept(*c))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// A slug made from a title: its ASCII words, or `article`.
pub fn slug_from(title: &str) -> Slug {
    let mut slug = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    Slug::parse(&slug).unwrap_or_else(|_| Slug::parse("article").expect("a valid slug"))
}

/// Checks the lengths the pages and the store rely on.
pub fn problems(draft: &ArticleDraft) -> Vec<FieldProblem> {
    let mut found = Vec::new();
    let mut check = |ok: bool, field: &'static str, key: &'static str| {
        if !ok {
            found.push(FieldProblem { field, key });
        }
    };
    let chars = |s: &str| s.chars().count();
    check(!draft.title.is_empty(), "title", "title_missing");
    check(chars(&draft.title) <= MAX_LINE, "title", "too_long_line");
    check(chars(&draft.kicker) <= MAX_LINE, "kicker", "too_long_line");
    check(
        chars(&draft.subtitle) <= MAX_LINE,
        "subtitle",
        "too_long_line",
    );
    check(chars(&draft.source) <= MAX_LINE, "source", "too_long_line");
    check(
        chars(&draft.summary) <= MAX_SUMMARY,
        "summary",
        "too_long_summary",
    );
    check(draft.body.len() <= MAX_BODY, "body", "too_long_body");
    check(draft.tags.len() <= MAX_TAGS, "tags", "too_many_tags");
    for (field, lines) in [
        ("authors", &draft.authors),
        ("editors", &draft.editors),
        ("coordinators", &draft.coordinators),
    ] {
        check(lines.len() <= MAX_CREDITS, field, "too_many_credits");
    }
    if let Some(cover) = &draft.cover {
        check(!cover.alt.is_empty(), "cover_alt", "cover_alt_missing");
        for text in [
            Some(&cover.alt),
            cover.caption.as_ref(),
            cover.credit.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            check(chars(text) <= MAX_LINE * 2, "cover", "too_long_line");
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_ascii_words() {
        assert_eq!(
            slug_from("Cyberspace: a shared, safe future").as_str(),
            "cyberspace-a-shared-safe-future"
        );
        assert_eq!(slug_from("网络空间命运共同体").as_str(), "article");
        assert_eq!(slug_from("2026 年 G20 峰会").as_str(), "2026-g20");
    }

    #[test]
    fn lines_lose_control_characters() {
        assert_eq!(clean_line(" a\u{0}b\nc\u{202e} "), "abc");
        assert_eq!(clean_text("a\r\nb\u{7}"), "a\nb");
    }
}
