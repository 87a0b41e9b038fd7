#!/usr/bin/env bash
# Related reading over a large archive: a full recomputation of every
# article's list over SIZES synthetic Chinese articles (default 10,000 and
# 100,000) of about 1,500 characters drawn from jieba's own dictionary by
# word frequency, each about one of 500 subjects (release build,
# `crates/gazette-engine/examples/related_scale.rs`): time to segment, time
# to rank, peak memory, and the share of each article's top five about its
# own subject; then one more article published through the index (its
# list and the lists it enters). Then precision@5 on the labelled set, in
# the same run.
# Targets at 100,000: under a minute and under 1 GB.
#
#   bench/related-scale.sh [SIZES...]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
dict=$(cargo metadata --format-version 1 --locked |
  python3 -c 'import json,sys,os; m=json.load(sys.stdin); print(next(os.path.join(os.path.dirname(p["manifest_path"]),"src/data/dict.txt") for p in m["packages"] if p["name"]=="jieba-rs"))')
cargo build --release --locked -p gazette-engine --example related_scale >/dev/null
echo "related reading, full recomputation ($(nproc) cores)"
echo
echo "| articles | segmenting | ranking | total | peak memory | top five on the subject | one publication |"
echo "|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  "$CARGO_TARGET_DIR/release/examples/related_scale" "$dict" "$n"
done
echo
cargo test --release --locked -q -p gazette-engine --lib related::eval -- --nocapture 2>&1 |
  grep -E "precision|related reading|same tags|most recent"
