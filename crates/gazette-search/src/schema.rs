//! What the index keeps of an article: the searchable text twice (as
//! pairs and words, see [`crate::tokens`]), the fields filters and the role
//! rules need, and what a result line shows without asking the store.

use crate::tokens::{GRAMS, WORDS};
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
    pub title: Field,
    pub title_words: Field,
    pub text: Field,
    pub text_words: Field,
    /// Source, authors and tags: searched, never shown in a snippet.
    pub meta: Field,
    /// The title and text as written, for result lines and snippets (the
    /// indexed fields take tokens made here, folded once for both kinds).
    pub title_stored: Field,
    pub text_stored: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        // The tokenizer named here cuts stored text for snippets.
        let grams = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(GRAMS)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let words = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
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
            title: builder.add_text_field("title", grams.clone()),
            title_words: builder.add_text_field("title_words", words.clone()),
            text: builder.add_text_field("text", grams.clone()),
            text_words: builder.add_text_field("text_words", words),
            meta: builder.add_text_field("meta", grams),
            title_stored: builder.add_text_field("title_stored", STORED),
            text_stored: builder.add_text_field("text_stored", STORED),
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
