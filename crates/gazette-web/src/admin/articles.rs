//! Writing: the worklist, the article form (create, edit, autosave), a
//! save that lost a race (409 with both versions), revisions compared and
//! restored, the preview and preview links. The newsroom service checks
//! who may see and change what; these handlers only translate.

use super::account::{Done, context};
use super::guard::{Halt, TokenForm, Visit, engine_error, see_other};
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_core::{ArticleStatus, Lang};
use gazette_engine::newsroom::diff::{self, FieldDiff};
use gazette_engine::newsroom::draft::{ArticleDraft, CreditLine, FieldProblem};
use gazette_engine::newsroom::review::ReviewState;
use gazette_engine::newsroom::{CreditInput, DraftForm, RevisionKind, Saved, WorkQuery};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Empty credit rows offered under the filled ones.
const SPARE_ROWS: usize = 2;

/// Any serialisable value, for a template.
fn ser<T: Serialize>(value: &T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// The worklist's query string, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    review: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    after: String,
    done: Option<String>,
}

#[derive(Debug, Serialize)]
struct WorkRow {
    id: i64,
    title: String,
    status: &'static str,
    status_label: String,
    review: &'static str,
    review_label: String,
    channel: String,
    authors: String,
    changed: String,
}

/// `2026-11-20` in the site's zone → the first second of that day.
fn day_start(state: &AppState, text: &str) -> Option<i64> {
    state.engine.config().zone.day_start(text.trim())
}

fn status_label(state: &AppState, lang: &str, status: ArticleStatus) -> String {
    state.admin.word(lang, &format!("status_{}", status.code()))
}

fn review_label(state: &AppState, lang: &str, review: ReviewState) -> String {
    state
        .admin
        .word(lang, &format!("review_{}", review.as_str()))
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Query(query): Query<ListQuery>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    let lang = visit.lang.code();
    let after = query
        .after
        .split_once('-')
        .and_then(|(t, id)| Some((t.parse::<i64>().ok()?, id.parse::<i64>().ok()?)));
    let work = WorkQuery {
        status: ArticleStatus::parse(&query.status).ok(),
        review_state: ReviewState::parse(&query.review).ok(),
        channel_id: query.channel.parse().ok(),
        author_person_id: query.author.parse().ok(),
        changed_from: day_start(&state, &query.from),
        changed_before: day_start(&state, &query.to).map(|t| t + 86_400),
        title: Some(query.q.trim().to_owned()).filter(|q| !q.is_empty() && q.len() <= 200),
        after,
    };
    let lines = state
        .engine
        .newsroom()
        .worklist(&visit.actor(), &work)
        .await
        .map_err(engine_error)?;
    let channels = state
        .engine
        .newsroom()
        .channels()
        .await
        .map_err(engine_error)?;
    let zone = &state.engine.config().zone;
    let rows: Vec<WorkRow> = lines
        .iter()
        .map(|line| WorkRow {
            id: line.item.id,
            title: line.item.title.clone(),
            status: line.item.status.code(),
            status_label: status_label(&state, lang, line.item.status),
            review: line.item.review_state.as_str(),
            review_label: review_label(&state, lang, line.item.review_state),
            channel: channels
                .iter()
                .find(|c| c.id == line.item.channel_id)
                .map(|c| c.name(visit.lang).to_owned())
                .unwrap_or_default(),
            authors: line
                .authors
                .iter()
                .map(|p| p.name_in(visit.lang).to_owned())
                .collect::<Vec<_>>()
                .join("、"),
            changed: zone.minute(line.item.updated_at),
        })
        .collect();
    // A search shows its best matches, one page of them.
    let searching = !query.q.trim().is_empty();
    let next = (lines.len() as i64 == gazette_engine::newsroom::WORKLIST_PAGE && !searching)
        .then(|| lines.last())
        .flatten()
        .map(|l| {
            let pairs = [
                ("status", query.status.as_str()),
                ("review", query.review.as_str()),
                ("channel", query.channel.as_str()),
                ("author", query.author.as_str()),
                ("from", query.from.as_str()),
                ("to", query.to.as_str()),
                ("q", query.q.as_str()),
            ];
            let mut url = serde_urlencoded::to_string(pairs).unwrap_or_default();
            url.push_str(&format!("&after={}-{}", l.item.updated_at, l.item.id));
            format!("/admin/articles?{url}")
        });
    let statuses: Vec<Value> = [
        ArticleStatus::Draft,
        ArticleStatus::Published,
        ArticleStatus::Retracted,
        ArticleStatus::TakenDown,
    ]
    .iter()
    .map(|s| context! { value => s.code(), label => status_label(&state, lang, *s) })
    .collect();
    let reviews: Vec<Value> = ReviewState::ALL
        .iter()
        .map(|r| context! { value => r.as_str(), label => review_label(&state, lang, *r) })
        .collect();
    let notice = match query.done.as_deref() {
        Some("saved") => Some("saved"),
        _ => None,
    };
    Ok(state.admin.page(
        StatusCode::OK,
        "articles.html",
        context(
            &state,
            &visit,
            "articles",
            notice,
            None,
            context! {
                rows => ser(&rows),
                statuses,
                reviews,
                channels => channel_options(&channels, visit.lang),
                filter => context! {
                    status => query.status, review => query.review, channel => query.channel, from => query.from,
                    to => query.to, q => query.q, author => query.author,
                },
                next,
            },
        ),
    ))
}

