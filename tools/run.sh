#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Quick start, command 1: install what is needed, build, seed the demo data and serve it.
#   tools/run.sh [--data DIR] [--listen ADDR:PORT]
# Prints the URL and the admin credentials (the token is shown once, at first start, and kept
# in DIR/admin-token with mode 0600).
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
tools/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target custos
bin=build/release/src/main/custos
"$bin" demo seed --data "$data"
exec "$bin" serve --data "$data" --listen "$listen"
