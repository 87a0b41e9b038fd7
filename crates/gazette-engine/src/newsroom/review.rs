//! Review and sign-off (审核) and publishing a signed-off article.
//!
//! draft → submitted → (初审 → 复审 →) 终审 sign-off → published; any level
//! may send the article back with a comment (退稿). A channel has one to
//! three levels (its own, else its nearest ancestor's, else one level done
//! by responsible editors); the last is always a sign-off, by someone who
//! may sign off, and its signer's names become the page's 责编. Each level
//! is passed by a different person, never by one of the article's own
//! authors (its starter or a credited co-author). Any save after a
//! submission starts a new round, which voids approvals; the final
//! signer's own edits, made as part of signing off, do not (they are kept
//! as a `signoff` revision, visible in the comparison). A live article
//! keeps serving its published revision while a newer one goes through
//! review.
//!
//! Every rule is checked here, whatever the interface offers; the store
//! takes each step with a compare-and-set, so a step taken on a page that
//! is out of date is a conflict (409), never a step on content the
//! reviewer did not see.

use super::{Newsroom, account, draft::ArticleDraft};
use crate::EngineError;
use crate::staff::{Action, Actor, permissions};
use gazette_core::{ArticleStatus, Role};
use gazette_store::accounts::Account;
use gazette_store::review::{Expected, NewStep, StepChange, StepOutcome};
pub use gazette_store::review::{LevelRule, ReviewState, ReviewStep, StepKind};
use gazette_store::{StoreError, newsroom::ArticleHead, newsroom::RevisionKind};

/// The most review levels a channel may have (三审).
pub const MAX_LEVELS: i64 = 3;
/// A rejection's comment is kept to this many characters.
const COMMENT_CHARS: usize = 2_000;

/// What the member can do with an article's review now, and where it is.
#[derive(Debug, Clone)]
pub struct ReviewPanel {
    pub state: ReviewState,
    pub status: ArticleStatus,
    /// The channel's levels, each with who passed it this round.
    pub levels: Vec<LevelStatus>,
    /// The level waiting, while submitted.
    pub next_level: Option<i64>,
    /// The latest revision, which every step names as its base.
    pub head_revision: Option<i64>,
    pub may_submit: bool,
    /// May approve (or, at the last level, sign off) and reject now.
    pub may_review: bool,
    /// The waiting level is the last: approving signs off.
    pub signs_off: bool,
    pub may_publish: bool,
    /// Why the member may not review, when the article waits for a level.
    pub why_not: Option<&'static str>,
    /// Every step so far, newest first.
    pub steps: Vec<ReviewStep>,
}

/// One level of the channel and who passed it in the current round.
#[derive(Debug, Clone)]
pub struct LevelStatus {
    pub rule: LevelRule,
    /// The names of the level's members, when it names them.
    pub member_names: Vec<String>,
    pub passed_by: Option<String>,
}

/// A channel's review settings as the admin page shows them.
#[derive(Debug, Clone)]
pub struct ChannelReview {
    pub channel: gazette_core::Channel,
    /// Its own levels; empty when it takes its parent's.
    pub own: Vec<LevelRule>,
    /// The levels in force.
    pub effective: Vec<LevelRule>,
}

/// The levels of a channel without settings of its own or above it.
fn default_levels() -> Vec<LevelRule> {
    vec![LevelRule {
        level: 1,
        role: Role::ResponsibleEditor,
        members: Vec::new(),
    }]
}

/// Whether `account` may do a level given to `rule`, being the last level
/// or not. Named members must still hold a role that may take the step.
fn may_do_level(account: &Account, rule: &LevelRule, last: bool) -> bool {
    let action = if last {
        Action::SignOff
    } else {
        Action::Review
    };
    if !permissions::allowed(account.role, action) {
        return false;
    }
    if !rule.members.is_empty() {
        return rule.members.contains(&account.id);
    }
    match rule.role {
        Role::ResponsibleEditor => permissions::allowed(account.role, Action::SignOff),
        Role::Admin => account.role == Role::Admin,
        Role::Editor | Role::Author => true,
    }
}

