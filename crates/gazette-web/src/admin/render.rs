//! The back office's templates and words: embedded in the binary, loaded
//! once, with `t(key, name=...)` looking words up in the page's language.
//! Every value is escaped by minijinja's HTML auto-escaping.

use crate::WebError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::value::Kwargs;
use minijinja::{Environment, State, Value};
use std::collections::HashMap;
use std::sync::Arc;

const TEMPLATES: [(&str, &str); 30] = [
    ("base.html", include_str!("../../admin/base.html")),
    ("macros.html", include_str!("../../admin/macros.html")),
    ("login.html", include_str!("../../admin/login.html")),
    (
        "set_password.html",
        include_str!("../../admin/set_password.html"),
    ),
    ("home.html", include_str!("../../admin/home.html")),
    ("account.html", include_str!("../../admin/account.html")),
    ("people.html", include_str!("../../admin/people.html")),
    ("person.html", include_str!("../../admin/person.html")),
    ("audit.html", include_str!("../../admin/audit.html")),
    ("articles.html", include_str!("../../admin/articles.html")),
    (
        "article_edit.html",
        include_str!("../../admin/article_edit.html"),
    ),
    ("revisions.html", include_str!("../../admin/revisions.html")),
    ("compare.html", include_str!("../../admin/compare.html")),
    ("terms.html", include_str!("../../admin/terms.html")),
    ("media.html", include_str!("../../admin/media.html")),
    ("slots.html", include_str!("../../admin/slots.html")),
    ("topics.html", include_str!("../../admin/topics.html")),
    ("topic.html", include_str!("../../admin/topic.html")),
    (
        "topic_fields.html",
        include_str!("../../admin/topic_fields.html"),
    ),
    ("channels.html", include_str!("../../admin/channels.html")),
    ("channel.html", include_str!("../../admin/channel.html")),
    ("slot.html", include_str!("../../admin/slot.html")),
    ("dashboard.html", include_str!("../../admin/dashboard.html")),
    (
        "dashboard_article.html",
        include_str!("../../admin/dashboard_article.html"),
    ),
    (
        "media_photo.html",
        include_str!("../../admin/media_photo.html"),
    ),
    ("review.html", include_str!("../../admin/review.html")),
    ("message.html", include_str!("../../admin/message.html")),
    ("code.html", include_str!("../../admin/code.html")),
    (
        "second_factor.html",
        include_str!("../../admin/second_factor.html"),
    ),
    (
        "recovery_codes.html",
        include_str!("../../admin/recovery_codes.html"),
    ),
];

/// The policy of every back-office page: the site's own files only, no
/// framing, forms posting only here.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
     connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

type Words = HashMap<String, String>;

#[derive(Debug)]
pub struct AdminPages {
    env: Environment<'static>,
    words: Arc<HashMap<&'static str, Words>>,
}

fn words(source: &str) -> Words {
    // The files are part of the binary and checked by the tests below.
    toml::from_str(source).unwrap_or_default()
}

impl AdminPages {
    pub fn new() -> Self {
        let words = Arc::new(HashMap::from([
            ("zh", words(include_str!("../../admin/zh.toml"))),
            ("en", words(include_str!("../../admin/en.toml"))),
        ]));
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            // Checked by the tests below: a broken template fails the build's tests.
            if let Err(error) = env.add_template(name, source) {
                tracing::error!(%error, name, "back-office template does not parse");
            }
        }
        let lookup = words.clone();
        env.add_function(
            "t",
            move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
                let lang = state
                    .lookup("lang")
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_else(|| "zh".to_owned());
                let mut text = lookup
                    .get(lang.as_str())
                    .and_then(|w| w.get(key))
                    .cloned()
                    .unwrap_or_else(|| key.to_owned());
                for name in kwargs.args() {
                    let value: Value = kwargs.get(name)?;
                    text = text.replace(&format!("{{{name}}}"), &value.to_string());
                }
                Ok(text)
            },
        );
        AdminPages { env, words }
    }

    /// A word in a language, for messages built in code.
    pub fn word(&self, lang: &str, key: &str) -> String {
        self.words
            .get(lang)
            .and_then(|w| w.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    /// A page, with the back office's headers.
    pub fn page(&self, status: StatusCode, template: &str, context: Value) -> Response {
        match self
            .env
            .get_template(template)
            .and_then(|t| t.render(context))
        {
            Ok(html) => with_headers(status, html),
            Err(error) => {
                WebError::Internal(format!("back-office page {template}: {error}")).into_response()
            }
        }
    }
}

impl Default for AdminPages {
    fn default() -> Self {
        Self::new()
    }
}

/// The headers every back-office answer carries.
pub fn with_headers(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "private, no-store"),
        (header::CONTENT_SECURITY_POLICY, CSP),
        // Not no-referrer: with it, browsers send `Origin: null` on form
        // posts, and the same-site check could not tell them from another
        // site's. Other hosts still get no referrer (links with secrets).
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert(
        "x-robots-tag",
        HeaderValue::from_static("noindex, nofollow"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_and_both_languages_have_every_word() {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source).expect(name);
        }
        let zh: Words = toml::from_str(include_str!("../../admin/zh.toml")).expect("zh words");
        let en: Words = toml::from_str(include_str!("../../admin/en.toml")).expect("en words");
        let mut missing: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        missing.extend(en.keys().filter(|k| !zh.contains_key(*k)));
        assert!(
            missing.is_empty(),
            "words in one language only: {missing:?}"
        );
        for (name, source) in TEMPLATES {
            for quote in ['"', '\''] {
                let opening = format!("t({quote}");
                for key in source
                    .split(&opening)
                    .skip(1)
                    .filter_map(|rest| rest.split(quote).next())
                {
                    assert!(zh.contains_key(key), "{name} uses the unknown word {key:?}");
                }
            }
        }
    }

    #[test]
    fn chinese_words_use_full_width_punctuation() {
        let zh: Words = toml::from_str(include_str!("../../admin/zh.toml")).expect("zh words");
        for (key, text) in &zh {
            let problems = gazette_core::typography::half_width_punctuation(text);
            assert!(problems.is_empty(), "{key}: {problems:?}");
        }
    }
}
