-- wrk script: fill a queue with SendMessageBatch requests, 10 entries of
-- BODY_BYTES (default 1024) each, and stop once the target is reached.
-- Environment:
--   QUEUE_URL        full queue URL
--   PROTOCOL         "json" (default) or "query"
--   REQ_PATH         HTTP path to POST to (default "/")
--   BODY_BYTES       bytes per message body (default 1024)
--   TARGET_BATCHES   total batches to send over all threads (default 100000)
--   WRK_THREADS      the -t value given to wrk (to split the target)
--   DONE_PREFIX      if set, a thread that reached its share creates the file
--                    DONE_PREFIX<thread#> and stops.  wrk itself only ends
--                    at -d, so the caller watches for these files and sends
--                    SIGINT (wrk then prints its results as usual).
-- Every message body is different (a per-message id followed by a slice of a
-- per-thread pseudo-random alphanumeric pool), so a server cannot share or
-- compress identical bodies.  Each thread stops itself after its share of
-- HTTP-200 answers; wrk's -d is the time cap.
-- ok / bad / tid are globals on purpose: done() reads them with thread:get().
local queue_url = os.getenv("QUEUE_URL") or error("QUEUE_URL not set")
local protocol = os.getenv("PROTOCOL") or "json"
local body_bytes = tonumber(os.getenv("BODY_BYTES") or "1024")
local target = tonumber(os.getenv("TARGET_BATCHES") or "100000")
local done_prefix = os.getenv("DONE_PREFIX")
local nthreads = tonumber(os.getenv("WRK_THREADS") or "2")

local function urlencode(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

wrk.method = "POST"
wrk.path = os.getenv("REQ_PATH") or "/"
wrk.headers["X-Amz-Date"] = "20250101T000000Z"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, "
  .. "SignedHeaders=content-type;host;x-amz-date, "
  .. "Signature=0000000000000000000000000000000000000000000000000000000000000000"
if protocol == "json" then
  wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
  wrk.headers["X-Amz-Target"] = "AmazonSQS.SendMessageBatch"
else
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

local thread_counter = 0
function setup(thread)
  thread:set("tid", thread_counter)
  thread_counter = thread_counter + 1
end

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
local pool, pool_len, share, seq, qurl_enc, stopped

function init(args)
  math.randomseed(12345 + (tid or 0))
  local parts = {}
  for i = 1, 65536 do
    local k = math.random(1, #alphabet)
    parts[i] = string.sub(alphabet, k, k)
  end
  pool = table.concat(parts)
  pool_len = #pool
  share = math.ceil(target / nthreads)
  ok, bad, seq = 0, 0, 0
  qurl_enc = urlencode(queue_url)
end

local function message_body()
  seq = seq + 1
  local id = string.format("t%d-m%d-", tid or 0, seq)
  local need = body_bytes - #id
  local off = (seq * 7919) % (pool_len - need) + 1
  return id .. string.sub(pool, off, off + need - 1)
end

function request()
  local b = {}
  if protocol == "json" then
    b[1] = '{"QueueUrl":"' .. queue_url .. '","Entries":['
    for i = 0, 9 do
      b[#b + 1] = (i > 0 and "," or "") .. '{"Id":"' .. i .. '","MessageBody":"' .. message_body() .. '"}'
    end
    b[#b + 1] = "]}"
  else
    b[1] = "Action=SendMessageBatch&Version=2012-11-05&QueueUrl=" .. qurl_enc
    for i = 1, 10 do
      b[#b + 1] = "&SendMessageBatchRequestEntry." .. i .. ".Id=m" .. i
        .. "&SendMessageBatchRequestEntry." .. i .. ".MessageBody=" .. message_body()
    end
  end
  return wrk.format(nil, nil, nil, table.concat(b))
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else bad = bad + 1 end
  if ok >= share and not stopped then
    stopped = true
    if done_prefix then
      local f = io.open(done_prefix .. tostring(tid or 0), "w")
      if f then f:write(tostring(ok)); f:close() end
    end
    wrk.thread:stop()
  end
end

local threads = {}
local orig_setup = setup
setup = function(thread)
  orig_setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local o, b = 0, 0
  for _, t in ipairs(threads) do
    o = o + (t:get("ok") or 0)
    b = b + (t:get("bad") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT {\"requests\":%d,\"duration_us\":%d,\"ok_batches\":%d,\"bad_batches\":%d,\"status_errors\":%d," ..
    "\"connect_errors\":%d,\"read_errors\":%d,\"write_errors\":%d,\"timeouts\":%d,\"p50_us\":%d,\"p99_us\":%d}\n",
    summary.requests, summary.duration, o, b, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
