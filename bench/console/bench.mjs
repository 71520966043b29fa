// See run.sh. Resources are made through POST /_sluice/call (the services' own operations).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../../tests/integration/package.json", import.meta.url));
const puppeteer = require("puppeteer-core");
const [url, pid] = process.argv.slice(2);
const CPU_SECONDS = Number(process.env.SECONDS_PER_CPU_SAMPLE ?? 10);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function call(service, op, input) {
  const r = await fetch(`${url}/_sluice/call/${service}/${op}`, { method: "POST", body: JSON.stringify({ input }) });
  const body = await r.json();
  if (!r.ok) throw new Error(`${op}: ${JSON.stringify(body)}`);
  return body;
}
// The daemon's CPU time (user + system) in seconds, from /proc.
function cpuSeconds() {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
async function cpuPercent(label) {
  const before = cpuSeconds();
  await sleep(CPU_SECONDS * 1000);
  const pct = ((cpuSeconds() - before) / CPU_SECONDS) * 100;
  console.log(`daemon CPU, ${label}: ${pct.toFixed(2)} % of one core over ${CPU_SECONDS} s`);
}

// A 100-state machine: a chain of Pass states with a Choice every 10th and a Task with a Catch.
function bigMachine() {
  const States = {};
  for (let i = 0; i < 100; i++) {
    const next = i + 1 < 100 ? `S${i + 1}` : undefined;
    if (i % 10 === 5 && next) States[`S${i}`] = { Type: "Choice", Choices: [{ Variable: "$.x", NumericEquals: i, Next: `S${Math.min(99, i + 3)}` }], Default: next };
    else if (i % 10 === 8 && next) States[`S${i}`] = { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: { QueueUrl: "x", MessageBody: "y" }, Catch: [{ ErrorEquals: ["States.ALL"], Next: next }], Next: next };
    else States[`S${i}`] = next ? { Type: "Pass", Next: next } : { Type: "Succeed" };
  }
  return { StartAt: "S0", States };
}
// A loop of a Choice and a Pass: 4 events an iteration, 250 iterations, about 1,000 events.
const loopMachine = { StartAt: "Init", States: {
  Init: { Type: "Pass", Result: { i: 0 }, Next: "Loop" },
  Loop: { Type: "Choice", Choices: [{ Variable: "$.i", NumericLessThan: 250, Next: "Inc" }], Default: "Done" },
  Inc: { Type: "Pass", Parameters: { "i.$": "States.MathAdd($.i, 1)" }, Next: "Loop" },
  Done: { Type: "Succeed" } } };

const ROLE = "arn:aws:iam::000000000000:role/bench";
await cpuPercent("no console open, idle");

const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
await page.setViewport({ width: 1280, height: 900 });
const rendered = () => page.waitForFunction(() => document.body.dataset.rendered, { timeout: 60_000 });

// Page load to first paint, and to the first view drawn with data.
const paints = [], drawn = [];
for (let i = 0; i < 7; i++) {
  const fresh = await browser.newPage();
  const t0 = Date.now();
  await fresh.goto(`${url}/_sluice/console/`, { waitUntil: "load" });
  await fresh.waitForFunction(() => document.body.dataset.rendered);
  drawn.push(Date.now() - t0);
  paints.push(await fresh.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN));
  await fresh.close();
}
console.log(`console load: first contentful paint ${median(paints).toFixed(0)} ms, overview drawn ${median(drawn)} ms (median of 7)`);

const big = await call("stepfunctions", "CreateStateMachine", { name: "bench-100", roleArn: ROLE, definition: JSON.stringify(bigMachine()) });
await page.goto(`${url}/_sluice/console/#/sfn/${encodeURIComponent(big.stateMachineArn)}`);
await rendered();
const layout100 = await page.evaluate((def) => {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const g = SluiceGraph.layout(def);
    const box = document.createElement("div");
    document.body.append(box);
    SluiceGraph.draw(box, g);
    times.push(performance.now() - t0);
    box.remove();
  }
  return times.sort((a, b) => a - b)[2];
}, JSON.stringify(bigMachine()));
console.log(`100-state machine: layout and draw ${layout100.toFixed(0)} ms (median of 5)`);

const loop = await call("stepfunctions", "CreateStateMachine", { name: "bench-loop", roleArn: ROLE, definition: JSON.stringify(loopMachine) });
const { executionArn } = await call("stepfunctions", "StartExecution", { stateMachineArn: loop.stateMachineArn });
let events = 0;
for (let i = 0; i < 200; i++) {
  const e = await call("stepfunctions", "DescribeExecution", { executionArn });
  if (e.status !== "RUNNING") break;
  await sleep(50);
}
const viewTimes = [];
for (let i = 0; i < 5; i++) {
  await page.goto("about:blank");
  const t0 = Date.now();
  await page.goto(`${url}/_sluice/console/#/execution/${encodeURIComponent(executionArn)}`);
  await rendered();
  viewTimes.push(Date.now() - t0);
  events = await page.$$eval(".event-table tr", (rows) => rows.length - 1);
}
console.log(`${events}-event execution: view loaded, analysed and drawn in ${median(viewTimes)} ms (median of 5)`);

await page.goto(`${url}/_sluice/console/#/`);
await rendered();
await sleep(1000);
await cpuPercent("one console open (overview), idle daemon");

const { QueueUrl } = await call("sqs", "CreateQueue", { QueueName: "bench-1000" });
for (let b = 0; b < 100; b++)
  await call("sqs", "SendMessageBatch", { QueueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: JSON.stringify({ n: b * 10 + i }) })) });
const t0 = Date.now();
await page.goto(`${url}/_sluice/console/#/sqs/000000000000/us-east-1/bench-1000`);
await page.waitForFunction(() => document.querySelectorAll("#messages tr").length > 1000, { timeout: 60_000 });
console.log(`1,000-message queue view drawn in ${Date.now() - t0} ms`);
await sleep(1000);
await cpuPercent("one console watching a 1,000-message queue, idle daemon");
await browser.close();
