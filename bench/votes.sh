#!/usr/bin/env bash
# Durable mood votes per second over HTTP on loopback, each from a distinct
# voter, in three set-ups side by side:
#   full      synchronous=FULL, group commit (the default)
#   normal    synchronous=NORMAL, group commit
#   no-group  synchronous=FULL, one transaction per vote
#
#   bench/votes.sh [ROUNDS] [SECONDS] [CONNECTIONS]
#
# The server (release build, demo content, a fresh database per round) sees
# loopback as a trusted proxy and believes X-Forwarded-For, which the load
# client (crates/gazette/examples/vote_load.rs, over keep-alive HTTP/1.1
# connections) makes different on every vote; the vote rate limit is raised
# out of the way. The server runs on CPU 0, the client on CPU 1. The client
# waits for every answer before it stops; then the server is stopped and the
# votes the database gained are compared with the votes acknowledged: they
# must be equal.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
seconds="${2:-10}"
connections="${3:-256}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
for tool in taskset curl python3; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (Debian: util-linux, curl, python3)" >&2; exit 1; }
done
cargo build --release --locked -p gazette --bin gazette --example vote_load >/dev/null
work="$(mktemp -d)"
port=18090
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

happy_total() {
  python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT COALESCE(SUM(count), 0) FROM mood_counts WHERE mood = ?", ("happy",)).fetchone()[0])' "$1"
}

# One round of one set-up → "votes_per_second p99_ms acked added"
round() {
  local mode="$1" data="$work/$1-$2"
  local sync=full group=true
  [ "$mode" = normal ] && sync=normal
  [ "$mode" = no-group ] && group=false
  mkdir -p "$data"
  cat >"$data/gazette.toml" <<CONF
trusted_proxies = ["127.0.0.1"]
votes_per_minute = 4000000000
group_commit = $group
CONF
  "$CARGO_TARGET_DIR/release/gazette" load-demo --database-url "sqlite://$data/gazette.db" >/dev/null
  local before; before=$(happy_total "$data/gazette.db")
  taskset -c 0 "$CARGO_TARGET_DIR/release/gazette" serve --config "$data/gazette.toml" \
    --database-url "sqlite://$data/gazette.db?synchronous=$sync" \
    --addr "127.0.0.1:$port" >"$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  local out
  out=$(taskset -c 1 "$CARGO_TARGET_DIR/release/examples/vote_load" "127.0.0.1:$port" "$seconds" "$connections")
  kill -INT "$pid"; wait "$pid" 2>/dev/null || true; pid=
  local after; after=$(happy_total "$data/gazette.db")
  # ACKED n REFUSED n UNANSWERED n RATE r P50 ms P99 ms
  echo "$out" | awk -v added=$((after - before)) '/^ACKED/ { printf "%s %s %s %s %s\n", $8, $12, $2, added, $4 + $6 }'
  rm -rf "$data"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

modes=(full normal no-group)
declare -A rate p99
mismatch=0
for r in $(seq 1 "$rounds"); do
  for mode in "${modes[@]}"; do
    read -r v p acked added other < <(round "$mode" "$r")
    rate[$mode]+="$v "
    p99[$mode]+="$p "
    echo "round $r $mode: $v votes/s acknowledged, p99 $p ms, acked $acked, counted in db $added, not counted or unanswered $other" >&2
    [ "$acked" = "$added" ] || { echo "  MISMATCH: acknowledged $acked but the database gained $added" >&2; mismatch=1; }
  done
done

echo
echo "command: bench/votes.sh $rounds $seconds $connections  (vote_load, $connections connections, ${seconds}s; server on CPU 0, client on CPU 1; medians of $rounds rounds)"
printf '%-10s %14s %10s %8s\n' set-up "votes/s" "p99 ms" "vs full"
full=$(echo "${rate[full]}" | tr ' ' '\n' | grep . | median)
for mode in "${modes[@]}"; do
  v=$(echo "${rate[$mode]}" | tr ' ' '\n' | grep . | median)
  p=$(echo "${p99[$mode]}" | tr ' ' '\n' | grep . | median)
  printf '%-10s %14.0f %10.2f %7.2fx\n' "$mode" "$v" "$p" "$(awk -v a="$v" -v b="$full" 'BEGIN { print a / b }')"
done
[ "$mismatch" = 0 ] && echo "every round: votes counted in the database = votes acknowledged"
exit "$mismatch"
