//! The overview, and the signed-in member's own account: password,
//! interface language, sessions.

use super::auth::with_cleared_cookie;
use super::guard::{Halt, Visit, see_other};
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{Lang, Role};
use gazette_engine::staff::{SessionRecord, StaffSession, secrets};
use minijinja::{Value, context};
use serde::Deserialize;
use std::sync::Arc;

/// What every back-office template sees, with the page's own values.
pub fn context(
    state: &AppState,
    visit: &Visit,
    section: &str,
    notice: Option<&str>,
    problem: Option<&str>,
    page: Value,
) -> Value {
    let lang = visit.lang.code();
    let me = visit.session.as_ref().map(|s| {
        let account = &s.account;
        context! {
            name => match visit.lang { Lang::Zh => &account.name_zh, Lang::En => &account.name_en },
            email => account.email.as_str(),
            role_label => account.role.label(visit.lang),
            is_admin => account.role == Role::Admin,
        }
    });
    context! {
        lang,
        html_lang => visit.lang.bcp47(),
        me,
        section,
        form_token => visit.session.as_ref().map(|s| s.form_token.clone()),
        notice => notice.map(|key| state.admin.word(lang, key)),
        problem => problem.map(|key| state.admin.word(lang, key)),
        ..page
    }
}

/// Notices a redirect may ask for (`?done=saved`): only these words, so a
/// link cannot make the page say anything else.
pub fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "saved" => Some("saved"),
        "session_ended" => Some("session_ended"),
        "role_changed" => Some("role_changed"),
        _ => None,
    }
}

#[derive(Debug, Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

pub async fn home(State(state): State<Arc<AppState>>, visit: Visit) -> Response {
    if let Err(login) = visit.signed_in() {
        return login.into();
    }
    state.admin.page(
        StatusCode::OK,
        "home.html",
        context(&state, &visit, "home", None, None, context! {}),
    )
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Query(done): Query<Done>,
) -> Result<Response, Response> {
    let session = visit.signed_in()?;
    render_account(
        &state,
        &visit,
        session,
        notice(done.done.as_deref()),
        None,
        StatusCode::OK,
    )
    .await
}

async fn render_account(
    state: &AppState,
    visit: &Visit,
    session: &StaffSession,
    notice: Option<&str>,
    problem: Option<&str>,
    status: StatusCode,
) -> Result<Response, Response> {
    let sessions = state
        .engine
        .staff()
        .sessions_of(&visit.actor(), session.account.id)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    let sessions = SessionView::list(state, &sessions, Some(&session.id_hash));
    let recovery_left = state
        .engine
        .staff()
        .recovery_codes_left(session)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    Ok(state.admin.page(
        status,
        "account.html",
        context(
            state,
            visit,
            "account",
            notice,
            problem,
            context! {
                sessions => Value::from(minijinja::value::Serde(&sessions)),
                second_factor_on => session.account.totp_secret.is_some(),
                recovery_left,
            },
        ),
    ))
}

#[derive(Deserialize)]
pub struct ChangePassword {
    form_token: String,
    current: String,
    password: String,
}

impl std::fmt::Debug for ChangePassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangePassword").finish_non_exhaustive()
    }
}

