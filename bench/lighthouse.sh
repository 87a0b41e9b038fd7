#!/usr/bin/env bash
# Lighthouse on the home and article pages, as a phone sees them (its
# default mobile emulation: a mid-range phone on a throttled 4G link), with
# the release build serving the demo content. Runs each page RUNS times and
# prints the median of each category's score. A measurement, not a test.
#
#   bench/lighthouse.sh [RUNS]
#
# Lighthouse (pinned) is installed with npm into a cache directory beside
# the build; Chromium is Debian's.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs="${1:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
tools="$CARGO_TARGET_DIR/bench-tools/lighthouse"
port=8095

command -v chromium >/dev/null || { echo "bench needs chromium (Debian: chromium)" >&2; exit 1; }
if [ ! -x "$tools/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$tools"
  (cd "$tools" && npm install --no-audit --no-fund --loglevel=error lighthouse@13.5.0 >/dev/null)
fi
cargo build --release --locked -p gazette
work="$(mktemp -d)"
trap 'kill "${gazette_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
"$CARGO_TARGET_DIR/release/gazette" serve --demo --addr "127.0.0.1:$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
gazette_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

export CHROME_PATH=/usr/bin/chromium
echo "page performance accessibility best-practices seo (medians of $runs runs, mobile)"
for page in / /digital/governance/1-shared-safe-open-cyberspace.html; do
  for run in $(seq 1 "$runs"); do
    "$tools/node_modules/.bin/lighthouse" "http://127.0.0.1:$port$page" --quiet \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
      --output=json --output-path="$work/run-$run.json" >/dev/null 2>&1
  done
  scores=""
  for category in performance accessibility best-practices seo; do
    score=$(for run in $(seq 1 "$runs"); do
      node -e 'const r = require(process.argv[1]); console.log(Math.round(r.categories[process.argv[2]].score * 100))' "$work/run-$run.json" "$category"
    done | median)
    scores="$scores $score"
  done
  echo "$page$scores"
done
echo "command: bench/lighthouse.sh $runs"
