#!/usr/bin/env bash
# Load test of the running server (issue 15): seeds a county, starts `zhenggai serve` (or two behind nginx),
# runs wrk against the session check, the ledger API and page, Open311's posts and reads, and a burst of
# progress writes, checks
# that every acknowledged write was stored and the audit chain is intact, and prints the table for
# docs/benchmarks.md.
#
#   bench/load/run.sh [--problems 100000] [--duration 30] [--data DIR] [--two-servers] [--bin DIR]
#   DATABASE_URL=postgres://… bench/load/run.sh …      (PostgreSQL; the database is seeded once and reused)
#
# Needs a release build (swift build -c release) and `apt-get install wrk` (and nginx for --two-servers).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
problems=100000
duration=30
data=""
two=0
bin="$root/.build/release"
while [ $# -gt 0 ]; do
  case "$1" in
    --problems) problems=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --two-servers) two=1; shift ;;
    --bin) bin=$2; shift 2 ;;  # another build's zhenggai and zhenggai-bench, to measure before and after
    *) echo "未知参数：$1" >&2; exit 2 ;;
  esac
done
backend=sqlite
[ -n "${DATABASE_URL:-}" ] && backend=postgres
[ -n "$data" ] || data="$root/.build/bench-load-$backend-$problems"
for tool in "$bin/zhenggai" "$bin/zhenggai-bench"; do
  [ -x "$tool" ] || { echo "缺少 $tool：请先运行 swift build -c release" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "缺少 wrk：apt-get install wrk" >&2; exit 1; }
[ $two = 0 ] || command -v nginx >/dev/null || { echo "缺少 nginx：apt-get install nginx" >&2; exit 1; }

echo "# $(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) cores · $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# backend $backend, $problems problems, wrk 2 threads, ${duration}s per row, data $data"
seeded=$("$bin/zhenggai-bench" seed --problems "$problems" --data "$data")
token=$(sed -n 's/^TOKEN=//p' <<<"$seeded")
tasks=$(sed -n 's/^TASKS=//p' <<<"$seeded")
keys=$(sed -n 's/^OPEN311_KEYS=//p' <<<"$seeded")
echo "# seeded: $(sed -n 's/^PROBLEMS=//p' <<<"$seeded") problems in $(sed -n 's/^SEED_SECONDS=//p' <<<"$seeded") s (0 when reused)"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

start_server() { # port
  # The background jobs (the day's reminders, freezing periods) are measured by `zhenggai-bench rhythm`;
  # running them here would put a province's digest into whichever row happens to be running.
  ZHENGGAI_JOBS=false LOG_LEVEL=${LOG_LEVEL:-info} "$bin/zhenggai" serve --data "$data" --port "$1" \
    >"$data/serve-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$1/login" && return 0
    sleep 0.5
  done
  echo "服务未能在端口 $1 启动，见 $data/serve-$1.log" >&2
  exit 1
}

port=18080
if [ $two = 1 ]; then
  start_server 18081
  start_server 18082
  conf="$data/nginx.conf"
  cat >"$conf" <<EOF
worker_processes 1;
pid $data/nginx.pid;
error_log $data/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  upstream zhenggai { server 127.0.0.1:18081; server 127.0.0.1:18082; keepalive 64; }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://zhenggai;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
    }
  }
}
EOF
  nginx -c "$conf" -g 'daemon off;' &
  pids+=($!)
  sleep 1
else
  start_server $port
fi
base="http://127.0.0.1:$port"

export ZG_TOKEN=$token ZG_TASKS=$tasks ZG_LUA=$here ZG_OPEN311_KEYS=$keys
row() { # label connections script path
  local out
  out=$(wrk -t2 -c"$2" -d"${duration}s" --timeout 10s -s "$here/$3" "$base$4")
  read -r _ requests rate p50 p99 errors status <<<"$(grep '^RESULT' <<<"$out")"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$rate" "$p50" "$p99" "$((errors + status))"
  if [ "$3" = progress.lua ]; then
    acknowledged=$(sed -n 's/^CREATED //p' <<<"$out")
  fi
}

count_progress() {
  if [ $backend = sqlite ]; then
    python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from progress_entries").fetchone()[0])' "$data/zhenggai.sqlite"
  else
    # psql knows sslmode, not PostgresNIO's tlsmode.
    psql "${DATABASE_URL//tlsmode=/sslmode=}" -Atc 'select count(*) from progress_entries'
  fi
}

# Warm up: the first requests fill caches and the similarity index is built at boot.
wrk -t2 -c16 -d3s -s "$here/bearer.lua" "$base/api/v1/ledger" >/dev/null

echo
echo "| request | connections | req/s | p50 ms | p99 ms | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
row 'GET /login' 16 report-only.lua /login
for c in 16 64; do row 'GET /api/v1/me' $c bearer.lua /api/v1/me; done
for c in 16 64; do row 'GET /api/v1/ledger (50 rows)' $c bearer.lua /api/v1/ledger; done
for c in 16 64; do row 'GET /ledger (HTML, 50 rows)' $c cookie.lua /ledger; done
row 'GET /ledger?q=白条 (search)' 16 cookie.lua '/ledger?q=%E7%99%BD%E6%9D%A1'
# The appeals desk's Open311 interface (issue 14): posts from a hotline platform, then the lists it polls.
row 'POST /open311/v2/requests.json' 8 open311-post.lua /
row 'GET /open311/v2/requests.json (open, ≤1,000)' 16 report-only.lua '/open311/v2/requests.json?status=open'
row 'GET /open311/v2/requests/{id}.json' 16 report-only.lua '/open311/v2/requests/SQ2026-00001.json'
before=$(count_progress)
row 'POST progress (write burst)' 8 progress.lua /
after=$(count_progress)
echo
# Requests still in flight when wrk stops are stored but never acknowledged: stored may exceed acknowledged
# by up to the number of connections; fewer stored than acknowledged would be a lost write.
stored=$((after - before))
echo "write burst: $acknowledged acknowledged (201), $stored stored"
[ "$stored" -ge "$acknowledged" ] || { echo "丢失了已确认的写入：确认 $acknowledged 条，只存下 $stored 条" >&2; exit 1; }
cleanup
pids=()
trap - EXIT
"$bin/zhenggai" audit verify --data "$data"
