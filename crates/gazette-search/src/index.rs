//! One search index: writing articles in and out, committing with the
//! change-log number it has reached, and searching it.
//!
//! Ranking is BM25 (tantivy's) over the title (three times) and the text,
//! plus the whole-word bonus ([`crate::query`]), times a recency factor
//! ([`crate::rank`]). Pages follow a cursor (the last hit's score and
//! id), never an offset.

use crate::SearchError;
use crate::query::{self, Filters, Scope};
use crate::rank::Ranked;
use crate::schema::{Document, Fields};
use crate::tokens::{
    CHARACTERS, CutBy, GRAMS, PAIRS, WORDS, cut_characters, cut_grams, cut_pairs,
    cut_snippet_pairs, cut_words,
};
use std::path::Path;
use std::sync::Mutex;
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Score, TantivyDocument, Term};

/// The writer's memory budget on a serving node.
const SERVING_HEAP: usize = 50_000_000;
/// A full build's memory budget per indexing thread, at most: with it an
/// archive of 100,000 articles fits in one segment a thread, so nothing
/// is merged and each term's postings are written once (measured: 1,600
/// articles/s against 1,150 with 200 MB, which made twenty segments and
/// merged them). The arena grows as articles come, so a small archive
/// never takes it all.
const BUILD_HEAP_MOST: usize = 1_500_000_000;
/// ...and at least (tantivy wants 15 MB).
const BUILD_HEAP_LEAST: usize = 100_000_000;
/// Indexing threads a build uses at most (as tantivy's own default).
const BUILD_THREADS_MOST: usize = 8;
/// The most hits a page may ask for.
pub const MOST_PER_PAGE: usize = 50;
/// Bytes of text around the matches in a snippet.
const SNIPPET_BYTES: usize = 240;
/// Characters of the text shown when the matches are elsewhere.
const OPENING_CHARS: usize = 90;

/// Where a page of results starts: after this hit, ranked as of `now`
/// (the first page's time, so that the recency bonus, and with it the
/// order, stays the same from page to page).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cursor {
    pub score: f32,
    pub id: u64,
    pub now: i64,
}

impl Cursor {
    /// The cursor as the `after` parameter carries it.
    pub fn encode(&self) -> String {
        format!("{:08x}-{}-{}", self.score.to_bits(), self.id, self.now)
    }

    /// None for anything that is not a cursor this made.
    pub fn decode(text: &str) -> Option<Cursor> {
        let mut parts = text.split('-');
        let (bits, id, now) = (parts.next()?, parts.next()?, parts.next()?);
        if bits.len() != 8 || parts.next().is_some() {
            return None;
        }
        let score = f32::from_bits(u32::from_str_radix(bits, 16).ok()?);
        if !score.is_finite() {
            return None;
        }
        Some(Cursor {
            score,
            id: id.parse().ok()?,
            now: now.parse().ok()?,
        })
    }
}

/// A search to run.
#[derive(Debug, Clone)]
pub struct Request {
    pub query: String,
    pub scope: Scope,
    pub filters: Filters,
    pub after: Option<Cursor>,
    pub per_page: usize,
    /// Now, for the recency bonus (seconds since the epoch); a cursor
    /// brings its own.
    pub now: i64,
}

/// One result line.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: u64,
    pub lang: String,
    pub slug: String,
    pub channel_id: u64,
    pub published_at: i64,
    /// The title as written.
    pub title: String,
    /// The title, HTML-escaped, with the matches in `<mark>`.
    pub title_html: String,
    /// A stretch of the text around the matches, likewise (the text's
    /// opening when the matches are all in the title or metadata).
    pub snippet_html: String,
    pub score: f32,
}

/// A page of results.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// How many articles match in all.
    pub total: usize,
    /// Where the next page starts, if there is one.
    pub next: Option<Cursor>,
}

