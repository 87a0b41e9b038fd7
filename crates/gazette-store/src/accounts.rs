//! The accounts area of the store: staff accounts, their sessions, the
//! single-use links that set passwords, the login throttle's failures and
//! the audit log. Its own trait, apart from content, so that the staff
//! service depends on this area only.

use crate::Result;
use async_trait::async_trait;
use gazette_core::{Email, Lang, Role};

/// A staff account as stored. The password hash stays in the store's
/// types: nothing shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub email: Email,
    pub name_zh: String,
    pub name_en: String,
    pub affiliation_zh: Option<String>,
    pub affiliation_en: Option<String>,
    pub role: Role,
    pub lang: Lang,
    /// The Argon2id PHC string; `None` until a password is set.
    pub password_hash: Option<String>,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
    /// The confirmed second-factor secret, if the account uses one.
    pub totp_secret: Option<Vec<u8>>,
    /// A secret being set up, not yet confirmed by a code.
    pub totp_pending: Option<Vec<u8>>,
}

/// What creating an account takes.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: Email,
    pub name_zh: String,
    pub name_en: String,
    pub role: Role,
    pub lang: Lang,
    pub password_hash: Option<String>,
    pub created_at: i64,
}

/// A signed-in browser. `id_hash` is the hash of the cookie's secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id_hash: Vec<u8>,
    pub account_id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub device: String,
    pub prefix: String,
}

/// Why a single-use link was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    Invitation,
    Reset,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => "invitation",
            LinkPurpose::Reset => "reset",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Self> {
        match text {
            "invitation" => Ok(LinkPurpose::Invitation),
            "reset" => Ok(LinkPurpose::Reset),
            other => Err(crate::StoreError::Corrupt(format!(
                "unknown link purpose {other:?}"
            ))),
        }
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub account_id: Option<i64>,
    /// Who, as they were named then (an address for failed sign-ins).
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    /// The network prefix, for 90 days.
    pub prefix: Option<String>,
}

/// An audit entry to add.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub at: i64,
    pub account_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prefix: Option<String>,
}

/// Which audit entries to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub account_id: Option<i64>,
    pub action: Option<String>,
    /// Entries with an id below this one (the cursor of the previous page).
    pub before_id: Option<i64>,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// A new account; a taken address is a `Conflict`.
    async fn create_account(&self, account: &NewAccount) -> Result<i64>;
    async fn account(&self, id: i64) -> Result<Account>;
    async fn account_by_email(&self, email: &Email) -> Result<Account>;
    /// Every account, by address.
    async fn accounts(&self) -> Result<Vec<Account>>;
    /// Changes the role; false (and no change) if that would leave no
    /// admin who can sign in.
    async fn set_role(&self, id: i64, role: Role) -> Result<bool>;
    /// Disables the account at `at` (ending its sessions, half-done
    /// sign-ins and open links at once) or, with `None`, enables it again;
    /// false (and no change) if disabling would leave no admin.
    async fn set_disabled(&self, id: i64, at: Option<i64>) -> Result<bool>;
    async fn set_account_lang(&self, id: i64, lang: Lang) -> Result<()>;
    /// Sets the password and, in the same transaction, ends every session
    /// of the account and uses up its open links.
    async fn set_password(&self, id: i64, hash: &str, now: i64) -> Result<()>;

    /// A new session, unless the account is disabled (then false).
    async fn create_session(&self, session: &SessionRecord) -> Result<bool>;
    /// The session and its account, if the session has not expired and the
    /// account is not disabled.
    async fn session(&self, id_hash: &[u8], now: i64) -> Result<Option<(SessionRecord, Account)>>;
    async fn touch_session(&self, id_hash: &[u8], now: i64, expires_at: i64) -> Result<()>;
    /// The account's live sessions, newest first.
    async fn sessions_of(&self, account_id: i64, now: i64) -> Result<Vec<SessionRecord>>;
    /// Ends one session of an account; false if it had no such session.
    async fn end_session(&self, account_id: i64, id_hash: &[u8]) -> Result<bool>;
    async fn end_sessions_of(&self, account_id: i64) -> Result<()>;

    /// A new link for the account; its earlier open links are used up.
    async fn create_link(
        &self,
        token_hash: &[u8],
        account_id: i64,
        purpose: LinkPurpose,
        now: i64,
        expires_at: i64,
    ) -> Result<()>;
    /// The account and purpose of an open link (unused, unexpired).
    async fn open_link(&self, token_hash: &[u8], now: i64) -> Result<Option<(i64, LinkPurpose)>>;
    /// Uses an open link to set the account's password, ending its
    /// sessions: all or nothing. `None` if the link was not open.
    async fn set_password_by_link(
        &self,
        token_hash: &[u8],
        hash: &str,
        now: i64,
    ) -> Result<Option<i64>>;

    /// Records an attempt as failed (until `forget_login_failure` says it
    /// succeeded); its id.
    async fn record_login_failure(&self, email_hash: &[u8], prefix: &str, now: i64) -> Result<i64>;
    async fn forget_login_failure(&self, id: i64) -> Result<()>;
    /// Forgets an address's failures (its password was just set).
    async fn clear_login_failures(&self, email_hash: &[u8]) -> Result<()>;
    /// Failures since `since` recorded up to the one with id `up_to` (so
    /// that each of several attempts at once sees only those before it):
    /// (for this address, from this network).
    async fn login_failures(
        &self,
        email_hash: &[u8],
        prefix: &str,
        since: i64,
        up_to: i64,
    ) -> Result<(i64, i64)>;

    async fn audit(&self, entry: &NewAuditEntry) -> Result<()>;
    async fn audit_entries(&self, filter: &AuditFilter, limit: i64) -> Result<Vec<AuditEntry>>;
    /// Keeps (or, with `None`, drops) a second-factor secret being set up.
    async fn set_totp_pending(&self, id: i64, secret: Option<&[u8]>) -> Result<()>;
    /// Turns the second factor on with `secret` (which must be the one being
    /// set up, and none on yet: else false), whose code for `step` was just
    /// accepted; replaces the recovery codes and ends every other session
    /// and half-done sign-in.
    async fn enable_totp(
        &self,
        id: i64,
        secret: &[u8],
        step: i64,
        recovery_hashes: &[Vec<u8>],
        keep_session: &[u8],
    ) -> Result<bool>;
    /// Turns the second factor off and drops the recovery codes.
    async fn disable_totp(&self, id: i64) -> Result<()>;
    /// Accepts a code's time step if it is later than every step accepted
    /// before (so a code works once, whichever node sees it).
    async fn accept_totp_step(&self, id: i64, step: i64) -> Result<bool>;
    /// Uses up a recovery code; false if it was not one or was used.
    async fn use_recovery_code(&self, id: i64, code_hash: &[u8], now: i64) -> Result<bool>;
    async fn recovery_codes_left(&self, id: i64) -> Result<i64>;
    /// A half-done sign-in, unless the account is disabled (then false).
    async fn create_pending_sign_in(
        &self,
        id_hash: &[u8],
        account_id: i64,
        expires_at: i64,
    ) -> Result<bool>;
    /// The account of a live pending sign-in.
    async fn pending_sign_in(&self, id_hash: &[u8], now: i64) -> Result<Option<i64>>;
    /// Uses up a live half-done sign-in; false if another request did first.
    async fn end_pending_sign_in(&self, id_hash: &[u8], now: i64) -> Result<bool>;

    /// Forgets login failures and expired sessions and links before
    /// `before`, and audit prefixes recorded before `prefixes_before`.
    async fn forget_old_account_data(&self, before: i64, prefixes_before: i64) -> Result<()>;
}
