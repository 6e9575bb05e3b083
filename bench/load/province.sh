#!/usr/bin/env bash
# A province (issue 15, requirement 4): 1,000,000 problems in twenty counties of 50,000 on PostgreSQL (or
# SQLite), seeded through the product's own batch write (`createProblems`), then
#   1. the ledger pages and the province's counts in process, a write before each timed request so nothing
#      kept answers it (`zhenggai-bench ledger`),
#   2. `zhenggai serve` started on it: how long the similarity index takes at boot (its log line),
#   3. one county's ledger exported over HTTP as CSV (streamed) and as Excel: seconds, bytes, and the
#      server's resident memory before and at its peak (VmHWM),
#   4. `zhenggai audit verify` over the whole chain.
#
#   DATABASE_URL=postgres://… bench/load/province.sh [--problems 1000000] [--counties 20] [--data DIR]
#
# Needs a release build (swift build -c release), curl, and psql for PostgreSQL (VACUUM ANALYZE after seeding).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
problems=1000000
counties=20
rounds=5
data=""
bin="$root/.build/release"
while [ $# -gt 0 ]; do
  case "$1" in
    --problems) problems=$2; shift 2 ;;
    --counties) counties=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    *) echo "未知参数：$1" >&2; exit 2 ;;
  esac
done
backend=sqlite
[ -n "${DATABASE_URL:-}" ] && backend=postgres
[ -n "$data" ] || data="$root/.build/bench-province-$backend-$problems"
mkdir -p "$data"

echo "# $(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) cores · $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# backend $backend, $problems problems in $counties counties, data $data"
started=$(date +%s.%N)
seeded=$("$bin/zhenggai-bench" seed --problems "$problems" --counties "$counties" --data "$data")
token=$(sed -n 's/^TOKEN=//p' <<<"$seeded")
echo "# seeded: $(sed -n 's/^PROBLEMS=//p' <<<"$seeded") problems in $(sed -n 's/^SEED_SECONDS=//p' <<<"$seeded") s (0 when reused)"
if [ $backend = postgres ]; then
  # What a DBA does after loading a database: fresh statistics for the planner.
  psql "${DATABASE_URL//tlsmode=/sslmode=}" -qc 'VACUUM ANALYZE' >/dev/null
fi

echo
echo "## Pages and counts, in process (ms)"
"$bin/zhenggai-bench" ledger --problems "$problems" --counties "$counties" --rounds "$rounds" --data "$data"

port=18090
ZHENGGAI_JOBS=false LOG_LEVEL=info "$bin/zhenggai" serve --data "$data" --port $port >"$data/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  grep -q "similarity index ready\|similarity index could not" "$data/serve.log" 2>/dev/null && break
  sleep 0.5
done
echo
echo "## Boot"
grep -o 'similarity index ready.*' "$data/serve.log" || grep 'similarity index' "$data/serve.log"
echo "server resident memory after boot: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"

# The second county: the administrator reads every county, the export asks for one.
county=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/units" |
  python3 -c 'import json,sys; print(next(u["id"] for u in json.load(sys.stdin) if u["name"] == "基准测试2县"))')
echo
echo "## One county's ledger exported ($county)"
echo "| format | seconds | bytes | rows | server VmRSS before | server VmHWM after |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for format in csv xlsx; do
  before=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  out="$data/export.$format"
  seconds=$(curl -fs -o "$out" -w '%{time_total}' --cookie "zg_session=$token" \
    "http://127.0.0.1:$port/ledger/export?unit=$county&format=$format")
  rows="-"
  [ $format = csv ] && rows=$(($(wc -l <"$out") - 2))
  printf '| %s | %s | %s | %s | %s MB | %s MB |\n' "$format" "$seconds" "$(stat -c %s "$out")" "$rows" \
    "$((before / 1024))" "$(($(awk '/VmHWM/ {print $2}' /proc/$pid/status) / 1024))"
done
kill $pid
wait $pid 2>/dev/null || true
trap - EXIT

echo
echo "## Audit chain"
"$bin/zhenggai" audit verify --data "$data"
echo "# total $(printf '%.0f' "$(echo "$(date +%s.%N) - $started" | bc)") s"
