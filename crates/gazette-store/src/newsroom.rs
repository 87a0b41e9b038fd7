//! The newsroom area of the store: articles as the back office works on
//! them. Every save is a revision kept whole (the engine's draft as JSON);
//! the article row is what readers see, and for an article that was never
//! published it is its latest revision. A save names the revision it was
//! based on: if another save came first, it is a conflict, and nothing is
//! lost. Also the worklist (the back office's filtered list), the byline
//! person of each account, preview links and the one-time conversion of
//! Markdown bodies.

use crate::{NewArticle, NewPerson, Result};
use async_trait::async_trait;
use gazette_core::{ArticleStatus, Lang, Person};

/// Why a revision was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevisionKind {
    /// The first save of a new article.
    Create,
    /// A save by hand.
    Save,
    /// A save the editor made on its own while the author typed.
    Autosave,
    /// An older revision brought back as the newest.
    Restore,
    /// Edits the final signer made as part of signing off: they do not
    /// void the lower levels' approvals.
    SignOff,
}

impl RevisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RevisionKind::Create => "create",
            RevisionKind::Save => "save",
            RevisionKind::Autosave => "autosave",
            RevisionKind::Restore => "restore",
            RevisionKind::SignOff => "signoff",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Self> {
        Ok(match text {
            "create" => RevisionKind::Create,
            "save" => RevisionKind::Save,
            "autosave" => RevisionKind::Autosave,
            "restore" => RevisionKind::Restore,
            "signoff" => RevisionKind::SignOff,
            other => {
                return Err(crate::StoreError::Corrupt(format!(
                    "unknown revision kind {other:?}"
                )));
            }
        })
    }
}

/// A revision to add.
#[derive(Debug, Clone)]
pub struct NewRevision {
    pub created_at: i64,
    pub account_id: Option<i64>,
    /// Who saved it, as named then.
    pub actor: String,
    pub kind: RevisionKind,
    pub title: String,
    /// The whole editable article (JSON).
    pub content: String,
}

/// A revision without its content, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionMeta {
    pub id: i64,
    pub article_id: i64,
    pub created_at: i64,
    pub account_id: Option<i64>,
    pub actor: String,
    pub kind: RevisionKind,
    pub title: String,
}

/// A revision with its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub meta: RevisionMeta,
    pub content: String,
}

/// What a save came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    /// The new revision's id.
    Saved(i64),
    /// Another save came first: the article's latest revision is `head`.
    Conflict { head: Option<i64> },
}

/// What the back office needs to know of an article before touching it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleHead {
    pub id: i64,
    pub status: ArticleStatus,
    pub created_by: Option<i64>,
    pub head_revision: Option<i64>,
    pub updated_at: i64,
    /// Where the latest revision is in review.
    pub review_state: crate::review::ReviewState,
    /// The review round its steps belong to (see `review`).
    pub review_round: i64,
    /// The revision readers see, once one was published.
    pub live_revision: Option<i64>,
}

/// One line of the worklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    pub id: i64,
    pub lang: Lang,
    pub title: String,
    pub status: ArticleStatus,
    pub channel_id: i64,
    pub updated_at: i64,
    pub published_at: i64,
    pub created_by: Option<i64>,
    pub review_state: crate::review::ReviewState,
}

/// A term of the newsroom's proofreading list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleTerm {
    pub id: i64,
    pub term: String,
    /// To avoid (a style rule), rather than to check (a risk).
    pub avoid: bool,
    pub note: String,
}

/// Which articles the worklist shows, newest change first.
#[derive(Debug, Clone, Default)]
pub struct WorkFilter {
    pub status: Option<ArticleStatus>,
    /// Where the latest revision is in review.
    pub review_state: Option<crate::review::ReviewState>,
    /// A channel and the channels below it.
    pub channel_id: Option<i64>,
    /// Articles crediting this person as an author.
    pub author_person_id: Option<i64>,
    /// Last changed at or after this time...
    pub changed_from: Option<i64>,
    /// ...and before this one.
    pub changed_before: Option<i64>,
    /// Text the title contains (any case).
    pub title: Option<String>,
    /// Only articles this account started or is credited as an author of
    /// (through its byline person): what an author may see.
    pub only_for: Option<(i64, Option<i64>)>,
    /// Strictly after this (updated_at, id) in the list's order.
    pub after: Option<(i64, i64)>,
    /// Only these articles (what a search found).
    pub ids: Option<Vec<i64>>,
}

