//! Demo content: a small, busy newsroom written for Gazette (channels,
//! people, topics, 80 articles in Chinese and English, translations, slots,
//! photo items and a month of mood counts), loaded into an empty store so
//! that every page of a fresh install looks like a real news site.

mod covers;
mod photos;

use gazette_core::time::SiteZone;
use gazette_core::{ArticleStatus, CreditRole, Lang, MoodSet, Permalink, Slug, Tag};
use gazette_store::{
    Counter, Increment, NewArticle, NewChannel, NewCover, NewMedia, NewPerson, NewPhotoItem,
    NewSlot, NewTopic, Store, StoreError,
};
use serde::Deserialize;
use std::collections::HashMap;

const SETUP: &str = include_str!("../../demo/setup.toml");
const ARTICLES: &[&str] = &[
    include_str!("../../demo/articles-digital.toml"),
    include_str!("../../demo/articles-news.toml"),
    include_str!("../../demo/articles-more.toml"),
    include_str!("../../demo/articles-en.toml"),
];

/// Why the demo could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo content does not parse: {0}")]
    Parse(String),
    #[error("demo content refers to unknown {0}")]
    Reference(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Deserialize)]
struct Setup {
    channel: Vec<ChannelDef>,
    person: Vec<PersonDef>,
    topic: Vec<TopicDef>,
    slot: Vec<SlotDef>,
}

#[derive(Deserialize)]
struct ChannelDef {
    path: String,
    zh: String,
    en: String,
}

#[derive(Deserialize)]
struct PersonDef {
    slug: Slug,
    name: String,
    affiliation: Option<String>,
    name_en: Option<String>,
    affiliation_en: Option<String>,
}

#[derive(Deserialize)]
struct TopicDef {
    slug: Slug,
    channel: String,
    zh: String,
    en: String,
    description_zh: String,
    description_en: String,
}

#[derive(Deserialize)]
struct SlotDef {
    key: String,
    zh: String,
    en: String,
    size: i64,
}

#[derive(Deserialize)]
struct ArticleFile {
    article: Vec<ArticleDef>,
}

#[derive(Deserialize)]
struct ArticleDef {
    key: String,
    #[serde(default = "default_lang")]
    lang: String,
    translation_of: Option<String>,
    channel: String,
    topic: Option<String>,
    slug: Slug,
    kicker: Option<String>,
    title: String,
    subtitle: Option<String>,
    summary: String,
    authors: Vec<String>,
    tags: Vec<Tag>,
    hours: i64,
    #[serde(default)]
    slots: Vec<String>,
    photo: Option<String>,
    retracted: Option<String>,
    /// A photo gallery (组图): its body's pictures are its photos, named
    /// `photo:FILE` (a file of `demo/photos/`).
    #[serde(default)]
    gallery: bool,
    body: String,
}

fn default_lang() -> String {
    "zh".into()
}

/// What the loader created.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DemoReport {
    pub channels: usize,
    pub articles: usize,
    pub photo_items: usize,
}

