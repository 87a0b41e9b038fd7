//! Whatever an author writes, as Markdown or as body HTML (the editor's, or
//! anything a browser sends), the HTML that reaches readers has no script,
//! no event handler, no `javascript:` URL and no resource from another
//! host; and sanitising a body twice changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scraper::Html;

/// What a browser would make of a URL attribute: tabs and newlines dropped,
/// spaces and control characters around it trimmed, lower-cased.
fn as_browser_reads(url: &str) -> String {
    url.chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_matches(|c: char| c <= ' ')
        .to_ascii_lowercase()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    assert_safe(&gazette_render::markdown::to_html(&text));
    let body = gazette_render::body::sanitize(&text);
    assert_safe(&body);
    assert_eq!(gazette_render::body::sanitize(&body), body, "not stable: {text:?}");
    let _ = gazette_render::body::plain_text(&body);
});

fn assert_safe(html: &str) {
    let document = Html::parse_fragment(html);
    for node in document.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let name = element.name();
        assert!(
            !matches!(name, "script" | "iframe" | "object" | "embed" | "style" | "link" | "meta" | "base" | "form"),
            "<{name}> survived: {html}"
        );
        for (attribute, value) in element.attrs() {
            assert!(!attribute.starts_with("on"), "{attribute} survived: {html}");
            assert_ne!(attribute, "style", "style survived: {html}");
            let url = as_browser_reads(value);
            if matches!(attribute, "href" | "src" | "action" | "formaction" | "srcset" | "poster") {
                assert!(!url.starts_with("javascript:"), "{attribute}={value:?}: {html}");
                assert!(!url.starts_with("vbscript:"), "{attribute}={value:?}: {html}");
            }
            if matches!(attribute, "src" | "srcset" | "poster") {
                let local = url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\");
                assert!(local, "a resource from elsewhere: {attribute}={value:?}: {html}");
            }
        }
    }
}