/// A search index, open for searching and writing.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
    /// A new build, filled once with distinct articles: nothing to replace.
    fresh: bool,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, or makes an empty one there.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex, SearchError> {
        Self::open_with(dir, 1, SERVING_HEAP)
    }

    /// Makes an index for a full build in an empty folder: a thread a
    /// core and a third of the memory available between them, within
    /// bounds ([`build_budget`]). Each article is to be put once.
    pub fn open_for_build(dir: &Path, cores: usize) -> Result<SearchIndex, SearchError> {
        // Where the memory cannot be read, what builds took before.
        let available = available_memory().unwrap_or(3 * 200_000_000 * cores.max(1));
        let (threads, heap) = build_budget(available, cores);
        let mut index = Self::open_with(dir, threads, heap)?;
        index.fresh = index.is_empty();
        Ok(index)
    }

    fn open_with(dir: &Path, threads: usize, heap: usize) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = Fields::schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)?;
        let index = Index::open_or_create(directory, schema)?;
        Self::from_index(index, fields, threads, heap)
    }

    /// An index in memory only (tests).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        Self::from_index(Index::create_in_ram(schema), fields, 1, SERVING_HEAP)
    }

    fn from_index(
        index: Index,
        fields: Fields,
        threads: usize,
        heap: usize,
    ) -> Result<SearchIndex, SearchError> {
        let tokenizers = index.tokenizers();
        tokenizers.register(GRAMS, TextAnalyzer::from(CutBy::new(cut_grams)));
        tokenizers.register(PAIRS, TextAnalyzer::from(CutBy::new(cut_pairs)));
        tokenizers.register(CHARACTERS, TextAnalyzer::from(CutBy::new(cut_characters)));
        tokenizers.register(WORDS, TextAnalyzer::from(CutBy::new(cut_words)));
        let writer = index.writer_with_num_threads(threads, heap.saturating_mul(threads))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            fresh: false,
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds an article, or replaces what the index had of it.
    pub fn put(&self, doc: &Document) -> Result<(), SearchError> {
        let f = &self.fields;
        let mut out = TantivyDocument::default();
        out.add_u64(f.id, doc.id);
        out.add_text(f.lang, &doc.lang);
        out.add_text(f.status, &doc.status);
        out.add_u64(f.channel, doc.channel_id);
        if let Some(topic) = doc.topic_id {
            out.add_u64(f.topic, topic);
        }
        out.add_i64(f.published, doc.published_at);
        out.add_i64(f.updated, doc.updated_at);
        if let Some(creator) = doc.creator {
            out.add_u64(f.creator, creator);
        }
        for person in &doc.authors {
            out.add_u64(f.person, *person);
        }
        out.add_text(f.slug, &doc.slug);
        // Text as it is: tantivy's indexing threads cut it, each field
        // with its tokenizer.
        out.add_text(f.title, &doc.title);
        out.add_text(f.title_words, &doc.title);
        let text = doc.searchable_text();
        out.add_text(f.text_characters, &text);
        out.add_text(f.text_words, &text);
        let metadata = doc.metadata_text();
        if !metadata.is_empty() {
            out.add_text(f.meta, &metadata);
            out.add_text(f.text_words, &metadata);
        }
        out.add_text(f.text, text);
        let writer = self.writer();
        // Each delete is looked up in every segment at its flush: a new
        // build has nothing to replace.
        if !self.fresh {
            writer.delete_term(Term::from_field_u64(f.id, doc.id));
        }
        writer.add_document(out)?;
        Ok(())
    }

    /// Takes an article out (retracted, taken down, deleted).
    pub fn remove(&self, id: u64) {
        self.writer()
            .delete_term(Term::from_field_u64(self.fields.id, id));
    }

    /// Makes what was put and removed searchable, noting the change-log
    /// number it reflects (kept with the commit, read back by
    /// [`SearchIndex::last_seq`] after a restart; None while a fill is
    /// still under way).
    pub fn commit(&self, seq: Option<i64>) -> Result<(), SearchError> {
        let mut writer = self.writer();
        let mut prepared = writer.prepare_commit()?;
        if let Some(seq) = seq {
            prepared.set_payload(&seq.to_string());
        }
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// The change-log number of the last commit; None for a new index.
    pub fn last_seq(&self) -> Option<i64> {
        self.index
            .load_metas()
            .ok()?
            .payload
            .and_then(|p| p.parse().ok())
    }

    /// How many articles the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Waits for background merges, so that the files on disk are final
    /// (after a full build).
    pub fn finish(self) -> Result<(), SearchError> {
        let writer = self.writer.into_inner().unwrap_or_else(|e| e.into_inner());
        writer.wait_merging_threads()?;
        Ok(())
    }

    /// Runs a search. An empty query finds nothing.
    pub fn search(&self, request: &Request) -> Result<Results, SearchError> {
        let parsed = query::parse(&request.query);
        if parsed.is_empty() {
            return Ok(Results::default());
        }
        let searcher = self.reader.searcher();
        let found_in = |term: &str| {
            searcher
                .doc_freq(&Term::from_field_text(self.fields.text, term))
                .unwrap_or(u64::MAX)
        };
        let query = query::build(
            &self.fields,
            &parsed,
            &request.scope,
            &request.filters,
            request.now,
            &found_in,
        );
        let needles = parsed.needles();
        let per_page = request.per_page.clamp(1, MOST_PER_PAGE);
        let after = request.after;
        // A cursor's time stands for later pages (within a week of now:
        // a made-up one cannot push ages past what they can be).
        let now = after.map_or(request.now, |cursor| {
            cursor
                .now
                .clamp(request.now.saturating_sub(7 * 86_400), request.now)
        });
        let ranked = Ranked {
            limit: per_page + 1,
            now,
            after,
        };
        let (total, top) = searcher.search(&query, &ranked)?;
        let mut title_snippets = SnippetGenerator::create(&searcher, &*query, self.fields.title)?;
        title_snippets.set_max_num_chars(usize::MAX / 2);
        // The text's matches are marked as the title's are, characters
        // included (the index keeps those in a field of their own).
        let mut marked = std::collections::BTreeMap::new();
        for term in parsed.highlight_terms() {
            let field = if query::is_character(&term) {
                self.fields.text_characters
            } else {
                self.fields.text
            };
            let found = searcher.doc_freq(&Term::from_field_text(field, &term))?;
            if found > 0 {
                marked.insert(term, 1.0 / (1.0 + found as Score));
            }
        }
        // Pairs alone are half the tokens of grams: the characters one by
        // one are cut only when a character is to be marked.
        let cut = if marked.keys().any(|term| query::is_character(term)) {
            cut_grams
        } else {
            cut_snippet_pairs
        };
        let text_snippets = SnippetGenerator::new(
            marked,
            TextAnalyzer::from(CutBy::new(cut)),
            self.fields.text,
            SNIPPET_BYTES,
        );
        let mut hits = Vec::with_capacity(per_page);
        for ((score, _), address) in top.iter().take(per_page) {
            let doc: TantivyDocument = searcher.doc(*address)?;
            hits.push(self.hit(&doc, *score, &title_snippets, &text_snippets, &needles));
        }
        let next = (top.len() > per_page)
            .then(|| {
                hits.last().map(|h| Cursor {
                    score: h.score,
                    id: h.id,
                    now,
                })
            })
            .flatten();
        // Hits before the cursor are not counted again on later pages.
        let total = if after.is_some() {
            total.max(hits.len())
        } else {
            total
        };
        Ok(Results { hits, total, next })
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        score: f32,
        titles: &SnippetGenerator,
        texts: &SnippetGenerator,
        needles: &[String],
    ) -> Hit {
        let f = &self.fields;
        let text_of = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let title = text_of(f.title);
        // The whole title, with its matches marked.
        let title_snippet = titles.snippet(&title);
        let start = title_snippet.fragment_range().start;
        let ranges: Vec<_> = title_snippet
            .highlighted()
            .iter()
            .map(|r| r.start + start..r.end + start)
            .collect();
        let title_html = mark(&title, &ranges);
        let text = text_of(f.text);
        // Only the stretch around the first match is cut into tokens.
        let (mut offset, window) = snippet_window(&text, needles);
        let mut snippet = texts.snippet(window);
        if snippet.is_empty() && window.len() < text.len() {
            // The words as written differ from the query's (a stem, a
            // traditional form): the text's first part, at most.
            let mut end = text.len().min(FALLBACK_BYTES);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            offset = 0;
            snippet = texts.snippet(&text[..end]);
        }
        let snippet_html = if snippet.is_empty() {
            // Found by its title or metadata: its opening words instead.
            let opening: String = text.chars().take(OPENING_CHARS).collect();
            let mut html = escape(&opening).replace('\n', " ");
            if opening.len() < text.len() {
                html.push('…');
            }
            html
        } else {
            let range = snippet.fragment_range();
            let range = range.start + offset..range.end + offset;
            let mut html = String::new();
            if range.start > 0 {
                html.push('…');
            }
            let marked = mark(snippet.fragment(), snippet.highlighted());
            html.push_str(marked.trim().replace('\n', " ").as_str());
            if range.end < text.len() {
                html.push('…');
            }
            html
        };
        Hit {
            id: doc
                .get_first(f.id)
                .and_then(|v| v.as_u64())
                .unwrap_or_default(),
            lang: text_of(f.lang),
            slug: text_of(f.slug),
            channel_id: doc
                .get_first(f.channel)
                .and_then(|v| v.as_u64())
                .unwrap_or_default(),
            published_at: doc
                .get_first(f.published)
                .and_then(|v| v.as_i64())
                .unwrap_or_default(),
            title,
            title_html,
            snippet_html,
            score,
        }
    }
}

/// Bytes of text a snippet is looked for in when no match was found as
/// written (bounds the work a query of stems can cause).
const FALLBACK_BYTES: usize = 12_000;
/// Bytes of text kept before and after the first match for a snippet.
const WINDOW_BEFORE: usize = 240;
const WINDOW_AFTER: usize = 480;

/// Where in `text` a snippet is to be cut from: a stretch around the
/// first place one of `needles` (the query's runs and words, folded) is
/// found as written, and its offset; the whole text when none is (other
/// widths or scripts, which the tokens still match).
fn snippet_window<'t>(text: &'t str, needles: &[String]) -> (usize, &'t str) {
    let lower = needles
        .iter()
        .any(|n| n.is_ascii())
        .then(|| text.to_ascii_lowercase());
    let first = needles
        .iter()
        .filter(|n| !n.is_empty())
        .filter_map(|n| match &lower {
            Some(lower) if n.is_ascii() => lower.find(n.as_str()),
            _ => text.find(n.as_str()),
        })
        .min();
    let Some(at) = first else {
        return (0, text);
    };
    let mut start = at.saturating_sub(WINDOW_BEFORE);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + WINDOW_AFTER).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, &text[start..end])
}

