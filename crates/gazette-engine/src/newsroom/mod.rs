//! The newsroom service: articles as staff write them. Drafts, revisions
//! (every save, kept whole), conflicts between two saves, comparing and
//! restoring revisions, previews and preview links, and the worklist. Every
//! call checks the permission table (`staff/permissions.rs`) and the
//! author rule: an author sees and edits only the articles they started or
//! are credited as an author of.
//!
//! What a browser sends is a [`DraftForm`] of raw strings; [`Newsroom`]
//! cleans it into an [`ArticleDraft`] (plain text trimmed, the body
//! sanitised by `gazette_render::body`, people resolved or created,
//! channel, topic, cover and translation checked), whoever sends it.

pub mod diff;
pub mod draft;
pub mod proofread;
pub mod publishing;
pub mod review;

use crate::EngineError;
use crate::staff::{Action, Actor, permissions, secrets};
use draft::{ArticleDraft, CoverDraft, CreditLine, FieldProblem, clean_line, clean_text};
use gazette_core::{
    Article, ArticleStatus, ArticleSummary, Clock, Cover, Credits, Lang, Person, Slug, Tag,
};
use gazette_store::accounts::Account;
pub use gazette_store::newsroom::{ArticleHead, RevisionKind, RevisionMeta, StyleTerm, WorkItem};
use gazette_store::newsroom::{NewRevision, SaveOutcome, WorkFilter};
use gazette_store::{NewArticle, NewCover, NewPerson, Store, StoreError};
use std::sync::Arc;

/// Lines of the worklist per page.
pub const WORKLIST_PAGE: i64 = 50;
/// Preview links work this long.
pub const PREVIEW_LINK_LIFETIME: i64 = 7 * 86_400;

/// A credit row as typed: a name and an affiliation, and the person it
/// named when the form was made (kept if the name is unchanged).
#[derive(Debug, Clone, Default)]
pub struct CreditInput {
    pub person_id: Option<i64>,
    pub name: String,
    pub affiliation: String,
}

/// An article's fields as a browser sent them.
#[derive(Debug, Clone, Default)]
pub struct DraftForm {
    pub lang: String,
    pub title: String,
    pub kicker: String,
    pub subtitle: String,
    pub summary: String,
    pub body: String,
    pub source: String,
    pub slug: String,
    pub channel_id: String,
    pub topic_id: String,
    pub translation_of: String,
    /// Comma- or 、-separated.
    pub tags: String,
    pub authors: Vec<CreditInput>,
    pub editors: Vec<CreditInput>,
    pub coordinators: Vec<CreditInput>,
    pub cover_media_id: String,
    pub cover_alt: String,
    pub cover_caption: String,
    pub cover_credit: String,
    /// `gallery` for a photo gallery (组图), else a story.
    pub kind: String,
}

/// An article opened for editing: where it stands and its latest content.
#[derive(Debug, Clone)]
pub struct Opened {
    pub head: ArticleHead,
    pub draft: ArticleDraft,
}

/// What a save came to.
#[derive(Debug)]
pub enum Saved {
    /// The new revision.
    Saved { article_id: i64, revision: i64 },
    /// Someone saved first: their version (the latest), and ours, cleaned,
    /// so that nothing is lost.
    Conflict {
        theirs: Box<ArticleDraft>,
        head: Option<i64>,
        ours: Box<ArticleDraft>,
    },
    /// Fields to fix, with what was sent (cleaned where it could be).
    Invalid {
        problems: Vec<FieldProblem>,
        draft: Box<ArticleDraft>,
    },
}

/// A worklist line: the article and its authors' names.
#[derive(Debug, Clone)]
pub struct WorkLine {
    pub item: WorkItem,
    pub authors: Vec<Person>,
}

/// What the worklist may be filtered by.
#[derive(Debug, Clone, Default)]
pub struct WorkQuery {
    pub status: Option<ArticleStatus>,
    pub review_state: Option<review::ReviewState>,
    pub channel_id: Option<i64>,
    pub author_person_id: Option<i64>,
    pub changed_from: Option<i64>,
    pub changed_before: Option<i64>,
    pub title: Option<String>,
    pub after: Option<(i64, i64)>,
}

pub struct Newsroom {
    store: Arc<dyn Store>,
    clock: Clock,
    base_url: String,
    /// The node's search index: the worklist's search box.
    search: Arc<crate::search::SiteSearch>,
}

fn account<'a>(actor: &Actor<'a>) -> Result<&'a Account, EngineError> {
    actor
        .account
        .ok_or_else(|| EngineError::Forbidden("sign in to write".into()))
}

