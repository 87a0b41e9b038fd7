//! The staff service: sign-in, sessions, accounts, single-use links and the
//! audit log. Everything the back office and the `user` command do to
//! accounts goes through here, and here the permission table is enforced.
//!
//! - Passwords are Argon2id (`passwords.rs`); an unknown address costs the
//!   same hash as a known one and gets the same answer.
//! - The login throttle counts failures in the store (every node sees
//!   them): past `MAX_FAILURES_PER_ACCOUNT` for an address or
//!   `MAX_FAILURES_PER_NETWORK` from a network prefix in 15 minutes, sign-in
//!   answers "throttled" without checking the password.
//! - Sessions are read from the store on every request, so ending one takes
//!   effect at once on every node. A new session id at every sign-in.

pub mod passwords;
pub mod permissions;
pub mod second_factor;
pub mod secrets;

use crate::EngineError;
use gazette_core::{Clock, Email, Lang, Role};
pub use gazette_store::accounts::{Account, AuditEntry, AuditFilter, LinkPurpose, SessionRecord};
use gazette_store::accounts::{NewAccount, NewAuditEntry};
use gazette_store::{Store, StoreError};
pub use passwords::PasswordCost;
pub use permissions::Action;
use std::sync::Arc;
use tokio::sync::{OnceCell, Semaphore};

/// Failed sign-ins allowed per address in the window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 10;
/// Failed sign-ins allowed per network prefix in the window.
pub const MAX_FAILURES_PER_NETWORK: i64 = 20;
/// The throttle's window.
pub const FAILURE_WINDOW: i64 = 15 * 60;
/// A session ends after this long unused...
pub const SESSION_IDLE: i64 = 3 * 86_400;
/// ...and this long after sign-in in any case.
pub const SESSION_MAX: i64 = 30 * 86_400;
/// Invitation and reset links expire after this long.
pub const LINK_LIFETIME: i64 = 72 * 3600;
/// A session's last use is written at most this often.
const TOUCH_EVERY: i64 = 300;
/// Why a change that would leave no admin is refused.
const LAST_ADMIN: &str =
    "this is the last admin who can sign in: make another account an admin first";
/// A password check waits this long for a hashing slot, then answers 503.
const HASHING_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
/// A sign-in waits this long for its second factor.
pub const SECOND_FACTOR_WAIT: i64 = 300;
/// The network prefix in the audit log is kept this long.
pub const AUDIT_PREFIX_DAYS: i64 = 90;

/// Settings of the staff service.
#[derive(Debug, Clone, Default)]
pub struct StaffConfig {
    pub password_cost: PasswordCost,
}

pub struct Staff {
    store: Arc<dyn Store>,
    config: StaffConfig,
    clock: Clock,
    base_url: String,
    /// At most this many password hashes at a time (each takes 19 MiB).
    hashing: Semaphore,
    /// What an unknown address is checked against, so it takes as long.
    decoy_hash: OnceCell<String>,
    /// The key under which addresses are hashed for the throttle.
    throttle_key: OnceCell<[u8; 32]>,
}

/// A signed-in staff member, as a request sees them.
#[derive(Debug, Clone)]
pub struct StaffSession {
    pub account: Account,
    /// The token every form of this session carries.
    pub form_token: String,
    pub id_hash: Vec<u8>,
}

/// The outcome of a sign-in.
#[derive(Debug)]
pub enum SignIn {
    /// The cookie's value for the new session.
    Welcome {
        secret: String,
        account: Box<Account>,
    },
    /// The password was right; the second factor is awaited. The value is
    /// the browser's secret for this half-done sign-in.
    SecondFactor { pending: String },
    /// Wrong address or password (the same for both), or a wrong code.
    Refused,
    /// The half-done sign-in expired or is unknown: start again.
    Expired,
    /// Too many failures: try again later.
    Throttled,
}

/// Who did something, for the permission checks and the audit log.
#[derive(Debug, Clone)]
pub struct Actor<'a> {
    pub account: Option<&'a Account>,
    /// The network prefix (staff only; kept 90 days).
    pub prefix: Option<&'a str>,
    /// Only the command line, run by whoever runs the server, acts without
    /// an account; a web request without one is a stranger.
    command_line: bool,
    /// The publishing schedule, running a job someone set.
    scheduler: bool,
}

