//! The curation pages: the recommendation slots and each slot's editor.
//! The editor is one form that carries the whole list (so it works without
//! a script): its buttons search for articles, add one, move an entry up
//! or down, remove one, preview the front page with the unsaved list, or
//! save it. With the page's script, entries are also dragged into place,
//! and moving and removing happen without a round trip; the form sends the
//! entries in the order they stand, and that order is the slot's.

use super::account::context;
use super::forms::{group_field, read_grouped};
use super::guard::{Halt, Visit, engine_error, see_other};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gazette_core::Lang;
use gazette_engine::EngineError;
use gazette_engine::curation::{PickerHit, SlotEntry, SlotEntryInput};
use minijinja::{Value, context};
use serde::Deserialize;
use std::sync::Arc;

pub async fn list(State(state): State<Arc<AppState>>, visit: Visit) -> Result<Response, Halt> {
    visit.signed_in()?;
    let slots = state
        .engine
        .curated_slots(&visit.actor())
        .await
        .map_err(engine_error)?;
    let now = state.engine.now();
    let slots: Vec<Value> = slots
        .iter()
        .map(|(slot, entries)| {
            let live = entries
                .iter()
                .filter(|e| {
                    e.starts_at.is_none_or(|t| t <= now) && e.expires_at.is_none_or(|t| t > now)
                })
                .count();
            context! {
                key => slot.key.as_str(),
                name => match visit.lang { Lang::Zh => &slot.name_zh, Lang::En => &slot.name_en },
                size => slot.size_limit,
                entries => entries.len(),
                live,
            }
        })
        .collect();
    Ok(state.admin.page(
        StatusCode::OK,
        "slots.html",
        context(&state, &visit, "slots", None, None, context! { slots }),
    ))
}

#[derive(Debug, Deserialize)]
pub struct Notice {
    done: Option<String>,
}

pub async fn editor(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(key): Path<String>,
    Query(notice): Query<Notice>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    let (_, entries) = state
        .engine
        .curated_slot(&visit.actor(), &key)
        .await
        .map_err(engine_error)?;
    let notice = (notice.done.as_deref() == Some("saved")).then_some("slot_saved");
    editor_page(
        &state,
        &visit,
        &key,
        &entries,
        "",
        &[],
        notice,
        None,
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn editor_page(
    state: &AppState,
    visit: &Visit,
    key: &str,
    entries: &[SlotEntry],
    query: &str,
    hits: &[PickerHit],
    notice: Option<&str>,
    problem: Option<String>,
    status: StatusCode,
) -> Result<Response, Halt> {
    let (slot, _) = state
        .engine
        .curated_slot(&visit.actor(), key)
        .await
        .map_err(engine_error)?;
    let zone = &state.engine.config().zone;
    let now = state.engine.now();
    let entries: Vec<Value> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let live = e.status == gazette_core::ArticleStatus::Published
                && e.starts_at.is_none_or(|t| t <= now)
                && e.expires_at.is_none_or(|t| t > now);
            context! {
                index => i,
                id => e.article_id,
                title => &e.title,
                lang => &e.lang,
                published => zone.minute(e.published_at),
                starts => e.starts_at.map(|t| zone.input_minute(t)).unwrap_or_default(),
                expires => e.expires_at.map(|t| zone.input_minute(t)).unwrap_or_default(),
                live,
            }
        })
        .collect();
    let shown: Vec<i64> = entries
        .iter()
        .filter_map(|e| e.get_attr("id").ok().and_then(|v| i64::try_from(v).ok()))
        .collect();
    let hits: Vec<Value> = hits
        .iter()
        .map(|h| {
            context! {
                id => h.article_id,
                title => &h.title,
                lang => &h.lang,
                published => zone.minute(h.published_at),
                added => shown.contains(&h.article_id),
            }
        })
        .collect();
    Ok(state.admin.page(
        status,
        "slot.html",
        context(
            state,
            visit,
            "slots",
            notice,
            None,
            context! {
                slot => context! {
                    key => slot.key.as_str(),
                    name => match visit.lang { Lang::Zh => &slot.name_zh, Lang::En => &slot.name_en },
                    size => slot.size_limit,
                },
                entries,
                query,
                hits,
                searched => !query.is_empty(),
                refusal => problem,
                max_entries => gazette_engine::curation::MAX_ENTRIES,
            },
        ),
    ))
}

