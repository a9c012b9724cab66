#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Archive benchmarks on one generated archive of N messages (one record and one Merkle leaf
# each), in the same run:
#   - append throughput with checkpointing on: `custos import jsonl` of N messages, durable
#     commit, signed checkpoints at least once a second (leaves/s);
#   - `custos verify --json` (decrypt every record, recompute every leaf, rebuild the tree,
#     check every checkpoint) in records/s, beside `sha256sum` over the same bytes on disk
#     (custos.db after the import, which is what verify reads) in MB/s and records/s.
#   bench/verify_bench.sh [N] [CUSTOS_BIN]
# Not a test: run on demand; record figures in docs/performance.md (section "Archive").
set -euo pipefail
n=${1:-20000}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-$root/build/release/src/main/custos}
[ -x "$bin" ] || { echo "no custos binary at $bin (build it, or pass its path)" >&2; exit 64; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$n" >"$work/in.jsonl" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"source": "vbench", "source_id": f"v{i}", "channel": "sms",
                      "conversation": f"c{i % 200}", "from": f"+1555020{i % 900:04d}",
                      "to": ["+15550299000"], "sent_at": f"2026-09-{1 + i % 28:02d}T10:00:00Z",
                      "direction": "outbound", "attachments": [],
                      "text": f"verify benchmark message {i} on the rates desk, settlement T+1"}))
PY

now() { date +%s.%N; }
t0=$(now)
"$bin" import jsonl "$work/in.jsonl" --data "$work/data" --json >"$work/import.json"
t1=$(now)
"$bin" verify --json --data "$work/data" >"$work/verify.json"
t2=$(now)
sha256sum "$work/data/custos.db" >/dev/null
t3=$(now)
bytes=$(stat -c %s "$work/data/custos.db")

python3 - "$n" "$t0" "$t1" "$t2" "$t3" "$bytes" "$work/verify.json" <<'PY'
import json, sys
n = int(sys.argv[1]); t0, t1, t2, t3 = map(float, sys.argv[2:6]); size = int(sys.argv[6])
v = json.load(open(sys.argv[7]))
assert v["ok"], v
leaves = v["records"]
print(f"append (import jsonl, checkpointing on): {leaves} leaves in {t1 - t0:.2f} s"
      f" = {leaves / (t1 - t0):,.0f} leaves/s")
print(f"custos verify  : {leaves} records ({v['checkpoints']} checkpoints) in {t2 - t1:.2f} s"
      f" = {leaves / (t2 - t1):,.0f} records/s ({size / (t2 - t1) / 1e6:,.1f} MB/s of custos.db)")
print(f"sha256sum      : {size / 1e6:.1f} MB (custos.db) in {t3 - t2:.3f} s"
      f" = {size / (t3 - t2) / 1e6:,.1f} MB/s (= {leaves / (t3 - t2):,.0f} records/s)")
print(f"verify / sha256sum time: {(t2 - t1) / (t3 - t2):.1f}x")
PY
