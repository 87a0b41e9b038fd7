#!/usr/bin/env bash
# Gazette serving a demo article page vs nginx serving the same bytes as a
# static file, side by side in one run on loopback, with wrk.
#
#   bench/article-vs-nginx.sh [ROUNDS] [SECONDS] [CONNECTIONS]
#
# Both servers get one worker (Gazette: --workers 1; nginx: worker_processes 1),
# keep-alive, no access log, and are pinned to CPU 0 with taskset; wrk runs on
# CPU 1. Rounds alternate Gazette and nginx so that drift on a noisy machine
# hits both; the medians of the rounds are reported. Two comparisons:
#   plain:      no Accept-Encoding; both send the identity bytes
#   compressed: Accept-Encoding: gzip; nginx gzip_static serves a precompressed
#               copy (Gazette's own gzip variant), Gazette its cached variant
# Also prints the article page's transferred weight (HTML + CSS + JS, compressed).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds="${1:-5}"
seconds="${2:-10}"
connections="${3:-64}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

bench_setup
cargo build --release --locked -p gazette >/dev/null
gazette_port=18080
nginx_port=18081

taskset -c 0 "$CARGO_TARGET_DIR/release/gazette" serve --demo --workers 1 \
  --addr "127.0.0.1:$gazette_port" --data-dir "$work/data" >"$work/gazette.log" 2>&1 &
gazette_pid=$!
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$gazette_port/healthz" >/dev/null && break; sleep 0.2; done

article="/digital/governance/1-shared-safe-open-cyberspace.html"
gazette_url="http://127.0.0.1:$gazette_port$article"
mkdir -p "$work/www"
# The first request builds the page with cheap compression; the best packing
# is swapped in moments later, in the background. Copy that one.
curl -sf -o /dev/null "$gazette_url"
sleep 1
curl -sf "$gazette_url" -o "$work/www/article.html"
curl -sf -H 'Accept-Encoding: gzip' "$gazette_url" -o "$work/www/article.html.gz"
# The same bytes on both sides, and nginx must serve them as they are.
touch -r "$work/www/article.html" "$work/www/article.html.gz"

start_nginx "$work" "$nginx_port" "gzip_static on; gzip_vary on;"
nginx_url="http://127.0.0.1:$nginx_port/article.html"

# Same response sizes from both servers, or the comparison means nothing.
for mode in plain gzip; do
  header=()
  [ "$mode" = gzip ] && header=(-H 'Accept-Encoding: gzip')
  a=$(curl -s "${header[@]}" "$gazette_url" | wc -c)
  b=$(curl -s "${header[@]}" "$nginx_url" | wc -c)
  [ "$a" = "$b" ] || { echo "body sizes differ ($mode): gazette $a, nginx $b" >&2; exit 1; }
done


declare -A rps p99
for mode in plain gzip; do
  header=()
  [ "$mode" = gzip ] && header=(-H 'Accept-Encoding: gzip')
  for round in $(seq 1 "$rounds"); do
    for server in gazette nginx; do
      url="$gazette_url"; [ "$server" = nginx ] && url="$nginx_url"
      read -r r p < <(measure "$url" "$connections" "$seconds" "${header[@]}")
      rps[$server.$mode]+="$r "
      p99[$server.$mode]+="$p "
      echo "round $round $mode $server: $r req/s, p99 $p ms" >&2
    done
  done
done

echo
echo "command: bench/article-vs-nginx.sh $rounds $seconds $connections  (wrk -t1 -c$connections -d${seconds}s, medians of $rounds alternating rounds)"
printf '%-12s %-8s %12s %10s\n' mode server "req/s" "p99 ms"
for mode in plain gzip; do
  for server in gazette nginx; do
    r=$(tr ' ' '\n' <<<"${rps[$server.$mode]}" | grep . | median)
    p=$(tr ' ' '\n' <<<"${p99[$server.$mode]}" | grep . | median)
    printf '%-12s %-8s %12.0f %10.3f\n' "$mode" "$server" "$r" "$p"
    eval "m_${server}_${mode}=$r"
  done
  ratio=$(awk -v a="$(eval echo \$m_gazette_$mode)" -v b="$(eval echo \$m_nginx_$mode)" 'BEGIN { printf "%.2f", a / b }')
  echo "$mode: gazette / nginx = ${ratio}x"
done

# Transferred weight of the article page: HTML + CSS + JS, compressed (images excluded),
# as kept (best packing: the page may just have been rebuilt, so wait for it).
echo
curl -s -o /dev/null "$gazette_url"
sleep 1
page_html="$(curl -s "$gazette_url")"
css=$(grep -o 'href="/assets/site[^"]*\.css"' <<<"$page_html" | cut -d'"' -f2)
js=$(grep -o 'src="/assets/site[^"]*\.js"' <<<"$page_html" | cut -d'"' -f2)
for enc in gzip br; do
  total=0
  for path in "$article" "$css" "$js"; do
    size=$(curl -s -H "Accept-Encoding: $enc" "http://127.0.0.1:$gazette_port$path" | wc -c)
    total=$((total + size))
    echo "weight $enc $path: $size bytes"
  done
  echo "weight $enc total (HTML + CSS + JS): $total bytes ($(awk -v t="$total" 'BEGIN { printf "%.1f", t / 1024 }') KiB)"
done
