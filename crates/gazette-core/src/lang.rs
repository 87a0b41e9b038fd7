//! The languages Gazette's interface and articles speak.

use crate::ParseError;
use serde::{Deserialize, Serialize};

/// A content and interface language. Chinese is the default site language;
/// English pages live under the `/en` prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    pub fn parse(text: &str) -> Result<Self, ParseError> {
        match text {
            "zh" | "zh-CN" | "zh-Hans" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            other => Err(ParseError::Lang(other.to_owned())),
        }
    }

    /// The short code stored in the database and used in file names.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The BCP 47 tag for `lang` and `hreflang` attributes.
    pub fn bcp47(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The path prefix of this language's pages: empty for the default language.
    pub fn path_prefix(self) -> &'static str {
        match self {
            Lang::Zh => "",
            Lang::En => "/en",
        }
    }
}
