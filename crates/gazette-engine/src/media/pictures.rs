//! Photos on pages. Templates and article bodies name a photo by its
//! stable address, `/media/ID.EXT`; before a built page is cached, this
//! pass turns each such `<img>` into a `<picture>` that names the variants
//! that exist (lossy WebP in a `<source>`, the JPEG or PNG ones in the
//! `<img>`'s own `srcset`, with the template's `sizes`), sets `width` and
//! `height` where the body left them out, points `src` at the photo's
//! content-hashed address, and replaces a deleted photo by a placeholder.
//! A `<link rel="preload" as="image">` gets the same `imagesrcset`, and an
//! absolute address (share cards: `og:image`, JSON-LD) becomes the photo's
//! raster share card once it exists.
//!
//! One pass over the finished HTML rather than a field on every view model:
//! covers, cards, the stream and figures inside bodies are all handled the
//! same way, and a page names exactly the variants stored when it was
//! built. A photo's change (variants made, replaced, deleted) forgets the
//! pages that name it (`changes.rs`: every `/media/ID` a page names is one
//! of its dependencies).

use crate::EngineError;
use gazette_core::Permalink;
use gazette_store::MediaStore;
use gazette_store::media::{MediaInfo, VariantInfo};
use regex::{Captures, Regex};
use std::collections::HashMap;
use std::sync::LazyLock;

/// What `sizes` says when a template or body gives none: the article
/// column is at most 720 CSS pixels wide.
const DEFAULT_SIZES: &str = "(min-width: 800px) 720px, 100vw";

static MEDIA_ADDRESS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"/media/([0-9]{1,18})\.([a-z]{2,4})"#).expect("a valid pattern"));
static IMG_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"<img\s[^>]*>"#).expect("a valid pattern"));
static PRELOAD_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<link rel="preload" as="image"[^>]*>"#).expect("a valid pattern")
});
static ATTRIBUTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\s([a-z-]+)="([^"]*)""#).expect("a valid pattern"));

/// A photo as pages name it.
struct Photo {
    info: MediaInfo,
    variants: Vec<VariantInfo>,
}

impl Photo {
    fn src(&self) -> String {
        Permalink::media_file(self.info.id, &self.info.hash, &self.info.extension)
    }

    fn srcset(&self, formats: &[&str], with_original: bool) -> String {
        let mut entries: Vec<(i64, String)> = self
            .variants
            .iter()
            .filter(|v| formats.contains(&v.format.as_str()))
            .map(|v| {
                (
                    v.width,
                    Permalink::media_variant(v.media_id, &v.hash, v.width, &v.format),
                )
            })
            .collect();
        if with_original && !entries.iter().any(|(w, _)| *w == self.info.width) {
            entries.push((self.info.width, self.src()));
        }
        entries.sort_by_key(|(w, _)| *w);
        entries
            .iter()
            .map(|(w, url)| format!("{url} {w}w"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn card(&self) -> Option<String> {
        self.variants
            .iter()
            .find(|v| v.format == "card")
            .map(|v| Permalink::media_card(v.media_id, &v.hash, card_extension(&self.info)))
    }
}

/// Share cards are JPEG, but PNG for drawn (SVG) covers.
pub(crate) fn card_extension(info: &MediaInfo) -> &'static str {
    if info.content_type == "image/svg+xml" {
        "png"
    } else {
        "jpg"
    }
}

/// The page with its photos named as described above.
pub(crate) async fn add_pictures(
    store: &dyn MediaStore,
    base_url: &str,
    html: String,
) -> Result<String, EngineError> {
    let mut ids: Vec<i64> = MEDIA_ADDRESS
        .captures_iter(&html)
        .filter_map(|c| c[1].parse().ok())
        .collect();
    if ids.is_empty() {
        return Ok(html);
    }
    ids.sort_unstable();
    ids.dedup();
    let mut photos: HashMap<i64, Photo> = store
        .media_infos(&ids)
        .await?
        .into_iter()
        .map(|info| {
            (
                info.id,
                Photo {
                    info,
                    variants: Vec::new(),
                },
            )
        })
        .collect();
    for variant in store.media_variants(&ids).await? {
        if let Some(photo) = photos.get_mut(&variant.media_id) {
            photo.variants.push(variant);
        }
    }
    let html = IMG_TAG.replace_all(&html, |tag: &Captures| picture(&tag[0], &photos));
    let html = PRELOAD_TAG.replace_all(&html, |tag: &Captures| preload(&tag[0], &photos));
    Ok(share_cards(&html, base_url, &photos))
}

fn attributes(tag: &str) -> Vec<(String, String)> {
    ATTRIBUTE
        .captures_iter(tag)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect()
}

fn photo_named<'a>(value: &str, photos: &'a HashMap<i64, Photo>) -> Option<Option<&'a Photo>> {
    let captures = MEDIA_ADDRESS.captures(value)?;
    if captures.get(0).map(|m| m.start()) != Some(0) {
        return None;
    }
    let id: i64 = captures[1].parse().ok()?;
    Some(photos.get(&id).filter(|p| p.info.deleted_at.is_none()))
}

