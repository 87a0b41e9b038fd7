//! Read counts. The article page's script sends a beacon once the page is
//! shown; the page itself stays a pure cache hit (and statically exported
//! copies count too). A read is counted once per reader, article and day,
//! with the same keyed-hash de-duplication as votes (`tally.rs`); crawlers,
//! known by their user agent, are not counted.

use crate::tally::Visitor;
use crate::{Engine, EngineError};
use gazette_store::Counter;

/// What became of a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOutcome {
    Counted,
    /// This reader already read the article today.
    Repeat,
    /// A crawler or a client that sent no user agent: not a reader.
    NotCounted,
}

/// Tells crawlers from readers by user agent.
pub(crate) struct CrawlerFilter(isbot::Bots);

impl CrawlerFilter {
    pub(crate) fn new() -> Self {
        CrawlerFilter(isbot::Bots::default())
    }

    pub(crate) fn is_crawler(&self, user_agent: &str) -> bool {
        user_agent.trim().is_empty() || self.0.is_bot(user_agent)
    }
}

impl Engine {
    /// Counts one read of a published article; 404 for anything else (a
    /// crawler's request is answered as not counted, whatever it names).
    /// Returns once the count is durable.
    pub async fn record_read(
        &self,
        article_id: i64,
        visitor: &Visitor,
    ) -> Result<ReadOutcome, EngineError> {
        // Crawlers first: telling them apart costs no store read.
        if self.crawlers.is_crawler(&visitor.user_agent) {
            return Ok(ReadOutcome::NotCounted);
        }
        if !self.is_visible(article_id).await? {
            return Err(EngineError::NotFound(format!(
                "no published article {article_id}"
            )));
        }
        let counted = self
            .tallies
            .record(
                article_id,
                Counter::View,
                &visitor.reader(self.tokens().await?),
                None,
                self.now(),
            )
            .await?;
        Ok(if counted {
            ReadOutcome::Counted
        } else {
            ReadOutcome::Repeat
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawlers_are_told_from_browsers() {
        let filter = CrawlerFilter::new();
        for crawler in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
            "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "curl/8.5.0",
            "python-requests/2.31.0",
            "",
            "   ",
        ] {
            assert!(filter.is_crawler(crawler), "{crawler:?}");
        }
        for browser in [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40",
            "Mozilla/5.0 (Linux; Android 13; V2203A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        ] {
            assert!(!filter.is_crawler(browser), "{browser}");
        }
    }
}
