//! Related reading (相关阅读): for each article, the articles most like it.
//!
//! Similarity is the cosine of TF-IDF vectors over segmented text (title
//! counted three times, summary twice, body once; see `terms.rs`), over
//! each article's strongest terms, plus a
//! little for shared tags and for the same topic (among candidates that
//! share words or tags: a topic alone does not make a story related),
//! scaled down gently as publication dates draw apart. Only articles in the same language are
//! compared, never an article with itself. Lists are computed for every
//! published article (scheduled ones too) whenever content changes
//! ([`refresh`]) and stored; pages read them and keep the visible ones, so
//! a retracted or not-yet-due article is never shown.
//!
//! The work per article is bounded, whatever the archive's size: each
//! article keeps its [`PROFILE_TERMS`] strongest terms, terms found in a
//! large share of the archive gather no candidates, and each term or tag
//! leads to at most [`POSTINGS`] candidates. Texts are read and segmented
//! in batches and then dropped ([`Ranker`]).

pub mod index;
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

/// Terms kept per article: its strongest by TF-IDF weight among those
/// another article shares. The cosine of two articles is taken over the
/// terms both keep.
const PROFILE_TERMS: usize = 32;
/// A term in more than this share of its language's articles (and in more
/// than [`COMMON_FLOOR`] of them) finds no candidates, as in search
/// engines' "more like this": it says too little about a story, and its
/// list of articles is long.
const COMMON_SHARE: f64 = 0.05;
const COMMON_FLOOR: usize = 50;
/// Articles followed per term and per tag when gathering candidates: those
/// where the term weighs most, the newest with the tag. This bounds the
/// work per article whatever the archive's size.
const POSTINGS: usize = 200;
/// Texts read from the store at a time.
pub const TEXT_BATCH: i64 = 500;

/// A term, as a 32-bit hash of its text: no vocabulary of strings is
/// kept. Two terms that happen to share a hash count as one, which with
/// millions of distinct terms merges a few thousand pairs of rare ones.
fn term_id(term: &str) -> u32 {
    use std::hash::{Hash, Hasher};
    // `new` has fixed keys: the same ids on every run and node.
    let mut hasher = std::hash::DefaultHasher::new();
    term.hash(&mut hasher);
    let h = hasher.finish();
    (h ^ (h >> 32)) as u32
}

/// One article as the ranking sees it: its strongest terms, weighted and
/// scaled by the whole vector's length.
struct Profile {
    id: i64,
    lang: gazette_core::Lang,
    topic_id: Option<i64>,
    tags: Vec<String>,
    published_at: i64,
    /// (term, weight), strongest first.
    vector: Vec<(u32, f32)>,
}

impl Profile {
    fn of(a: ArticleText, vector: Vec<(u32, f32)>) -> Self {
        Profile {
            id: a.id,
            lang: a.lang,
            topic_id: a.topic_id,
            tags: a.tags,
            published_at: a.published_at,
            vector,
        }
    }
}

/// An article's TF-IDF vector from its term counts, scaled by its whole
/// length, cut to its [`PROFILE_TERMS`] strongest terms that some other
/// article has too. `n` is the number of articles in its language.
fn strongest(counts: Vec<(u32, f32)>, n: usize, df: impl Fn(u32) -> u32) -> Vec<(u32, f32)> {
    let n = n as f32;
    let mut vector: Vec<(u32, f32)> = counts
        .into_iter()
        .map(|(term, count)| (term, (1.0 + count.ln()) * (n / df(term) as f32).ln()))
        .filter(|(_, w)| *w > 0.0)
        .collect();
    let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        vector.iter_mut().for_each(|(_, w)| *w /= norm);
    }
    // A term no other article has cannot make two related.
    vector.retain(|&(term, _)| df(term) > 1);
    vector.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    vector.truncate(PROFILE_TERMS);
    vector.shrink_to_fit();
    vector
}

/// Whether a term in `df` of `n` articles is too common to find candidates.
fn too_common(df: u32, n: usize) -> bool {
    df as usize > ((n as f64 * COMMON_SHARE) as usize).max(COMMON_FLOOR)
}

/// Related reading for a whole archive, fed in batches twice: a first
/// pass counts in how many articles each term occurs, a second makes each
/// article's profile. Each batch is segmented (on every core) and its texts
/// dropped, so that only the document frequencies and the profiles stay in
/// memory, never the texts or their full term counts.
#[derive(Default)]
pub struct Ranker {
    /// By term, languages together: a Chinese word and an English stem
    /// are never the same text (and rarely share a hash).
    document_frequency: HashMap<u32, u32>,
    per_lang: HashMap<gazette_core::Lang, usize>,
    profiles: Vec<Profile>,
}

