//! Segmentation shared by search, related reading and proofreading: one
//! jieba-rs segmenter with its built-in dictionary and the words the
//! newsroom added ([`add_words`]), so a name the newsroom taught it counts
//! as one word everywhere.
//!
//! [`terms`] is text to terms for related reading. Chinese is segmented
//! into words (single characters are dropped: alone they carry little
//! subject); Latin-script words, in either language, are lower-cased and
//! stemmed with the Snowball English stemmer, so that "batteries" and
//! "battery" meet. Common function words of both languages are dropped.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::{LazyLock, RwLock, RwLockReadGuard};

static JIEBA: LazyLock<RwLock<jieba_rs::Jieba>> =
    LazyLock::new(|| RwLock::new(jieba_rs::Jieba::new()));

/// The segmenter, loaded on first use (it takes a moment and some memory).
pub fn jieba() -> RwLockReadGuard<'static, jieba_rs::Jieba> {
    JIEBA.read().unwrap_or_else(|e| e.into_inner())
}

/// Teaches the segmenter words it does not know (names, new terms), each
/// as common as a usual word. Words it knows already are left as they are.
pub fn add_words<'a>(words: impl IntoIterator<Item = &'a str>) {
    let new: Vec<&str> = {
        let jieba = jieba();
        words
            .into_iter()
            .map(str::trim)
            .filter(|w| !w.is_empty() && !jieba.has_word(w))
            .collect()
    };
    // Writing stops every segmentation for a moment: only for new words.
    if new.is_empty() {
        return;
    }
    let mut jieba = JIEBA.write().unwrap_or_else(|e| e.into_inner());
    for word in new {
        jieba.add_word(word, None, None);
    }
}

/// The English stemmer both search and related reading use.
pub fn stem(word: &str) -> String {
    stemmed(word).into_owned()
}

/// [`stem`] without a copy when the word is its own stem.
pub fn stemmed(word: &str) -> std::borrow::Cow<'_, str> {
    static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));
    STEMMER.stem(word)
}

/// Two-character Chinese words too common in news to say what a story is about.
const ZH_STOP: &[&str] = &[
    "我们", "他们", "她们", "你们", "这个", "那个", "这些", "那些", "一个", "一些", "没有", "已经",
    "可以", "表示", "进行", "以及", "目前", "今年", "去年", "记者", "通过", "其中", "同时", "相关",
    "这样", "因为", "所以", "但是", "如果", "还是", "就是", "不是", "这是", "而且", "以来", "方面",
    "之一", "成为", "需要", "能够", "开始", "认为", "指出", "介绍", "来说", "此外", "随着", "对于",
    "为了", "自己", "其他", "一样", "很多", "许多", "更加", "不断", "本报", "日电", "报道", "发布",
];

/// English function words, plus the pieces of Markdown image links.
const EN_STOP: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "could", "did", "do", "for", "from", "had", "has", "have", "he", "her",
    "his", "how", "if", "in", "into", "is", "it", "its", "more", "most", "new", "not", "of", "on",
    "one", "or", "our", "out", "over", "said", "says", "she", "so", "than", "that", "the", "their",
    "them", "there", "these", "they", "this", "those", "to", "two", "up", "was", "we", "were",
    "what", "when", "which", "who", "will", "with", "would", "year", "years", "you", "media",
    "svg", "png", "jpg", "jpeg", "webp", "http", "https", "www", "com",
];

/// The terms of a text, in order, repeats kept (they are counted).
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for token in jieba().cut(text, true) {
        let word = token.word.trim();
        if word.chars().any(crate::fold::is_han) {
            if word.chars().count() >= 2 && !ZH_STOP.contains(&word) {
                out.push(word.to_owned());
            }
            continue;
        }
        // jieba hands Latin text over as runs; split them into words.
        for piece in word.split(|c: char| !c.is_alphanumeric()) {
            let lower = piece.to_lowercase();
            if lower.chars().count() < 2
                || lower.chars().all(|c| c.is_ascii_digit())
                || EN_STOP.contains(&lower.as_str())
            {
                continue;
            }
            out.push(stem(&lower));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_segmented_into_words() {
        let terms = terms("固态电池的能量密度明显提高，我们认为新能源汽车续航将增加。");
        for expected in ["固态", "电池", "能量", "密度", "新能源", "汽车", "续航"] {
            assert!(
                terms.iter().any(|t| t == expected),
                "{expected} in {terms:?}"
            );
        }
        assert!(!terms.iter().any(|t| t == "的" || t == "我们"), "{terms:?}");
    }

    #[test]
    fn english_is_stemmed_and_function_words_dropped() {
        let terms = terms(
            "The batteries were charging; a battery charges. See ![x](/media/12.svg) in 2024.",
        );
        assert_eq!(terms, ["batteri", "charg", "batteri", "charg", "see"]);
    }

    #[test]
    fn mixed_text_keeps_both() {
        let terms = terms("国产GPU芯片支持Transformer模型");
        for expected in ["gpu", "芯片", "transform", "模型"] {
            assert!(
                terms.iter().any(|t| t == expected),
                "{expected} in {terms:?}"
            );
        }
    }
}
