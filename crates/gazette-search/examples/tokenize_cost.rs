//! Where indexing time goes, per article of about 1,900 Chinese
//! characters: folding, and each tokenizer the text goes through (pairs,
//! characters, segmented words, each folding again), then the whole of
//! indexing (tokenizers and tantivy's writing, on tantivy's two indexing
//! threads). Prints microseconds per article for each.
//!
//!     cargo run --release -p gazette-search --example tokenize_cost DICT_TXT

use gazette_search::fold::fold;
use gazette_search::tokens::{character_tokens, pair_tokens, word_tokens};
use gazette_search::{Document, SearchIndex};
use std::time::Instant;

fn main() {
    let dict = std::env::args().nth(1).expect("DICT_TXT");
    let words: Vec<String> = std::fs::read_to_string(dict)
        .expect("dictionary")
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|w| w.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)))
        .take(20_000)
        .collect();
    let mut seed = 7u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let texts: Vec<String> = (0..2_000)
        .map(|_| {
            let mut text = String::new();
            while text.chars().count() < 1_900 {
                text.push_str(&words[(next() % words.len() as u64) as usize]);
                if next() % 9 == 0 {
                    text.push('，');
                }
            }
            text
        })
        .collect();
    let per = |label: &str, started: Instant| {
        println!(
            "{label}: {:.0} µs per article",
            started.elapsed().as_micros() as f64 / texts.len() as f64
        );
    };
    let started = Instant::now();
    for text in &texts {
        std::hint::black_box(fold(text));
    }
    per("fold", started);
    let started = Instant::now();
    for text in &texts {
        std::hint::black_box(pair_tokens(text));
    }
    per("pairs", started);
    let started = Instant::now();
    for text in &texts {
        std::hint::black_box(character_tokens(text));
    }
    per("characters", started);
    // The segmenter loads its dictionary on first use: not counted.
    std::hint::black_box(word_tokens("词典"));
    let started = Instant::now();
    for text in &texts {
        std::hint::black_box(word_tokens(text));
    }
    per("segmented words", started);
    let folder = std::env::temp_dir().join(format!("tokenize-cost-{}", std::process::id()));
    let index = SearchIndex::open_for_build(&folder, 2).expect("index");
    let started = Instant::now();
    for (i, text) in texts.iter().enumerate() {
        index
            .put(&Document {
                id: i as u64,
                lang: "zh".into(),
                status: "published".into(),
                title: "标题".into(),
                body: text.clone(),
                ..Document::default()
            })
            .expect("put");
    }
    index.commit(Some(1)).expect("commit");
    per(
        "indexing (all of the above and tantivy's writing), wall time",
        started,
    );
    std::fs::remove_dir_all(&folder).ok();
}
