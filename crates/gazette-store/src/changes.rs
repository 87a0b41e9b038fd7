//! The change log area of the store: every change readers can see gets a
//! monotonic sequence number, appended in the transaction of the change.
//! Page caches follow it on every node (and search indexing and the static
//! export can follow it the same way): read what came after the last
//! number applied, apply it, remember the new last number.
//!
//! On PostgreSQL each append takes a transaction-scoped advisory lock
//! first, so numbers become visible in order (a reader never sees 12
//! before 11 commits), and sends `NOTIFY gazette_changes` with the number;
//! [`ChangeStore::change_signals`] turns those into wake-ups. SQLite has
//! one writer and one process: no signals, and nothing is out of order.

use crate::Result;
use async_trait::async_trait;

/// The channel PostgreSQL notifications travel on.
pub const NOTIFY_CHANNEL: &str = "gazette_changes";

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A first publication or a later one.
    Published,
    Retracted,
    TakenDown,
    /// A passage cut from the public update log.
    Redacted,
    /// An article added as it is (the demo, imports).
    Created,
    /// Another slug or channel.
    Moved,
    /// A photo replaced, deleted, re-captioned or given its variants
    /// (`Change::media_id`).
    Media,
    /// A recommendation slot's entries (`Change::slot_key`).
    Slot,
    /// The channel tree (a channel added, renamed, moved, reordered or
    /// retired): every page shows the channel bar.
    Channels,
    /// A special topic's text, banner or sections (`Change::topic_id`).
    Topic,
    /// A draft written or saved: what readers see is the same (the
    /// back office's search follows it).
    Saved,
    /// A photo added to the library (`Change::media_id`): no page shows
    /// it yet; the library's search follows it.
    Uploaded,
    /// A kind a newer version wrote: read as a change of what its
    /// subjects name, so that a node not yet upgraded keeps following the
    /// log while a newer one shares the database.
    Unknown,
}

impl ChangeKind {
    /// Whether readers may see something else after it: false for a
    /// saved draft and a new upload, which only the back office's
    /// searches follow (a kind a newer version wrote is taken as seen).
    pub fn seen_by_readers(self) -> bool {
        !matches!(self, ChangeKind::Saved | ChangeKind::Uploaded)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Published => "published",
            ChangeKind::Retracted => "retracted",
            ChangeKind::TakenDown => "taken_down",
            ChangeKind::Redacted => "redacted",
            ChangeKind::Created => "created",
            ChangeKind::Moved => "moved",
            ChangeKind::Media => "media",
            ChangeKind::Slot => "slot",
            ChangeKind::Channels => "channels",
            ChangeKind::Topic => "topic",
            ChangeKind::Saved => "saved",
            ChangeKind::Uploaded => "uploaded",
            ChangeKind::Unknown => "unknown",
        }
    }

    pub(crate) fn parse(text: &str) -> Self {
        match text {
            "published" => ChangeKind::Published,
            "retracted" => ChangeKind::Retracted,
            "taken_down" => ChangeKind::TakenDown,
            "redacted" => ChangeKind::Redacted,
            "created" => ChangeKind::Created,
            "moved" => ChangeKind::Moved,
            "media" => ChangeKind::Media,
            "slot" => ChangeKind::Slot,
            "channels" => ChangeKind::Channels,
            "topic" => ChangeKind::Topic,
            "saved" => ChangeKind::Saved,
            "uploaded" => ChangeKind::Uploaded,
            _ => ChangeKind::Unknown,
        }
    }
}

/// One entry of the change log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub at: i64,
    pub kind: ChangeKind,
    pub article_id: Option<i64>,
    pub media_id: Option<i64>,
    pub slot_key: Option<String>,
    pub topic_id: Option<i64>,
}

#[async_trait]
pub trait ChangeStore: Send + Sync {
    /// The latest sequence number, 0 for none.
    async fn last_change(&self) -> Result<i64>;
    /// Changes after `seq`, oldest first, at most `limit`.
    async fn changes_after(&self, seq: i64, limit: i64) -> Result<Vec<Change>>;
    /// Wake-ups when another node may have appended a change (PostgreSQL
    /// `LISTEN`), including one after each reconnection, since
    /// notifications may have been missed meanwhile. `None` where this
    /// process is the only writer (SQLite).
    fn change_signals(&self) -> Option<tokio::sync::mpsc::Receiver<()>>;
}

#[cfg(test)]
mod tests {
    use super::ChangeKind;

    #[test]
    fn every_kind_reads_back_and_a_newer_one_is_unknown() {
        for kind in [
            ChangeKind::Published,
            ChangeKind::Retracted,
            ChangeKind::TakenDown,
            ChangeKind::Redacted,
            ChangeKind::Created,
            ChangeKind::Moved,
            ChangeKind::Media,
            ChangeKind::Slot,
            ChangeKind::Channels,
            ChangeKind::Topic,
            ChangeKind::Saved,
            ChangeKind::Uploaded,
        ] {
            assert_eq!(ChangeKind::parse(kind.as_str()), kind);
        }
        assert_eq!(ChangeKind::parse("archived"), ChangeKind::Unknown);
        assert!(!ChangeKind::Saved.seen_by_readers() && !ChangeKind::Uploaded.seen_by_readers());
        assert!(ChangeKind::Published.seen_by_readers() && ChangeKind::Unknown.seen_by_readers());
    }
}
