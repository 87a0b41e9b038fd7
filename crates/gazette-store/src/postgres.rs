//! The networked backend: PostgreSQL, for several app nodes sharing one database.

use crate::{
    Result, sql::impl_store, sql_accounts::impl_accounts, sql_changes::impl_changes,
    sql_curation::impl_curation, sql_dashboard::impl_dashboard, sql_media::impl_media,
    sql_newsroom::impl_newsroom, sql_publishing::impl_publishing, sql_review::impl_review,
    sql_search::impl_search, sql_sitemaps::impl_sitemaps,
};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Pool, Postgres};
use std::str::FromStr;

/// PostgreSQL; readers and writers share one pool (the server handles concurrency).
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pub(crate) read: Pool<Postgres>,
    pub(crate) write: Pool<Postgres>,
}

impl PostgresStore {
    /// Connects and migrates. `schema`, when given, is created if missing and
    /// used as the search path: tests get a fresh schema each.
    pub async fn connect(url: &str, schema: Option<&str>) -> Result<Self> {
        let mut options = PgConnectOptions::from_str(url)?;
        if let Some(schema) = schema {
            let admin = PgPoolOptions::new()
                .max_connections(1)
                .connect_with(options.clone())
                .await?;
            // The schema name is quoted and stripped of quotes: it cannot leave the identifier.
            let create = format!(
                "CREATE SCHEMA IF NOT EXISTS \"{}\"",
                schema.replace('"', "")
            );
            sqlx::query(sqlx::AssertSqlSafe(create))
                .execute(&admin)
                .await?;
            admin.close().await;
            options = options.options([("search_path", schema)]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        Ok(PostgresStore {
            read: pool.clone(),
            write: pool,
        })
    }
}

impl PostgresStore {
    /// Listens for the change log's notifications on a connection of its
    /// own, for as long as the receiver lives. After each (re)connection it
    /// sends a wake-up as well: notifications sent while the connection was
    /// down are lost, and the log has them.
    fn listen_for_changes(&self) -> Option<tokio::sync::mpsc::Receiver<()>> {
        let pool = self.write.clone();
        let (wake, receiver) = tokio::sync::mpsc::channel(1);
        tokio::spawn(async move {
            while !wake.is_closed() {
                match sqlx::postgres::PgListener::connect_with(&pool).await {
                    Ok(mut listener) => match listener.listen(crate::changes::NOTIFY_CHANNEL).await
                    {
                        // Listening (again): whatever came meanwhile is in the
                        // log, so catch up now, then on every notification. A
                        // full channel already holds a wake-up: enough.
                        Ok(()) => loop {
                            if wake.is_closed() {
                                return;
                            }
                            let _ = wake.try_send(());
                            match listener.try_recv().await {
                                Ok(Some(_)) => continue,
                                // The connection dropped: listen afresh.
                                Ok(None) => break,
                                Err(error) => {
                                    tracing::warn!(%error, "the change listener failed");
                                    break;
                                }
                            }
                        },
                        Err(error) => tracing::warn!(%error, "listening for changes failed"),
                    },
                    Err(error) => tracing::warn!(%error, "cannot listen for changes"),
                }
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
        });
        Some(receiver)
    }
}

impl_store!(PostgresStore, Postgres, "postgres");
impl_accounts!(PostgresStore, Postgres);
impl_newsroom!(PostgresStore, Postgres);
impl_review!(PostgresStore, Postgres);
impl_media!(PostgresStore, Postgres);
impl_dashboard!(PostgresStore, Postgres);
impl_curation!(PostgresStore, Postgres);
impl_sitemaps!(PostgresStore, Postgres);
impl_search!(PostgresStore, Postgres);
impl_publishing!(PostgresStore, Postgres);
impl_changes!(PostgresStore, Postgres, true);