/// Term counts of one article: title three times, summary twice, body once.
fn count(article: &ArticleText) -> Vec<(u32, f32)> {
    let mut counts: HashMap<u32, f32> = HashMap::new();
    for (text, weight) in [
        (&article.title, 3.0),
        (&article.summary, 2.0),
        (&article.body, 1.0),
    ] {
        for term in terms::terms(text) {
            *counts.entry(term_id(&term)).or_insert(0.0) += weight;
        }
    }
    counts.into_iter().collect()
}

/// Runs `work` over `items` split into one contiguous part per core, and
/// returns the results in order.
fn on_every_core<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(usize, &[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(1);
    let work = &work;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(n, part)| scope.spawn(move || work(n * chunk, part)))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| match part.join() {
                Ok(done) => done,
                Err(_) => {
                    tracing::warn!("a part of the related-reading work failed");
                    Vec::new()
                }
            })
            .collect()
    })
}

impl Ranker {
    pub fn new() -> Self {
        Ranker::default()
    }

    /// First pass: counts the articles each term of `batch` occurs in
    /// (bodies as plain text).
    pub fn count(&mut self, batch: &[ArticleText]) {
        let terms: Vec<Vec<u32>> = on_every_core(batch, |_, part| {
            part.iter()
                .map(|a| count(a).into_iter().map(|(term, _)| term).collect())
                .collect()
        });
        for (article, terms) in batch.iter().zip(terms) {
            *self.per_lang.entry(article.lang).or_default() += 1;
            for term in terms {
                *self.document_frequency.entry(term).or_default() += 1;
            }
        }
    }

    fn df(&self, term: u32) -> u32 {
        self.document_frequency.get(&term).copied().unwrap_or(1)
    }

    /// Second pass, once every article was counted: each article's profile.
    pub fn profile(&mut self, batch: Vec<ArticleText>) {
        let vectors: Vec<Vec<(u32, f32)>> = on_every_core(&batch, |_, part| {
            part.iter()
                .map(|a| {
                    let n = self.per_lang.get(&a.lang).copied().unwrap_or(1);
                    strongest(count(a), n, |term| self.df(term))
                })
                .collect()
        });
        for (a, vector) in batch.into_iter().zip(vectors) {
            self.profiles.push(Profile::of(a, vector));
        }
    }

    /// For each article, the ids of the most related ones, best first, at
    /// most `per_article`, only those with some similarity.
    pub fn rank(self, per_article: usize) -> Vec<(i64, Vec<i64>)> {
        self.scored(per_article)
            .into_iter()
            .map(|(id, list)| (id, list.iter().map(|&(_, other)| other).collect()))
            .collect()
    }

    /// The lists with their scores, and the index that keeps them up to
    /// date one article at a time.
    pub fn into_index(self, per_article: usize) -> (Vec<(i64, Vec<i64>)>, index::RelatedIndex) {
        let scored = self.scored(per_article);
        let lists = scored
            .iter()
            .map(|(id, list)| (*id, list.iter().map(|&(_, other)| other).collect()))
            .collect();
        let Ranker {
            document_frequency,
            per_lang,
            profiles,
        } = self;
        (
            lists,
            index::RelatedIndex::new(document_frequency, per_lang, profiles, scored, per_article),
        )
    }

