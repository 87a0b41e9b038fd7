//! The proofreading term list: every member reads it; editors and above
//! add and remove terms (the newsroom service checks, and audits each change).

use super::account::context;
use super::guard::{Halt, TokenForm, Visit, engine_error, see_other};
use crate::AppState;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gazette_engine::staff::{Action, permissions};
use minijinja::{Value, context};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
pub struct Notice {
    done: Option<String>,
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Query(notice): Query<Notice>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    let done = match notice.done.as_deref() {
        Some("added") => Some("term_added"),
        Some("removed") => Some("term_removed"),
        _ => None,
    };
    page(&state, &visit, done, None, StatusCode::OK).await
}

async fn page(
    state: &AppState,
    visit: &Visit,
    notice: Option<&str>,
    problem: Option<&str>,
    status: StatusCode,
) -> Result<Response, Halt> {
    let session = visit.signed_in()?;
    let terms: Vec<Value> = state
        .engine
        .newsroom()
        .terms(&visit.actor())
        .await
        .map_err(engine_error)?
        .into_iter()
        .map(|t| context! { id => t.id, term => t.term, avoid => t.avoid, note => t.note })
        .collect();
    Ok(state.admin.page(
        status,
        "terms.html",
        context(
            state,
            visit,
            "terms",
            notice,
            problem,
            context! {
                terms,
                may_change => permissions::allowed(session.account.role, Action::ManageTerms),
            },
        ),
    ))
}

#[derive(Debug, Deserialize)]
pub struct AddForm {
    form_token: String,
    term: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    note: String,
}

pub async fn add(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Form(form): Form<AddForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    let added = state
        .engine
        .newsroom()
        .add_term(&visit.actor(), &form.term, form.kind == "avoid", &form.note)
        .await
        .map_err(engine_error)?;
    match added {
        Ok(()) => Ok(see_other("/admin/terms?done=added")),
        Err(key) => {
            page(
                &state,
                &visit,
                None,
                Some(key),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn remove(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<TokenForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    state
        .engine
        .newsroom()
        .delete_term(&visit.actor(), id)
        .await
        .map_err(engine_error)?;
    Ok(see_other("/admin/terms?done=removed"))
}
