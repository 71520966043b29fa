// SQS load driver for the Sluice benchmark.
//
// Subcommands (all print one JSON object on stdout, diagnostics on stderr):
//   create  --endpoint URL --queue NAME
//       CreateQueue over the JSON protocol, falling back to the query protocol;
//       prints {queueUrl} with scheme/host/port rewritten to --endpoint (the
//       path, which carries account id and queue name, is kept as returned).
//   probe   --endpoint URL --queue-url URL --protocol query|json
//       Sends one raw SendMessage in that protocol, to "/" and then to the
//       queue URL's path; prints {ok, path, status, detail}.  ok means HTTP 200
//       and a MessageId in the answer.
//   count   --endpoint URL --queue-url URL
//       ApproximateNumberOfMessages (+ NotVisible) via GetQueueAttributes.
//   send    --endpoint URL --queue-url URL --seconds S [--warmup S] [--conns 32] [--body-bytes N]
//       @aws-sdk/client-sqs SendMessage from 32 concurrent workers over a
//       keep-alive http.Agent (maxSockets 32); msg/s, p50/p99 latency.
//   cycle   same options; each worker loops SendMessage(1) ->
//       ReceiveMessage(MaxNumberOfMessages 10, WaitTimeSeconds 0) ->
//       DeleteMessageBatch(the received ones); cycles/s, msg deleted/s, p50/p99
//       latency of the whole cycle.
//
// Every loop is bounded by a deadline; a hard watchdog exits the process
// --seconds + warmup + 20 s after start whatever happens.
import http from "node:http";
import { performance } from "node:perf_hooks";
import {
  SQSClient,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  ReceiveMessageCommand,
  DeleteMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";

function parseArgs(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      const k = a.slice(2);
      const v = argv[i + 1] !== undefined && !argv[i + 1].startsWith("--") ? argv[++i] : "true";
      out[k] = v;
    } else out._.push(a);
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
const cmd = args._[0];
const endpoint = args.endpoint;
const conns = Number(args.conns ?? 32);
const seconds = Number(args.seconds ?? 10);
const warmup = Number(args.warmup ?? 0);
const bodyBytes = Number(args["body-bytes"] ?? 256);

// --timeout-ms: limit for the one-shot subcommands (create, probe, count),
// which may queue behind a slow server's backlog (moto after a fill).
const hardLimitMs = args["timeout-ms"] ? Number(args["timeout-ms"]) : (seconds + warmup + 20) * 1000;
const watchdog = setTimeout(() => {
  process.stderr.write(`driver: watchdog fired after ${hardLimitMs} ms, exiting\n`);
  process.stdout.write(JSON.stringify({ error: "watchdog" }) + "\n");
  process.exit(3);
}, hardLimitMs);
watchdog.unref();

const agent = new http.Agent({ keepAlive: true, maxSockets: conns, maxFreeSockets: conns });
const client = new SQSClient({
  region: "us-east-1",
  endpoint,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  requestHandler: new NodeHttpHandler({ httpAgent: agent, connectionTimeout: 5000, requestTimeout: Math.max(30000, hardLimitMs - 5000) }),
  maxAttempts: 1, // no retries: an error is counted, never hidden
  useQueueUrlAsEndpoint: false,
});

function rewrite(url) {
  const u = new URL(url);
  const e = new URL(endpoint);
  u.protocol = e.protocol;
  u.host = e.host;
  return u.toString();
}

function makeBody(n) {
  const base = "sluice-bench-message-";
  let s = base;
  while (s.length < n) s += "abcdefghijklmnopqrstuvwxyz0123456789";
  return s.slice(0, n);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

function rawRequest(path, headers, body, timeoutMs = 5000) {
  const e = new URL(endpoint);
  return new Promise((resolve) => {
    const req = http.request(
      { host: e.hostname, port: e.port, method: "POST", path, headers: { ...headers, "Content-Length": Buffer.byteLength(body) }, agent: false },
      (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (data += c));
        res.on("end", () => resolve({ status: res.statusCode, body: data }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error("timeout")));
    req.on("error", (err) => resolve({ status: 0, body: String(err.message) }));
    req.end(body);
  });
}

const fakeAuth = {
  Authorization:
    "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000",
  "X-Amz-Date": "20250101T000000Z",
};

async function cmdCreate() {
  const name = args.queue;
  try {
    const r = await client.send(new CreateQueueCommand({ QueueName: name }));
    return { queueUrl: rewrite(r.QueueUrl), via: "json" };
  } catch (err) {
    process.stderr.write(`driver: JSON CreateQueue failed (${err.name}: ${err.message}); trying query\n`);
  }
  const r = await rawRequest(
    "/",
    { "Content-Type": "application/x-www-form-urlencoded", ...fakeAuth },
    `Action=CreateQueue&QueueName=${encodeURIComponent(name)}&Version=2012-11-05`,
  );
  const m = /<QueueUrl>([^<]+)<\/QueueUrl>/.exec(r.body);
  if (r.status === 200 && m) return { queueUrl: rewrite(m[1]), via: "query" };
  return { error: `CreateQueue failed in both protocols: HTTP ${r.status} ${r.body.slice(0, 200)}` };
}

async function cmdProbe() {
  const queueUrl = args["queue-url"];
  const protocol = args.protocol;
  const path = new URL(queueUrl).pathname;
  const tries = [];
  for (const p of ["/", path]) {
    let r;
    if (protocol === "query") {
      const body = `Action=SendMessage&QueueUrl=${encodeURIComponent(queueUrl)}&MessageBody=probe&Version=2012-11-05`;
      r = await rawRequest(p, { "Content-Type": "application/x-www-form-urlencoded", ...fakeAuth }, body);
    } else {
      const body = JSON.stringify({ QueueUrl: queueUrl, MessageBody: "probe" });
      r = await rawRequest(
        p,
        { "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.SendMessage", ...fakeAuth },
        body,
      );
    }
    const ok = r.status === 200 && /MessageId/.test(r.body);
    tries.push({ path: p, status: r.status, detail: r.body.replace(/\s+/g, " ").slice(0, 160) });
    if (ok) return { ok: true, path: p, status: r.status, tries };
  }
  return { ok: false, tries };
}

async function cmdCount() {
  const queueUrl = args["queue-url"];
  try {
    const r = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return {
      visible: Number(r.Attributes?.ApproximateNumberOfMessages ?? NaN),
      notVisible: Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible ?? NaN),
    };
  } catch (err) {
    return { error: `${err.name}: ${err.message}` };
  }
}

// Runs `conns` workers calling op() until the deadline; op returns a number of
// messages processed (for msg/s) and must not throw for expected conditions.
async function runLoad(op, measureSeconds, warmupSeconds) {
  if (warmupSeconds > 0) {
    const wEnd = performance.now() + warmupSeconds * 1000;
    await Promise.all(
      Array.from({ length: conns }, async () => {
        while (performance.now() < wEnd) {
          try {
            await op();
          } catch {
            /* ignore during warm-up */
          }
        }
      }),
    );
  }
  const lat = [];
  let ops = 0;
  let msgs = 0;
  let errors = 0;
  let firstError = null;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + measureSeconds * 1000;
  await Promise.all(
    Array.from({ length: conns }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        try {
          const n = await op();
          lat.push(performance.now() - s);
          ops++;
          msgs += n;
        } catch (err) {
          errors++;
          if (!firstError) firstError = `${err.name}: ${err.message}`.slice(0, 200);
          if (errors > 1000 && ops === 0) break; // server clearly not serving this op
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  lat.sort((a, b) => a - b);
  return {
    seconds: elapsed,
    ops,
    opsPerSec: ops / elapsed,
    msgs,
    msgsPerSec: msgs / elapsed,
    errors,
    firstError,
    p50ms: percentile(lat, 50),
    p99ms: percentile(lat, 99),
    clientCpuPct: ((cpu.user + cpu.system) / 1000 / (elapsed * 1000)) * 100,
    conns,
    bodyBytes,
  };
}

async function cmdSend() {
  const QueueUrl = args["queue-url"];
  const MessageBody = makeBody(bodyBytes);
  const op = async () => {
    const r = await client.send(new SendMessageCommand({ QueueUrl, MessageBody }));
    if (!r.MessageId) throw new Error("no MessageId");
    return 1;
  };
  return runLoad(op, seconds, warmup);
}

async function cmdCycle() {
  const QueueUrl = args["queue-url"];
  const MessageBody = makeBody(bodyBytes);
  const op = async () => {
    const s = await client.send(new SendMessageCommand({ QueueUrl, MessageBody }));
    if (!s.MessageId) throw new Error("no MessageId");
    const r = await client.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 }),
    );
    const msgs = r.Messages ?? [];
    if (msgs.length === 0) return 0;
    const d = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    if (d.Failed && d.Failed.length) throw new Error(`DeleteMessageBatch failed ${d.Failed.length}`);
    return (d.Successful ?? []).length;
  };
  const res = await runLoad(op, seconds, warmup);
  res.note = "msgs = messages deleted via DeleteMessageBatch during the measured window";
  return res;
}

const handlers = { create: cmdCreate, probe: cmdProbe, count: cmdCount, send: cmdSend, cycle: cmdCycle };
if (!handlers[cmd]) {
  process.stderr.write(`usage: driver.mjs create|probe|count|send|cycle --endpoint URL ...\n`);
  process.exit(2);
}
try {
  const out = await handlers[cmd]();
  process.stdout.write(JSON.stringify(out) + "\n");
} catch (err) {
  process.stdout.write(JSON.stringify({ error: `${err.name}: ${err.message}` }) + "\n");
}
agent.destroy();
process.exit(0);
