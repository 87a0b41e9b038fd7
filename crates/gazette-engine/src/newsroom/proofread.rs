//! Proofreading aids (校对): what a copy editor would circle, shown to the
//! writer and the signer, never changed on their behalf.
//!
//! - a half-width `, ; : ? ! ( )` beside Chinese characters
//!   (`gazette_core::typography`);
//! - quotes and brackets that do not pair up (`“”` `‘’` `「」` `『』` `《》`
//!   `（）` `【】`), within one paragraph;
//! - a character or word typed twice in a row, where doubling is not a
//!   word of its own (`的的`, `the the`; not `天天`, `谢谢`, `had had`):
//!   Chinese is segmented first (jieba, as related reading does), so that
//!   `现在在` or `可以以` (a word ending as the next begins) is no slip;
//! - full-width digits or Latin letters (`２０２６`, `ＧＤＰ`) in a text that
//!   also has half-width ones;
//! - the newsroom's term list (words to avoid or to check: style rules,
//!   legal-risk terms), matched with Aho-Corasick, each hit with its place.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use gazette_core::typography::{half_width_punctuation, is_han};
use serde::Serialize;

/// What kind of thing was found, for the interface's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    HalfWidth,
    Unpaired,
    Repeated,
    FullWidth,
    /// A term the newsroom avoids.
    Avoid,
    /// A term the newsroom wants checked.
    Check,
}

/// One thing to look at: where, what, and a few characters around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The field it is in (`title`, `summary`, `body` ...).
    pub field: &'static str,
    pub kind: Kind,
    /// Character position in the field's text (from 0).
    pub at: usize,
    /// What was found.
    pub found: String,
    /// What belongs there, or the term list's note.
    pub hint: String,
    /// The text around it.
    pub context: String,
}

/// A term of the newsroom's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub term: String,
    /// Avoid (a style rule) rather than check (a legal or factual risk).
    pub avoid: bool,
    pub note: String,
}

/// The term list, made ready for matching.
pub struct TermMatcher {
    terms: Vec<Term>,
    automaton: Option<AhoCorasick>,
}

impl TermMatcher {
    pub fn new(terms: Vec<Term>) -> Self {
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(terms.iter().map(|t| t.term.as_str()))
            .ok();
        TermMatcher { terms, automaton }
    }
}

/// Pairs of marks that open and close.
const PAIRS: [(char, char); 7] = [
    ('“', '”'),
    ('‘', '’'),
    ('「', '」'),
    ('『', '』'),
    ('《', '》'),
    ('（', '）'),
    ('【', '】'),
];

/// Characters that are almost never doubled on purpose: doubled, they are
/// a slip of the keyboard. Words like 天天, 人人, 谢谢, 看看 are left alone,
/// and so are 了 (不了了之), 和 (和和美美), 对 (对对子), 把 (一把把),
/// 从 (从从容容) and 所 (一所所).
const NEVER_DOUBLED: &str = "的是在与及被向将为于而并或其该这那就也都还又但则已之以因";

/// English words that are doubled on purpose.
const DOUBLED_ON_PURPOSE: [&str; 3] = ["had", "that", "bye"];

/// The text around a place, for showing where a finding is.
fn context(chars: &[char], at: usize, len: usize) -> String {
    let start = at.saturating_sub(10);
    let end = (at + len + 10).min(chars.len());
    chars[start..end]
        .iter()
        .map(|c| if *c == '\n' { ' ' } else { *c })
        .collect()
}

/// At most this many findings per field: past them, the text needs a read
/// from the top, not a list.
pub const MAX_FINDINGS: usize = 200;