impl<'a> Actor<'a> {
    /// The command line, which acts without an account.
    pub fn is_command_line(&self) -> bool {
        self.command_line
    }

    /// The command line, on the server itself.
    pub const COMMAND_LINE: Actor<'static> = Actor {
        account: None,
        prefix: None,
        command_line: true,
        scheduler: false,
    };

    /// The publishing schedule, on behalf of the member who set the job.
    pub fn scheduler(account: Option<&'a Account>) -> Self {
        Actor {
            account,
            prefix: None,
            command_line: false,
            scheduler: true,
        }
    }

    /// A web request: a signed-in member, or a stranger (`None`).
    pub fn web(account: Option<&'a Account>, prefix: &'a str) -> Self {
        Actor {
            account,
            prefix: Some(prefix),
            command_line: false,
            scheduler: false,
        }
    }
}

/// A new password that is refused, by message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordProblem(pub &'static str);

impl Staff {
    pub fn new(store: Arc<dyn Store>, config: StaffConfig, clock: Clock, base_url: &str) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Staff {
            store,
            config,
            clock,
            base_url: base_url.trim_end_matches('/').to_owned(),
            hashing: Semaphore::new(cores),
            decoy_hash: OnceCell::new(),
            throttle_key: OnceCell::new(),
        }
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// A hashing slot, or 503 when the queue is too long to wait for.
    async fn hashing_slot(&self) -> Result<tokio::sync::SemaphorePermit<'_>, EngineError> {
        match tokio::time::timeout(HASHING_WAIT, self.hashing.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(EngineError::Timeout),
        }
    }

    async fn hash(&self, password: &str) -> Result<String, EngineError> {
        let _permit = self.hashing_slot().await?;
        let (password, cost) = (password.to_owned(), self.config.password_cost);
        tokio::task::spawn_blocking(move || passwords::hash(&password, cost))
            .await
            .map_err(|e| EngineError::BadRequest(format!("hashing stopped: {e}")))?
    }

    async fn verify(&self, password: &str, stored: &str) -> Result<bool, EngineError> {
        let _permit = self.hashing_slot().await?;
        let (password, stored) = (password.to_owned(), stored.to_owned());
        tokio::task::spawn_blocking(move || passwords::verify(&password, &stored))
            .await
            .map_err(|e| EngineError::BadRequest(format!("hashing stopped: {e}")))
    }

    async fn decoy(&self) -> Result<&str, EngineError> {
        self.decoy_hash
            .get_or_try_init(|| async { self.hash("no account has this password").await })
            .await
            .map(String::as_str)
    }

    async fn email_key(&self, email: &str) -> Result<Vec<u8>, EngineError> {
        let key = self
            .throttle_key
            .get_or_try_init(|| async {
                let candidate = secrets::new_secret()?;
                let stored = self
                    .store
                    .site_secret("staff-throttle", &stored_key(&candidate))
                    .await?;
                stored
                    .as_slice()
                    .try_into()
                    .map_err(|_| EngineError::Store(StoreError::Corrupt("throttle key".into())))
            })
            .await?;
        Ok(
            blake3::keyed_hash(key, email.trim().to_lowercase().as_bytes())
                .as_bytes()
                .to_vec(),
        )
    }

    /// Makes what the first sign-in would otherwise make (the decoy hash,
    /// the throttle key), so that the first unknown address takes no longer
    /// than the others.
    pub async fn prepare(&self) -> Result<(), EngineError> {
        self.decoy().await?;
        self.email_key("").await?;
        Ok(())
    }

    /// Counts an attempt against the throttle before any password work, so
    /// that attempts sent all at once are counted all the same. `None` when
    /// the address or the network has used up its tries; otherwise the
    /// attempt's record, to forget if it succeeds.
    async fn attempt(&self, email: &str, prefix: &str) -> Result<Option<i64>, EngineError> {
        let now = self.now();
        let key = self.email_key(email).await?;
        let id = self.store.record_login_failure(&key, prefix, now).await?;
        let (by_account, by_network) = self
            .store
            .login_failures(&key, prefix, now - FAILURE_WINDOW, id)
            .await?;
        if by_account > MAX_FAILURES_PER_ACCOUNT || by_network > MAX_FAILURES_PER_NETWORK {
            self.store.forget_login_failure(id).await?;
            return Ok(None);
        }
        Ok(Some(id))
    }

    /// Signs in: counts the attempt against the throttle, then checks the
    /// password (or a decoy for an unknown address), and starts a new session.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        prefix: &str,
        device: &str,
    ) -> Result<SignIn, EngineError> {
        let now = self.now();
        let Some(attempt) = self.attempt(email, prefix).await? else {
            return Ok(SignIn::Throttled);
        };
        let account = match Email::parse(email) {
            Ok(email) => match self.store.account_by_email(&email).await {
                Ok(account) if account.disabled_at.is_none() => Some(account),
                Ok(_) | Err(StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            Err(_) => None,
        };
        let stored = match account.as_ref().and_then(|a| a.password_hash.clone()) {
            Some(stored) => stored,
            None => self.decoy().await?.to_owned(),
        };
        let password = if password.len() > passwords::MAX_LEN {
            ""
        } else {
            password
        };
        let matches = match self.verify(password, &stored).await {
            Ok(right) => right && account.is_some(),
            Err(error) => {
                // Not checked (no hashing slot in time): not a failure either.
                self.store.forget_login_failure(attempt).await?;
                return Err(error);
            }
        };
        let account = match account {
            // Read again after the slow check: two-step verification may
            // have been turned on meanwhile.
            Some(account) if matches => {
                self.store.forget_login_failure(attempt).await?;
                Some(self.store.account(account.id).await?)
            }
            other => other,
        };
        match &account {
            Some(account) if matches && account.totp_secret.is_some() => {
                let pending = secrets::new_secret()?;
                let waiting = self
                    .store
                    .create_pending_sign_in(
                        &secrets::stored_hash(&pending),
                        account.id,
                        now + SECOND_FACTOR_WAIT,
                    )
                    .await?;
                if !waiting {
                    return Ok(SignIn::Refused);
                }
                Ok(SignIn::SecondFactor { pending })
            }
            Some(account) if matches => self.start_session(account, prefix, device).await,
            _ => {
                // A stranger, whatever address was typed: the attempt is
                // not the account's own doing. The address is kept only if
                // it is one (never free text: a password pasted in the
                // wrong field must not end up in the log).
                let subject = match Email::parse(email) {
                    Ok(email) => format!("sign-in as <{email}>"),
                    Err(_) => "sign-in with something that is not an address".to_owned(),
                };
                self.audit(&Actor::web(None, prefix), "login_failed", &subject, "")
                    .await?;
                Ok(SignIn::Refused)
            }
        }
    }

    /// A new session for an account whose sign-in succeeded.
    async fn start_session(
        &self,
        account: &Account,
        prefix: &str,
        device: &str,
    ) -> Result<SignIn, EngineError> {
        let now = self.now();
        let secret = secrets::new_secret()?;
        let created = self
            .store
            .create_session(&SessionRecord {
                id_hash: secrets::stored_hash(&secret),
                account_id: account.id,
                created_at: now,
                last_seen_at: now,
                expires_at: now + SESSION_IDLE,
                device: device.chars().take(80).collect(),
                prefix: prefix.to_owned(),
            })
            .await?;
        if !created {
            // Disabled while its password was being checked.
            return Ok(SignIn::Refused);
        }
        let actor = Actor::web(Some(account), prefix);
        self.audit(&actor, "login", &subject_of(account), "")
            .await?;
        Ok(SignIn::Welcome {
            secret,
            account: Box::new(account.clone()),
        })
    }

    /// The second step of a sign-in: a code from the authenticator app or
    /// a recovery code. Wrong codes count against the same throttle as
    /// wrong passwords; a TOTP code works once.
    pub async fn second_factor(
        &self,
        pending: &str,
        code: &str,
        prefix: &str,
        device: &str,
    ) -> Result<SignIn, EngineError> {
        if !secrets::is_secret(pending) {
            return Ok(SignIn::Expired);
        }
        let now = self.now();
        let pending_hash = secrets::stored_hash(pending);
        let Some(account_id) = self.store.pending_sign_in(&pending_hash, now).await? else {
            return Ok(SignIn::Expired);
        };
        let account = self.store.account(account_id).await?;
        let Some(attempt) = self.attempt(account.email.as_str(), prefix).await? else {
            return Ok(SignIn::Throttled);
        };
        let code = code.chars().take(40).collect::<String>();
        let right = match &account.totp_secret {
            None => false,
            Some(_) if second_factor::looks_like_recovery_code(&code) => {
                self.store
                    .use_recovery_code(account.id, &second_factor::recovery_hash(&code), now)
                    .await?
            }
            Some(secret) => match second_factor::check(secret, &code, now) {
                Some(step) => self.store.accept_totp_step(account.id, step).await?,
                None => false,
            },
        };
        if !right {
            let actor = Actor::web(Some(&account), prefix);
            self.audit(&actor, "second_factor_failed", &subject_of(&account), "")
                .await?;
            return Ok(SignIn::Refused);
        }
        self.store.forget_login_failure(attempt).await?;
        // One session per half-done sign-in, however many requests race.
        if !self.store.end_pending_sign_in(&pending_hash, now).await? {
            return Ok(SignIn::Expired);
        }
        self.start_session(&account, prefix, device).await
    }

    /// Starts setting up the second factor: a new secret, kept pending
    /// until a code confirms it. Returns the otpauth URL, its QR code (SVG)
    /// and the secret in base32 for typing.
    pub async fn begin_second_factor(
        &self,
        session: &StaffSession,
        password: &str,
        issuer: &str,
        prefix: &str,
    ) -> Result<Result<(String, String, String), PasswordProblem>, EngineError> {
        if session.account.totp_secret.is_some() {
            return Ok(Err(PasswordProblem("already_on")));
        }
        // Whoever holds a session must not put their own phone on the
        // account: the password first, as for turning it off.
        if let Err(problem) = self.check_own_password(session, password, prefix).await? {
            return Ok(Err(problem));
        }
        let secret = second_factor::new_secret()?;
        self.store
            .set_totp_pending(session.account.id, Some(&secret))
            .await?;
        second_factor::enrolment(&secret, issuer, session.account.email.as_str()).map(Ok)
    }

    /// The set-up of the pending secret again (after a wrong code).
    pub async fn pending_second_factor(
        &self,
        session: &StaffSession,
        issuer: &str,
    ) -> Result<Option<(String, String, String)>, EngineError> {
        let account = self.store.account(session.account.id).await?;
        account
            .totp_pending
            .as_deref()
            .map(|secret| second_factor::enrolment(secret, issuer, account.email.as_str()))
            .transpose()
    }

    /// Confirms the pending secret with a code: the second factor is on,
    /// and the new recovery codes are returned (shown once).
    pub async fn confirm_second_factor(
        &self,
        session: &StaffSession,
        code: &str,
        prefix: &str,
    ) -> Result<Result<Vec<String>, PasswordProblem>, EngineError> {
        let account = self.store.account(session.account.id).await?;
        let Some(pending) = account.totp_pending.as_deref() else {
            return Ok(Err(PasswordProblem("wrong_code")));
        };
        let Some(step) = second_factor::check(pending, code, self.now()) else {
            return Ok(Err(PasswordProblem("wrong_code")));
        };
        let (codes, hashes) = second_factor::recovery_codes()?;
        let enabled = self
            .store
            .enable_totp(account.id, pending, step, &hashes, &session.id_hash)
            .await?;
        if !enabled {
            return Ok(Err(PasswordProblem("wrong_code")));
        }
        let actor = Actor::web(Some(&account), prefix);
        self.audit(&actor, "second_factor_on", &subject_of(&account), "")
            .await?;
        Ok(Ok(codes))
    }

    /// Turns the second factor off, after the password.
    pub async fn disable_second_factor(
        &self,
        session: &StaffSession,
        password: &str,
        prefix: &str,
    ) -> Result<Result<(), PasswordProblem>, EngineError> {
        let account = &session.account;
        if let Err(problem) = self.check_own_password(session, password, prefix).await? {
            return Ok(Err(problem));
        }
        self.store.disable_totp(account.id).await?;
        let actor = Actor::web(Some(account), prefix);
        self.audit(&actor, "second_factor_off", &subject_of(account), "")
            .await?;
        Ok(Ok(()))
    }

    /// Turns off another account's second factor (a lost phone and lost
    /// recovery codes): admins and the command line only.
    pub async fn clear_second_factor(&self, actor: &Actor<'_>, id: i64) -> Result<(), EngineError> {
        self.require(actor, Action::ManageAccounts)?;
        let account = self.account_or_404(id).await?;
        self.store.disable_totp(id).await?;
        self.audit(actor, "second_factor_cleared", &subject_of(&account), "")
            .await
    }

    pub async fn recovery_codes_left(&self, session: &StaffSession) -> Result<i64, EngineError> {
        Ok(self.store.recovery_codes_left(session.account.id).await?)
    }

    /// The session a cookie names, if it is live; its last use is recorded
    /// (at most every five minutes) and its expiry moved on.
    pub async fn session(&self, secret: &str) -> Result<Option<StaffSession>, EngineError> {
        if !secrets::is_secret(secret) {
            return Ok(None);
        }
        let now = self.now();
        let id_hash = secrets::stored_hash(secret);
        let Some((session, account)) = self.store.session(&id_hash, now).await? else {
            return Ok(None);
        };
        if now - session.last_seen_at >= TOUCH_EVERY {
            let expires = (now + SESSION_IDLE).min(session.created_at + SESSION_MAX);
            self.store.touch_session(&id_hash, now, expires).await?;
        }
        Ok(Some(StaffSession {
            account,
            form_token: secrets::form_token(secret),
            id_hash,
        }))
    }

    pub async fn sign_out(&self, session: &StaffSession, prefix: &str) -> Result<(), EngineError> {
        self.store
            .end_session(session.account.id, &session.id_hash)
            .await?;
        let actor = Actor::web(Some(&session.account), prefix);
        self.audit(&actor, "logout", &subject_of(&session.account), "")
            .await
    }

    /// Changes the signed-in member's password: every session ends,
    /// this one included; the caller signs them in afresh.
    pub async fn change_password(
        &self,
        session: &StaffSession,
        current: &str,
        new: &str,
        prefix: &str,
    ) -> Result<Result<(), PasswordProblem>, EngineError> {
        let account = &session.account;
        if let Err(problem) = self.check_own_password(session, current, prefix).await? {
            return Ok(Err(problem));
        }
        if let Some(problem) = passwords::problem(new, account.email.as_str()) {
            return Ok(Err(PasswordProblem(problem)));
        }
        let hash = self.hash(new).await?;
        self.store
            .set_password(account.id, &hash, self.now())
            .await?;
        let actor = Actor::web(Some(account), prefix);
        self.audit(
            &actor,
            "password_changed",
            &subject_of(account),
            "all sessions ended",
        )
        .await?;
        Ok(Ok(()))
    }

    /// Checks a signed-in member's password again (before a change), under
    /// the same throttle as signing in: a session holder cannot guess it
    /// without limit. Wrong guesses are in the audit log.
    async fn check_own_password(
        &self,
        session: &StaffSession,
        password: &str,
        prefix: &str,
    ) -> Result<Result<(), PasswordProblem>, EngineError> {
        let account = &session.account;
        let Some(attempt) = self.attempt(account.email.as_str(), prefix).await? else {
            return Ok(Err(PasswordProblem("throttled")));
        };
        let stored = account.password_hash.clone().unwrap_or_default();
        let right = match self.verify(password, &stored).await {
            Ok(right) => right && password.len() <= passwords::MAX_LEN,
            Err(error) => {
                self.store.forget_login_failure(attempt).await?;
                return Err(error);
            }
        };
        if right {
            self.store.forget_login_failure(attempt).await?;
            return Ok(Ok(()));
        }
        let actor = Actor::web(Some(account), prefix);
        self.audit(&actor, "password_check_failed", &subject_of(account), "")
            .await?;
        Ok(Err(PasswordProblem("wrong_current")))
    }

    /// A new account. With a password it can sign in at once; without, the
    /// answer carries an invitation link to set one.
    pub async fn add_account(
        &self,
        actor: &Actor<'_>,
        new: NewStaff<'_>,
    ) -> Result<(Account, Option<String>), EngineError> {
        self.require(actor, Action::ManageAccounts)?;
        let email = Email::parse(new.email).map_err(|e| EngineError::BadRequest(e.to_string()))?;
        let name_zh = checked_name(new.name_zh)?;
        let name_en = match new.name_en.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => checked_name(name)?,
            None => name_zh.clone(),
        };
        let password_hash = match new.password {
            Some(password) => {
                if let Some(problem) = passwords::problem(password, email.as_str()) {
                    return Err(EngineError::BadRequest(password_message(problem).into()));
                }
                Some(self.hash(password).await?)
            }
            None => None,
        };
        let id = self
            .store
            .create_account(&NewAccount {
                email: email.clone(),
                name_zh,
                name_en,
                role: new.role,
                lang: new.lang,
                password_hash,
                created_at: self.now(),
            })
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => {
                    EngineError::BadRequest(format!("an account for {email} exists already"))
                }
                other => other.into(),
            })?;
        let account = self.store.account(id).await?;
        self.audit(
            actor,
            "account_added",
            &subject_of(&account),
            &format!("role {}", account.role.as_str()),
        )
        .await?;
        let link = if account.password_hash.is_none() {
            Some(self.link(&account, LinkPurpose::Invitation).await?)
        } else {
            None
        };
        Ok((account, link))
    }

    /// A reset link for the account with this address (its older links
    /// stop working).
    pub async fn reset_link(&self, actor: &Actor<'_>, email: &str) -> Result<String, EngineError> {
        self.require(actor, Action::ManageAccounts)?;
        let email = Email::parse(email).map_err(|e| EngineError::BadRequest(e.to_string()))?;
        let account = match self.store.account_by_email(&email).await {
            Err(StoreError::NotFound) => {
                return Err(EngineError::NotFound(format!("no account for {email}")));
            }
            other => other?,
        };
        if account.disabled_at.is_some() {
            return Err(EngineError::BadRequest(format!(
                "{email} is disabled: enable it first"
            )));
        }
        let link = self.link(&account, LinkPurpose::Reset).await?;
        self.audit(actor, "reset_link", &subject_of(&account), "")
            .await?;
        Ok(link)
    }

    /// A single-use link, built from the configured base URL (never from a
    /// request's Host header).
    async fn link(&self, account: &Account, purpose: LinkPurpose) -> Result<String, EngineError> {
        let secret = secrets::new_secret()?;
        let now = self.now();
        self.store
            .create_link(
                &secrets::stored_hash(&secret),
                account.id,
                purpose,
                now,
                now + LINK_LIFETIME,
            )
            .await?;
        Ok(format!("{}/admin/password/{secret}", self.base_url))
    }

    /// The account and purpose of an open link.
    pub async fn open_link(
        &self,
        secret: &str,
    ) -> Result<Option<(Account, LinkPurpose)>, EngineError> {
        if !secrets::is_secret(secret) {
            return Ok(None);
        }
        match self
            .store
            .open_link(&secrets::stored_hash(secret), self.now())
            .await?
        {
            Some((id, purpose)) => Ok(Some((self.store.account(id).await?, purpose))),
            None => Ok(None),
        }
    }

    /// Sets a password through a link, which is then used up; every
    /// session of the account ends.
    pub async fn set_password_by_link(
        &self,
        secret: &str,
        password: &str,
        prefix: &str,
    ) -> Result<Result<Account, PasswordProblem>, EngineError> {
        let Some((account, _)) = self.open_link(secret).await? else {
            return Ok(Err(PasswordProblem("link_used")));
        };
        if let Some(problem) = passwords::problem(password, account.email.as_str()) {
            return Ok(Err(PasswordProblem(problem)));
        }
        let hash = self.hash(password).await?;
        let Some(id) = self
            .store
            .set_password_by_link(&secrets::stored_hash(secret), &hash, self.now())
            .await?
        else {
            return Ok(Err(PasswordProblem("link_used")));
        };
        let account = self.store.account(id).await?;
        // A new password ends a lock-out someone else caused.
        let key = self.email_key(account.email.as_str()).await?;
        self.store.clear_login_failures(&key).await?;
        let actor = Actor::web(Some(&account), prefix);
        self.audit(
            &actor,
            "password_set",
            &subject_of(&account),
            "by link; all sessions ended",
        )
        .await?;
        Ok(Ok(account))
    }

    pub async fn accounts(&self, actor: &Actor<'_>) -> Result<Vec<Account>, EngineError> {
        self.require(actor, Action::ManageAccounts)?;
        Ok(self.store.accounts().await?)
    }

    /// Every account, for the command line (run by whoever runs the server).
    pub async fn all_accounts(&self) -> Result<Vec<Account>, EngineError> {
        Ok(self.store.accounts().await?)
    }

    pub async fn set_role(
        &self,
        actor: &Actor<'_>,
        id: i64,
        role: Role,
    ) -> Result<(), EngineError> {
        self.require(actor, Action::ManageAccounts)?;
        let account = self.account_or_404(id).await?;
        if actor.account.is_some_and(|me| me.id == id) && role != Role::Admin {
            return Err(EngineError::BadRequest(
                "an admin cannot take away their own admin role (another admin can)".into(),
            ));
        }
        if !self.store.set_role(id, role).await? {
            return Err(EngineError::BadRequest(LAST_ADMIN.into()));
        }
        self.audit(
            actor,
            "role_changed",
            &subject_of(&account),
            &format!("{} -> {}", account.role.as_str(), role.as_str()),
        )
        .await
    }

    /// Disables an account (its sessions and links end at once; it cannot
    /// sign in) or enables it again. Nobody disables themselves, and the
    /// last admin stays.
    pub async fn set_disabled(
        &self,
        actor: &Actor<'_>,
        id: i64,
        disabled: bool,
    ) -> Result<(), EngineError> {
        self.require(actor, Action::ManageAccounts)?;
        let account = self.account_or_404(id).await?;
        if disabled && actor.account.is_some_and(|me| me.id == id) {
            return Err(EngineError::BadRequest(
                "nobody can disable their own account (another admin can)".into(),
            ));
        }
        let at = disabled.then(|| self.now());
        if !self.store.set_disabled(id, at).await? {
            return Err(EngineError::BadRequest(LAST_ADMIN.into()));
        }
        let action = if disabled {
            "account_disabled"
        } else {
            "account_enabled"
        };
        self.audit(actor, action, &subject_of(&account), "").await
    }

    /// Finds an account by address, for the command line.
    pub async fn account_by_email(&self, email: &str) -> Result<Account, EngineError> {
        let email = Email::parse(email).map_err(|e| EngineError::BadRequest(e.to_string()))?;
        match self.store.account_by_email(&email).await {
            Err(StoreError::NotFound) => {
                Err(EngineError::NotFound(format!("no account for {email}")))
            }
            other => Ok(other?),
        }
    }

    pub async fn set_lang(&self, session: &StaffSession, lang: Lang) -> Result<(), EngineError> {
        Ok(self
            .store
            .set_account_lang(session.account.id, lang)
            .await?)
    }

    async fn account_or_404(&self, id: i64) -> Result<Account, EngineError> {
        match self.store.account(id).await {
            Err(StoreError::NotFound) => Err(EngineError::NotFound(format!("no account {id}"))),
            other => Ok(other?),
        }
    }

    /// An account's live sessions: its owner's own, or any for admins.
    pub async fn sessions_of(
        &self,
        actor: &Actor<'_>,
        account_id: i64,
    ) -> Result<Vec<SessionRecord>, EngineError> {
        if actor.account.is_none_or(|me| me.id != account_id) {
            self.require(actor, Action::EndOthersSessions)?;
        }
        Ok(self.store.sessions_of(account_id, self.now()).await?)
    }

    /// Ends the session with this handle: one's own, or anyone's for admins.
    pub async fn end_session(
        &self,
        actor: &Actor<'_>,
        account_id: i64,
        handle: &str,
    ) -> Result<bool, EngineError> {
        let sessions = self.sessions_of(actor, account_id).await?;
        let Some(session) = sessions
            .iter()
            .find(|s| secrets::same(&secrets::handle(&s.id_hash), handle))
        else {
            return Ok(false);
        };
        let ended = self.store.end_session(account_id, &session.id_hash).await?;
        let account = self.account_or_404(account_id).await?;
        self.audit(
            actor,
            "session_revoked",
            &subject_of(&account),
            &session.device,
        )
        .await?;
        Ok(ended)
    }

    pub async fn audit_entries(
        &self,
        actor: &Actor<'_>,
        filter: &AuditFilter,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, EngineError> {
        self.require(actor, Action::ReadAudit)?;
        Ok(self.store.audit_entries(filter, limit).await?)
    }

    /// Records a staff action.
    pub async fn audit(
        &self,
        actor: &Actor<'_>,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), EngineError> {
        record(
            self.store.as_ref(),
            self.now(),
            actor,
            action,
            subject,
            detail,
        )
        .await
    }

    /// Forgets what is kept only for a while: throttle records and ended
    /// sessions and links after a day, audit prefixes after 90 days.
    pub async fn forget_old(&self) -> Result<(), EngineError> {
        let now = self.now();
        Ok(self
            .store
            .forget_old_account_data(now - 86_400, now - AUDIT_PREFIX_DAYS * 86_400)
            .await?)
    }

    /// The command line acts as an admin; a signed-in member by their
    /// role; a stranger not at all.
    fn require(&self, actor: &Actor<'_>, action: Action) -> Result<(), EngineError> {
        match actor.account {
            None if actor.command_line => Ok(()),
            None => Err(EngineError::Forbidden("sign in first".into())),
            Some(account) if permissions::allowed(account.role, action) => Ok(()),
            Some(_) => Err(EngineError::Forbidden(format!(
                "your role may not do this ({action:?})"
            ))),
        }
    }
}

