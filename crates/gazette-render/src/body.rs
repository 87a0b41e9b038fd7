//! Article bodies: the constrained HTML the editor writes and the pages
//! show. The server sanitises every body with [`sanitize`] when it is saved
//! and again when it is rendered, whoever wrote it and whatever the browser
//! sent: only the elements and attributes below survive.
//!
//! - Blocks: `p`, `h2`–`h4`, `blockquote`, `ul`/`ol` (`start`)/`li`,
//!   `table`/`thead`/`tbody`/`tr`/`th`/`td` (`colspan`, `rowspan`),
//!   `figure`/`figcaption`/`img`, `hr`.
//! - Inline: `strong`, `em`, `s`, `sub`, `sup`, `br`, `a` (`href` on the
//!   site, http, https or mailto; always `rel="noopener noreferrer"`).
//! - Images only from the site itself (`/media/12.jpg`): a picture on
//!   another host would let that host see every reader.
//!
//! Everything else goes, keeping its text (`<span style>`, `<font>`,
//! `class`, comments), or with its text (`script`, `style`, `iframe`,
//! `svg`, `math`, `template`, `object`).

use std::sync::LazyLock;

const BLOCKS: [&str; 18] = [
    "p",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "img",
    "hr",
];
const INLINE: [&str; 7] = ["strong", "em", "s", "sub", "sup", "br", "a"];
/// Removed with everything inside them.
const DROPPED_WITH_CONTENT: [&str; 12] = [
    "script", "style", "iframe", "svg", "math", "template", "object", "embed", "noscript", "title",
    "head", "textarea",
];

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .add_tags(BLOCKS)
        .add_tags(INLINE)
        .clean_content_tags(DROPPED_WITH_CONTENT.into_iter().collect())
        .add_tag_attributes("a", ["href"])
        .add_tag_attributes(
            "img",
            ["src", "alt", "width", "height", "loading", "decoding"],
        )
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("th", ["colspan", "rowspan", "scope"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") if !crate::markdown::is_site_path(value) => None,
            ("img", "width" | "height")
            | ("ol", "start")
            | ("th" | "td", "colspan" | "rowspan")
                if !is_small_number(value) =>
            {
                None
            }
            _ => Some(value.into()),
        });
    builder
});

fn is_small_number(value: &str) -> bool {
    !value.is_empty() && value.len() <= 5 && value.bytes().all(|b| b.is_ascii_digit())
}

/// The body as it may be stored and shown.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// A Markdown body (content from before the editor, the demo's) as body HTML.
pub fn from_markdown(markdown: &str) -> String {
    sanitize(&crate::markdown::to_html(markdown))
}

/// Elements that start and end a line of plain text.
const LINE_ENDS: [&str; 13] = [
    "p",
    "h2",
    "h3",
    "h4",
    "li",
    "blockquote",
    "tr",
    "figcaption",
    "br",
    "hr",
    "ul",
    "ol",
    "table",
];

/// The text of a body, one line per block, for related reading and for
/// comparing revisions. Works on sanitised HTML (the serialiser's output:
/// quoted attributes, `<` escaped in text).
pub fn plain_text(html: &str) -> String {
    let html = sanitize(html);
    let mut text = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(open) = rest.find('<') {
        push_decoded(&mut text, &rest[..open]);
        rest = &rest[open + 1..];
        // The tag's end: the first `>` outside a quoted attribute value.
        let mut quoted = false;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '"' => quoted = !quoted,
                '>' if !quoted => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let tag = &rest[..end];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default();
        let closing = tag.starts_with('/');
        if LINE_ENDS.contains(&name) {
            text.push('\n');
        } else if matches!(name, "td" | "th") && closing {
            text.push(' ');
        }
        rest = rest.get(end + 1..).unwrap_or_default();
    }
    push_decoded(&mut text, rest);
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text as the serialiser escaped it, unescaped.
fn push_decoded(out: &mut String, text: &str) {
    out.push_str(
        &text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&nbsp;", "\u{a0}")
            .replace("&amp;", "&"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_stays_and_decoration_goes() {
        let html = sanitize(
            "<h1>标题</h1><p class=\"MsoNormal\" style=\"color:red\"><span style=\"font-family:宋体\">正文</span>\
             <b>粗</b><strong>重</strong><em>斜</em></p><ul><li>一</li></ul><table><tr><td colspan=\"2\">格</td></tr></table>\
             <!-- comment --><font color=red>字</font>",
        );
        assert_eq!(
            html,
            "标题<p>正文粗<strong>重</strong><em>斜</em></p><ul><li>一</li></ul>\
             <table><tbody><tr><td colspan=\"2\">格</td></tr></tbody></table>字"
        );
    }

    #[test]
    fn hostile_markup_is_neutralised() {
        for hostile in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\" jav&#x09;ascript:alert(1)\">x</a>",
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
            "<svg onload=alert(1)><circle/></svg>",
            "<p style=\"background:url(javascript:alert(1))\">x</p>",
            "<p style=\"width:expression(alert(1))\">x</p>",
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
            "<img src=\"https://tracker.example/p.gif\">",
            "<img src=\"//tracker.example/p.gif\">",
            "<form action=\"https://evil.example\"><input name=q></form>",
        ] {
            let html = sanitize(hostile);
            for bad in [
                "<script",
                "onerror",
                "javascript",
                "data:",
                "<iframe",
                "srcdoc",
                "<svg",
                "onload",
                "style",
                "expression",
                "tracker",
                "<form",
                "<input",
            ] {
                assert!(!html.contains(bad), "{hostile} → {html}");
            }
        }
        assert_eq!(
            sanitize("<a href=\"https://example.org/\">x</a>"),
            "<a href=\"https://example.org/\" rel=\"noopener noreferrer\">x</a>"
        );
    }

    #[test]
    fn sanitising_twice_changes_nothing() {
        let once = from_markdown(
            "## 小标题\n\n正文 **粗体** 与 [链接](https://example.org)。\n\n- 一\n- 二\n\n![图](/media/3.svg \"说明\")",
        );
        assert_eq!(sanitize(&once), once);
        assert!(once.contains("<h2>小标题</h2>"), "{once}");
        assert!(once.contains("<figure><img src=\"/media/3.svg\""), "{once}");
    }

    #[test]
    fn plain_text_has_one_line_per_block() {
        let text = plain_text(
            "<h2>A &amp; B</h2><p>x &lt; y <strong>z</strong></p><ul><li>one</li><li>two</li></ul>\
             <figure><img src=\"/media/1.svg\" alt=\"a > b\"><figcaption>cap</figcaption></figure>",
        );
        assert_eq!(text, "A & B\nx < y z\none\ntwo\ncap");
        assert_eq!(
            plain_text("lead<p>para</p>\n  <ul><li>a<ul><li>b</li></ul></li></ul>"),
            "lead\npara\na\nb"
        );
    }
}
