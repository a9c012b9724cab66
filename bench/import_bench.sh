#!/bin/bash
# Import benchmark (issue 5): a generated export of each streaming format — WhatsApp text,
# Telegram result.json, SMS Backup & Restore XML — imported into a fresh data directory by the
# real binary. Prints messages/s and peak resident memory (/usr/bin/time -f %M), which must stay
# under 256 MB whatever the file size. Not a test: run on demand; figures in docs/performance.md.
#
# usage: bench/import_bench.sh [SIZE_MB (default 1024)] [FORMAT...]
#   FORMAT       whatsapp telegram sms-backup (the default), slack (a workspace export
#                directory) or imessage (a chat.db)
#   CUSTOS_BIN   the binary (default build/release/src/main/custos, else build/dev/...)
#   BENCH_DIR    where the generated files and data directories go (default /tmp/custos-import-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
shift || true
formats=("$@")
[ ${#formats[@]} -gt 0 ] || formats=(whatsapp telegram sms-backup)
bin=${CUSTOS_BIN:-}
for candidate in build/release/src/main/custos build/dev/src/main/custos; do
  [ -n "$bin" ] || { [ -x "$candidate" ] && bin=$candidate; }
done
[ -x "$bin" ] || { echo "import_bench: no custos binary (set CUSTOS_BIN)" >&2; exit 1; }
dir=${BENCH_DIR:-/tmp/custos-import-bench}
mkdir -p "$dir"
limit_kb=$((256 * 1024))
status=0
printf '%-11s %9s %10s %9s %11s %10s\n' format "size MB" messages seconds "msg/s" "peak RSS"
for f in "${formats[@]}"; do
  case $f in
    whatsapp) file=$dir/whatsapp-$size_mb.txt ;;
    telegram) file=$dir/telegram-$size_mb.json ;;
    sms-backup) file=$dir/sms-$size_mb.xml ;;
    slack) file=$dir/slack-$size_mb ;;  # a directory; channels.json is written last
    imessage) file=$dir/imessage-$size_mb.db ;;
    *) echo "import_bench: unknown format $f" >&2; exit 64 ;;
  esac
  ready=$file
  [ "$f" != slack ] || ready=$file/channels.json
  [ -s "$ready" ] || python3 bench/import_bench_gen.py "$f" "$size_mb" "$file" > /dev/null
  data=$dir/data-$f
  rm -rf "$data"
  start=$(date +%s.%N)
  /usr/bin/time -f %M -o "$dir/rss-$f" "$bin" import "$f" "$file" --data "$data" --json \
    --custodian +447700900123 --self "Anna Jones" --chat-name "Bench" > "$dir/summary-$f" \
    2> "$dir/stderr-$f"
  end=$(date +%s.%N)
  imported=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])["imported"])' "$dir/summary-$f")
  rss_kb=$(tail -1 "$dir/rss-$f")
  secs=$(python3 -c "print(f'{$end - $start:.1f}')")
  rate=$(python3 -c "print(int($imported / max($end - $start, 1e-9)))")
  printf '%-11s %9s %10s %9s %11s %7s MB\n' "$f" "$(($(du -sb "$file" | cut -f1) / 1048576))" \
    "$imported" "$secs" "$rate" "$((rss_kb / 1024))"
  if [ "$rss_kb" -ge "$limit_kb" ]; then
    echo "import_bench: $f peak RSS ${rss_kb} kB is over 256 MB" >&2
    status=1
  fi
  rm -rf "$data"
done
exit $status
