//! The media library's photos, found by their caption, alt text, credit
//! and licence with the same cutting and folding as articles: any run of
//! Chinese characters, English words whatever their case or number,
//! traditional and full-width forms alike.
//!
//! A photo's words are a few hundred characters at most, so the index
//! lives in memory: the engine fills it from the store when a node starts
//! and keeps it up with the change log. Matches come newest first, like
//! the library's pages.

use crate::SearchError;
use crate::query;
use crate::tokens::{CutBy, GRAMS, cut_grams};
use std::ops::Bound;
use std::sync::Mutex;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery};
use tantivy::schema::TextOptions;
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term};

/// The writer's memory budget (tantivy's least is 15 MB).
const WRITER_HEAP: usize = 15_000_000;

/// The photos' words, searchable.
pub struct PhotoIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    id: Field,
    words: Field,
}

impl std::fmt::Debug for PhotoIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhotoIndex").finish_non_exhaustive()
    }
}

impl PhotoIndex {
    /// An empty index, in memory.
    pub fn new() -> Result<PhotoIndex, SearchError> {
        let mut builder = Schema::builder();
        let id = builder.add_u64_field("id", INDEXED | FAST);
        let words = builder.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(GRAMS)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let index = Index::create_in_ram(builder.build());
        index
            .tokenizers()
            .register(GRAMS, TextAnalyzer::from(CutBy::new(cut_grams)));
        let writer = index.writer_with_num_threads(1, WRITER_HEAP)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(PhotoIndex {
            reader,
            writer: Mutex::new(writer),
            id,
            words,
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a photo with its words (caption, alt text, credit, licence),
    /// or replaces what the index had of it.
    pub fn put(&self, id: u64, words: &[&str]) -> Result<(), SearchError> {
        let mut doc = TantivyDocument::default();
        doc.add_u64(self.id, id);
        // A line between them: a Chinese run never spans two.
        doc.add_text(self.words, words.join("\n"));
        let writer = self.writer();
        writer.delete_term(Term::from_field_u64(self.id, id));
        writer.add_document(doc)?;
        Ok(())
    }

    /// Takes a photo out (deleted).
    pub fn remove(&self, id: u64) {
        self.writer().delete_term(Term::from_field_u64(self.id, id));
    }

    /// Makes what was put and removed searchable.
    pub fn commit(&self) -> Result<(), SearchError> {
        self.writer().commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// How many photos the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The ids of at most `limit` photos whose words hold every part of
    /// `query` (as readers' search reads it), below `below` if given,
    /// newest (highest id) first. A query with nothing to search for
    /// finds nothing.
    pub fn matching(
        &self,
        query: &str,
        below: Option<u64>,
        limit: usize,
    ) -> Result<Vec<u64>, SearchError> {
        let parsed = query::parse(query);
        let Some(words) = query::every_part_in(self.words, &parsed) else {
            return Ok(Vec::new());
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, words)];
        if let Some(below) = below {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Unbounded,
                    Bound::Excluded(Term::from_field_u64(self.id, below)),
                )),
            ));
        }
        let searcher = self.reader.searcher();
        let newest = TopDocs::with_limit(limit.max(1)).order_by_u64_field("id", Order::Desc);
        let found = searcher.search(&BooleanQuery::new(clauses), &newest)?;
        // Every photo has its id in the column.
        let ids = found.into_iter().filter_map(|(id, _)| id).collect();
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> PhotoIndex {
        let index = PhotoIndex::new().expect("index");
        index
            .put(1, &["港口的早晨", "渔船进港", "摄影：林清云", ""])
            .expect("put");
        index
            .put(
                2,
                &["Night market stalls", "", "Photo: Ana Ruiz", "CC BY 4.0"],
            )
            .expect("put");
        index
            .put(3, &["網絡空間安全大會開幕", "", "", ""])
            .expect("put");
        index.put(4, &["夜市_100%", "", "", ""]).expect("put");
        index.commit().expect("commit");
        index
    }

    #[test]
    fn photos_are_found_by_any_of_their_words() {
        let index = library();
        let found = |q: &str| index.matching(q, None, 10).expect("search");
        assert_eq!(found("早晨"), [1]);
        assert_eq!(found("进港"), [1], "alt text");
        assert_eq!(found("林清云"), [1], "credit");
        assert_eq!(found("markets"), [2], "plural and case");
        assert_eq!(found("ＲＵＩＺ"), [2], "full width");
        assert_eq!(found("cc by"), [2], "licence");
        assert_eq!(found("网络空间"), [3], "traditional characters");
        assert_eq!(found("络空"), [3], "a fragment");
        assert_eq!(found("夜市"), [4]);
        assert!(found("早晨 market").is_empty(), "every part");
        assert_eq!(found("_100%"), [4], "punctuation is no syntax");
        assert!(found("").is_empty());
        assert!(found("\"((*:").is_empty());
    }

    #[test]
    fn matches_come_newest_first_below_a_cursor() {
        let index = PhotoIndex::new().expect("index");
        for id in 1..=30 {
            index.put(id, &[&format!("海边 {id}")]).expect("put");
        }
        index.commit().expect("commit");
        assert_eq!(
            index.matching("海边", None, 3).expect("search"),
            [30, 29, 28]
        );
        assert_eq!(
            index.matching("海边", Some(28), 3).expect("search"),
            [27, 26, 25]
        );
        index.remove(27);
        index.put(26, &["山里"]).expect("put");
        index.commit().expect("commit");
        assert_eq!(
            index.matching("海边", Some(28), 3).expect("search"),
            [25, 24, 23]
        );
        assert_eq!(index.matching("山里", None, 3).expect("search"), [26]);
        assert!(
            index
                .matching("海边", Some(0), 3)
                .expect("search")
                .is_empty()
        );
        assert_eq!(index.len(), 29);
    }
}
