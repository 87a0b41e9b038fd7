//! Who may do what in the back office: one table, enforced by the staff
//! service on every call, whatever the interface shows. Beside a role's
//! permission, review levels also follow each channel's settings (who does
//! which level) and the rule that nobody reviews their own article: the
//! review service checks those (`newsroom/review.rs`).

use gazette_core::Role;

/// A back-office action that not every role may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Invite staff, change roles, make reset links.
    ManageAccounts,
    /// End another account's sessions.
    EndOthersSessions,
    /// Read the audit log.
    ReadAudit,
    /// See and edit articles one neither started nor is credited as an
    /// author of (authors see and edit only their own).
    EditOthersArticles,
    /// Add to and remove from the proofreading term list.
    ManageTerms,
    /// Approve or reject a review level below the last (初审, 复审), where
    /// the channel's settings give that level to the member's role or name.
    Review,
    /// Pass the last level (终审): sign off, becoming the page's 责编.
    SignOff,
    /// Put a signed-off article live, now or at a time, with its
    /// correction note; cancel a scheduled publication.
    Publish,
    /// Retract (撤稿, 410 with a notice) or take down (撤下, 404) a live
    /// article, now or at a time.
    Withdraw,
    /// Cut a passage from the public update log (legal or privacy reasons).
    Redact,
    /// Set each channel's review levels and who does them.
    ManageReview,
    /// Change the details of others' photos, replace and delete photos.
    ManageMedia,
    /// Set the recommendation slots (headline, top stories, visual focus,
    /// exclusive features).
    Curate,
    /// Add, rename, move, reorder and retire channels.
    ManageChannels,
}

impl Action {
    pub const ALL: [Action; 14] = [
        Action::ManageAccounts,
        Action::EndOthersSessions,
        Action::ReadAudit,
        Action::EditOthersArticles,
        Action::ManageTerms,
        Action::Review,
        Action::SignOff,
        Action::Publish,
        Action::Withdraw,
        Action::Redact,
        Action::ManageReview,
        Action::ManageMedia,
        Action::Curate,
        Action::ManageChannels,
    ];
}

/// Whether `role` may take `action`.
pub fn allowed(role: Role, action: Action) -> bool {
    match action {
        Action::ManageAccounts
        | Action::EndOthersSessions
        | Action::ReadAudit
        | Action::ManageReview => role == Role::Admin,
        Action::EditOthersArticles
        | Action::ManageTerms
        | Action::Review
        | Action::Publish
        | Action::ManageMedia
        | Action::Curate => role != Role::Author,
        Action::SignOff | Action::Withdraw | Action::Redact | Action::ManageChannels => {
            matches!(role, Role::ResponsibleEditor | Role::Admin)
        }
    }
}
