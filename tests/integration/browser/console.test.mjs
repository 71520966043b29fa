// The console in a real browser: Debian's chromium, headless, driven by puppeteer-core. State is
// made through the AWS SDK, the test looks at what a person sees, acts through the console and
// checks the result through the SDK. Pages served from another origin (and a rebound host name)
// try what a hostile site would. Screenshots go to CONSOLE_SCREENSHOTS (default
// build/console-screenshots).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";

import puppeteer from "puppeteer-core";
import {
  SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, GetQueueAttributesCommand,
  ListQueuesCommand,
} from "@aws-sdk/client-sqs";
import { SFNClient, CreateStateMachineCommand, StartExecutionCommand, DescribeExecutionCommand, GetExecutionHistoryCommand } from "@aws-sdk/client-sfn";
import { PipesClient, CreatePipeCommand, DescribePipeCommand } from "@aws-sdk/client-pipes";
import { ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand, DescribeTasksCommand } from "@aws-sdk/client-ecs";

import { Daemon, DEFAULT_ACCOUNT, REGION, pollUntil, uniqueName } from "../node/harness.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..", "..");
const SHOTS = process.env.CONSOLE_SCREENSHOTS ?? join(ROOT, "build", "console-screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ROLE = `arn:aws:iam::${DEFAULT_ACCOUNT}:role/sluice-console`;
const queueArn = (name) => `arn:aws:sqs:${REGION}:${DEFAULT_ACCOUNT}:${name}`;

// A page of another site: serves `html` at / on a port of its own.
async function hostileSite(html) {
  const server = createServer((req, res) => { res.writeHead(200, { "Content-Type": "text/html" }); res.end(html); });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

describe("the console in a browser", { timeout: 300_000 }, () => {
  const daemon = new Daemon(0.05, "console");
  let browser, page, sqs, sfn, pipes;
  const shot = (name) => page.screenshot({ path: join(SHOTS, name + ".png"), fullPage: true });
  const open = async (hash) => {
    const before = await page.evaluate(() => document.body?.dataset.rendered ?? "").catch(() => "");
    await page.goto(`${daemon.endpoint}/_sluice/console/${hash}`, { waitUntil: "load" });
    await page.waitForFunction((b) => document.body.dataset.rendered && document.body.dataset.rendered !== b, {}, before);
  };
  const text = (selector) => page.$eval(selector, (e) => e.innerText);
  const waitText = (selector, re, timeout = 15_000) =>
    page.waitForFunction((s, src) => { const e = document.querySelector(s); return e && new RegExp(src).test(e.innerText); },
      { timeout }, selector, re.source);

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await daemon.start();
    sqs = new SQSClient(daemon.clientConfig());
    sfn = new SFNClient(daemon.clientConfig());
    pipes = new PipesClient(daemon.clientConfig());
    browser = await puppeteer.launch({
      executablePath: CHROMIUM, headless: true,
      // rebind.test resolves to 127.0.0.1, as a rebinding attacker's name would.
      args: ["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP rebind.test 127.0.0.1"],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    page.on("dialog", (d) => d.accept());
  });

  after(async () => {
    await browser?.close();
    await daemon.stop();
  });

  it("shows queues with their counters and dead-letter relations, and a message's body", async () => {
    const dlq = uniqueName("orders-dlq");
    await sqs.send(new CreateQueueCommand({ QueueName: dlq }));
    const source = uniqueName("orders");
    await sqs.send(new CreateQueueCommand({ QueueName: source, Attributes: {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(dlq), maxReceiveCount: 1 }) } }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: source }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ order: 42, item: "book" }),
      MessageAttributes: { kind: { DataType: "String", StringValue: "order" } } }));
    await open("#/sqs");
    const row = await text(`tr[data-queue="${source}"]`);
    assert.match(row, new RegExp(`${source}\\s+${DEFAULT_ACCOUNT} / ${REGION}\\s+1\\s+0\\s+0\\s+→ ${dlq}`));
    assert.match(await text(`tr[data-queue="${dlq}"]`), new RegExp(`← ${source}`));
    await shot("sqs-queues");
    await open(`#/sqs/${DEFAULT_ACCOUNT}/${REGION}/${source}`);
    const body = await text("#messages pre.body");
    assert.equal(body, JSON.stringify({ order: 42, item: "book" }, null, 2));  // pretty-printed
    assert.match(await text("#messages"), /visible[\s\S]*"StringValue": "order"/);
    await shot("sqs-messages");
    // Reading it changed nothing: it is still there to receive, for the first time.
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, AttributeNames: ["ApproximateReceiveCount"] }));
    assert.equal(got.Messages[0].Attributes.ApproximateReceiveCount, "1");
  });

  it("sends and purges through the console", async () => {
    const name = uniqueName("console-send");
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    await open(`#/sqs/${DEFAULT_ACCOUNT}/${REGION}/${name}`);
    await page.type("#send-body", '{"hello":"from the console"}');
    await page.click("#send");
    await waitText("#messages", /"hello": "from the console"/);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }));
    assert.equal(got.Messages[0].Body, '{"hello":"from the console"}');
    await page.click("#purge");
    await waitText("main", /No messages\./);
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
    assert.equal(attrs.Attributes.ApproximateNumberOfMessages, "0");
    assert.equal(attrs.Attributes.ApproximateNumberOfMessagesNotVisible, "0");
  });

  it("redrives a dead-letter queue back to its source and shows the move task", async () => {
    const dlq = uniqueName("redrive-dlq");
    await sqs.send(new CreateQueueCommand({ QueueName: dlq }));
    const source = uniqueName("redrive-src");
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: source, Attributes: {
      VisibilityTimeout: "0", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(dlq), maxReceiveCount: 1 }) } }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "poison" }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl }));  // past maxReceiveCount: to the DLQ
    await open(`#/sqs/${DEFAULT_ACCOUNT}/${REGION}/${dlq}`);
    assert.match(await text("#messages pre.body"), /poison/);
    await page.click("#redrive");
    await pollUntil(async () => {
      const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
      return a.Attributes.ApproximateNumberOfMessages === "1";
    }, 15_000, 100);
    await open("#/sqs");
    assert.match(await text("main"), new RegExp(`Message move tasks[\\s\\S]*${dlq}[\\s\\S]*COMPLETED\\s+1 / 1`));
  });

  it("colours an execution's graph: failed after a retry, caught, not reached; clicks show error and cause", async () => {
    const definition = {
      StartAt: "Route",
      States: {
        Route: { Type: "Choice", Choices: [{ Variable: "$.mode", StringEquals: "catch", Next: "SendCaught" }], Default: "Send" },
        Send: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage",
          Parameters: { QueueUrl: `${daemon.endpoint}/${DEFAULT_ACCOUNT}/no-such-queue`, MessageBody: "x" },
          Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 1, IntervalSeconds: 1 }], Next: "Done" },
        SendCaught: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage",
          Parameters: { QueueUrl: `${daemon.endpoint}/${DEFAULT_ACCOUNT}/no-such-queue`, MessageBody: "x" },
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Recovered" }], Next: "Done" },
        Recovered: { Type: "Pass", End: true },
        Done: { Type: "Succeed" },
      },
    };
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
      name: uniqueName("console-sm"), roleArn: ROLE, definition: JSON.stringify(definition) }));
    const failing = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "fails", input: '{"mode":"retry"}' }));
    const caught = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "catches", input: '{"mode":"catch"}' }));
    for (const e of [failing, caught])
      await pollUntil(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))).status !== "RUNNING", 20_000, 50);
    const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: failing.executionArn }))).events;
    const taskFailed = history.filter((e) => e.type === "TaskFailed");
    assert.equal(taskFailed.length, 2);  // the first attempt and its one retry

    await open(`#/execution/${encodeURIComponent(failing.executionArn)}`);
    const cls = (state) => page.$eval(`g.node[data-state="${state}"]`, (e) => e.getAttribute("class"));
    assert.match(await cls("Send"), /\bfailed\b/);
    assert.match(await cls("Route"), /\bsucceeded\b/);
    assert.match(await cls("Done"), /\bnot-reached\b/);
    assert.match(await cls("SendCaught"), /\bnot-reached\b/);
    assert.match(await page.$eval('g.node[data-state="Send"]', (e) => e.textContent), /retried ×1/);
    await page.click('g.node[data-state="Send"]');
    await waitText(".state-detail", /error/);
    assert.equal(await text(".state-error"), taskFailed[1].taskFailedEventDetails.error);
    assert.ok((await text(".state-cause")).length > 0);
    assert.match(await text(".timeline"), /Route[\s\S]*Send/);
    await shot("sfn-execution-failed");

    await open(`#/compare/${encodeURIComponent(failing.executionArn)}/${encodeURIComponent(caught.executionArn)}`);
    const right = '.compare > .execution:nth-child(2)';
    assert.match(await page.$eval(`${right} g.node[data-state="SendCaught"]`, (e) => e.getAttribute("class")), /\bcaught\b/);
    assert.match(await page.$eval(`${right} g.node[data-state="Recovered"]`, (e) => e.getAttribute("class")), /\bsucceeded\b/);
    await shot("sfn-compare");
  });

  it("follows a running execution live", async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
      name: uniqueName("console-wait"), roleArn: ROLE,
      definition: JSON.stringify({ StartAt: "Wait", States: { Wait: { Type: "Wait", Seconds: 40, Next: "After" }, After: { Type: "Pass", End: true } } }) }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    await open(`#/execution/${encodeURIComponent(executionArn)}`);
    const cls = (state) => page.$eval(`g.node[data-state="${state}"]`, (e) => e.getAttribute("class"));
    assert.match(await cls("Wait"), /\brunning\b/);
    // 40 s at scale 0.05: 2 s. The page is not reloaded: the long poll draws it again.
    await page.waitForFunction(() => /succeeded/.test(document.querySelector('g.node[data-state="After"]')?.getAttribute("class")), { timeout: 15_000 });
    assert.match(await cls("Wait"), /\bsucceeded\b/);
  });

  it("shows a pipe's counters moving and stops it", async () => {
    const source = uniqueName("pipe-src");
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: source }));
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
      name: uniqueName("pipe-target"), roleArn: ROLE,
      definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }) }));
    const name = uniqueName("console-pipe");
    await pipes.send(new CreatePipeCommand({ Name: name, RoleArn: ROLE, Source: queueArn(source), Target: stateMachineArn,
      SourceParameters: { FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { keep: [true] } }) }] } },
      TargetParameters: { StepFunctionStateMachineParameters: { InvocationType: "FIRE_AND_FORGET" } } }));
    await pollUntil(async () => (await pipes.send(new DescribePipeCommand({ Name: name }))).CurrentState === "RUNNING", 15_000, 50);
    await open("#/pipes");
    for (const keep of [true, true, false])
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ keep }) }));
    const card = `.pipe[data-pipe="${name}"]`;
    // Received 3, delivered 2, filtered 1: the page follows without a reload.
    await page.waitForFunction((c) => {
      const cells = [...document.querySelectorAll(`${c} table.counters td`)].map((td) => td.innerText);
      return cells[1] === "3" && cells[2] === "2" && cells[3] === "1";
    }, { timeout: 20_000 }, card);
    await shot("pipes");
    await page.click(`${card} .stop-pipe`);
    await pollUntil(async () => (await pipes.send(new DescribePipeCommand({ Name: name }))).CurrentState === "STOPPED", 15_000, 50);
    await waitText(card, /STOPPED/);
  });

  it("shows a task's exit code and logs (real containers)", async () => {
    // Like every ECS test: no engine is a failure, never a skip (scripts/container-engine.sh).
    assert.ok((process.env.DOCKER_HOST ?? "").startsWith("unix://"), "DOCKER_HOST must name the engine's unix socket");
    const image = "sluice-test-worker:latest";
    execFileSync(join(ROOT, "docker", "test-worker", "build.sh"), [image], { stdio: ["ignore", "ignore", "inherit"] });
    const ecs = new ECSClient(daemon.clientConfig());
    const family = uniqueName("console-worker");
    await ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: "main", image, memory: 64,
      environment: [{ name: "WORKER_EXIT_CODE", value: "7" }, { name: "STEP_FUNCTIONS_INPUT", value: "from-the-console-test" }] }] }));
    const { tasks } = await ecs.send(new RunTaskCommand({ taskDefinition: family }));
    const id = tasks[0].taskArn.split("/").pop();
    await pollUntil(async () => (await ecs.send(new DescribeTasksCommand({ tasks: [tasks[0].taskArn] }))).tasks[0].lastStatus === "STOPPED", 60_000, 100);
    await open("#/ecs");
    await waitText(`tr[data-task="${id}"]`, /main: exit 7/);
    assert.match(await text(`tr[data-task="${id}"]`), /EssentialContainerExited/);
    await open(`#/ecs/${id}`);
    await waitText("pre.logs", /STEP_FUNCTIONS_INPUT=from-the-console-test/);
    await shot("ecs-task");
  });

  it("refuses what a page of another site tries: form POST, no-cors fetch, <img> GET", async () => {
    const keep = uniqueName("keep-me");
    await sqs.send(new CreateQueueCommand({ QueueName: keep }));
    const csrf = uniqueName("csrf");
    const site = await hostileSite(`<!doctype html><body>
      <form id=f method=POST action="${daemon.endpoint}/" enctype="application/x-www-form-urlencoded">
        <input name=Action value=CreateQueue><input name=QueueName value="${csrf}-form"></form>
      <img src="${daemon.endpoint}/?Action=CreateQueue&QueueName=${csrf}-img">
      <script>
        fetch("${daemon.endpoint}/_sluice/reset", { method: "POST", mode: "no-cors" }).finally(() => {
          fetch("${daemon.endpoint}/", { method: "POST", mode: "no-cors",
            headers: { "Content-Type": "text/plain" }, body: "Action=CreateQueue&QueueName=${csrf}-fetch" })
            .finally(() => { document.title = "sent"; document.getElementById("f").submit(); });
        });
      </script></body>`);
    try {
      const attacker = await browser.newPage();
      await attacker.goto(site.origin, { waitUntil: "load" });
      await attacker.waitForNavigation({ timeout: 10_000 }).catch(() => {});  // the form's POST
      const answer = await attacker.evaluate(() => document.body.innerText);
      assert.match(answer, /AccessDenied/);  // the form POST got AWS's refusal
      await attacker.close();
    } finally {
      site.server.close();
    }
    const urls = (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];
    assert.ok(urls.some((u) => u.endsWith("/" + keep)), "the reset was refused");
    assert.deepEqual(urls.filter((u) => u.includes(csrf)), []);
  });

  it("answers only to its own names (DNS rebinding)", async () => {
    const port = new URL(daemon.endpoint).port;
    const rebound = await browser.newPage();
    const response = await rebound.goto(`http://rebind.test:${port}/_sluice/console/`);
    assert.equal(response.status(), 403);
    assert.match(await rebound.evaluate(() => document.body.innerText), /does not answer to host rebind\.test/);
    const data = await rebound.goto(`http://rebind.test:${port}/_sluice/sqs`);
    assert.equal(data.status(), 403);
    await rebound.close();
  });

  it("is linked from / when a browser asks for HTML", async () => {
    await page.goto(daemon.endpoint + "/");
    await page.click('a[href="/_sluice/console/"]');
    await page.waitForSelector("#nav a");
    assert.match(await text("#nav"), /SQS[\s\S]*Step Functions[\s\S]*Pipes[\s\S]*ECS/);
    await open("#/");
    await shot("overview");
  });
});

describe("origins allowed by flag", { timeout: 60_000 }, () => {
  let site, daemon, browser;
  before(async () => {
    site = await hostileSite("<!doctype html><title>app</title>");
    daemon = await new Daemon(1, "console-cors", ["--allowed-origins", site.origin]).start();
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  });
  after(async () => {
    await browser?.close();
    await daemon?.stop();
    site?.server.close();
  });

  it("a browser app on an allowed origin calls the JSON API (with a preflight) and reads the answer", async () => {
    const page = await browser.newPage();
    await page.goto(site.origin);
    const name = uniqueName("cors");
    const result = await page.evaluate(async (endpoint, queue) => {
      const r = await fetch(endpoint + "/", { method: "POST", headers: {
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.CreateQueue" }, body: JSON.stringify({ QueueName: queue }) });
      return { status: r.status, body: await r.json(), requestId: r.headers.get("x-amzn-RequestId") };
    }, daemon.endpoint, name);
    assert.equal(result.status, 200);
    assert.match(result.body.QueueUrl, new RegExp(`/${name}$`));
    assert.ok(result.requestId);
  });
});
