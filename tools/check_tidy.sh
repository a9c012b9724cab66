#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs clang-tidy (.clang-tidy; every warning an error) with the flags of a configured build
# (build/ci/compile_commands.json) over the C++ files under src/ that a change touches:
#   - the files that differ from the merge base with origin/main (or main), committed or not;
#   - when nothing differs (a clean CI clone of main), the files of the last commit (against its
#     first parent, so a merge counts too), at most CUSTOS_TIDY_MAX of them (default 12, the
#     first in path order: deterministic, and bounded to a few minutes on 2 cores);
#   - CUSTOS_TIDY_ALL=1: every translation unit under src/ (slow: about half a minute of a core
#     per file), CUSTOS_TIDY_BASE=<rev>: the files changed since <rev>.
# A changed header is checked through the translation units of its module that include it
# (HeaderFilterRegex in .clang-tidy reports warnings in src/ headers).
#   tools/check_tidy.sh [BUILD_DIR]        (default build/ci; configure it first)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/ci}
jobs=${CUSTOS_TIDY_JOBS:-$(nproc 2>/dev/null || echo 2)}
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
if [ -z "$tidy" ]; then
  echo "check_tidy: clang-tidy not found (apt-get install clang-tidy)" >&2
  exit 1
fi
if [ ! -f "$build/compile_commands.json" ]; then
  echo "check_tidy: $build/compile_commands.json is missing; configure first (cmake --preset ci)" >&2
  exit 1
fi

changed() {
  if [ -n "${CUSTOS_TIDY_BASE:-}" ]; then
    git diff --name-only "$CUSTOS_TIDY_BASE" -- src
    return
  fi
  local base=""
  for ref in origin/main main; do
    if git rev-parse -q --verify "$ref" >/dev/null; then
      base=$(git merge-base HEAD "$ref" 2>/dev/null || true)
      [ -n "$base" ] && break
    fi
  done
  local files=""
  if [ -n "$base" ]; then
    files=$( (git diff --name-only "$base" -- src; git ls-files --others --exclude-standard src) |
      sort -u)
  fi
  if [ -z "$files" ] && git rev-parse -q --verify HEAD~1 >/dev/null; then
    files=$(git diff --name-only HEAD~1 HEAD -- src | grep -E '\.(cc|h)$' | sort |
      head -n "${CUSTOS_TIDY_MAX:-12}" || true)
  fi
  printf '%s\n' "$files"
}

if [ "${CUSTOS_TIDY_ALL:-0}" = 1 ]; then
  mapfile -t units < <(git ls-files 'src/*.cc')
  what="every file under src/"
else
  mapfile -t touched < <(changed | grep -E '\.(cc|h)$' || true)
  units=()
  for f in "${touched[@]}"; do
    [ -f "$f" ] || continue  # deleted
    case "$f" in
      *.cc) units+=("$f") ;;
      *.h)
        # The module's translation units that include the header (by its path from src/).
        inc=${f#src/}
        module=${inc%%/*}
        while IFS= read -r u; do units+=("$u"); done < <(
          grep -rlF "#include \"$inc\"" "src/$module" --include='*.cc' | head -n 2)
        ;;
    esac
  done
  mapfile -t units < <(printf '%s\n' "${units[@]}" | sed '/^$/d' | sort -u)
  what="the files a change touches"
fi
if [ ${#units[@]} -eq 0 ]; then
  echo "check_tidy: no C++ file under src/ changed; nothing to check"
  exit 0
fi
start=$(date +%s)
# gcc-only warning flags of the compile commands are unknown to clang: not a finding.
printf '%s\n' "${units[@]}" |
  xargs -P "$jobs" -n 1 "$tidy" -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option
echo "check_tidy: ok (${#units[@]} files: $what; $(($(date +%s) - start)) s, -j$jobs)"
