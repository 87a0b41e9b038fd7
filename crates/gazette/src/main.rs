//! The `gazette` binary: subcommands to serve the site, migrate the
//! database, load the demo content and check a theme.

mod config;
mod user;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use config::FileConfig;
use gazette_engine::Engine;
use gazette_render::Theme;
use std::path::PathBuf;
use std::sync::Arc;

/// Gazette: a news publishing platform in one binary.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the public site over HTTP.
    Serve(ServeArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate(StoreArgs),
    /// Load the demo content into an empty database, then exit.
    LoadDemo(SiteArgs),
    /// Rebuild the search index of DATA_DIR from the database into a new
    /// index, then switch to it (a running server opens it within seconds
    /// and keeps answering meanwhile).
    Reindex(StoreArgs),
    /// Manage staff accounts (works while the server runs).
    #[command(subcommand)]
    User(user::UserCommand),
    /// Load a theme directory and render every template against fixtures;
    /// exits non-zero naming the file and line of the first error.
    CheckTheme {
        /// A theme directory overriding the built-in theme.
        #[arg(long, env = "GAZETTE_THEME_DIR")]
        theme_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
struct StoreArgs {
    /// Where Gazette keeps its files; the embedded database is DATA_DIR/gazette.db.
    #[arg(long, env = "GAZETTE_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// Use this database instead: sqlite://PATH or postgres://USER@HOST/DB.
    #[arg(long, env = "GAZETTE_DATABASE_URL")]
    database_url: Option<String>,
}

impl StoreArgs {
    /// Where the data lives, for people: the SQLite file, or which
    /// PostgreSQL server (never its password).
    fn describe(&self) -> String {
        match &self.database_url {
            Some(url) if url.starts_with("postgres") => {
                let host = url
                    .split_once('@')
                    .map_or(url.as_str(), |(_, rest)| rest)
                    .split(['/', '?'])
                    .next()
                    .unwrap_or_default();
                format!("the PostgreSQL database at {host}")
            }
            Some(url) => url.trim_start_matches("sqlite://").to_owned(),
            None => self.data_dir.join("gazette.db").display().to_string(),
        }
    }

    /// Where this node keeps its search index.
    fn search_dir(&self) -> PathBuf {
        self.data_dir.join("search")
    }

    fn url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("gazette.db").display()))
    }
}

#[derive(Debug, Args)]
struct SiteArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// A TOML configuration file (site names, base URL, time zone, footer lines, moods).
    #[arg(long, env = "GAZETTE_CONFIG")]
    config: Option<PathBuf>,
    /// The public URL of the site (canonical links, share cards).
    #[arg(long, env = "GAZETTE_BASE_URL")]
    base_url: Option<String>,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Address to listen on.
    #[arg(long, env = "GAZETTE_ADDR", default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Load the demo content first if the database is empty.
    #[arg(long, env = "GAZETTE_DEMO")]
    demo: bool,
    /// A theme directory overriding the built-in theme.
    #[arg(long, env = "GAZETTE_THEME_DIR")]
    theme_dir: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, env = "GAZETTE_WORKERS")]
    workers: Option<usize>,
    /// Take this instant (RFC 3339 with offset) as "now" instead of the
    /// system's time: the demo and every page then come out the same on
    /// every run (screenshot baselines, reproducible tests). The clock
    /// stands still; SIGUSR1 moves it an hour on (tests of schedules).
    #[arg(long, env = "GAZETTE_FIXED_CLOCK", value_parser = parse_fixed_clock)]
    fixed_clock: Option<gazette_core::Clock>,
}

