#!/usr/bin/env bash
# The back office's article list (the worklist) over a large archive:
# ARTICLES generated articles (default 100,000) next to the demo, on SQLite
# and on PostgreSQL, read over HTTP by a signed-in editor with wrk
# (--latency). Five pages: the first page, a filtered page (status and
# channel), one author's articles, and two title searches (a LIKE scan):
# a word in a quarter of the titles, and one in none (every row read). Target: p99 under 50 ms for the first page and a filtered page.
#
#   bench/worklist.sh [ARTICLES] [SECONDS]
#
# Gazette gets one worker pinned to CPU 0, wrk one thread and 4 connections
# on CPU 1. PostgreSQL is the machine's (GAZETTE_BENCH_POSTGRES, default
# postgres://postgres@127.0.0.1:5432), in a database made for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
articles="${1:-100000}"
seconds="${2:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
server="${GAZETTE_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
port=18090

bench_setup
cargo build --release --locked -p gazette >/dev/null
gazette="$CARGO_TARGET_DIR/release/gazette"
command -v psql >/dev/null || { echo "bench needs psql (Debian: postgresql-client)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench needs sqlite3 (Debian: sqlite3)" >&2; exit 1; }

# The rows: titles from a few words and the row number, channels and
# authors of the demo in turn, one in five a draft, changes spread over two
# years. $1 is the series of numbers in the backend's SQL.
generated_sql() {
  cat <<SQL
INSERT INTO articles (lang, slug, channel_id, status, title, summary, body, body_format,
                      published_at, updated_at, created_at)
SELECT CASE WHEN i % 7 = 0 THEN 'en' ELSE 'zh' END, 'generated',
       (SELECT MIN(id) FROM channels) + i % (SELECT COUNT(*) FROM channels),
       CASE WHEN i % 5 = 0 THEN 'draft' ELSE 'published' END,
       CASE i % 4 WHEN 0 THEN '城市更新' WHEN 1 THEN '网络空间治理' WHEN 2 THEN '乡村振兴'
                  ELSE 'Harbour night shift' END || ' 第' || i || '篇',
       '摘要', '<p>正文</p>', 'html', 1700000000 - i * 600, 1700000000 - i * 600, 1700000000 - i * 600
FROM $1;
INSERT INTO article_credits (article_id, role, position, person_id)
SELECT a.id, 'author', 0, (SELECT MIN(id) FROM people) + a.id % (SELECT COUNT(*) FROM people)
FROM articles a WHERE a.slug = 'generated';
SQL
}

# Starts Gazette on the store, signs an editor in, measures each page.
measure() { # backend label, store flags...
  local label="$1"
  shift
  echo "bench password for the worklist" | "$gazette" user add "bench-$label@example.org" \
    --name 基准编辑 --role editor --password-stdin "$@" >/dev/null
  taskset -c 0 "$gazette" serve --workers 1 --addr "127.0.0.1:$port" "$@" >"$work/gazette-$label.log" 2>&1 &
  gazette_pid=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  local cookie
  cookie=$(curl -s -D - -o /dev/null -H "Origin: http://127.0.0.1:$port" \
    --data "email=bench-$label%40example.org&password=bench+password+for+the+worklist" \
    "http://127.0.0.1:$port/admin/login" | sed -n 's/^set-cookie: gz_staff=\([0-9a-f]*\);.*/\1/ip')
  [ -n "$cookie" ] || { echo "could not sign in" >&2; cat "$work/gazette-$label.log" >&2; exit 1; }
  # A demo person credited on a share of the generated rows, and a channel.
  local person=3 channel=2
  # A word in a quarter of the titles, and one in none (the scan reads every row).
  local q rare
  q=$(printf '%s' '网络空间' | od -An -tx1 | tr ' ' '%' | tr -d '\n' | tr 'a-f' 'A-F')
  rare=$(printf '%s' '无此标题' | od -An -tx1 | tr ' ' '%' | tr -d '\n' | tr 'a-f' 'A-F')
  for page in "first page=/admin/articles" \
              "filtered (status, channel)=/admin/articles?status=published&channel=$channel" \
              "one author=/admin/articles?author=$person" \
              "title search=/admin/articles?q=$q" \
              "title search, no match=/admin/articles?q=$rare"; do
    local name="${page%%=*}" path="${page#*=}"
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: gz_staff=$cookie" "http://127.0.0.1:$port$path")
    [ "$status" = 200 ] || { echo "$path answered $status" >&2; exit 1; }
    local out
    out=$(taskset -c 1 wrk -t1 -c4 -d"${seconds}s" --latency -H "Cookie: gz_staff=$cookie" "http://127.0.0.1:$port$path")
    local p50 p99 rps
    p50=$(awk '/^ +50%/ {print $2}' <<<"$out")
    p99=$(awk '/^ +99%/ {print $2}' <<<"$out")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    printf '| %s | %s | %s | %s | %s |\n' "$label" "$name" "$p50" "$p99" "$rps"
  done
  kill "$gazette_pid"
  wait "$gazette_pid" 2>/dev/null || true
  gazette_pid=
}

echo "worklist with $articles generated articles (plus the demo's), ${seconds}s per page"
echo
echo "| store | page | p50 | p99 | requests/s |"
echo "|---|---|---|---|---|"

# SQLite: the demo, then the generated rows.
"$gazette" serve --demo --addr "127.0.0.1:$port" --data-dir "$work/sqlite" >"$work/demo.log" 2>&1 &
gazette_pid=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
kill "$gazette_pid"; wait "$gazette_pid" 2>/dev/null || true; gazette_pid=
generated_sql "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $articles) SELECT i FROM n) AS numbers" |
  sed '1i BEGIN;' | sed '$a COMMIT; ANALYZE;' | sqlite3 "$work/sqlite/gazette.db"
measure sqlite --data-dir "$work/sqlite"

# PostgreSQL: a database of its own.
database="gazette_bench_$$"
psql -q "$server/postgres" -c "CREATE DATABASE $database" >/dev/null
trap 'psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1; bench_cleanup' EXIT
"$gazette" serve --demo --addr "127.0.0.1:$port" --database-url "$server/$database" >"$work/demo-pg.log" 2>&1 &
gazette_pid=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
kill "$gazette_pid"; wait "$gazette_pid" 2>/dev/null || true; gazette_pid=
generated_sql "generate_series(1, $articles) AS numbers(i)" | psql -q "$server/$database" >/dev/null
psql -q "$server/$database" -c "ANALYZE" >/dev/null
measure postgres --database-url "$server/$database"
