//! The ways text becomes index terms, registered with tantivy as
//! tokenizers (tantivy's indexing threads cut the text; highlights cut it
//! into grams, which hold every term a query looks for).
//!
//! - **Grams** ([`GRAMS`], titles and metadata): every run of Chinese
//!   characters becomes its overlapping pairs (`网络空间` → `网络` `络空`
//!   `空间`, at consecutive positions) and its characters one by one (a
//!   one-character query), and every other run of letters and digits is a
//!   word, stemmed. Any run of two or more Chinese characters in a text is
//!   then a phrase of pairs in its index, whatever the segmenter thinks of
//!   it: fragments, names, new terms.
//! - **Pairs** ([`PAIRS`], the text): the same without the characters one
//!   by one, which would double the positions kept for a long text; only
//!   a run's first and last characters stay (a quoted `"B站"` is found in
//!   `B站用户`, its 站 at the edge of a run).
//! - **Characters** ([`CHARACTERS`], the text): each Chinese character of
//!   a text once, without counts or positions: what a one-character query
//!   finds in the text.
//! - **Words** ([`WORDS`]): the segmenter's words (jieba, with the
//!   newsroom's dictionary) and the same stemmed Latin words. A query's
//!   words matching here rank whole-word matches above partial ones.
//!
//! All work on folded text ([`crate::fold`]) and report offsets in the
//! original text.

use crate::fold::{Folded, fold, is_han};
use crate::segment::{jieba, stem};
use std::cell::RefCell;
use std::rc::Rc;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The tokenizer name of pair-character-and-word fields.
pub const GRAMS: &str = "gazette_grams";
/// The tokenizer name of pair-and-word fields.
pub const PAIRS: &str = "gazette_pairs";
/// The tokenizer name of the each-character-once field.
pub const CHARACTERS: &str = "gazette_characters";
/// The tokenizer name of segmented-word fields.
pub const WORDS: &str = "gazette_words";

/// Latin words longer than this are not words (base64, hashes, junk).
const LONGEST_WORD: usize = 40;

/// A run of folded characters of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    Han,
    Word,
}

/// The runs of Chinese characters and of other letters and digits, in
/// order; everything else separates them.
pub fn runs(folded: &[Folded]) -> Vec<(RunKind, &[Folded])> {
    runs_at(folded)
        .into_iter()
        .map(|(kind, range)| (kind, &folded[range]))
        .collect()
}

/// Whether a phrase may not go on from one run to the next: anything but
/// spaces between them, or any space beside Chinese (a reader's 网络 空间
/// is two things to find, and punctuation ends a phrase).
fn phrase_breaks(folded: &[Folded], before: (RunKind, usize), after: (RunKind, usize)) -> bool {
    let between = &folded[before.1..after.1];
    !between.is_empty()
        && (before.0 == RunKind::Han
            || after.0 == RunKind::Han
            || between.iter().any(|f| !f.ch.is_whitespace()))
}

/// [`runs`] as index ranges into `folded`.
fn runs_at(folded: &[Folded]) -> Vec<(RunKind, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut start = 0;
    let kind_of = |c: char| {
        if is_han(c) {
            Some(RunKind::Han)
        } else if c.is_alphanumeric() {
            Some(RunKind::Word)
        } else {
            None
        }
    };
    while start < folded.len() {
        let Some(kind) = kind_of(folded[start].ch) else {
            start += 1;
            continue;
        };
        let mut end = start + 1;
        while end < folded.len() && kind_of(folded[end].ch) == Some(kind) {
            end += 1;
        }
        out.push((kind, start..end));
        start = end;
    }
    out
}

/// A Latin (or other non-Chinese) word's term: lower-cased already by
/// folding, then stemmed. None for overlong runs.
pub fn word_term(run: &[Folded]) -> Option<String> {
    if run.len() > LONGEST_WORD {
        return None;
    }
    let word: String = run.iter().map(|f| f.ch).collect();
    Some(stem(&word))
}

/// Texts at least this long are worth keeping folded for the next field...
const WORTH_KEEPING: usize = 1_024;
/// ...and at most this long (a folded character takes 24 bytes).
const MOST_KEPT: usize = 256 * 1_024;

