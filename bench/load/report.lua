-- Shared by the load scripts: one machine-readable line at the end, which run.sh turns into the table.
-- Fields: requests, req/s, p50 ms, p99 ms, socket errors, non-2xx/3xx answers.
function report(summary, latency)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %.1f %.2f %.2f %d %d\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors, summary.errors.status))
end
