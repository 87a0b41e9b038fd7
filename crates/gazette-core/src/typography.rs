//! Chinese punctuation, by the W3C's Requirements for Chinese Text Layout
//! (clreq): in Chinese text, commas, colons, semicolons, question and
//! exclamation marks and parentheses are full-width (`，：；？！（）`). A
//! half-width one next to a Chinese character reads as careless typing.
//! [`half_width_punctuation`] finds them: the theme's and the demo's tests
//! use it, and the newsroom's proofreading can.

/// A half-width mark found in Chinese text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte offset of the mark.
    pub offset: usize,
    pub mark: char,
    /// The full-width mark that belongs there.
    pub full_width: char,
}

/// Whether `c` is a Chinese character (CJK unified ideographs and their
/// extension A, and the compatibility block).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// The full-width form of a mark that has one in Chinese text.
fn full_width(mark: char) -> Option<char> {
    Some(match mark {
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// Every half-width mark right next to a Chinese character.
pub fn half_width_punctuation(text: &str) -> Vec<Finding> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    chars
        .iter()
        .enumerate()
        .filter_map(|(i, &(offset, mark))| {
            let full_width = full_width(mark)?;
            let before = i.checked_sub(1).map(|j| chars[j].1);
            let after = chars.get(i + 1).map(|&(_, c)| c);
            let beside_han = before.is_some_and(is_han) || after.is_some_and(is_han);
            beside_han.then_some(Finding {
                offset,
                mark,
                full_width,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_half_width_marks_beside_chinese_only() {
        let found = half_width_punctuation("三十年前,接入互联网;今天:人人(几乎)在线?是!");
        let marks: String = found.iter().map(|f| f.mark).collect();
        assert_eq!(marks, ",;:()?!");
        assert_eq!(found[0].full_width, '，');
        assert_eq!(found[0].offset, "三十年前".len());
        for clean in [
            "三十年前，接入互联网；今天：人人（几乎）在线？是！",
            "Hello, world: (fine)",
            "10:30 开幕",
            "https://news.example.org/",
            "GDP 增长 5.2%",
        ] {
            assert_eq!(half_width_punctuation(clean), [], "{clean}");
        }
    }
}
