#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The hostile-client suite (tests/hostile/) as a before/after benchmark: runs it against
#   1. a "before" server in report-only mode (figures printed, nothing asserted: the old server
#      is expected to fail): BEFORE_BIN, any binary that takes `serve --data DIR --listen
#      HOST:PORT` like custos — by default build/ci/src/main/custos (today's cpp-httplib server
#      until the transport is wired in), or build/ci/tests/hostile/hostile_target_httplib (today's
#      httplib configuration around the emulated policy), and
#   2. the transport target (hostile_target, http::Transport) with its assertions,
# and prints the "hostile[...]" figure lines of both. Record them in docs/performance.md.
#   bench/hostile_clients.sh [BEFORE_BIN] [BUILD_DIR]
# Smaller runs: CUSTOS_HOSTILE_BODY_MIB, _SLOW, _IDLE, _STREAMS, _KEEPALIVE, _WINDOW_S.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$root/build/ci}
bin=${1:-$build/src/main/custos}
suite=$build/tests/hostile/hostile_suite_test
if [ ! -x "$suite" ]; then
  cmake --build "$build" -j1 --target hostile_suite_test hostile_target >/dev/null || exit 1
fi
if [ "$bin" = "$build/tests/hostile/hostile_target_httplib" ] && [ ! -x "$bin" ]; then
  cmake --build "$build" -j1 --target hostile_target_httplib >/dev/null || exit 1
fi
run() {  # label, env...
  local label=$1
  shift
  echo "== $label"
  env "$@" "$suite" --gtest_brief=1 2>&1 | grep -E '^hostile|FAILED|PASSED' || true
}
if [ -x "$bin" ]; then
  run "before: $bin, report only" CUSTOS_HOSTILE_TARGET=custos CUSTOS_BIN="$bin" \
    CUSTOS_HOSTILE_REPORT_ONLY=1
else
  echo "== no binary at $bin: skipping the 'before' run" >&2
fi
run "http::Transport (hostile_target)" CUSTOS_HOSTILE_TARGET=transport
