//! Gazette's HTTP layer. Public pages, assets and media are answered from
//! the engine's cached bytes; this crate only negotiates encodings, answers
//! conditional requests, sets headers and maps errors to status codes. The
//! reader endpoints (votes, read beacons, fresh counts) live under `/api/`
//! and answer the configured export origins (CORS).

mod admin;
mod client;
pub mod decode;
mod error;
mod junk;
mod limits;
mod negotiate;
mod origin;
mod respond;
mod search;
mod serve;
mod site;
mod styled_errors;
mod vote;

pub use error::WebError;
pub use serve::serve;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderValue;
use gazette_engine::Engine;
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// HTTP settings that are not the site's.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Larger request bodies get 413 before they are read.
    pub max_body_bytes: usize,
    /// Other origins pages may load from (a CDN for assets and media),
    /// added to the Content-Security-Policy.
    pub extra_origins: Vec<String>,
    /// Peers whose `X-Forwarded-For` is believed (a load balancer, a CDN).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Votes one network prefix may cast per minute before getting 429.
    pub votes_per_minute: u32,
    /// Read beacons one network prefix may send per minute before 429.
    pub reads_per_minute: u32,
    /// Origins of statically exported copies of the site (`https://static.example.org`),
    /// allowed to call `/api/` from the browser with credentials (CORS).
    pub export_origins: Vec<String>,
    /// Set the vote cookie with `Secure` (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// The origin of the configured base URL; votes and reads are taken
    /// from it (and the export origins) only. `None`: the request's host.
    pub site_origin: Option<String>,
    /// 404s, 400s and redirects one network prefix may get per minute
    /// before 429 (real pages are never limited).
    pub junk_per_minute: u32,
    /// Searches one network prefix may run per minute before 429.
    pub searches_per_minute: u32,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            max_body_bytes: 1 << 20,
            extra_origins: Vec::new(),
            trusted_proxies: Vec::new(),
            votes_per_minute: 30,
            reads_per_minute: 600,
            export_origins: Vec::new(),
            secure_cookies: false,
            site_origin: None,
            junk_per_minute: 120,
            searches_per_minute: 60,
        }
    }
}

/// Shared state of every handler.
#[derive(Debug)]
pub struct AppState {
    pub engine: Arc<Engine>,
    /// The Content-Security-Policy every HTML page carries, checked once.
    pub csp: HeaderValue,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub vote_limit: limits::RateLimit,
    pub read_limit: limits::RateLimit,
    pub junk_limit: limits::RateLimit,
    pub search_limit: limits::RateLimit,
    /// New vote tokens per network prefix and day, so that a script cannot
    /// harvest tokens by voting on many articles.
    pub token_limit: limits::RateLimit,
    pub origins: origin::SiteOrigins,
    pub secure_cookies: bool,
    /// The back office's templates and words.
    pub admin: admin::AdminPages,
}

/// The application: the router and the state the server's fast path shares with it.
pub fn app(engine: Arc<Engine>, config: &WebConfig) -> App {
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
    // Origins come from the operator's configuration; one that cannot be a
    // header value falls back to the strictest policy rather than to none.
    let csp = HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static(
        "default-src 'self'; img-src 'self' data:; frame-src 'none'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'self'",
    ));
    let tokens_per_day = u32::try_from(engine.config().tokenless_votes_per_day).unwrap_or(u32::MAX);
    let state = Arc::new(AppState {
        engine,
        csp,
        trusted_proxies: config.trusted_proxies.clone(),
        vote_limit: limits::RateLimit::per_minute(config.votes_per_minute),
        read_limit: limits::RateLimit::per_minute(config.reads_per_minute),
        junk_limit: limits::RateLimit::per_minute(config.junk_per_minute),
        search_limit: limits::RateLimit::per_minute(config.searches_per_minute),
        token_limit: limits::RateLimit::per_day(tokens_per_day),
        origins: origin::SiteOrigins {
            site: config
                .site_origin
                .as_ref()
                .map(|o| o.trim_end_matches('/').to_owned()),
            exports: config
                .export_origins
                .iter()
                .map(|o| o.trim_end_matches('/').to_owned())
                .collect(),
        },
        secure_cookies: config.secure_cookies,
        admin: admin::AdminPages::new(),
    });
    let router = site::router(&config.export_origins)
        .merge(admin::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            junk::limit_junk,
        ))
        .with_state(state.clone())
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        // Uploads and the article form: outside the site's body limit,
        // inside their own; their junk is charged like the rest.
        .merge(
            admin::upload_router()
                .merge(admin::article_form_router())
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    junk::limit_junk,
                ))
                .with_state(state.clone()),
        )
        // Outside the body limit, so that its 413 is styled too.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            styled_errors::styled_errors,
        ))
        // Spans carry method and path only: never a client address or header.
        // Debug level: at the default `info` they cost nothing on the hot path.
        // (Slow work has its own deadline in the engine; a cache hit needs no timer.)
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            tracing::debug_span!("request", method = %request.method(), path = %logged_path(request.uri().path()))
        }));
    App { router, state }
}

/// A path as logs may show it: a password link's secret is left out.
fn logged_path(path: &str) -> &str {
    if path.starts_with("/admin/password/") {
        "/admin/password/(secret)"
    } else if path.starts_with("/preview/") {
        "/preview/(secret)"
    } else {
        path
    }
}

/// The router and its shared state. Tests drive `router` in-process;
/// [`serve`] puts both behind the HTTP/1 server loop.
#[derive(Debug, Clone)]
pub struct App {
    pub router: Router,
    pub state: Arc<AppState>,
}
