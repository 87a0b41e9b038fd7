//! The media library's pages: the library (search, filters, uploads one by
//! one or many at once), and each photo's page (its details, where it is
//! used, replacing and deleting it). Uploads are `multipart/form-data`,
//! the same with or without the page's script (which sends one file per
//! request, with a progress bar, and asks for JSON); the file's name and
//! claimed type are read only to name the file in a message.

use super::account::context;
use super::guard::{Halt, TokenForm, Visit, engine_error, see_other};
use super::render::with_headers;
use crate::AppState;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_core::{Lang, Permalink};
use gazette_engine::EngineError;
use gazette_engine::media::{
    LIBRARY_PAGE, MediaDetails, MediaFilter, MediaInfo, MediaLibrary, UploadForm, VariantsState,
};
use gazette_engine::staff::{Action, permissions};
use minijinja::{Value, context};
use serde::Deserialize;
use std::sync::Arc;

/// The upload route's own body limit, apart from the site's small one.
pub const UPLOAD_BODY_LIMIT: usize = 52 * 1024 * 1024;

/// Upload bodies read at a time on this server (each up to the limit
/// above), whichever route they come by; taken only after the session and
/// origin checks, so strangers cannot hold them.
static UPLOADS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);
/// How long an upload may wait for its turn, and take to arrive.
const UPLOAD_WAIT: std::time::Duration = std::time::Duration::from_secs(30);
const UPLOAD_READ: std::time::Duration = std::time::Duration::from_secs(300);

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

fn json(status: StatusCode, value: serde_json::Value) -> Response {
    let mut response = with_headers(status, value.to_string());
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

/// The library's query: words, uploader (`mine`), dates, use, page.
#[derive(Debug, Default, Deserialize)]
pub struct LibraryQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    mine: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    used: String,
    before: Option<i64>,
    done: Option<String>,
}

/// A date field (`2026-11-28`) as the start of that day in the site's zone.
fn day_start(state: &AppState, text: &str) -> Option<i64> {
    state.engine.config().zone.day_start(text.trim())
}

pub async fn library(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Query(query): Query<LibraryQuery>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    let notice = match query.done.as_deref() {
        Some("uploaded") => Some("media_uploaded"),
        Some("deleted") => Some("media_deleted"),
        _ => None,
    };
    library_page(&state, &visit, &query, notice, Vec::new(), StatusCode::OK).await
}

async fn library_page(
    state: &AppState,
    visit: &Visit,
    query: &LibraryQuery,
    notice: Option<&str>,
    refusals: Vec<Value>,
    status: StatusCode,
) -> Result<Response, Halt> {
    let session = visit.signed_in()?;
    let filter = MediaFilter {
        ids: None,
        uploaded_by: (query.mine == "1").then_some(session.account.id),
        from: day_start(state, &query.from),
        until: day_start(state, &query.until).map(|t| t + 86_400),
        used: match query.used.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        before_id: query.before,
        limit: LIBRARY_PAGE + 1,
    };
    let mut entries = state
        .engine
        .media_library()
        .list(&visit.actor(), Some(&query.q), &filter)
        .await
        .map_err(engine_error)?;
    let more = entries.len() as i64 > LIBRARY_PAGE;
    entries.truncate(LIBRARY_PAGE as usize);
    let next = more
        .then(|| entries.last().map(|m| m.id))
        .flatten()
        .map(|before| {
            let mut pairs = serde_urlencoded::to_string([
                ("q", query.q.as_str()),
                ("mine", query.mine.as_str()),
                ("from", query.from.as_str()),
                ("until", query.until.as_str()),
                ("used", query.used.as_str()),
            ])
            .unwrap_or_default();
            pairs.push_str(&format!("&before={before}"));
            format!("/admin/media?{pairs}")
        });
    let ids: Vec<i64> = entries.iter().map(|m| m.id).collect();
    let thumbnails = state
        .engine
        .media_library()
        .thumbnails(&ids)
        .await
        .map_err(engine_error)?;
    let items: Vec<Value> = entries
        .iter()
        .map(|m| {
            let mut view = entry_view(state, visit.lang, m);
            if let Some(thumbnail) = thumbnails.get(&m.id) {
                view = context! { thumbnail, ..view };
            }
            view
        })
        .collect();
    Ok(state.admin.page(
        status,
        "media.html",
        context(
            state,
            visit,
            "media",
            notice,
            None,
            context! {
                items,
                next,
                refusals,
                query => context! {
                    q => &query.q, mine => query.mine == "1", from => &query.from,
                    until => &query.until, used => &query.used,
                },
                max_mb => UPLOAD_BODY_LIMIT / (1024 * 1024) - 2,
            },
        ),
    ))
}