/// Writes an audit entry: who (as named now), what, on what, the network
/// prefix. Every service's audit goes through here.
pub(crate) async fn record(
    store: &dyn gazette_store::AccountStore,
    at: i64,
    actor: &Actor<'_>,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), EngineError> {
    let who = match actor.account {
        Some(account) if actor.scheduler => {
            format!("schedule, set by {} <{}>", account.name_zh, account.email)
        }
        Some(account) => format!("{} <{}>", account.name_zh, account.email),
        None if actor.scheduler => "schedule".to_owned(),
        None if actor.command_line => "command line".to_owned(),
        None => "anonymous".to_owned(),
    };
    Ok(store
        .audit(&NewAuditEntry {
            at,
            account_id: actor.account.map(|a| a.id),
            actor: who,
            action: action.to_owned(),
            subject: subject.to_owned(),
            detail: detail.to_owned(),
            prefix: actor.prefix.map(str::to_owned),
        })
        .await?)
}

/// What adding an account takes.
#[derive(Debug, Clone, Copy)]
pub struct NewStaff<'a> {
    pub email: &'a str,
    pub name_zh: &'a str,
    pub name_en: Option<&'a str>,
    pub role: Role,
    pub lang: Lang,
    pub password: Option<&'a str>,
}

fn subject_of(account: &Account) -> String {
    format!("account {} <{}>", account.id, account.email)
}

fn stored_key(secret: &str) -> Vec<u8> {
    blake3::hash(secret.as_bytes()).as_bytes().to_vec()
}

fn checked_name(name: &str) -> Result<String, EngineError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(EngineError::BadRequest(
            "a name is 1 to 60 characters, without control characters".into(),
        ));
    }
    Ok(name.to_owned())
}

/// The English message for a refused password (the web layer has its own
/// words in both languages).
pub fn password_message(key: &str) -> &'static str {
    match key {
        "too_short" => "a password needs at least 10 characters",
        "too_long" => "a password is at most 256 bytes",
        "is_email" => "a password cannot be the account's address",
        "wrong_current" => "the current password is not right",
        "throttled" => "too many attempts; try again in fifteen minutes",
        "already_on" => "two-step verification is already on",
        _ => "this link has been used or has expired; ask an admin for a new one",
    }
}
