//! The HTTP/1 server loop. Each connection is served by hyper directly, with
//! vectored writes and TCP_NODELAY. A GET or HEAD whose page is fresh in the
//! engine's cache is answered on the spot; everything else (misses, other
//! methods, assets, the API) goes through the axum router, with the peer's
//! address attached for handlers that need it.

use crate::{AppState, respond};
use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, Response, header};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long a client may take to send a request's headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Accepts connections until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    app: crate::App,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(connection) => connection,
                Err(error) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => return,
        };
        let _ = stream.set_nodelay(true);
        let state = app.state.clone();
        let router = app.router.clone();
        let service = hyper::service::service_fn(move |request| {
            handle(state.clone(), router.clone(), peer, request)
        });
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .writev(true)
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            // Connection errors are the client's business (resets, timeouts): nothing to log.
            let _ = connection.await;
        });
    }
}

async fn handle(
    state: Arc<AppState>,
    router: Router,
    peer: SocketAddr,
    request: Request<Incoming>,
) -> Result<Response<axum::body::Body>, Infallible> {
    if let Some(response) = fast_path(&state, &request) {
        return Ok(response);
    }
    let mut request = request.map(axum::body::Body::new);
    request.extensions_mut().insert(ConnectInfo(peer));
    router.oneshot(request).await
}

/// A fresh cached page, answered exactly as the router's page handler would.
fn fast_path(state: &AppState, request: &Request<Incoming>) -> Option<Response<axum::body::Body>> {
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        return None;
    }
    // A request with a body goes the long way, where the body limit applies.
    let headers = request.headers();
    if headers.contains_key(header::CONTENT_LENGTH)
        || headers.contains_key(header::TRANSFER_ENCODING)
    {
        return None;
    }
    let uri = request.uri();
    // An overlong address is refused (styled) by the router, not served.
    if uri
        .path_and_query()
        .is_some_and(|pq| pq.as_str().len() > crate::styled_errors::MAX_URI_BYTES)
    {
        return None;
    }
    let body = state.engine.cached_page(uri.path(), uri.query())?;
    Some(respond::cached(
        &body,
        method,
        request.headers(),
        Some(&state.csp),
    ))
}