impl Newsroom {
    /// The review levels in force for a channel.
    pub async fn levels_for(&self, channel_id: i64) -> Result<Vec<LevelRule>, EngineError> {
        let channels = self.store.channels().await?;
        let settings = self.store.review_levels().await?;
        Ok(effective_levels(&channels, &settings, channel_id))
    }

    /// Whether the member started the article or is credited as its
    /// author, in the published version or in the latest revision.
    async fn is_own(
        &self,
        account: &Account,
        head: &ArticleHead,
        draft: &ArticleDraft,
    ) -> Result<bool, EngineError> {
        if head.created_by == Some(account.id) {
            return Ok(true);
        }
        if let Some(person) = self.store.account_person(account.id).await?
            && draft.authors.iter().any(|a| a.person_id == person)
        {
            return Ok(true);
        }
        Ok(match self.store.account_person(account.id).await? {
            Some(person) => self.store.is_credited_author(head.id, person).await?,
            None => false,
        })
    }

    /// Where the article is in review and what the member may do with it.
    pub async fn review_panel(
        &self,
        actor: &Actor<'_>,
        id: i64,
    ) -> Result<ReviewPanel, EngineError> {
        let account = account(actor)?;
        let head = self.editable(actor, id).await?;
        let draft = self.open(actor, id).await?.draft;
        let levels = self.levels_for(draft.channel_id).await?;
        let mut steps = self.store.review_steps(id).await?;
        let passed: Vec<&ReviewStep> = steps
            .iter()
            .filter(|s| {
                s.round == head.review_round
                    && matches!(s.kind, StepKind::Approved | StepKind::SignedOff)
            })
            .collect();
        let next_level = (head.review_state == ReviewState::Submitted)
            .then(|| passed.len() as i64 + 1)
            .filter(|n| *n <= levels.len() as i64);
        let own = self.is_own(account, &head, &draft).await?;
        let why_not = match next_level {
            None => None,
            Some(_) if own => Some("own_article"),
            Some(_) if passed.iter().any(|s| s.account_id == Some(account.id)) => {
                Some("passed_a_level")
            }
            Some(n)
                if !may_do_level(account, &levels[n as usize - 1], n == levels.len() as i64) =>
            {
                Some("not_your_level")
            }
            Some(_) => None,
        };
        let accounts = if levels.iter().any(|l| !l.members.is_empty()) {
            self.store.accounts().await?
        } else {
            Vec::new()
        };
        let level_status = levels
            .iter()
            .map(|rule| LevelStatus {
                rule: rule.clone(),
                member_names: rule
                    .members
                    .iter()
                    .map(|m| {
                        accounts
                            .iter()
                            .find(|a| a.id == *m)
                            .map_or_else(|| format!("#{m}"), |a| a.name_zh.clone())
                    })
                    .collect(),
                passed_by: passed
                    .iter()
                    .find(|s| s.level == Some(rule.level))
                    .map(|s| s.name_zh.clone()),
            })
            .collect();
        steps.reverse();
        Ok(ReviewPanel {
            state: head.review_state,
            status: head.status,
            next_level,
            head_revision: head.head_revision,
            may_submit: matches!(
                head.review_state,
                ReviewState::Editing | ReviewState::Rejected
            ) && !super::publishing::withdrawn(head.status),
            may_review: next_level.is_some() && why_not.is_none(),
            signs_off: next_level == Some(levels.len() as i64),
            may_publish: head.review_state == ReviewState::Approved
                && permissions::allowed(account.role, Action::Publish),
            why_not,
            levels: level_status,
            steps,
        })
    }

