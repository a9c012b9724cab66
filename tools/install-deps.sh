#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian bookworm packages custos needs to build, run and test.
# Idempotent: packages already present are skipped, and apt is not touched at all when
# nothing is missing. Works as root; uses sudo otherwise.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang-format python3
  libsqlite3-dev sqlite3 libssl-dev
  nlohmann-json3-dev libcpp-httplib-dev libboost-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libvectorscan-dev libicu-dev libyaml-cpp-dev libphonenumber-dev
  libzip-dev libexpat1-dev
  libplist-dev
  libargon2-dev libqrencode-dev   # auth: Argon2id password hashes, TOTP enrolment QR codes
  curl procps
  ripgrep time
  clang libclang-rt-14-dev   # the fuzz preset (libFuzzer) and the thread-safety gate
  clang-tidy
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# npm (for the build-time policy lexicon): Debian's nodejs + npm, unless a node/npm is present.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -ne 0 ]; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
  fi

  echo "custos: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Build-time data from npm (package.json + package-lock.json at the repository root): the
# offensive-language lexicon of the default policy pack. `npm ci` only when node_modules/ does not
# match the lock file (a stamp holds the lock file's SHA-256).
root=$(cd "$(dirname "$0")/.." && pwd)
lock_sum=$(sha256sum "$root/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$root/node_modules/.custos-lock.sha256" 2>/dev/null)" != "$lock_sum" ]; then
  echo "custos: npm ci (build-time data: the policy lexicon)" >&2
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$root/node_modules/.custos-lock.sha256"
fi