/// Byte offsets to character positions, for offsets asked in increasing
/// order (each source of findings goes forward): one pass per source.
struct Positions<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Self {
        Positions {
            text,
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// Whether a character is a letter or digit of the Latin alphabet.
fn latin(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Everything found in one field's text (at most [`MAX_FINDINGS`]).
pub fn check(field: &'static str, text: &str, terms: &TermMatcher) -> Vec<Finding> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut add = |kind, at: usize, len: usize, what: String, hint: String| {
        if found.len() < MAX_FINDINGS * 4 {
            found.push(Finding {
                field,
                kind,
                at,
                found: what,
                hint,
                context: context(&chars, at, len),
            });
        }
    };
    let mut positions = Positions::new(text);

    for f in half_width_punctuation(text) {
        add(
            Kind::HalfWidth,
            positions.at(f.offset),
            1,
            f.mark.to_string(),
            f.full_width.to_string(),
        );
    }

    // Unpaired marks, paragraph by paragraph.
    let lines: Vec<&[char]> = chars.split(|c| *c == '\n').collect();
    let mut line_start = 0;
    for (n, line) in lines.iter().enumerate() {
        let mut open: Vec<(usize, char, char)> = Vec::new();
        for (i, c) in line.iter().enumerate() {
            // ’ between letters is an apostrophe (China’s, Xi’an).
            if *c == '’' && latin(i.checked_sub(1).and_then(|j| line.get(j))) {
                continue;
            }
            // 1） 2） a）: a list's numbers, at the start of a line.
            if *c == '）' && i > 0 && line[..i].iter().all(|d| d.is_alphanumeric()) {
                continue;
            }
            if let Some(&(o, close)) = PAIRS.iter().find(|(o, _)| o == c) {
                open.push((i, o, close));
            } else if let Some(&(o, _)) = PAIRS.iter().find(|(_, close)| close == c) {
                match open.iter().rposition(|(_, opening, _)| *opening == o) {
                    Some(index) => {
                        open.truncate(index);
                    }
                    None => add(
                        Kind::Unpaired,
                        line_start + i,
                        1,
                        c.to_string(),
                        o.to_string(),
                    ),
                }
            }
        }
        // A quotation over several paragraphs opens each of them and
        // closes only at its end.
        let continues = |o: char| lines.get(n + 1).and_then(|next| next.first()) == Some(&o);
        for (i, o, close) in open {
            if continues(o) {
                continue;
            }
            add(
                Kind::Unpaired,
                line_start + i,
                1,
                o.to_string(),
                close.to_string(),
            );
        }
        line_start += line.len() + 1;
    }

    // A character typed twice: two words of one character, the same, one
    // after the other (是是非非 and 的的确确 are words of their own).
    if chars
        .windows(2)
        .any(|w| w[0] == w[1] && NEVER_DOUBLED.contains(w[0]))
    {
        let mut at = 0;
        let mut previous: Option<&str> = None;
        for token in crate::related::terms::jieba().cut(text, false) {
            let word = token.word;
            let mut letters = word.chars();
            let single = matches!((letters.next(), letters.next()), (Some(c), None) if is_han(c));
            if single && previous == Some(word) && word.chars().all(|c| NEVER_DOUBLED.contains(c)) {
                let c = word.chars().next().unwrap_or_default();
                add(Kind::Repeated, at - 1, 2, format!("{c}{c}"), c.to_string());
            }
            previous = single.then_some(word);
            at += word.chars().count();
        }
    }
    // A word typed twice.
    let mut previous: Option<(usize, String)> = None;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
            if let Some((before, previous_word)) = &previous
                && *previous_word == word
                && word.len() > 1
                && !DOUBLED_ON_PURPOSE.contains(&word.as_str())
            {
                add(
                    Kind::Repeated,
                    *before,
                    i - before,
                    chars[*before..i].iter().collect(),
                    word.clone(),
                );
            }
            previous = Some((start, word));
        } else {
            // Only spaces may stand between the two words.
            if chars[i] != ' ' {
                previous = None;
            }
            i += 1;
        }
    }

    // Full-width digits and Latin letters beside half-width ones.
    let full_width = |c: char| matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ');
    if chars.iter().any(|c| c.is_ascii_alphanumeric()) {
        let mut i = 0;
        while i < chars.len() {
            if full_width(chars[i]) {
                let start = i;
                while i < chars.len() && full_width(chars[i]) {
                    i += 1;
                }
                let run: String = chars[start..i].iter().collect();
                let half: String = run
                    .chars()
                    .map(|c| char::from_u32(c as u32 - 0xFEE0).unwrap_or(c))
                    .collect();
                add(Kind::FullWidth, start, i - start, run, half);
            } else {
                i += 1;
            }
        }
    }

