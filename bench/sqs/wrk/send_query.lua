-- wrk script: raw SQS SendMessage over the query protocol
-- (form body Action=SendMessage&QueueUrl=...&MessageBody=...&Version=2012-11-05).
-- Environment: QUEUE_URL (full queue URL), BODY_BYTES (message body size,
-- default 256), REQ_PATH (HTTP path to POST to, default "/").
-- Every request is identical; a standard queue stores each one.
local queue_url = os.getenv("QUEUE_URL") or error("QUEUE_URL not set")
local body_bytes = tonumber(os.getenv("BODY_BYTES") or "256")

local function urlencode(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function make_body(n)
  local s = "sluice-bench-message-"
  while #s < n do s = s .. "abcdefghijklmnopqrstuvwxyz0123456789" end
  return string.sub(s, 1, n)
end

wrk.method = "POST"
wrk.path = os.getenv("REQ_PATH") or "/"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Amz-Date"] = "20250101T000000Z"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, "
  .. "SignedHeaders=content-type;host;x-amz-date, "
  .. "Signature=0000000000000000000000000000000000000000000000000000000000000000"
wrk.body = "Action=SendMessage&QueueUrl=" .. urlencode(queue_url)
  .. "&MessageBody=" .. urlencode(make_body(body_bytes)) .. "&Version=2012-11-05"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT {\"requests\":%d,\"duration_us\":%d,\"status_errors\":%d,\"connect_errors\":%d," ..
    "\"read_errors\":%d,\"write_errors\":%d,\"timeouts\":%d,\"p50_us\":%d,\"p99_us\":%d,\"max_us\":%d}\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