/// The editor's form: the token, the button pressed, the search words, and
/// the entries in the order they stand (`entry_N_id`, `_starts`,
/// `_expires`; N only groups one entry's fields).
struct EditorForm {
    token: String,
    action: String,
    query: String,
    entries: Vec<(i64, String, String)>,
}

fn read_form(body: &[u8]) -> Result<EditorForm, Halt> {
    let form = read_grouped(body, "entry")?;
    Ok(EditorForm {
        token: form.field("form_token"),
        action: form.field("action"),
        query: form.field("q"),
        entries: form
            .groups
            .iter()
            .map(|g| {
                let id = group_field(g, "id").trim().parse().unwrap_or(0);
                (id, group_field(g, "starts"), group_field(g, "expires"))
            })
            .filter(|(id, _, _)| *id > 0)
            .collect(),
    })
}

/// `POST /admin/slots/{key}`.
pub async fn edit(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(key): Path<String>,
    body: Bytes,
) -> Result<Response, Halt> {
    // Who and from where, before any work on the body.
    visit.signed_in()?;
    visit.check_origin(&state)?;
    let form = read_form(&body)?;
    visit.check_form(&state, &form.token)?;
    let zone = &state.engine.config().zone;
    let mut problem = None;
    let mut inputs = Vec::new();
    for (id, starts, expires) in &form.entries {
        let time = |text: &str, label: &str, problem: &mut Option<String>| {
            if text.trim().is_empty() {
                return None;
            }
            let parsed = zone.local_minute(text);
            if parsed.is_none() {
                *problem = Some(format!(
                    "article {id}: the {label} time {text:?} is not a date and time"
                ));
            }
            parsed
        };
        inputs.push(SlotEntryInput {
            article_id: *id,
            starts_at: time(starts, "start", &mut problem),
            expires_at: time(expires, "expiry", &mut problem),
        });
    }
    let actor = visit.actor();
    let engine = &state.engine;
    let (verb, argument) = form
        .action
        .split_once(':')
        .unwrap_or((form.action.as_str(), ""));
    let index: Option<usize> = argument.parse().ok().filter(|i| *i < inputs.len());
    match (verb, index) {
        ("up", Some(i)) if i > 0 => inputs.swap(i, i - 1),
        ("down", Some(i)) if i + 1 < inputs.len() => inputs.swap(i, i + 1),
        ("remove", Some(i)) => {
            inputs.remove(i);
        }
        ("add", _) => {
            if let Ok(id) = argument.parse::<i64>()
                && !inputs.iter().any(|e| e.article_id == id)
            {
                inputs.push(SlotEntryInput {
                    article_id: id,
                    starts_at: None,
                    expires_at: None,
                });
            }
        }
        ("preview", _) if problem.is_none() => {
            let lang = if argument == "en" { Lang::En } else { Lang::Zh };
            let body = engine
                .preview_slot(&actor, &key, lang, inputs)
                .await
                .map_err(engine_error)?;
            return Ok(super::articles::preview_response(&state, &body));
        }
        ("save", _) if problem.is_none() => match engine.save_slot(&actor, &key, &inputs).await {
            Ok(()) => return Ok(see_other(&format!("/admin/slots/{key}?done=saved"))),
            Err(EngineError::BadRequest(message)) => problem = Some(message),
            Err(other) => return Err(engine_error(other)),
        },
        _ => {}
    }
    let hits = engine
        .pick_articles(&actor, &form.query)
        .await
        .map_err(engine_error)?;
    let entries = engine
        .describe_entries(&actor, &inputs)
        .await
        .map_err(engine_error)?;
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    editor_page(
        &state,
        &visit,
        &key,
        &entries,
        &form.query,
        &hits,
        None,
        problem,
        status,
    )
    .await
}
