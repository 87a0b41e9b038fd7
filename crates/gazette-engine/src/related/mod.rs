//! Related reading (相关阅读): for each article, the articles most like it.
//!
//! Similarity is the cosine of TF-IDF vectors over segmented text (title
//! counted three times, summary twice, body once; see `terms.rs`), plus a
//! little for shared tags and for the same topic (among candidates that
//! share words or tags: a topic alone does not make a story related),
//! scaled down gently as publication dates draw apart. Only articles in the same language are
//! compared, never an article with itself. Lists are computed for every
//! published article (scheduled ones too) whenever content changes
//! ([`refresh`]) and stored; pages read them and keep the visible ones, so
//! a retracted or not-yet-due article is never shown.

pub mod terms;

use gazette_store::{ArticleText, Store, StoreError};
use std::collections::HashMap;

/// Candidates stored per article (pages show fewer; the spare ones stand in
/// for any that are retracted or not yet due).
pub const STORED: usize = 20;

/// How much shared tags (Jaccard overlap, 0..1) and a shared topic add to
/// the text's cosine (0..1).
const TAG_WEIGHT: f64 = 0.10;
const TOPIC_WEIGHT: f64 = 0.05;
/// Days over which the date difference halves the recency part of the score.
const RECENCY_DAYS: f64 = 90.0;
/// The share of the score that recency can take away.
const RECENCY_SHARE: f64 = 0.2;

/// One article as the ranking sees it: a unit vector of weighted terms.
struct Profile {
    id: i64,
    lang: gazette_core::Lang,
    topic_id: Option<i64>,
    tags: Vec<String>,
    published_at: i64,
    /// (term index, weight), unit length.
    vector: Vec<(usize, f64)>,
}

/// For each article, the ids of the most related ones, best first, at most
/// `per_article`, only those with some similarity.
pub fn rank(articles: &[ArticleText], per_article: usize) -> Vec<(i64, Vec<i64>)> {
    let profiles = profiles(articles);
    // Inverted indexes: who has each term, each tag, each topic.
    let mut by_term: HashMap<usize, Vec<(usize, f64)>> = HashMap::new();
    let mut by_tag: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in profiles.iter().enumerate() {
        for &(term, weight) in &p.vector {
            by_term.entry(term).or_default().push((i, weight));
        }
        for tag in &p.tags {
            by_tag.entry(tag).or_default().push(i);
        }
    }
    let mut cosine = vec![0.0f64; profiles.len()];
    let mut shared_tags = vec![0usize; profiles.len()];
    let mut touched = Vec::new();
    let mut lists = Vec::with_capacity(profiles.len());
    for (i, p) in profiles.iter().enumerate() {
        for &(term, weight) in &p.vector {
            for &(j, other) in &by_term[&term] {
                if cosine[j] == 0.0 && shared_tags[j] == 0 {
                    touched.push(j);
                }
                cosine[j] += weight * other;
            }
        }
        for tag in &p.tags {
            for &j in &by_tag[tag.as_str()] {
                if cosine[j] == 0.0 && shared_tags[j] == 0 {
                    touched.push(j);
                }
                shared_tags[j] += 1;
            }
        }
        let mut scored: Vec<(f64, i64)> = touched
            .iter()
            .filter(|&&j| j != i && profiles[j].lang == p.lang)
            .map(|&j| {
                (
                    score(p, &profiles[j], cosine[j], shared_tags[j]),
                    profiles[j].id,
                )
            })
            .filter(|(s, _)| *s > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        scored.truncate(per_article);
        lists.push((p.id, scored.into_iter().map(|(_, id)| id).collect()));
        for &j in &touched {
            cosine[j] = 0.0;
            shared_tags[j] = 0;
        }
        touched.clear();
    }
    lists
}

fn score(a: &Profile, b: &Profile, cosine: f64, shared_tags: usize) -> f64 {
    let tag_union = a.tags.len() + b.tags.len() - shared_tags;
    let tags = if tag_union == 0 {
        0.0
    } else {
        shared_tags as f64 / tag_union as f64
    };
    let topic = match (a.topic_id, b.topic_id) {
        (Some(x), Some(y)) if x == y => 1.0,
        _ => 0.0,
    };
    let similarity = cosine + TAG_WEIGHT * tags + TOPIC_WEIGHT * topic;
    let days_apart = (a.published_at - b.published_at).abs() as f64 / 86_400.0;
    let recency = 1.0 / (1.0 + days_apart / RECENCY_DAYS);
    similarity * (1.0 - RECENCY_SHARE + RECENCY_SHARE * recency)
}

/// TF-IDF unit vectors: term frequency damped by a logarithm, inverse
/// document frequency within the article's language.
fn profiles(articles: &[ArticleText]) -> Vec<Profile> {
    let mut vocabulary: HashMap<String, usize> = HashMap::new();
    let counted: Vec<HashMap<usize, f64>> = articles
        .iter()
        .map(|a| {
            let mut counts = HashMap::new();
            for (text, weight) in [(&a.title, 3.0), (&a.summary, 2.0), (&a.body, 1.0)] {
                for term in terms::terms(text) {
                    let next = vocabulary.len();
                    let index = *vocabulary.entry(term).or_insert(next);
                    *counts.entry(index).or_insert(0.0) += weight;
                }
            }
            counts
        })
        .collect();
    let mut document_frequency: HashMap<(gazette_core::Lang, usize), usize> = HashMap::new();
    let mut per_lang: HashMap<gazette_core::Lang, usize> = HashMap::new();
    for (a, counts) in articles.iter().zip(&counted) {
        *per_lang.entry(a.lang).or_default() += 1;
        for term in counts.keys() {
            *document_frequency.entry((a.lang, *term)).or_default() += 1;
        }
    }
    articles
        .iter()
        .zip(counted)
        .map(|(a, counts)| {
            let n = per_lang[&a.lang] as f64;
            let mut vector: Vec<(usize, f64)> = counts
                .into_iter()
                .map(|(term, count)| {
                    let df = document_frequency[&(a.lang, term)] as f64;
                    (term, (1.0 + count.ln()) * (n / df).ln())
                })
                .filter(|(_, w)| *w > 0.0)
                .collect();
            let norm = vector.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            if norm > 0.0 {
                vector.iter_mut().for_each(|(_, w)| *w /= norm);
            }
            vector.sort_unstable_by_key(|(term, _)| *term);
            Profile {
                id: a.id,
                lang: a.lang,
                topic_id: a.topic_id,
                tags: a.tags.clone(),
                published_at: a.published_at,
                vector,
            }
        })
        .collect()
}

/// Recomputes every article's related reading from the store's texts and
/// stores the lists (the ranking runs on the blocking pool). Returns the
/// articles whose lists changed.
pub async fn refresh(store: &dyn Store) -> Result<Vec<i64>, StoreError> {
    let texts = store.article_texts().await?;
    let lists = tokio::task::spawn_blocking(move || {
        // Bodies are HTML: rank their words, not their markup.
        let texts: Vec<ArticleText> = texts
            .into_iter()
            .map(|mut t| {
                t.body = gazette_render::body::plain_text(&t.body);
                t
            })
            .collect();
        rank(&texts, STORED)
    })
    .await
    .map_err(|e| StoreError::Config(format!("ranking related reading failed: {e}")))?;
    store.replace_related(&lists).await
}

#[cfg(test)]
mod eval;
