//! Tests that run the `gazette` binary itself.
//!
//! The crash test: a load of votes from distinct voters while the server is
//! killed with SIGKILL at random moments and restarted on the same
//! database. Every vote the load saw acknowledged must be in the counts
//! afterwards, and the database must pass `PRAGMA integrity_check`: a vote
//! is acknowledged only after its commit. The server's whole log output and
//! every file of its data directory are then searched for the voters'
//! addresses: none may be there. `GAZETTE_CRASH_KILLS` sets the number of
//! kills (5 by default; `bench/crash.sh` runs 20).

mod support {
    pub mod load;
}

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use support::load;

const BINARY: &str = env!("CARGO_BIN_EXE_gazette");

fn free_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address")
}

/// Starts the server on `addr`, its output appended to `log`.
fn start(dir: &Path, addr: SocketAddr, log: &Path) -> Child {
    let output = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("log file");
    Command::new(BINARY)
        .args(["serve", "--addr", &addr.to_string(), "--config"])
        .arg(dir.join("gazette.toml"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        // Everything the server logs, at the most talkative level.
        .env("GAZETTE_LOG", "debug")
        .stdout(Stdio::from(output.try_clone().expect("log file")))
        .stderr(Stdio::from(output))
        .spawn()
        .expect("gazette starts")
}

/// The first start makes the demo's photo variants before it listens
/// (seconds on a debug build); later starts listen at once.
async fn wait_until_serving(addr: SocketAddr) {
    for _ in 0..3_000 {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the server did not start on {addr}");
}

fn random_below(limit: u64) -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("randomness");
    u64::from_le_bytes(bytes) % limit
}

/// `happy` votes per article in [`load::ARTICLES`], and the integrity check's verdict.
async fn inspect(db: &Path) -> (Vec<i64>, String) {
    use sqlx::Connection;
    let url = format!("sqlite://{}", db.display());
    let mut connection = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("open the database");
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut connection)
        .await
        .expect("integrity check");
    let mut counts = Vec::new();
    for article in load::ARTICLES {
        counts.push(
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM mood_counts \
                 WHERE article_id = $1 AND mood = $2",
            )
            .bind(article)
            .bind(load::MOOD)
            .fetch_one(&mut connection)
            .await
            .expect("counts"),
        );
    }
    connection.close().await.expect("close");
    (counts, verdict)
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(files_in(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_votes_survive_sigkill() {
    let kills: usize = std::env::var("GAZETTE_CRASH_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("data").join("gazette.db");
    std::fs::write(
        dir.path().join("gazette.toml"),
        "trusted_proxies = [\"127.0.0.1\"]\nvotes_per_minute = 4000000000\n",
    )
    .expect("config");
    let loaded = Command::new(BINARY)
        .args(["load-demo", "--data-dir"])
        .arg(dir.path().join("data"))
        .output()
        .expect("load-demo runs");
    assert!(loaded.status.success(), "{loaded:?}");
    let (before, verdict) = inspect(&db).await;
    assert_eq!(verdict, "ok");

    let addr = free_port();
    let log = dir.path().join("server.log");
    let stop = Arc::new(AtomicBool::new(false));
    let mut server = start(dir.path(), addr, &log);
    wait_until_serving(addr).await;
    let load = tokio::spawn(load::run(addr, 32, stop.clone()));
    for kill in 1..=kills {
        // Let votes flow for a random while, then pull the plug mid-commit.
        tokio::time::sleep(Duration::from_millis(150 + random_below(600))).await;
        server.kill().expect("SIGKILL");
        server.wait().expect("reaped");
        eprintln!("kill {kill}/{kills} done");
        server = start(dir.path(), addr, &log);
        wait_until_serving(addr).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let mut outcome = load.await.expect("load");
    server.kill().expect("SIGKILL");
    server.wait().expect("reaped");

    let (after, verdict) = inspect(&db).await;
    assert_eq!(verdict, "ok", "PRAGMA integrity_check");
    eprintln!(
        "{kills} kills: {} votes acknowledged (p99 {:.1} ms), {} unanswered, {} refused",
        outcome.total_acked(),
        outcome.percentile_ms(0.99),
        outcome.unanswered,
        outcome.refused
    );
    assert!(
        outcome.total_acked() > 100 * kills as u64,
        "the load ran between kills"
    );
    assert!(outcome.unanswered > 0, "some votes were cut off by a kill");
    assert_eq!(outcome.refused, 0, "distinct voters are never refused");
    for (i, article) in load::ARTICLES.iter().enumerate() {
        let gained = (after[i] - before[i]) as u64;
        assert!(
            gained >= outcome.acked[i],
            "article {article}: {} votes acknowledged but only {gained} counted",
            outcome.acked[i]
        );
    }
    let cut_off =
        after.iter().sum::<i64>() - before.iter().sum::<i64>() - outcome.total_acked() as i64;
    assert!(
        cut_off >= 0 && cut_off as u64 <= outcome.unanswered,
        "counted beyond the acknowledged only for requests cut off by a kill: {cut_off}"
    );

    // No voter's address in the log output or in any file of the data directory.
    let logged = std::fs::read(&log).expect("log");
    assert!(
        String::from_utf8_lossy(&logged).contains("Gazette is serving"),
        "the log was captured"
    );
    let addresses: std::collections::HashSet<String> = (1..=outcome.total_acked())
        .map(|voter| {
            format!(
                "10.{}.{}.{}",
                (voter >> 16) & 0xff,
                (voter >> 8) & 0xff,
                voter & 0xff
            )
        })
        .collect();
    let mut files = files_in(&dir.path().join("data"));
    files.push(log);
    for file in files {
        let bytes = std::fs::read(&file).expect("read");
        if let Some(found) = find_address(&bytes, &addresses) {
            panic!("{found} found in {}", file.display());
        }
    }
}

/// The first of `addresses` written anywhere in `bytes` (as text), found in
/// one pass: every run of digits and dots starting with "10." is checked,
/// with each of its prefixes (an address may be followed by more digits).
#[test]
fn a_second_demo_load_says_plainly_why_nothing_was_loaded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let load = || {
        let out = Command::new(BINARY)
            .args(["load-demo", "--data-dir"])
            .arg(&data)
            .output()
            .expect("load-demo runs");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(load().contains("demo content loaded"));
    let again = load();
    let db = data.join("gazette.db");
    assert!(
        again.contains("not loaded again") && again.contains(&db.display().to_string()),
        "{again}"
    );
}

fn find_address(bytes: &[u8], addresses: &std::collections::HashSet<String>) -> Option<String> {
    let mut at = 0;
    while at + 3 <= bytes.len() {
        if &bytes[at..at + 3] == b"10." {
            let run_end = bytes[at..]
                .iter()
                .position(|b| !(b.is_ascii_digit() || *b == b'.'))
                .map_or(bytes.len(), |n| at + n);
            let run = &bytes[at..run_end];
            for end in 7..=run.len().min(15) {
                let candidate = String::from_utf8_lossy(&run[..end]);
                if addresses.contains(candidate.as_ref()) {
                    return Some(candidate.into_owned());
                }
            }
        }
        at += 1;
    }
    None
}

#[test]
fn the_address_search_finds_what_it_looks_for() {
    let addresses = ["10.0.1.2".to_owned()].into_iter().collect();
    assert_eq!(
        find_address(b"\x00xx10.0.1.23 and", &addresses).as_deref(),
        Some("10.0.1.2")
    );
    assert_eq!(find_address(b"ip 10.0.1.3 or 110.0.2.2", &addresses), None);
    assert_eq!(
        find_address(b"x-forwarded-for: 10.0.1.2\r\n", &addresses).as_deref(),
        Some("10.0.1.2")
    );
}

/// `gazette user ...` on the database of a running server: the account it
/// adds can sign in at once; links come from the configured base URL.
#[tokio::test]
async fn user_commands_manage_accounts_while_the_server_runs() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let addr = free_port();
    let mut server = Command::new(BINARY)
        .args(["serve", "--addr", &addr.to_string(), "--data-dir"])
        .arg(&data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    wait_until_serving(addr).await;
    let user = |args: &[&str], stdin: Option<&str>| {
        let mut child = Command::new(BINARY)
            .arg("user")
            .args(args)
            .args(["--base-url", "https://news.example.org", "--data-dir"])
            .arg(&data)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("user command runs");
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(text.as_bytes())
                .expect("write");
        }
        let out = child.wait_with_output().expect("output");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, out, err) = user(
        &[
            "add",
            "Chief@Example.org",
            "--name",
            "总编",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some("  spaces count too  \r\n"),
    );
    assert!(ok, "{out}{err}");
    assert!(out.contains("added chief@example.org"), "{out}");
    let (ok, out, _) = user(
        &[
            "add",
            "lin@example.org",
            "--name",
            "林清云",
            "--name-en",
            "Lin Qingyun",
            "--role",
            "author",
        ],
        None,
    );
    assert!(ok);
    assert!(
        out.contains("https://news.example.org/admin/password/"),
        "{out}"
    );
    let (ok, out, _) = user(&["reset", "lin@example.org"], None);
    assert!(
        ok && out.contains("https://news.example.org/admin/password/"),
        "{out}"
    );
    let (ok, out, _) = user(&["disable", "lin@example.org"], None);
    assert!(ok && out.contains("lin@example.org is disabled"), "{out}");
    let (ok, _, err) = user(&["disable", "chief@example.org"], None);
    assert!(!ok && err.contains("last admin"), "{err}");
    let (ok, out, _) = user(&["enable", "lin@example.org"], None);
    assert!(ok && out.contains("enabled"), "{out}");
    let (ok, out, _) = user(&["clear-second-factor", "lin@example.org"], None);
    assert!(ok && out.contains("two-step verification is off"), "{out}");
    let (ok, out, _) = user(&["list"], None);
    assert!(ok);
    assert!(
        out.contains("chief@example.org\tadmin\t总编\tcan sign in"),
        "{out}"
    );
    assert!(
        out.contains("lin@example.org\tauthor\t林清云\twaiting for a password"),
        "{out}"
    );
    for (args, says) in [
        (
            &["add", "x@example.org", "--name", "x", "--role", "chief"][..],
            "unknown role",
        ),
        (
            &[
                "add",
                "chief@example.org",
                "--name",
                "x",
                "--role",
                "author",
            ][..],
            "exists already",
        ),
        (
            &["add", "not-an-address", "--name", "x", "--role", "author"][..],
            "not an email address",
        ),
        (&["reset", "nobody@example.org"][..], "no account"),
    ] {
        let (ok, _, err) = user(args, None);
        assert!(!ok && err.contains(says), "{args:?}: {err}");
    }
    let (ok, _, err) = user(
        &[
            "add",
            "y@example.org",
            "--name",
            "y",
            "--role",
            "author",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert!(!ok && err.contains("at least 10"), "{err}");
    // The running server signs the new admin in (the password's spaces kept).
    let form = "email=chief%40example.org&password=++spaces+count+too++";
    let request = format!(
        "POST /admin/login HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    assert!(answer.contains("gz_staff="), "{answer}");
    let _ = server.kill();
    let _ = server.wait();
}

/// A GET over a fresh connection: the status and the body.
async fn http_get(addr: SocketAddr, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    (status, body)
}

/// `gazette reindex` while the server runs: the server keeps answering
/// searches, switches to the new index within seconds, and deletes the old
/// one.
#[tokio::test]
async fn reindex_rebuilds_the_search_index_while_the_server_answers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let addr = free_port();
    let mut server = Command::new(BINARY)
        .args(["serve", "--demo", "--addr", &addr.to_string(), "--data-dir"])
        .arg(&data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    wait_until_serving(addr).await;
    let query = "/api/search?q=%E8%88%AA%E5%A4%A9%E5%91%98";
    let found = |body: &str| body.contains("45-crewed-spacecraft-launch.html");
    // The first index is filled in the background after start-up.
    let mut tries = 0;
    while !found(&http_get(addr, query).await.1) {
        tries += 1;
        assert!(tries < 300, "the index is filled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let current = || std::fs::read_to_string(data.join("search").join("current")).expect("current");
    let before = current();
    let mut reindex = Command::new(BINARY)
        .args(["reindex", "--data-dir"])
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("reindex runs");
    // Searches are answered all the while.
    let mut answered = 0;
    let output = loop {
        let (status, body) = http_get(addr, query).await;
        assert_eq!(status, 200);
        assert!(found(&body), "{body}");
        answered += 1;
        if let Some(status) = reindex.try_wait().expect("reindex") {
            assert!(status.success());
            break reindex.wait_with_output().expect("output");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(answered > 0);
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.contains("search index rebuilt: 82 articles"),
        "{printed}"
    );
    let after = current();
    assert_ne!(before, after, "a new index is live");
    // The server opens it (its next catch-up) and deletes the old folder.
    let old = data.join("search").join(before.trim());
    let mut tries = 0;
    while old.exists() {
        tries += 1;
        assert!(tries < 300, "the old index is deleted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        found(&http_get(addr, query).await.1),
        "answered from the new index"
    );
    server.kill().expect("stop");
    server.wait().expect("reaped");
}
