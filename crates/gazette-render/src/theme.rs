//! The theme: templates, interface strings and assets. The default theme is
//! embedded in the binary; an operator may override any file from a theme
//! directory. Every template is rendered against fixture data when the theme
//! loads, with undefined variables as errors, so a broken theme fails the
//! start and never a request.

use crate::{Assets, fixtures, i18n::Strings};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Page templates and partials of the default theme, by name.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../../themes/default/templates/base.html"),
    ),
    (
        "macros.html",
        include_str!("../../../themes/default/templates/macros.html"),
    ),
    (
        "article.html",
        include_str!("../../../themes/default/templates/article.html"),
    ),
    (
        "home.html",
        include_str!("../../../themes/default/templates/home.html"),
    ),
    (
        "list.html",
        include_str!("../../../themes/default/templates/list.html"),
    ),
    (
        "stream.html",
        include_str!("../../../themes/default/templates/stream.html"),
    ),
    (
        "voted.html",
        include_str!("../../../themes/default/templates/voted.html"),
    ),
    (
        "stream_more.html",
        include_str!("../../../themes/default/templates/stream_more.html"),
    ),
    (
        "ranking.html",
        include_str!("../../../themes/default/templates/ranking.html"),
    ),
    (
        "error.html",
        include_str!("../../../themes/default/templates/error.html"),
    ),
    (
        "changes.html",
        include_str!("../../../themes/default/templates/changes.html"),
    ),
    (
        "search.html",
        include_str!("../../../themes/default/templates/search.html"),
    ),
];

const STRINGS: &[(&str, &str)] = &[
    ("zh", include_str!("../../../themes/default/i18n/zh.toml")),
    ("en", include_str!("../../../themes/default/i18n/en.toml")),
];

