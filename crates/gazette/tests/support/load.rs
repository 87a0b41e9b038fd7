//! A load of mood votes over HTTP/1.1 keep-alive connections, for the crash
//! test and the votes benchmark. Every vote comes from a different voter: a
//! distinct `X-Forwarded-For` address, which the server believes because it
//! is configured to trust loopback as a proxy. A vote is acknowledged when
//! the server answers 200 with `"counted":true`; connections that fail
//! (the server was killed) are re-opened until the load is told to stop.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The demo's published articles votes go to (29 is retracted).
pub const ARTICLES: [i64; 20] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
];
pub const MOOD: &str = "happy";

/// What one load saw.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Votes answered 200 with `"counted":true`, per entry of [`ARTICLES`].
    pub acked: Vec<u64>,
    /// Answers that were not an acknowledged vote (should stay 0).
    pub refused: u64,
    /// Requests that got no answer (connection refused or cut).
    pub unanswered: u64,
    /// Latency of each acknowledged vote, in microseconds.
    pub latencies_us: Vec<u64>,
}

impl Outcome {
    pub fn total_acked(&self) -> u64 {
        self.acked.iter().sum()
    }

    /// The latency below which `share` (0..1) of acknowledged votes fell, in ms.
    pub fn percentile_ms(&mut self, share: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        self.latencies_us.sort_unstable();
        let index = ((self.latencies_us.len() as f64 * share).ceil() as usize)
            .clamp(1, self.latencies_us.len())
            - 1;
        self.latencies_us[index] as f64 / 1000.0
    }
}

/// Runs `connections` voters against `addr` until `stop` is set, then
/// waits for every request in flight to be answered or to fail.
pub async fn run(addr: SocketAddr, connections: usize, stop: Arc<AtomicBool>) -> Outcome {
    let next_voter = Arc::new(AtomicU64::new(1));
    let workers: Vec<_> = (0..connections)
        .map(|_| tokio::spawn(voter_loop(addr, next_voter.clone(), stop.clone())))
        .collect();
    let mut total = Outcome {
        acked: vec![0; ARTICLES.len()],
        ..Outcome::default()
    };
    for worker in workers {
        if let Ok(part) = worker.await {
            for (sum, n) in total.acked.iter_mut().zip(&part.acked) {
                *sum += n;
            }
            total.refused += part.refused;
            total.unanswered += part.unanswered;
            total.latencies_us.extend(part.latencies_us);
        }
    }
    total
}

async fn voter_loop(
    addr: SocketAddr,
    next_voter: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
) -> Outcome {
    let mut outcome = Outcome {
        acked: vec![0; ARTICLES.len()],
        ..Outcome::default()
    };
    let mut connection: Option<SendRequest<Full<Bytes>>> = None;
    while !stop.load(Ordering::Relaxed) {
        let sender = match connection.as_mut() {
            Some(sender) => sender,
            None => match connect(addr).await {
                Some(sender) => connection.insert(sender),
                None => {
                    // The server is down (killed, restarting): try again shortly.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let voter = next_voter.fetch_add(1, Ordering::Relaxed);
        let slot = (voter % ARTICLES.len() as u64) as usize;
        let started = Instant::now();
        match vote(sender, ARTICLES[slot], voter).await {
            Some(true) => {
                outcome.acked[slot] += 1;
                outcome
                    .latencies_us
                    .push(started.elapsed().as_micros() as u64);
            }
            Some(false) => outcome.refused += 1,
            None => {
                outcome.unanswered += 1;
                connection = None;
            }
        }
    }
    outcome
}

async fn connect(addr: SocketAddr) -> Option<SendRequest<Full<Bytes>>> {
    let stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    stream.set_nodelay(true).ok()?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .ok()?;
    tokio::spawn(connection);
    Some(sender)
}

/// One vote; `Some(true)` when acknowledged as counted, `None` without an answer.
async fn vote(sender: &mut SendRequest<Full<Bytes>>, article: i64, voter: u64) -> Option<bool> {
    let address = format!(
        "10.{}.{}.{}",
        (voter >> 16) & 0xff,
        (voter >> 8) & 0xff,
        voter & 0xff
    );
    let request = hyper::Request::post(format!("/api/articles/{article}/vote"))
        .header("host", "127.0.0.1")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("user-agent", "VoteLoad/1.0")
        .header("x-forwarded-for", address)
        .body(Full::new(Bytes::from(format!("mood={MOOD}"))))
        .ok()?;
    sender.ready().await.ok()?;
    let response = sender.send_request(request).await.ok()?;
    let status = response.status();
    let body = response.into_body().collect().await.ok()?.to_bytes();
    let counted = body
        .windows(b"\"counted\":true".len())
        .any(|w| w == b"\"counted\":true");
    Some(status == hyper::StatusCode::OK && counted)
}
