//! Folding text for matching, one character at a time so that every
//! folded character still knows where it came from (highlights are cut
//! from the original text). Full-width and half-width forms meet through
//! NFKC (`ＡＢＣ１２３` is `abc123`, `，` is `,`), letters are lower-cased,
//! and traditional Chinese becomes simplified (fast2s maps one character
//! to one, so positions survive).

use unicode_normalization::UnicodeNormalization;

/// A character of the folded text and the byte range of the original
/// character it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Folded {
    pub ch: char,
    pub from: usize,
    pub to: usize,
}

/// Whether a character is a Chinese character (after folding: NFKC maps
/// the compatibility ideographs onto the unified ones).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2EBEF}'
        | '\u{30000}'..='\u{3134F}'
        | '\u{3007}')
}

/// The folded characters of `text`.
pub fn fold(text: &str) -> Vec<Folded> {
    let mut out = Vec::with_capacity(text.len());
    for (from, c) in text.char_indices() {
        let to = from + c.len_utf8();
        if c.is_ascii() {
            out.push(Folded {
                ch: c.to_ascii_lowercase(),
                from,
                to,
            });
        } else if is_han(c) {
            out.push(Folded { ch: c, from, to });
        } else {
            for normal in std::iter::once(c).nfkc() {
                for lower in normal.to_lowercase() {
                    out.push(Folded {
                        ch: lower,
                        from,
                        to,
                    });
                }
            }
        }
    }
    // Traditional to simplified: only where there is Chinese to convert.
    if out.iter().any(|f| is_han(f.ch)) {
        let plain: String = out.iter().map(|f| f.ch).collect();
        let simplified = fast2s::convert(&plain);
        if simplified.chars().count() == out.len() {
            for (folded, ch) in out.iter_mut().zip(simplified.chars()) {
                folded.ch = ch;
            }
        }
    }
    out
}

/// The folded text alone.
pub fn fold_str(text: &str) -> String {
    fold(text).into_iter().map(|f| f.ch).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_cases_and_scripts_meet() {
        assert_eq!(fold_str("ＡＢＣ１２３，Beijing"), "abc123,beijing");
        assert_eq!(fold_str("網絡空間"), "网络空间");
        assert_eq!(fold_str("臺灣"), fold_str("台湾"));
    }

    #[test]
    fn every_folded_character_points_into_the_original() {
        let text = "Ａ網x";
        let folded = fold(text);
        assert_eq!(folded.len(), 3);
        assert_eq!(&text[folded[0].from..folded[0].to], "Ａ");
        assert_eq!(&text[folded[1].from..folded[1].to], "網");
        assert_eq!(folded[1].ch, '网');
        assert_eq!(&text[folded[2].from..folded[2].to], "x");
    }
}
