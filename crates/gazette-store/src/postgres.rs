//! The networked backend: PostgreSQL, for several app nodes sharing one database.

use crate::{
    Result, sql::impl_store, sql_accounts::impl_accounts, sql_newsroom::impl_newsroom,
    sql_publishing::impl_publishing, sql_review::impl_review,
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

impl_store!(PostgresStore, Postgres, "postgres");
impl_accounts!(PostgresStore, Postgres);
impl_newsroom!(PostgresStore, Postgres);
impl_review!(PostgresStore, Postgres);
impl_publishing!(PostgresStore, Postgres);
