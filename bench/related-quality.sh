#!/usr/bin/env bash
# Precision@5 of related reading on the labelled set
# (crates/gazette-engine/src/related/labelled.toml: six subject groups in
# near pairs), against two baselines: most shared tags, and newest in the
# same channel. The same measurement runs as a test in the suite, which
# fails if related reading stops beating both by a clear margin.
#
#   bench/related-quality.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
echo "command: bench/related-quality.sh"
cargo test --release --locked -q -p gazette-engine --lib related::eval -- --nocapture 2>&1 |
  grep -E "precision|related reading|same tags|most recent"
