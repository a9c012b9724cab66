#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Durable ingest of N generated messages through `custos import jsonl`, beside a raw SQLite
# batched insert of the same rows (sqlite3 CLI, WAL, synchronous=FULL, 1,000 rows per
# transaction, one UNIQUE key) in the same run. Prints messages/s for both and the ratio.
#   bench/ingest_bench.sh [N] [CUSTOS_BIN]
# Not a test: run on demand; record figures in docs/performance.md.
set -euo pipefail
n=${1:-100000}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-$root/build/release/src/main/custos}
if [ ! -x "$bin" ]; then
  cmake --preset release -S "$root" >/dev/null
  cmake --build --preset release --target custos >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$n" "$work" <<'PY'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
words = ("quarterly numbers client portfolio bond yield meeting tomorrow call please confirm "
         "the trade settlement invoice attached thanks regards update price target").split()
with open(f"{work}/in.jsonl", "w") as j, open(f"{work}/raw.sql", "w") as s:
    s.write("PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\n")
    s.write("CREATE TABLE m (id INTEGER PRIMARY KEY, source TEXT, source_id TEXT, channel TEXT,"
            " conversation TEXT, sender TEXT, recipients TEXT, sent_at TEXT, direction TEXT,"
            " text TEXT, UNIQUE (source, source_id));\n")
    for i in range(n):
        text = " ".join(words[(i * 7 + k * 3) % len(words)] for k in range(12)) + f" #{i}"
        m = {"source": "bench", "source_id": str(i), "channel": ("whatsapp", "sms", "slack")[i % 3],
             "conversation": f"conv-{i % 500}", "from": f"+1555010{i % 1000:04d}",
             "to": ["+15550199000"], "sent_at": f"2026-10-{1 + i % 28:02d}T09:{i % 60:02d}:00Z",
             "direction": "inbound", "text": text, "attachments": []}
        j.write(json.dumps(m) + "\n")
        if i % 1000 == 0:
            s.write("BEGIN;\n")
        vals = [m["source"], m["source_id"], m["channel"], m["conversation"], m["from"],
                json.dumps(m["to"]), m["sent_at"], m["direction"], text]
        s.write("INSERT INTO m (source, source_id, channel, conversation, sender, recipients,"
                " sent_at, direction, text) VALUES (" +
                ",".join("'" + v.replace("'", "''") + "'" for v in vals) + ");\n")
        if i % 1000 == 999 or i == n - 1:
            s.write("COMMIT;\n")
PY

now() { date +%s.%N; }
t0=$(now)
"$bin" import jsonl "$work/in.jsonl" --data "$work/data" --json >"$work/custos.json"
t1=$(now)
sqlite3 "$work/raw.db" <"$work/raw.sql" >/dev/null
t2=$(now)

python3 - "$n" "$t0" "$t1" "$t2" "$work/custos.json" <<'PY'
import json, sys
n, t0, t1, t2 = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
summary = json.load(open(sys.argv[5]))
assert summary["imported"] == n, summary
c, r = n / (t1 - t0), n / (t2 - t1)
print(f"custos import jsonl : {n} messages in {t1 - t0:.2f} s = {c:,.0f} msg/s")
print(f"raw sqlite3 batched : {n} rows     in {t2 - t1:.2f} s = {r:,.0f} rows/s")
print(f"ratio custos/raw    : {c / r:.2f}")
PY
