#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Policy engine benchmark (docs/performance.md, "Policy engine"). Builds policy_bench with the
# release preset in build/policy-bench (override with BUILD_DIR), then in the same run:
#   - policy_bench: compile time (1k/10k/100k terms), engine scan+evaluate and raw Vectorscan
#     messages/s over N generated messages (default 200000), single thread;
#   - grep -F and rg -F (whole word, case-insensitive) with the same terms over the same corpus.
#   bench/policy_bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
build=${BUILD_DIR:-build/policy-bench}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cmake --preset release -B "$build" -DCUSTOS_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target policy_bench -j "${JOBS:-2}" >/dev/null
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r)"
"$build/bench/policy_bench" "$out" "$n"

# CPU seconds (user + system) of the command, like policy_bench's figures.
time_it() {  # label command...
  local label=$1 cpu lines
  shift
  lines=$( { /usr/bin/time -f '%U %S' -o "$out/time" "$@" || true; } )
  cpu=$(awk '{ print $1 + $2 }' "$out/time")
  awk -v l="$label" -v c="$cpu" -v n="$n" -v hits="$lines" \
    'BEGIN { printf "%-24s %8.3f cpu-s %12.0f msg/s %8s lines\n", l, c, n / (c > 0 ? c : 0.001), hits }'
}
for k in 1000 10000; do
  time_it "grep -F -w -i ($k)" grep -c -F -w -i -f "$out/terms-$k.txt" "$out/corpus.txt"
  time_it "rg -F -w -i -j1 ($k)" rg -c -F -w -i -j1 -f "$out/terms-$k.txt" "$out/corpus.txt"
done