const CSS: &str = include_str!("../../../themes/default/assets/site.css");
const JS: &str = include_str!("../../../themes/default/assets/site.js");
const MOODS: &str = include_str!("../../../themes/default/assets/moods.svg");
/// The default icons, in the order of [`crate::assets::ICON_FILES`].
const ICONS: [(&str, &[u8]); 5] = [
    (
        "favicon.ico",
        include_bytes!("../../../themes/default/assets/favicon.ico"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../../themes/default/assets/favicon.svg"),
    ),
    (
        "icon-192.png",
        include_bytes!("../../../themes/default/assets/icon-192.png"),
    ),
    (
        "icon-512.png",
        include_bytes!("../../../themes/default/assets/icon-512.png"),
    ),
    (
        "manifest.webmanifest",
        include_bytes!("../../../themes/default/assets/manifest.webmanifest"),
    ),
];

/// Why a theme failed to load. Messages name the file and line at fault.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("{file}:{line}: {message}")]
    Template {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

/// Why a page failed to render (a theme bug, since the theme was checked).
#[derive(Debug, thiserror::Error)]
#[error("rendering {template}: {source}")]
pub struct RenderError {
    template: String,
    source: Error,
}

/// A loaded, checked theme.
#[derive(Debug)]
pub struct Theme {
    env: Environment<'static>,
    assets: Assets,
}

impl Theme {
    /// Loads the default theme, then overrides from `dir` if given:
    /// `templates/*.html`, `i18n/*.toml`, `assets/site.css`, `assets/site.js`.
    pub fn load(dir: Option<&Path>) -> Result<Self, ThemeError> {
        let mut strings = Strings::default();
        for (lang, text) in STRINGS {
            strings
                .add(lang, text)
                .map_err(|message| ThemeError::File {
                    file: format!("i18n/{lang}.toml"),
                    message,
                })?;
        }
        let mut sources: Vec<(String, String, PathBuf)> = TEMPLATES
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    text.to_string(),
                    PathBuf::from("templates").join(name),
                )
            })
            .collect();
        let mut css = CSS.as_bytes().to_vec();
        let mut js = JS.as_bytes().to_vec();
        let mut moods = MOODS.as_bytes().to_vec();
        let mut icons: Vec<(&'static str, Vec<u8>)> = ICONS
            .iter()
            .map(|(name, bytes)| (*name, bytes.to_vec()))
            .collect();
        if let Some(dir) = dir {
            for (name, bytes) in &mut icons {
                let path = dir.join("assets").join(*name);
                if path.is_file() {
                    *bytes = std::fs::read(&path).map_err(|e| ThemeError::File {
                        file: path.display().to_string(),
                        message: e.to_string(),
                    })?;
                }
            }
            for (name, text, path) in &mut sources {
                let candidate = dir.join("templates").join(&*name);
                if let Some(found) = read_optional(&candidate)? {
                    *text = found;
                    *path = candidate;
                }
            }
            for entry in list_dir(&dir.join("i18n"))? {
                if entry.extension().is_some_and(|e| e == "toml") {
                    let lang = entry
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .unwrap_or_default()
                        .to_owned();
                    let text = read_optional(&entry)?.unwrap_or_default();
                    strings
                        .add(&lang, &text)
                        .map_err(|message| ThemeError::File {
                            file: entry.display().to_string(),
                            message,
                        })?;
                }
            }
            if let Some(found) = read_optional(&dir.join("assets/site.css"))? {
                css = found.into_bytes();
            }
            if let Some(found) = read_optional(&dir.join("assets/site.js"))? {
                js = found.into_bytes();
            }
            if let Some(found) = read_optional(&dir.join("assets/moods.svg"))? {
                moods = found.into_bytes();
            }
        }

        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_formatter(|out, state, value| match value.as_str() {
            Some(text) if matches!(state.auto_escape(), AutoEscape::Html) && !value.is_safe() => {
                escape_html(out, text)
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        let strings = Arc::new(strings);
        env.add_function(
            "t",
            move |state: &State, key: &str| -> Result<String, Error> {
                let lang = state
                    .lookup("site")
                    .and_then(|site| site.get_attr("lang").ok())
                    .and_then(|lang| lang.as_str().map(str::to_owned))
                    .unwrap_or_else(|| "zh".to_owned());
                strings.get(&lang, key).map(str::to_owned).ok_or_else(|| {
                    Error::new(
                        ErrorKind::UndefinedError,
                        format!("no interface string {key:?}"),
                    )
                })
            },
        );
        let paths: Vec<(String, PathBuf)> = sources
            .iter()
            .map(|(n, _, p)| (n.clone(), p.clone()))
            .collect();
        for (name, text, _) in sources {
            env.add_template_owned(name, text)
                .map_err(|e| template_error(&e, &paths))?;
        }
        let theme = Theme {
            env,
            assets: Assets::new(css, js, moods).with_icons(icons),
        };
        theme.check(&paths)?;
        Ok(theme)
    }

    /// Renders every page template against fixture data.
    fn check(&self, paths: &[(String, PathBuf)]) -> Result<(), ThemeError> {
        for (template, context) in fixtures::all(&self.assets) {
            self.render(template, &context)
                .map_err(|e| template_error(&e.source, paths))?;
        }
        Ok(())
    }

    pub fn assets(&self) -> &Assets {
        &self.assets
    }

    /// Renders a page template with a view model.
    pub fn render<T: Serialize>(&self, template: &str, context: &T) -> Result<String, RenderError> {
        let wrap = |source| RenderError {
            template: template.to_owned(),
            source,
        };
        self.env
            .get_template(template)
            .map_err(wrap)?
            .render(minijinja::value::Serde(context))
            .map_err(wrap)
    }
}

/// HTML-escapes text for element content and quoted attributes. Unlike the
/// default, `/` is left alone: URLs fill news pages, and `&#x2f;` in every
/// one of them costs bytes for nothing.
fn escape_html(out: &mut Output, text: &str) -> Result<(), Error> {
    let mut last = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[last..i])
            .and_then(|_| out.write_str(entity))
            .map_err(Error::from)?;
        last = i + 1;
    }
    out.write_str(&text[last..]).map_err(Error::from)
}

/// Finds the innermost template error, which carries the real file and line.
fn template_error(error: &Error, paths: &[(String, PathBuf)]) -> ThemeError {
    let mut inner: &Error = error;
    while let Some(next) = std::error::Error::source(inner).and_then(|s| s.downcast_ref::<Error>())
    {
        inner = next;
    }
    let name = inner.name().or(error.name()).unwrap_or("?");
    let file = paths
        .iter()
        .find(|(n, _)| n == name)
        .map_or_else(|| name.to_owned(), |(_, p)| p.display().to_string());
    ThemeError::Template {
        file,
        line: inner.line().or(error.line()).unwrap_or(0),
        message: inner
            .detail()
            .map_or_else(|| inner.kind().to_string(), str::to_owned),
    }
}

fn read_optional(path: &Path) -> Result<Option<String>, ThemeError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ThemeError::File {
            file: path.display().to_string(),
            message: e.to_string(),
        }),
    }
}

