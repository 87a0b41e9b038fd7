//! The embedded backend: one SQLite file in WAL mode under the data directory.

use crate::{
    Result, StoreError, sql::impl_store, sql_accounts::impl_accounts, sql_changes::impl_changes,
    sql_curation::impl_curation, sql_dashboard::impl_dashboard, sql_media::impl_media,
    sql_newsroom::impl_newsroom, sql_publishing::impl_publishing, sql_review::impl_review,
    sql_search::impl_search, sql_sitemaps::impl_sitemaps,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Sqlite};
use std::path::Path;
use std::time::Duration;

/// SQLite with one writer connection (so writers queue in the pool rather
/// than meet `SQLITE_BUSY`) and a few readers that WAL lets run alongside.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(crate) read: Pool<Sqlite>,
    pub(crate) write: Pool<Sqlite>,
}

/// When SQLite waits for the disk. `Full` (the default) syncs the WAL on
/// every commit, so an acknowledged write survives a power cut; `Normal`
/// syncs only at checkpoints: it survives a crash of the process, not of
/// the machine. Offered for measurement and for sites that accept that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    #[default]
    Full,
    Normal,
}

impl Durability {
    /// Reads `full` or `normal`.
    pub fn parse(value: &str) -> Result<Self> {
        match value {
            "full" => Ok(Durability::Full),
            "normal" => Ok(Durability::Normal),
            other => Err(StoreError::Config(format!(
                "synchronous must be full or normal, not {other:?}"
            ))),
        }
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and migrates it, with
    /// `synchronous=FULL`.
    pub async fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, Durability::Full).await
    }

    /// Opens the database with the given durability.
    pub async fn open_with(path: &Path, durability: Durability) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Config(format!("cannot create {}: {e}", dir.display())))?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a write is on disk before it is acknowledged.
            .synchronous(match durability {
                Durability::Full => SqliteSynchronous::Full,
                Durability::Normal => SqliteSynchronous::Normal,
            })
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // Deleted rows (e.g. expired de-duplication keys) are overwritten, not left in free pages.
            .pragma("secure_delete", "on");
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(SqliteStore { read, write })
    }
}

impl SqliteStore {
    /// One process writes: it applies its own changes as it makes them.
    fn listen_for_changes(&self) -> Option<tokio::sync::mpsc::Receiver<()>> {
        None
    }
}

impl_store!(SqliteStore, Sqlite, "sqlite");
impl_accounts!(SqliteStore, Sqlite);
impl_newsroom!(SqliteStore, Sqlite);
impl_review!(SqliteStore, Sqlite);
impl_media!(SqliteStore, Sqlite);
impl_dashboard!(SqliteStore, Sqlite);
impl_curation!(SqliteStore, Sqlite);
impl_sitemaps!(SqliteStore, Sqlite);
impl_search!(SqliteStore, Sqlite);
impl_publishing!(SqliteStore, Sqlite);
impl_changes!(SqliteStore, Sqlite, false);
