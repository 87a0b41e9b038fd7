//! Interface strings per language, from TOML files (`zh.toml`, `en.toml`).
//! Adding a language is adding a file; a key missing in a language falls
//! back to Chinese, and a key missing everywhere fails the theme check.

use std::collections::HashMap;

/// Strings for every language, keyed by language code then string key.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    by_lang: HashMap<String, HashMap<String, String>>,
}

impl Strings {
    /// Adds strings for a language from TOML text (a flat table of
    /// `key = "text"`), over any it already has: an override file need only
    /// hold the strings it changes.
    pub fn add(&mut self, lang: &str, toml_text: &str) -> Result<(), String> {
        let table: HashMap<String, String> =
            toml::from_str(toml_text).map_err(|e| e.to_string())?;
        self.by_lang
            .entry(lang.to_owned())
            .or_default()
            .extend(table);
        Ok(())
    }

    pub fn get(&self, lang: &str, key: &str) -> Option<&str> {
        self.by_lang
            .get(lang)
            .and_then(|t| t.get(key))
            .or_else(|| self.by_lang.get("zh").and_then(|t| t.get(key)))
            .map(String::as_str)
    }
}