/// One `<img>`: a `<picture>` when it names a stored photo with variants.
fn picture(tag: &str, photos: &HashMap<i64, Photo>) -> String {
    let attrs = attributes(tag);
    let value = |name: &str| {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let Some(src) = value("src") else {
        return tag.to_owned();
    };
    let photo = match photo_named(src, photos) {
        None => return tag.to_owned(),
        Some(None) => return placeholder(value("alt").unwrap_or_default()),
        Some(Some(photo)) => photo,
    };
    let sizes = value("sizes").unwrap_or(DEFAULT_SIZES).to_owned();
    let mut out = String::from("<img");
    for (name, v) in &attrs {
        match name.as_str() {
            "src" => out.push_str(&format!(" src=\"{}\"", photo.src())),
            "srcset" | "sizes" => {}
            _ => out.push_str(&format!(" {name}=\"{v}\"")),
        }
    }
    if value("width").is_none() {
        out.push_str(&format!(
            " width=\"{}\" height=\"{}\"",
            photo.info.width, photo.info.height
        ));
    }
    let fallback = photo.srcset(&["jpg", "png"], true);
    let webp = photo.srcset(&["webp"], false);
    if !photo.variants.iter().any(|v| v.format != "card") {
        out.push('>');
        return out;
    }
    out.push_str(&format!(" srcset=\"{fallback}\" sizes=\"{sizes}\">"));
    if webp.is_empty() {
        return out;
    }
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{sizes}\">{out}</picture>"
    )
}

/// What a deleted photo leaves: a box of the theme's, with its alt text
/// for screen readers, and the theme's words on screen.
fn placeholder(alt: &str) -> String {
    if alt.is_empty() {
        "<span class=\"media-removed\" aria-hidden=\"true\"></span>".to_owned()
    } else {
        format!("<span class=\"media-removed\" role=\"img\" aria-label=\"{alt}\"></span>")
    }
}

/// A preload of a photo names its WebP variants (a browser without WebP
/// skips a preload of that type, and loads the `<img>`'s own choice).
fn preload(tag: &str, photos: &HashMap<i64, Photo>) -> String {
    let attrs = attributes(tag);
    let Some((_, href)) = attrs.iter().find(|(n, _)| n == "href") else {
        return tag.to_owned();
    };
    let photo = match photo_named(href, photos) {
        None => return tag.to_owned(),
        // Nothing to preload for a photo that is gone.
        Some(None) => return String::new(),
        Some(Some(photo)) => photo,
    };
    let sizes = attrs
        .iter()
        .find(|(n, _)| n == "imagesizes")
        .map_or(DEFAULT_SIZES, |(_, v)| v.as_str());
    let webp = photo.srcset(&["webp"], false);
    if webp.is_empty() {
        return format!(
            "<link rel=\"preload\" as=\"image\" href=\"{}\" fetchpriority=\"high\">",
            photo.src()
        );
    }
    format!(
        "<link rel=\"preload\" as=\"image\" type=\"image/webp\" imagesrcset=\"{webp}\" \
         imagesizes=\"{sizes}\" fetchpriority=\"high\">"
    )
}

/// Absolute addresses of photos (share cards, structured data) become the
/// photo's raster card.
fn share_cards(html: &str, base_url: &str, photos: &HashMap<i64, Photo>) -> String {
    let pattern = format!("{}/media/", base_url);
    if !html.contains(&pattern) {
        return html.to_owned();
    }
    MEDIA_ADDRESS
        .replace_all(html, |c: &Captures| {
            let whole = &c[0];
            let start = c.get(0).map_or(0, |m| m.start());
            let absolute = html[..start].ends_with(base_url);
            let card = c[1]
                .parse::<i64>()
                .ok()
                .and_then(|id| photos.get(&id))
                .filter(|p| p.info.deleted_at.is_none())
                .and_then(Photo::card);
            match card {
                Some(card) if absolute => card,
                _ => whole.to_owned(),
            }
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(deleted: bool) -> HashMap<i64, Photo> {
        let info = MediaInfo {
            id: 7,
            content_type: "image/jpeg".into(),
            extension: "jpg".into(),
            width: 800,
            height: 600,
            size: 1,
            hash: "0123456789abcdef".into(),
            animated: false,
            details: Default::default(),
            uploaded_by: None,
            uploader: None,
            created_at: 0,
            variants: gazette_store::media::VariantsState::Ready,
            deleted_at: deleted.then_some(1),
        };
        let variants = vec![VariantInfo {
            media_id: 7,
            format: "webp".into(),
            width: 360,
            height: 270,
            hash: "fedcba9876543210".into(),
        }];
        HashMap::from([(7, Photo { info, variants })])
    }

    #[test]
    fn attribute_values_are_copied_as_they_were_escaped() {
        let tag = r#"<img src="/media/7.jpg" alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" sizes="100vw">"#;
        let out = picture(tag, &photo(false));
        assert!(
            out.contains(r#"alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;""#),
            "{out}"
        );
        assert!(!out.contains("<script"));
        assert!(out.starts_with("<picture><source type=\"image/webp\" srcset=\"/media/7-fedcba9876543210-360.webp 360w\""), "{out}");
        assert!(out.contains(r#"src="/media/7-0123456789abcdef.jpg""#));
    }

    #[test]
    fn a_deleted_photo_leaves_a_placeholder_and_no_preload() {
        let out = picture(r#"<img src="/media/7.jpg" alt="港口">"#, &photo(true));
        assert_eq!(
            out,
            r#"<span class="media-removed" role="img" aria-label="港口"></span>"#
        );
        assert_eq!(
            preload(
                r#"<link rel="preload" as="image" href="/media/7.jpg">"#,
                &photo(true)
            ),
            ""
        );
    }
}
