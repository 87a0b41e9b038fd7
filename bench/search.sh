#!/usr/bin/env bash
# Search over a large archive (release build,
# `crates/gazette/examples/search_bench.rs`): ARTICLES generated articles
# (default 100,000; Chinese, English and mixed, median body about 1,500
# characters) in a fresh PostgreSQL database; the full reindex `gazette
# reindex` runs, three times (articles/s, the median), 1,000 mixed
# queries on the index (p50, p99) and the same queries on PostgreSQL's
# own full-text search over the same rows (tsvector + GIN, LIKE +
# pg_trgm), the relevance cases on both, publish to searchable on this
# node and on a second node woken by NOTIFY, and the memory of a
# `gazette serve` with that index, before and after the same queries
# over HTTP.
# Targets: p99 at most 10 ms; at least 2,000 articles/s.
#
#   bench/search.sh [ARTICLES]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
articles="${1:-100000}"
db=gazette_search_bench
psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
dict=$(cargo metadata --format-version 1 --locked |
  python3 -c 'import json,sys,os; m=json.load(sys.stdin); print(next(os.path.join(os.path.dirname(p["manifest_path"]),"src/data/dict.txt") for p in m["packages"] if p["name"]=="jieba-rs"))')
cargo build --release --locked -p gazette --example search_bench --bin gazette >/dev/null
folder=$(mktemp -d)
server=
stop_server() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
  fi
}
trap 'stop_server; rm -rf "$folder" "$folder.second"; psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
echo "search over $articles articles ($(nproc) cores, PostgreSQL $(psql -At -h 127.0.0.1 -U postgres -d test -c 'SHOW server_version'))"
echo
"$CARGO_TARGET_DIR/release/examples/search_bench" "$dict" "$articles" \
  "postgres://postgres@127.0.0.1:5432/$db" "$folder/search"

# The server's memory with the index: a node on the same database and
# index folder (the clock at the archive's "now"), its resident memory
# once serving and after every query of the mix once.
port=18931
echo 'searches_per_minute = 1000000' > "$folder/bench.toml"
"$CARGO_TARGET_DIR/release/gazette" serve --data-dir "$folder" \
  --database-url "postgres://postgres@127.0.0.1:5432/$db" --config "$folder/bench.toml" \
  --addr "127.0.0.1:$port" --fixed-clock "$(date -u -d @1795000000 +%Y-%m-%dT%H:%M:%SZ)" \
  >"$folder/serve.log" 2>&1 &
server=$!
for _ in $(seq 600); do
  curl -fs --max-time 5 -o /dev/null "http://127.0.0.1:$port/api/search?q=probe" && break
  sleep 0.1
done
if ! curl -fsS --max-time 5 -o /dev/null "http://127.0.0.1:$port/api/search?q=probe"; then
  echo "the server did not answer:" >&2
  cat "$folder/serve.log" >&2
  exit 1
fi
rss() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server/status"; }
serving=$(rss)
failed=0
while IFS= read -r q; do
  curl -fsS --max-time 10 -o /dev/null -G --data-urlencode "q=$q" \
    "http://127.0.0.1:$port/api/search" || failed=$((failed + 1))
done <"$folder/queries.txt"
after=$(rss)
stop_server
if [ "$failed" -gt 0 ]; then
  echo "$failed queries failed over HTTP" >&2
  exit 1
fi
echo
echo "- server memory (RSS) with the index ($(du -sm "$folder/search" | cut -f1) MiB on disk): **$serving MiB** serving, **$after MiB** after the $(wc -l <"$folder/queries.txt") queries' words over HTTP (filters and pages left out)"