fn channel_options(channels: &[gazette_core::Channel], lang: Lang) -> Vec<Value> {
    channels
        .iter()
        .map(|c| {
            let indent = if c.parent_id.is_some() { "— " } else { "" };
            context! { id => c.id.to_string(), label => format!("{indent}{}", c.name(lang)) }
        })
        .collect()
}

/// A credit row as the form shows it.
#[derive(Debug, Serialize)]
struct CreditRow {
    person: String,
    name: String,
    affiliation: String,
}

fn credit_rows(lines: &[CreditLine]) -> Vec<CreditRow> {
    lines
        .iter()
        .map(|l| CreditRow {
            person: l.person_id.to_string(),
            name: l.name.clone(),
            affiliation: l.affiliation.clone().unwrap_or_default(),
        })
        .chain((0..SPARE_ROWS).map(|_| CreditRow {
            person: String::new(),
            name: String::new(),
            affiliation: String::new(),
        }))
        .collect()
}

/// The form's values for a draft.
fn form_values(draft: &ArticleDraft) -> Value {
    let cover = draft.cover.as_ref();
    context! {
        lang => draft.lang.code(),
        title => draft.title.clone(),
        kicker => draft.kicker.clone(),
        subtitle => draft.subtitle.clone(),
        summary => draft.summary.clone(),
        body => draft.body.clone(),
        source => draft.source.clone(),
        slug => draft.slug.as_str(),
        channel_id => draft.channel_id.to_string(),
        topic_id => draft.topic_id.map(|t| t.to_string()).unwrap_or_default(),
        translation_of => draft.translation_of.map(|t| t.to_string()).unwrap_or_default(),
        tags => draft.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "),
        authors => ser(&credit_rows(&draft.authors)),
        editors => ser(&credit_rows(&draft.editors)),
        coordinators => ser(&credit_rows(&draft.coordinators)),
        cover_media_id => cover.map(|c| c.media_id.to_string()).unwrap_or_default(),
        cover_alt => cover.map(|c| c.alt.clone()).unwrap_or_default(),
        cover_caption => cover.and_then(|c| c.caption.clone()).unwrap_or_default(),
        cover_credit => cover.and_then(|c| c.credit.clone()).unwrap_or_default(),
        kind => if draft.gallery { "gallery" } else { "story" },
    }
}

/// What the edit page shows besides the form.
struct EditPage<'a> {
    id: Option<i64>,
    base: Option<i64>,
    draft: &'a ArticleDraft,
    problems: &'a [FieldProblem],
    /// After a lost race: how the latest saved version differs from ours.
    conflict: Option<Vec<FieldDiff>>,
    status: Option<ArticleStatus>,
    preview_links: i64,
    link: Option<String>,
}

impl<'a> EditPage<'a> {
    /// The form for a draft, with nothing else to show.
    fn of(id: Option<i64>, base: Option<i64>, draft: &'a ArticleDraft) -> Self {
        EditPage {
            id,
            base,
            draft,
            problems: &[],
            conflict: None,
            status: None,
            preview_links: 0,
            link: None,
        }
    }
}

