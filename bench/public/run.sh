#!/usr/bin/env bash
# Public pages under load (issue 13): the demo county's 公示 index, a publication, its printable notice with
# the QR code and the month's appeal figures, as residents arriving from a WeChat group open them — wrk,
# 64 connections, no session — then a long mixed run that samples the server's memory every minute.
#
#   bench/public/run.sh [--duration 30] [--soak 600] [--bin DIR]
#
# Needs a release build (swift build -c release --product zhenggai) and `apt-get install wrk`.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
duration=30
soak=600
bin="$root/.build/release"
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --soak) soak=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    *) echo "未知参数：$1" >&2; exit 2 ;;
  esac
done
[ -x "$bin/zhenggai" ] || { echo "缺少 $bin/zhenggai：请先运行 swift build -c release --product zhenggai" >&2; exit 1; }
command -v wrk >/dev/null || { echo "缺少 wrk：apt-get install wrk" >&2; exit 1; }

data=$(mktemp -d /tmp/zhenggai-bench-public-XXXXXX)
pid=""
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

"$bin/zhenggai" demo --data "$data" --password 'Bench-public-2026' >/dev/null
port=18190
ZHENGGAI_JOBS=false LOG_LEVEL=${LOG_LEVEL:-warning} "$bin/zhenggai" serve --data "$data" --port $port \
  >"$data/serve.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/public" >/dev/null 2>&1 && break; sleep 0.2; done
publication=$(curl -fs "$base/public" | grep -o '/public/publications/[0-9A-F-]\{36\}' | head -1)
[ -n "$publication" ] || { echo "演示数据中没有公开的公示" >&2; exit 1; }

echo "# $(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) cores · $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# demo county, release build, wrk 2 threads, ${duration}s per row, no session"
echo "| page | connections | req/s | p50 ms | p99 ms | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
export ZG_LUA="$root/bench/load"
row() { # label connections path
  local out
  out=$(wrk -t2 -c"$2" -d"${duration}s" --timeout 10s -s "$root/bench/load/report-only.lua" "$base$3")
  read -r _ requests rate p50 p99 errors status <<<"$(grep '^RESULT' <<<"$out")"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$rate" "$p50" "$p99" "$((errors + status))"
}
wrk -t2 -c16 -d3s "$base$publication" >/dev/null
row 'GET /public (index)' 64 /public
row 'GET /public/publications/{id}' 64 "$publication"
row 'GET …/{id}/notice (A4, QR code)' 64 "$publication/notice"
row 'GET /public/appeals (month figures)' 64 /public/appeals

# The soak: the four pages in turn for $soak seconds, the server's resident memory sampled every minute.
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
echo
echo "soak: ${soak}s, 64 connections, the four pages in turn; RSS (MB) at start and every 60 s:"
ZG_PATHS="/public $publication $publication/notice /public/appeals" \
  wrk -t2 -c64 -d"${soak}s" --timeout 10s -s "$here/rotate.lua" "$base" >"$data/soak.txt" &
soaker=$!
samples="$(( $(rss) / 1024 ))"
for _ in $(seq 1 $((soak / 60))); do
  sleep 60
  samples="$samples $(( $(rss) / 1024 ))"
done
wait $soaker
echo "RSS: $samples"
grep '^RESULT' "$data/soak.txt" | awk '{printf "soak: %d requests, %.1f req/s, p50 %.2f ms, p99 %.2f ms, errors %d\n", $2, $3, $4, $5, $6 + $7}'
