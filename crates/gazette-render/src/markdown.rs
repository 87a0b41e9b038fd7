//! Newsroom Markdown to safe HTML. Authors are not trusted: whatever they
//! write passes through ammonia. An image alone in its paragraph becomes a
//! `<figure>`, its Markdown title the caption (photo credit included).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
use std::sync::LazyLock;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["figure", "figcaption"])
        .add_tag_attributes("img", ["loading", "decoding", "width", "height"])
        .link_rel(Some("noopener noreferrer"))
        // Links may lead anywhere; what a page loads comes from the site only
        // (a tracking pixel on another host would see every reader).
        .attribute_filter(|_element, attribute, value| {
            if attribute == "src" && !is_site_path(value) {
                None
            } else {
                Some(value.into())
            }
        });
    builder
});

/// A path on the site itself (`/media/12.jpg`), as a browser would read it:
/// tabs and newlines inside a URL are dropped, spaces and control
/// characters around it trimmed, and `/\` means `//` (another host).
pub(crate) fn is_site_path(url: &str) -> bool {
    let url: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let url = url.trim_matches(|c: char| c <= ' ');
    let mut chars = url.chars();
    chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'))
}

/// Renders Markdown to sanitised HTML.
pub fn to_html(markdown: &str) -> String {
    let events: Vec<Event> = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .collect();
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Some((figure, consumed)) = lone_image_figure(&events[i..]) {
            out.push(Event::Html(figure.into()));
            i += consumed;
        } else {
            out.push(events[i].clone());
            i += 1;
        }
    }
    let mut raw = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut raw, out.into_iter());
    SANITIZER.clean(&raw).to_string()
}

/// `Paragraph(Image(alt text...))` → a figure, and how many events it used.
fn lone_image_figure(events: &[Event]) -> Option<(String, usize)> {
    let [
        Event::Start(Tag::Paragraph),
        Event::Start(Tag::Image {
            dest_url, title, ..
        }),
        rest @ ..,
    ] = events
    else {
        return None;
    };
    let mut alt = String::new();
    let mut used = 2;
    for event in rest {
        used += 1;
        match event {
            Event::Text(text) | Event::Code(text) => alt.push_str(text),
            Event::End(TagEnd::Image) => break,
            _ => return None,
        }
    }
    if !matches!(events.get(used), Some(Event::End(TagEnd::Paragraph))) {
        return None;
    }
    let caption = if title.is_empty() {
        String::new()
    } else {
        format!("<figcaption>{}</figcaption>", escape(title))
    };
    let figure = format!(
        "<figure><img src=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">{caption}</figure>",
        escape(dest_url),
        escape(&alt)
    );
    Some((figure, used + 1))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn lone_images_become_captioned_figures() {
        let html = to_html("![会场](/media/3.svg \"开幕式现场。摄影:李明\")");
        assert!(
            html.starts_with("<figure><img src=\"/media/3.svg\" alt=\"会场\""),
            "{html}"
        );
        assert!(
            html.contains("<figcaption>开幕式现场。摄影:李明</figcaption></figure>"),
            "{html}"
        );
        assert!(!html.contains("<p>"), "{html}");
    }

    #[test]
    fn images_from_other_hosts_lose_their_source() {
        for foreign in [
            "![x](https://tracker.example/p.gif)",
            "![x](//tracker.example/p.gif)",
            "<img src=\"http://tracker.example/p.gif\">",
            "<img src=\"/\\tracker.example/p.gif\">",
            "<img src=\" //tracker.example/p.gif\">",
            "<img src=\"/&#9;/tracker.example/p.gif\">",
            "<img src=\"data:image/gif;base64,R0lGOD\">",
            // Found by fuzz/markdown: a relative source, resolved against the page.
            "> qh![]([)?uy",
        ] {
            let html = to_html(foreign);
            assert!(!html.contains("src="), "{foreign} → {html}");
        }
        assert!(to_html("![x](/media/1.jpg)").contains("src=\"/media/1.jpg\""));
        assert!(
            to_html("[a link](https://elsewhere.example/)")
                .contains("href=\"https://elsewhere.example/\""),
            "links may lead anywhere"
        );
    }

    #[test]
    fn inline_images_stay_inline() {
        let html = to_html("text ![a](/x.svg) more");
        assert!(html.contains("<p>text <img"), "{html}");
    }

    #[test]
    fn hostile_markup_is_removed() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<a href=\"javascript:x\" onclick=\"y\">z</a>\n\n[ok](https://example.org)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }

    #[test]
    fn captions_cannot_inject() {
        let html = to_html("![x](/a.svg \"<img src=x onerror=alert(1)>\")");
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(html.contains("&lt;img src=x"), "{html}");
    }
}
