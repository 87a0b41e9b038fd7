//! The accounts area's SQL, the same on both backends (see `sql.rs`):
//! `impl_accounts!` stamps it onto each backend's store.

use crate::accounts::{Account, AuditEntry, LinkPurpose, SessionRecord};
use crate::{Result, StoreError};
use gazette_core::{Email, Lang, Role};

pub(crate) const ACCOUNT_COLUMNS: &str = "id, email, name_zh, name_en, affiliation_zh, affiliation_en, role, lang, \
     password_hash, created_at, disabled_at, totp_secret, totp_pending";

/// How many admins can sign in (enabled, with a password): the last one
/// is never demoted or disabled.
pub(crate) const ADMINS_WHO_CAN_SIGN_IN: &str = "(SELECT COUNT(*) FROM accounts \
     WHERE role = 'admin' AND disabled_at IS NULL AND password_hash IS NOT NULL)";

pub(crate) const SESSION_COLUMNS: &str =
    "id_hash, account_id, created_at, last_seen_at, expires_at, device, prefix";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AccountRow {
    id: i64,
    email: String,
    name_zh: String,
    name_en: String,
    affiliation_zh: Option<String>,
    affiliation_en: Option<String>,
    role: String,
    lang: String,
    password_hash: Option<String>,
    created_at: i64,
    disabled_at: Option<i64>,
    totp_secret: Option<Vec<u8>>,
    totp_pending: Option<Vec<u8>>,
}

