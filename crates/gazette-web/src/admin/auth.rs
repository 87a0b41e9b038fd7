//! Signing in and out, and setting a password through a single-use link
//! (an invitation or a reset).

use super::account::context;
use super::guard::{SESSION_COOKIE, Visit, safe_next, see_other};
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_engine::staff::{SECOND_FACTOR_WAIT, SESSION_MAX, SignIn};
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
    let device = device_of(&visit);
    let outcome = state
        .engine
        .staff()
        .sign_in(&form.email, &form.password, &visit.prefix, &device)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    let next = safe_next(form.next.as_deref().unwrap_or("/admin/"));
    let (status, problem) = match outcome {
        SignIn::Welcome { secret, .. } => return Ok(welcome(&state, &secret, next)),
        SignIn::SecondFactor { pending } => {
            let mut response = see_other(&format!("/admin/login/code?next={}", encode(next)));
            set_cookie(
                &mut response,
                &format!(
                    "{PENDING_COOKIE}={pending}; Path=/admin; Max-Age={SECOND_FACTOR_WAIT}; HttpOnly; SameSite=Lax{}",
                    secure(&state)
                ),
            );
            return Ok(response);
        }
        SignIn::Refused | SignIn::Expired => (StatusCode::UNAUTHORIZED, "refused"),
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

/// The browser's half-done sign-in, while the second factor is awaited.
const PENDING_COOKIE: &str = "gz_staff_pending";

fn secure(state: &AppState) -> &'static str {
    if state.secure_cookies { "; Secure" } else { "" }
}

fn set_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

fn encode(path: &str) -> String {
    path.replace('%', "%25")
        .replace('&', "%26")
        .replace('?', "%3F")
        .replace('#', "%23")
}

/// Signed in: the session cookie, and on to `next`.
fn welcome(state: &AppState, secret: &str, next: &str) -> Response {
    let mut response = see_other(next);
    set_cookie(
        &mut response,
        &format!(
            "{SESSION_COOKIE}={secret}; Path=/admin; Max-Age={SESSION_MAX}; HttpOnly; SameSite=Lax{}",
            secure(state)
        ),
    );
    response
}

pub async fn code_form(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Query(query): Query<LoginQuery>,
) -> Response {
    let next = safe_next(query.next.as_deref().unwrap_or("/admin/"));
    state.admin.page(
        StatusCode::OK,
        "code.html",
        context(&state, &visit, "login", None, None, context! { next }),
    )
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
    next: Option<String>,
}

impl std::fmt::Debug for CodeForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeForm").finish_non_exhaustive()
    }
}

pub async fn code(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Form(form): Form<CodeForm>,
) -> Result<Response, Response> {
    visit.check_origin(&state)?;
    // Exactly one pending cookie: a second one (planted by a sibling
    // subdomain, say) makes the sign-in start again.
    let pending = match crate::decode::cookies(&visit.headers, PENDING_COOKIE).as_slice() {
        [one] => one.clone(),
        _ => String::new(),
    };
    let outcome = state
        .engine
        .staff()
        .second_factor(&pending, &form.code, &visit.prefix, &device_of(&visit))
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    let next = safe_next(form.next.as_deref().unwrap_or("/admin/"));
    let (status, problem) = match outcome {
        SignIn::Welcome { secret, .. } => {
            let mut response = welcome(&state, &secret, next);
            set_cookie(
                &mut response,
                &format!("{PENDING_COOKIE}=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Lax"),
            );
            return Ok(response);
        }
        SignIn::Expired | SignIn::SecondFactor { .. } => {
            return Ok(state.admin.page(
                StatusCode::UNAUTHORIZED,
                "login.html",
                context(
                    &state,
                    &visit,
                    "login",
                    None,
                    Some("sign_in_again"),
                    context! { next, email => "" },
                ),
            ));
        }
        SignIn::Refused => (StatusCode::UNAUTHORIZED, "wrong_code"),
        SignIn::Throttled => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
    };
    Ok(state.admin.page(
        status,
        "code.html",
        context(
            &state,
            &visit,
            "login",
            None,
            Some(problem),
            context! { next },
        ),
    ))
}

fn device_of(visit: &Visit) -> String {
    device(
        visit
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    )
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
