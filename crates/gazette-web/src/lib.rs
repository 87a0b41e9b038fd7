//! Gazette's HTTP layer. Public pages, assets and media are answered from
//! the engine's cached bytes; this crate only negotiates encodings, answers
//! conditional requests, sets headers and maps errors to status codes.

mod error;
mod negotiate;
mod respond;
mod site;

pub use error::WebError;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use gazette_engine::Engine;
use std::sync::Arc;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// HTTP settings that are not the site's.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Larger request bodies get 413 before they are read.
    pub max_body_bytes: usize,
    /// Other origins pages may load from (a CDN for assets and media),
    /// added to the Content-Security-Policy.
    pub extra_origins: Vec<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            max_body_bytes: 1 << 20,
            extra_origins: Vec::new(),
        }
    }
}

/// Shared state of every handler.
#[derive(Debug)]
pub struct AppState {
    pub engine: Arc<Engine>,
    /// The Content-Security-Policy every HTML page carries.
    pub csp: String,
}

/// The whole application router.
pub fn router(engine: Arc<Engine>, config: &WebConfig) -> Router {
    let sources = std::iter::once("'self'".to_owned())
        .chain(config.extra_origins.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    // No page may load from anywhere but the site's own origins.
    let csp = format!(
        "default-src {sources}; img-src {sources} data:; style-src {sources}; script-src {sources}; \
         connect-src {sources}; font-src {sources}; frame-src 'none'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    );
    let state = Arc::new(AppState { engine, csp });
    site::router()
        .with_state(state)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        // Spans carry method and path only: never a client address or header.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        }))
}
