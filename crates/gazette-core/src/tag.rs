//! Tags: short free-form labels in any script, safe to put in a URL path.

use crate::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A tag such as `人工智能` or `climate`. Trimmed; no characters that would
/// break a path segment or markup.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tag(String);

impl Tag {
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let text = text.trim();
        let chars = text.chars().count();
        let valid = (1..=40).contains(&chars)
            && !text.chars().any(|c| {
                c.is_control() || matches!(c, '/' | '?' | '#' | '%' | '<' | '>' | '\\' | '"')
            });
        if valid {
            Ok(Tag(text.to_owned()))
        } else {
            Err(ParseError::Tag(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Tag {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Tag::parse(&value)
    }
}

impl From<Tag> for String {
    fn from(value: Tag) -> Self {
        value.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_chinese_and_english() {
        assert!(Tag::parse("人工智能").is_ok());
        assert_eq!(
            Tag::parse("  open web ").map(|t| t.0),
            Ok("open web".into())
        );
    }

    #[test]
    fn rejects_path_breakers() {
        for bad in ["", "a/b", "a?b", "100%", "<b>", &"长".repeat(41)] {
            assert!(Tag::parse(bad).is_err(), "{bad:?}");
        }
    }
}
