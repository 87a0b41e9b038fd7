//! Cold page builds per second: how fast Gazette builds a page that is not
//! in its cache (store reads, rendering, compression), the figure a static
//! export of the whole site depends on. Used by `bench/hostile.sh`.
//!
//!     cold_builds DATABASE_FILE PAGE_PATH [BUILDS]
//!
//! Prints builds per second as served (cheap compression, `Packing::Fast`),
//! the same without compression (the measured cost of packing subtracted),
//! and what the best packing (gzip 9, brotli 11) costs per page, which
//! Gazette pays once per kept page, in the background.

use anyhow::{Context, Result, bail};
use gazette_engine::{CachedBody, Engine, Packing, Reply, SiteConfig};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(db), Some(path)) = (args.get(1), args.get(2)) else {
        bail!("usage: cold_builds DATABASE_FILE PAGE_PATH [BUILDS]");
    };
    let builds: u32 = args.get(3).map_or(Ok(300), |n| n.parse())?;
    let store = gazette_store::open(&format!("sqlite://{db}"))
        .await
        .context("opening the database")?;
    let theme = gazette_render::Theme::load(None)?;
    let config = SiteConfig {
        name_zh: "公报新闻".into(),
        name_en: "Gazette News".into(),
        base_url: "http://127.0.0.1:8080".into(),
        zone: gazette_core::time::SiteZone::parse("Asia/Shanghai")?,
        footer_lines: Vec::new(),
        moods: Default::default(),
        group_commit: true,
        public_diff: true,
        page_cache_bytes: gazette_engine::config::DEFAULT_PAGE_CACHE_BYTES,
        tokenless_votes_per_day: gazette_engine::config::DEFAULT_TOKENLESS_VOTES_PER_DAY,
        clock: gazette_core::Clock::System,
        staff: Default::default(),
        feeds_full_text: true,
        search_dir: None,
    };
    let engine = Engine::new(store, theme, config);
    let build = || async {
        match engine.build_uncached(path).await? {
            Reply::Body(body) => Ok::<Arc<CachedBody>, anyhow::Error>(body),
            Reply::Moved(to) => bail!("{path} redirects to {to}"),
        }
    };
    let page = build().await?;
    let mut total = Duration::ZERO;
    for _ in 0..builds {
        let started = Instant::now();
        build().await?;
        total += started.elapsed();
    }
    let html = page.identity.bytes.to_vec();
    let pack = |packing: Packing, times: u32| {
        let started = Instant::now();
        for _ in 0..times {
            std::hint::black_box(CachedBody::new(
                200,
                "text/html; charset=utf-8",
                "public",
                html.clone(),
                packing,
            ));
        }
        started.elapsed() / times
    };
    let fast = pack(Packing::Fast, builds);
    let best = pack(Packing::Best, 20);
    let per_build = total / builds;
    let per_build_raw = per_build.saturating_sub(fast);
    println!(
        "cold builds of {path} ({} bytes of HTML), {builds} builds:",
        html.len()
    );
    println!(
        "  as served (fast packing: gzip 1 + brotli 4): {:.0} builds/s ({:.2} ms each)",
        1.0 / per_build.as_secs_f64(),
        per_build.as_secs_f64() * 1e3
    );
    println!(
        "  without compression (packing's measured {:.2} ms subtracted): {:.0} builds/s",
        fast.as_secs_f64() * 1e3,
        1.0 / per_build_raw.as_secs_f64().max(1e-9)
    );
    println!(
        "  best packing (gzip 9 + brotli 11), once per kept page in the background: {:.1} ms",
        best.as_secs_f64() * 1e3
    );
    let sizes = |packing| {
        let body = CachedBody::new(200, "text/html", "public", html.clone(), packing);
        (
            body.gzip.map_or(0, |v| v.bytes.len()),
            body.brotli.map_or(0, |v| v.bytes.len()),
        )
    };
    let (fast_gz, fast_br) = sizes(Packing::Fast);
    let (best_gz, best_br) = sizes(Packing::Best);
    println!(
        "  sizes: fast gzip {fast_gz} B, brotli {fast_br} B; best gzip {best_gz} B, brotli {best_br} B"
    );
    Ok(())
}
