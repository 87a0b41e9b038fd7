//! What every back-office request carries: who is signed in (the session
//! cookie, checked in the store), the network prefix, the interface
//! language; and the checks a state-changing request must pass (the
//! session's form token, and `Origin`/`Sec-Fetch-Site` of the site itself).

use crate::{AppState, WebError, client, decode};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_core::Lang;
use gazette_engine::staff::{Actor, StaffSession, secrets};
use std::net::SocketAddr;
use std::sync::Arc;

/// The session cookie: only sent to `/admin`, never to public pages, so
/// the page cache never sees it.
pub const SESSION_COOKIE: &str = "gz_staff";

/// An answer that ends a request early (a redirect to sign in, a refusal),
/// boxed: handlers pass it on with `?` as their error response.
#[derive(Debug)]
pub struct Halt(Box<Response>);

impl From<Halt> for Response {
    fn from(halt: Halt) -> Self {
        *halt.0
    }
}

impl IntoResponse for Halt {
    fn into_response(self) -> Response {
        *self.0
    }
}

impl From<Response> for Halt {
    fn from(response: Response) -> Self {
        Halt(Box::new(response))
    }
}

/// A form that carries nothing but its token (a button).
#[derive(Debug, serde::Deserialize)]
pub struct TokenForm {
    pub form_token: String,
}

/// One back-office request.
#[derive(Debug)]
pub struct Visit {
    pub headers: HeaderMap,
    pub prefix: String,
    pub session: Option<StaffSession>,
    pub lang: Lang,
    pub path: String,
}

impl FromRequestParts<Arc<AppState>> for Visit {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        let prefix = client::prefix(client::address(
            peer,
            &parts.headers,
            &state.trusted_proxies,
        ));
        // Two session cookies (one planted by a sibling subdomain for a
        // narrower path, say): trust neither.
        let cookies = decode::cookies(&parts.headers, SESSION_COOKIE);
        let session = match cookies.as_slice() {
            [secret] => state
                .engine
                .staff()
                .session(secret)
                .await
                .map_err(|e| WebError::from(e).into_response())?,
            _ => None,
        };
        let lang = match &session {
            Some(s) => s.account.lang,
            None => lang_before_sign_in(&parts.headers, parts.uri.query()),
        };
        Ok(Visit {
            headers: parts.headers.clone(),
            prefix,
            session,
            lang,
            path: parts
                .uri
                .path_and_query()
                .map_or("/admin/", |pq| pq.as_str())
                .to_owned(),
        })
    }
}

/// Before sign-in: `?lang=en`, else the browser's first language.
fn lang_before_sign_in(headers: &HeaderMap, query: Option<&str>) -> Lang {
    if let Some(query) = query {
        for pair in query.split('&') {
            match pair {
                "lang=en" => return Lang::En,
                "lang=zh" => return Lang::Zh,
                _ => {}
            }
        }
    }
    let first = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .unwrap_or("zh");
    if first.trim().to_ascii_lowercase().starts_with("en") {
        Lang::En
    } else {
        Lang::Zh
    }
}

impl Visit {
    /// Who acts, for the staff service and the audit log.
    pub fn actor(&self) -> Actor<'_> {
        Actor::web(self.session.as_ref().map(|s| &s.account), &self.prefix)
    }

    /// The signed-in session, or a redirect to the sign-in page that comes
    /// back here.
    pub fn signed_in(&self) -> Result<&StaffSession, Halt> {
        self.session.as_ref().ok_or_else(|| {
            let next = url_encode(&self.path);
            see_other(&format!("/admin/login?next={next}")).into()
        })
    }

    /// The same-site check every back-office POST passes, signed in or not:
    /// a page of another site cannot make a staff member's browser post here.
    pub fn check_origin(&self, state: &AppState) -> Result<(), Halt> {
        state
            .origins
            .check_same_site(&self.headers)
            .map_err(|_| refused().into())
    }

    /// The checks of a signed-in form post: the origin and the session's
    /// form token.
    pub fn check_form(&self, state: &AppState, token: &str) -> Result<&StaffSession, Halt> {
        let session = self.signed_in()?;
        self.check_origin(state)?;
        if !secrets::same(&session.form_token, token) {
            return Err(refused().into());
        }
        Ok(session)
    }
}

/// An engine error as the answer a back-office handler stops with.
pub fn engine_error(error: gazette_engine::EngineError) -> Halt {
    WebError::from(error).into_response().into()
}

/// What a form's handler does with an engine error: a refusal (400 or
/// 409 from the engine) is a message to show on the form again; anything
/// else is the answer to stop with.
pub fn refusal(error: gazette_engine::EngineError) -> Result<String, Halt> {
    match error {
        gazette_engine::EngineError::BadRequest(message)
        | gazette_engine::EngineError::Conflict(message) => Ok(message),
        other => Err(engine_error(other)),
    }
}

/// 403 for a form without its token or from elsewhere.
fn refused() -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "this form has expired or did not come from this site; go back and send it again\n",
    )
        .into_response()
}

/// A 303 to a path of this site.
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// Where to go after sign-in: a back-office path, or the overview. Nothing
/// that a browser could read as another host (`//host`, `/\host`, a scheme).
pub fn safe_next(next: &str) -> &str {
    let stays_here = (next == "/admin" || next.starts_with("/admin/"))
        && !next.contains('\\')
        && !next.contains("//")
        && !next.contains("://")
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    if stays_here { next } else { "/admin/" }
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_in_the_back_office() {
        for good in ["/admin/", "/admin/people/3", "/admin/audit?action=login"] {
            assert_eq!(safe_next(good), good);
        }
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "/admin/\\evil",
            "/admin//evil.example",
            "/administrator",
            "/",
            "",
            "/admin/\r\nSet-Cookie: x=1",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(bad), "/admin/", "{bad:?}");
        }
    }
}