/// `text` as HTML with the byte `ranges` (overlapping or not) in `<mark>`.
fn mark(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut html = String::with_capacity(text.len() + 16);
    // Overlapping or touching ranges are one mark (a run's pairs).
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| (r.start, r.end));
    for range in sorted {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    let mut at = 0;
    for range in merged {
        let (Some(before), Some(marked)) = (text.get(at..range.start), text.get(range.clone()))
        else {
            continue;
        };
        html.push_str(&escape(before));
        html.push_str("<mark>");
        html.push_str(&escape(marked));
        html.push_str("</mark>");
        at = range.end;
    }
    html.push_str(&escape(text.get(at..).unwrap_or_default()));
    html
}

/// Text made safe for HTML (what tantivy's snippets do to theirs).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// A build's indexing threads and memory per thread: a third of
/// `available` between them, at most [`BUILD_HEAP_MOST`] a thread; fewer
/// threads where the third cannot give each [`BUILD_HEAP_LEAST`].
fn build_budget(available: usize, cores: usize) -> (usize, usize) {
    let share = available / 3;
    let threads = cores
        .clamp(1, BUILD_THREADS_MOST)
        .min((share / BUILD_HEAP_LEAST).max(1));
    let heap = (share / threads).clamp(BUILD_HEAP_LEAST, BUILD_HEAP_MOST);
    (threads, heap)
}

