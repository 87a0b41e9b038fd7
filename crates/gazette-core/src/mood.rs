//! Moods (您此时的心情): the configurable set readers vote from.

use serde::{Deserialize, Serialize};

/// One mood a reader can express, with its labels in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mood {
    /// Stable key stored with counts, e.g. `happy`.
    pub key: String,
    /// The name of its icon in the theme's mood sprite (`assets/moods.svg`,
    /// `<symbol id="mood-NAME">`); drawn by the theme, never an emoji.
    pub icon: String,
    pub label_zh: String,
    pub label_en: String,
}

/// The ordered set of moods a site offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoodSet(pub Vec<Mood>);

impl MoodSet {
    pub fn get(&self, key: &str) -> Option<&Mood> {
        self.0.iter().find(|m| m.key == key)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Mood> {
        self.0.iter()
    }
}

impl Default for MoodSet {
    /// 开心 / 难过 / 点赞 / 飘过, as on the reference page.
    fn default() -> Self {
        let mood = |key: &str, icon: &str, zh: &str, en: &str| Mood {
            key: key.into(),
            icon: icon.into(),
            label_zh: zh.into(),
            label_en: en.into(),
        };
        MoodSet(vec![
            mood("happy", "happy", "开心", "Happy"),
            mood("sad", "sad", "难过", "Sad"),
            mood("like", "like", "点赞", "Like"),
            mood("meh", "meh", "飘过", "Passing by"),
        ])
    }
}