    /// Sends the latest revision to review: a new round from level one.
    pub async fn submit(
        &self,
        actor: &Actor<'_>,
        id: i64,
        base: Option<i64>,
    ) -> Result<(), EngineError> {
        let account = account(actor)?;
        let head = self.editable(actor, id).await?;
        expect_base(&head, base)?;
        if super::publishing::withdrawn(head.status) {
            return Err(EngineError::Conflict(format!(
                "article {id} was withdrawn: it does not go back to review"
            )));
        }
        if !matches!(
            head.review_state,
            ReviewState::Editing | ReviewState::Rejected
        ) {
            return Err(EngineError::Conflict(format!(
                "article {id} is already {}; reload the page",
                head.review_state.as_str()
            )));
        }
        let step = self.step(account, StepKind::Submitted, None, None).await?;
        self.take(
            &head,
            StepChange {
                step: &step,
                state: ReviewState::Submitted,
                new_round: true,
                revision: None,
            },
        )
        .await?;
        self.audit(actor, "article_submitted", id, base.unwrap_or(0), "")
            .await
    }

    /// Passes the waiting level; at the last level this is the sign-off,
    /// and `edits` (the form as the signer left it) become a `signoff`
    /// revision first, without voiding the lower levels' approvals.
    pub async fn approve(
        &self,
        actor: &Actor<'_>,
        id: i64,
        base: Option<i64>,
        edits: Option<&super::DraftForm>,
    ) -> Result<Approved, EngineError> {
        let account = account(actor)?;
        let panel = self.review_panel(actor, id).await?;
        let head = self.store.article_head(id).await?;
        expect_base(&head, base)?;
        let level = self.waiting_level(&panel, id)?;
        let last = panel.signs_off;
        if edits.is_some() && !last {
            // Never dropped in silence: the level waiting is not the sign-off
            // (an autosave or someone's save started a new round meanwhile).
            return Err(EngineError::Conflict(format!(
                "article {id} now waits for level {level}, not for the sign-off: your edits \
                 were not saved; go back, save them, and review again"
            )));
        }
        let edited = match edits {
            Some(form) => match self.clean(account, form).await? {
                Ok(draft) => Some(draft),
                Err(invalid) => return Ok(Approved::Invalid(invalid)),
            },
            None => None,
        };
        // A sign-off that changes nothing adds no revision.
        let edited = match (edited, head.head_revision) {
            (Some(draft), Some(revision)) => {
                let current =
                    ArticleDraft::from_json(&self.store.revision(revision).await?.content)?;
                (current != draft).then_some(draft)
            }
            (edited, _) => edited,
        };
        let now = self.now();
        let revision = edited
            .as_ref()
            .map(|draft| self.revision(account, RevisionKind::SignOff, draft, now));
        let apply = match &edited {
            Some(draft) if head.status == ArticleStatus::Draft => Some(
                self.new_article(draft, ArticleStatus::Draft, now, now)
                    .await?,
            ),
            _ => None,
        };
        let kind = if last {
            StepKind::SignedOff
        } else {
            StepKind::Approved
        };
        let step = self.step(account, kind, Some(level), None).await?;
        self.take(
            &head,
            StepChange {
                step: &step,
                state: if last {
                    ReviewState::Approved
                } else {
                    ReviewState::Submitted
                },
                new_round: false,
                revision: revision.as_ref().map(|r| (r, apply.as_ref())),
            },
        )
        .await?;
        let action = if last {
            "article_signed_off"
        } else {
            "article_approved"
        };
        let title = edited.as_ref().map_or("", |d| d.title.as_str());
        let detail = format!(
            "level {level}{}",
            if edited.is_some() { ", with edits" } else { "" }
        );
        self.record(
            actor,
            action,
            &format!("article {id}"),
            format!("{detail} {title}").trim_end(),
        )
        .await?;
        Ok(Approved::Done { signed_off: last })
    }

