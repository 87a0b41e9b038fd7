//! What search engines read: `robots.txt`, the sitemap index
//! (`/sitemap.xml`), its child sitemaps of published articles
//! (`/sitemaps/articles-N.xml`, at most 50,000 addresses each, with the
//! time each article last changed) and the news sitemap of the last 48
//! hours (`/sitemap-news.xml`, at most 1,000). They are cached like pages
//! and depend on every article (`sitemaps`), so a publication, retraction
//! or take-down reaches them at once, on every node.

use crate::cache::{CachedBody, Packing};
use crate::{Engine, EngineError};
use gazette_core::{ChannelTree, Lang, Permalink};
use std::fmt::Write;
use std::sync::Arc;

/// Addresses in one child sitemap (the protocol's limit).
pub const PER_SITEMAP: i64 = 50_000;
/// The news sitemap: articles of the last 48 hours, at most 1,000.
pub const NEWS_WINDOW: i64 = 48 * 3_600;
pub const NEWS_LIMIT: i64 = 1_000;
const XML: &str = "application/xml; charset=utf-8";
const CACHE: &str = "public, max-age=300";

/// One of the files this module answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitemapFile {
    Robots,
    Index,
    Articles(i64),
    News,
}

impl SitemapFile {
    /// The file a path names (one spelling each).
    pub fn parse(path: &str) -> Option<SitemapFile> {
        match path {
            "/robots.txt" => Some(SitemapFile::Robots),
            "/sitemap.xml" => Some(SitemapFile::Index),
            "/sitemap-news.xml" => Some(SitemapFile::News),
            other => {
                let n = other
                    .strip_prefix("/sitemaps/articles-")?
                    .strip_suffix(".xml")?;
                n.parse::<i64>()
                    .ok()
                    .filter(|v| *v >= 1 && v.to_string() == n)
                    .map(SitemapFile::Articles)
            }
        }
    }
}

/// Text for XML: the five special characters escaped, and the characters
/// XML 1.0 cannot carry (controls other than tab and line ends) left out.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

impl Engine {
    /// A sitemap file or `robots.txt`, cached like a page; `None` for a
    /// child sitemap past the last.
    pub async fn sitemap_file(
        &self,
        file: SitemapFile,
        path: &str,
    ) -> Result<Option<Arc<CachedBody>>, EngineError> {
        if let Some(body) = self.pages.servable(path) {
            return Ok(Some(body));
        }
        let epoch = self
            .invalidations
            .load(std::sync::atomic::Ordering::Acquire);
        let body = self.cold(self.build_sitemap(file)).await?;
        let Some(body) = body else {
            return Ok(None);
        };
        let body = Arc::new(body);
        if !self
            .dependencies
            .register(path, vec![crate::changes::SITEMAPS.to_owned()])
        {
            self.pages.clear();
        }
        self.pages.insert(path.to_owned(), body.clone());
        if self
            .invalidations
            .load(std::sync::atomic::Ordering::Acquire)
            != epoch
        {
            self.pages.remove(path);
        }
        Ok(Some(body))
    }

    async fn build_sitemap(&self, file: SitemapFile) -> Result<Option<CachedBody>, EngineError> {
        let base = &self.config.base_url;
        let now = self.now();
        let zone = &self.config.zone;
        let (count, latest) = self.store.sitemap_summary(now).await?;
        let children = ((count + PER_SITEMAP - 1) / PER_SITEMAP).max(1);
        let (content_type, text) = match file {
            SitemapFile::Robots => (
                "text/plain; charset=utf-8",
                format!(
                    "User-agent: *\nAllow: /\nDisallow: /admin/\nDisallow: /preview/\nDisallow: /api/\n\n\
                     Sitemap: {base}/sitemap.xml\nSitemap: {base}/sitemap-news.xml\n"
                ),
            ),
            SitemapFile::Index => {
                let mut xml = String::from(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                     <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
                );
                for n in 1..=children {
                    let _ = writeln!(
                        xml,
                        "<sitemap><loc>{}</loc><lastmod>{}</lastmod></sitemap>",
                        xml_text(&format!("{base}/sitemaps/articles-{n}.xml")),
                        zone.rfc3339(latest)
                    );
                }
                xml.push_str("</sitemapindex>\n");
                (XML, xml)
            }
            SitemapFile::Articles(n) => {
                if n > children {
                    return Ok(None);
                }
                let tree = ChannelTree::new(self.store.channels().await?);
                let entries = self
                    .store
                    .sitemap_entries(now, (n - 1) * PER_SITEMAP, PER_SITEMAP)
                    .await?;
                let mut xml = String::from(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                     <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
                );
                for entry in entries
                    .iter()
                    .filter(|e| tree.get(e.article.channel_id).is_some())
                {
                    let _ = writeln!(
                        xml,
                        "<url><loc>{}</loc><lastmod>{}</lastmod></url>",
                        xml_text(&format!(
                            "{base}{}",
                            Permalink::article_ref(&tree, &entry.article)
                        )),
                        zone.rfc3339(entry.updated_at.max(entry.published_at))
                    );
                }
                xml.push_str("</urlset>\n");
                (XML, xml)
            }
            SitemapFile::News => {
                let tree = ChannelTree::new(self.store.channels().await?);
                let entries = self
                    .store
                    .news_entries(now, now - NEWS_WINDOW, NEWS_LIMIT)
                    .await?;
                let mut xml = String::from(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                     <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
                     xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
                );
                for entry in entries
                    .iter()
                    .filter(|e| tree.get(e.article.channel_id).is_some())
                {
                    let lang = entry.article.lang;
                    let language = match lang {
                        Lang::Zh => "zh-cn",
                        Lang::En => "en",
                    };
                    let _ = writeln!(
                        xml,
                        "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name>\
                         <news:language>{language}</news:language></news:publication>\
                         <news:publication_date>{}</news:publication_date><news:title>{}</news:title>\
                         </news:news></url>",
                        xml_text(&format!(
                            "{base}{}",
                            Permalink::article_ref(&tree, &entry.article)
                        )),
                        xml_text(self.config.name(lang)),
                        zone.rfc3339(entry.published_at),
                        xml_text(&entry.title)
                    );
                }
                xml.push_str("</urlset>\n");
                (XML, xml)
            }
        };
        Ok(Some(CachedBody::new(
            200,
            content_type,
            CACHE,
            text.into_bytes(),
            Packing::Fast,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_has_one_name_and_text_is_safe_in_xml() {
        assert_eq!(
            SitemapFile::parse("/sitemaps/articles-2.xml"),
            Some(SitemapFile::Articles(2))
        );
        for other in [
            "/sitemaps/articles-02.xml",
            "/sitemaps/articles-0.xml",
            "/sitemaps/x.xml",
            "/robots.TXT",
        ] {
            assert_eq!(SitemapFile::parse(other), None, "{other}");
        }
        assert_eq!(xml_text("a]]>&<\u{7}\"'"), "a]]&gt;&amp;&lt;&quot;&apos;");
    }
}
