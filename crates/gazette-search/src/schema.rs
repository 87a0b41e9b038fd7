//! What the index keeps of an article: the searchable text cut several
//! ways (pairs, characters and words, see [`crate::tokens`]), the fields
//! filters and the role rules need, and what a result line shows without
//! asking the store.

use crate::tokens::{CHARACTERS, GRAMS, PAIRS, WORDS};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// The fields, by handle.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub lang: Field,
    pub status: Field,
    pub channel: Field,
    pub topic: Field,
    pub published: Field,
    pub updated: Field,
    pub creator: Field,
    pub person: Field,
    pub slug: Field,
    /// The title (kept as written, for result lines).
    pub title: Field,
    pub title_words: Field,
    /// Subtitle, summary and body (kept as written, for snippets).
    pub text: Field,
    /// The text's Chinese characters, each once.
    pub text_characters: Field,
    /// The text's and the metadata's words.
    pub text_words: Field,
    /// Source, authors and tags: searched, never shown in a snippet.
    pub meta: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let indexed = |tokenizer: &str, record: IndexRecordOption| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(record),
            )
        };
        let grams = indexed(GRAMS, IndexRecordOption::WithFreqsAndPositions);
        let pairs = indexed(PAIRS, IndexRecordOption::WithFreqsAndPositions);
        let characters = indexed(CHARACTERS, IndexRecordOption::Basic);
        let words = indexed(WORDS, IndexRecordOption::WithFreqs);
        let fields = Fields {
            id: builder.add_u64_field("id", INDEXED | STORED | FAST),
            lang: builder.add_text_field("lang", STRING | STORED),
            status: builder.add_text_field("status", STRING),
            channel: builder.add_u64_field("channel", INDEXED | STORED),
            topic: builder.add_u64_field("topic", INDEXED),
            published: builder.add_i64_field("published", INDEXED | STORED | FAST),
            updated: builder.add_i64_field("updated", STORED),
            creator: builder.add_u64_field("creator", INDEXED),
            person: builder.add_u64_field("person", INDEXED),
            slug: builder.add_text_field("slug", STORED),
            title: builder.add_text_field("title", grams.clone().set_stored()),
            title_words: builder.add_text_field("title_words", words.clone()),
            text: builder.add_text_field("text", pairs.set_stored()),
            text_characters: builder.add_text_field("text_characters", characters),
            text_words: builder.add_text_field("text_words", words),
            meta: builder.add_text_field("meta", grams),
        };
        (builder.build(), fields)
    }
}

/// An article as the index takes it. Everything searchable is plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub id: u64,
    /// `zh` or `en`.
    pub lang: String,
    /// `draft`, `published`, `retracted` or `taken_down`: readers' search
    /// finds only `published`, staff search any.
    pub status: String,
    pub channel_id: u64,
    pub topic_id: Option<u64>,
    /// Seconds since the epoch (UTC).
    pub published_at: i64,
    pub updated_at: i64,
    /// The account that started it.
    pub creator: Option<u64>,
    /// The people credited as its authors (by person id).
    pub authors: Vec<u64>,
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub summary: String,
    /// The body as plain text.
    pub body: String,
    pub source: Option<String>,
    /// The authors' names, as the byline shows them.
    pub author_names: Vec<String>,
    pub tags: Vec<String>,
}

impl Document {
    /// The text searched besides the title, in the order a snippet
    /// prefers: subtitle, summary, body.
    pub fn searchable_text(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if let Some(subtitle) = &self.subtitle {
            parts.push(subtitle);
        }
        parts.push(&self.summary);
        parts.push(&self.body);
        join(parts)
    }

    /// The source, the authors' names and the tags: searched as well.
    pub fn metadata_text(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if let Some(source) = &self.source {
            parts.push(source);
        }
        parts.extend(self.author_names.iter().map(String::as_str));
        parts.extend(self.tags.iter().map(String::as_str));
        join(parts)
    }
}

/// Non-empty parts, a line each (a line break separates Chinese runs).
fn join(mut parts: Vec<&str>) -> String {
    parts.retain(|p| !p.trim().is_empty());
    parts.join("\n")
}