    /// Sends the article back to its authors with a comment (退稿).
    pub async fn reject(
        &self,
        actor: &Actor<'_>,
        id: i64,
        base: Option<i64>,
        comment: &str,
    ) -> Result<(), EngineError> {
        let account = account(actor)?;
        let comment: String = super::draft::clean_text(comment)
            .chars()
            .take(COMMENT_CHARS)
            .collect();
        if comment.trim().is_empty() {
            return Err(EngineError::BadRequest(
                "say why the article goes back: the comment is empty".into(),
            ));
        }
        let panel = self.review_panel(actor, id).await?;
        let head = self.store.article_head(id).await?;
        expect_base(&head, base)?;
        let level = self.waiting_level(&panel, id)?;
        let step = self
            .step(
                account,
                StepKind::Rejected,
                Some(level),
                Some(comment.clone()),
            )
            .await?;
        self.take(
            &head,
            StepChange {
                step: &step,
                state: ReviewState::Rejected,
                new_round: false,
                revision: None,
            },
        )
        .await?;
        self.record(
            actor,
            "article_rejected",
            &format!("article {id}"),
            &format!("level {level}: {comment}"),
        )
        .await
    }

    /// Every channel with its review levels, for the settings page.
    pub async fn review_settings(
        &self,
        actor: &Actor<'_>,
    ) -> Result<Vec<ChannelReview>, EngineError> {
        self.may_manage_review(actor)?;
        let channels = self.store.channels().await?;
        let settings = self.store.review_levels().await?;
        Ok(channels
            .iter()
            .map(|channel| ChannelReview {
                channel: channel.clone(),
                own: settings
                    .iter()
                    .filter(|(c, _)| *c == channel.id)
                    .map(|(_, rule)| rule.clone())
                    .collect(),
                effective: effective_levels(&channels, &settings, channel.id),
            })
            .collect())
    }

    /// Sets a channel's levels (empty: take the parent's). The last level
    /// must be done by people who may sign off.
    pub async fn set_review_levels(
        &self,
        actor: &Actor<'_>,
        channel_id: i64,
        levels: &[LevelRule],
    ) -> Result<(), EngineError> {
        self.may_manage_review(actor)?;
        if !self
            .store
            .channels()
            .await?
            .iter()
            .any(|c| c.id == channel_id)
        {
            return Err(EngineError::NotFound(format!("no channel {channel_id}")));
        }
        if levels.len() as i64 > MAX_LEVELS {
            return Err(EngineError::BadRequest(format!(
                "a channel has at most {MAX_LEVELS} review levels"
            )));
        }
        let accounts = self.store.accounts().await?;
        for (index, rule) in levels.iter().enumerate() {
            let last = index + 1 == levels.len();
            if rule.level != index as i64 + 1 {
                return Err(EngineError::BadRequest("levels are numbered from 1".into()));
            }
            if last && !permissions::allowed(rule.role, Action::SignOff) {
                return Err(EngineError::BadRequest(
                    "the last level is the sign-off: give it to responsible editors".into(),
                ));
            }
            if !last && !permissions::allowed(rule.role, Action::Review) {
                return Err(EngineError::BadRequest(
                    "authors do not review: give the level to editors".into(),
                ));
            }
            for member in &rule.members {
                let fits = accounts.iter().any(|a| {
                    a.id == *member
                        && a.disabled_at.is_none()
                        && permissions::allowed(
                            a.role,
                            if last {
                                Action::SignOff
                            } else {
                                Action::Review
                            },
                        )
                });
                if !fits {
                    return Err(EngineError::BadRequest(format!(
                        "account {member} cannot do level {}: {}",
                        rule.level,
                        if last {
                            "only responsible editors and admins sign off"
                        } else {
                            "authors do not review"
                        }
                    )));
                }
            }
        }
        self.store.set_review_levels(channel_id, levels).await?;
        let summary: Vec<String> = levels
            .iter()
            .map(|r| {
                if r.members.is_empty() {
                    format!("{}: {}", r.level, r.role.as_str())
                } else {
                    format!("{}: accounts {:?}", r.level, r.members)
                }
            })
            .collect();
        self.record(
            actor,
            "review_levels_changed",
            &format!("channel {channel_id}"),
            &if summary.is_empty() {
                "as its parent".to_owned()
            } else {
                summary.join("; ")
            },
        )
        .await
    }