fn parse_fixed_clock(instant: &str) -> Result<gazette_core::Clock, String> {
    gazette_core::Clock::fixed_at(instant).map_err(|e| e.to_string())
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GAZETTE_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    // One worker means one thread serving, like a single nginx worker: the
    // current-thread scheduler then skips work-stealing altogether.
    let mut runtime = match &cli.command {
        Command::Serve(ServeArgs {
            workers: Some(1), ..
        }) => tokio::runtime::Builder::new_current_thread(),
        Command::Serve(ServeArgs {
            workers: Some(n), ..
        }) => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            builder.worker_threads((*n).max(1));
            builder
        }
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    runtime.enable_all();
    let result = runtime
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(run(cli.command)));
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // The chain of causes on one line; no backtrace for an operator's mistake.
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<()> {
    match command {
        Command::Serve(args) => serve(args).await,
        Command::User(command) => user::run(command).await,
        Command::Migrate(args) => {
            let store = gazette_store::open(&args.url())
                .await
                .context("opening the database")?;
            println!("database is up to date ({})", store.backend());
            Ok(())
        }
        Command::LoadDemo(args) => {
            let file = FileConfig::read(args.config.as_deref())?;
            let site = file.site(args.base_url.as_deref(), "http://127.0.0.1:8080")?;
            let store = gazette_store::open(&args.store.url())
                .await
                .context("opening the database")?;
            load_demo(store.as_ref(), &site, &args.store.describe()).await
        }
        Command::Reindex(args) => reindex(args).await,
        Command::CheckTheme { theme_dir } => {
            Theme::load(theme_dir.as_deref())?;
            println!("theme is valid");
            Ok(())
        }
    }
}

async fn load_demo(
    store: &dyn gazette_store::Store,
    site: &gazette_engine::SiteConfig,
    location: &str,
) -> Result<()> {
    let articles = store.article_count().await?;
    if articles > 0 {
        println!(
            "The demo was not loaded again: {location} already has content ({articles} articles), \
             and the demo is only ever loaded into an empty database. To start afresh, stop \
             Gazette and delete that database (or use another --data-dir)."
        );
        return Ok(());
    }
    let report =
        gazette_engine::demo::load(store, &site.zone, &site.moods, site.clock.now()).await?;
    println!(
        "demo content loaded: {} channels, {} articles, {} photo items",
        report.channels, report.articles, report.photo_items
    );
    Ok(())
}

async fn reindex(args: StoreArgs) -> Result<()> {
    let store = gazette_store::open(&args.url())
        .await
        .context("opening the database")?;
    let folder = args.search_dir();
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} articles, {per_sec}, {eta} left",
        )
        .context("progress bar")?,
    );
    let started = std::time::Instant::now();
    let count = gazette_engine::search::rebuild(store.as_ref(), &folder, |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await
    .context("rebuilding the search index")?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "search index rebuilt: {count} articles in {seconds:.1} s ({:.0} articles/s), in {}",
        count as f64 / seconds.max(0.001),
        folder.display()
    );
    Ok(())
}

