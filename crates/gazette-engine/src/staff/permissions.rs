//! Who may do what in the back office: one table, enforced by the staff
//! service on every call, whatever the interface shows. The newsroom's
//! writing and review actions join this table as they arrive.

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
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::ManageAccounts,
        Action::EndOthersSessions,
        Action::ReadAudit,
        Action::EditOthersArticles,
        Action::ManageTerms,
    ];
}

/// Whether `role` may take `action`.
pub fn allowed(role: Role, action: Action) -> bool {
    match action {
        Action::ManageAccounts | Action::EndOthersSessions | Action::ReadAudit => {
            role == Role::Admin
        }
        Action::EditOthersArticles | Action::ManageTerms => role != Role::Author,
    }
}
