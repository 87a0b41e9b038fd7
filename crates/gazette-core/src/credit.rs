//! Credits: who wrote, edited, coordinated and signed off an article.

use crate::{ParseError, Slug};
use serde::Serialize;

/// A person credited on articles: reporters, editors, photographers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub id: i64,
    pub slug: Slug,
    pub name: String,
    /// Employer or institution shown after the name in a byline.
    pub affiliation: Option<String>,
    /// The name on English pages, when it differs (何晓雯 → He Xiaowen).
    pub name_en: Option<String>,
    /// The affiliation on English pages.
    pub affiliation_en: Option<String>,
}

impl Person {
    /// The name shown on pages in `lang`.
    pub fn name_in(&self, lang: crate::Lang) -> &str {
        match (lang, &self.name_en) {
            (crate::Lang::En, Some(name)) => name,
            _ => &self.name,
        }
    }

    /// The affiliation shown on pages in `lang`.
    pub fn affiliation_in(&self, lang: crate::Lang) -> Option<&str> {
        match (lang, &self.affiliation_en) {
            (crate::Lang::En, Some(affiliation)) => Some(affiliation),
            _ => self.affiliation.as_deref(),
        }
    }
}

/// The role a person plays in an article's credit chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditRole {
    /// 作者
    Author,
    /// 编辑
    Editor,
    /// 统筹
    Coordinator,
    /// 责编: the one who signed the article off.
    ResponsibleEditor,
}

impl CreditRole {
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        match text {
            "author" => Ok(Self::Author),
            "editor" => Ok(Self::Editor),
            "coordinator" => Ok(Self::Coordinator),
            "responsible_editor" => Ok(Self::ResponsibleEditor),
            other => Err(ParseError::CreditRole(other.to_owned())),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Author => "author",
            Self::Editor => "editor",
            Self::Coordinator => "coordinator",
            Self::ResponsibleEditor => "responsible_editor",
        }
    }
}

/// One line of the credit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Credit {
    pub role: CreditRole,
    pub person: Person,
}

/// An article's whole credit chain, grouped by role, in credit order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Credits {
    pub authors: Vec<Person>,
    pub editors: Vec<Person>,
    pub coordinators: Vec<Person>,
    pub responsible_editor: Option<Person>,
}

impl Credits {
    /// Groups credits given in order. A second responsible editor is a
    /// data error upstream; the first one listed is the one who signed off.
    pub fn from_ordered(credits: impl IntoIterator<Item = Credit>) -> Self {
        let mut out = Credits::default();
        for credit in credits {
            match credit.role {
                CreditRole::Author => out.authors.push(credit.person),
                CreditRole::Editor => out.editors.push(credit.person),
                CreditRole::Coordinator => out.coordinators.push(credit.person),
                CreditRole::ResponsibleEditor => {
                    out.responsible_editor.get_or_insert(credit.person);
                }
            }
        }
        out
    }
}
