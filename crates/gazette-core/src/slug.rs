//! URL slugs: the lowercase ASCII names of channels, topics, people and articles.

use crate::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Path segments that belong to the site itself and can never name a channel.
const RESERVED: &[&str] = &[
    "en", "zh", "topic", "tag", "author", "media", "assets", "api", "admin", "stream", "healthz",
    "metrics", "feed", "sitemap", "search", "ranking", "vote",
];

/// A slug: 1–80 characters of `a-z`, `0-9` and `-`, no leading or trailing `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    /// Parses a slug, accepting reserved words (articles and people may use them).
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let valid = !text.is_empty()
            && text.len() <= 80
            && !text.starts_with('-')
            && !text.ends_with('-')
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid {
            Ok(Slug(text.to_owned()))
        } else {
            Err(ParseError::Slug(text.to_owned()))
        }
    }

    /// Parses a slug that will be a top-level path segment (a channel's).
    pub fn parse_channel(text: &str) -> Result<Self, ParseError> {
        let slug = Self::parse(text)?;
        if RESERVED.contains(&text) {
            return Err(ParseError::ReservedSlug(text.to_owned()));
        }
        Ok(slug)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Slug::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(value: Slug) -> Self {
        value.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_slugs() {
        assert_eq!(
            Slug::parse("world-internet-2024").map(|s| s.0),
            Ok("world-internet-2024".into())
        );
    }

    #[test]
    fn rejects_what_a_url_would_mangle() {
        for bad in [
            "",
            "-a",
            "a-",
            "A",
            "a b",
            "a/b",
            "新闻",
            "a.html",
            &"x".repeat(81),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn channels_cannot_take_reserved_words() {
        assert!(Slug::parse_channel("en").is_err());
        assert!(Slug::parse("en").is_ok());
    }
}
