//! The store's error type: what callers can act on, not driver internals.

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("stored data does not parse: {0}")]
    Corrupt(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("database: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.message().to_owned())
            }
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::Conflict(
                format!("refers to something that does not exist: {}", db.message()),
            ),
            other => StoreError::Database(other),
        }
    }
}

impl From<gazette_core::ParseError> for StoreError {
    fn from(error: gazette_core::ParseError) -> Self {
        StoreError::Corrupt(error.to_string())
    }
}
