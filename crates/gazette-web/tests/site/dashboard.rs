//! The dashboard through the real router: every member of staff sees it,
//! a stranger does not; charts are inline SVG that name themselves, beside
//! the table of their numbers, and the numbers are the stored counts.

use crate::admin::{add, get_as, sign_in};
use crate::support::*;
use axum::http::StatusCode;
use gazette_core::Role;
use gazette_store::{Counter, Increment};

#[tokio::test]
async fn the_dashboard_draws_its_numbers_as_named_charts_beside_their_tables() {
    let app = TestApp::new().await;
    add(&app, "reporter@example.org", Role::Author).await;
    let cookie = sign_in(&app, "reporter@example.org").await;
    assert_eq!(
        app.get("/admin/dashboard").await.status,
        StatusCode::SEE_OTHER
    );

    let desk = get_as(&app, &cookie, "/admin/dashboard").await;
    assert_eq!(desk.status, StatusCode::OK);
    let html = desk.html();
    let charts = select(&html, "figure.chart-figure svg.chart[role=img]");
    assert!(charts.len() >= 3, "{}", charts.len());
    for chart in &charts {
        let labelled = chart.value().attr("aria-labelledby").expect("named");
        let title_id = labelled.split(' ').next().expect("title id");
        assert_eq!(select(&html, &format!("svg title#{title_id}")).len(), 1);
        assert!(
            chart
                .children()
                .any(|c| c.value().as_element().is_some_and(|e| e.name() == "desc"))
        );
    }
    // Each chart sits in a figure with the table of its numbers: fourteen days.
    let per_day = select(&html, "figure.chart-figure:first-of-type table tbody tr");
    assert_eq!(per_day.len(), 14);

    // One article: its reads per day are the stored counts.
    let id = 1;
    let today = app.engine().config().zone.day_number(app.engine().now());
    let before: i64 = app
        .store
        .reads_by_day(id, today)
        .await
        .expect("reads")
        .iter()
        .map(|d| d.count)
        .sum();
    app.store
        .add_counts(&[Increment {
            article_id: id,
            counter: Counter::View,
            day: today,
            count: 41,
        }])
        .await
        .expect("counts");
    let page = get_as(&app, &cookie, &format!("/admin/dashboard/articles/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let rows = texts(&html, "figure.chart-figure table tbody tr");
    let label = format!("{:02}-{:02}", today / 100 % 100, today % 100);
    let last = rows
        .iter()
        .find(|r| r.starts_with(&label))
        .expect("today's row");
    assert!(last.ends_with(&(before + 41).to_string()), "{last}");
    assert_eq!(
        get_as(&app, &cookie, "/admin/dashboard/articles/999999")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
