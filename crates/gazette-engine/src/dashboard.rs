//! The newsroom's dashboard: how stories are read, what the desk publishes,
//! and how long review takes. Aggregates only: per-day counts of reads and
//! mood votes (kept as counts, never per reader), publications and review
//! steps. Every member of staff may see it.

use crate::staff::Actor;
use crate::{Engine, EngineError};
use gazette_core::{ArticleSummary, ChannelTree, Lang};
use gazette_store::Counter;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Days on the desk's per-day chart, and on an article's.
pub const DESK_DAYS: i64 = 14;
pub const ARTICLE_DAYS: i64 = 30;
/// Days the per-channel and per-author counts and the review times cover.
pub const WEEK: i64 = 7;
pub const REVIEW_DAYS: i64 = 30;

/// One bar of a chart: its label and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

/// The desk's page.
#[derive(Debug, Clone)]
pub struct DeskReport {
    pub most_read_today: Vec<(ArticleSummary, i64)>,
    pub most_read_week: Vec<(ArticleSummary, i64)>,
    /// Articles first published each day, the last [`DESK_DAYS`] days.
    pub published_per_day: Vec<Bar>,
    /// The last [`WEEK`] days, most first.
    pub per_channel: Vec<Bar>,
    pub per_author: Vec<Bar>,
    pub review: ReviewTimes,
}

/// Time from submission to sign-off over the last [`REVIEW_DAYS`] days.
#[derive(Debug, Clone, Default)]
pub struct ReviewTimes {
    pub count: usize,
    pub median_minutes: f64,
    pub p90_minutes: f64,
    /// Each day's median, in minutes (days without a sign-off left out).
    pub median_per_day: Vec<Bar>,
    /// The latest sign-offs: article, title, minutes.
    pub latest: Vec<(i64, String, f64)>,
}

/// One article's page.
#[derive(Debug, Clone)]
pub struct ArticleReport {
    pub id: i64,
    pub title: String,
    pub total_reads: i64,
    /// The last [`ARTICLE_DAYS`] days, every day (zero when none).
    pub reads_per_day: Vec<Bar>,
    /// Each mood's votes over the same days.
    pub mood_totals: Vec<Bar>,
    /// Day labels, then per mood its votes on each of those days.
    pub moods_per_day: (Vec<String>, Vec<(String, Vec<i64>)>),
}

fn may_see(actor: &Actor<'_>) -> Result<(), EngineError> {
    if actor.account.is_some() || actor.is_command_line() {
        Ok(())
    } else {
        Err(EngineError::Forbidden(
            "sign in to see the dashboard".into(),
        ))
    }
}

/// Whether `actor` may see others' unpublished articles.
pub(crate) fn may_see_others(actor: &Actor<'_>) -> bool {
    match actor.account {
        Some(account) => crate::staff::permissions::allowed(
            account.role,
            crate::staff::Action::EditOthersArticles,
        ),
        None => actor.is_command_line(),
    }
}

/// `20261128` as `11-28`.
fn day_label(day: i64) -> String {
    format!("{:02}-{:02}", day / 100 % 100, day % 100)
}

fn median_and_p90(values: &mut [f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.9))
}

/// Most first, then by name; at most `limit`.
fn ranked(counts: HashMap<String, i64>, limit: usize) -> Vec<Bar> {
    let mut bars: Vec<(String, i64)> = counts.into_iter().collect();
    bars.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    bars.into_iter()
        .take(limit)
        .map(|(label, value)| Bar {
            label,
            value: value as f64,
        })
        .collect()
}

impl Engine {
    /// The last `days` days in the site's zone, oldest first (`YYYYMMDD`).
    fn last_days(&self, days: i64) -> Vec<i64> {
        let now = self.now();
        let mut out: Vec<i64> = (0..days)
            .rev()
            .map(|k| self.config.zone.day_number_before(now, k))
            .collect();
        out.dedup();
        out
    }

    /// Both languages' most read over the last `days_back + 1` days.
    async fn most_read(
        &self,
        days_back: i64,
        limit: i64,
    ) -> Result<Vec<(ArticleSummary, i64)>, EngineError> {
        let now = self.now();
        let first = self.config.zone.day_number_before(now, days_back);
        let last = self.config.zone.day_number(now);
        let mut all = Vec::new();
        for lang in [Lang::Zh, Lang::En] {
            all.extend(
                self.store
                    .ranking(&Counter::View, lang, first, last, now, limit)
                    .await?,
            );
        }
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        all.truncate(usize::try_from(limit).unwrap_or(10));
        Ok(all)
    }

