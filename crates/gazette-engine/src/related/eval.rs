//! The quality of related reading on a labelled set (`labelled.toml`): six
//! subject groups in near pairs. For each article, precision@5 is the share
//! of its first five related articles that are in its own group; the mean
//! over all articles is compared with two baselines a site could use
//! instead: the articles sharing most tags (newest first on ties), and the
//! newest articles of the same channel. `bench/related-quality.sh` prints
//! the figures.

use super::rank;
use gazette_core::Lang;
use gazette_store::ArticleText;
use serde::Deserialize;

#[derive(Deserialize)]
struct Labelled {
    article: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    group: String,
    channel: String,
    tags: Vec<String>,
    title: String,
    body: String,
}

const K: usize = 5;

fn labelled() -> (Vec<ArticleText>, Vec<String>) {
    let set: Labelled = toml::from_str(include_str!("labelled.toml")).expect("labelled set parses");
    let n = set.article.len() as i64;
    let texts = set
        .article
        .iter()
        .enumerate()
        .map(|(i, e)| ArticleText {
            id: i as i64 + 1,
            lang: Lang::Zh,
            channel_id: if e.channel == "energy" { 1 } else { 2 },
            topic_id: None,
            tags: e.tags.clone(),
            // Groups interleaved in time: a permutation of n days.
            published_at: 1_700_000_000 + ((i as i64 * 5) % n) * 86_400,
            title: e.title.clone(),
            summary: e.body.split('。').next().unwrap_or_default().to_owned(),
            body: e.body.clone(),
        })
        .collect();
    let groups = set.article.into_iter().map(|e| e.group).collect();
    (texts, groups)
}

/// Mean precision@K of lists given per article (ids are 1-based indexes).
fn precision(lists: &[(i64, Vec<i64>)], groups: &[String]) -> f64 {
    let group = |id: i64| &groups[id as usize - 1];
    let total: f64 = lists
        .iter()
        .map(|(id, related)| {
            let hits = related
                .iter()
                .take(K)
                .filter(|other| group(**other) == group(*id))
                .count();
            hits as f64 / K as f64
        })
        .sum();
    total / lists.len() as f64
}

fn by_shared_tags(texts: &[ArticleText]) -> Vec<(i64, Vec<i64>)> {
    texts
        .iter()
        .map(|a| {
            let mut others: Vec<(usize, i64, i64)> = texts
                .iter()
                .filter(|b| b.id != a.id)
                .map(|b| {
                    let shared = b.tags.iter().filter(|t| a.tags.contains(t)).count();
                    (shared, b.published_at, b.id)
                })
                .filter(|(shared, _, _)| *shared > 0)
                .collect();
            others.sort_by(|x, y| y.cmp(x));
            (a.id, others.iter().take(K).map(|o| o.2).collect())
        })
        .collect()
}

fn newest_in_channel(texts: &[ArticleText]) -> Vec<(i64, Vec<i64>)> {
    texts
        .iter()
        .map(|a| {
            let mut others: Vec<(i64, i64)> = texts
                .iter()
                .filter(|b| b.id != a.id && b.channel_id == a.channel_id)
                .map(|b| (b.published_at, b.id))
                .collect();
            others.sort_by(|x, y| y.cmp(x));
            (a.id, others.iter().take(K).map(|o| o.1).collect())
        })
        .collect()
}

#[test]
fn related_reading_beats_both_baselines_on_the_labelled_set() {
    let (texts, groups) = labelled();
    assert_eq!(texts.len(), 42);
    let ours = rank(&texts, K);
    for (id, related) in &ours {
        assert!(!related.contains(id), "never the article itself");
        assert_eq!(related.len(), K, "article {id} has {K} related");
    }
    let ours = precision(&ours, &groups);
    let tags = precision(&by_shared_tags(&texts), &groups);
    let channel = precision(&newest_in_channel(&texts), &groups);
    println!(
        "precision@{K} on {} labelled articles in 6 groups:",
        texts.len()
    );
    println!("  related reading (text + tags + topic + recency): {ours:.3}");
    println!("  same tags only (most shared, newest first):       {tags:.3}");
    println!("  most recent in the same channel:                  {channel:.3}");
    assert!(ours > tags + 0.1, "ours {ours:.3} vs tags {tags:.3}");
    assert!(
        ours > channel + 0.1,
        "ours {ours:.3} vs channel {channel:.3}"
    );
}
