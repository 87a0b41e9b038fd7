//! Admins' pages: the staff list, invitations, roles, reset links, other
//! members' sessions, and the audit log. The staff service refuses every
//! one of these to other roles, whatever reaches it.

use super::account::{Done, SessionView, context, notice};
use super::guard::{Halt, TokenForm, Visit, see_other};
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{Lang, Role};
use gazette_engine::staff::{Account, AuditFilter, NewStaff};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Audit entries per page.
const AUDIT_PAGE: i64 = 50;
/// The actions the audit log's filter offers.
const AUDIT_ACTIONS: [&str; 36] = [
    "login",
    "login_failed",
    "logout",
    "password_changed",
    "password_set",
    "account_added",
    "reset_link",
    "role_changed",
    "session_revoked",
    "second_factor_on",
    "second_factor_off",
    "second_factor_failed",
    "password_check_failed",
    "account_disabled",
    "account_enabled",
    "second_factor_cleared",
    "article_created",
    "article_saved",
    "revision_restored",
    "preview_link_made",
    "preview_links_revoked",
    "term_added",
    "term_removed",
    "article_submitted",
    "article_approved",
    "article_rejected",
    "article_signed_off",
    "article_published",
    "publish_scheduled",
    "publish_void",
    "schedule_cancelled",
    "take_down_scheduled",
    "article_taken_down",
    "article_retracted",
    "history_redacted",
    "review_levels_changed",
];

fn engine_error(error: gazette_engine::EngineError) -> Response {
    WebError::from(error).into_response()
}

#[derive(Debug, Serialize)]
struct PersonView {
    id: i64,
    email: String,
    name_zh: String,
    name_en: String,
    role: &'static str,
    role_label: &'static str,
    has_password: bool,
    disabled: bool,
    second_factor: bool,
}

impl PersonView {
    fn of(account: &Account, lang: Lang) -> Self {
        PersonView {
            id: account.id,
            email: account.email.to_string(),
            name_zh: account.name_zh.clone(),
            name_en: account.name_en.clone(),
            role: account.role.as_str(),
            role_label: account.role.label(lang),
            has_password: account.password_hash.is_some(),
            disabled: account.disabled_at.is_some(),
            second_factor: account.totp_secret.is_some(),
        }
    }
}

fn roles(lang: Lang) -> Vec<Value> {
    Role::ALL
        .iter()
        .map(|r| context! { value => r.as_str(), label => r.label(lang) })
        .collect()
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Query(done): Query<Done>,
) -> Result<Response, Response> {
    visit.signed_in()?;
    render_list(
        &state,
        &visit,
        notice(done.done.as_deref()),
        None,
        StatusCode::OK,
    )
    .await
}

async fn render_list(
    state: &AppState,
    visit: &Visit,
    notice: Option<&str>,
    link: Option<(String, String)>,
    status: StatusCode,
) -> Result<Response, Response> {
    let accounts = state
        .engine
        .staff()
        .accounts(&visit.actor())
        .await
        .map_err(engine_error)?;
    let people: Vec<PersonView> = accounts
        .iter()
        .map(|a| PersonView::of(a, visit.lang))
        .collect();
    let (link_heading, link) = link.unzip();
    Ok(state.admin.page(
        status,
        "people.html",
        context(
            state,
            visit,
            "people",
            notice,
            None,
            context! { people => Value::from(minijinja::value::Serde(&people)), roles => roles(visit.lang), link, link_heading },
        ),
    ))
}

#[derive(Debug, Deserialize)]
pub struct InviteForm {
    form_token: String,
    email: String,
    name_zh: String,
    name_en: Option<String>,
    role: String,
}

pub async fn invite(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Form(form): Form<InviteForm>,
) -> Result<Response, Response> {
    visit.check_form(&state, &form.form_token)?;
    let role =
        Role::parse(&form.role).map_err(|e| WebError::BadRequest(e.to_string()).into_response())?;
    let (account, link) = state
        .engine
        .staff()
        .add_account(
            &visit.actor(),
            NewStaff {
                email: &form.email,
                name_zh: &form.name_zh,
                name_en: form.name_en.as_deref(),
                role,
                lang: visit.lang,
                password: None,
            },
        )
        .await
        .map_err(engine_error)?;
    let heading = state
        .admin
        .word(visit.lang.code(), "invited")
        .replace("{email}", account.email.as_str());
    // Shown once, in this answer only; the store keeps its hash.
    render_list(
        &state,
        &visit,
        None,
        link.map(|l| (heading, l)),
        StatusCode::CREATED,
    )
    .await
}

fn parse_id(id: &str) -> Result<i64, Halt> {
    id.parse().map_err(|_| {
        WebError::NotFound(format!("no account {id:?}"))
            .into_response()
            .into()
    })
}

