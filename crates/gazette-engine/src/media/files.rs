//! Media file names and what each answers with.
//!
//! A photo has a stable address (`/media/12.jpg`, named by bodies and
//! templates; it answers with the current file and may be cached five
//! minutes) and addresses by content hash (the file, each variant, the
//! share card) that pages name. Those may be cached a day: a replaced or
//! deleted photo's old addresses answer 404 at once here, and leave outside
//! caches within that day. A rights claim that cannot wait a day needs the
//! CDN's purge of `/media/12-*` (see the README).

use crate::EngineError;
use gazette_store::{Store, StoreError};

/// How long outside caches may keep a file named by its content.
const HASHED_CACHE: &str = "public, max-age=86400";
/// How long outside caches may keep the stable address's answer.
const STABLE_CACHE: &str = "public, max-age=300";

/// A parsed media file name; only one spelling of each is accepted (no
/// leading zeros, lower-case hex), since each spelling would be a cache key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaName {
    Stable {
        id: i64,
        extension: String,
    },
    File {
        id: i64,
        hash: String,
        extension: String,
    },
    Variant {
        id: i64,
        hash: String,
        width: i64,
        format: String,
    },
    Card {
        id: i64,
        hash: String,
        extension: String,
    },
}

fn number(text: &str) -> Option<i64> {
    text.parse::<i64>()
        .ok()
        .filter(|n| *n > 0 && n.to_string() == text)
}

fn hash(text: &str) -> Option<String> {
    (text.len() == 16 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .then(|| text.to_owned())
}

impl MediaName {
    pub fn parse(file: &str) -> Option<MediaName> {
        let (stem, extension) = file.split_once('.')?;
        if extension.is_empty() || !extension.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        let extension = extension.to_owned();
        let mut parts = stem.split('-');
        let id = number(parts.next()?)?;
        let name = match (parts.next(), parts.next(), parts.next()) {
            (None, _, _) => MediaName::Stable { id, extension },
            (Some(h), None, _) => MediaName::File {
                id,
                hash: hash(h)?,
                extension,
            },
            (Some(h), Some("card"), None) => MediaName::Card {
                id,
                hash: hash(h)?,
                extension,
            },
            (Some(h), Some(w), None) => MediaName::Variant {
                id,
                hash: hash(h)?,
                width: number(w)?,
                format: extension,
            },
            _ => return None,
        };
        Some(name)
    }

    pub fn cache_control(&self) -> &'static str {
        match self {
            MediaName::Stable { .. } => STABLE_CACHE,
            _ => HASHED_CACHE,
        }
    }
}

/// The stored type and bytes a name answers with, if any.
pub(crate) async fn read(
    store: &dyn Store,
    name: &MediaName,
) -> Result<Option<(String, Vec<u8>)>, EngineError> {
    // Every name is checked against what is stored (type, hash, card's
    // type) before any bytes are read: a wrong name costs one small query.
    let found = match name {
        MediaName::Stable { id, extension } | MediaName::File { id, extension, .. } => {
            match store.media_info(*id).await {
                Ok(info)
                    if info.deleted_at.is_none()
                        && info.extension == *extension
                        && match name {
                            MediaName::File { hash, .. } => info.hash == *hash,
                            _ => true,
                        } =>
                {
                    store
                        .media(*id)
                        .await
                        .map(|m| Some((m.content_type, m.bytes)))
                }
                Ok(_) => Ok(None),
                Err(e) => Err(e),
            }
        }
        MediaName::Variant {
            id,
            hash,
            width,
            format,
        } => {
            let known = store
                .media_variants(&[*id])
                .await?
                .into_iter()
                .any(|v| v.format == *format && v.width == *width && v.hash == *hash);
            if known {
                store
                    .variant_bytes(*id, format, *width)
                    .await
                    .map(|(_, content_type, bytes)| Some((content_type, bytes)))
            } else {
                Ok(None)
            }
        }
        MediaName::Card {
            id,
            hash,
            extension,
        } => {
            let card = store
                .media_variants(&[*id])
                .await?
                .into_iter()
                .find(|v| v.format == "card" && v.hash == *hash);
            match card {
                Some(card) => store.variant_bytes(*id, "card", card.width).await.map(
                    |(_, content_type, bytes)| {
                        // One name per card: its own type's extension.
                        let own = match content_type.as_str() {
                            "image/png" => "png",
                            _ => "jpg",
                        };
                        (own == extension).then_some((content_type, bytes))
                    },
                ),
                None => Ok(None),
            }
        }
    };
    match found {
        Ok(found) => Ok(found),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_has_one_name() {
        assert_eq!(
            MediaName::parse("12.jpg"),
            Some(MediaName::Stable {
                id: 12,
                extension: "jpg".into()
            })
        );
        assert!(matches!(
            MediaName::parse("12-0123456789abcdef-720.webp"),
            Some(MediaName::Variant { width: 720, .. })
        ));
        assert!(matches!(
            MediaName::parse("12-0123456789abcdef-card.png"),
            Some(MediaName::Card { .. })
        ));
        for alias in [
            "012.jpg",
            "12.JPG",
            "12-0123456789ABCDEF.jpg",
            "12-0123456789abcde.jpg",
            "12-0123456789abcdef-0720.webp",
            "12-0123456789abcdef-720-1.webp",
            "../12.jpg",
            "12",
            "0.jpg",
        ] {
            assert_eq!(MediaName::parse(alias), None, "{alias}");
        }
    }
}
