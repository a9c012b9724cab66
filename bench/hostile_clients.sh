#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The hostile-client suite (tests/hostile/) as a before/after benchmark: runs it against
#   1. a `custos` binary (default: today's, from the ci build) in report-only mode (figures
#      printed, nothing asserted: the old server is expected to fail), and
#   2. the transport target (hostile_target, http::Transport) with its assertions,
# and prints the "hostile[...]" figure lines of both. Record them in docs/performance.md.
#   bench/hostile_clients.sh [CUSTOS_BIN] [BUILD_DIR]
# Smaller runs: CUSTOS_HOSTILE_BODY_MIB, _SLOW, _IDLE, _STREAMS, _KEEPALIVE, _WINDOW_S.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$root/build/ci}
bin=${1:-$build/src/main/custos}
suite=$build/tests/hostile/hostile_suite_test
if [ ! -x "$suite" ]; then
  cmake --build "$build" -j1 --target hostile_suite_test hostile_target >/dev/null || exit 1
fi
run() {  # label, env...
  local label=$1
  shift
  echo "== $label"
  env "$@" "$suite" --gtest_brief=1 2>&1 | grep -E '^hostile|FAILED|PASSED' || true
}
if [ -x "$bin" ]; then
  run "custos serve ($bin), report only" CUSTOS_HOSTILE_TARGET=custos CUSTOS_BIN="$bin" \
    CUSTOS_HOSTILE_REPORT_ONLY=1
else
  echo "== no custos binary at $bin: skipping the 'before' run" >&2
fi
run "http::Transport (hostile_target)" CUSTOS_HOSTILE_TARGET=transport
