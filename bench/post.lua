-- wrk script: POSTs one AdmissionReview file to one path, optionally at a fixed rate, and prints one JSON
-- line of results. Arguments (after --): PATH FILE [RATE CONNECTIONS]
local path, body, interval = "/", "", 0

function init(args)
  path = args[1]
  local f = assert(io.open(args[2], "rb"))
  body = f:read("*a")
  f:close()
  local rate, connections = tonumber(args[3] or "0"), tonumber(args[4] or "1")
  if rate > 0 then
    -- each connection waits connections/rate seconds between requests: the total is RATE per second
    interval = 1000 * connections / rate
  end
end

function request()
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
end

function delay()
  return interval
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"errors":%d,"p50":%.3f,"p99":%.3f,"p999":%.3f,"max":%.3f}\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000))
end
