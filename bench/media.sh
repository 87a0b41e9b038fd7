#!/usr/bin/env bash
# Photos: upload to ready for a 24-megapixel JPEG (release build,
# `crates/gazette-media/examples/upload_bench.rs`): the check and clean
# copy an upload request waits for, then the variants and share card made
# off the request path, variants per second, and the process's peak memory
# (one decode at a time, as one of the server's decode permits). Then the
# images an article page with real photos costs a browser at 390 and 1280
# px, against the same page naming only the photo (no srcset), and its
# largest contentful paint (bench/clients/photo_pages.mjs, Chromium).
#
#   bench/media.sh            # needs scripts/install-test-deps (Chromium, e2e/node_modules)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --locked -p gazette-media --example upload_bench >/dev/null
echo "upload to ready ($(nproc) cores; medians of 3 runs)"
echo
echo "| photo | upload | stored copy | check and copy | variants and card | upload to ready | variants | variants/s | peak memory |"
echo "|---|---|---|---|---|---|---|---|---|"
"$CARGO_TARGET_DIR/release/examples/upload_bench" 6000 4000 3
"$CARGO_TARGET_DIR/release/examples/upload_bench" 4000 3000 3
echo
cargo build --release --locked -p gazette >/dev/null
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$CARGO_TARGET_DIR/release/gazette" serve --demo --addr "127.0.0.1:$port" --data-dir "$dir" \
  --fixed-clock 2026-11-20T09:30:00+08:00 >"$dir/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
GAZETTE_URL="http://127.0.0.1:$port" node bench/clients/photo_pages.mjs
