//! Upload to ready for one large photo: the check and clean copy (what an
//! upload request waits for), then its variants and share card (made off
//! the request path), timed, with the process's peak memory. The photo is
//! drawn here (smooth gradients with fine detail, like a photograph), so
//! the figure needs no download; `bench/media.sh` runs it.
//!
//! `upload_bench [WIDTH HEIGHT] [RUNS]` (default 6000 x 4000, 3 runs)

use gazette_media::card::photo_card;
use gazette_media::{Limits, make_variants, prepare};
use std::time::Instant;

fn peak_memory_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<u32> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (width, height) = match args.as_slice() {
        [w, h, ..] => (*w, *h),
        _ => (6000, 4000),
    };
    let runs = args.get(2).copied().unwrap_or(3).max(1);
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        let fx = x as f32 / width as f32;
        let fy = y as f32 / height as f32;
        let detail = ((x as f32 * 0.9).sin() * (y as f32 * 0.7).cos() * 18.0) as i32;
        image::Rgb([
            ((fx * 200.0) as i32 + 30 + detail).clamp(0, 255) as u8,
            ((fy * 180.0) as i32 + 40 - detail).clamp(0, 255) as u8,
            (((fx + fy) * 90.0) as i32 + 60 + detail / 2).clamp(0, 255) as u8,
        ])
    });
    let mut upload = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut upload, 92).encode_image(&pixels)?;
    drop(pixels);
    let limits = Limits::default();
    let (mut checks, mut variants_times, mut totals) = (Vec::new(), Vec::new(), Vec::new());
    let mut variant_count = 0;
    let mut stored_bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let prepared = prepare(&upload, &limits)?;
        let checked = start.elapsed().as_secs_f64();
        let made = Instant::now();
        let variants = make_variants(&prepared.bytes, prepared.kind, &limits)?;
        let _card = photo_card(&prepared.bytes, prepared.kind, &limits)?;
        let making = made.elapsed().as_secs_f64();
        variant_count = variants.len() + 1;
        stored_bytes = prepared.bytes.len();
        checks.push(checked);
        variants_times.push(making);
        totals.push(start.elapsed().as_secs_f64());
    }
    let making = median(variants_times);
    println!(
        "| {width} x {height} ({:.1} MP) | {:.1} MB | {:.1} MB | {:.2} s | {:.2} s | {:.2} s | {variant_count} | {:.1} | {:.0} MiB |",
        f64::from(width) * f64::from(height) / 1e6,
        upload.len() as f64 / 1e6,
        stored_bytes as f64 / 1e6,
        median(checks),
        making,
        median(totals),
        variant_count as f64 / making,
        peak_memory_mib()
    );
    Ok(())
}
