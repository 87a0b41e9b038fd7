//! A reader's query, whatever it holds, as a tantivy query. There is no
//! query language to get wrong: quotes, brackets, `title:`, `AND`, `*` are
//! text like any other (quoted words must stand together; the rest is
//! punctuation, which separates words). Every Chinese run and every other
//! word of the query must be found, in the title or the text; the title
//! counts three times as much, and the segmenter's words of the query
//! found as whole words add to the score.

use crate::fold::fold;
use crate::schema::Fields;
use crate::tokens::{RunKind, runs, word_term};
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
    TermSetQuery,
};
use tantivy::schema::IndexRecordOption;

/// At most this many characters of a query are read.
pub const LONGEST_QUERY: usize = 100;
/// At most this many parts (Chinese runs, words, phrases) count.
const MOST_PARTS: usize = 12;
/// How much more a title match weighs than a text match.
const TITLE_BOOST: f32 = 3.0;
/// How much a whole-word match adds.
const WORD_BOOST: f32 = 1.5;

/// One thing the query asks for: each is required.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Gram terms that must stand together (one term: just that term).
    Grams(Vec<String>),
    /// The overlapping pairs of one Chinese run: every other pair (and
    /// the last) covers the run and must stand at its offset, which
    /// matches the same articles with half the postings read. The rarest
    /// pair, when it is not among them, is required as well without a
    /// score ([`Part::rarest`]): it leads the search, so positions are
    /// checked in as few articles as can hold the run, and the score is
    /// the phrase's alone, whichever pair happens to be rarest.
    Pairs(Vec<String>),
    /// A quoted phrase: terms at the offsets the index gives them.
    Phrase(Vec<(usize, String)>),
}

impl Part {
    /// The terms to find and their offsets in the phrase.
    fn terms(&self) -> Vec<(usize, &str)> {
        match self {
            Part::Grams(grams) => grams.iter().map(String::as_str).enumerate().collect(),
            Part::Phrase(terms) => terms.iter().map(|(at, t)| (*at, t.as_str())).collect(),
            Part::Pairs(pairs) => {
                let last = pairs.len().saturating_sub(1);
                pairs
                    .iter()
                    .enumerate()
                    .filter(|(at, _)| at % 2 == 0 || *at == last)
                    .map(|(at, pair)| (at, pair.as_str()))
                    .collect()
            }
        }
    }

    /// A run's rarest pair when [`Part::terms`] leaves it out (`found_in`
    /// tells in how many articles' text a term is).
    fn rarest(&self, found_in: &dyn Fn(&str) -> u64) -> Option<&str> {
        let Part::Pairs(pairs) = self else {
            return None;
        };
        let last = pairs.len().saturating_sub(1);
        let rarest = (0..pairs.len()).min_by_key(|at| found_in(&pairs[*at]))?;
        (rarest % 2 == 1 && rarest != last).then(|| pairs[rarest].as_str())
    }

    /// What the part looks for in the text as written (for the snippet's
    /// window): a run's characters, or a word's stem.
    fn needle(&self) -> String {
        match self {
            Part::Pairs(pairs) => {
                let mut run: String = pairs.iter().filter_map(|p| p.chars().next()).collect();
                run.extend(pairs.last().and_then(|p| p.chars().nth(1)));
                run
            }
            Part::Grams(grams) => grams.first().cloned().unwrap_or_default(),
            Part::Phrase(terms) => terms.first().map(|(_, t)| t.clone()).unwrap_or_default(),
        }
    }
}

/// The parts of a query, and its segmented words for the whole-word bonus.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    parts: Vec<Part>,
    words: Vec<String>,
}

