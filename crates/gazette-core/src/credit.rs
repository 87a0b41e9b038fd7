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
    /// 责编: the one who signed the article off. Pages take it from the
    /// sign-off ([`Signer`]); as a credit given to the store (the demo,
    /// imports) it records a sign-off by that person.
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
    /// 责编: who signed the published revision off.
    pub responsible_editor: Option<Signer>,
}

/// Who signed an article off (责编), as their names were when they did:
/// a snapshot, kept if the account is later renamed or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signer {
    pub name: String,
    /// The name on English pages, when there is one.
    pub name_en: Option<String>,
    /// Their byline page, while they have one.
    pub slug: Option<Slug>,
}

impl Signer {
    /// The name shown on pages in `lang`.
    pub fn name_in(&self, lang: crate::Lang) -> &str {
        match (lang, &self.name_en) {
            (crate::Lang::En, Some(name)) if !name.is_empty() => name,
            _ => &self.name,
        }
    }
}

impl Credits {
    /// Groups credits given in order. The responsible editor is not a
    /// credit but a sign-off (see [`Signer`]); such a credit is ignored.
    pub fn from_ordered(credits: impl IntoIterator<Item = Credit>) -> Self {
        let mut out = Credits::default();
        for credit in credits {
            match credit.role {
                CreditRole::Author => out.authors.push(credit.person),
                CreditRole::Editor => out.editors.push(credit.person),
                CreditRole::Coordinator => out.coordinators.push(credit.person),
                CreditRole::ResponsibleEditor => {}
            }
        }
        out
    }
}