/// Loads the demo into `store`, dating articles back from `now`.
pub async fn load(
    store: &dyn Store,
    zone: &SiteZone,
    moods: &MoodSet,
    now: i64,
) -> Result<DemoReport, DemoError> {
    let setup: Setup =
        toml::from_str(SETUP).map_err(|e| DemoError::Parse(format!("setup.toml: {e}")))?;
    let mut articles = Vec::new();
    for text in ARTICLES {
        let file: ArticleFile =
            toml::from_str(text).map_err(|e| DemoError::Parse(e.to_string()))?;
        articles.extend(file.article);
    }
    let mut report = DemoReport::default();

    let mut channels = HashMap::new();
    for (position, def) in setup.channel.iter().enumerate() {
        let (parent, slug) = def
            .path
            .rsplit_once('/')
            .map_or((None, def.path.as_str()), |(p, s)| (Some(p), s));
        let parent_id = match parent {
            Some(p) => Some(
                *channels
                    .get(p)
                    .ok_or_else(|| DemoError::Reference(format!("channel {p}")))?,
            ),
            None => None,
        };
        let id = store
            .create_channel(&NewChannel {
                parent_id,
                slug: Slug::parse_channel(slug).map_err(|e| DemoError::Parse(e.to_string()))?,
                name_zh: def.zh.clone(),
                name_en: def.en.clone(),
                position: position as i64,
            })
            .await?;
        channels.insert(def.path.clone(), id);
        report.channels += 1;
    }
    let channel = |path: &str| {
        channels
            .get(path)
            .copied()
            .ok_or_else(|| DemoError::Reference(format!("channel {path}")))
    };

    let mut people = HashMap::new();
    for def in &setup.person {
        let id = store
            .create_person(&NewPerson {
                slug: def.slug.clone(),
                name: def.name.clone(),
                affiliation: def.affiliation.clone(),
                name_en: def.name_en.clone(),
                affiliation_en: def.affiliation_en.clone(),
            })
            .await?;
        people.insert(def.slug.to_string(), id);
    }
    let person = |slug: &str| {
        people
            .get(slug)
            .copied()
            .ok_or_else(|| DemoError::Reference(format!("person {slug}")))
    };

    let mut topics = HashMap::new();
    for def in &setup.topic {
        let cover = add_cover(store, &format!("topic-{}", def.slug), now).await?;
        let id = store
            .create_topic(&NewTopic {
                slug: def.slug.clone(),
                channel_id: channel(&def.channel)?,
                title_zh: def.zh.clone(),
                title_en: def.en.clone(),
                description_zh: def.description_zh.clone(),
                description_en: def.description_en.clone(),
                cover_media_id: Some(cover.0),
            })
            .await?;
        topics.insert(def.slug.to_string(), id);
    }

    let mut slots = HashMap::new();
    for def in &setup.slot {
        let id = store
            .create_slot(&NewSlot {
                key: def.key.clone(),
                name_zh: def.zh.clone(),
                name_en: def.en.clone(),
                size_limit: def.size,
            })
            .await?;
        slots.insert(def.key.clone(), (id, 0_i64));
    }

    // Originals that have a translation share a group number with it.
    let mut groups: HashMap<String, i64> = HashMap::new();
    for def in &articles {
        if let Some(original) = &def.translation_of {
            let next = groups.len() as i64 + 1;
            groups.entry(original.clone()).or_insert(next);
        }
    }

    let editors = [
        person("xu-lan")?,
        person("feng-chen")?,
        person("bai-yutong")?,
    ];
    let coordinator = person("qiao-zhen")?;
    let responsible = person("luo-wenjing")?;
    let photographer_credit = |lang: Lang| match lang {
        Lang::Zh => "制图：本报",
        Lang::En => "Illustration: Gazette",
    };
    let mut counts = Vec::new();
    let (demo_photos, photo_files) = photos::load(store, now).await?;
    for (index, def) in articles.iter().enumerate() {
        let lang = Lang::parse(&def.lang).map_err(|e| DemoError::Parse(e.to_string()))?;
        // Spread publish times so that no two articles share a minute.
        let published_at = now - def.hours * 3_600 - (index as i64 % 7) * 420;
        let photo = demo_photos.get(&def.key);
        let (media_id, generated) = match photo {
            Some(photo) => (photo.media_id, covers::cover(&def.key)),
            None => add_cover(store, &def.key, now).await?,
        };
        // Bodies may place one more picture with `/media/inline.svg`.
        let markdown = if def.body.contains("/media/inline.svg") {
            let (inline_id, _) = add_cover(store, &format!("{}-inline", def.key), now).await?;
            def.body
                .replace("/media/inline.svg", &Permalink::media(inline_id, "svg"))
        } else {
            def.body.clone()
        };
        let mut markdown = markdown;
        for (file, address) in &photo_files {
            markdown = markdown.replace(&format!("photo:{file}"), address);
        }
        // The demo is written in Markdown; the store keeps body HTML.
        let body = gazette_render::body::from_markdown(&markdown);
        let alt = match (photo, lang) {
            (Some(photo), lang) => photo.alt(lang),
            (None, Lang::Zh) => generated.alt_zh.clone(),
            (None, Lang::En) => generated.alt_en.clone(),
        };
        let cover_credit = match photo {
            Some(photo) => match lang {
                Lang::Zh => format!("摄影：{}", photo.credit),
                Lang::En => format!("Photo: {}", photo.credit),
            },
            None => photographer_credit(lang).into(),
        };
        let cover_caption = photo.map(|p| p.caption(lang)).or_else(|| def.photo.clone());
        let mut credits = Vec::new();
        for author in &def.authors {
            credits.push((CreditRole::Author, person(author)?));
        }
        credits.push((CreditRole::Editor, editors[index % editors.len()]));
        credits.push((CreditRole::Coordinator, coordinator));
        credits.push((CreditRole::ResponsibleEditor, responsible));
        let group = def
            .translation_of
            .as_ref()
            .or(Some(&def.key))
            .and_then(|k| groups.get(k))
            .copied();
        // Every ninth article was corrected two hours after it went out.
        let updated_at = if index % 9 == 4 && published_at + 7_200 < now {
            published_at + 7_200
        } else {
            published_at
        };
        let id = store
            .create_article(&NewArticle {
                lang,
                slug: def.slug.clone(),
                channel_id: channel(&def.channel)?,
                topic_id: def
                    .topic
                    .as_ref()
                    .map(|t| {
                        topics
                            .get(t)
                            .copied()
                            .ok_or_else(|| DemoError::Reference(format!("topic {t}")))
                    })
                    .transpose()?,
                translation_group: group,
                status: ArticleStatus::Published,
                title: def.title.clone(),
                kicker: def.kicker.clone(),
                subtitle: def.subtitle.clone(),
                gallery: def.gallery,
                summary: def.summary.clone(),
                body,
                source: Some(match lang {
                    Lang::Zh => "本报".into(),
                    Lang::En => "Gazette".into(),
                }),
                published_at,
                updated_at,
                cover: Some(NewCover {
                    media_id,
                    alt: alt.clone(),
                    caption: cover_caption.clone(),
                    credit: Some(cover_credit.clone()),
                }),
                credits,
                tags: def.tags.clone(),
            })
            .await?;
        report.articles += 1;
        if let Some(note) = &def.retracted {
            store.retract_article(id, note, now).await?;
            continue;
        }
        for key in &def.slots {
            let (slot_id, position) = slots
                .get_mut(key)
                .ok_or_else(|| DemoError::Reference(format!("slot {key}")))?;
            *position += 1;
            store.set_slot_entry(*slot_id, id, *position, None).await?;
        }
        // Photo items: every story's cover, captioned by the newsroom or by
        // the headline, so the stream pages several times in each language.
        let caption = cover_caption.unwrap_or_else(|| def.title.clone());
        {
            store
                .create_photo_item(&NewPhotoItem {
                    lang,
                    media_id,
                    alt,
                    caption,
                    credit: Some(cover_credit),
                    article_id: Some(id),
                    published_at,
                })
                .await?;
            report.photo_items += 1;
        }
        counts.extend(mood_counts(id, &def.key, moods, zone, published_at, now));
        counts.extend(view_counts(id, &def.key, zone, published_at, now));
    }
    store.add_counts(&counts).await?;
    crate::related::refresh(store).await?;
    Ok(report)
}

