//! The ways text becomes index terms, registered with tantivy as
//! tokenizers (tantivy's indexing threads cut the text; highlights cut it
//! into pairs, or into grams when a single character is to be marked, so
//! that every term a query looks for is among the tokens).
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
//! - **Words** ([`WORDS`]): the segmenter's Chinese words of two
//!   characters or more (jieba, with the newsroom's dictionary; the
//!   Chinese of a word that mixes scripts). A query's words matching here
//!   rank whole-word matches above partial ones. Only such words are ever
//!   asked for, so single characters and Latin words (already whole in
//!   the pairs) are left out.
//!
//! All work on folded text ([`crate::fold`]) and report offsets in the
//! original text.

use crate::fold::{Folded, fold, is_han};
use crate::segment::{jieba, stemmed};
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
    Some(stemmed(&word).into_owned())
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
    let mut cuts = Cuts::default();
    grams_into(folded, true, &mut cuts);
    cuts.to_tokens()
}

/// The pair tokens of a text: gram tokens less the characters inside
/// runs of two or more (a lone character between punctuation stays, and
/// so do a run's first and last, where a quoted phrase's lone character
/// may meet them).
pub fn pair_tokens(text: &str) -> Vec<Token> {
    Cuts::of(text, cut_pairs).to_tokens()
}

/// Each Chinese character of a text once, in code point order.
pub fn character_tokens(text: &str) -> Vec<Token> {
    Cuts::of(text, cut_characters).to_tokens()
}

/// The word tokens of a text.
pub fn word_tokens(text: &str) -> Vec<Token> {
    Cuts::of(text, cut_words).to_tokens()
}

/// The word tokens of folded text.
pub fn word_tokens_of(folded: &[Folded]) -> Vec<Token> {
    let mut cuts = Cuts::default();
    words_into(folded, &mut cuts);
    cuts.to_tokens()
}

/// [`GRAMS`]: a text cut into grams.
pub fn cut_grams(text: &str, out: &mut Cuts) {
    grams_into(&fold(text), true, out);
}

/// [`PAIRS`]: a text cut into pairs.
pub fn cut_pairs(text: &str, out: &mut Cuts) {
    grams_into(&folded(text), false, out);
}

/// Pairs, for a snippet: folded here, never kept for the next field (a
/// search thread must not hold on to an article's text).
pub fn cut_snippet_pairs(text: &str, out: &mut Cuts) {
    grams_into(&fold(text), false, out);
}

/// [`CHARACTERS`]: each Chinese character of a text once.
pub fn cut_characters(text: &str, out: &mut Cuts) {
    let folded = folded(text);
    let mut seen = std::mem::take(&mut out.seen);
    seen.clear();
    seen.extend(folded.iter().filter(|f| is_han(f.ch)));
    // By character, the first of each kept (the field has no positions).
    seen.sort_by_key(|f| (f.ch, f.from));
    seen.dedup_by_key(|f| f.ch);
    for (position, f) in seen.iter().enumerate() {
        out.push([f.ch], std::slice::from_ref(f), position);
    }
    out.seen = seen;
}

/// [`WORDS`]: a text cut into the segmenter's words.
pub fn cut_words(text: &str, out: &mut Cuts) {
    words_into(&folded(text), out);
}

/// Gram tokens, with each character of a run or without.
fn grams_into(folded: &[Folded], characters: bool, out: &mut Cuts) {
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
                out.push([run[0].ch], &run[..1], position);
                position += 1;
            }
            RunKind::Han => {
                // Each character also stands alone at its pair's position
                // (a one-character query: 雪, 茶), which leaves phrases of
                // pairs as they are. The character comes first, so that
                // where tokens end never moves back (highlights rely on it).
                for (at, pair) in run.windows(2).enumerate() {
                    if characters || at == 0 {
                        out.push([run[at].ch], &run[at..=at], position);
                    }
                    out.push([pair[0].ch, pair[1].ch], pair, position);
                    position += 1;
                }
                let last = run.len() - 1;
                out.push([run[last].ch], &run[last..], position);
                position += 1;
            }
            RunKind::Word => {
                if out.push_word(run, run, position) {
                    position += 1;
                }
            }
        }
    }
}

/// The segmenter's Chinese words of two characters or more in folded
/// text (what a query's words are, [`crate::query::parse`]). The
/// segmenter runs without its HMM guesses at unknown words (twice as
/// fast; fragments and names are found by their pairs), for articles and
/// queries alike.
fn words_into(folded: &[Folded], out: &mut Cuts) {
    let mut plain = std::mem::take(&mut out.scratch);
    plain.clear();
    plain.extend(folded.iter().map(|f| f.ch));
    let jieba = jieba();
    let mut position = 0;
    for piece in jieba.cut(&plain, false) {
        let span = &folded[piece.start..piece.end];
        // A word of the newsroom's may mix scripts (iPhone手机): its
        // Chinese stretches count.
        for (kind, range) in runs_at(span) {
            let run = &span[range];
            if kind == RunKind::Han && run.len() >= 2 {
                out.push(run.iter().map(|f| f.ch), run, position);
                position += 1;
            }
        }
    }
    drop(jieba);
    out.scratch = plain;
}

