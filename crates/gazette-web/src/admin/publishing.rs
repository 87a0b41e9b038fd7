//! Publishing from an article's page: publish now or at a time (minor, or
//! with a correction), cancel a schedule, retract with a note, take down
//! now or at a time, and cut a passage from the public update log. The
//! newsroom service checks who may; every change that readers see clears
//! the page cache through `Engine::content_changed`.

use super::guard::{Halt, Visit, engine_error, see_other};
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use gazette_engine::newsroom::publishing::{PublishOptions, Published, is_public};
use minijinja::{Value, context};
use serde::Deserialize;
use std::sync::Arc;

fn bad_request(message: &str) -> Halt {
    WebError::BadRequest(message.to_owned())
        .into_response()
        .into()
}

/// The publish and withdraw forms: token, base, and what each needs.
#[derive(Debug, Deserialize)]
pub struct PublishForm {
    form_token: String,
    #[serde(default)]
    base: String,
    /// `on` when ticked.
    #[serde(default)]
    minor: String,
    #[serde(default)]
    correction: String,
    /// `2026-11-20T09:30` in the site's zone; empty for now.
    #[serde(default)]
    at: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    passage: String,
}

impl PublishForm {
    /// The time typed, if any; a time that does not parse is refused
    /// rather than read as "now".
    fn at(&self, state: &AppState) -> Result<Option<i64>, Halt> {
        let text = self.at.trim();
        if text.is_empty() {
            return Ok(None);
        }
        state
            .engine
            .config()
            .zone
            .local_minute(text)
            .map(Some)
            .ok_or_else(|| bad_request("the time should read like 2026-11-20T09:30"))
    }
}

fn done(id: i64, outcome: Published, now: &str) -> Response {
    match outcome {
        Published::Now => see_other(&format!("/admin/articles/{id}?done={now}")),
        Published::Scheduled(_) => see_other(&format!("/admin/articles/{id}?done=scheduled")),
    }
}

pub async fn publish(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<PublishForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    let options = PublishOptions {
        minor: form.minor == "on",
        correction: form.correction.clone(),
        at: form.at(&state)?,
    };
    let outcome = state
        .engine
        .newsroom()
        .publish(&visit.actor(), id, form.base.trim().parse().ok(), &options)
        .await
        .map_err(engine_error)?;
    if outcome == Published::Now {
        state.engine.content_changed().await.map_err(engine_error)?;
    }
    Ok(done(id, outcome, "published"))
}

pub async fn take_down(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<PublishForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    let at = form.at(&state)?;
    let outcome = state
        .engine
        .newsroom()
        .take_down(&visit.actor(), id, at)
        .await
        .map_err(engine_error)?;
    if outcome == Published::Now {
        state.engine.content_changed().await.map_err(engine_error)?;
    }
    Ok(done(id, outcome, "taken_down"))
}

pub async fn retract(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<PublishForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    state
        .engine
        .newsroom()
        .retract(&visit.actor(), id, &form.note)
        .await
        .map_err(engine_error)?;
    state.engine.content_changed().await.map_err(engine_error)?;
    Ok(see_other(&format!("/admin/articles/{id}?done=retracted")))
}

pub async fn cancel_schedule(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<PublishForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    state
        .engine
        .newsroom()
        .cancel_schedule(&visit.actor(), id)
        .await
        .map_err(engine_error)?;
    Ok(see_other(&format!("/admin/articles/{id}?done=cancelled")))
}

pub async fn redact(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path((id, update)): Path<(i64, i64)>,
    Form(form): Form<PublishForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    state
        .engine
        .newsroom()
        .redact(&visit.actor(), id, update, &form.passage)
        .await
        .map_err(engine_error)?;
    state.engine.content_changed().await.map_err(engine_error)?;
    Ok(see_other(&format!("/admin/articles/{id}?done=redacted")))
}

/// The publishing section of the article page: scheduled jobs and the
/// update log, and what the member may do.
pub(super) async fn section(state: &AppState, visit: &Visit, id: i64) -> Result<Value, Halt> {
    let lang = visit.lang.code();
    let actor = visit.actor();
    let newsroom = state.engine.newsroom();
    let zone = &state.engine.config().zone;
    let role = visit.signed_in()?.account.role;
    let jobs: Vec<Value> = newsroom
        .jobs(&actor, id)
        .await
        .map_err(engine_error)?
        .iter()
        .map(|j| {
            context! {
                what => state.admin.word(lang, &format!("job_{}", j.action.as_str())),
                at => zone.minute(j.due_at),
            }
        })
        .collect();
    let updates: Vec<Value> = newsroom
        .updates(&actor, id)
        .await
        .map_err(engine_error)?
        .iter()
        .rev()
        .map(|u| {
            context! {
                id => u.id,
                at => zone.minute(u.at),
                public => is_public(u),
                minor => u.minor,
                correction => u.correction.clone(),
                redactions => u.redactions,
            }
        })
        .collect();
    use gazette_engine::staff::{Action, permissions};
    Ok(context! {
        jobs,
        updates,
        may_withdraw => permissions::allowed(role, Action::Withdraw),
        may_redact => permissions::allowed(role, Action::Redact),
        may_cancel => permissions::allowed(role, Action::Publish),
        now_input => zone.input_minute(state.engine.now()),
    })
}
