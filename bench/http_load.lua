-- wrk script for bench/http_load.py: cycles through pre-signed Slack slash-command requests.
--
-- HTTP_LOAD_REQUESTS names a file of one request per line: "<timestamp>\t<signature>\t<body>"
-- (the body is form-encoded, so it holds no tab or newline). HTTP_LOAD_MARKER, when set, is a
-- string every 2xx response body must contain (e.g. "response_type"); responses without it are
-- counted as "bad". done() prints one JSON line that bench/http_load.py reads.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local requests = {}
local position = 1
local marker = nil
non2xx = 0
bad = 0

function init(args)
  local path = os.getenv("HTTP_LOAD_REQUESTS")
  marker = os.getenv("HTTP_LOAD_MARKER")
  if marker == "" then
    marker = nil
  end
  for line in io.lines(path) do
    local ts, sig, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    if ts then
      local headers = {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["X-Slack-Request-Timestamp"] = ts,
        ["X-Slack-Signature"] = sig,
      }
      table.insert(requests, wrk.format("POST", "/slack/events", headers, body))
    end
  end
  -- each thread starts at a different place in the cycle
  position = ((id or 1) * 7919) % #requests + 1
end

function request()
  local r = requests[position]
  position = position % #requests + 1
  return r
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  elseif marker and not (body and body:find(marker, 1, true)) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local n2, b = 0, 0
  for _, thread in ipairs(threads) do
    n2 = n2 + (thread:get("non2xx") or 0)
    b = b + (thread:get("bad") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'HTTP_LOAD_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, "bad": %d, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, n2, b,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean
  ))
end