/// Tokens cut from one text, their texts side by side in one buffer: no
/// allocation per token, and a tokenizer reuses the buffers text after
/// text.
#[derive(Debug, Clone, Default)]
pub struct Cuts {
    texts: String,
    made: Vec<Made>,
    /// A text's Chinese characters (each-character-once).
    seen: Vec<Folded>,
    /// A word being put together before it is stemmed, or a text handed
    /// to the segmenter.
    scratch: String,
}

/// One token: where its text lies in [`Cuts::texts`], where it came from
/// in the original text, its position.
#[derive(Debug, Clone, Copy)]
struct Made {
    text: (u32, u32),
    from: usize,
    to: usize,
    position: usize,
}

/// Buffers larger than this in all are let go before the next text (one
/// huge article must not pin its size for the thread's life).
const KEPT_BUFFERS: usize = 1_024 * 1_024;

impl Cuts {
    fn of(text: &str, cut: fn(&str, &mut Cuts)) -> Cuts {
        let mut cuts = Cuts::default();
        cut(text, &mut cuts);
        cuts
    }

    fn clear(&mut self) {
        let held = self.texts.capacity()
            + self.made.capacity() * std::mem::size_of::<Made>()
            + self.seen.capacity() * std::mem::size_of::<Folded>()
            + self.scratch.capacity();
        if held > KEPT_BUFFERS {
            *self = Cuts::default();
        }
        self.texts.clear();
        self.made.clear();
    }

    fn push(&mut self, text: impl IntoIterator<Item = char>, span: &[Folded], position: usize) {
        let start = self.texts.len() as u32;
        self.texts.extend(text);
        self.made.push(Made {
            text: (start, self.texts.len() as u32),
            from: span.first().map_or(0, |f| f.from),
            to: span.last().map_or(0, |f| f.to),
            position,
        });
    }

    /// A Latin (or other non-Chinese) word, stemmed; false for an
    /// overlong run, which is no word.
    fn push_word(&mut self, run: &[Folded], span: &[Folded], position: usize) -> bool {
        if run.len() > LONGEST_WORD {
            return false;
        }
        let mut word = std::mem::take(&mut self.scratch);
        word.clear();
        word.extend(run.iter().map(|f| f.ch));
        self.push(stemmed(&word).chars(), span, position);
        self.scratch = word;
        true
    }

    fn text(&self, made: &Made) -> &str {
        &self.texts[made.text.0 as usize..made.text.1 as usize]
    }

    fn to_tokens(&self) -> Vec<Token> {
        self.made
            .iter()
            .map(|made| Token {
                offset_from: made.from,
                offset_to: made.to,
                position: made.position,
                text: self.text(made).to_owned(),
                position_length: 1,
            })
            .collect()
    }
}

/// A cut as a tantivy tokenizer: `CutBy::new(cut_grams)` for [`GRAMS`],
/// `CutBy::new(cut_pairs)` for [`PAIRS`], and so on.
#[derive(Debug, Clone)]
pub struct CutBy {
    cut: fn(&str, &mut Cuts),
    cuts: Cuts,
    token: Token,
}

impl CutBy {
    pub fn new(cut: fn(&str, &mut Cuts)) -> CutBy {
        CutBy {
            cut,
            cuts: Cuts::default(),
            token: Token::default(),
        }
    }
}

impl Tokenizer for CutBy {
    type TokenStream<'a> = CutStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> CutStream<'a> {
        self.cuts.clear();
        (self.cut)(text, &mut self.cuts);
        self.token.reset();
        CutStream {
            cuts: &self.cuts,
            next: 0,
            token: &mut self.token,
        }
    }
}

/// The tokens of one text, handed to tantivy one at a time through one
/// [`Token`] whose text is overwritten.
pub struct CutStream<'a> {
    cuts: &'a Cuts,
    next: usize,
    token: &'a mut Token,
}

impl TokenStream for CutStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(made) = self.cuts.made.get(self.next) else {
            return false;
        };
        self.next += 1;
        self.token.text.clear();
        self.token.text.push_str(self.cuts.text(made));
        self.token.offset_from = made.from;
        self.token.offset_to = made.to;
        self.token.position = made.position;
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
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
        assert_eq!(texts(&character_tokens("雪山雪 snow 山")), ["山", "雪"]);
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
        // What a query never asks for is not kept: single characters,
        // Latin words (the pairs hold them).
        assert!(!words.contains(&"的"), "{words:?}");
        assert!(texts(&word_tokens("Solid-state 电池")) == ["电池"]);
    }

    #[test]
    fn a_word_that_mixes_scripts_keeps_its_chinese() {
        crate::segment::add_words(["iphone手机"]);
        let tokens = word_tokens("新款iPhone手机上市");
        assert!(texts(&tokens).contains(&"手机"), "{:?}", texts(&tokens));
    }

    #[test]
    fn an_empty_stream_never_panics() {
        let mut cut = CutBy::new(cut_grams);
        let mut stream = cut.token_stream("");
        assert!(!stream.advance());
        let _ = stream.token();
    }
}
