//! Gazette's content model: channels, topics, articles, credits, slots, moods,
//! and the rules that tie them together (slugs, permalinks, page routes).
//! Every type here parses its input once; nothing here does I/O or is async.

pub mod account;
pub mod article;
pub mod channel;
pub mod clock;
pub mod credit;
pub mod error;
pub mod lang;
pub mod mood;
pub mod permalink;
pub mod route;
pub mod slot;
pub mod slug;
pub mod tag;
pub mod time;
pub mod typography;

pub use account::{Email, Role};
pub use article::{Article, ArticleRef, ArticleStatus, ArticleSummary, Cover, PhotoItem, Topic};
pub use channel::{Channel, ChannelTree};
pub use clock::Clock;
pub use credit::{Credit, CreditRole, Credits, Person, Signer};
pub use error::ParseError;
pub use lang::Lang;
pub use mood::{Mood, MoodSet};
pub use permalink::Permalink;
pub use route::{Cursor, FeedFormat, PageRoute};
pub use slot::{Slot, SlotKey};
pub use slug::Slug;
pub use tag::Tag;
