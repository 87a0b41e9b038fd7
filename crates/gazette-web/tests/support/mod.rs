//! A test application: a fresh database with the demo content, the default
//! theme, and the real router, driven in-process.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use gazette_core::{MoodSet, time::SiteZone};
use gazette_engine::{Engine, SiteConfig};
use gazette_store::Store;
use http_body_util::BodyExt;
use scraper::{ElementRef, Html, Selector};
use std::sync::Arc;
use tower::ServiceExt;

pub const BASE: &str = "https://news.example.org";

pub struct TestApp {
    pub router: axum::Router,
    pub app: gazette_web::App,
    pub store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn html(&self) -> Html {
        Html::parse_document(&self.text())
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// The origin of the test site's statically exported copy (allowed by CORS).
pub const EXPORT_ORIGIN: &str = "https://static.example.org";

pub fn site_config() -> SiteConfig {
    SiteConfig {
        name_zh: "测试新闻".into(),
        name_en: "Test News".into(),
        base_url: BASE.into(),
        zone: SiteZone::parse("Asia/Shanghai").expect("zone"),
        footer_lines: vec![
            "测试ICP备12345678号".into(),
            "新闻许可证 10120170000".into(),
        ],
        moods: MoodSet::default(),
        group_commit: true,
        public_diff: true,
        page_cache_bytes: gazette_engine::config::DEFAULT_PAGE_CACHE_BYTES,
        tokenless_votes_per_day: gazette_engine::config::DEFAULT_TOKENLESS_VOTES_PER_DAY,
        clock: gazette_core::Clock::System,
        // Sign-in tests hash many times; one test checks the real cost.
        staff: gazette_engine::staff::StaffConfig {
            password_cost: gazette_engine::staff::PasswordCost::Cheap,
        },
        feeds_full_text: true,
        search_dir: None,
    }
}

/// The web settings of the test site: small limits, the export origin,
/// and the site's own origin from its base URL.
pub fn web_config() -> gazette_web::WebConfig {
    gazette_web::WebConfig {
        max_body_bytes: 4096,
        votes_per_minute: 20,
        reads_per_minute: 40,
        export_origins: vec![EXPORT_ORIGIN.into()],
        site_origin: Some(BASE.trim_end_matches('/').into()),
        ..Default::default()
    }
}

/// A schema of its own on the test PostgreSQL, for one test.
pub struct PgSchema {
    url: String,
    name: String,
}

impl PgSchema {
    /// A fresh schema and a store on it; `None` only when PostgreSQL is
    /// unreachable and GAZETTE_SKIP_POSTGRES=1 says to skip.
    pub async fn create(prefix: &str) -> Option<(Arc<dyn Store>, PgSchema)> {
        let url = std::env::var("GAZETTE_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let name = format!(
            "{prefix}_{}_{}",
            std::process::id(),
            jiff::Timestamp::now().as_nanosecond()
        );
        match gazette_store::PostgresStore::connect(&url, Some(&name)).await {
            Ok(store) => Some((Arc::new(store), PgSchema { url, name })),
            Err(e) if std::env::var("GAZETTE_SKIP_POSTGRES").as_deref() == Ok("1") => {
                eprintln!("PostgreSQL unavailable ({e}); SKIPPED (GAZETTE_SKIP_POSTGRES=1)");
                None
            }
            Err(e) => panic!(
                "PostgreSQL at {url} is unreachable: {e}; start one, or skip explicitly with GAZETTE_SKIP_POSTGRES=1"
            ),
        }
    }

    /// Drops the schema and everything in it. A node's background work
    /// (a vote batch, related reading) may still be writing: PostgreSQL
    /// then ends one side of the deadlock, and the drop is tried again.
    pub async fn drop_schema(self) {
        use sqlx::Connection;
        let mut connection = sqlx::PgConnection::connect(&self.url)
            .await
            .expect("connect");
        let drop = format!("DROP SCHEMA \"{}\" CASCADE", self.name);
        let mut attempts = 0;
        loop {
            match sqlx::query(sqlx::AssertSqlSafe(drop.clone()))
                .execute(&mut connection)
                .await
            {
                Ok(_) => return,
                Err(error) if attempts < 10 && is_deadlock(&error) => {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
                Err(error) => panic!("drop the test schema: {error}"),
            }
        }
    }
}

/// PostgreSQL's "deadlock detected".
fn is_deadlock(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == "40P01")
}

impl TestApp {
    /// A fresh SQLite database in a temporary directory, with the demo.
    pub async fn new() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let store: Arc<dyn Store> = Arc::new(
            gazette_store::SqliteStore::open(&dir.path().join("gazette.db"))
                .await
                .expect("open sqlite"),
        );
        Self::with_store(store, Some(dir)).await
    }

    pub async fn with_store(store: Arc<dyn Store>, dir: Option<tempfile::TempDir>) -> TestApp {
        Self::configured(store, dir, site_config(), web_config()).await
    }

    /// A fresh SQLite database with the demo, and the given settings.
    pub async fn with_config(site: SiteConfig, web: gazette_web::WebConfig) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let store: Arc<dyn Store> = Arc::new(
            gazette_store::SqliteStore::open(&dir.path().join("gazette.db"))
                .await
                .expect("open sqlite"),
        );
        Self::configured(store, Some(dir), site, web).await
    }

