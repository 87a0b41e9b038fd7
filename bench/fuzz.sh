#!/usr/bin/env bash
# Runs each cargo-fuzz target for SECONDS (default 60) on the nightly
# toolchain: path routing, cursor decoding, the vote endpoints' form and
# cookie decoding, and Markdown sanitising (no script, event handler,
# javascript: URL or foreign resource may survive). A crash leaves its input
# under fuzz/artifacts/TARGET/; turn it into a regression test in the normal
# suite.
#
#   bench/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(page_route cursor vote_input markdown)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
rustup toolchain list | grep -q nightly || { echo "bench/fuzz.sh needs a nightly toolchain" >&2; exit 1; }
export CARGO_TARGET_DIR="${CARGO_FUZZ_TARGET_DIR:-$PWD/target}"
mkdir -p "$CARGO_TARGET_DIR"
status=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  echo "== $target: ${seconds}s" >&2
  dict=()
  [ -f "$target.dict" ] && dict=(-dict="$target.dict")
  if cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=4096 "${dict[@]}" 2>"$CARGO_TARGET_DIR/$target.log"; then
    grep -E '^(#[0-9]+|Done)' "$CARGO_TARGET_DIR/$target.log" | tail -n 1 >&2 || true
  else
    echo "$target FOUND A CRASH: see fuzz/artifacts/$target/ and $CARGO_TARGET_DIR/$target.log" >&2
    tail -n 30 "$CARGO_TARGET_DIR/$target.log" >&2
    status=1
  fi
done
exit "$status"
