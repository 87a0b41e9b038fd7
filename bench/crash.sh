#!/usr/bin/env bash
# The crash test with 20 kills instead of the suite's 5: a load of votes from
# distinct voters while the server is killed with SIGKILL at random moments
# and restarted; every acknowledged vote must be in the counts afterwards,
# and the database must pass PRAGMA integrity_check
# (crates/gazette/tests/binary.rs).
#
#   bench/crash.sh [KILLS]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
kills="${1:-20}"
echo "command: bench/crash.sh $kills"
GAZETTE_CRASH_KILLS="$kills" cargo test --release --locked -q -p gazette --test binary \
  acknowledged_votes_survive_sigkill -- --nocapture 2>&1 | grep -E "kills:|test result|panicked|MISMATCH|found in"
