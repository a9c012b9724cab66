#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Quick start, command 2: install what is needed, check, build and run every test.
#   1. the gates: the module dependency check, the SQL placement check, the clang-format check,
#      then (on the ci preset's compile_commands.json) the clang thread-safety check of every
#      src/ file (tools/check_thread_safety.py) and clang-tidy on the files a change touches
#      (tools/check_tidy.sh; CUSTOS_TIDY_ALL=1 for every file, CUSTOS_TIDY=0 to skip);
#   2. the ci preset (-Werror, optimised) and its test suite;
#   3. on demand (CUSTOS_TEST_ASAN=1): the asan preset (AddressSanitizer +
#      UndefinedBehaviorSanitizer) and its test suite. It doubles the time of a run on a
#      2-core machine (two full builds), so the default run keeps to one build.
# Tests labelled `slow` run only on demand: CUSTOS_TEST_LABELS=slow tools/test.sh.
# Ends with one line CI reads: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export CUSTOS_CORPUS="${CUSTOS_CORPUS:-$(cd .. && pwd)/shared/corpus}"
jobs=$(nproc 2>/dev/null || echo 2)

tools/install-deps.sh || exit 1
# CUSTOS_PCH=OFF|ON overrides the presets' precompiled headers (ON by default; OFF lets ccache
# hit across trees, cmake/Precompiled.cmake).
pch=()
if [ -n "${CUSTOS_PCH:-}" ]; then
  pch=(-DCUSTOS_PCH="$CUSTOS_PCH")
fi
python3 tools/check_module_deps.py || exit 1
python3 tools/check_sql_placement.py || exit 1
tools/check-format.sh || exit 1
cmake --preset ci "${pch[@]}" >/dev/null || exit 1
python3 tools/check_thread_safety.py --build-dir build/ci --self-test || exit 1
python3 tools/check_thread_safety.py --build-dir build/ci -j "$jobs" || exit 1
if [ "${CUSTOS_TIDY:-1}" = 1 ]; then
  tools/check_tidy.sh build/ci || exit 1
fi

passed=0
failed=0
run_suite() {  # preset
  local preset=$1 log
  log=$(mktemp)
  if ! cmake --preset "$preset" "${pch[@]}" >/dev/null || ! cmake --build --preset "$preset" -j "$jobs"; then
    echo "test.sh: the $preset build failed" >&2
    failed=$((failed + 1))
    return
  fi
  local args=(--preset "$preset" -j "$jobs" --timeout 600)
  if [ -n "${CUSTOS_TEST_LABELS:-}" ]; then
    args=(--test-dir "build/$preset" --output-on-failure -j "$jobs" --timeout 3600
          -L "$CUSTOS_TEST_LABELS")
  fi
  ctest "${args[@]}" 2>&1 | tee "$log"
  local line total fail
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "test.sh: no ctest summary for $preset" >&2
    failed=$((failed + 1))
  else
    fail=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
    passed=$((passed + total - fail))
    failed=$((failed + fail))
  fi
  rm -f "$log"
}

run_suite ci
if [ "${CUSTOS_TEST_ASAN:-0}" = 1 ]; then
  run_suite asan
fi
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