impl Parsed {
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Every term the parts look for (all of a run's pairs), to be
    /// marked in a snippet.
    pub fn highlight_terms(&self) -> Vec<String> {
        let mut terms: Vec<String> = self
            .parts
            .iter()
            .flat_map(|part| match part {
                Part::Grams(grams) | Part::Pairs(grams) => grams.clone(),
                Part::Phrase(terms) => terms.iter().map(|(_, t)| t.clone()).collect(),
            })
            .collect();
        terms.sort();
        terms.dedup();
        terms
    }

    /// What each part looks for in text as written, lower-cased: where a
    /// snippet is likely to be.
    pub fn needles(&self) -> Vec<String> {
        self.parts.iter().map(Part::needle).collect()
    }
}

/// Reads a query. Nothing is an error: what cannot be searched is dropped.
pub fn parse(query: &str) -> Parsed {
    let query: String = query.chars().take(LONGEST_QUERY).collect();
    let mut parsed = Parsed::default();
    // Quoted stretches are phrases; the rest is read piece by piece.
    for (index, stretch) in query.split(['"', '“', '”', '＂']).enumerate() {
        let quoted = index % 2 == 1;
        let folded = fold(stretch);
        if quoted {
            let phrase = phrase_terms(&folded);
            if !phrase.is_empty() {
                parsed.parts.push(Part::Phrase(phrase));
            }
        }
        for (kind, run) in runs(&folded) {
            match kind {
                RunKind::Han => {
                    let grams: Vec<String> = if run.len() == 1 {
                        vec![run[0].ch.to_string()]
                    } else {
                        run.windows(2)
                            .map(|p| p.iter().map(|f| f.ch).collect())
                            .collect()
                    };
                    let text: String = run.iter().map(|f| f.ch).collect();
                    for piece in crate::segment::jieba().cut(&text, false) {
                        if piece.word.chars().count() >= 2 {
                            parsed.words.push(piece.word.to_owned());
                        }
                    }
                    if quoted {
                        continue;
                    } else if run.len() == 1 {
                        parsed.parts.push(Part::Grams(grams));
                    } else {
                        parsed.parts.push(Part::Pairs(grams));
                    }
                }
                RunKind::Word => {
                    // Operators some readers type; here they join nothing.
                    let original = &stretch[run[0].from..run[run.len() - 1].to];
                    if !quoted && matches!(original, "AND" | "OR" | "NOT") {
                        continue;
                    }
                    let Some(term) = word_term(run) else { continue };
                    if !quoted {
                        parsed.parts.push(Part::Grams(vec![term]));
                    }
                }
            }
        }
    }
    parsed.parts.dedup();
    parsed.parts.truncate(MOST_PARTS);
    parsed.words.sort();
    parsed.words.dedup();
    parsed.words.truncate(MOST_PARTS);
    parsed
}

/// A quoted phrase's terms at the positions the index gives them (the
/// same tokens, gaps included): pairs of Chinese runs (a run's characters
/// one by one are left out, its pairs cover it), lone characters, words.
fn phrase_terms(folded: &[crate::fold::Folded]) -> Vec<(usize, String)> {
    let tokens = crate::tokens::gram_tokens_of(folded);
    let is_pair = |t: &tantivy::tokenizer::Token| {
        t.text.chars().count() == 2 && t.text.chars().all(crate::fold::is_han)
    };
    let pairs: std::collections::HashSet<usize> = tokens
        .iter()
        .filter(|t| is_pair(t))
        .map(|t| t.position)
        .collect();
    let kept: Vec<&tantivy::tokenizer::Token> = tokens
        .iter()
        .filter(|t| {
            let lone_character =
                t.text.chars().count() == 1 && t.text.chars().all(crate::fold::is_han);
            !(lone_character
                && (pairs.contains(&t.position)
                    || t.position
                        .checked_sub(1)
                        .is_some_and(|p| pairs.contains(&p))))
        })
        .collect();
    let first = kept.first().map_or(0, |t| t.position);
    kept.iter()
        .map(|t| (t.position - first, t.text.clone()))
        .collect()
}

/// What else narrows a search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Any of these channels (a channel and those below it, expanded by
    /// the caller).
    pub channels: Vec<u64>,
    pub topic: Option<u64>,
    pub lang: Option<String>,
    /// Published at or after...
    pub from: Option<i64>,
    /// ...and before.
    pub until: Option<i64>,
}

/// Whose search it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Readers: published articles only.
    Public,
    /// Staff: any status (or the one given); an author only what they
    /// started (`account`) or are credited on (`person`).
    Staff {
        status: Option<String>,
        only_for: Option<(u64, Option<u64>)>,
    },
}

/// Whether a term is one Chinese character (found in the text through
/// [`Fields::text_characters`]).
pub fn is_character(term: &str) -> bool {
    let mut chars = term.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if crate::fold::is_han(c))
}

