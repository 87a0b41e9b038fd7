//! The channel tree's pages: the tree with its order (up and down), a new
//! channel, and each channel's page (rename, move, retire). Responsible
//! editors and admins (the engine checks, and audits each change).

use super::account::context;
use super::guard::{Halt, TokenForm, Visit, engine_error, refusal, see_other};
use crate::AppState;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gazette_core::{ChannelTree, Lang};
use gazette_engine::EngineError;
use gazette_engine::channels::path_of;
use minijinja::{Value, context};
use serde::Deserialize;
use std::sync::Arc;

/// The tree in display order, each channel with its depth.
pub(super) fn rows(tree: &ChannelTree, lang: Lang) -> Vec<Value> {
    fn walk(tree: &ChannelTree, lang: Lang, id: i64, depth: usize, out: &mut Vec<Value>) {
        if let Some(c) = tree.get(id) {
            out.push(context! {
                id, depth, name => c.name(lang), name_zh => &c.name_zh, name_en => &c.name_en,
                path => path_of(tree, id),
            });
            for child in tree.children(id) {
                walk(tree, lang, child.id, depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    for root in tree.roots() {
        walk(tree, lang, root.id, 0, &mut out);
    }
    out
}

#[derive(Debug, Deserialize)]
pub struct Notice {
    done: Option<String>,
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "added" => Some("channel_added"),
        "saved" => Some("saved"),
        "retired" => Some("channel_retired"),
        _ => None,
    }
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Query(query): Query<Notice>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    tree_page(
        &state,
        &visit,
        notice(query.done.as_deref()),
        None,
        StatusCode::OK,
    )
    .await
}

async fn tree_page(
    state: &AppState,
    visit: &Visit,
    notice: Option<&str>,
    refusal: Option<String>,
    status: StatusCode,
) -> Result<Response, Halt> {
    let tree = state
        .engine
        .managed_channels(&visit.actor())
        .await
        .map_err(engine_error)?;
    Ok(state.admin.page(
        status,
        "channels.html",
        context(
            state,
            visit,
            "channels",
            notice,
            None,
            context! { channels => rows(&tree, visit.lang), refusal },
        ),
    ))
}

#[derive(Debug, Deserialize)]
pub struct ChannelForm {
    form_token: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
}

fn parent(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

/// `POST /admin/channels`: a new channel.
pub async fn add(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Form(form): Form<ChannelForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    match state
        .engine
        .add_channel(
            &visit.actor(),
            parent(&form.parent),
            &form.slug,
            &form.name_zh,
            &form.name_en,
        )
        .await
    {
        Ok(_) => Ok(see_other("/admin/channels?done=added")),
        Err(error) => {
            let m = refusal(error)?;
            tree_page(
                &state,
                &visit,
                None,
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn channel(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Query(query): Query<Notice>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    channel_page(
        &state,
        &visit,
        id,
        notice(query.done.as_deref()),
        None,
        StatusCode::OK,
    )
    .await
}

async fn channel_page(
    state: &AppState,
    visit: &Visit,
    id: i64,
    notice: Option<&str>,
    refusal: Option<String>,
    status: StatusCode,
) -> Result<Response, Halt> {
    let actor = visit.actor();
    let tree = state
        .engine
        .managed_channels(&actor)
        .await
        .map_err(engine_error)?;
    let Some(channel) = tree.get(id) else {
        return Err(engine_error(EngineError::NotFound(format!(
            "no channel {id}"
        ))));
    };
    let articles = state
        .engine
        .channel_article_count(&actor, id)
        .await
        .map_err(engine_error)?;
    let all = rows(&tree, visit.lang);
    // Where it may move: anywhere but under itself.
    let below: Vec<i64> = {
        let mut ids = vec![id];
        let mut at = 0;
        while at < ids.len() {
            ids.extend(tree.children(ids[at]).map(|c| c.id));
            at += 1;
        }
        ids
    };
    let parents: Vec<Value> = all
        .iter()
        .filter(|r| {
            r.get_attr("id")
                .ok()
                .and_then(|v| i64::try_from(v).ok())
                .is_some_and(|i| !below.contains(&i))
        })
        .cloned()
        .collect();
    let others: Vec<Value> = all
        .iter()
        .filter(|r| r.get_attr("id").ok().and_then(|v| i64::try_from(v).ok()) != Some(id))
        .cloned()
        .collect();
    Ok(state.admin.page(
        status,
        "channel.html",
        context(
            state,
            visit,
            "channels",
            notice,
            None,
            context! {
                channel => context! {
                    id, slug => channel.slug.as_str(), name_zh => &channel.name_zh,
                    name_en => &channel.name_en, parent => channel.parent_id,
                    path => path_of(&tree, id),
                },
                parents,
                others,
                articles,
                has_children => tree.children(id).next().is_some(),
                refusal,
            },
        ),
    ))
}

/// `POST /admin/channels/{id}`: rename or move.
pub async fn change(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<ChannelForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    match state
        .engine
        .change_channel(
            &visit.actor(),
            id,
            parent(&form.parent),
            &form.slug,
            &form.name_zh,
            &form.name_en,
        )
        .await
    {
        Ok(()) => Ok(see_other(&format!("/admin/channels/{id}?done=saved"))),
        Err(error) => {
            let m = refusal(error)?;
            channel_page(
                &state,
                &visit,
                id,
                None,
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /admin/channels/{id}/up` and `/down`.
pub async fn up(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<TokenForm>,
) -> Result<Response, Halt> {
    reorder(state, visit, id, form, true).await
}

pub async fn down(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<TokenForm>,
) -> Result<Response, Halt> {
    reorder(state, visit, id, form, false).await
}

async fn reorder(
    state: Arc<AppState>,
    visit: Visit,
    id: i64,
    form: TokenForm,
    up: bool,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    state
        .engine
        .reorder_channel(&visit.actor(), id, up)
        .await
        .map_err(engine_error)?;
    Ok(see_other(&format!("/admin/channels#channel-{id}")))
}

#[derive(Debug, Deserialize)]
pub struct RetireForm {
    form_token: String,
    #[serde(default)]
    into: String,
}

/// `POST /admin/channels/{id}/retire`.
pub async fn retire(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<RetireForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    let into = form.into.trim().parse().unwrap_or(0);
    match state.engine.retire_channel(&visit.actor(), id, into).await {
        Ok(()) => Ok(see_other("/admin/channels?done=retired")),
        Err(error) => {
            let m = refusal(error)?;
            channel_page(
                &state,
                &visit,
                id,
                None,
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
