// EventBridge Pipes through @aws-sdk/client-pipes and the AWS CLI, with SQS and Step Functions
// through their own SDK clients: the API and its errors, then the runtime moving real messages:
// records as AWS builds them, filters, batching windows, templates, enrichment, partial batch
// responses, FIFO order, and a failing target whose messages end in the source's DLQ.
//
// The oracle is AWS (docs/research/pipes-behaviour.md, AWS_FACTS.md).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";

import {
  PipesClient, CreatePipeCommand, DescribePipeCommand, ListPipesCommand, UpdatePipeCommand, StartPipeCommand,
  StopPipeCommand, DeletePipeCommand, TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand,
} from "@aws-sdk/client-pipes";
import {
  SQSClient, CreateQueueCommand, SendMessageCommand, SendMessageBatchCommand, ReceiveMessageCommand,
  GetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import {
  SFNClient, CreateStateMachineCommand, ListExecutionsCommand, DescribeExecutionCommand,
} from "@aws-sdk/client-sfn";

import { Daemon, DEFAULT_ACCOUNT, REGION, pollUntil, sleep, uniqueName } from "./harness.mjs";

const ROLE = `arn:aws:iam::${DEFAULT_ACCOUNT}:role/sluice-pipes`;
const queueArn = (name) => `arn:aws:sqs:${REGION}:${DEFAULT_ACCOUNT}:${name}`;

describe("EventBridge Pipes", { timeout: 240_000 }, () => {
  // 0.05: a 20 s long poll lasts 1 s, a 2 s visibility timeout 100 ms.
  const daemon = new Daemon(0.05, "pipes");
  let pipes;
  let sqs;
  let sfn;

  before(async () => {
    await daemon.start();
    pipes = new PipesClient(daemon.clientConfig());
    sqs = new SQSClient(daemon.clientConfig());
    sfn = new SFNClient(daemon.clientConfig());
  });
  after(async () => {
    await daemon.stop();
  });

  const queue = async (prefix, attributes = {}) => {
    const name = uniqueName(prefix) + (attributes.FifoQueue === "true" ? ".fifo" : "");
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    return { url: QueueUrl, arn: queueArn(name), name };
  };
  const machine = async (definition, type = "STANDARD") =>
    (await sfn.send(new CreateStateMachineCommand({
      name: uniqueName("m"), roleArn: ROLE, type, definition: JSON.stringify(definition),
    }))).stateMachineArn;
  const PASS = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
  const counts = async (url) => {
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }))).Attributes;
    return [Number(a.ApproximateNumberOfMessages), Number(a.ApproximateNumberOfMessagesNotVisible)];
  };
  const running = async (name) => {
    const d = await pollUntil(async () => {
      const p = await pipes.send(new DescribePipeCommand({ Name: name }));
      return p.CurrentState === "RUNNING" ? p : null;
    }, 5000);
    assert.ok(d, `pipe ${name} did not reach RUNNING`);
    return d;
  };
  const receiveAll = async (url, want, ms = 10_000) => {
    const got = [];
    const deadline = Date.now() + ms;
    while (got.length < want && Date.now() < deadline) {
      const r = await sqs.send(new ReceiveMessageCommand({
        QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ["All"],
      }));
      got.push(...(r.Messages ?? []));
    }
    return got;
  };
  const executions = async (stateMachineArn, want, ms = 10_000) => {
    const list = await pollUntil(async () => {
      const { executions: e } = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
      return e.length >= want ? e : null;
    }, ms, 50);
    assert.ok(list, `expected ${want} execution(s) of ${stateMachineArn}`);
    return Promise.all(list.map(async (e) => JSON.parse(
      (await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))).input)));
  };
  const stats = async (name) => (await fetch(`${daemon.endpoint}/_sluice/pipes/${name}`)).json();

  it("CreatePipe, DescribePipe, ListPipes, UpdatePipe, StopPipe, StartPipe, DeletePipe, tags", async () => {
    const source = await queue("api-src");
    const target = await queue("api-dst");
    const name = uniqueName("api");
    const created = await pipes.send(new CreatePipeCommand({
      Name: name, Source: source.arn, Target: target.arn, RoleArn: ROLE, Description: "api test",
      Tags: { team: "sluice" },
    }));
    assert.equal(created.CurrentState, "CREATING");
    assert.equal(created.DesiredState, "RUNNING");
    assert.equal(created.Arn, `arn:aws:pipes:${REGION}:${DEFAULT_ACCOUNT}:pipe/${name}`);
    assert.ok(created.CreationTime instanceof Date);
    const d = await running(name);
    assert.equal(d.Source, source.arn);
    assert.equal(d.Target, target.arn);
    assert.equal(d.Description, "api test");
    assert.deepEqual(d.SourceParameters, { SqsQueueParameters: { BatchSize: 10 } });
    assert.deepEqual(d.TargetParameters, {});
    assert.deepEqual(d.Tags, { team: "sluice" });
    assert.equal(d.StateReason, "USER_INITIATED");

    const listed = await pipes.send(new ListPipesCommand({ NamePrefix: name }));
    assert.equal(listed.Pipes.length, 1);
    assert.equal(listed.Pipes[0].Source, source.arn);
    assert.equal((await pipes.send(new ListPipesCommand({ SourcePrefix: source.arn }))).Pipes.length, 1);
    assert.equal((await pipes.send(new ListPipesCommand({ NamePrefix: name, CurrentState: "STOPPED" }))).Pipes.length, 0);

    const stopping = await pipes.send(new StopPipeCommand({ Name: name }));
    assert.equal(stopping.CurrentState, "STOPPING");
    assert.equal(stopping.DesiredState, "STOPPED");
    assert.ok(await pollUntil(async () =>
      (await pipes.send(new DescribePipeCommand({ Name: name }))).CurrentState === "STOPPED", 5000));
    assert.equal((await pipes.send(new StartPipeCommand({ Name: name }))).CurrentState, "STARTING");
    await running(name);

    const updated = await pipes.send(new UpdatePipeCommand({
      Name: name, RoleArn: ROLE, SourceParameters: { SqsQueueParameters: { BatchSize: 5 } },
    }));
    assert.equal(updated.CurrentState, "UPDATING");
    assert.deepEqual((await running(name)).SourceParameters, { SqsQueueParameters: { BatchSize: 5 } });

    await pipes.send(new TagResourceCommand({ resourceArn: created.Arn, tags: { env: "test" } }));
    await pipes.send(new UntagResourceCommand({ resourceArn: created.Arn, tagKeys: ["team"] }));
    assert.deepEqual((await pipes.send(new ListTagsForResourceCommand({ resourceArn: created.Arn }))).tags, { env: "test" });

    const deleting = await pipes.send(new DeletePipeCommand({ Name: name }));
    assert.equal(deleting.CurrentState, "DELETING");
    await assert.rejects(
      pollUntil(async () => { await pipes.send(new DescribePipeCommand({ Name: name })); return false; }, 5000),
      (e) => e.name === "NotFoundException" && e.$metadata.httpStatusCode === 404);
  });

  it("bad input gets AWS's errors", async () => {
    const source = await queue("bad-src");
    const target = await queue("bad-dst");
    const base = { Source: source.arn, Target: target.arn, RoleArn: ROLE };
    const rejects = (input, check) => assert.rejects(pipes.send(new CreatePipeCommand({ Name: uniqueName("bad"), ...base, ...input })), check);
    await rejects({ Name: "no spaces allowed" }, (e) => e.name === "ValidationException" && /regular expression/.test(e.message));
    await rejects({ Source: "arn:aws:kinesis:us-east-1:000000000000:stream/s" },
      (e) => e.name === "ValidationException" && /SQS/.test(e.message));
    await rejects({ Target: "arn:aws:lambda:us-east-1:000000000000:function:f" }, (e) => e.name === "ValidationException");
    await rejects({ SourceParameters: { SqsQueueParameters: { BatchSize: 100 } } },
      (e) => e.name === "ValidationException" && /MaximumBatchingWindowInSeconds/.test(e.message));
    await rejects({ SourceParameters: { SqsQueueParameters: { BatchSize: 20000 } } },
      (e) => e.name === "ValidationException" && e.$metadata.httpStatusCode === 400);
    await rejects({ SourceParameters: { FilterCriteria: { Filters: [{ Pattern: "{\"body\": \"not a list\"}" }] } } },
      (e) => e.name === "ValidationException" && /Filters\[0\]/.test(e.message));
    // REQUEST_RESPONSE (the default) to a STANDARD state machine.
    const standard = await machine(PASS);
    await rejects({ Target: standard }, (e) => e.name === "ValidationException" && /STANDARD/.test(e.message));
    await assert.rejects(pipes.send(new DescribePipeCommand({ Name: uniqueName("missing") })),
      (e) => e.name === "NotFoundException");
    const name = uniqueName("dup");
    await pipes.send(new CreatePipeCommand({ Name: name, ...base }));
    await assert.rejects(pipes.send(new CreatePipeCommand({ Name: name, ...base })),
      (e) => e.name === "ConflictException" && e.$metadata.httpStatusCode === 409 && e.resourceId === name);
    await pipes.send(new DeletePipeCommand({ Name: name }));
  });

  it("SQS to SQS: each record arrives as a message; the source is emptied", async () => {
    const source = await queue("s2s-src");
    const target = await queue("s2s-dst");
    const name = uniqueName("s2s");
    await pipes.send(new CreatePipeCommand({ Name: name, Source: source.arn, Target: target.arn, RoleArn: ROLE }));
    await running(name);
    await sqs.send(new SendMessageCommand({
      QueueUrl: source.url, MessageBody: "hello",
      MessageAttributes: { color: { DataType: "String", StringValue: "blue" } },
    }));
    const [m] = await receiveAll(target.url, 1);
    assert.ok(m, "no message reached the target queue");
    const record = JSON.parse(m.Body);
    assert.equal(record.body, "hello");
    assert.equal(record.eventSource, "aws:sqs");
    assert.equal(record.eventSourceARN, source.arn);
    assert.equal(record.awsRegion, REGION);
    assert.equal(record.attributes.ApproximateReceiveCount, "1");
    assert.deepEqual(record.messageAttributes.color,
      { stringValue: "blue", stringListValues: [], binaryListValues: [], dataType: "String" });
    assert.ok(await pollUntil(async () => (await counts(source.url)).join() === "0,0", 3000));
    await pipes.send(new DeletePipeCommand({ Name: name }));
  });

  it("filters let matching records through and delete the rest; a template shapes what is sent", async () => {
    const source = await queue("flt-src");
    const target = await queue("flt-dst");
    const name = uniqueName("flt");
    await pipes.send(new CreatePipeCommand({
      Name: name, Source: source.arn, Target: target.arn, RoleArn: ROLE,
      SourceParameters: { FilterCriteria: { Filters: [
        { Pattern: JSON.stringify({ body: { kind: ["order"] } }) },
        { Pattern: JSON.stringify({ body: { priority: [{ numeric: [">", 5] }] } }) },
      ] } },
      TargetParameters: { InputTemplate: "{\"order\": <$.body.id>, \"pipe\": \"<aws.pipes.pipe-name>\"}" },
    }));
    await running(name);
    for (const body of [{ kind: "order", id: 1 }, { kind: "refund", id: 2 }, { priority: 9, id: 3 }, "plain text"])
      await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: typeof body === "string" ? body : JSON.stringify(body) }));
    const got = await receiveAll(target.url, 2);
    assert.deepEqual(got.map((m) => JSON.parse(m.Body)).sort((a, b) => a.order - b.order),
      [{ order: 1, pipe: name }, { order: 3, pipe: name }]);
    assert.ok(await pollUntil(async () => (await counts(source.url)).join() === "0,0", 3000), "filtered messages were not deleted");
    const s = await stats(name);
    assert.equal(s.messagesFiltered, 2);
    assert.equal(s.messagesDelivered, 2);
    await pipes.send(new DeletePipeCommand({ Name: name }));
  });

  it("a batching window gathers a batch for a state machine (one execution, an array of records)", async () => {
    const source = await queue("win-src");
    const sm = await machine(PASS);
    const name = uniqueName("win");
    await pipes.send(new CreatePipeCommand({
      Name: name, Source: source.arn, Target: sm, RoleArn: ROLE,
      SourceParameters: { SqsQueueParameters: { BatchSize: 50, MaximumBatchingWindowInSeconds: 20 } },
      TargetParameters: { StepFunctionStateMachineParameters: { InvocationType: "FIRE_AND_FORGET" } },
    }));
    await running(name);
    for (let i = 0; i < 5; i++) {
      await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: `m${i}` }));
      await sleep(20);
    }
    // The window is 20 s x 0.05 = 1 s: nothing goes before it closes.
    assert.equal((await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm }))).executions.length, 0);
    const [input] = await executions(sm, 1, 5000);
    assert.deepEqual(input.map((r) => r.body), ["m0", "m1", "m2", "m3", "m4"]);
    await sleep(300);
    assert.equal((await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm }))).executions.length, 1);
    await pipes.send(new DeletePipeCommand({ Name: name }));
  });

  it("an Express target's batchItemFailures retry only the failed item", async () => {
    const source = await queue("part-src", { VisibilityTimeout: "2" });
    const sm = await machine({
      StartAt: "Pick",
      States: {
        Pick: { Type: "Pass", Parameters: { "bad.$": "$[?(@.body == 'bad')]" }, Next: "Name" },
        Name: {
          Type: "Map", ItemsPath: "$.bad", ItemSelector: { "itemIdentifier.$": "$$.Map.Item.Value.messageId" },
          ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } },
          ResultPath: "$.batchItemFailures", End: true,
        },
      },
    }, "EXPRESS");
    const name = uniqueName("part");
    await pipes.send(new CreatePipeCommand({ Name: name, Source: source.arn, Target: sm, RoleArn: ROLE }));
    await running(name);
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: source.url, Entries: [
      { Id: "1", MessageBody: "good" }, { Id: "2", MessageBody: "bad" }, { Id: "3", MessageBody: "fine" }] }));
    const s = await pollUntil(async () => { const x = await stats(name); return x.messagesFailed >= 1 && x.messagesDelivered >= 2 ? x : null; }, 5000);
    assert.ok(s, `partial failure not seen: ${JSON.stringify(await stats(name))}`);
    const [visible, inFlight] = await counts(source.url);
    assert.equal(visible + inFlight, 1, "only the failed item stays on the source");
    await pipes.send(new DeletePipeCommand({ Name: name }));
  });

  it("enrichment's output replaces the batch; each element reaches an SQS target as a message", async () => {
    const source = await queue("enr-src");
    const target = await queue("enr-dst");
    const enricher = await machine({
      StartAt: "Shape",
      States: { Shape: { Type: "Map", ItemSelector: { "id.$": "$$.Map.Item.Value.messageId", enriched: true },
        ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } },
        End: true } },
    }, "EXPRESS");
    const name = uniqueName("enr");
    await pipes.send(new CreatePipeCommand({ Name: name, Source: source.arn, Enrichment: enricher, Target: target.arn, RoleArn: ROLE }));
    await running(name);
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: "x" }));
    const [m] = await receiveAll(target.url, 1);
    assert.deepEqual(JSON.parse(m.Body), { id: MessageId, enriched: true });
    await pipes.send(new DeletePipeCommand({ Name: name }));
  });

  it("FIFO to FIFO keeps each group's order, with MessageGroupId from a dynamic path", async () => {
    const source = await queue("fifo-src", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    const target = await queue("fifo-dst", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    const name = uniqueName("fifo");
    await pipes.send(new CreatePipeCommand({
      Name: name, Source: source.arn, Target: target.arn, RoleArn: ROLE,
      SourceParameters: { SqsQueueParameters: { BatchSize: 3 } },
      TargetParameters: { SqsQueueParameters: { MessageGroupId: "$.attributes.MessageGroupId" },
        InputTemplate: "\"<$.body>\"" },
    }));
    await running(name);
    for (let i = 0; i < 6; i++)
      await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: `${i % 2 ? "b" : "a"}${i}`, MessageGroupId: i % 2 ? "B" : "A" }));
    const got = await receiveAll(target.url, 6);
    const byGroup = {};
    for (const m of got) (byGroup[m.Attributes.MessageGroupId] ??= []).push(m.Body);
    assert.deepEqual(byGroup, { A: ["a0", "a2", "a4"], B: ["b1", "b3", "b5"] });
    await pipes.send(new DeletePipeCommand({ Name: name }));
  });

  it("a target that keeps failing: messages return after the visibility timeout and land in the source's DLQ", async () => {
    const dlq = await queue("dlq");
    const source = await queue("poison", {
      VisibilityTimeout: "2", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
    });
    const missing = `arn:aws:states:${REGION}:${DEFAULT_ACCOUNT}:stateMachine:${uniqueName("nothing")}`;
    const name = uniqueName("poison");
    await pipes.send(new CreatePipeCommand({
      Name: name, Source: source.arn, Target: missing, RoleArn: ROLE,
      TargetParameters: { StepFunctionStateMachineParameters: { InvocationType: "FIRE_AND_FORGET" } },
    }));
    await running(name);
    await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: "poison" }));
    const [dead] = await receiveAll(dlq.url, 1, 10_000);
    assert.ok(dead, `nothing reached the DLQ: ${JSON.stringify(await stats(name))}`);
    assert.equal(dead.Body, "poison");
    const s = await stats(name);
    assert.ok(s.messagesFailed >= 2, JSON.stringify(s));
    assert.match(s.lastError, /StateMachineDoesNotExist/);
    assert.deepEqual(await counts(source.url), [0, 0]);
    await pipes.send(new DeletePipeCommand({ Name: name }));
  });

  it("a stopped pipe takes nothing; messages sent meanwhile wait, and flow when it starts", async () => {
    const source = await queue("stop-src");
    const target = await queue("stop-dst");
    const name = uniqueName("stop");
    await pipes.send(new CreatePipeCommand({ Name: name, Source: source.arn, Target: target.arn, RoleArn: ROLE, DesiredState: "STOPPED" }));
    assert.ok(await pollUntil(async () =>
      (await pipes.send(new DescribePipeCommand({ Name: name }))).CurrentState === "STOPPED", 5000));
    await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: "wait" }));
    await sleep(300);
    assert.deepEqual(await counts(source.url), [1, 0]);
    await pipes.send(new StartPipeCommand({ Name: name }));
    const [m] = await receiveAll(target.url, 1);
    assert.equal(JSON.parse(m.Body).body, "wait");
    await pipes.send(new DeletePipeCommand({ Name: name }));
  });

  it("the AWS CLI drives pipes too", () => {
    const env = { ...process.env };
    const cli = (...args) => JSON.parse(execFileSync("aws", ["--endpoint-url", daemon.endpoint, "--region", REGION, "--output", "json", ...args], { env }).toString() || "{}");
    const q = `cli-${process.pid}-${Date.now() % 1e6}`;
    cli("sqs", "create-queue", "--queue-name", q);
    cli("sqs", "create-queue", "--queue-name", `${q}-out`);
    const name = uniqueName("cli");
    const created = cli("pipes", "create-pipe", "--name", name, "--source", queueArn(q), "--target", queueArn(`${q}-out`),
      "--role-arn", ROLE, "--source-parameters", JSON.stringify({ SqsQueueParameters: { BatchSize: 2 } }));
    assert.equal(created.CurrentState, "CREATING");
    const d = cli("pipes", "describe-pipe", "--name", name);
    assert.equal(d.Name, name);
    assert.deepEqual(d.SourceParameters, { SqsQueueParameters: { BatchSize: 2 } });
    assert.ok(cli("pipes", "list-pipes", "--name-prefix", name).Pipes.length === 1);
    assert.throws(() => execFileSync("aws", ["--endpoint-url", daemon.endpoint, "--region", REGION, "pipes", "describe-pipe", "--name", `${name}-x`],
      { env, stdio: ["ignore", "ignore", "pipe"] }), (e) => /NotFoundException/.test(e.stderr.toString()));
    assert.equal(cli("pipes", "delete-pipe", "--name", name).CurrentState, "DELETING");
  });
});