fn entry_view(state: &AppState, lang: Lang, m: &MediaInfo) -> Value {
    context! {
        id => m.id,
        src => Permalink::media(m.id, &m.extension),
        width => m.width,
        height => m.height,
        kind => m.extension.to_uppercase(),
        size_kb => (m.size + 1023) / 1024,
        caption => &m.details.caption,
        alt => &m.details.alt,
        credit => &m.details.credit,
        licence => &m.details.licence,
        uploader => &m.uploader,
        animated => m.animated,
        ready => m.variants != VariantsState::Pending,
        deleted => m.deleted_at.is_some(),
        date => state.engine.config().zone.minute(m.created_at),
        // The page's own language decides nothing here but the date format.
        lang => lang.code(),
    }
}

/// One upload request's fields, read in order: the form token first.
struct UploadRequest {
    files: Vec<(String, Vec<u8>)>,
    details: MediaDetails,
}

/// Reads an upload from a signed-in member of this site, in its turn and
/// within its time.
async fn read_upload(
    state: &AppState,
    visit: &Visit,
    multipart: Multipart,
) -> Result<(UploadRequest, tokio::sync::SemaphorePermit<'static>), Halt> {
    visit.signed_in()?;
    visit.check_origin(state)?;
    let busy = || -> Halt {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "other uploads are under way; try again in a minute",
        )
            .into_response()
            .into()
    };
    let permit = match tokio::time::timeout(UPLOAD_WAIT, UPLOADS.acquire()).await {
        Ok(Ok(permit)) => permit,
        _ => return Err(busy()),
    };
    match tokio::time::timeout(UPLOAD_READ, read_fields(state, visit, multipart)).await {
        Ok(request) => Ok((request?, permit)),
        Err(_) => Err((
            StatusCode::REQUEST_TIMEOUT,
            "the upload took too long to arrive",
        )
            .into_response()
            .into()),
    }
}

async fn read_fields(
    state: &AppState,
    visit: &Visit,
    mut multipart: Multipart,
) -> Result<UploadRequest, Halt> {
    let mut token_checked = false;
    let mut request = UploadRequest {
        files: Vec::new(),
        details: MediaDetails::default(),
    };
    let malformed = |e: axum::extract::multipart::MultipartError| -> Halt {
        // A body cut off by the upload limit surfaces as a stream error.
        let status = if cut_off_by_limit(&e) {
            StatusCode::PAYLOAD_TOO_LARGE
        } else if e.status().is_server_error() {
            StatusCode::BAD_REQUEST
        } else {
            e.status()
        };
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!(
                "the upload is larger than {} MB",
                UPLOAD_BODY_LIMIT / (1024 * 1024) - 2
            )
        } else {
            format!("the upload could not be read: {}", e.body_text())
        };
        (status, message).into_response().into()
    };
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "form_token" {
            let token = field.text().await.map_err(malformed)?;
            if token.len() > 128 {
                visit.check_form(state, "")?;
            }
            visit.check_form(state, &token)?;
            token_checked = true;
            continue;
        }
        if !token_checked {
            // Nothing is read before the form is known to be this site's.
            visit.check_form(state, "")?;
        }
        match name.as_str() {
            "file" => {
                let label: String = field
                    .file_name()
                    .map(|n| n.chars().filter(|c| !c.is_control()).take(80).collect())
                    .unwrap_or_default();
                let bytes = field.bytes().await.map_err(malformed)?;
                if !bytes.is_empty() || !label.is_empty() {
                    request.files.push((label, bytes.to_vec()));
                }
            }
            "caption" => request.details.caption = field.text().await.map_err(malformed)?,
            "alt" => request.details.alt = field.text().await.map_err(malformed)?,
            "credit" => request.details.credit = field.text().await.map_err(malformed)?,
            "licence" => request.details.licence = field.text().await.map_err(malformed)?,
            _ => {}
        }
    }
    if !token_checked {
        visit.check_form(state, "")?;
    }
    Ok(request)
}

/// Whether a multipart error is the body limit cutting the stream (its
/// cause, a few sources down).
fn cut_off_by_limit(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.to_string().contains("length limit") {
            return true;
        }
        cause = error.source();
    }
    false
}

/// `POST /admin/media`: one file or many.
pub async fn upload(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    multipart: Multipart,
) -> Result<Response, Halt> {
    let json_reply = wants_json(&visit.headers);
    let (request, _turn) = read_upload(&state, &visit, multipart).await?;
    if request.files.is_empty() {
        let message = "choose at least one photo to upload".to_owned();
        return refused_reply(&state, &visit, json_reply, vec![(String::new(), message)]).await;
    }
    let library = state.engine.media_library();
    let mut stored = Vec::new();
    let mut refusals = Vec::new();
    for (label, bytes) in request.files {
        let form = UploadForm {
            bytes,
            details: request.details.clone(),
        };
        match library.upload(&visit.actor(), form).await {
            Ok(id) => stored.push(id),
            Err(EngineError::BadRequest(message)) => refusals.push((label, message)),
            Err(other) => return Err(engine_error(other)),
        }
    }
    if !refusals.is_empty() {
        return refused_reply(&state, &visit, json_reply, refusals).await;
    }
    if json_reply {
        let mut photos = Vec::new();
        for id in stored {
            let info = library
                .info(&visit.actor(), id)
                .await
                .map_err(engine_error)?;
            photos.push(serde_json::json!({
                "id": info.id,
                "src": Permalink::media(info.id, &info.extension),
                "width": info.width,
                "height": info.height,
                "alt": info.details.alt,
                "caption": info.details.caption,
                "credit": info.details.credit,
                "page": format!("/admin/media/{}", info.id),
            }));
        }
        return Ok(json(
            StatusCode::OK,
            serde_json::json!({ "photos": photos }),
        ));
    }
    Ok(see_other("/admin/media?done=uploaded"))
}