impl TryFrom<AccountRow> for Account {
    type Error = StoreError;
    fn try_from(row: AccountRow) -> Result<Self> {
        Ok(Account {
            id: row.id,
            email: Email::parse(&row.email)?,
            name_zh: row.name_zh,
            name_en: row.name_en,
            affiliation_zh: row.affiliation_zh,
            affiliation_en: row.affiliation_en,
            role: Role::parse(&row.role)?,
            lang: Lang::parse(&row.lang)?,
            password_hash: row.password_hash,
            created_at: row.created_at,
            disabled_at: row.disabled_at,
            totp_secret: row.totp_secret,
            totp_pending: row.totp_pending,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SessionRow {
    id_hash: Vec<u8>,
    account_id: i64,
    created_at: i64,
    last_seen_at: i64,
    expires_at: i64,
    device: String,
    prefix: String,
}

impl From<SessionRow> for SessionRecord {
    fn from(row: SessionRow) -> Self {
        SessionRecord {
            id_hash: row.id_hash,
            account_id: row.account_id,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            expires_at: row.expires_at,
            device: row.device,
            prefix: row.prefix,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AuditRow {
    id: i64,
    at: i64,
    account_id: Option<i64>,
    actor: String,
    action: String,
    subject: String,
    detail: String,
    prefix: Option<String>,
}

impl From<AuditRow> for AuditEntry {
    fn from(row: AuditRow) -> Self {
        AuditEntry {
            id: row.id,
            at: row.at,
            account_id: row.account_id,
            actor: row.actor,
            action: row.action,
            subject: row.subject,
            detail: row.detail,
            prefix: row.prefix,
        }
    }
}

pub(crate) fn purpose(text: &str) -> Result<LinkPurpose> {
    LinkPurpose::parse(text)
}

macro_rules! impl_accounts {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Ends every way into an account: its sessions and half-done
            /// sign-ins, and (with a time) its open links. In the caller's
            /// transaction, with the change that calls for it.
            async fn end_access(
                tx: &mut sqlx::Transaction<'_, $db>,
                id: i64,
                links_used_at: Option<i64>,
            ) -> $crate::Result<()> {
                sqlx::query::<$db>("DELETE FROM sessions WHERE account_id = $1")
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                sqlx::query::<$db>("DELETE FROM pending_sign_ins WHERE account_id = $1")
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                if let Some(at) = links_used_at {
                    sqlx::query::<$db>(
                        "UPDATE account_links SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL",
                    )
                    .bind(at)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                }
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::accounts::AccountStore for $store {
            async fn create_account(&self, a: &$crate::accounts::NewAccount) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO accounts (email, name_zh, name_en, role, lang, password_hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(a.email.as_str())
                .bind(&a.name_zh)
                .bind(&a.name_en)
                .bind(a.role.as_str())
                .bind(a.lang.code())
                .bind(&a.password_hash)
                .bind(a.created_at)
                .fetch_one(&self.write)
                .await?)
            }

            async fn account(&self, id: i64) -> $crate::Result<$crate::accounts::Account> {
                let sql = format!("SELECT {} FROM accounts WHERE id = $1", $crate::sql_accounts::ACCOUNT_COLUMNS);
                sqlx::query_as::<$db, $crate::sql_accounts::AccountRow>(sqlx::AssertSqlSafe(sql))
                    .bind(id)
                    .fetch_one(&self.write)
                    .await?
                    .try_into()
            }

            async fn account_by_email(&self, email: &gazette_core::Email) -> $crate::Result<$crate::accounts::Account> {
                let sql = format!("SELECT {} FROM accounts WHERE email = $1", $crate::sql_accounts::ACCOUNT_COLUMNS);
                sqlx::query_as::<$db, $crate::sql_accounts::AccountRow>(sqlx::AssertSqlSafe(sql))
                    .bind(email.as_str())
                    .fetch_one(&self.write)
                    .await?
                    .try_into()
            }

            async fn accounts(&self) -> $crate::Result<Vec<$crate::accounts::Account>> {
                let sql = format!("SELECT {} FROM accounts ORDER BY email", $crate::sql_accounts::ACCOUNT_COLUMNS);
                sqlx::query_as::<$db, $crate::sql_accounts::AccountRow>(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&self.write)
                    .await?
                    .into_iter()
                    .map(TryInto::try_into)
                    .collect()
            }

            async fn set_role(&self, id: i64, role: gazette_core::Role) -> $crate::Result<bool> {
                let mut tx = self.write.begin().await?;
                // Lock the admins' rows first (PostgreSQL: a concurrent change
                // of another admin waits, then sees this one), so that the
                // last admin who can sign in stays one.
                sqlx::query::<$db>("UPDATE accounts SET role = role WHERE role = 'admin'")
                    .execute(&mut *tx)
                    .await?;
                let done = sqlx::query::<$db>(sqlx::AssertSqlSafe(format!(
                    "UPDATE accounts SET role = $1 WHERE id = $2 AND ($1 = 'admin' OR role <> 'admin' \
                     OR disabled_at IS NOT NULL OR password_hash IS NULL OR {} > 1)",
                    $crate::sql_accounts::ADMINS_WHO_CAN_SIGN_IN
                )))
                .bind(role.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    tx.rollback().await?;
                    self.account(id).await?;
                    return Ok(false);
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn set_disabled(&self, id: i64, at: Option<i64>) -> $crate::Result<bool> {
                let mut tx = self.write.begin().await?;
                sqlx::query::<$db>("UPDATE accounts SET role = role WHERE role = 'admin'")
                    .execute(&mut *tx)
                    .await?;
                let done = match at {
                    Some(at) => sqlx::query::<$db>(sqlx::AssertSqlSafe(format!(
                        "UPDATE accounts SET disabled_at = $1 WHERE id = $2 AND (role <> 'admin' \
                         OR disabled_at IS NOT NULL OR password_hash IS NULL OR {} > 1)",
                        $crate::sql_accounts::ADMINS_WHO_CAN_SIGN_IN
                    )))
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?,
                    None => sqlx::query::<$db>("UPDATE accounts SET disabled_at = NULL WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?,
                };
                if done.rows_affected() == 0 {
                    tx.rollback().await?;
                    self.account(id).await?;
                    return Ok(false);
                }
                // Disabled or enabled again, the account starts with no
                // session and no half-done sign-in.
                Self::end_access(&mut tx, id, at).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn set_account_lang(&self, id: i64, lang: gazette_core::Lang) -> $crate::Result<()> {
                sqlx::query::<$db>("UPDATE accounts SET lang = $1 WHERE id = $2")
                    .bind(lang.code())
                    .bind(id)
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn set_password(&self, id: i64, hash: &str, now: i64) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                let done = sqlx::query::<$db>("UPDATE accounts SET password_hash = $1 WHERE id = $2")
                    .bind(hash)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 { return Err($crate::StoreError::NotFound); }
                Self::end_access(&mut tx, id, Some(now)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_session(&self, s: &$crate::accounts::SessionRecord) -> $crate::Result<bool> {
                // Only for an account that is not disabled (a sign-in whose
                // password check ended just after the account was disabled).
                let done = sqlx::query::<$db>(
                    "INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, expires_at, device, prefix) \
                     SELECT $1, id, $3, $4, $5, $6, $7 FROM accounts WHERE id = $2 AND disabled_at IS NULL",
                )
                .bind(&s.id_hash)
                .bind(s.account_id)
                .bind(s.created_at)
                .bind(s.last_seen_at)
                .bind(s.expires_at)
                .bind(&s.device)
                .bind(&s.prefix)
                .execute(&self.write)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn session(
                &self,
                id_hash: &[u8],
                now: i64,
            ) -> $crate::Result<Option<($crate::accounts::SessionRecord, $crate::accounts::Account)>> {
                let sql = format!(
                    "SELECT {} FROM sessions WHERE id_hash = $1 AND expires_at > $2",
                    $crate::sql_accounts::SESSION_COLUMNS
                );
                let Some(row) = sqlx::query_as::<$db, $crate::sql_accounts::SessionRow>(sqlx::AssertSqlSafe(sql))
                    .bind(id_hash)
                    .bind(now)
                    .fetch_optional(&self.write)
                    .await?
                else {
                    return Ok(None);
                };
                let session: $crate::accounts::SessionRecord = row.into();
                let account = self.account(session.account_id).await?;
                Ok(account.disabled_at.is_none().then_some((session, account)))
            }

            async fn touch_session(&self, id_hash: &[u8], now: i64, expires_at: i64) -> $crate::Result<()> {
                sqlx::query::<$db>("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3")
                    .bind(now)
                    .bind(expires_at)
                    .bind(id_hash)
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn sessions_of(&self, account_id: i64, now: i64) -> $crate::Result<Vec<$crate::accounts::SessionRecord>> {
                let sql = format!(
                    "SELECT {} FROM sessions WHERE account_id = $1 AND expires_at > $2 ORDER BY created_at DESC",
                    $crate::sql_accounts::SESSION_COLUMNS
                );
                Ok(sqlx::query_as::<$db, $crate::sql_accounts::SessionRow>(sqlx::AssertSqlSafe(sql))
                    .bind(account_id)
                    .bind(now)
                    .fetch_all(&self.write)
                    .await?
                    .into_iter()
                    .map(Into::into)
                    .collect())
            }

            async fn end_session(&self, account_id: i64, id_hash: &[u8]) -> $crate::Result<bool> {
                let done = sqlx::query::<$db>("DELETE FROM sessions WHERE account_id = $1 AND id_hash = $2")
                    .bind(account_id)
                    .bind(id_hash)
                    .execute(&self.write)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn end_sessions_of(&self, account_id: i64) -> $crate::Result<()> {
                sqlx::query::<$db>("DELETE FROM sessions WHERE account_id = $1")
                    .bind(account_id)
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn create_link(
                &self,
                token_hash: &[u8],
                account_id: i64,
                purpose: $crate::accounts::LinkPurpose,
                now: i64,
                expires_at: i64,
            ) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                sqlx::query::<$db>("UPDATE account_links SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL")
                    .bind(now)
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query::<$db>(
                    "INSERT INTO account_links (token_hash, account_id, purpose, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(token_hash)
                .bind(account_id)
                .bind(purpose.as_str())
                .bind(now)
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn open_link(&self, token_hash: &[u8], now: i64) -> $crate::Result<Option<(i64, $crate::accounts::LinkPurpose)>> {
                let row = sqlx::query_as::<$db, (i64, String)>(
                    "SELECT account_id, purpose FROM account_links \
                     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
                     AND account_id IN (SELECT id FROM accounts WHERE disabled_at IS NULL)",
                )
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.write)
                .await?;
                row.map(|(id, purpose)| Ok((id, $crate::sql_accounts::purpose(&purpose)?))).transpose()
            }

            async fn set_password_by_link(&self, token_hash: &[u8], hash: &str, now: i64) -> $crate::Result<Option<i64>> {
                let mut tx = self.write.begin().await?;
                // Used up in the same statement that checks it: two uses at once, one wins.
                let Some(account_id) = sqlx::query_scalar::<$db, i64>(
                    "UPDATE account_links SET used_at = $1 \
                     WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
                     AND account_id IN (SELECT id FROM accounts WHERE disabled_at IS NULL) RETURNING account_id",
                )
                .bind(now)
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?
                else {
                    return Ok(None);
                };
                sqlx::query::<$db>("UPDATE accounts SET password_hash = $1 WHERE id = $2")
                    .bind(hash)
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?;
                Self::end_access(&mut tx, account_id, Some(now)).await?;
                tx.commit().await?;
                Ok(Some(account_id))
            }

            async fn record_login_failure(&self, email_hash: &[u8], prefix: &str, now: i64) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO login_failures (at, email_hash, prefix) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(now)
                .bind(email_hash)
                .bind(prefix)
                .fetch_one(&self.write)
                .await?)
            }

            async fn forget_login_failure(&self, id: i64) -> $crate::Result<()> {
                sqlx::query::<$db>("DELETE FROM login_failures WHERE id = $1")
                    .bind(id)
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn clear_login_failures(&self, email_hash: &[u8]) -> $crate::Result<()> {
                sqlx::query::<$db>("DELETE FROM login_failures WHERE email_hash = $1")
                    .bind(email_hash)
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn login_failures(&self, email_hash: &[u8], prefix: &str, since: i64, up_to: i64) -> $crate::Result<(i64, i64)> {
                let by_email = sqlx::query_scalar::<$db, i64>(
                    "SELECT COUNT(*) FROM login_failures WHERE email_hash = $1 AND at > $2 AND id <= $3",
                )
                .bind(email_hash)
                .bind(since)
                .bind(up_to)
                .fetch_one(&self.write)
                .await?;
                let by_prefix = sqlx::query_scalar::<$db, i64>(
                    "SELECT COUNT(*) FROM login_failures WHERE prefix = $1 AND at > $2 AND id <= $3",
                )
                .bind(prefix)
                .bind(since)
                .bind(up_to)
                .fetch_one(&self.write)
                .await?;
                Ok((by_email, by_prefix))
            }

            async fn audit(&self, e: &$crate::accounts::NewAuditEntry) -> $crate::Result<()> {
                sqlx::query::<$db>(
                    "INSERT INTO audit_log (at, account_id, actor, action, subject, detail, prefix) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(e.at)
                .bind(e.account_id)
                .bind(&e.actor)
                .bind(&e.action)
                .bind(&e.subject)
                .bind(&e.detail)
                .bind(&e.prefix)
                .execute(&self.write)
                .await?;
                Ok(())
            }

            async fn audit_entries(
                &self,
                filter: &$crate::accounts::AuditFilter,
                limit: i64,
            ) -> $crate::Result<Vec<$crate::accounts::AuditEntry>> {
                // Absent filters compare a column with itself (NULLs aside: account_id is
                // matched only when asked for), so one statement serves every filter.
                Ok(sqlx::query_as::<$db, $crate::sql_accounts::AuditRow>(
                    "SELECT id, at, account_id, actor, action, subject, detail, prefix FROM audit_log \
                     WHERE ($1 IS NULL OR account_id = $1) AND ($2 IS NULL OR action = $2) \
                     AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4",
                )
                .bind(filter.account_id)
                .bind(&filter.action)
                .bind(filter.before_id)
                .bind(limit)
                .fetch_all(&self.write)
                .await?
                .into_iter()
                .map(Into::into)
                .collect())
            }

            async fn set_totp_pending(&self, id: i64, secret: Option<&[u8]>) -> $crate::Result<()> {
                sqlx::query::<$db>("UPDATE accounts SET totp_pending = $1 WHERE id = $2")
                    .bind(secret)
                    .bind(id)
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn enable_totp(
                &self,
                id: i64,
                secret: &[u8],
                step: i64,
                recovery_hashes: &[Vec<u8>],
                keep_session: &[u8],
            ) -> $crate::Result<bool> {
                let mut tx = self.write.begin().await?;
                // Only the secret being set up, and only while none is on.
                let done = sqlx::query::<$db>(
                    "UPDATE accounts SET totp_secret = $1, totp_pending = NULL, totp_last_step = $2 \
                     WHERE id = $3 AND totp_secret IS NULL AND totp_pending = $1",
                )
                .bind(secret)
                .bind(step)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    tx.rollback().await?;
                    return Ok(false);
                }
                sqlx::query::<$db>("DELETE FROM recovery_codes WHERE account_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for hash in recovery_hashes {
                    sqlx::query::<$db>("INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2)")
                        .bind(id)
                        .bind(hash)
                        .execute(&mut *tx)
                        .await?;
                }
                // Sessions opened with the password alone end, but this one.
                sqlx::query::<$db>("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
                    .bind(id)
                    .bind(keep_session)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query::<$db>("DELETE FROM pending_sign_ins WHERE account_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn disable_totp(&self, id: i64) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                sqlx::query::<$db>(
                    "UPDATE accounts SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL WHERE id = $1",
                )
                .bind(id)
                .execute(&mut *tx)
                .await?;
                sqlx::query::<$db>("DELETE FROM pending_sign_ins WHERE account_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query::<$db>("DELETE FROM recovery_codes WHERE account_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn accept_totp_step(&self, id: i64, step: i64) -> $crate::Result<bool> {
                let done = sqlx::query::<$db>(
                    "UPDATE accounts SET totp_last_step = $1 \
                     WHERE id = $2 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $1)",
                )
                .bind(step)
                .bind(id)
                .execute(&self.write)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn use_recovery_code(&self, id: i64, code_hash: &[u8], now: i64) -> $crate::Result<bool> {
                let done = sqlx::query::<$db>(
                    "UPDATE recovery_codes SET used_at = $1 WHERE account_id = $2 AND code_hash = $3 AND used_at IS NULL",
                )
                .bind(now)
                .bind(id)
                .bind(code_hash)
                .execute(&self.write)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn recovery_codes_left(&self, id: i64) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT COUNT(*) FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL",
                )
                .bind(id)
                .fetch_one(&self.write)
                .await?)
            }

            async fn create_pending_sign_in(&self, id_hash: &[u8], account_id: i64, expires_at: i64) -> $crate::Result<bool> {
                let done = sqlx::query::<$db>(
                    "INSERT INTO pending_sign_ins (id_hash, account_id, expires_at) \
                     SELECT $1, id, $3 FROM accounts WHERE id = $2 AND disabled_at IS NULL",
                )
                .bind(id_hash)
                .bind(account_id)
                .bind(expires_at)
                .execute(&self.write)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn pending_sign_in(&self, id_hash: &[u8], now: i64) -> $crate::Result<Option<i64>> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT account_id FROM pending_sign_ins WHERE id_hash = $1 AND expires_at > $2",
                )
                .bind(id_hash)
                .bind(now)
                .fetch_optional(&self.write)
                .await?)
            }

            async fn end_pending_sign_in(&self, id_hash: &[u8], now: i64) -> $crate::Result<bool> {
                // Used up by exactly one request: the one whose DELETE finds it.
                let done = sqlx::query::<$db>("DELETE FROM pending_sign_ins WHERE id_hash = $1 AND expires_at > $2")
                    .bind(id_hash)
                    .bind(now)
                    .execute(&self.write)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn forget_old_account_data(&self, before: i64, prefixes_before: i64) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                sqlx::query::<$db>("DELETE FROM pending_sign_ins WHERE expires_at < $1")
                    .bind(before)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query::<$db>("DELETE FROM login_failures WHERE at < $1")
                    .bind(before)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query::<$db>("DELETE FROM sessions WHERE expires_at < $1")
                    .bind(before)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query::<$db>("DELETE FROM account_links WHERE expires_at < $1")
                    .bind(before)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query::<$db>("UPDATE audit_log SET prefix = NULL WHERE at < $1 AND prefix IS NOT NULL")
                    .bind(prefixes_before)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_accounts;
