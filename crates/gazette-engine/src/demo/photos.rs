//! The demo's photographs (`demo/photos/`), loaded through the upload path
//! (`media::prepare_upload`): the same checks, orientation, colour and
//! metadata handling as a newsroom upload. Their variants are made before
//! the server answers (see the binary's `serve --demo`).

use super::DemoError;
use gazette_core::Lang;
use gazette_store::Store;
use gazette_store::media::MediaDetails;
use serde::Deserialize;
use std::collections::HashMap;

const PHOTOS: &str = include_str!("../../demo/photos/photos.toml");

/// The files, by name, embedded in the binary.
const FILES: [(&str, &[u8]); 6] = [
    ("rocket.jpg", include_bytes!("../../demo/photos/rocket.jpg")),
    (
        "hubble_deep_field.jpg",
        include_bytes!("../../demo/photos/hubble_deep_field.jpg"),
    ),
    (
        "coffee-phone.jpg",
        include_bytes!("../../demo/photos/coffee-phone.jpg"),
    ),
    (
        "chelsea.png",
        include_bytes!("../../demo/photos/chelsea.png"),
    ),
    (
        "astronaut.png",
        include_bytes!("../../demo/photos/astronaut.png"),
    ),
    ("camera.png", include_bytes!("../../demo/photos/camera.png")),
];

#[derive(Debug, Deserialize)]
struct PhotoFile {
    photo: Vec<PhotoDef>,
}

#[derive(Debug, Deserialize)]
struct PhotoDef {
    file: String,
    articles: Vec<String>,
    #[serde(default)]
    caption_zh: String,
    #[serde(default)]
    caption_en: String,
    #[serde(default)]
    alt_zh: String,
    #[serde(default)]
    alt_en: String,
    credit: String,
    licence: String,
}

/// A stored demo photo and its words in each language.
#[derive(Debug, Clone)]
pub(crate) struct DemoPhoto {
    pub media_id: i64,
    caption: (String, String),
    alt: (String, String),
    pub credit: String,
}

impl DemoPhoto {
    pub fn caption(&self, lang: Lang) -> String {
        pick(&self.caption, lang)
    }

    pub fn alt(&self, lang: Lang) -> String {
        pick(&self.alt, lang)
    }
}

fn pick((zh, en): &(String, String), lang: Lang) -> String {
    match lang {
        Lang::Zh if !zh.is_empty() => zh.clone(),
        Lang::En if !en.is_empty() => en.clone(),
        _ => format!("{zh}{en}"),
    }
}

/// Uploads every demo photo: each article key's photo, and each file's
/// stable address (for `photo:FILE` in bodies).
pub(crate) async fn load(
    store: &dyn Store,
    now: i64,
) -> Result<(HashMap<String, DemoPhoto>, Vec<(String, String)>), DemoError> {
    let defs: PhotoFile = toml::from_str(PHOTOS).map_err(|e| DemoError::Parse(e.to_string()))?;
    let mut by_article = HashMap::new();
    let mut addresses = Vec::new();
    for def in defs.photo {
        let bytes = FILES
            .iter()
            .find(|(name, _)| *name == def.file)
            .map(|(_, bytes)| bytes.to_vec())
            .ok_or_else(|| DemoError::Reference(format!("photo file {}", def.file)))?;
        let details = MediaDetails {
            caption: pick(&(def.caption_zh.clone(), def.caption_en.clone()), Lang::Zh),
            alt: pick(&(def.alt_zh.clone(), def.alt_en.clone()), Lang::Zh),
            credit: def.credit.clone(),
            licence: def.licence.clone(),
        };
        let upload = crate::media::prepare_upload(bytes, details, None, now)
            .map_err(|e| DemoError::Parse(format!("{}: {e}", def.file)))?;
        let extension = upload.extension.clone();
        let media_id = store.add_upload(&upload).await?;
        addresses.push((
            def.file.clone(),
            gazette_core::Permalink::media(media_id, &extension),
        ));
        let photo = DemoPhoto {
            media_id,
            caption: (def.caption_zh, def.caption_en),
            alt: (def.alt_zh, def.alt_en),
            credit: def.credit,
        };
        for article in def.articles {
            by_article.insert(article, photo.clone());
        }
    }
    Ok((by_article, addresses))
}
