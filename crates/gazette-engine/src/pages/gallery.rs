//! Photo galleries (组图): a gallery's photos are the figures of its body,
//! in order, each with its caption (the figure's) and its credit (the
//! photo's in the media library). What is left of the body (text before,
//! between and after) is the gallery's introduction.
//!
//! The body is body HTML, already sanitised (`gazette_render::body`): a
//! closed subset serialised one way, in which a `<figure>` holds one
//! `<img>` and at most one `<figcaption>` and never nests; so a pattern
//! reads it exactly.

use crate::EngineError;
use gazette_core::Article;
use gazette_render::view::GalleryPhoto;
use gazette_store::MediaStore;
use regex::Regex;
use std::sync::LazyLock;

static FIGURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<figure>(.*?)</figure>").expect("a valid pattern"));
static IMG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<img\s[^>]*>").expect("a valid pattern"));
static CAPTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<figcaption>(.*?)</figcaption>").expect("a valid pattern"));
static ATTRIBUTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\s([a-z-]+)="([^"]*)""#).expect("a valid pattern"));
static MEDIA_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^/media/([0-9]{1,18})\.").expect("a valid pattern"));

/// The gallery's photos and its introduction (the body without them), or
/// `None` for a story.
pub(crate) async fn photos(
    store: &dyn MediaStore,
    article: &Article,
    sanitized_body: &str,
) -> Result<Option<(Vec<GalleryPhoto>, String)>, EngineError> {
    if !article.gallery {
        return Ok(None);
    }
    let mut photos = Vec::new();
    for figure in FIGURE.captures_iter(sanitized_body) {
        let inner = &figure[1];
        let Some(img) = IMG.find(inner) else { continue };
        // Attribute values as the serialiser wrote them, read back as text
        // (the template escapes them again).
        let attr = |name: &str| {
            ATTRIBUTE
                .captures_iter(img.as_str())
                .find(|c| &c[1] == name)
                .map(|c| unescape(&c[2]))
        };
        let Some(src) = attr("src") else { continue };
        photos.push(GalleryPhoto {
            media_id: MEDIA_ID.captures(&src).and_then(|c| c[1].parse().ok()),
            src,
            alt: attr("alt").unwrap_or_default(),
            width: attr("width").and_then(|w| w.parse().ok()).unwrap_or(0),
            height: attr("height").and_then(|h| h.parse().ok()).unwrap_or(0),
            // Cut out of sanitised HTML, and sanitised again: whatever
            // the cut left unbalanced is closed or dropped.
            caption_html: CAPTION
                .captures(inner)
                .map(|c| gazette_render::body::sanitize(c[1].trim()))
                .unwrap_or_default(),
            credit: None,
        });
    }
    let ids: Vec<i64> = photos.iter().filter_map(|p| p.media_id).collect();
    let infos = store.media_infos(&ids).await?;
    for photo in &mut photos {
        if let Some(info) = infos.iter().find(|i| Some(i.id) == photo.media_id) {
            if photo.width == 0 {
                (photo.width, photo.height) = (info.width, info.height);
            }
            photo.credit = Some(info.details.credit.clone()).filter(|c| !c.is_empty());
        }
    }
    let intro = gazette_render::body::sanitize(FIGURE.replace_all(sanitized_body, "").trim());
    Ok(Some((photos, intro)))
}

/// Text from an attribute value of serialised HTML.
fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn attribute_values_come_back_as_text() {
        assert_eq!(
            unescape("a &amp;lt; &quot;b&quot; &lt;c&gt;"),
            "a &lt; \"b\" <c>"
        );
    }
}
