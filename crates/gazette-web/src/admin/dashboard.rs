//! The dashboard's pages: the desk's (most read, output, review times) and
//! one article's (reads and moods over days). The numbers come from the
//! engine (`gazette_engine::dashboard`); each chart is drawn here
//! (`charts.rs`) and shown with the table of its numbers.

use super::account::context;
use super::charts;
use super::guard::{Halt, Visit, engine_error};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gazette_engine::dashboard::{self, Bar};
use minijinja::{Value, context};
use std::sync::Arc;

fn table(bars: &[Bar]) -> Vec<Value> {
    bars.iter()
        .map(|b| context! { label => &b.label, value => charts::number(b.value) })
        .collect()
}

/// What a chart's bars say, in words: the total, the highest and where.
fn summary(visit: &Visit, bars: &[Bar], unit_zh: &str, unit_en: &str) -> String {
    let total: f64 = bars.iter().map(|b| b.value).sum();
    let top = bars
        .iter()
        .max_by(|a, b| a.value.total_cmp(&b.value))
        .filter(|b| b.value > 0.0);
    match (visit.lang, top) {
        (gazette_core::Lang::Zh, Some(top)) => format!(
            "共 {}{unit_zh}；最多的是 {}：{}{unit_zh}。",
            charts::number(total),
            top.label,
            charts::number(top.value)
        ),
        (gazette_core::Lang::En, Some(top)) => format!(
            "{} {unit_en} in all; the most, {}, at {}.",
            charts::number(total),
            charts::number(top.value),
            top.label
        ),
        (gazette_core::Lang::Zh, None) => "没有数据。".into(),
        (gazette_core::Lang::En, None) => "Nothing yet.".into(),
    }
}

pub async fn desk(State(state): State<Arc<AppState>>, visit: Visit) -> Result<Response, Halt> {
    visit.signed_in()?;
    let report = state
        .engine
        .desk_report(&visit.actor())
        .await
        .map_err(engine_error)?;
    let word = |key: &str| state.admin.word(visit.lang.code(), key);
    let ranking = |items: &[(gazette_core::ArticleSummary, i64)]| -> Vec<Value> {
        items
            .iter()
            .map(|(a, reads)| context! { id => a.id, title => &a.title, reads })
            .collect()
    };
    let searches = state
        .engine
        .search_insights(20)
        .await
        .map_err(engine_error)?;
    let queries = |items: &[(String, i64)]| -> Vec<Value> {
        items
            .iter()
            .map(|(query, askers)| context! { query, askers })
            .collect()
    };
    let per_day_desc = summary(&visit, &report.published_per_day, "篇", "articles");
    let channel_desc = summary(&visit, &report.per_channel, "篇", "articles");
    let author_desc = summary(&visit, &report.per_author, "篇", "articles");
    let review_desc = summary(&visit, &report.review.median_per_day, "分钟", "minutes");
    let page = context! {
        most_read_today => ranking(&report.most_read_today),
        most_read_week => ranking(&report.most_read_week),
        per_day_chart => Value::from_safe_string(charts::columns(
            "per-day", &word("dash_per_day"), &per_day_desc, &report.published_per_day)),
        per_day => table(&report.published_per_day),
        per_channel_chart => Value::from_safe_string(charts::rows(
            "per-channel", &word("dash_per_channel"), &channel_desc, &report.per_channel)),
        per_channel => table(&report.per_channel),
        per_author_chart => Value::from_safe_string(charts::rows(
            "per-author", &word("dash_per_author"), &author_desc, &report.per_author)),
        per_author => table(&report.per_author),
        review => context! {
            count => report.review.count,
            median => charts::number(report.review.median_minutes),
            p90 => charts::number(report.review.p90_minutes),
            chart => Value::from_safe_string(charts::columns(
                "review", &word("dash_review_per_day"), &review_desc, &report.review.median_per_day)),
            per_day => table(&report.review.median_per_day),
            latest => report.review.latest.iter()
                .map(|(id, title, minutes)| context! { id, title, minutes => charts::number(*minutes) })
                .collect::<Vec<_>>(),
        },
        searches_today => queries(&searches.today),
        searches_week => queries(&searches.week),
        searches_unfound => queries(&searches.unfound),
        least_askers => gazette_engine::insights::LEAST_ASKERS,
        desk_days => dashboard::DESK_DAYS,
        week => dashboard::WEEK,
        review_days => dashboard::REVIEW_DAYS,
    };
    Ok(state.admin.page(
        StatusCode::OK,
        "dashboard.html",
        context(&state, &visit, "dashboard", None, None, page),
    ))
}

pub async fn article(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    let report = state
        .engine
        .article_report(&visit.actor(), id)
        .await
        .map_err(engine_error)?;
    let word = |key: &str| state.admin.word(visit.lang.code(), key);
    let reads_desc = summary(&visit, &report.reads_per_day, "次", "reads");
    let moods_desc = summary(&visit, &report.mood_totals, "票", "votes");
    let (days, moods) = &report.moods_per_day;
    let mood_rows: Vec<Value> = days
        .iter()
        .enumerate()
        .rev()
        .filter(|(i, _)| moods.iter().any(|(_, counts)| counts[*i] > 0))
        .map(|(i, day)| {
            context! { day, counts => moods.iter().map(|(_, c)| c[i]).collect::<Vec<_>>() }
        })
        .collect();
    let page = context! {
        id => report.id,
        title => report.title,
        total_reads => report.total_reads,
        reads_chart => Value::from_safe_string(charts::columns(
            "reads", &word("dash_reads_per_day"), &reads_desc, &report.reads_per_day)),
        reads => table(&report.reads_per_day),
        moods_chart => Value::from_safe_string(charts::rows(
            "moods", &word("dash_moods"), &moods_desc, &report.mood_totals)),
        mood_totals => table(&report.mood_totals),
        mood_names => moods.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>(),
        mood_rows,
        days => dashboard::ARTICLE_DAYS,
    };
    Ok(state.admin.page(
        StatusCode::OK,
        "dashboard_article.html",
        context(&state, &visit, "dashboard", None, None, page),
    ))
}
