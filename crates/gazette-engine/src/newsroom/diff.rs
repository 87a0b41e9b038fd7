//! Comparing two revisions so that an editor can read it: field by field,
//! the body as plain text with one line per block, Chinese by characters
//! and English by words (`similar`, with a deadline so that a huge body
//! cannot hold a thread).

use super::draft::{ArticleDraft, CreditLine};
use gazette_core::Lang;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use std::time::Duration;

/// How long one field's comparison may take before it settles for a
/// coarser answer.
const DEADLINE: Duration = Duration::from_millis(500);

/// A run of text that is the same, gone or new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// `same`, `gone` or `new`.
    pub kind: &'static str,
    pub text: String,
}

/// One field that differs between the two revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldDiff {
    /// The field's name (the interface's word for it).
    pub field: &'static str,
    pub segments: Vec<Segment>,
}

/// The fields that differ, in form order, each as runs of text.
pub fn compare(old: &ArticleDraft, new: &ArticleDraft) -> Vec<FieldDiff> {
    let lang = new.lang;
    let names = |lines: &[CreditLine]| {
        lines
            .iter()
            .map(|l| match &l.affiliation {
                Some(a) => format!("{}（{a}）", l.name),
                None => l.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("、")
    };
    let tags = |d: &ArticleDraft| {
        d.tags
            .iter()
            .map(|t| t.as_str().to_owned())
            .collect::<Vec<_>>()
            .join("、")
    };
    let cover = |d: &ArticleDraft| {
        d.cover.as_ref().map_or_else(String::new, |c| {
            format!(
                "#{} {} {} {}",
                c.media_id,
                c.alt,
                c.caption.as_deref().unwrap_or_default(),
                c.credit.as_deref().unwrap_or_default()
            )
        })
    };
    let fields: [(&'static str, String, String); 15] = [
        ("title", old.title.clone(), new.title.clone()),
        ("kicker", old.kicker.clone(), new.kicker.clone()),
        ("subtitle", old.subtitle.clone(), new.subtitle.clone()),
        ("summary", old.summary.clone(), new.summary.clone()),
        (
            "body",
            gazette_render::body::plain_text(&old.body),
            gazette_render::body::plain_text(&new.body),
        ),
        ("source", old.source.clone(), new.source.clone()),
        ("authors", names(&old.authors), names(&new.authors)),
        ("editors", names(&old.editors), names(&new.editors)),
        (
            "coordinators",
            names(&old.coordinators),
            names(&new.coordinators),
        ),
        ("tags", tags(old), tags(new)),
        (
            "channel_id",
            old.channel_id.to_string(),
            new.channel_id.to_string(),
        ),
        (
            "topic_id",
            old.topic_id.map(|t| t.to_string()).unwrap_or_default(),
            new.topic_id.map(|t| t.to_string()).unwrap_or_default(),
        ),
        ("slug", old.slug.as_str().into(), new.slug.as_str().into()),
        ("lang", old.lang.code().into(), new.lang.code().into()),
        ("cover", cover(old), cover(new)),
    ];
    let mut diffs: Vec<FieldDiff> = fields
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, a, b)| FieldDiff {
            field,
            segments: segments(&a, &b, lang),
        })
        .collect();
    // Body markup that changed with the same text (a heading level, a
    // link's address) still counts as a change.
    if old.body != new.body && !diffs.iter().any(|d| d.field == "body") {
        diffs.push(FieldDiff {
            field: "body_markup",
            segments: segments(&old.body, &new.body, Lang::En),
        });
    }
    diffs
}

/// Runs of same, gone and new text: characters for Chinese, words for English.
pub fn segments(old: &str, new: &str, lang: Lang) -> Vec<Segment> {
    let mut config = TextDiff::configure();
    config.timeout(DEADLINE);
    let diff = match lang {
        Lang::Zh => config.diff_chars(old, new),
        Lang::En => config.diff_words(old, new),
    };
    let mut runs: Vec<Segment> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Delete => "gone",
            ChangeTag::Insert => "new",
        };
        match runs.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => runs.push(Segment {
                kind,
                text: change.value().to_owned(),
            }),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(runs: &[Segment]) -> String {
        runs.iter()
            .map(|s| match s.kind {
                "gone" => format!("[-{}-]", s.text),
                "new" => format!("{{+{}+}}", s.text),
                _ => s.text.clone(),
            })
            .collect()
    }

    #[test]
    fn chinese_by_characters_english_by_words() {
        assert_eq!(
            text(&segments(
                "网络空间命运共同体",
                "网络空间安全共同体",
                Lang::Zh
            )),
            "网络空间[-命运-]{+安全+}共同体"
        );
        assert_eq!(
            text(&segments(
                "The summit opened today",
                "The summit closed today",
                Lang::En
            )),
            "The summit [-opened-]{+closed+} today"
        );
    }
}