    async fn configured(
        store: Arc<dyn Store>,
        dir: Option<tempfile::TempDir>,
        config: SiteConfig,
        web: gazette_web::WebConfig,
    ) -> TestApp {
        let now = config.clock.now();
        gazette_engine::demo::load(store.as_ref(), &config.zone, &config.moods, now)
            .await
            .expect("demo loads");
        let theme = gazette_render::Theme::load(None).expect("theme");
        let engine = Arc::new(Engine::new(store.clone(), theme, config));
        let app = gazette_web::app(engine, &web);
        TestApp {
            router: app.router.clone(),
            app,
            store,
            _dir: dir,
        }
    }

    /// Another node on the same store: its own engine, cache and router
    /// (the demo is not loaded again).
    pub fn another_node(&self) -> TestApp {
        let theme = gazette_render::Theme::load(None).expect("theme");
        let engine = Arc::new(Engine::new(self.store.clone(), theme, site_config()));
        let app = gazette_web::app(engine, &web_config());
        TestApp {
            router: app.router.clone(),
            app,
            store: self.store.clone(),
            _dir: None,
        }
    }

    /// The engine behind the router, shared (to start its background work).
    pub fn engine_arc(&self) -> Arc<Engine> {
        self.app.state.engine.clone()
    }

    /// The engine behind the router.
    pub fn engine(&self) -> &Engine {
        &self.app.state.engine
    }

    /// A request from a given client address.
    pub async fn get_from(&self, peer: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
        let peer: std::net::SocketAddr = peer.parse().expect("peer address");
        let mut request = Request::builder().method(Method::GET).uri(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut request = request.body(Body::empty()).expect("request");
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        self.send(request).await
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body)).expect("request"))
            .await
    }

    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router never fails");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// A form POST from a given client address (the server loop attaches
    /// it in production; in-process requests have none otherwise).
    pub async fn post_from(
        &self,
        peer: &str,
        path: &str,
        form: &str,
        headers: &[(&str, &str)],
    ) -> Reply {
        let peer: std::net::SocketAddr = peer.parse().expect("peer address");
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut request = request.body(Body::from(form.to_owned())).expect("request");
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        self.send(request).await
    }

    /// Where the database lives (for the privacy test).
    pub fn data_dir(&self) -> Option<&std::path::Path> {
        self._dir.as_ref().map(|d| d.path())
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request(Method::GET, path, &[], Vec::new()).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        self.request(Method::GET, path, headers, Vec::new()).await
    }
}

/// A raw HTTP/1.1 exchange with a real server: the response's status line
/// and headers (lower-cased names) and its body.
pub async fn raw_request(
    addr: std::net::SocketAddr,
    request: &str,
) -> (String, Vec<(String, String)>, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.to_owned()))
        .collect();
    (status, headers, raw[split + 4..].to_vec())
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
    html.select(&selector).collect()
}

pub fn texts(html: &Html, css: &str) -> Vec<String> {
    select(html, css).iter().map(|e| text(e)).collect()
}

pub fn text(element: &ElementRef) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    select(html, css)
        .iter()
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

pub fn one(html: &Html, css: &str) -> String {
    let found = texts(html, css);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one {css}, found {found:?}"
    );
    found.into_iter().next().unwrap_or_default()
}
