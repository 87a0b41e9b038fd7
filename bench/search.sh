#!/usr/bin/env bash
# Search over a large archive (release build,
# `crates/gazette/examples/search_bench.rs`): ARTICLES generated articles
# (default 100,000; Chinese, English and mixed, median body about 1,500
# characters) in a fresh PostgreSQL database; the full reindex `gazette
# reindex` runs (articles/s), 1,000 mixed queries on the index (p50, p99)
# and the same queries on PostgreSQL's own full-text search over the same
# rows (tsvector + GIN, LIKE + pg_trgm), the relevance cases on both, the
# memory the index adds, and publish to searchable on this node and on a
# second node woken by NOTIFY.
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
cargo build --release --locked -p gazette --example search_bench >/dev/null
folder=$(mktemp -d)
trap 'rm -rf "$folder" "$folder.second"; psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $db"' EXIT
echo "search over $articles articles ($(nproc) cores, PostgreSQL $(psql -At -h 127.0.0.1 -U postgres -d test -c 'SHOW server_version'))"
echo
"$CARGO_TARGET_DIR/release/examples/search_bench" "$dict" "$articles" \
  "postgres://postgres@127.0.0.1:5432/$db" "$folder/search"
