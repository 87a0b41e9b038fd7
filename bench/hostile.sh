#!/usr/bin/env bash
# The hot path under hostile traffic: the demo's article page measured with
# wrk undisturbed, then while a paced junk client sends unique junk (cursors
# on every page kind, made-up tags, unknown paths, counts and vote pages of
# random ids, each from a random client address through a trusted proxy),
# rounds interleaved; Gazette and nginx (a static file against 404 junk of
# the same shape) side by side. Then: server CPU time per junk request,
# RSS growth over 200,000 distinct junk URLs, 404s per second, and cold
# page builds per second with and without compression.
#
#   bench/hostile.sh [ROUNDS] [SECONDS]
#
# Each server has one worker pinned to CPU 0; wrk and the junk client run on
# CPU 1. The junk client is wrk with bench/lua/junk.lua: 4 connections, 2 ms
# think time (at most ~2,000 requests/s).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds="${1:-3}"
seconds="${2:-8}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

bench_setup
cargo build --release --locked -p gazette --example cold_builds >/dev/null
cargo build --release --locked -p gazette >/dev/null
gazette_port=18090
nginx_port=18091

cat >"$work/gazette.toml" <<CONF
trusted_proxies = ["127.0.0.1"]
CONF
taskset -c 0 "$CARGO_TARGET_DIR/release/gazette" serve --demo --workers 1 --config "$work/gazette.toml" \
  --addr "127.0.0.1:$gazette_port" --data-dir "$work/data" >"$work/gazette.log" 2>&1 &
gazette_pid=$!
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$gazette_port/healthz" >/dev/null && break; sleep 0.2; done

article="/digital/governance/1-shared-safe-open-cyberspace.html"
gazette_base="http://127.0.0.1:$gazette_port"
mkdir -p "$work/www/digital/governance"
curl -sf "$gazette_base$article" -o "$work/www$article"

start_nginx "$work" "$nginx_port" ""
nginx_base="http://127.0.0.1:$nginx_port"
# Warm Gazette's cache (and let the background repacking finish).
for _ in 1 2 3; do curl -s -o /dev/null "$gazette_base$article"; sleep 0.5; done

# The paced junk client against a base URL, for a number of seconds; prints requests/s.
junk() {
  JUNK_DELAY_MS="${JUNK_DELAY_MS:-2}" taskset -c 1 wrk -t1 -c4 -d"$2s" -s bench/lua/junk.lua "$1" |
    awk '/Requests\/sec/ { printf "%.0f\n", $2 }'
}

declare -A rps p99 junk_rate
for round in $(seq 1 "$rounds"); do
  for server in gazette nginx; do
    base="$gazette_base"; [ "$server" = nginx ] && base="$nginx_base"
    read -r r p < <(measure "$base$article" 64 "$seconds")
    rps[$server.quiet]+="$r "; p99[$server.quiet]+="$p "
    echo "round $round $server undisturbed: $r req/s, p99 $p ms" >&2
    junk "$base" $((seconds + 2)) >"$work/junk.rate" &
    junk_pid=$!
    sleep 1
    read -r r p < <(measure "$base$article" 64 "$seconds")
    wait "$junk_pid"
    rps[$server.junk]+="$r "; p99[$server.junk]+="$p "
    junk_rate[$server]+="$(cat "$work/junk.rate") "
    echo "round $round $server under junk ($(cat "$work/junk.rate") junk req/s): $r req/s, p99 $p ms" >&2
  done
done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$gazette_pid/stat"; }
rss_kb() { awk '/VmRSS/ { print $2 }' "/proc/$gazette_pid/status"; }
hz=$(getconf CLK_TCK)

# CPU per junk request: junk alone, unpaced, for a while.
before=$(cpu_ticks)
count=$(JUNK_DELAY_MS=0 taskset -c 1 wrk -t1 -c4 -d10s -s bench/lua/junk.lua "$gazette_base" |
  awk '/requests in/ { print $1 }')
after=$(cpu_ticks)
cpu_per_junk=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$count" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')

# RSS after 200,000 distinct junk URLs, above the warm baseline.
baseline=$(rss_kb)
JUNK_DELAY_MS=0 JUNK_LIMIT=50000 taskset -c 1 wrk -t4 -c16 -d60s -s bench/lua/junk.lua "$gazette_base" >"$work/junk200k.txt"
sent=$(awk '/requests in/ { print $1 }' "$work/junk200k.txt")
grown=$(rss_kb)

# 404s per second: unknown paths only, unpaced.
cat >"$work/notfound.lua" <<'LUA'
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", "/no/such/page-" .. n .. "-" .. math.random(1, 1e9) .. ".html",
    { ["X-Forwarded-For"] = "198.18." .. math.random(0, 255) .. "." .. math.random(1, 254) })
end
LUA
notfound=$(taskset -c 1 wrk -t1 -c16 -d"${seconds}s" -s "$work/notfound.lua" "$gazette_base" | awk '/Requests\/sec/ { printf "%.0f", $2 }')

echo
echo "command: bench/hostile.sh $rounds $seconds  (article: wrk -t1 -c64 -d${seconds}s; junk: wrk -t1 -c4, 2 ms think time; medians of $rounds interleaved rounds)"
printf '%-8s %-11s %12s %10s %12s\n' server load "req/s" "p99 ms" "junk req/s"
for server in gazette nginx; do
  for load in quiet junk; do
    r=$(tr ' ' '\n' <<<"${rps[$server.$load]}" | grep . | median)
    p=$(tr ' ' '\n' <<<"${p99[$server.$load]}" | grep . | median)
    j="-"; [ "$load" = junk ] && j=$(tr ' ' '\n' <<<"${junk_rate[$server]}" | grep . | median)
    printf '%-8s %-11s %12.0f %10.3f %12s\n' "$server" "$load" "$r" "$p" "$j"
    eval "m_${server}_${load}=$r"
  done
  echo "$server: under junk / undisturbed = $(awk -v a="$(eval echo \$m_${server}_junk)" -v b="$(eval echo \$m_${server}_quiet)" 'BEGIN { printf "%.2f", a / b }')"
done
echo "server CPU per junk request (junk alone, unpaced, 10 s, $count requests): $cpu_per_junk µs"
echo "RSS: warm baseline $((baseline / 1024)) MiB; after $sent more distinct junk URLs $((grown / 1024)) MiB (+$(((grown - baseline) / 1024)) MiB)"
echo "404 pages: $notfound requests/s (unknown paths, each from a new address)"
echo
taskset -c 0 "$CARGO_TARGET_DIR/release/examples/cold_builds" "$work/data/gazette.db" "$article"