/// `text` folded, for the tokenizers of an article's text. An indexing
/// thread cuts an article's text for three fields one after the other:
/// the last long text a thread folded is kept, so that it is folded once,
/// not three times.
fn folded(text: &str) -> Rc<Vec<Folded>> {
    thread_local! {
        static LAST: RefCell<Option<(String, Rc<Vec<Folded>>)>> = const { RefCell::new(None) };
    }
    if !(WORTH_KEEPING..=MOST_KEPT).contains(&text.len()) {
        return Rc::new(fold(text));
    }
    LAST.with_borrow_mut(|last| {
        if let Some((seen, folded)) = last
            && seen == text
        {
            return folded.clone();
        }
        let folded = Rc::new(fold(text));
        *last = Some((text.to_owned(), folded.clone()));
        folded
    })
}

/// The gram tokens of a text.
pub fn gram_tokens(text: &str) -> Vec<Token> {
    gram_tokens_of(&fold(text))
}

/// The gram tokens of folded text.
pub fn gram_tokens_of(folded: &[Folded]) -> Vec<Token> {
    grams_of(folded, true)
}

/// The pair tokens of a text: gram tokens less the characters inside
/// runs of two or more (a lone character between punctuation stays, and
/// so do a run's first and last, where a quoted phrase's lone character
/// may meet them).
pub fn pair_tokens(text: &str) -> Vec<Token> {
    grams_of(&folded(text), false)
}

/// Gram tokens, with each character of a run or without.
fn grams_of(folded: &[Folded], characters: bool) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut position = 0;
    let mut previous: Option<(RunKind, usize)> = None;
    for (kind, range) in runs_at(folded) {
        // A gap of one position where a phrase must not go on.
        if let Some(previous) = previous
            && phrase_breaks(folded, previous, (kind, range.start))
        {
            position += 1;
        }
        previous = Some((kind, range.end));
        let run = &folded[range];
        match kind {
            RunKind::Han if run.len() == 1 => {
                tokens.push(token(run[0].ch.to_string(), &run[..1], position));
                position += 1;
            }
            RunKind::Han => {
                // Each character also stands alone at its pair's position
                // (a one-character query: 雪, 茶), which leaves phrases of
                // pairs as they are. The character comes first, so that
                // where tokens end never moves back (highlights rely on it).
                for (at, pair) in run.windows(2).enumerate() {
                    if characters || at == 0 {
                        tokens.push(token(run[at].ch.to_string(), &run[at..=at], position));
                    }
                    tokens.push(token(pair.iter().map(|f| f.ch).collect(), pair, position));
                    position += 1;
                }
                let last = run.len() - 1;
                tokens.push(token(run[last].ch.to_string(), &run[last..], position));
                position += 1;
            }
            RunKind::Word => {
                if let Some(term) = word_term(run) {
                    tokens.push(token(term, run, position));
                    position += 1;
                }
            }
        }
    }
    tokens
}

/// Each Chinese character of a text once, in the order first seen.
pub fn character_tokens(text: &str) -> Vec<Token> {
    let mut seen = std::collections::HashSet::new();
    folded(text)
        .iter()
        .filter(|f| is_han(f.ch) && seen.insert(f.ch))
        .enumerate()
        .map(|(position, f)| token(f.ch.to_string(), std::slice::from_ref(f), position))
        .collect()
}

/// The word tokens of a text.
pub fn word_tokens(text: &str) -> Vec<Token> {
    word_tokens_of(&folded(text))
}

/// The word tokens of folded text. The segmenter runs without its HMM
/// guesses at unknown words (twice as fast; fragments and names are found
/// by their pairs), for articles and queries alike.
pub fn word_tokens_of(folded: &[Folded]) -> Vec<Token> {
    let plain: String = folded.iter().map(|f| f.ch).collect();
    let mut tokens = Vec::new();
    let jieba = jieba();
    for (position, piece) in jieba.cut(&plain, false).into_iter().enumerate() {
        let span = &folded[piece.start..piece.end];
        if piece.word.chars().all(is_han) {
            tokens.push(token(piece.word.to_owned(), span, position));
            continue;
        }
        // Latin runs come whole, with what separated them; take words.
        for (kind, run) in runs(span) {
            let term = match kind {
                RunKind::Word => word_term(run),
                RunKind::Han => Some(run.iter().map(|f| f.ch).collect()),
            };
            if let Some(term) = term {
                tokens.push(token(term, run, position));
            }
        }
    }
    tokens
}

