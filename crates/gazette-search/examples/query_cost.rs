//! Where query time goes on a built index: each query of a list (one a
//! line, `kind<TAB>query` or the query alone, as the search benchmark
//! leaves them in `queries-by-kind.txt` and `queries.txt`) run a few
//! times on the index `gazette reindex` made under FOLDER, the readers'
//! way (published only, first page of 10). Prints the median of all, the
//! median by kind, and the slowest queries.
//!
//!     cargo run --release -p gazette-search --example query_cost FOLDER QUERIES [NOW]
//!
//! With `REPEAT=N` in the environment each query runs N times (for a
//! profiler).

use gazette_search::{Filters, IndexHome, Request, Scope, SearchIndex};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(folder), Some(list)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: query_cost FOLDER QUERIES [NOW]");
        std::process::exit(2)
    };
    let now: i64 = args
        .get(3)
        .map_or(1_795_000_000, |n| n.parse().expect("NOW"));
    let repeat: usize = std::env::var("REPEAT").map_or(5, |r| r.parse().expect("REPEAT"));
    let home = IndexHome::new(folder);
    let name = home.current_name().expect("no index under FOLDER");
    let index = SearchIndex::open_or_create(&home.path_of(&name)).expect("open");
    let queries: Vec<(String, String)> = std::fs::read_to_string(list)
        .expect("QUERIES")
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('\t') {
            Some((kind, q)) => (kind.to_owned(), q.to_owned()),
            None => (String::new(), l.to_owned()),
        })
        .collect();
    if queries.is_empty() {
        eprintln!("no queries in {list}");
        std::process::exit(2)
    }
    let run = |q: &str| {
        let started = Instant::now();
        let results = index
            .search(&Request {
                query: q.to_owned(),
                scope: Scope::Public,
                filters: Filters::default(),
                after: None,
                per_page: 10,
                now,
            })
            .expect("search");
        (started.elapsed(), results.total)
    };
    // Warm-up: every query once.
    for (_, q) in &queries {
        run(q);
    }
    let mut timed: Vec<(Duration, usize, &str, &str)> = Vec::new();
    for (kind, q) in &queries {
        let mut times: Vec<(Duration, usize)> = (0..repeat).map(|_| run(q)).collect();
        times.sort();
        let (median, total) = times[times.len() / 2];
        timed.push((median, total, kind, q));
    }
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    let mut all: Vec<Duration> = timed.iter().map(|t| t.0).collect();
    all.sort();
    println!(
        "{} queries: p50 {:.2} ms, p99 {:.2} ms",
        all.len(),
        ms(all[all.len() / 2]),
        ms(all[(all.len() * 99 / 100).min(all.len() - 1)])
    );
    let mut by_kind: std::collections::BTreeMap<&str, Vec<Duration>> = Default::default();
    for (time, _, kind, _) in &timed {
        by_kind.entry(kind).or_default().push(*time);
    }
    for (kind, mut times) in by_kind.into_iter().filter(|(k, _)| !k.is_empty()) {
        times.sort();
        println!(
            "  {kind} ({}): p50 {:.2} ms, max {:.2} ms",
            times.len(),
            ms(times[times.len() / 2]),
            ms(times[times.len() - 1])
        );
    }
    timed.sort_by_key(|t| std::cmp::Reverse(t.0));
    println!("slowest:");
    for (time, total, kind, q) in timed.iter().take(15) {
        println!("  {:7.2} ms  {total:>6} found  {kind:<9} {q}", ms(*time));
    }
}