    /// The accounts a level may be given to (not authors, not disabled),
    /// for the settings page.
    pub async fn reviewers(&self, actor: &Actor<'_>) -> Result<Vec<Account>, EngineError> {
        self.may_manage_review(actor)?;
        Ok(self
            .store
            .accounts()
            .await?
            .into_iter()
            .filter(|a| a.disabled_at.is_none() && permissions::allowed(a.role, Action::Review))
            .collect())
    }

    fn may_manage_review(&self, actor: &Actor<'_>) -> Result<(), EngineError> {
        let account = account(actor)?;
        if permissions::allowed(account.role, Action::ManageReview) {
            Ok(())
        } else {
            Err(EngineError::Forbidden(
                "only admins set review levels".into(),
            ))
        }
    }

    /// The level the member may pass or reject now, or why not.
    fn waiting_level(&self, panel: &ReviewPanel, id: i64) -> Result<i64, EngineError> {
        let Some(level) = panel.next_level else {
            return Err(EngineError::Conflict(format!(
                "article {id} is not waiting for review; reload the page"
            )));
        };
        match panel.why_not {
            None => Ok(level),
            Some("own_article") => Err(EngineError::Forbidden(
                "nobody reviews their own article (co-authors included)".into(),
            )),
            Some("passed_a_level") => Err(EngineError::Forbidden(
                "you passed another level of this round: each level is done by a different person"
                    .into(),
            )),
            Some(_) => Err(EngineError::Forbidden(format!(
                "level {level} of this channel is not given to you"
            ))),
        }
    }

    /// A step by the member, with a snapshot of their names.
    pub(super) async fn step(
        &self,
        account: &Account,
        kind: StepKind,
        level: Option<i64>,
        comment: Option<String>,
    ) -> Result<NewStep, EngineError> {
        Ok(NewStep {
            kind,
            level,
            account_id: Some(account.id),
            person_id: Some(self.person_of(account).await?),
            name_zh: account.name_zh.clone(),
            name_en: Some(account.name_en.clone()).filter(|n| !n.is_empty()),
            comment,
            at: self.now(),
        })
    }

    async fn take(&self, head: &ArticleHead, change: StepChange<'_>) -> Result<i64, EngineError> {
        match self.store.take_step(head.id, expected(head), change).await {
            Ok(StepOutcome::Taken(id)) => Ok(id),
            Ok(StepOutcome::Conflict) | Err(StoreError::Conflict(_)) => Err(moved_on(head.id)),
            Err(other) => Err(other.into()),
        }
    }
}

/// What approving came to.
#[derive(Debug)]
pub enum Approved {
    Done {
        signed_off: bool,
    },
    /// The signer's edits have fields to fix.
    Invalid(super::Saved),
}

pub(super) fn expected(head: &ArticleHead) -> Expected {
    Expected {
        round: head.review_round,
        head_revision: head.head_revision,
        state: head.review_state,
    }
}

pub(super) fn moved_on(id: i64) -> EngineError {
    EngineError::Conflict(format!(
        "article {id} changed since this page was made (a save or another review step); \
         reload it and look again"
    ))
}

/// A step names the revision the page showed: anything newer is a conflict.
pub(super) fn expect_base(head: &ArticleHead, base: Option<i64>) -> Result<(), EngineError> {
    if head.head_revision == base {
        Ok(())
    } else {
        Err(moved_on(head.id))
    }
}

/// A channel's own levels, else its nearest ancestor's, else the default.
fn effective_levels(
    channels: &[gazette_core::Channel],
    settings: &[(i64, LevelRule)],
    channel_id: i64,
) -> Vec<LevelRule> {
    let mut current = Some(channel_id);
    // The tree is finite; the bound guards against a cycle in bad data.
    for _ in 0..=channels.len() {
        let Some(id) = current else { break };
        let own: Vec<LevelRule> = settings
            .iter()
            .filter(|(c, _)| *c == id)
            .map(|(_, r)| r.clone())
            .collect();
        if !own.is_empty() {
            return own;
        }
        current = channels
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.parent_id);
    }
    default_levels()
}