fn token(text: String, span: &[Folded], position: usize) -> Token {
    Token {
        offset_from: span.first().map_or(0, |f| f.from),
        offset_to: span.last().map_or(0, |f| f.to),
        position,
        text,
        position_length: 1,
    }
}

/// Tokens made in one go, handed to tantivy one at a time.
pub struct MadeTokens {
    tokens: Vec<Token>,
    next: usize,
    /// What `token` answers before the first advance or after the last.
    none: Token,
}

impl MadeTokens {
    fn new(tokens: Vec<Token>) -> Self {
        MadeTokens {
            tokens,
            next: 0,
            none: Token::default(),
        }
    }
}

impl TokenStream for MadeTokens {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        match self.next.checked_sub(1) {
            Some(at) => self.tokens.get(at).unwrap_or(&self.none),
            None => &self.none,
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(at) if at < self.tokens.len() => &mut self.tokens[at],
            _ => &mut self.none,
        }
    }
}

/// One of the cuts above as a tantivy tokenizer: `CutBy(gram_tokens)`
/// for [`GRAMS`], `CutBy(pair_tokens)` for [`PAIRS`], and so on.
#[derive(Debug, Clone, Copy)]
pub struct CutBy(pub fn(&str) -> Vec<Token>);

impl Tokenizer for CutBy {
    type TokenStream<'a> = MadeTokens;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> MadeTokens {
        MadeTokens::new((self.0)(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[Token]) -> Vec<&str> {
        tokens.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn chinese_runs_become_overlapping_pairs() {
        let tokens = gram_tokens("网络空间，好");
        assert_eq!(
            texts(&tokens),
            ["网", "网络", "络", "络空", "空", "空间", "间", "好"]
        );
        assert_eq!(
            tokens.iter().map(|t| t.position).collect::<Vec<_>>(),
            [0, 0, 1, 1, 2, 2, 3, 5]
        );
        assert_eq!(tokens[3].offset_from, 3);
        assert_eq!(tokens[3].offset_to, 9);
        assert!(tokens.windows(2).all(|w| w[0].offset_to <= w[1].offset_to));
    }

    #[test]
    fn punctuation_and_chinese_spaces_leave_a_gap_in_positions() {
        let positions = |text: &str| {
            gram_tokens(text)
                .into_iter()
                .map(|t| (t.text, t.position))
                .collect::<Vec<_>>()
        };
        // 网络。空间: 空 does not follow 络.
        let split = positions("网络。空间");
        assert!(
            split.contains(&("络".into(), 1)) && split.contains(&("空".into(), 3)),
            "{split:?}"
        );
        // Words separated by spaces stay next to each other; a comma parts them.
        assert_eq!(
            positions("solid state, battery"),
            [
                ("solid".into(), 0),
                ("state".into(), 1),
                ("batteri".into(), 3)
            ]
        );
        // Chinese straight after Latin letters: no gap.
        let mixed = positions("GPU芯片");
        assert!(
            mixed.contains(&("gpu".into(), 0)) && mixed.contains(&("芯片".into(), 1)),
            "{mixed:?}"
        );
    }

    #[test]
    fn pairs_leave_out_the_characters_of_runs() {
        let tokens = pair_tokens("网络空间，好");
        assert_eq!(texts(&tokens), ["网", "网络", "络空", "空间", "间", "好"]);
        assert_eq!(
            tokens.iter().map(|t| t.position).collect::<Vec<_>>(),
            [0, 0, 1, 2, 3, 5]
        );
    }

    #[test]
    fn characters_come_once_each() {
        assert_eq!(texts(&character_tokens("雪山雪 snow 山")), ["雪", "山"]);
    }

    #[test]
    fn latin_words_are_folded_and_stemmed() {
        assert_eq!(
            texts(&gram_tokens("Batteries ＧＰＵ 5G芯片")),
            ["batteri", "gpu", "5g", "芯", "芯片", "片"]
        );
    }

    #[test]
    fn words_come_from_the_segmenter() {
        let tokens = word_tokens("固态电池的能量密度");
        let words = texts(&tokens);
        assert!(words.contains(&"电池"), "{words:?}");
        assert!(words.contains(&"能量"), "{words:?}");
    }

    #[test]
    fn an_empty_stream_never_panics() {
        let mut stream = CutBy(gram_tokens).token_stream("");
        assert!(!stream.advance());
        let _ = stream.token();
    }
}