#[async_trait]
pub trait NewsroomStore: Send + Sync {
    /// The byline person of an account, if it has one.
    async fn account_person(&self, account_id: i64) -> Result<Option<i64>>;
    /// The account's byline person, created from `person` if it has none
    /// yet (two calls at once end with one person).
    async fn ensure_account_person(&self, account_id: i64, person: &NewPerson) -> Result<i64>;
    async fn people_by_ids(&self, ids: &[i64]) -> Result<Vec<Person>>;
    /// A person by name in either language: staff members' byline people
    /// first, then one with the same affiliation, then the oldest.
    async fn person_named(&self, name: &str, affiliation: Option<&str>) -> Result<Option<Person>>;
    /// Whether a slug is free for a new person.
    async fn person_slug_taken(&self, slug: &str) -> Result<bool>;

    /// A new article (a draft) and its first revision, in one transaction.
    async fn create_draft(
        &self,
        article: &NewArticle,
        created_by: Option<i64>,
        revision: &NewRevision,
    ) -> Result<(i64, i64)>;
    /// Adds a revision if the article's latest revision is still `base`;
    /// with `apply`, the article row takes its content in the same
    /// transaction (drafts: the row is the latest revision). A save starts
    /// a new review round: approvals given so far are void, and an article
    /// that was signed off goes back to review.
    async fn save_revision(
        &self,
        article_id: i64,
        base: Option<i64>,
        revision: &NewRevision,
        apply: Option<&NewArticle>,
    ) -> Result<SaveOutcome>;
    async fn article_head(&self, id: i64) -> Result<ArticleHead>;
    /// An article's revisions, newest first.
    async fn revisions(&self, article_id: i64) -> Result<Vec<RevisionMeta>>;
    async fn revision(&self, id: i64) -> Result<Revision>;
    /// The translation group of an article, given one if it has none (its
    /// own id, negated: unique, and apart from imported group numbers).
    async fn translation_group_for(&self, article_id: i64) -> Result<i64>;
    /// Whether `person_id` is credited as an author of the article.
    async fn is_credited_author(&self, article_id: i64, person_id: i64) -> Result<bool>;
    async fn worklist(&self, filter: &WorkFilter, limit: i64) -> Result<Vec<WorkItem>>;
    /// The authors of several articles: (article, person), in credit order.
    async fn authors_of(&self, article_ids: &[i64]) -> Result<Vec<(i64, Person)>>;

    async fn create_preview_link(
        &self,
        token_hash: &[u8],
        article_id: i64,
        created_by: Option<i64>,
        now: i64,
        expires_at: i64,
    ) -> Result<()>;
    /// The article an open (unexpired, unrevoked) preview link shows.
    async fn preview_link(&self, token_hash: &[u8], now: i64) -> Result<Option<i64>>;
    /// How many open preview links an article has.
    async fn open_preview_links(&self, article_id: i64, now: i64) -> Result<i64>;
    /// Revokes every open preview link of an article.
    async fn revoke_preview_links(&self, article_id: i64, now: i64) -> Result<u64>;

    /// The proofreading term list, by term.
    async fn style_terms(&self) -> Result<Vec<StyleTerm>>;
    /// A new term; one already listed is a `Conflict`.
    async fn add_style_term(
        &self,
        term: &str,
        avoid: bool,
        note: &str,
        created_by: Option<i64>,
        now: i64,
    ) -> Result<i64>;
    /// Removes a term; false if there was none with that id.
    async fn delete_style_term(&self, id: i64) -> Result<bool>;

    /// Up to `limit` articles whose body is still Markdown: (id, body).
    async fn markdown_bodies(&self, limit: i64) -> Result<Vec<(i64, String)>>;
    /// Replaces a Markdown body by its HTML, if it is still Markdown.
    async fn set_html_body(&self, id: i64, html: &str) -> Result<()>;
}
