//! Related reading over a large archive: generates ARTICLES synthetic
//! Chinese articles of about 1,500 characters, drawn from jieba's own
//! dictionary by word frequency, each about one of 500 subjects (a few
//! words of its subject mixed in), and ranks them all with
//! `related::Ranker`, fed in batches twice as `related::refresh` feeds it
//! from the store (the texts are made afresh each time, never all held). Prints the time, the peak memory of the process, and the
//! share of each article's top five that are about its own subject.
//!
//!     related_scale DICT_TXT ARTICLES
//!
//! `bench/related-scale.sh` finds jieba's dictionary and runs this.

use gazette_core::Lang;
use gazette_engine::related::{Ranker, STORED};
use gazette_store::ArticleText;
use std::time::Instant;

const SUBJECTS: usize = 500;
const SUBJECT_WORDS: usize = 12;
const BATCH: usize = 500;

/// A small, seeded generator: the same archive on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

struct Words {
    words: Vec<String>,
    /// Running totals of frequencies, for sampling by frequency.
    running: Vec<u64>,
}

impl Words {
    fn read(path: &str) -> Words {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(2)
        });
        let mut words = Vec::new();
        let mut running = Vec::new();
        let mut total = 0u64;
        for line in text.lines() {
            let mut parts = line.split_whitespace();
            let (Some(word), Some(freq)) = (parts.next(), parts.next()) else {
                continue;
            };
            let Ok(freq) = freq.parse::<u64>() else {
                continue;
            };
            if word.chars().count() < 2
                || !word.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
            {
                continue;
            }
            total += freq;
            words.push(word.to_owned());
            running.push(total);
        }
        Words { words, running }
    }

    fn sample(&self, rng: &mut Rng) -> &str {
        let target = rng.below(*self.running.last().unwrap_or(&1));
        let i = self.running.partition_point(|&t| t <= target);
        &self.words[i.min(self.words.len() - 1)]
    }
}

fn article(
    i: usize,
    words: &Words,
    subjects: &[Vec<String>],
    rng: &mut Rng,
) -> (ArticleText, usize) {
    let subject = rng.below(SUBJECTS as u64) as usize;
    let pick = |rng: &mut Rng, share: u64| -> String {
        if rng.below(100) < share {
            subjects[subject][rng.below(SUBJECT_WORDS as u64) as usize].clone()
        } else {
            words.sample(rng).to_owned()
        }
    };
    let text = |rng: &mut Rng, chars: usize, share: u64| {
        let mut out = String::new();
        while out.chars().count() < chars {
            out.push_str(&pick(rng, share));
            if rng.below(8) == 0 {
                out.push('，');
            }
        }
        out.push('。');
        out
    };
    let title = text(rng, 14, 30);
    let summary = text(rng, 60, 15);
    let body = text(rng, 1_500, 8);
    let published_at = 1_790_000_000 - i as i64 * 600;
    (
        ArticleText {
            id: i as i64 + 1,
            lang: Lang::Zh,
            channel_id: 1 + (i % 12) as i64,
            topic_id: None,
            tags: vec![format!("主题{}", subject % 200), format!("类别{}", i % 30)],
            published_at,
            title,
            summary,
            body,
        },
        subject,
    )
}

/// The process's peak resident memory, in MiB (Linux).
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dict), Some(count)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: related_scale DICT_TXT ARTICLES");
        std::process::exit(2)
    };
    let words = Words::read(dict);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let common = &words.words[..words.words.len().min(20_000)];
    let subjects: Vec<Vec<String>> = (0..SUBJECTS)
        .map(|_| {
            (0..SUBJECT_WORDS)
                .map(|_| common[rng.below(common.len() as u64) as usize].clone())
                .collect()
        })
        .collect();
    let before = peak_mib();
    let mut ranker = Ranker::new();
    let mut subject_of = Vec::with_capacity(count);
    let mut generating = std::time::Duration::ZERO;
    let started = Instant::now();
    // Twice through the archive, as `related::refresh` reads the store:
    // the same articles each time (the generator starts from its seed).
    for second in [false, true] {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut made = 0;
        while made < count {
            let generated = Instant::now();
            let batch: Vec<ArticleText> = (made..(made + BATCH).min(count))
                .map(|i| {
                    let (text, subject) = article(i, &words, &subjects, &mut rng);
                    if !second {
                        subject_of.push(subject);
                    }
                    text
                })
                .collect();
            generating += generated.elapsed();
            made += batch.len();
            if second {
                ranker.profile(batch);
            } else {
                ranker.count(&batch);
            }
        }
    }
    let segmented = started.elapsed() - generating;
    let ranking = Instant::now();
    let (lists, mut index) = ranker.into_index(STORED);
    let ranked = ranking.elapsed();
    let total = segmented + ranked;
    // One more article published: its list and the lists it enters.
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let (newcomer, _) = article(count, &words, &subjects, &mut rng);
    let publishing = Instant::now();
    let changed = index.upsert(newcomer);
    let published = publishing.elapsed();
    let (mut same, mut shown) = (0usize, 0usize);
    for (id, related) in &lists {
        let own = subject_of[*id as usize - 1];
        for other in related.iter().take(5) {
            shown += 1;
            same += usize::from(subject_of[*other as usize - 1] == own);
        }
    }
    println!(
        "| {count} | {:.1} s | {:.1} s | {:.1} s | {:.0} MiB | {:.3} | {:.1} ms, {} lists |",
        segmented.as_secs_f64(),
        ranked.as_secs_f64(),
        total.as_secs_f64(),
        peak_mib() - before,
        same as f64 / shown.max(1) as f64,
        published.as_secs_f64() * 1000.0,
        changed.len(),
    );
}