    // The newsroom's terms.
    if let Some(automaton) = &terms.automaton {
        for hit in automaton.find_iter(text) {
            let term = &terms.terms[hit.pattern().as_usize()];
            // A Latin term is a whole word: "AI" is not in "said".
            let (before, after) = (
                text[..hit.start()].chars().next_back(),
                text[hit.end()..].chars().next(),
            );
            let first = term.term.chars().next();
            let last = term.term.chars().next_back();
            if (latin(first.as_ref()) && latin(before.as_ref()))
                || (latin(last.as_ref()) && latin(after.as_ref()))
            {
                continue;
            }
            add(
                if term.avoid { Kind::Avoid } else { Kind::Check },
                positions.at(hit.start()),
                text[hit.start()..hit.end()].chars().count(),
                text[hit.start()..hit.end()].to_owned(),
                term.note.clone(),
            );
        }
    }
    found.sort_by_key(|f| f.at);
    found.truncate(MAX_FINDINGS);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        check("body", text, &TermMatcher::new(Vec::new()))
            .into_iter()
            .map(|f| (f.kind, f.found))
            .collect()
    }

    /// Sentences as newsrooms write them: nothing to say about any.
    #[test]
    fn correct_sentences_raise_nothing() {
        for sentence in [
            "三十年前，中国接入国际互联网；今天，上网的人超过十亿。",
            "“网络空间命运共同体”的提法，首见于 2015 年的《乌镇倡议》。",
            "他说：“我们天天加班，常常到深夜，人人都很累。”",
            "谢谢大家！请慢慢看看这份报告（全文见附件）。",
            "这件事最后不了了之。",
            "是是非非，自有公论；一家人和和美美，从从容容。",
            "孩子们对对子，一所所学校，一把把钥匙。",
            "星星点点的灯火，映出家家户户的年味。",
            "GDP 同比增长 5.2%，CPI 上涨 0.3%。",
            "The summit opened on Monday, and delegates had had enough by Friday.",
            "He said that that was the point.",
            "『春眠不觉晓』出自唐诗，「处处闻啼鸟」是下一句。",
            "记者：李明（本报）",
            "《人民日报》与《光明日报》同日刊发评论。",
            "第 1 段\n第 2 段",
            "现在在北京，可以以此为例；参与与否，的的确确由你定。",
            "China’s economy grew; Xi’an and Chang’e were in the news.",
            "1）开幕\n2）闭幕",
            "“第一段引文，\n“第二段引文。”",
            "Officials said the plan was fine, and Taiwan agreed.",
            "",
        ] {
            assert_eq!(kinds(sentence), [], "{sentence}");
        }
    }

    #[test]
    fn slips_are_found_where_they_are() {
        assert_eq!(
            kinds("三十年前,中国接入国际互联网"),
            [(Kind::HalfWidth, ",".into())]
        );
        assert_eq!(
            kinds("他说：“我们明天出发。"),
            [(Kind::Unpaired, "“".into())]
        );
        assert_eq!(kinds("详见乌镇倡议》。"), [(Kind::Unpaired, "》".into())]);
        assert_eq!(kinds("（未完"), [(Kind::Unpaired, "（".into())]);
        assert_eq!(
            kinds("这是我们的的目标。"),
            [(Kind::Repeated, "的的".into())]
        );
        assert_eq!(
            kinds("It was the the best day."),
            [(Kind::Repeated, "the the".into())]
        );
        assert_eq!(
            kinds("２０２６ 年 GDP 增长"),
            [(Kind::FullWidth, "２０２６".into())]
        );
        // Full width alone (no half-width beside it) is a style, not a slip.
        assert_eq!(kinds("第２段"), []);
        let found = check("title", "今天,明天", &TermMatcher::new(Vec::new()));
        assert_eq!(found[0].at, 2);
        assert_eq!(found[0].hint, "，");
        assert_eq!(found[0].field, "title");
    }

    #[test]
    fn terms_are_found_with_their_notes_longest_first() {
        let terms = TermMatcher::new(vec![
            Term {
                term: "首次".into(),
                avoid: false,
                note: "核实是否确为首次".into(),
            },
            Term {
                term: "有史以来首次".into(),
                avoid: true,
                note: "避免绝对化表述".into(),
            },
            Term {
                term: "Xinjiang cotton".into(),
                avoid: false,
                note: "check the source".into(),
            },
        ]);
        let found = check(
            "body",
            "这是有史以来首次，也是首次在冬天。On XINJIANG COTTON.",
            &terms,
        );
        let hits: Vec<(Kind, &str, &str)> = found
            .iter()
            .map(|f| (f.kind, f.found.as_str(), f.hint.as_str()))
            .collect();
        assert_eq!(
            hits,
            [
                (Kind::Avoid, "有史以来首次", "避免绝对化表述"),
                (Kind::Check, "首次", "核实是否确为首次"),
                (Kind::Check, "XINJIANG COTTON", "check the source"),
            ]
        );
        assert_eq!(found[0].at, 2);
        let ai = TermMatcher::new(vec![Term {
            term: "AI".into(),
            avoid: false,
            note: "spell out".into(),
        }]);
        assert_eq!(
            check("body", "Officials said AI helps; Taiwan too.", &ai).len(),
            1
        );
    }

    #[test]
    fn a_long_body_is_checked_in_one_pass_and_its_list_is_capped() {
        let body = "今天,明天".repeat(100_000);
        let started = std::time::Instant::now();
        let found = check("body", &body, &TermMatcher::new(Vec::new()));
        assert_eq!(found.len(), MAX_FINDINGS);
        assert_eq!(found[1].at, 7);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