async fn serve(args: ServeArgs) -> Result<()> {
    let file = FileConfig::read(args.site.config.as_deref())?;
    let mut site = file.site(
        args.site.base_url.as_deref(),
        &format!("http://{}", args.addr),
    )?;
    if let Some(fixed) = args.fixed_clock {
        let clock = gazette_core::Clock::held_at(fixed.now());
        tracing::info!("the site's clock is fixed at {} (UTC seconds)", clock.now());
        site.clock = clock;
        move_clock_on_signal(clock)?;
    }
    // Load the theme before touching the database: a broken theme fails fast.
    let theme = Theme::load(args.theme_dir.as_deref())?;
    for mood in site.moods.iter() {
        anyhow::ensure!(
            theme.assets().has_mood_icon(&mood.icon),
            "mood {:?} names the icon {:?}, which the theme does not draw: \
             its assets/moods.svg needs a <symbol id=\"mood-{}\"> (the default theme draws \
             happy, sad, like and meh)",
            mood.key,
            mood.icon,
            mood.icon
        );
    }
    let store = gazette_store::open(&args.site.store.url())
        .await
        .context("opening the database")?;
    let location = args.site.store.describe();
    if args.demo {
        load_demo(store.as_ref(), &site, &location).await?;
    }
    let web = gazette_web::WebConfig {
        max_body_bytes: file.max_body_bytes.unwrap_or(1 << 20),
        extra_origins: file.extra_origins.clone().unwrap_or_default(),
        trusted_proxies: file.trusted_proxies.clone().unwrap_or_default(),
        votes_per_minute: file.votes_per_minute.unwrap_or(30),
        reads_per_minute: file.reads_per_minute.unwrap_or(600),
        export_origins: file.export_origins()?,
        secure_cookies: site.base_url.starts_with("https://"),
        site_origin: file.site_origin(args.site.base_url.as_deref()),
        junk_per_minute: file.junk_per_minute.unwrap_or(120),
        searches_per_minute: file.searches_per_minute.unwrap_or(60),
    };
    let base_url = site.base_url.clone();
    site.search_dir = Some(args.site.store.search_dir());
    let engine = Arc::new(Engine::new(store, theme, site));
    engine
        .staff()
        .prepare()
        .await
        .context("preparing sign-in")?;
    let converted = engine
        .newsroom()
        .convert_markdown_bodies()
        .await
        .context("converting Markdown bodies")?;
    if converted > 0 {
        tracing::info!(
            converted,
            "article bodies converted from Markdown to body HTML"
        );
    }
    // Photos waiting for their variants (the demo's, or uploads a stopped
    // node left) are made before the first request, so that pages name
    // them from the start; later uploads are picked up every second.
    let made = engine
        .media_library()
        .make_pending_variants()
        .await
        .context("making photo variants")?;
    if made > 0 {
        tracing::info!(made, "photo variants and share cards made");
    }
    let variants = engine.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(error) = variants.media_library().make_pending_variants().await {
                tracing::warn!(%error, "making photo variants failed");
            }
        }
    });
    // Sign-in failures, ended sessions and used links are kept a day, the
    // network prefixes of the audit log 90 days.
    let forgetting = engine.clone();
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            hourly.tick().await;
            if let Err(error) = forgetting.staff().forget_old().await {
                tracing::warn!(%error, "forgetting old account data failed");
            }
            // Queries too rare to show, of days that are over.
            if let Err(error) = forgetting.forget_rare_searches().await {
                tracing::warn!(%error, "forgetting rare searches failed");
            }
        }
    });
    // Every node follows the change log: its cached pages forget what other
    // nodes changed (PostgreSQL's NOTIFY, and a poll besides).
    engine
        .start_following()
        .await
        .context("following the change log")?;
    // Scheduled publications and take-downs, checked every second: each
    // job runs once however many nodes check (the store decides).
    let scheduling = engine.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(error) = scheduling.run_due_jobs().await {
                tracing::warn!(%error, "running scheduled publishing jobs failed");
            }
        }
    });
    let app = gazette_web::app(engine, &web);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("listening on {}", args.addr))?;
    println!(
        "Gazette is serving {base_url}/ (listening on {})",
        args.addr
    );
    println!("Its data is kept in {location}. Press Ctrl+C to stop.");
    gazette_web::serve(listener, app, shutdown()).await;
    Ok(())
}

/// SIGUSR1 moves a fixed clock an hour on: browser tests schedule a
/// publication and then let its time come.
#[cfg(unix)]
fn move_clock_on_signal(clock: gazette_core::Clock) -> Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut signals = signal(SignalKind::user_defined1()).context("listening for SIGUSR1")?;
    tokio::spawn(async move {
        while signals.recv().await.is_some() {
            clock.advance(3_600);
            tracing::info!("the site's clock moved on to {} (UTC seconds)", clock.now());
        }
    });
    Ok(())
}

#[cfg(not(unix))]
fn move_clock_on_signal(_clock: gazette_core::Clock) -> Result<()> {
    Ok(())
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}
