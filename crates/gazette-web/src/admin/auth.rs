//! Signing in and out, and setting a password through a single-use link
//! (an invitation or a reset).

use super::account::context;
use super::guard::{SESSION_COOKIE, Visit, safe_next, see_other};
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_engine::staff::{SESSION_MAX, SignIn};
use minijinja::context;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    done: Option<String>,
}

pub async fn login_form(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Query(query): Query<LoginQuery>,
) -> Response {
    if visit.session.is_some() {
        return see_other(safe_next(query.next.as_deref().unwrap_or("/admin/")));
    }
    let next = safe_next(query.next.as_deref().unwrap_or("/admin/"));
    let notice = match query.done.as_deref() {
        Some(key @ ("signed_out" | "password_changed" | "password_set")) => Some(key),
        _ => None,
    };
    state.admin.page(
        StatusCode::OK,
        "login.html",
        context(
            &state,
            &visit,
            "login",
            notice,
            None,
            context! { next, email => "" },
        ),
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

// Not Debug: the password must never reach a log.
impl std::fmt::Debug for LoginForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginForm")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

pub async fn login(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Form(form): Form<LoginForm>,
) -> Result<Response, Response> {
    // Sign-in CSRF: another site cannot sign a browser into its own account here.
    visit.check_origin(&state)?;
    let device = device(
        visit
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    );
    let outcome = state
        .engine
        .staff()
        .sign_in(&form.email, &form.password, &visit.prefix, &device)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    let next = safe_next(form.next.as_deref().unwrap_or("/admin/"));
    let (status, problem) = match outcome {
        SignIn::Welcome { secret, .. } => {
            let mut response = see_other(next);
            let secure = if state.secure_cookies { "; Secure" } else { "" };
            let cookie = format!(
                "{SESSION_COOKIE}={secret}; Path=/admin; Max-Age={SESSION_MAX}; HttpOnly; SameSite=Lax{secure}"
            );
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            return Ok(response);
        }
        SignIn::Refused => (StatusCode::UNAUTHORIZED, "refused"),
        SignIn::Throttled => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
    };
    let email: String = form.email.chars().take(254).collect();
    let mut page = state.admin.page(
        status,
        "login.html",
        context(
            &state,
            &visit,
            "login",
            None,
            Some(problem),
            context! { next, email },
        ),
    );
    if status == StatusCode::TOO_MANY_REQUESTS {
        page.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("900"));
    }
    Ok(page)
}

#[derive(Debug, Deserialize)]
pub struct TokenOnly {
    pub form_token: String,
}

pub async fn logout(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Form(form): Form<TokenOnly>,
) -> Result<Response, Response> {
    let session = visit.check_form(&state, &form.form_token)?;
    state
        .engine
        .staff()
        .sign_out(session, &visit.prefix)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    Ok(with_cleared_cookie(see_other(
        "/admin/login?done=signed_out",
    )))
}

/// Tells the browser to forget the session cookie.
pub fn with_cleared_cookie(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("gz_staff=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Lax"),
    );
    response
}

pub async fn link_form(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(secret): Path<String>,
) -> Result<Response, Response> {
    let open = state
        .engine
        .staff()
        .open_link(&secret)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    let (status, email, problem) = match &open {
        Some((account, _)) => (StatusCode::OK, account.email.to_string(), None),
        None => (StatusCode::GONE, String::new(), Some("link_used")),
    };
    let action = format!("/admin/password/{secret}");
    Ok(state.admin.page(
        status,
        "set_password.html",
        context(
            &state,
            &visit,
            "password",
            None,
            problem,
            context! { email, action },
        ),
    ))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
}

impl std::fmt::Debug for PasswordForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordForm").finish_non_exhaustive()
    }
}

pub async fn set_by_link(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(secret): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, Response> {
    visit.check_origin(&state)?;
    let outcome = state
        .engine
        .staff()
        .set_password_by_link(&secret, &form.password, &visit.prefix)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    match outcome {
        Ok(_) => Ok(with_cleared_cookie(see_other(
            "/admin/login?done=password_set",
        ))),
        Err(problem) => {
            let open = state
                .engine
                .staff()
                .open_link(&secret)
                .await
                .map_err(|e| WebError::from(e).into_response())?;
            let email = open.map(|(a, _)| a.email.to_string()).unwrap_or_default();
            let status = if email.is_empty() {
                StatusCode::GONE
            } else {
                StatusCode::BAD_REQUEST
            };
            let action = format!("/admin/password/{secret}");
            Ok(state.admin.page(
                status,
                "set_password.html",
                context(
                    &state,
                    &visit,
                    "password",
                    None,
                    Some(problem.0),
                    context! { email, action },
                ),
            ))
        }
    }
}

/// "Chromium on Linux": enough for the owner to recognise a session.
pub fn device(user_agent: &str) -> String {
    let browser = [
        ("MicroMessenger", "WeChat"),
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(mark, _)| user_agent.contains(mark))
    .map_or("Browser", |(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(mark, _)| user_agent.contains(mark))
    .map(|(_, name)| *name);
    match system {
        Some(system) => format!("{browser} · {system}"),
        None => browser.to_owned(),
    }
}
