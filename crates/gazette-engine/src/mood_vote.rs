//! The mood-vote use case: check the mood and the article, recognise a
//! repeat voter without keeping who they are (see `tally.rs`), record the
//! vote durably, and answer with fresh counts.

use crate::counts::CountsView;
use crate::tally::{NetworkCap, Reader, Visitor};
use crate::{CachedBody, Engine, EngineError, pages};
use gazette_core::{Article, ArticleStatus, ChannelTree, Permalink};
use gazette_render::view::{Link, MoodCount, VotedPage};
use gazette_store::StoreError;
use std::sync::Arc;

/// A vote as the web layer hands it over.
#[derive(Debug, Clone)]
pub struct VoteRequest {
    pub article_id: i64,
    pub mood: String,
    pub visitor: Visitor,
}

/// What became of a vote.
#[derive(Debug, Clone)]
pub struct VoteOutcome {
    pub counted: bool,
    /// A token for the browser to keep, when it had none.
    pub new_token: Option<String>,
    /// Fresh counts per mood key, in the site's mood order.
    pub counts: Vec<(String, i64)>,
}

impl VoteOutcome {
    /// The outcome as the JSON the page's script reads.
    pub fn to_json(&self, article_id: i64) -> Vec<u8> {
        counts_json(article_id, &self.counts, Some(self.counted))
    }
}

/// `{"article": 1, "moods": {"happy": 3, ...}}`, plus `"counted"` after a vote.
pub(crate) fn counts_json(
    article_id: i64,
    counts: &[(String, i64)],
    counted: Option<bool>,
) -> Vec<u8> {
    let moods: serde_json::Map<String, serde_json::Value> = counts
        .iter()
        .map(|(key, n)| (key.clone(), (*n).into()))
        .collect();
    let mut body = serde_json::json!({ "article": article_id, "moods": moods });
    if let Some(counted) = counted {
        body["counted"] = counted.into();
    }
    body.to_string().into_bytes()
}