async fn add_cover(
    store: &dyn Store,
    seed: &str,
    now: i64,
) -> Result<(i64, covers::GeneratedCover), StoreError> {
    let generated = covers::cover(seed);
    let id = store
        .create_media(&NewMedia {
            content_type: "image/svg+xml".into(),
            extension: "svg".into(),
            width: covers::WIDTH,
            height: covers::HEIGHT,
            bytes: generated.svg.clone(),
            hash: gazette_media::content_hash(&generated.svg),
            created_at: now,
        })
        .await?;
    Ok((id, generated))
}

/// Plausible per-day votes for an article: most in its first days, each
/// mood with its own appetite, the same on every load.
fn mood_counts(
    article_id: i64,
    key: &str,
    moods: &MoodSet,
    zone: &SiteZone,
    published_at: i64,
    now: i64,
) -> Vec<Increment> {
    let mut out = Vec::new();
    let days = ((now - published_at) / 86_400).clamp(0, 29);
    for day_offset in 0..=days {
        let moment = published_at + day_offset * 86_400;
        for (mood_index, mood) in moods.iter().enumerate() {
            let hash = blake3::hash(format!("{key}/{}/{day_offset}", mood.key).as_bytes());
            let roll = u64::from(hash.as_bytes()[0]) + 256 * u64::from(hash.as_bytes()[1]);
            let appetite = [60, 15, 90, 25].get(mood_index).copied().unwrap_or(20);
            let count = (roll % appetite) as i64 / (day_offset + 1);
            if count > 0 {
                out.push(Increment {
                    article_id,
                    counter: Counter::Mood(mood.key.clone()),
                    day: zone.day_number(moment.min(now)),
                    count,
                });
            }
        }
    }
    out
}

/// Plausible per-day reads for an article: hundreds on its first day,
/// fading after, the same on every load.
fn view_counts(
    article_id: i64,
    key: &str,
    zone: &SiteZone,
    published_at: i64,
    now: i64,
) -> Vec<Increment> {
    let days = ((now - published_at) / 86_400).clamp(0, 29);
    (0..=days)
        .map(|day_offset| {
            let hash = blake3::hash(format!("{key}/views/{day_offset}").as_bytes());
            let roll = i64::from(hash.as_bytes()[0]) * 8 + i64::from(hash.as_bytes()[1]);
            Increment {
                article_id,
                counter: Counter::View,
                day: zone.day_number((published_at + day_offset * 86_400).min(now)),
                count: 20 + roll / (day_offset + 1),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string of a TOML document, with where it is.
    fn strings(value: &toml::Value, at: &str, out: &mut Vec<(String, String)>) {
        match value {
            toml::Value::String(text) => out.push((at.to_owned(), text.clone())),
            toml::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    strings(item, &format!("{at}[{i}]"), out);
                }
            }
            toml::Value::Table(table) => {
                for (key, item) in table {
                    strings(item, &format!("{at}.{key}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn chinese_demo_text_uses_full_width_punctuation() {
        let mut texts = Vec::new();
        for (i, source) in std::iter::once(SETUP)
            .chain(ARTICLES.iter().copied())
            .enumerate()
        {
            let document: toml::Value = toml::from_str(source).expect("demo parses");
            strings(&document, &format!("file {i}"), &mut texts);
        }
        assert!(texts.len() > 500, "{}", texts.len());
        let careless: Vec<String> = texts
            .iter()
            .flat_map(|(at, text)| {
                gazette_core::typography::half_width_punctuation(text)
                    .into_iter()
                    .map(move |f| {
                        format!(
                            "{at}: {:?} should be {:?} in {text:.40}",
                            f.mark, f.full_width
                        )
                    })
            })
            .collect();
        assert!(careless.is_empty(), "{careless:#?}");
    }
}
