#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Quick start, command 1: install what is needed, build, seed the demo data and serve it.
#   tools/run.sh [--data DIR] [--listen ADDR:PORT]
# Says what it does in a few lines; the build's own output goes to build/release/build.log
# (shown when the build fails). Ends with the server's URL and the admin credentials (the
# token is shown once, at first start, and kept in DIR/admin-token with mode 0600).
set -euo pipefail
cd "$(dirname "$0")/.."
data=./custos-data
listen=127.0.0.1:8080
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --listen) listen=$2; shift 2 ;;
    *) echo "usage: tools/run.sh [--data DIR] [--listen ADDR:PORT]" >&2; exit 64 ;;
  esac
done
say() { printf 'custos: %s\n' "$*"; }

say "checking build dependencies (tools/install-deps.sh)..."
tools/install-deps.sh

log=build/release/build.log
mkdir -p build/release
say "building the release binary (the first build takes several minutes; log: $log)..."
if ! { cmake --preset release && cmake --build --preset release --target custos; } >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  say "the build failed; the whole log is $log" >&2
  exit 1
fi
bin=build/release/src/main/custos

if [ -e "$data/custos.db" ]; then
  say "using the existing data in $data (remove it for fresh demo data)"
else
  say "seeding demo data into $data..."
  "$bin" demo seed --data "$data"
fi
say "starting the server (Ctrl-C stops it)..."
exec "$bin" serve --data "$data" --listen "$listen"