    fn scored(&self, per_article: usize) -> Vec<(i64, Vec<(f64, i64)>)> {
        let df = |_lang: gazette_core::Lang, term: u32| self.df(term);
        let per_lang = &self.per_lang;
        let profiles = &self.profiles;
        let common = |lang: gazette_core::Lang| {
            ((per_lang[&lang] as f64 * COMMON_SHARE) as usize).max(COMMON_FLOOR)
        };
        // Who has each useful term (strongest first) and each tag (newest
        // first), each list cut to POSTINGS.
        let mut by_term: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
        let mut by_tag: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, p) in profiles.iter().enumerate() {
            for &(term, weight) in &p.vector {
                if df(p.lang, term) as usize <= common(p.lang) {
                    by_term.entry(term).or_default().push((i as u32, weight));
                }
            }
            for tag in &p.tags {
                by_tag.entry(tag).or_default().push(i as u32);
            }
        }
        for postings in by_term.values_mut() {
            postings.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            postings.truncate(POSTINGS);
        }
        for postings in by_tag.values_mut() {
            postings
                .sort_unstable_by_key(|&i| std::cmp::Reverse(profiles[i as usize].published_at));
            postings.truncate(POSTINGS);
        }
        on_every_core(profiles, |offset, part| {
            let mut cosine = vec![0.0f64; profiles.len()];
            let mut shared_tags = vec![0usize; profiles.len()];
            let mut touched = Vec::new();
            let mut lists = Vec::with_capacity(part.len());
            for (k, p) in part.iter().enumerate() {
                let i = offset + k;
                for &(term, weight) in &p.vector {
                    for &(j, other) in by_term.get(&term).map_or(&[][..], Vec::as_slice) {
                        let j = j as usize;
                        if cosine[j] == 0.0 && shared_tags[j] == 0 {
                            touched.push(j);
                        }
                        cosine[j] += f64::from(weight) * f64::from(other);
                    }
                }
                for tag in &p.tags {
                    for &j in by_tag.get(tag.as_str()).map_or(&[][..], Vec::as_slice) {
                        let j = j as usize;
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
                // Copied: the list keeping the candidate buffer would keep
                // its whole capacity.
                lists.push((p.id, scored.to_vec()));
                for &j in &touched {
                    cosine[j] = 0.0;
                    shared_tags[j] = 0;
                }
                touched.clear();
            }
            lists
        })
    }
}

/// For each article, the ids of the most related ones, best first, at most
/// `per_article`, only those with some similarity.
pub fn rank(articles: &[ArticleText], per_article: usize) -> Vec<(i64, Vec<i64>)> {
    let mut ranker = Ranker::new();
    ranker.count(articles);
    ranker.profile(articles.to_vec());
    ranker.rank(per_article)
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

/// Recomputes every article's related reading from the store's texts, read
/// in batches (segmentation and ranking run on the blocking pool), and
/// stores the lists. Returns the articles whose lists changed, and the
/// index that keeps the lists up to date from then on ([`update`]).
pub async fn refresh(store: &dyn Store) -> Result<(Vec<i64>, index::RelatedIndex), StoreError> {
    let failed = |e: tokio::task::JoinError| {
        StoreError::Config(format!("ranking related reading failed: {e}"))
    };
    let mut ranker = Ranker::new();
    // Twice through the texts: counting, then profiles.
    for second in [false, true] {
        let mut after = 0;
        loop {
            let batch = store.article_texts_after(after, TEXT_BATCH).await?;
            let Some(last) = batch.last().map(|t| t.id) else {
                break;
            };
            after = last;
            ranker = tokio::task::spawn_blocking(move || {
                // Bodies are HTML: rank their words, not their markup.
                let batch: Vec<ArticleText> = batch
                    .into_iter()
                    .map(|mut t| {
                        t.body = gazette_render::body::plain_text(&t.body);
                        t
                    })
                    .collect();
                if second {
                    ranker.profile(batch);
                } else {
                    ranker.count(&batch);
                }
                ranker
            })
            .await
            .map_err(failed)?;
        }
    }
    let (lists, index) = tokio::task::spawn_blocking(move || ranker.into_index(STORED))
        .await
        .map_err(failed)?;
    Ok((store.replace_related(&lists).await?, index))
}

/// Brings the index up to date with changed articles, one at a time (a
/// published one is added or updated, any other taken out). The articles
/// whose lists changed; the caller writes them (`write_lists`).
pub async fn update(
    store: &dyn Store,
    index: &mut index::RelatedIndex,
    articles: &[i64],
) -> Result<Vec<i64>, StoreError> {
    let mut changed = Vec::new();
    for &id in articles {
        let text = store
            .article_texts_after(id - 1, 1)
            .await?
            .into_iter()
            .find(|t| t.id == id);
        match text {
            Some(mut text) => {
                text.body = gazette_render::body::plain_text(&text.body);
                changed.extend(index.upsert(text));
            }
            None => {
                index.remove(id);
                changed.push(id);
            }
        }
    }
    changed.sort_unstable();
    changed.dedup();
    Ok(changed)
}

/// Stores the index's lists of these articles.
pub async fn write_lists(
    store: &dyn Store,
    index: &index::RelatedIndex,
    articles: &[i64],
) -> Result<(), StoreError> {
    let lists: Vec<(i64, Vec<i64>)> = articles.iter().map(|&id| (id, index.list(id))).collect();
    store.set_related(&lists).await
}

#[cfg(test)]
mod eval;
