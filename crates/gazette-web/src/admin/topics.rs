//! The special topics' pages: the list with a form for a new topic, and
//! each topic's form (titles, introduction, banner, sections of
//! hand-picked articles). Editors and above; the engine checks and audits.

use super::account::context;
use super::forms::{group_field, read_grouped};
use super::guard::{Halt, Visit, engine_error, refusal, see_other};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gazette_core::Lang;
use gazette_engine::topics::TopicForm;
use minijinja::{Value, context};
use serde::Deserialize;
use std::sync::Arc;

/// Blank section rows offered below a topic's sections.
const BLANK_SECTIONS: usize = 2;

#[derive(Debug, Deserialize)]
pub struct Notice {
    done: Option<String>,
}

async fn channels(state: &AppState, visit: &Visit) -> Result<Vec<Value>, Halt> {
    let channels = state
        .engine
        .store()
        .channels()
        .await
        .map_err(|e| engine_error(e.into()))?;
    Ok(super::channels::rows(
        &gazette_core::ChannelTree::new(channels),
        visit.lang,
    ))
}

fn form_view(form: &TopicForm) -> Value {
    let mut sections: Vec<Value> = form
        .sections
        .iter()
        .map(|(zh, en, articles)| context! { title_zh => zh, title_en => en, articles })
        .collect();
    for _ in 0..BLANK_SECTIONS {
        sections.push(context! { title_zh => "", title_en => "", articles => "" });
    }
    context! {
        slug => &form.slug, channel_id => &form.channel_id, title_zh => &form.title_zh,
        title_en => &form.title_en, description_zh => &form.description_zh,
        description_en => &form.description_en, cover_media_id => &form.cover_media_id,
        sections,
    }
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Query(query): Query<Notice>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    let notice = (query.done.as_deref() == Some("saved")).then_some("saved");
    list_page(
        &state,
        &visit,
        &TopicForm::default(),
        notice,
        None,
        StatusCode::OK,
    )
    .await
}

async fn list_page(
    state: &AppState,
    visit: &Visit,
    form: &TopicForm,
    notice: Option<&str>,
    refusal: Option<String>,
    status: StatusCode,
) -> Result<Response, Halt> {
    let topics: Vec<Value> = state
        .engine
        .managed_topics(&visit.actor())
        .await
        .map_err(engine_error)?
        .iter()
        .map(|t| context! { id => t.id, slug => t.slug.as_str(), title => t.title(visit.lang) })
        .collect();
    Ok(state.admin.page(
        status,
        "topics.html",
        context(
            state,
            visit,
            "topics",
            notice,
            None,
            context! {
                topics, refusal, form => form_view(form),
                channels => channels(state, visit).await?,
            },
        ),
    ))
}

pub async fn topic(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Query(query): Query<Notice>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    let (topic, sections) = state
        .engine
        .managed_topic(&visit.actor(), id)
        .await
        .map_err(engine_error)?;
    let form = TopicForm {
        slug: topic.slug.as_str().to_owned(),
        channel_id: topic.channel_id.to_string(),
        title_zh: topic.title_zh.clone(),
        title_en: topic.title_en.clone(),
        description_zh: topic.description_zh.clone(),
        description_en: topic.description_en.clone(),
        cover_media_id: topic
            .cover
            .as_ref()
            .map(|c| c.media_id.to_string())
            .unwrap_or_default(),
        sections: sections
            .iter()
            .map(|s| {
                let ids = s
                    .article_ids
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                (s.title_zh.clone(), s.title_en.clone(), ids)
            })
            .collect(),
    };
    let notice = (query.done.as_deref() == Some("saved")).then_some("saved");
    topic_page(&state, &visit, id, &form, notice, None, StatusCode::OK).await
}

async fn topic_page(
    state: &AppState,
    visit: &Visit,
    id: i64,
    form: &TopicForm,
    notice: Option<&str>,
    refusal: Option<String>,
    status: StatusCode,
) -> Result<Response, Halt> {
    let lang = if visit.lang == Lang::En { "en/" } else { "" };
    Ok(state.admin.page(
        status,
        "topic.html",
        context(
            state,
            visit,
            "topics",
            notice,
            None,
            context! {
                id, refusal, form => form_view(form),
                public_url => format!("/{lang}topic/{}/", form.slug),
                channels => channels(state, visit).await?,
            },
        ),
    ))
}

/// The topic form: plain fields, and `section_N_title_zh`, `_title_en`,
/// `_articles` in the order they stand.
fn read_form(body: &[u8]) -> Result<(String, TopicForm), Halt> {
    let form = read_grouped(body, "section")?;
    let topic = TopicForm {
        slug: form.field("slug"),
        channel_id: form.field("channel_id"),
        title_zh: form.field("title_zh"),
        title_en: form.field("title_en"),
        description_zh: form.field("description_zh"),
        description_en: form.field("description_en"),
        cover_media_id: form.field("cover_media_id"),
        sections: form
            .groups
            .iter()
            .map(|g| {
                (
                    group_field(g, "title_zh"),
                    group_field(g, "title_en"),
                    group_field(g, "articles"),
                )
            })
            .collect(),
    };
    Ok((form.field("form_token"), topic))
}

/// `POST /admin/topics`: a new topic.
pub async fn create(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    body: Bytes,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    visit.check_origin(&state)?;
    let (token, form) = read_form(&body)?;
    visit.check_form(&state, &token)?;
    match state.engine.save_topic(&visit.actor(), None, &form).await {
        Ok(id) => Ok(see_other(&format!("/admin/topics/{id}?done=saved"))),
        Err(error) => {
            let m = refusal(error)?;
            list_page(
                &state,
                &visit,
                &form,
                None,
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /admin/topics/{id}`.
pub async fn save(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    visit.check_origin(&state)?;
    let (token, mut form) = read_form(&body)?;
    visit.check_form(&state, &token)?;
    match state
        .engine
        .save_topic(&visit.actor(), Some(id), &form)
        .await
    {
        Ok(id) => Ok(see_other(&format!("/admin/topics/{id}?done=saved"))),
        Err(error) => {
            let m = refusal(error)?;
            // The address shown stays the topic's own.
            if let Ok((topic, _)) = state.engine.managed_topic(&visit.actor(), id).await {
                form.slug = topic.slug.as_str().to_owned();
            }
            topic_page(
                &state,
                &visit,
                id,
                &form,
                None,
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