/// The proofreading findings of a draft, in the interface's words.
async fn findings(state: &AppState, lang: &str, draft: &ArticleDraft) -> Result<Vec<Value>, Halt> {
    let found = state
        .engine
        .newsroom()
        .proofread(draft)
        .await
        .map_err(engine_error)?;
    Ok(found
        .iter()
        .map(|f| {
            let kind = serde_json::to_value(f.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let message = state
                .admin
                .word(lang, &format!("finding_{kind}"))
                .replace("{found}", &f.found)
                .replace("{hint}", &f.hint);
            let label = state.admin.word(lang, &format!("finding_label_{kind}"));
            context! {
                kind,
                label,
                field => state.admin.word(lang, &format!("field_{}", f.field)),
                message,
                context => f.context.clone(),
            }
        })
        .collect())
}

async fn edit_page(
    state: &AppState,
    visit: &Visit,
    page: EditPage<'_>,
    http_status: StatusCode,
    notice: Option<&str>,
) -> Result<Response, Halt> {
    let lang = visit.lang.code();
    let newsroom = state.engine.newsroom();
    let channels = newsroom.channels().await.map_err(engine_error)?;
    let topics: Vec<Value> = newsroom
        .topics()
        .await
        .map_err(engine_error)?
        .iter()
        .map(|t| context! { id => t.id.to_string(), label => t.title(visit.lang) })
        .collect();
    let problems: Vec<Value> = page
        .problems
        .iter()
        .map(|p| context! { field => p.field, message => state.admin.word(lang, p.key) })
        .collect();
    let problem = (!problems.is_empty()).then_some("fix_fields");
    let conflict = page.conflict.map(|diffs| diff_views(state, lang, &diffs));
    let findings = findings(state, lang, page.draft).await?;
    let (review, publishing) = match page.id {
        Some(id) => (
            Some(super::review::panel_view(
                state,
                lang,
                &newsroom
                    .review_panel(&visit.actor(), id)
                    .await
                    .map_err(engine_error)?,
            )),
            Some(super::publishing::section(state, visit, id).await?),
        ),
        None => (None, None),
    };
    Ok(state.admin.page(
        http_status,
        "article_edit.html",
        context(
            state,
            visit,
            "articles",
            notice,
            if conflict.is_some() {
                Some("conflict")
            } else {
                problem
            },
            context! {
                id => page.id,
                base => page.base.map(|b| b.to_string()).unwrap_or_default(),
                form => form_values(page.draft),
                problems,
                conflict,
                status_label => page.status.map(|s| status_label(state, lang, s)),
                status_code => page.status.map(|s| s.code()),
                channels => channel_options(&channels, visit.lang),
                topics,
                languages => [context!{ value => "zh", label => "中文" }, context!{ value => "en", label => "English" }],
                preview_links => page.preview_links,
                link => page.link,
                findings,
                review,
                publishing,
            },
        ),
    ))
}

fn diff_views(state: &AppState, lang: &str, diffs: &[FieldDiff]) -> Vec<Value> {
    diffs
        .iter()
        .map(|d| {
            context! {
                label => state.admin.word(lang, &format!("field_{}", d.field)),
                segments => ser(&d.segments),
            }
        })
        .collect()
}

pub async fn new_form(State(state): State<Arc<AppState>>, visit: Visit) -> Result<Response, Halt> {
    visit.signed_in()?;
    let draft = state
        .engine
        .newsroom()
        .blank(&visit.actor())
        .await
        .map_err(engine_error)?;
    edit_page(
        &state,
        &visit,
        EditPage::of(None, None, &draft),
        StatusCode::OK,
        None,
    )
    .await
}

/// The article form's fields, from the posted pairs (credit rows repeat).
fn draft_form(pairs: &[(String, String)]) -> (DraftForm, String, Option<i64>, String) {
    let mut form = DraftForm::default();
    let mut token = String::new();
    let mut base = None;
    let mut kind = String::new();
    let mut rows: [(Vec<String>, Vec<String>, Vec<String>); 3] = Default::default();
    for (key, value) in pairs {
        let value = value.clone();
        let role = |prefix: &str| match prefix {
            "author" => Some(0),
            "editor" => Some(1),
            "coordinator" => Some(2),
            _ => None,
        };
        match key.as_str() {
            "form_token" => token = value,
            "base" => base = value.parse().ok(),
            "kind" => kind = value,
            "lang" => form.lang = value,
            "title" => form.title = value,
            "kicker" => form.kicker = value,
            "subtitle" => form.subtitle = value,
            "summary" => form.summary = value,
            "body" => form.body = value,
            "source" => form.source = value,
            "slug" => form.slug = value,
            "channel_id" => form.channel_id = value,
            "topic_id" => form.topic_id = value,
            "translation_of" => form.translation_of = value,
            "tags" => form.tags = value,
            "cover_media_id" => form.cover_media_id = value,
            "cover_alt" => form.cover_alt = value,
            "cover_caption" => form.cover_caption = value,
            "cover_credit" => form.cover_credit = value,
            "article_kind" => form.kind = value,
            other => {
                if let Some((prefix, part)) = other.split_once('_')
                    && let Some(i) = role(prefix)
                {
                    match part {
                        "person" => rows[i].0.push(value),
                        "name" => rows[i].1.push(value),
                        "affiliation" => rows[i].2.push(value),
                        _ => {}
                    }
                }
            }
        }
    }
    let [authors, editors, coordinators] = rows.map(|(people, names, affiliations)| {
        names
            .into_iter()
            .enumerate()
            .map(|(i, name)| CreditInput {
                person_id: people.get(i).and_then(|p| p.parse().ok()),
                name,
                affiliation: affiliations.get(i).cloned().unwrap_or_default(),
            })
            .take(gazette_engine::newsroom::draft::MAX_CREDITS)
            .collect()
    });
    form.authors = authors;
    form.editors = editors;
    form.coordinators = coordinators;
    (form, token, base, kind)
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn json(status: StatusCode, value: serde_json::Value) -> Response {
    let mut response = (status, value.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// The most an article form's post may weigh: the longest body a draft
/// may have ([`MAX_BODY`] bytes), escaped as a form sends it (each byte of
/// a Chinese character becomes three: 中 is `%E4%B8%AD`), and room for the
/// other fields. Past it the body's own limit would refuse the draft anyway.
///
/// [`MAX_BODY`]: gazette_engine::newsroom::draft::MAX_BODY
pub const FORM_BODY_LIMIT: usize = 3 * gazette_engine::newsroom::draft::MAX_BODY + (1 << 20);

/// An article form's fields, read only once the visitor is a signed-in
/// member posting from the site's own pages: the form may weigh up to
/// [`FORM_BODY_LIMIT`], and a stranger's is never read.
async fn article_form(
    state: &Arc<AppState>,
    visit: &Visit,
    request: Request,
) -> Result<Vec<(String, String)>, Halt> {
    visit.signed_in()?;
    visit.check_origin(state)?;
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(request, state)
        .await
        .map_err(|rejection| Halt::from(rejection.into_response()))?;
    Ok(pairs)
}

pub async fn create(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    request: Request,
) -> Result<Response, Halt> {
    let pairs = article_form(&state, &visit, request).await?;
    let (form, token, _, _) = draft_form(&pairs);
    visit.check_form(&state, &token)?;
    let saved = state
        .engine
        .newsroom()
        .create(&visit.actor(), &form)
        .await
        .map_err(engine_error)?;
    answer_save(&state, &visit, None, None, saved).await
}

pub async fn save(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    request: Request,
) -> Result<Response, Halt> {
    let pairs = article_form(&state, &visit, request).await?;
    let (form, token, base, kind) = draft_form(&pairs);
    visit.check_form(&state, &token)?;
    if kind == "signoff" {
        return sign_off(&state, &visit, id, base, &form).await;
    }
    let kind = if kind == "autosave" {
        RevisionKind::Autosave
    } else {
        RevisionKind::Save
    };
    let saved = state
        .engine
        .newsroom()
        .save(&visit.actor(), id, base, &form, kind)
        .await
        .map_err(engine_error)?;
    answer_save(&state, &visit, Some(id), base, saved).await
}

/// The final signer's "save and sign off": their edits become a `signoff`
/// revision and the last level passes, in one step.
async fn sign_off(
    state: &AppState,
    visit: &Visit,
    id: i64,
    base: Option<i64>,
    form: &DraftForm,
) -> Result<Response, Halt> {
    let approved = state
        .engine
        .newsroom()
        .approve(&visit.actor(), id, base, Some(form))
        .await
        .map_err(engine_error)?;
    match approved {
        gazette_engine::newsroom::review::Approved::Invalid(saved) => {
            answer_save(state, visit, Some(id), base, saved).await
        }
        done => Ok(see_other(&format!(
            "/admin/articles/{id}?done={}",
            super::review::done_of(&done)
        ))),
    }
}

/// After a save: back to the form (303), or the JSON an autosave asked
/// for; a conflict is a 409 with both versions, an invalid form a 422.
async fn answer_save(
    state: &AppState,
    visit: &Visit,
    id: Option<i64>,
    base: Option<i64>,
    saved: Saved,
) -> Result<Response, Halt> {
    let json_wanted = wants_json(&visit.headers);
    match saved {
        Saved::Saved {
            article_id,
            revision,
        } => {
            // The back office's search finds what was just written.
            state.engine.drafts_changed().await;
            if json_wanted {
                return Ok(json(
                    StatusCode::OK,
                    serde_json::json!({"article": article_id, "revision": revision}),
                ));
            }
            Ok(see_other(&format!(
                "/admin/articles/{article_id}?done=saved"
            )))
        }
        Saved::Conflict { theirs, head, ours } => {
            if json_wanted {
                return Ok(json(
                    StatusCode::CONFLICT,
                    serde_json::json!({"conflict": true, "head": head}),
                ));
            }
            let diffs = diff::compare(&theirs, &ours);
            // The form keeps our text, now based on theirs: saving again
            // is a deliberate choice, and theirs stays a revision.
            edit_page(
                state,
                visit,
                EditPage {
                    conflict: Some(diffs),
                    ..EditPage::of(id, head, &ours)
                },
                StatusCode::CONFLICT,
                None,
            )
            .await
        }
        Saved::Invalid { problems, draft } => {
            if json_wanted {
                return Ok(json(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    serde_json::json!({"problems": problems}),
                ));
            }
            // Still the revision the form was made from: a save after the
            // fix must not pass over someone else's save meanwhile.
            edit_page(
                state,
                visit,
                EditPage {
                    problems: &problems,
                    ..EditPage::of(id, base, &draft)
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            )
            .await
        }
    }
}

pub async fn edit(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    show_edit(&state, &visit, id, done.done.as_deref(), None).await
}

async fn show_edit(
    state: &AppState,
    visit: &Visit,
    id: i64,
    done: Option<&str>,
    link: Option<String>,
) -> Result<Response, Halt> {
    let actor = visit.actor();
    let newsroom = state.engine.newsroom();
    let opened = newsroom.open(&actor, id).await.map_err(engine_error)?;
    let preview_links = newsroom
        .open_preview_links(&actor, id)
        .await
        .map_err(engine_error)?;
    let notice = match done {
        Some("saved") => Some("saved"),
        Some("restored") => Some("restored"),
        Some("revoked") => Some("links_revoked"),
        Some("submitted") => Some("done_submitted"),
        Some("approved") => Some("done_approved"),
        Some("signed_off") => Some("done_signed_off"),
        Some("rejected") => Some("done_rejected"),
        Some("published") => Some("done_published"),
        Some("scheduled") => Some("done_scheduled"),
        Some("cancelled") => Some("done_cancelled"),
        Some("taken_down") => Some("done_taken_down"),
        Some("retracted") => Some("done_retracted"),
        Some("redacted") => Some("done_redacted"),
        _ => None,
    };
    edit_page(
        state,
        visit,
        EditPage {
            status: Some(opened.head.status),
            preview_links,
            link,
            ..EditPage::of(Some(id), opened.head.head_revision, &opened.draft)
        },
        StatusCode::OK,
        notice,
    )
    .await
}

pub async fn revisions(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    let actor = visit.actor();
    let list = state
        .engine
        .newsroom()
        .revisions(&actor, id)
        .await
        .map_err(engine_error)?;
    let lang = visit.lang.code();
    let zone = &state.engine.config().zone;
    let rows: Vec<Value> = list
        .iter()
        .map(|r| {
            context! {
                id => r.id,
                at => zone.minute(r.created_at),
                actor => r.actor.clone(),
                kind => state.admin.word(lang, &format!("kind_{}", r.kind.as_str())),
                title => r.title.clone(),
            }
        })
        .collect();
    Ok(state.admin.page(
        StatusCode::OK,
        "revisions.html",
        context(
            &state,
            &visit,
            "articles",
            None,
            None,
            context! { id, rows, head => list.first().map(|r| r.id) },
        ),
    ))
}

#[derive(Debug, Deserialize)]
pub struct CompareQuery {
    from: Option<i64>,
    to: Option<i64>,
}

pub async fn compare(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Query(query): Query<CompareQuery>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    let (Some(from), Some(to)) = (query.from, query.to) else {
        return Err(
            WebError::BadRequest("choose two revisions to compare".into())
                .into_response()
                .into(),
        );
    };
    let actor = visit.actor();
    let newsroom = state.engine.newsroom();
    let (old_meta, old) = newsroom
        .revision_of(&actor, id, from)
        .await
        .map_err(engine_error)?;
    let (new_meta, new) = newsroom
        .revision_of(&actor, id, to)
        .await
        .map_err(engine_error)?;
    let lang = visit.lang.code();
    let zone = &state.engine.config().zone;
    let diffs = diff::compare(&old, &new);
    Ok(state.admin.page(
        StatusCode::OK,
        "compare.html",
        context(
            &state,
            &visit,
            "articles",
            None,
            None,
            context! {
                id,
                from => context! { id => old_meta.id, at => zone.minute(old_meta.created_at), actor => old_meta.actor },
                to => context! { id => new_meta.id, at => zone.minute(new_meta.created_at), actor => new_meta.actor },
                diffs => diff_views(&state, lang, &diffs),
            },
        ),
    ))
}

#[derive(Debug, Deserialize)]
pub struct RestoreForm {
    form_token: String,
    revision: i64,
    base: Option<i64>,
}

pub async fn restore(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<RestoreForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    let saved = state
        .engine
        .newsroom()
        .restore(&visit.actor(), id, form.revision, form.base)
        .await
        .map_err(engine_error)?;
    match saved {
        Saved::Saved { .. } => Ok(see_other(&format!("/admin/articles/{id}?done=restored"))),
        other => answer_save(&state, &visit, Some(id), form.base, other).await,
    }
}

/// The headers of a preview: never cached, never indexed, no referrer.
pub(super) fn preview_response(state: &AppState, body: &gazette_engine::CachedBody) -> Response {
    let mut response = (
        StatusCode::OK,
        body.variant(gazette_engine::Encoding::Identity)
            .0
            .bytes
            .clone(),
    )
        .into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "private, no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert(
        "x-robots-tag",
        HeaderValue::from_static("noindex, nofollow"),
    );
    headers.insert(header::CONTENT_SECURITY_POLICY, state.csp.clone());
    response
}

pub async fn preview(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    let article = state
        .engine
        .newsroom()
        .preview(&visit.actor(), id)
        .await
        .map_err(engine_error)?;
    let body = state
        .engine
        .preview_page(&article)
        .await
        .map_err(engine_error)?;
    Ok(preview_response(&state, &body))
}

/// `/preview/{secret}`: a shared preview, for someone without an account.
pub async fn shared_preview(
    State(state): State<Arc<AppState>>,
    Path(secret): Path<String>,
) -> Result<Response, Halt> {
    let article = state
        .engine
        .newsroom()
        .preview_by_link(&secret)
        .await
        .map_err(engine_error)?;
    let Some(article) = article else {
        let mut response = (
            StatusCode::NOT_FOUND,
            "this preview link has expired or was revoked\n",
        )
            .into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(
            "x-robots-tag",
            HeaderValue::from_static("noindex, nofollow"),
        );
        return Ok(response);
    };
    let body = state
        .engine
        .preview_page(&article)
        .await
        .map_err(engine_error)?;
    Ok(preview_response(&state, &body))
}

pub async fn make_preview_link(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<TokenForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    let link = state
        .engine
        .newsroom()
        .create_preview_link(&visit.actor(), id)
        .await
        .map_err(engine_error)?;
    show_edit(&state, &visit, id, None, Some(link)).await
}

pub async fn revoke_preview_links(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<TokenForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    state
        .engine
        .newsroom()
        .revoke_preview_links(&visit.actor(), id)
        .await
        .map_err(engine_error)?;
    Ok(see_other(&format!("/admin/articles/{id}?done=revoked")))
}