    /// The desk's dashboard.
    pub async fn desk_report(&self, actor: &Actor<'_>) -> Result<DeskReport, EngineError> {
        may_see(actor)?;
        let now = self.now();
        let zone = &self.config.zone;
        let tree = ChannelTree::new(self.store.channels().await?);
        let days = self.last_days(DESK_DAYS);
        let since = now - DESK_DAYS * 86_400;
        let rows = self.store.published_between(since, now + 1).await?;
        let mut per_day: BTreeMap<i64, HashSet<i64>> =
            days.iter().map(|d| (*d, HashSet::new())).collect();
        let mut per_channel: HashMap<String, HashSet<i64>> = HashMap::new();
        let mut per_author: HashMap<String, HashSet<i64>> = HashMap::new();
        for row in &rows {
            if let Some(articles) = per_day.get_mut(&zone.day_number(row.published_at)) {
                articles.insert(row.article_id);
            }
            if row.published_at < now - WEEK * 86_400 {
                continue;
            }
            let channel = tree.get(row.channel_id).map_or_else(
                || row.channel_id.to_string(),
                |c| c.name(Lang::Zh).to_owned(),
            );
            per_channel
                .entry(channel)
                .or_default()
                .insert(row.article_id);
            if let Some(author) = &row.author {
                per_author
                    .entry(author.clone())
                    .or_default()
                    .insert(row.article_id);
            }
        }
        let count = |m: HashMap<String, HashSet<i64>>| {
            m.into_iter()
                .map(|(k, v)| (k, v.len() as i64))
                .collect::<HashMap<_, _>>()
        };
        let review = self.review_times(now).await?;
        Ok(DeskReport {
            most_read_today: self.most_read(0, 10).await?,
            most_read_week: self.most_read(6, 10).await?,
            published_per_day: per_day
                .into_iter()
                .map(|(day, articles)| Bar {
                    label: day_label(day),
                    value: articles.len() as f64,
                })
                .collect(),
            per_channel: ranked(count(per_channel), 12),
            per_author: ranked(count(per_author), 12),
            review,
        })
    }

    async fn review_times(&self, now: i64) -> Result<ReviewTimes, EngineError> {
        let zone = &self.config.zone;
        let times = self
            .store
            .signoff_times(now - REVIEW_DAYS * 86_400, now + 1)
            .await?;
        let minutes = |t: &gazette_store::dashboard::SignoffTime| {
            (t.signed_off_at - t.submitted_at).max(0) as f64 / 60.0
        };
        let mut all: Vec<f64> = times.iter().map(minutes).collect();
        let (median, p90) = median_and_p90(&mut all);
        let mut by_day: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
        for t in &times {
            by_day
                .entry(zone.day_number(t.signed_off_at))
                .or_default()
                .push(minutes(t));
        }
        Ok(ReviewTimes {
            count: times.len(),
            median_minutes: median,
            p90_minutes: p90,
            median_per_day: by_day
                .into_iter()
                .map(|(day, mut values)| Bar {
                    label: day_label(day),
                    value: median_and_p90(&mut values).0,
                })
                .collect(),
            latest: times
                .iter()
                .rev()
                .take(10)
                .map(|t| (t.article_id, t.title.clone(), minutes(t)))
                .collect(),
        })
    }

    /// One article's reads and moods over the last [`ARTICLE_DAYS`] days.
    pub async fn article_report(
        &self,
        actor: &Actor<'_>,
        id: i64,
    ) -> Result<ArticleReport, EngineError> {
        may_see(actor)?;
        let article = match self.store.article(id).await {
            Ok(article) => article,
            Err(gazette_store::StoreError::NotFound) => {
                return Err(EngineError::NotFound(format!("no article {id}")));
            }
            Err(e) => return Err(e.into()),
        };
        // Readers' figures are for what readers can see; a draft's title
        // is only for those who may open others' articles.
        if article.status != gazette_core::ArticleStatus::Published && !may_see_others(actor) {
            return Err(EngineError::NotFound(format!("no published article {id}")));
        }
        let days = self.last_days(ARTICLE_DAYS);
        let first = days.first().copied().unwrap_or(0);
        let reads: HashMap<i64, i64> = self
            .store
            .reads_by_day(id, first)
            .await?
            .into_iter()
            .map(|d| (d.day, d.count))
            .collect();
        let moods = self.store.moods_by_day(id, first).await?;
        let mut per_mood: Vec<(String, Vec<i64>)> = Vec::new();
        let mut totals = Vec::new();
        for mood in self.config.moods.iter() {
            let counts: Vec<i64> = days
                .iter()
                .map(|day| {
                    moods
                        .iter()
                        .filter(|m| m.mood == mood.key && m.day == *day)
                        .map(|m| m.count)
                        .sum()
                })
                .collect();
            totals.push(Bar {
                label: mood.label_zh.clone(),
                value: counts.iter().sum::<i64>() as f64,
            });
            per_mood.push((mood.label_zh.clone(), counts));
        }
        Ok(ArticleReport {
            id,
            title: article.summary.title.clone(),
            total_reads: self.store.view_total(id).await?,
            reads_per_day: days
                .iter()
                .map(|day| Bar {
                    label: day_label(*day),
                    value: reads.get(day).copied().unwrap_or(0) as f64,
                })
                .collect(),
            mood_totals: totals,
            moods_per_day: (days.iter().map(|d| day_label(*d)).collect(), per_mood),
        })
    }
}
