//! The one error type at the HTTP boundary, and its status codes. Messages
//! for 4xx help the reader; 5xx bodies say nothing internal (the cause is
//! logged once, here).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_engine::EngineError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    BadRequest(String),
    /// For API paths; public pages answer with the 404 page instead.
    #[error("{0}")]
    NotFound(String),
    #[error("method not allowed: this address only answers GET and HEAD")]
    MethodNotAllowed,
    /// A vote or read from another site's page.
    #[error("{0}")]
    Forbidden(&'static str),
    /// The signed-in member's role may not do this.
    #[error("{0}")]
    NotAllowed(String),
    /// Someone else changed it first.
    #[error("{0}")]
    Conflict(String),
    #[error("too many requests from your network; please try again in a minute")]
    TooManyRequests,
    #[error("the request body is larger than this site accepts")]
    TooLarge,
    #[error("the server is busy; please try again")]
    Unavailable,
    #[error("internal error")]
    Internal(String),
}

impl From<EngineError> for WebError {
    fn from(error: EngineError) -> Self {
        match error {
            EngineError::BadRequest(message) => WebError::BadRequest(message),
            EngineError::NotFound(message) => WebError::NotFound(message),
            EngineError::Forbidden(message) => WebError::NotAllowed(message),
            EngineError::Conflict(message) => WebError::Conflict(message),
            EngineError::Timeout => WebError::Unavailable,
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            WebError::Forbidden(_) | WebError::NotAllowed(_) => StatusCode::FORBIDDEN,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            WebError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{self}\n"),
        )
            .into_response();
        if status == StatusCode::METHOD_NOT_ALLOWED {
            response
                .headers_mut()
                .insert(header::ALLOW, header::HeaderValue::from_static("GET, HEAD"));
        }
        response
    }
}
