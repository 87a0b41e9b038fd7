//! The load client of `bench/votes.sh`: votes from distinct voters over
//! keep-alive connections for a while, then waits for every answer.
//!
//!     vote_load ADDR SECONDS CONNECTIONS
//!
//! Prints `ACKED n REFUSED n UNANSWERED n RATE votes/s P50 ms P99 ms`.

#[path = "../tests/support/load.rs"]
mod load;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [addr, seconds, connections] = args.as_slice() else {
        return Err("usage: vote_load ADDR SECONDS CONNECTIONS".into());
    };
    let addr = addr.parse().map_err(|e| format!("address {addr:?}: {e}"))?;
    let seconds: f64 = seconds.parse().map_err(|e| format!("seconds: {e}"))?;
    let connections: usize = connections
        .parse()
        .map_err(|e| format!("connections: {e}"))?;
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let timer = {
        let stop = stop.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
            stop.store(true, Ordering::Relaxed);
        })
    };
    let mut outcome = load::run(addr, connections, stop).await;
    let elapsed = started.elapsed().as_secs_f64();
    let _ = timer.await;
    let (p50, p99) = (outcome.percentile_ms(0.50), outcome.percentile_ms(0.99));
    println!(
        "ACKED {} REFUSED {} UNANSWERED {} RATE {:.0} P50 {:.3} P99 {:.3}",
        outcome.total_acked(),
        outcome.refused,
        outcome.unanswered,
        outcome.total_acked() as f64 / elapsed,
        p50,
        p99,
    );
    Ok(())
}
