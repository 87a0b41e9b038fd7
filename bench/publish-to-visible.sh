#!/usr/bin/env bash
# Publish-to-visible: from a publish request returning to the public page
# being served with the new content, on the node that published and on a
# second node on the same PostgreSQL (which learns of it through the
# change log's NOTIFY). ROUNDS publications (default 100) of one article,
# each through save, submission and sign-off; median, p99 and worst.
# Target: p99 under one second on both nodes.
#
#   bench/publish-to-visible.sh [ROUNDS]
#
# PostgreSQL is the machine's (GAZETTE_BENCH_POSTGRES, default
# postgres://postgres@127.0.0.1:5432), in a database made for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-100}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
server="${GAZETTE_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
command -v psql >/dev/null || { echo "bench needs psql (Debian: postgresql-client)" >&2; exit 1; }
cargo build --release --locked -p gazette >/dev/null
gazette="$CARGO_TARGET_DIR/release/gazette"
work="$(mktemp -d)"
database="gazette_publish_$$"
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
psql -q "$server/postgres" -c "CREATE DATABASE $database" >/dev/null
url="$server/$database"
password="bench password for publishing"
for member in "writer editor 基准编辑" "chief responsible-editor 基准责编"; do
  set -- $member
  echo "$password" | "$gazette" user add "$1@example.org" --name "$3" --role "$2" \
    --password-stdin --database-url "$url" >/dev/null
done
start() { # port, extra flags
  local port="$1"
  shift
  "$gazette" serve --workers 1 --addr "127.0.0.1:$port" --database-url "$url" "$@" \
    >"$work/gazette-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.2; done
  cat "$work/gazette-$port.log" >&2
  exit 1
}
start 18301 --demo
start 18302
echo "publish-to-visible, $rounds publications, two nodes on one PostgreSQL"
echo
echo "| node | publications | median | p99 | worst |"
echo "|---|---|---|---|---|"
python3 bench/clients/publish_to_visible.py http://127.0.0.1:18301 http://127.0.0.1:18302 \
  writer@example.org chief@example.org "$password" "$rounds"