fn cleaned_optional(text: &str) -> Option<String> {
    Some(clean_line(text)).filter(|t| !t.is_empty())
}

/// `12` → Some(12), empty → None, anything else a problem.
fn optional_id(text: &str) -> Result<Option<i64>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>().map(Some).map_err(|_| ())
}

impl Newsroom {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Clock,
        base_url: &str,
        search: Arc<crate::search::SiteSearch>,
    ) -> Self {
        Newsroom {
            store,
            clock,
            base_url: base_url.trim_end_matches('/').to_owned(),
            search,
        }
    }

    fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The channel tree's channels, for the form's choices.
    pub async fn channels(&self) -> Result<Vec<gazette_core::Channel>, EngineError> {
        Ok(self.store.channels().await?)
    }

    /// The special topics, for the form's choices.
    pub async fn topics(&self) -> Result<Vec<gazette_core::Topic>, EngineError> {
        Ok(self.store.topics().await?)
    }

    /// The byline person of an account, made from its names on first need.
    pub async fn person_of(&self, account: &Account) -> Result<i64, EngineError> {
        if let Some(id) = self.store.account_person(account.id).await? {
            return Ok(id);
        }
        let slug = self
            .free_slug(&account.name_en, &format!("staff-{}", account.id))
            .await?;
        let differs = |en: &Option<String>, zh: &Option<String>| {
            en.clone().filter(|e| Some(e) != zh.as_ref())
        };
        Ok(self
            .store
            .ensure_account_person(
                account.id,
                &NewPerson {
                    slug,
                    name: account.name_zh.clone(),
                    affiliation: account.affiliation_zh.clone(),
                    name_en: Some(account.name_en.clone()).filter(|e| e != &account.name_zh),
                    affiliation_en: differs(&account.affiliation_en, &account.affiliation_zh),
                },
            )
            .await?)
    }

    /// A slug for a new person: from the English name if it has ASCII
    /// words, else `fallback`; numbered if taken.
    async fn free_slug(&self, name_en: &str, fallback: &str) -> Result<Slug, EngineError> {
        let base = draft::slug_from(name_en);
        let base = if base.as_str() != "article" {
            base.as_str().to_owned()
        } else {
            fallback.to_owned()
        };
        // A few numbered tries, then a random name: the lookups stay few.
        for n in 1..6 {
            if base.is_empty() {
                break;
            }
            let candidate = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            let slug = Slug::parse(&candidate)
                .map_err(|e| EngineError::BadRequest(format!("slug: {e}")))?;
            if !self.store.person_slug_taken(slug.as_str()).await? {
                return Ok(slug);
            }
        }
        let random = secrets::new_secret()?;
        Slug::parse(&format!("p-{}", &random[..10].to_ascii_lowercase()))
            .map_err(|e| EngineError::BadRequest(format!("slug: {e}")))
    }

    /// Whether the member may open and edit this article: editors and above
    /// any, an author only their own and those they are credited on.
    async fn may_edit(&self, account: &Account, head: &ArticleHead) -> Result<bool, EngineError> {
        if permissions::allowed(account.role, Action::EditOthersArticles) {
            return Ok(true);
        }
        if head.created_by == Some(account.id) {
            return Ok(true);
        }
        match self.store.account_person(account.id).await? {
            Some(person) => Ok(self.store.is_credited_author(head.id, person).await?),
            None => Ok(false),
        }
    }

    /// The article's head, if the member may edit it; else 403 (and 404
    /// for an article that does not exist).
    async fn editable(&self, actor: &Actor<'_>, id: i64) -> Result<ArticleHead, EngineError> {
        let account = account(actor)?;
        let head = match self.store.article_head(id).await {
            Err(StoreError::NotFound) => {
                return Err(EngineError::NotFound(format!("no article {id}")));
            }
            other => other?,
        };
        if !self.may_edit(account, &head).await? {
            return Err(EngineError::Forbidden(format!(
                "article {id} is neither yours nor one you are credited on"
            )));
        }
        Ok(head)
    }

    /// The worklist, newest change first; authors see only their own.
    pub async fn worklist(
        &self,
        actor: &Actor<'_>,
        query: &WorkQuery,
    ) -> Result<Vec<WorkLine>, EngineError> {
        let account = account(actor)?;
        let only_for = if permissions::allowed(account.role, Action::EditOthersArticles) {
            None
        } else {
            Some((account.id, self.store.account_person(account.id).await?))
        };
        let mut filter = WorkFilter {
            status: query.status,
            review_state: query.review_state,
            channel_id: query.channel_id,
            author_person_id: query.author_person_id,
            changed_from: query.changed_from,
            changed_before: query.changed_before,
            title: None,
            only_for,
            after: query.after,
            ids: None,
        };
        // Words to look for: the search engine's best matches (drafts too,
        // within what this member may see), narrowed by the other filters
        // and kept in the engine's order; one page of them.
        let ranked = match query.title.as_deref() {
            Some(words) => {
                // The status and channel go to the engine too, so that its
                // best matches are among the articles asked for.
                let channels = match query.channel_id {
                    Some(channel) => gazette_core::ChannelTree::new(self.store.channels().await?)
                        .subtree(channel)
                        .into_iter()
                        .map(|id| id as u64)
                        .collect(),
                    None => Vec::new(),
                };
                let found = self
                    .search
                    .search(gazette_search::Request {
                        query: words.to_owned(),
                        scope: gazette_search::Scope::Staff {
                            status: query.status.map(|s| s.code().to_owned()),
                            only_for: only_for.map(|(a, p)| (a as u64, p.map(|p| p as u64))),
                        },
                        filters: gazette_search::Filters {
                            channels,
                            ..gazette_search::Filters::default()
                        },
                        after: None,
                        per_page: gazette_search::MOST_PER_PAGE,
                        now: self.now(),
                    })
                    .await?;
                let ids: Vec<i64> = found.hits.iter().map(|h| h.id as i64).collect();
                filter.ids = Some(ids.clone());
                filter.after = None;
                Some(ids)
            }
            None => None,
        };
        let mut items = self.store.worklist(&filter, WORKLIST_PAGE).await?;
        if let Some(order) = ranked {
            items.sort_by_key(|item| order.iter().position(|id| *id == item.id));
        }
        let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
        let mut authors = self.store.authors_of(&ids).await?;
        Ok(items
            .into_iter()
            .map(|item| {
                let mine = authors
                    .iter()
                    .filter(|(article, _)| *article == item.id)
                    .map(|(_, p)| p.clone())
                    .collect();
                authors.retain(|(article, _)| *article != item.id);
                WorkLine {
                    item,
                    authors: mine,
                }
            })
            .collect())
    }

    /// A new article's fields before anything is typed: the member as its
    /// author, in their language, in the first channel.
    pub async fn blank(&self, actor: &Actor<'_>) -> Result<ArticleDraft, EngineError> {
        let account = account(actor)?;
        let person = self.person_of(account).await?;
        let channel_id = self
            .store
            .channels()
            .await?
            .first()
            .map(|c| c.id)
            .ok_or_else(|| EngineError::BadRequest("the site has no channel yet".into()))?;
        Ok(ArticleDraft {
            lang: account.lang,
            title: String::new(),
            kicker: String::new(),
            subtitle: String::new(),
            summary: String::new(),
            body: String::new(),
            source: String::new(),
            slug: draft::slug_from(""),
            channel_id,
            topic_id: None,
            translation_of: None,
            tags: Vec::new(),
            authors: vec![CreditLine {
                person_id: person,
                name: account.name_zh.clone(),
                affiliation: account.affiliation_zh.clone(),
            }],
            editors: Vec::new(),
            coordinators: Vec::new(),
            cover: None,
            gallery: false,
        })
    }

    /// Starts an article: its first revision, as a draft.
    pub async fn create(&self, actor: &Actor<'_>, form: &DraftForm) -> Result<Saved, EngineError> {
        let account = account(actor)?;
        let draft = match self.clean(account, form).await? {
            Ok(draft) => draft,
            Err(invalid) => return Ok(invalid),
        };
        let now = self.now();
        let revision = self.revision(account, RevisionKind::Create, &draft, now);
        let article = self
            .new_article(&draft, ArticleStatus::Draft, now, now)
            .await?;
        let (id, revision_id) = self
            .store
            .create_draft(&article, Some(account.id), &revision)
            .await?;
        self.audit(actor, "article_created", id, revision_id, &draft.title)
            .await?;
        Ok(Saved::Saved {
            article_id: id,
            revision: revision_id,
        })
    }

    /// Opens an article: its latest revision, or (an article from before
    /// the back office, or imported) its row as a draft.
    pub async fn open(&self, actor: &Actor<'_>, id: i64) -> Result<Opened, EngineError> {
        let head = self.editable(actor, id).await?;
        let draft = match head.head_revision {
            Some(revision) => {
                ArticleDraft::from_json(&self.store.revision(revision).await?.content)?
            }
            None => self.draft_of_row(id).await?,
        };
        Ok(Opened { head, draft })
    }

    /// Saves a new revision on top of `base` (the revision the form was
    /// made from). A draft's row takes the content at once; a published
    /// article keeps serving what was published until the new revision is.
    pub async fn save(
        &self,
        actor: &Actor<'_>,
        id: i64,
        base: Option<i64>,
        form: &DraftForm,
        kind: RevisionKind,
    ) -> Result<Saved, EngineError> {
        let account = account(actor)?;
        let head = self.editable(actor, id).await?;
        let draft = match self.clean(account, form).await? {
            Ok(draft) => draft,
            Err(invalid) => return Ok(invalid),
        };
        self.save_draft(actor, account, &head, base, draft, kind)
            .await
    }

    async fn save_draft(
        &self,
        actor: &Actor<'_>,
        account: &Account,
        head: &ArticleHead,
        base: Option<i64>,
        draft: ArticleDraft,
        kind: RevisionKind,
    ) -> Result<Saved, EngineError> {
        let now = self.now();
        let revision = self.revision(account, kind, &draft, now);
        let apply = if head.status == ArticleStatus::Draft {
            Some(
                self.new_article(&draft, ArticleStatus::Draft, now, now)
                    .await?,
            )
        } else {
            None
        };
        match self
            .store
            .save_revision(head.id, base, &revision, apply.as_ref())
            .await?
        {
            SaveOutcome::Saved(revision_id) => {
                // Autosaves are many and say nothing new: the log keeps saves.
                if kind != RevisionKind::Autosave {
                    let action = match kind {
                        RevisionKind::Restore => "revision_restored",
                        _ => "article_saved",
                    };
                    self.audit(actor, action, head.id, revision_id, &draft.title)
                        .await?;
                }
                Ok(Saved::Saved {
                    article_id: head.id,
                    revision: revision_id,
                })
            }
            SaveOutcome::Conflict { head: latest } => {
                let theirs = match latest {
                    Some(r) => ArticleDraft::from_json(&self.store.revision(r).await?.content)?,
                    None => self.draft_of_row(head.id).await?,
                };
                Ok(Saved::Conflict {
                    theirs: Box::new(theirs),
                    head: latest,
                    ours: Box::new(draft),
                })
            }
        }
    }

    /// An article's revisions, newest first.
    pub async fn revisions(
        &self,
        actor: &Actor<'_>,
        id: i64,
    ) -> Result<Vec<RevisionMeta>, EngineError> {
        self.editable(actor, id).await?;
        Ok(self.store.revisions(id).await?)
    }

    /// One revision of an article the member may edit.
    pub async fn revision_of(
        &self,
        actor: &Actor<'_>,
        id: i64,
        revision: i64,
    ) -> Result<(RevisionMeta, ArticleDraft), EngineError> {
        self.editable(actor, id).await?;
        let stored = match self.store.revision(revision).await {
            Err(StoreError::NotFound) => None,
            other => Some(other?),
        };
        match stored {
            Some(r) if r.meta.article_id == id => {
                let draft = ArticleDraft::from_json(&r.content)?;
                Ok((r.meta, draft))
            }
            _ => Err(EngineError::NotFound(format!(
                "article {id} has no revision {revision}"
            ))),
        }
    }

    /// Brings an old revision back as the newest (nothing is overwritten).
    pub async fn restore(
        &self,
        actor: &Actor<'_>,
        id: i64,
        revision: i64,
        base: Option<i64>,
    ) -> Result<Saved, EngineError> {
        let account = account(actor)?;
        let (_, draft) = self.revision_of(actor, id, revision).await?;
        let head = self.editable(actor, id).await?;
        self.save_draft(actor, account, &head, base, draft, RevisionKind::Restore)
            .await
    }

    /// The latest revision as the page would show it.
    pub async fn preview(&self, actor: &Actor<'_>, id: i64) -> Result<Article, EngineError> {
        let opened = self.open(actor, id).await?;
        self.as_article(&opened.head, &opened.draft).await
    }

    /// A link that shows the latest revision to someone without an account,
    /// for [`PREVIEW_LINK_LIFETIME`]; kept as a hash. Shown once.
    pub async fn create_preview_link(
        &self,
        actor: &Actor<'_>,
        id: i64,
    ) -> Result<String, EngineError> {
        let account = account(actor)?;
        self.editable(actor, id).await?;
        let secret = secrets::new_secret()?;
        let now = self.now();
        self.store
            .create_preview_link(
                &secrets::stored_hash(&secret),
                id,
                Some(account.id),
                now,
                now + PREVIEW_LINK_LIFETIME,
            )
            .await?;
        self.audit(actor, "preview_link_made", id, 0, "").await?;
        Ok(format!("{}/preview/{secret}", self.base_url))
    }

    pub async fn open_preview_links(&self, actor: &Actor<'_>, id: i64) -> Result<i64, EngineError> {
        self.editable(actor, id).await?;
        Ok(self.store.open_preview_links(id, self.now()).await?)
    }

    /// Ends every open preview link of an article.
    pub async fn revoke_preview_links(
        &self,
        actor: &Actor<'_>,
        id: i64,
    ) -> Result<u64, EngineError> {
        self.editable(actor, id).await?;
        let revoked = self.store.revoke_preview_links(id, self.now()).await?;
        self.audit(actor, "preview_links_revoked", id, 0, "")
            .await?;
        Ok(revoked)
    }

    /// What a preview link shows, if it is open.
    pub async fn preview_by_link(&self, secret: &str) -> Result<Option<Article>, EngineError> {
        if !secrets::is_secret(secret) {
            return Ok(None);
        }
        let Some(id) = self
            .store
            .preview_link(&secrets::stored_hash(secret), self.now())
            .await?
        else {
            return Ok(None);
        };
        let head = self.store.article_head(id).await?;
        let draft = match head.head_revision {
            Some(r) => ArticleDraft::from_json(&self.store.revision(r).await?.content)?,
            None => self.draft_of_row(id).await?,
        };
        Ok(Some(self.as_article(&head, &draft).await?))
    }

    /// What a copy editor would circle in a draft (see `proofread.rs`),
    /// field by field, with the newsroom's term list.
    pub async fn proofread(
        &self,
        draft: &ArticleDraft,
    ) -> Result<Vec<proofread::Finding>, EngineError> {
        let terms = proofread::TermMatcher::new(
            self.store
                .style_terms()
                .await?
                .into_iter()
                .map(|t| proofread::Term {
                    term: t.term,
                    avoid: t.avoid,
                    note: t.note,
                })
                .collect(),
        );
        let draft = draft.clone();
        // A long body takes a while to segment and scan: off the async threads.
        tokio::task::spawn_blocking(move || {
            let body = gazette_render::body::plain_text(&draft.body);
            let caption = draft
                .cover
                .as_ref()
                .and_then(|c| c.caption.clone())
                .unwrap_or_default();
            let fields: [(&'static str, &str); 7] = [
                ("title", &draft.title),
                ("kicker", &draft.kicker),
                ("subtitle", &draft.subtitle),
                ("summary", &draft.summary),
                ("body", &body),
                ("source", &draft.source),
                ("cover_caption", &caption),
            ];
            fields
                .into_iter()
                .flat_map(|(field, text)| proofread::check(field, text, &terms))
                .collect()
        })
        .await
        .map_err(|e| EngineError::BadRequest(format!("proofreading stopped: {e}")))
    }

    /// The proofreading term list (every member may read it).
    pub async fn terms(&self, actor: &Actor<'_>) -> Result<Vec<StyleTerm>, EngineError> {
        account(actor)?;
        Ok(self.store.style_terms().await?)
    }

    fn require_terms(&self, actor: &Actor<'_>) -> Result<(), EngineError> {
        if permissions::allowed(account(actor)?.role, Action::ManageTerms) {
            Ok(())
        } else {
            Err(EngineError::Forbidden(
                "only editors and above change the term list".into(),
            ))
        }
    }

    /// Adds a term; `Ok(Err(key))` says what is wrong with it.
    pub async fn add_term(
        &self,
        actor: &Actor<'_>,
        term: &str,
        avoid: bool,
        note: &str,
    ) -> Result<Result<(), &'static str>, EngineError> {
        self.require_terms(actor)?;
        let term = clean_line(term);
        let note = clean_line(note);
        if term.is_empty() || term.chars().count() > 50 || note.chars().count() > 200 {
            return Ok(Err("term_bad"));
        }
        // The list matches Latin letters in any case: one entry per term.
        let listed = self.store.style_terms().await?;
        if listed
            .iter()
            .any(|t| t.term.to_lowercase() == term.to_lowercase())
        {
            return Ok(Err("term_exists"));
        }
        let by = actor.account.map(|a| a.id);
        match self
            .store
            .add_style_term(&term, avoid, &note, by, self.now())
            .await
        {
            Ok(id) => {
                let what = if avoid { "avoid" } else { "check" };
                self.record(
                    actor,
                    "term_added",
                    &format!("term {id}"),
                    &format!("{what}: {term} ({note})"),
                )
                .await?;
                Ok(Ok(()))
            }
            Err(StoreError::Conflict(_)) => Ok(Err("term_exists")),
            Err(other) => Err(other.into()),
        }
    }

    pub async fn delete_term(&self, actor: &Actor<'_>, id: i64) -> Result<(), EngineError> {
        self.require_terms(actor)?;
        let term = self
            .store
            .style_terms()
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| EngineError::NotFound(format!("no term {id}")))?;
        self.store.delete_style_term(id).await?;
        self.record(actor, "term_removed", &format!("term {id}"), &term.term)
            .await
    }

    /// Converts bodies still in Markdown (content from before the editor)
    /// to body HTML, a batch at a time. Returns how many were converted.
    pub async fn convert_markdown_bodies(&self) -> Result<usize, EngineError> {
        let mut converted = 0;
        loop {
            let batch = self.store.markdown_bodies(200).await?;
            if batch.is_empty() {
                return Ok(converted);
            }
            for (id, markdown) in batch {
                let html = gazette_render::body::from_markdown(&markdown);
                self.store.set_html_body(id, &html).await?;
                converted += 1;
            }
        }
    }

    /// Records an action on an article, with the revision concerned.
    async fn audit(
        &self,
        actor: &Actor<'_>,
        action: &str,
        article: i64,
        revision: i64,
        title: &str,
    ) -> Result<(), EngineError> {
        let detail = if revision > 0 {
            format!("revision {revision}: {title}")
        } else {
            title.to_owned()
        };
        self.record(actor, action, &format!("article {article}"), &detail)
            .await
    }

    /// Records a staff action in the audit log.
    async fn record(
        &self,
        actor: &Actor<'_>,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), EngineError> {
        crate::staff::record(
            self.store.as_ref(),
            self.now(),
            actor,
            action,
            subject,
            detail,
        )
        .await
    }

    fn revision(
        &self,
        account: &Account,
        kind: RevisionKind,
        draft: &ArticleDraft,
        now: i64,
    ) -> NewRevision {
        NewRevision {
            created_at: now,
            account_id: Some(account.id),
            actor: account.name_zh.clone(),
            kind,
            title: draft.title.clone(),
            content: draft.to_json(),
        }
    }

    /// What the store keeps of a draft in the article row.
    async fn new_article(
        &self,
        draft: &ArticleDraft,
        status: ArticleStatus,
        published_at: i64,
        now: i64,
    ) -> Result<NewArticle, EngineError> {
        let translation_group = match draft.translation_of {
            Some(other) => Some(self.store.translation_group_for(other).await?),
            None => None,
        };
        Ok(NewArticle {
            lang: draft.lang,
            slug: draft.slug.clone(),
            channel_id: draft.channel_id,
            topic_id: draft.topic_id,
            translation_group,
            status,
            title: draft.title.clone(),
            kicker: Some(draft.kicker.clone()).filter(|k| !k.is_empty()),
            subtitle: Some(draft.subtitle.clone()).filter(|k| !k.is_empty()),
            gallery: draft.gallery,
            summary: draft.summary.clone(),
            body: draft.body.clone(),
            source: Some(draft.source.clone()).filter(|k| !k.is_empty()),
            published_at,
            updated_at: now,
            cover: draft.cover.as_ref().map(|c| NewCover {
                media_id: c.media_id,
                alt: c.alt.clone(),
                caption: c.caption.clone(),
                credit: c.credit.clone(),
            }),
            credits: draft.credits(),
            tags: draft.tags.clone(),
        })
    }

    /// An article row as a draft (articles with no revision yet).
    async fn draft_of_row(&self, id: i64) -> Result<ArticleDraft, EngineError> {
        let article = self.store.article(id).await?;
        let line = |p: &Person| CreditLine {
            person_id: p.id,
            name: p.name.clone(),
            affiliation: p.affiliation.clone(),
        };
        let summary = &article.summary;
        Ok(ArticleDraft {
            lang: summary.lang,
            title: summary.title.clone(),
            kicker: summary.kicker.clone().unwrap_or_default(),
            subtitle: article.subtitle.clone().unwrap_or_default(),
            summary: summary.summary.clone(),
            body: gazette_render::body::sanitize(&article.body),
            source: article.source.clone().unwrap_or_default(),
            slug: summary.slug.clone(),
            channel_id: summary.channel_id,
            topic_id: article.topic_id,
            translation_of: None,
            tags: article.tags.clone(),
            authors: article.credits.authors.iter().map(line).collect(),
            editors: article.credits.editors.iter().map(line).collect(),
            coordinators: article.credits.coordinators.iter().map(line).collect(),
            cover: summary.cover.as_ref().map(|c| CoverDraft {
                media_id: c.media_id,
                alt: c.alt.clone(),
                caption: c.caption.clone(),
                credit: c.credit.clone(),
            }),
            gallery: article.gallery,
        })
    }

    /// A draft as the article page would show it (for previews): the
    /// people and the cover looked up, the signed-off credit kept.
    async fn as_article(
        &self,
        head: &ArticleHead,
        draft: &ArticleDraft,
    ) -> Result<Article, EngineError> {
        let live = self.store.article(head.id).await?;
        let ids: Vec<i64> = draft.credits().iter().map(|(_, id)| *id).collect();
        let people = self.store.people_by_ids(&ids).await?;
        let find = |line: &CreditLine| people.iter().find(|p| p.id == line.person_id).cloned();
        let cover = match &draft.cover {
            Some(c) => {
                let media = self.store.media(c.media_id).await?;
                Some(Cover {
                    media_id: c.media_id,
                    alt: c.alt.clone(),
                    caption: c.caption.clone(),
                    credit: c.credit.clone(),
                    width: media.width,
                    height: media.height,
                    extension: media.extension,
                })
            }
            None => None,
        };
        let published_at = if live.status == ArticleStatus::Draft {
            self.now()
        } else {
            live.summary.published_at
        };
        Ok(Article {
            summary: ArticleSummary {
                id: head.id,
                lang: draft.lang,
                slug: draft.slug.clone(),
                channel_id: draft.channel_id,
                title: draft.title.clone(),
                kicker: Some(draft.kicker.clone()).filter(|k| !k.is_empty()),
                summary: draft.summary.clone(),
                published_at,
                cover,
            },
            subtitle: Some(draft.subtitle.clone()).filter(|k| !k.is_empty()),
            gallery: draft.gallery,
            body: draft.body.clone(),
            source: Some(draft.source.clone()).filter(|k| !k.is_empty()),
            updated_at: self.now(),
            status: ArticleStatus::Published,
            retraction_note: None,
            topic_id: draft.topic_id,
            translation_group: live.translation_group,
            credits: Credits {
                authors: draft.authors.iter().filter_map(find).collect(),
                editors: draft.editors.iter().filter_map(find).collect(),
                coordinators: draft.coordinators.iter().filter_map(find).collect(),
                responsible_editor: live.credits.responsible_editor,
            },
            tags: draft.tags.clone(),
        })
    }

    /// Cleans a form into a draft, or says what to fix.
    async fn clean(
        &self,
        editor: &Account,
        form: &DraftForm,
    ) -> Result<Result<ArticleDraft, Saved>, EngineError> {
        let mut problems = Vec::new();
        let mut problem = |field: &'static str, key: &'static str| {
            problems.push(FieldProblem { field, key });
        };
        let lang = Lang::parse(form.lang.trim()).unwrap_or_else(|_| {
            problem("lang", "bad_lang");
            Lang::Zh
        });
        let title = clean_line(&form.title);
        let slug = match form.slug.trim() {
            "" => draft::slug_from(&title),
            typed => Slug::parse(typed).unwrap_or_else(|_| {
                problem("slug", "bad_slug");
                draft::slug_from(&title)
            }),
        };
        let channels = self.store.channels().await?;
        let channel_id = match optional_id(&form.channel_id) {
            Ok(Some(id)) if channels.iter().any(|c| c.id == id) => id,
            _ => {
                problem("channel_id", "bad_channel");
                channels.first().map_or(0, |c| c.id)
            }
        };
        let topic_id = match optional_id(&form.topic_id) {
            Ok(None) => None,
            Ok(Some(id)) if self.store.topics().await?.iter().any(|t| t.id == id) => Some(id),
            _ => {
                problem("topic_id", "bad_topic");
                None
            }
        };
        let translation_of = match optional_id(&form.translation_of) {
            Ok(None) => None,
            Ok(Some(id)) => match self.store.article_head(id).await {
                Ok(head)
                    if self.may_edit(editor, &head).await?
                        && self.store.article(id).await?.summary.lang != lang =>
                {
                    Some(id)
                }
                Ok(_) | Err(StoreError::NotFound) => {
                    problem("translation_of", "bad_translation");
                    None
                }
                Err(other) => return Err(other.into()),
            },
            Err(()) => {
                problem("translation_of", "bad_translation");
                None
            }
        };
        let mut tags = Vec::new();
        for raw in form
            .tags
            .split([',', '，', '、', ';', '；', '\n'])
            .map(clean_line)
            .filter(|t| !t.is_empty())
        {
            match Tag::parse(&raw) {
                Ok(tag) if !tags.contains(&tag) => tags.push(tag),
                Ok(_) => {}
                Err(_) => problem("tags", "bad_tag"),
            }
        }
        let cover = match optional_id(&form.cover_media_id) {
            Ok(None) => None,
            Ok(Some(id)) => match self.store.media_extension(id).await {
                Ok(_) => Some(CoverDraft {
                    media_id: id,
                    alt: clean_line(&form.cover_alt),
                    caption: cleaned_optional(&form.cover_caption),
                    credit: cleaned_optional(&form.cover_credit),
                }),
                Err(StoreError::NotFound) => {
                    problem("cover_media_id", "bad_media");
                    None
                }
                Err(other) => return Err(other.into()),
            },
            Err(()) => {
                problem("cover_media_id", "bad_media");
                None
            }
        };
        let mut draft = ArticleDraft {
            lang,
            title,
            kicker: clean_line(&form.kicker),
            subtitle: clean_line(&form.subtitle),
            summary: clean_text(&form.summary),
            body: gazette_render::body::sanitize(&form.body),
            source: clean_line(&form.source),
            slug,
            channel_id,
            topic_id,
            translation_of,
            tags,
            authors: Vec::new(),
            editors: Vec::new(),
            coordinators: Vec::new(),
            cover,
            gallery: form.kind == "gallery",
        };
        draft.authors = self.people(&form.authors, &mut problems).await?;
        draft.editors = self.people(&form.editors, &mut problems).await?;
        draft.coordinators = self.people(&form.coordinators, &mut problems).await?;
        problems.extend(draft::problems(&draft));
        if problems.is_empty() {
            Ok(Ok(draft))
        } else {
            Ok(Err(Saved::Invalid {
                problems,
                draft: Box::new(draft),
            }))
        }
    }

    /// Credit rows to people: the person the row named if its name is
    /// unchanged, else a person of that name (staff first), else a new one.
    async fn people(
        &self,
        rows: &[CreditInput],
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Vec<CreditLine>, EngineError> {
        let mut lines: Vec<CreditLine> = Vec::new();
        for row in rows.iter().take(draft::MAX_CREDITS) {
            let name = clean_line(&row.name);
            if name.is_empty() {
                continue;
            }
            if name.chars().count() > 60 || row.affiliation.chars().count() > 100 {
                problems.push(FieldProblem {
                    field: "credits",
                    key: "too_long_name",
                });
                continue;
            }
            let affiliation = cleaned_optional(&row.affiliation);
            let named = match row.person_id {
                Some(id) => self
                    .store
                    .people_by_ids(&[id])
                    .await?
                    .into_iter()
                    .find(|p| p.name == name || p.name_en.as_deref() == Some(name.as_str())),
                None => None,
            };
            let same_affiliation = |p: &Person| {
                affiliation.is_none()
                    || p.affiliation == affiliation
                    || p.affiliation_en == affiliation
            };
            // A staff member typed by name is credited through their
            // account (so they may then edit the draft as a co-author).
            let staff = match named {
                Some(_) => None,
                None => {
                    // Only a name that is exactly one member's: a common
                    // name must not hand someone else the draft.
                    let mut matching: Vec<Account> = self
                        .store
                        .accounts()
                        .await?
                        .into_iter()
                        .filter(|a| {
                            a.disabled_at.is_none() && (a.name_zh == name || a.name_en == name)
                        })
                        .collect();
                    if matching.len() == 1 {
                        matching.pop()
                    } else {
                        None
                    }
                }
            };
            let staff_person = match staff {
                Some(account) => {
                    let id = self.person_of(&account).await?;
                    self.store.people_by_ids(&[id]).await?.into_iter().next()
                }
                None => None,
            };
            let found = match named.or(staff_person) {
                Some(p) => Some(p),
                None => self
                    .store
                    .person_named(&name, affiliation.as_deref())
                    .await?
                    .filter(same_affiliation),
            };
            let person = match found {
                Some(p) => p,
                None => {
                    let slug = self.free_slug(&name, "").await?;
                    let id = self
                        .store
                        .create_person(&NewPerson {
                            slug: slug.clone(),
                            name: name.clone(),
                            affiliation: affiliation.clone(),
                            name_en: None,
                            affiliation_en: None,
                        })
                        .await?;
                    Person {
                        id,
                        slug,
                        name: name.clone(),
                        affiliation: affiliation.clone(),
                        name_en: None,
                        affiliation_en: None,
                    }
                }
            };
            if !lines.iter().any(|l| l.person_id == person.id) {
                lines.push(CreditLine {
                    person_id: person.id,
                    name: person.name,
                    affiliation: person.affiliation,
                });
            }
        }
        Ok(lines)
    }
}