async fn refused_reply(
    state: &AppState,
    visit: &Visit,
    json_reply: bool,
    refusals: Vec<(String, String)>,
) -> Result<Response, Halt> {
    if json_reply {
        let message = refusals
            .iter()
            .map(|(label, message)| {
                if label.is_empty() {
                    message.clone()
                } else {
                    format!("{label}: {message}")
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        return Ok(json(
            StatusCode::BAD_REQUEST,
            serde_json::json!({ "error": message }),
        ));
    }
    let refusals = refusals
        .into_iter()
        .map(|(label, message)| context! { label, message })
        .collect();
    library_page(
        state,
        visit,
        &LibraryQuery::default(),
        None,
        refusals,
        StatusCode::BAD_REQUEST,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct PhotoNotice {
    done: Option<String>,
}

/// `GET /admin/media/{id}`.
pub async fn photo(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Query(notice): Query<PhotoNotice>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    let notice = match notice.done.as_deref() {
        Some("saved") => Some("saved"),
        Some("replaced") => Some("media_replaced"),
        _ => None,
    };
    photo_page(&state, &visit, id, notice, None, StatusCode::OK).await
}

async fn photo_page(
    state: &AppState,
    visit: &Visit,
    id: i64,
    notice: Option<&str>,
    refusal: Option<String>,
    status: StatusCode,
) -> Result<Response, Halt> {
    let session = visit.signed_in()?;
    let library = state.engine.media_library();
    let info = library
        .info(&visit.actor(), id)
        .await
        .map_err(engine_error)?;
    let uses = library
        .uses(&visit.actor(), id)
        .await
        .map_err(engine_error)?
        .into_iter()
        .map(|(id, title)| context! { id, title, url => format!("/admin/articles/{id}") })
        .collect::<Vec<_>>();
    Ok(state.admin.page(
        status,
        "media_photo.html",
        context(
            state,
            visit,
            "media",
            notice,
            None,
            context! {
                photo => entry_view(state, visit.lang, &info),
                uses,
                refusal,
                may_change => MediaLibrary::may_change(&visit.actor(), &info),
                may_delete => permissions::allowed(session.account.role, Action::ManageMedia),
            },
        ),
    ))
}

#[derive(Debug, Deserialize)]
pub struct DetailsForm {
    form_token: String,
    #[serde(default)]
    caption: String,
    #[serde(default)]
    alt: String,
    #[serde(default)]
    credit: String,
    #[serde(default)]
    licence: String,
}

/// `POST /admin/media/{id}`: caption, alt text, credit, licence.
pub async fn save_details(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<DetailsForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    let details = MediaDetails {
        caption: form.caption,
        alt: form.alt,
        credit: form.credit,
        licence: form.licence,
    };
    match state
        .engine
        .media_library()
        .set_details(&visit.actor(), id, &details)
        .await
    {
        Ok(()) => Ok(see_other(&format!("/admin/media/{id}?done=saved"))),
        Err(EngineError::BadRequest(message)) => {
            photo_page(
                &state,
                &visit,
                id,
                None,
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(engine_error(other)),
    }
}

/// `POST /admin/media/{id}/replace`: another file under the same id.
pub async fn replace(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, Halt> {
    let (request, _turn) = read_upload(&state, &visit, multipart).await?;
    let Some((label, bytes)) = request.files.into_iter().next() else {
        let message = "choose the photo that replaces this one".to_owned();
        return photo_page(
            &state,
            &visit,
            id,
            None,
            Some(message),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    match state
        .engine
        .media_library()
        .replace(&visit.actor(), id, bytes)
        .await
    {
        Ok(()) => Ok(see_other(&format!("/admin/media/{id}?done=replaced"))),
        Err(EngineError::BadRequest(message)) => {
            let message = if label.is_empty() {
                message
            } else {
                format!("{label}: {message}")
            };
            photo_page(
                &state,
                &visit,
                id,
                None,
                Some(message),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(other) => Err(engine_error(other)),
    }
}

/// `POST /admin/media/{id}/delete`: a rights claim.
pub async fn delete(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<TokenForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    state
        .engine
        .media_library()
        .delete(&visit.actor(), id)
        .await
        .map_err(engine_error)?;
    Ok(see_other("/admin/media?done=deleted"))
}