/// A part in the text: a lone Chinese character in the field that keeps
/// each once, anything else in the text's pairs and words.
fn text_query(fields: &Fields, part: &Part, rarest: Option<&str>) -> Box<dyn Query> {
    match part.terms().as_slice() {
        [(_, one)] if is_character(one) => Box::new(TermQuery::new(
            Term::from_field_text(fields.text_characters, one),
            IndexRecordOption::Basic,
        )),
        _ => gram_query(fields.text, part, rarest),
    }
}

/// A part in one field: a term, or a phrase (with the run's rarest pair
/// required beside it, scoring nothing: tantivy's intersection starts
/// from the rarest and checks the phrase only where it is).
fn gram_query(field: tantivy::schema::Field, part: &Part, rarest: Option<&str>) -> Box<dyn Query> {
    let terms: Vec<(usize, Term)> = part
        .terms()
        .into_iter()
        .map(|(at, gram)| (at, Term::from_field_text(field, gram)))
        .collect();
    let phrase: Box<dyn Query> = match terms.as_slice() {
        [(_, one)] => Box::new(TermQuery::new(
            one.clone(),
            IndexRecordOption::WithFreqsAndPositions,
        )),
        _ => Box::new(PhraseQuery::new_with_offset(terms)),
    };
    match rarest {
        Some(rarest) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, phrase),
            filter(Box::new(TermQuery::new(
                Term::from_field_text(field, rarest),
                IndexRecordOption::Basic,
            ))),
        ])),
        None => phrase,
    }
}

/// Every part of a query in one field cut into grams (the media
/// library's words); None when the query has nothing to search for.
pub fn every_part_in(field: tantivy::schema::Field, parsed: &Parsed) -> Option<Box<dyn Query>> {
    if parsed.is_empty() {
        return None;
    }
    let parts = parsed
        .parts
        .iter()
        .map(|part| (Occur::Must, gram_query(field, part, None)))
        .collect();
    Some(Box::new(BooleanQuery::new(parts)))
}

fn filter(query: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)))
}

fn any_of(field: tantivy::schema::Field, values: impl IntoIterator<Item = u64>) -> Box<dyn Query> {
    Box::new(TermSetQuery::new(
        values.into_iter().map(|v| Term::from_field_u64(field, v)),
    ))
}