fn list_dir(dir: &Path) -> Result<Vec<PathBuf>, ThemeError> {
    match std::fs::read_dir(dir) {
        Ok(entries) => Ok(entries.filter_map(|e| e.ok().map(|e| e.path())).collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(ThemeError::File {
            file: dir.display().to_string(),
            message: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_but_slashes_are_not() {
        let theme = Theme::load(None).expect("default theme");
        let mut page = fixtures::article_page(theme.assets());
        page.article.title = "<b>\"A&B's\"</b> /x/".into();
        let html = theme.render("article.html", &page).expect("render");
        assert!(
            html.contains("&lt;b&gt;&quot;A&amp;B&#39;s&quot;&lt;/b&gt; /x/"),
            "escaped title"
        );
        assert!(html.contains("href=\"/tech/\""), "URLs keep their slashes");
    }

    #[test]
    fn default_theme_loads_and_checks() {
        let theme = Theme::load(None).expect("default theme is valid");
        assert!(theme.assets().css.url.starts_with("/assets/site."));
    }

    #[test]
    fn a_broken_override_names_its_file_and_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
        std::fs::write(
            dir.path().join("templates/list.html"),
            "{% extends \"base.html\" %}\n{% block main %}\n{{ heading }\n{% endblock %}\n",
        )
        .expect("write");
        let message = Theme::load(Some(dir.path()))
            .expect_err("syntax error")
            .to_string();
        assert!(message.contains("templates/list.html:3:"), "{message}");
    }

    #[test]
    fn an_undefined_variable_fails_the_check() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
        std::fs::write(dir.path().join("templates/stream.html"), "{% extends \"base.html\" %}\n{% block main %}\n\n{{ no_such_thing.x }}{% endblock %}\n")
            .expect("write");
        let message = Theme::load(Some(dir.path()))
            .expect_err("undefined")
            .to_string();
        assert!(message.contains("templates/stream.html:4:"), "{message}");
    }

    #[test]
    fn chinese_interface_text_uses_full_width_punctuation() {
        let sources = STRINGS
            .iter()
            .map(|(name, text)| (format!("i18n/{name}.toml"), *text))
            .chain(
                TEMPLATES
                    .iter()
                    .map(|(name, text)| (format!("templates/{name}"), *text)),
            );
        for (file, text) in sources {
            for (number, line) in text.lines().enumerate() {
                let found = gazette_core::typography::half_width_punctuation(line);
                assert!(found.is_empty(), "{file}:{}: {line}", number + 1);
            }
        }
    }

    #[test]
    fn overridden_strings_and_css_are_used() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("i18n")).expect("mkdir");
        std::fs::create_dir_all(dir.path().join("assets")).expect("mkdir");
        std::fs::write(dir.path().join("i18n/zh.toml"), "home = \"主页\"\n").expect("write");
        std::fs::write(dir.path().join("assets/site.css"), "body{}").expect("write");
        let theme = Theme::load(Some(dir.path())).expect("loads; missing keys fall back");
        assert_eq!(theme.assets().css.bytes, b"body{}");
        let html = theme
            .render("stream.html", &fixtures::all(theme.assets()).remove(3).1)
            .expect("render");
        assert!(html.contains("主页"), "override used");
    }
}