pub async fn person(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, Response> {
    visit.signed_in()?;
    render_person(
        &state,
        &visit,
        parse_id(&id)?,
        notice(done.done.as_deref()),
        None,
    )
    .await
}

async fn render_person(
    state: &AppState,
    visit: &Visit,
    id: i64,
    notice: Option<&str>,
    link: Option<String>,
) -> Result<Response, Response> {
    let staff = state.engine.staff();
    let accounts = staff.accounts(&visit.actor()).await.map_err(engine_error)?;
    let Some(account) = accounts.iter().find(|a| a.id == id) else {
        return Err(WebError::NotFound(format!("no account {id}")).into_response());
    };
    let sessions = staff
        .sessions_of(&visit.actor(), id)
        .await
        .map_err(engine_error)?;
    let current = visit.session.as_ref().map(|s| s.id_hash.as_slice());
    let sessions = SessionView::list(state, &sessions, current);
    Ok(state.admin.page(
        StatusCode::OK,
        "person.html",
        context(
            state,
            visit,
            "people",
            notice,
            None,
            context! {
                person => Value::from(minijinja::value::Serde(PersonView::of(account, visit.lang))),
                roles => roles(visit.lang),
                sessions => Value::from(minijinja::value::Serde(&sessions)),
                link,
            },
        ),
    ))
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    form_token: String,
    role: String,
}

pub async fn set_role(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response, Response> {
    visit.check_form(&state, &form.form_token)?;
    let id = parse_id(&id)?;
    let role =
        Role::parse(&form.role).map_err(|e| WebError::BadRequest(e.to_string()).into_response())?;
    state
        .engine
        .staff()
        .set_role(&visit.actor(), id, role)
        .await
        .map_err(engine_error)?;
    Ok(see_other(&format!("/admin/people/{id}?done=role_changed")))
}

pub async fn reset(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<TokenForm>,
) -> Result<Response, Response> {
    visit.check_form(&state, &form.form_token)?;
    let id = parse_id(&id)?;
    let staff = state.engine.staff();
    let accounts = staff.accounts(&visit.actor()).await.map_err(engine_error)?;
    let Some(account) = accounts.iter().find(|a| a.id == id) else {
        return Err(WebError::NotFound(format!("no account {id}")).into_response());
    };
    let link = staff
        .reset_link(&visit.actor(), account.email.as_str())
        .await
        .map_err(engine_error)?;
    render_person(&state, &visit, id, None, Some(link)).await
}

pub async fn disable(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<TokenForm>,
) -> Result<Response, Response> {
    set_disabled(state, visit, id, form, true).await
}

pub async fn enable(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<TokenForm>,
) -> Result<Response, Response> {
    set_disabled(state, visit, id, form, false).await
}

async fn set_disabled(
    state: Arc<AppState>,
    visit: Visit,
    id: String,
    form: TokenForm,
    disabled: bool,
) -> Result<Response, Response> {
    visit.check_form(&state, &form.form_token)?;
    let id = parse_id(&id)?;
    state
        .engine
        .staff()
        .set_disabled(&visit.actor(), id, disabled)
        .await
        .map_err(engine_error)?;
    Ok(see_other(&format!("/admin/people/{id}?done=saved")))
}

pub async fn clear_second_factor(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<TokenForm>,
) -> Result<Response, Response> {
    visit.check_form(&state, &form.form_token)?;
    let id = parse_id(&id)?;
    state
        .engine
        .staff()
        .clear_second_factor(&visit.actor(), id)
        .await
        .map_err(engine_error)?;
    Ok(see_other(&format!("/admin/people/{id}?done=saved")))
}

#[derive(Debug, Deserialize)]
pub struct EndForm {
    form_token: String,
    handle: String,
}

pub async fn end_session(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<EndForm>,
) -> Result<Response, Response> {
    visit.check_form(&state, &form.form_token)?;
    let id = parse_id(&id)?;
    state
        .engine
        .staff()
        .end_session(&visit.actor(), id, &form.handle)
        .await
        .map_err(engine_error)?;
    Ok(see_other(&format!("/admin/people/{id}?done=session_ended")))
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    action: Option<String>,
    before: Option<i64>,
}

#[derive(Debug, Serialize)]
struct AuditView {
    at: String,
    actor: String,
    action: String,
    subject: String,
    detail: String,
    prefix: Option<String>,
}

pub async fn audit(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Query(query): Query<AuditQuery>,
) -> Result<Response, Response> {
    visit.signed_in()?;
    let action = query.action.filter(|a| AUDIT_ACTIONS.contains(&a.as_str()));
    let filter = AuditFilter {
        account_id: None,
        action: action.clone(),
        before_id: query.before,
    };
    let entries = state
        .engine
        .staff()
        .audit_entries(&visit.actor(), &filter, AUDIT_PAGE + 1)
        .await
        .map_err(engine_error)?;
    let older = (entries.len() as i64 > AUDIT_PAGE)
        .then(|| entries.get(AUDIT_PAGE as usize - 1))
        .flatten()
        .map(|last| match &action {
            Some(a) => format!("/admin/audit?action={a}&before={}", last.id),
            None => format!("/admin/audit?before={}", last.id),
        });
    let zone = &state.engine.config().zone;
    let entries: Vec<AuditView> = entries
        .iter()
        .take(AUDIT_PAGE as usize)
        .map(|e| AuditView {
            at: zone.minute(e.at),
            actor: e.actor.clone(),
            action: state
                .admin
                .word(visit.lang.code(), &format!("action_{}", e.action)),
            subject: e.subject.clone(),
            detail: e.detail.clone(),
            prefix: e.prefix.clone(),
        })
        .collect();
    Ok(state.admin.page(
        StatusCode::OK,
        "audit.html",
        context(
            &state,
            &visit,
            "audit",
            None,
            None,
            context! {
                entries => Value::from(minijinja::value::Serde(&entries)),
                older,
                actions => AUDIT_ACTIONS
                    .iter()
                    .map(|a| context! { value => *a, label => state.admin.word(visit.lang.code(), &format!("action_{a}")) })
                    .collect::<Vec<_>>(),
                action,
            },
        ),
    ))
}