impl Engine {
    /// The article if readers may see it now.
    pub(crate) async fn visible_article(&self, id: i64) -> Result<Option<Article>, EngineError> {
        match self.store.article(id).await {
            Ok(article)
                if article.status == ArticleStatus::Published
                    && article.summary.published_at <= self.now() =>
            {
                Ok(Some(article))
            }
            Ok(_) | Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether readers may see an article now (remembered; see `visibility.rs`).
    pub(crate) async fn is_visible(&self, id: i64) -> Result<bool, EngineError> {
        Ok(self
            .visibility
            .is_visible(self.store.as_ref(), id, self.now())
            .await?)
    }

    /// Fresh all-time counts of an article, one per configured mood, in order.
    pub(crate) async fn mood_counts_of(&self, id: i64) -> Result<Vec<(String, i64)>, EngineError> {
        let totals = self.store.mood_totals(id).await?;
        Ok(self.in_mood_order(&totals))
    }

    /// Totals per mood key as one count per configured mood, in order.
    fn in_mood_order(&self, totals: &[(String, i64)]) -> Vec<(String, i64)> {
        self.config
            .moods
            .iter()
            .map(|m| {
                (
                    m.key.clone(),
                    totals
                        .iter()
                        .find(|(k, _)| k == &m.key)
                        .map_or(0, |(_, n)| *n),
                )
            })
            .collect()
    }

    /// Records a reader's vote. Unknown moods are a 400 and unpublished
    /// articles a 404, with nothing written.
    pub async fn vote(&self, request: VoteRequest) -> Result<VoteOutcome, EngineError> {
        if self.config.moods.get(&request.mood).is_none() {
            let known: Vec<&str> = self.config.moods.iter().map(|m| m.key.as_str()).collect();
            return Err(EngineError::BadRequest(format!(
                "unknown mood {:?}; this site's moods are {}",
                request.mood,
                known.join(", ")
            )));
        }
        if !self.is_visible(request.article_id).await? {
            return Err(EngineError::NotFound(format!(
                "no published article {}",
                request.article_id
            )));
        }
        // No valid token: the network decides this time, within its daily
        // quota on this article; a new token is made and remembered as
        // having voted too, and handed out if the vote counted (so a script
        // gets no more tokens than the quota lets it vote).
        let tokens = self.tokens().await?;
        let voter = request.visitor.reader(tokens);
        let (new_token, cap) = match voter {
            Reader::Token(_) => (None, None),
            Reader::Network { .. } => (
                Some(tokens.issue()?),
                Some(NetworkCap {
                    prefix: &request.visitor.network_prefix,
                    per_day: self.config.tokenless_votes_per_day,
                }),
            ),
        };
        let also = new_token.clone().map(Reader::Token);
        let recorded = self
            .tallies
            .record_with_totals(
                request.article_id,
                gazette_store::Counter::Mood(request.mood.clone()),
                &voter,
                also.as_ref(),
                cap,
                self.now(),
            )
            .await?;
        let counts = match &recorded.mood_totals {
            Some(totals) => self.in_mood_order(totals),
            None => self.mood_counts_of(request.article_id).await?,
        };
        Ok(VoteOutcome {
            counted: recorded.counted,
            new_token: new_token.filter(|_| recorded.counted),
            counts,
        })
    }

    /// The page a vote without JavaScript lands on: fresh counts, a word on
    /// whether the vote counted, and the way back. Kept per article, mood
    /// and outcome until a vote for the article commits; `no-store` for
    /// browsers.
    pub async fn vote_result_page(
        &self,
        id: i64,
        mood: &str,
        counted: bool,
    ) -> Result<Arc<CachedBody>, EngineError> {
        let view = CountsView::Voted {
            mood: self.config.moods.iter().position(|m| m.key == mood),
            counted,
        };
        if let Some(body) = self.counts.get(id, view) {
            return Ok(body);
        }
        let epoch = self.counts.epoch(id);
        let body = self
            .cold(self.build_vote_result_page(id, mood, counted))
            .await?;
        self.counts.keep(id, view, epoch, body.clone());
        Ok(body)
    }

    async fn build_vote_result_page(
        &self,
        id: i64,
        mood: &str,
        counted: bool,
    ) -> Result<Arc<CachedBody>, EngineError> {
        // Made-up ids are answered from the remembered visibility, without
        // loading an article.
        if !self.is_visible(id).await? {
            return Err(EngineError::NotFound(format!("no published article {id}")));
        }
        let article = self
            .visible_article(id)
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("no published article {id}")))?;
        let lang = article.summary.lang;
        let tree = ChannelTree::new(self.store.channels().await?);
        let ctx = crate::views::Ctx::new(self, lang, &tree);
        let url = Permalink::article(&tree, &article.summary);
        let counts = self.mood_counts_of(id).await?;
        let moods = self
            .config
            .moods
            .iter()
            .zip(&counts)
            .map(|(m, (_, count))| MoodCount {
                key: m.key.clone(),
                icon: m.icon.clone(),
                label: pages::mood_label(m, lang),
                count: *count,
            })
            .collect();
        let mut meta = ctx.meta(
            ctx.title(&article.summary.title),
            article.summary.summary.clone(),
            &url,
            None,
        );
        meta.alternates.clear();
        let view = VotedPage {
            site: ctx.site(Some(article.summary.channel_id), None),
            meta,
            article: Link {
                label: article.summary.title.clone(),
                url,
            },
            chosen: self
                .config
                .moods
                .get(mood)
                .map(|m| pages::mood_label(m, lang)),
            counted,
            moods,
        };
        let html = self.theme.render("voted.html", &view)?;
        Ok(CachedBody::build(
            200,
            "text/html; charset=utf-8",
            "no-store",
            html.into_bytes(),
        )
        .await)
    }
}