/// The tantivy query for a parsed query, scope and filters; `found_in`
/// tells in how many articles' text a term is.
pub fn build(
    fields: &Fields,
    parsed: &Parsed,
    scope: &Scope,
    filters: &Filters,
    now: i64,
    found_in: &dyn Fn(&str) -> u64,
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for part in &parsed.parts {
        let rarest = part.rarest(found_in);
        let title: Box<dyn Query> = Box::new(BoostQuery::new(
            gram_query(fields.title, part, rarest),
            TITLE_BOOST,
        ));
        let text = text_query(fields, part, rarest);
        let meta = gram_query(fields.meta, part, rarest);
        clauses.push((
            Occur::Must,
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, title),
                (Occur::Should, text),
                (Occur::Should, meta),
            ])),
        ));
    }
    for word in &parsed.words {
        let title = TermQuery::new(
            Term::from_field_text(fields.title_words, word),
            IndexRecordOption::WithFreqs,
        );
        let text = TermQuery::new(
            Term::from_field_text(fields.text_words, word),
            IndexRecordOption::WithFreqs,
        );
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(title), TITLE_BOOST * WORD_BOOST)),
        ));
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(text), WORD_BOOST)),
        ));
    }
    match scope {
        Scope::Public => {
            clauses.push(filter(Box::new(TermQuery::new(
                Term::from_field_text(fields.status, "published"),
                IndexRecordOption::Basic,
            ))));
            // Published, and due: a publication set for later is not yet found.
            clauses.push(filter(Box::new(RangeQuery::new(
                Bound::Unbounded,
                Bound::Included(Term::from_field_i64(fields.published, now)),
            ))));
        }
        Scope::Staff { status, only_for } => {
            if let Some(status) = status {
                clauses.push(filter(Box::new(TermQuery::new(
                    Term::from_field_text(fields.status, status),
                    IndexRecordOption::Basic,
                ))));
            }
            if let Some((account, person)) = only_for {
                let mut mine: Vec<(Occur, Box<dyn Query>)> =
                    vec![(Occur::Should, any_of(fields.creator, [*account]))];
                if let Some(person) = person {
                    mine.push((Occur::Should, any_of(fields.person, [*person])));
                }
                clauses.push(filter(Box::new(BooleanQuery::new(mine))));
            }
        }
    }
    if !filters.channels.is_empty() {
        clauses.push(filter(any_of(
            fields.channel,
            filters.channels.iter().copied(),
        )));
    }
    if let Some(topic) = filters.topic {
        clauses.push(filter(any_of(fields.topic, [topic])));
    }
    if let Some(lang) = &filters.lang {
        clauses.push(filter(Box::new(TermQuery::new(
            Term::from_field_text(fields.lang, lang),
            IndexRecordOption::Basic,
        ))));
    }
    if filters.from.is_some() || filters.until.is_some() {
        let bound = |value: Option<i64>, inclusive: bool| match value {
            Some(v) => {
                let term = Term::from_field_i64(fields.published, v);
                if inclusive {
                    Bound::Included(term)
                } else {
                    Bound::Excluded(term)
                }
            }
            None => Bound::Unbounded,
        };
        clauses.push(filter(Box::new(RangeQuery::new(
            bound(filters.from, true),
            bound(filters.until, false),
        ))));
    }
    Box::new(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(query: &str) -> Vec<Vec<String>> {
        // Compared with lists of &str below.
        parse(query)
            .parts
            .into_iter()
            .map(|part| match part {
                Part::Grams(g) | Part::Pairs(g) => g,
                Part::Phrase(terms) => terms.into_iter().map(|(_, t)| t).collect(),
            })
            .collect()
    }

    #[test]
    fn chinese_runs_become_pairs_and_words() {
        assert_eq!(parts("网络空间"), [vec!["网络", "络空", "空间"]]);
        assert_eq!(parse("网络空间").words, ["网络空间"]);
        assert_eq!(parts("络空"), [vec!["络空"]]);
    }

    #[test]
    fn syntax_is_text() {
        assert_eq!(
            parts("title:moon AND (stars*)"),
            [vec!["titl"], vec!["moon"], vec!["star"]]
        );
        assert_eq!(
            parts("\"solid state\" battery"),
            [vec!["solid", "state"], vec!["batteri"]]
        );
        assert!(parse("\"\"\"((()))*:").is_empty());
        assert!(parse("").is_empty());
    }

    #[test]
    fn a_run_is_found_by_every_other_pair_at_its_offset() {
        let parsed = parse("网络空间");
        assert_eq!(parsed.parts[0].terms(), [(0, "网络"), (2, "空间")]);
        let parsed = parse("命运共同体");
        assert_eq!(
            parsed.parts[0].terms(),
            [(0, "命运"), (2, "共同"), (3, "同体")]
        );
        assert_eq!(parsed.needles(), ["命运共同体"]);
        assert_eq!(parse("络空").parts[0].terms(), [(0, "络空")]);
    }

    #[test]
    fn the_rarest_pair_is_named_when_the_cover_leaves_it_out() {
        let part = &parse("欧阳星河").parts[0];
        let rarity = |rare: &'static str| move |term: &str| if term == rare { 10 } else { 5_000 };
        assert_eq!(part.rarest(&rarity("阳星")), Some("阳星"));
        assert_eq!(part.rarest(&rarity("星河")), None, "in the cover");
        assert_eq!(part.rarest(&rarity("欧阳")), None, "in the cover");
        assert_eq!(parse("络空").parts[0].rarest(&|_| 0), None);
    }

    #[test]
    fn quoted_phrases_keep_the_index_positions() {
        let parsed = parse("\"固态电池 battery\"");
        assert_eq!(
            parsed.parts[0].terms(),
            [(0, "固态"), (1, "态电"), (2, "电池"), (5, "batteri")]
        );
    }

    #[test]
    fn long_queries_are_cut() {
        let parsed = parse(&"月球".repeat(5_000));
        assert_eq!(parsed.parts.len(), 1);
        let Part::Pairs(grams) = &parsed.parts[0] else {
            panic!("a run of pairs")
        };
        assert_eq!(grams.len(), LONGEST_QUERY - 1);
    }
}