/// The memory this process can take without swapping or being stopped:
/// Linux's `MemAvailable`, or less where a control group (a container)
/// allows less. None where neither can be read.
fn available_memory() -> Option<usize> {
    let read = |path: &str| std::fs::read_to_string(path).ok();
    let number = |text: Option<String>| text.and_then(|t| t.trim().parse::<usize>().ok());
    let system = read("/proc/meminfo").and_then(|info| {
        let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
        let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
        kib.checked_mul(1024)
    });
    // What a control group's limit leaves: its limit less its usage.
    let left = |limit: &str, usage: &str| {
        number(read(limit)).map(|limit| limit.saturating_sub(number(read(usage)).unwrap_or(0)))
    };
    // cgroup v2, then v1 (whose "no limit" is a huge number).
    let group = left("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current").or_else(|| {
        left(
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/memory/memory.usage_in_bytes",
        )
    });
    match (system, group) {
        (Some(system), Some(group)) => Some(system.min(group)),
        (one, other) => one.or(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_takes_a_third_of_the_memory_within_bounds() {
        const GB: usize = 1_000_000_000;
        // This machine: two cores, 24 GB free.
        assert_eq!(build_budget(24 * GB, 2), (2, BUILD_HEAP_MOST));
        // A small server: a third of 2 GB between two threads.
        assert_eq!(build_budget(2 * GB, 2), (2, 333_333_333));
        // Many cores and little memory: fewer threads, never less each.
        assert_eq!(build_budget(GB, 64), (3, 111_111_111));
        assert_eq!(
            build_budget(100 * GB, 64),
            (BUILD_THREADS_MOST, BUILD_HEAP_MOST)
        );
        assert_eq!(build_budget(0, 4), (1, BUILD_HEAP_LEAST));
        assert_eq!(build_budget(usize::MAX, 0), (1, BUILD_HEAP_MOST));
    }

    #[test]
    fn the_available_memory_is_read_on_linux() {
        let available = available_memory().expect("readable here");
        assert!(available > 0);
    }
}
