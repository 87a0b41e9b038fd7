//! The one error type of the core: input that does not parse into a model type.

/// Why a piece of text is not a valid value of a model type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error(
        "a slug is 1 to 80 characters of a-z, 0-9 and '-', not starting or ending with '-': {0:?}"
    )]
    Slug(String),
    #[error("the slug {0:?} is reserved for the site's own pages")]
    ReservedSlug(String),
    #[error("unknown language {0:?}: Gazette speaks zh and en")]
    Lang(String),
    #[error(
        "a tag is 1 to 40 characters without '/', '?', '#', '%', '<', '>' or control characters: {0:?}"
    )]
    Tag(String),
    #[error("unknown credit role {0:?}")]
    CreditRole(String),
    #[error("unknown article status {0:?}")]
    Status(String),
    #[error("a slot key is a slug: {0:?}")]
    SlotKey(String),
    #[error("malformed page cursor")]
    Cursor,
    #[error("unknown time zone {0:?}")]
    TimeZone(String),
    #[error("unknown role {0:?}: the roles are author, editor, responsible-editor and admin")]
    Role(String),
    #[error("not an email address: {0:?}")]
    Email(String),
    #[error("an instant is RFC 3339 with its offset, like 2026-11-20T09:30:00+08:00: {0:?}")]
    Instant(String),
}
