//! Full-text search for Gazette: readers' search and the back office's,
//! over Chinese, English and mixed text, on tantivy.
//!
//! - [`fold`]: width, case and traditional/simplified folding that keeps
//!   offsets;
//! - [`segment`]: the jieba segmenter (with the newsroom's words) and the
//!   terms related reading ranks with, shared with the engine;
//! - [`tokens`]: Chinese pairs and words as tantivy tokenizers;
//! - [`schema`]: the fields and the [`Document`] an article becomes;
//! - [`query`]: any text a reader types, as a query, with filters and the
//!   role rules of staff search;
//! - [`rank`]: BM25 times recency, the best hits after a cursor and the
//!   count, in one pass;
//! - [`index`]: writing, committing with the change-log number, searching
//!   with highlights and cursors;
//! - [`home`]: the folder of index builds and the switch to a new one;
//! - [`photos`]: the media library's photos by their words, in memory.
//!
//! The crate knows nothing of the store or HTTP: the engine feeds it
//! articles from the change log and turns hits into pages.

pub mod fold;
pub mod home;
pub mod index;
pub mod photos;
pub mod query;
pub mod rank;
pub mod schema;
pub mod segment;
pub mod tokens;

pub use home::IndexHome;
pub use index::{Cursor, Hit, MOST_PER_PAGE, Request, Results, SearchIndex};
pub use photos::PhotoIndex;
pub use query::{Filters, Scope};
pub use schema::Document;

impl SearchError {
    /// Another process holds the index's writer (two servers on one data
    /// folder, or one still stopping): try later, never remake it.
    pub fn is_locked(&self) -> bool {
        matches!(
            self,
            SearchError::Index(tantivy::TantivyError::LockFailure(..))
        )
    }
}

/// What went wrong below a search: the index files or the disk.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index folder: {0}")]
    Folder(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("search index file: {0}")]
    Io(#[from] std::io::Error),
}