pub async fn change_password(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Form(form): Form<ChangePassword>,
) -> Result<Response, Response> {
    let session = visit.check_form(&state, &form.form_token)?;
    let outcome = state
        .engine
        .staff()
        .change_password(session, &form.current, &form.password, &visit.prefix)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    match outcome {
        // Every session ended, this one too: sign in again with the new password.
        Ok(()) => Ok(with_cleared_cookie(see_other(
            "/admin/login?done=password_changed",
        ))),
        Err(problem) => {
            render_account(
                &state,
                &visit,
                session,
                None,
                Some(problem.0),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct LangForm {
    form_token: String,
    lang: String,
}

pub async fn set_lang(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Form(form): Form<LangForm>,
) -> Result<Response, Response> {
    let session = visit.check_form(&state, &form.form_token)?;
    let lang =
        Lang::parse(&form.lang).map_err(|e| WebError::BadRequest(e.to_string()).into_response())?;
    state
        .engine
        .staff()
        .set_lang(session, lang)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    Ok(see_other("/admin/account?done=saved"))
}

#[derive(Debug, Deserialize)]
pub struct EndSession {
    form_token: String,
    handle: String,
}

pub async fn end_session(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Form(form): Form<EndSession>,
) -> Result<Response, Response> {
    let session = visit.check_form(&state, &form.form_token)?;
    state
        .engine
        .staff()
        .end_session(&visit.actor(), session.account.id, &form.handle)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    Ok(see_other("/admin/account?done=session_ended"))
}

/// A session as the lists show it.
#[derive(Debug, serde::Serialize)]
pub struct SessionView {
    device: String,
    created: String,
    last_seen: String,
    prefix: String,
    handle: String,
    current: bool,
}

impl SessionView {
    pub fn list(state: &AppState, sessions: &[SessionRecord], current: Option<&[u8]>) -> Vec<Self> {
        let zone = &state.engine.config().zone;
        sessions
            .iter()
            .map(|s| SessionView {
                device: s.device.clone(),
                created: zone.minute(s.created_at),
                last_seen: zone.minute(s.last_seen_at),
                prefix: s.prefix.clone(),
                handle: secrets::handle(&s.id_hash),
                current: current == Some(s.id_hash.as_slice()),
            })
            .collect()
    }
}

/// The set-up page of the second factor: QR code, key, and the form for
/// the first code.
fn setup_page(
    state: &AppState,
    visit: &Visit,
    (_, svg, key): (String, String, String),
    problem: Option<&str>,
    status: StatusCode,
) -> Response {
    state.admin.page(
        status,
        "second_factor.html",
        context(
            state,
            visit,
            "account",
            None,
            problem,
            // The SVG is drawn by the QR encoder from the otpauth URL, not from input.
            context! { qr => Value::from_safe_string(svg), key => grouped(&key) },
        ),
    )
}

/// A key as people copy it: groups of four.
fn grouped(key: &str) -> String {
    key.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c))
        .collect::<Vec<_>>()
        .join(" ")
}

pub async fn second_factor_begin(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Form(form): Form<PasswordForm>,
) -> Result<Response, Halt> {
    let session = visit.check_form(&state, &form.form_token)?;
    let issuer = state.engine.config().name(visit.lang).to_owned();
    let outcome = state
        .engine
        .staff()
        .begin_second_factor(session, &form.password, &issuer, &visit.prefix)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    match outcome {
        Ok(enrolment) => Ok(setup_page(&state, &visit, enrolment, None, StatusCode::OK)),
        Err(problem) => Ok(render_account(
            &state,
            &visit,
            session,
            None,
            Some(problem.0),
            StatusCode::BAD_REQUEST,
        )
        .await?),
    }
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    form_token: String,
    code: String,
}

pub async fn second_factor_confirm(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Form(form): Form<CodeForm>,
) -> Result<Response, Halt> {
    let session = visit.check_form(&state, &form.form_token)?;
    let staff = state.engine.staff();
    let outcome = staff
        .confirm_second_factor(session, &form.code, &visit.prefix)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    match outcome {
        Ok(codes) => Ok(state.admin.page(
            StatusCode::OK,
            "recovery_codes.html",
            context(&state, &visit, "account", None, None, context! { codes }),
        )),
        Err(problem) => {
            let issuer = state.engine.config().name(visit.lang).to_owned();
            match staff
                .pending_second_factor(session, &issuer)
                .await
                .map_err(|e| WebError::from(e).into_response())?
            {
                Some(enrolment) => Ok(setup_page(
                    &state,
                    &visit,
                    enrolment,
                    Some(problem.0),
                    StatusCode::BAD_REQUEST,
                )),
                None => Ok(see_other("/admin/account")),
            }
        }
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    form_token: String,
    password: String,
}

impl std::fmt::Debug for PasswordForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordForm").finish_non_exhaustive()
    }
}

pub async fn second_factor_off(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Form(form): Form<PasswordForm>,
) -> Result<Response, Halt> {
    let session = visit.check_form(&state, &form.form_token)?;
    let outcome = state
        .engine
        .staff()
        .disable_second_factor(session, &form.password, &visit.prefix)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    match outcome {
        Ok(()) => Ok(see_other("/admin/account?done=saved")),
        Err(problem) => Ok(render_account(
            &state,
            &visit,
            session,
            None,
            Some(problem.0),
            StatusCode::BAD_REQUEST,
        )
        .await?),
    }
}
