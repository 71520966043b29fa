// Test harness for the Node suites: starts a Sluice daemon from $SLUICE_BIN on a free port (or
// uses $SLUICE_URL), and stops it with SIGTERM, requiring exit code 0 within 5 s.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Never let an SDK look for credentials or a region outside the test's own settings.
process.env.AWS_EC2_METADATA_DISABLED = "true";
process.env.AWS_ACCESS_KEY_ID ??= "test";
process.env.AWS_SECRET_ACCESS_KEY ??= "test";
process.env.AWS_REGION ??= "us-east-1";

export const DEFAULT_ACCOUNT = "000000000000";
export const REGION = "us-east-1";
export const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
const READY = /^listening on http:\/\/127\.0\.0\.1:(\d+)$/;

export class Daemon {
  constructor(timeScale = 1, name = "node", extraArgs = []) {
    this.extraArgs = extraArgs;  // more flags for the daemon (--allowed-origins ...)
    this.requestedScale = timeScale;
    this.name = name;
    this.proc = null;
    this.endpoint = null;
    this.timeScale = null;
    this.external = false;
    this.stderrPath = null;
  }

  async start() {
    if (process.env.SLUICE_URL) {
      this.external = true;
      this.endpoint = process.env.SLUICE_URL.replace(/\/+$/, "");
      this.timeScale = Number(process.env.SLUICE_TIME_SCALE ?? "1");
      return this;
    }
    const bin = process.env.SLUICE_BIN;
    if (!bin) throw new Error("set SLUICE_BIN (path to the sluice binary) or SLUICE_URL");
    this.timeScale = this.requestedScale;
    this.stderrPath = join(mkdtempSync(join(tmpdir(), `sluice-${this.name}-`)), "stderr.log");
    const errFd = openSync(this.stderrPath, "w");
    this.proc = spawn(bin, ["--host", "127.0.0.1", "--port", "0", "--log-level", "warn",
      "--time-scale", String(this.timeScale), ...this.extraArgs], { stdio: ["ignore", "pipe", errFd] });
    this.exited = once(this.proc, "exit");
    const line = await new Promise((resolve, reject) => {
      let buf = "";
      const timer = setTimeout(() => reject(new Error(`no ready line within 15 s\n${this.stderrTail()}`)), 15000);
      const onData = (chunk) => {
        buf += chunk.toString("utf8");
        const nl = buf.indexOf("\n");
        if (nl >= 0) {
          clearTimeout(timer);
          this.proc.stdout.off("data", onData);
          this.proc.stdout.resume(); // keep draining
          resolve(buf.slice(0, nl).replace(/\r$/, ""));
        }
      };
      this.proc.stdout.on("data", onData);
      this.proc.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`daemon exited (${code}) before its ready line\n${this.stderrTail()}`));
      });
    });
    const m = READY.exec(line);
    if (!m) {
      this.proc.kill("SIGKILL");
      throw new Error(`first stdout line is ${JSON.stringify(line)}, expected 'listening on http://127.0.0.1:PORT'`);
    }
    this.endpoint = `http://127.0.0.1:${m[1]}`;
    await this.waitHealthy();
    return this;
  }

  async waitHealthy(timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
      try {
        const r = await fetch(`${this.endpoint}/_sluice/health`);
        const body = await r.text();
        if (r.status === 200 && JSON.parse(body).status === "ok") return;
        last = `${r.status} ${body.slice(0, 200)}`;
      } catch (e) {
        last = String(e);
      }
      await sleep(50);
    }
    throw new Error(`daemon not healthy within ${timeoutMs} ms: ${last}\n${this.stderrTail()}`);
  }

  async stop() {
    if (this.external || !this.proc) return;
    const proc = this.proc;
    this.proc = null;
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`daemon had already exited (${proc.exitCode ?? proc.signalCode})\n${this.stderrTail()}`);
    }
    proc.kill("SIGTERM");
    const timeout = sleep(5000).then(() => "timeout");
    const res = await Promise.race([this.exited, timeout]);
    if (res === "timeout") {
      proc.kill("SIGKILL");
      throw new Error(`daemon did not exit within 5 s of SIGTERM\n${this.stderrTail()}`);
    }
    const [code, signal] = res;
    if (code !== 0) {
      throw new Error(`daemon exited with ${code ?? signal} after SIGTERM (expected 0)\n${this.stderrTail()}`);
    }
  }

  stderrTail(n = 4000) {
    if (!this.stderrPath) return "";
    try {
      return "--- daemon stderr (tail) ---\n" + readFileSync(this.stderrPath, "utf8").slice(-n);
    } catch {
      return "";
    }
  }

  /** SQS seconds value that lasts about `realSeconds` of wall time on this daemon. */
  attrSeconds(realSeconds, { lo = 1, hi } = {}) {
    let v = Math.max(lo, Math.ceil(realSeconds / this.timeScale - 1e-9));
    if (hi !== undefined) v = Math.min(v, hi);
    return v;
  }

  real(sqsSeconds) {
    return sqsSeconds * this.timeScale;
  }

  clientConfig(extra = {}) {
    return { endpoint: this.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1, ...extra };
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let counter = 0;
export function uniqueName(prefix = "q") {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now() % 1e7}-${counter}`;
}

export async function pollUntil(fn, timeoutMs, intervalMs = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v || Date.now() >= deadline) return v;
    await sleep(intervalMs);
  }
}

export function md5Hex(data) {
  return createHash("md5").update(typeof data === "string" ? Buffer.from(data, "utf8") : data).digest("hex");
}

function lenPrefixed(buf) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length, 0);
  return Buffer.concat([len, buf]);
}

/** MD5 of message attributes as SQS computes it (SQS developer guide, sqs-message-metadata). */
export function md5OfMessageAttributes(attrs) {
  const parts = [];
  for (const name of Object.keys(attrs).sort()) {
    const a = attrs[name];
    parts.push(lenPrefixed(Buffer.from(name, "utf8")));
    parts.push(lenPrefixed(Buffer.from(a.DataType, "utf8")));
    if (a.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]), lenPrefixed(Buffer.from(a.BinaryValue)));
    } else {
      parts.push(Buffer.from([1]), lenPrefixed(Buffer.from(a.StringValue, "utf8")));
    }
  }
  return createHash("md5").update(Buffer.concat(parts)).digest("hex");
}

/** Middleware that records each outgoing request's headers and body. */
export function captureRequests(client) {
  const seen = [];
  client.middlewareStack.add((next) => async (args) => {
    const b = args.request.body;
    const body = b instanceof Uint8Array ? Buffer.from(b).toString("utf8") : String(b ?? "");
    seen.push({ headers: { ...args.request.headers }, body });
    return next(args);
  }, { step: "finalizeRequest", name: "sluiceCapture" });
  return seen;
}
