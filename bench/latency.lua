-- wrk: print requests, errors and latency percentiles (microseconds) as one parsable line.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d duration_us=%d errors=%d p50=%d p95=%d\n",
    summary.requests, summary.duration, errors, latency:percentile(50), latency:percentile(95)))
end
