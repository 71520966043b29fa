// SQS tests shared by the JSON-protocol client (@aws-sdk/client-sqs, current) and the
// query-protocol one (client-sqs-query = @aws-sdk/client-sqs@3.445.0, the last release before
// the SDK switched SQS to JSON; it already has the message-move-task commands).
//
// Both clients validate MD5OfMessageBody / MD5OfBody on send, batch send and receive (the
// middleware-sdk-sqs md5 checks, on by default), so a wrong digest fails the call itself.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { captureRequests, Daemon, DEFAULT_ACCOUNT, md5Hex, md5OfMessageAttributes, pollUntil, sleep,
  uniqueName } from "./harness.mjs";

const ATTRS = {
  s: { DataType: "String", StringValue: "h\u00e9llo \u{1F600}" },
  n: { DataType: "Number", StringValue: "-12.5e3" },
  b: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 0xfe, 0xff, 0x62]) },
  "custom.str": { DataType: "String.custom", StringValue: "typed" },
  "custom.num": { DataType: "Number.float", StringValue: "3.14" },
  "custom.bin": { DataType: "Binary.gzip", BinaryValue: new Uint8Array([0x1f, 0x8b, 0x08]) },
};

function normalizeAttrs(attrs) {
  const out = {};
  for (const [k, v] of Object.entries(attrs ?? {})) {
    out[k] = { DataType: v.DataType };
    if (v.StringValue !== undefined) out[k].StringValue = v.StringValue;
    if (v.BinaryValue !== undefined) out[k].BinaryValue = Buffer.from(v.BinaryValue).toString("hex");
  }
  return out;
}

async function expectError(promise, { name, code, status = 400 }) {
  try {
    await promise;
  } catch (err) {
    assert.equal(err.name, name, `error name; got ${err.name}: ${err.message}`);
    if (code !== undefined) {
      const seen = err.Code ?? err.Error?.Code;
      assert.equal(seen, code, "legacy error code (err.Code / err.Error.Code)");
    }
    if (status !== undefined) assert.equal(err.$metadata?.httpStatusCode, status, "HTTP status");
    assert.equal(err.$fault, "client");
    return err;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

/**
 * @param label "json" | "query"
 * @param sdk   the module namespace of the client package
 */
export function defineSqsTests(label, sdk, { timeScale = 0.02 } = {}) {
  const {
    SQSClient, CreateQueueCommand, GetQueueUrlCommand, GetQueueAttributesCommand, SendMessageCommand,
    SendMessageBatchCommand, ReceiveMessageCommand, DeleteMessageCommand, DeleteQueueCommand,
    PurgeQueueCommand, ListQueuesCommand, ChangeMessageVisibilityCommand,
    StartMessageMoveTaskCommand, ListMessageMoveTasksCommand, CancelMessageMoveTaskCommand,
  } = sdk;
  const daemon = new Daemon(timeScale, `node-${label}`);
  let sqs;

  before(async () => {
    await daemon.start();
    sqs = new SQSClient(daemon.clientConfig());
  });
  after(async () => {
    sqs?.destroy();
    await daemon.stop();
  });

  const makeQueue = async (prefix, Attributes, fifo = false) => {
    const QueueName = uniqueName(`${prefix}-${label}`) + (fifo ? ".fifo" : "");
    const attrs = { ...(Attributes ?? {}) };
    if (fifo) attrs.FifoQueue = "true";
    const r = await sqs.send(new CreateQueueCommand({ QueueName, Attributes: Object.keys(attrs).length ? attrs : undefined }));
    return r.QueueUrl;
  };
  const arnOf = async (QueueUrl) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes.QueueArn;
  const count = async (QueueUrl, name = "ApproximateNumberOfMessages") =>
    Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: [name] }))).Attributes[name]);
  const receive = async (QueueUrl, extra = {}) =>
    (await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0, ...extra }))).Messages ?? [];
  const drain = async (QueueUrl, expected, timeoutMs = 4000, extra = {}) => {
    const got = [];
    const deadline = Date.now() + timeoutMs;
    while (got.length < expected && Date.now() < deadline) {
      const msgs = await receive(QueueUrl, { MaxNumberOfMessages: 10, ...extra });
      for (const m of msgs) {
        got.push(m);
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
      if (!msgs.length) await sleep(20);
    }
    return got;
  };

  describe(`SQS via @aws-sdk/client-sqs (${label} protocol)`, () => {
    it("speaks the expected wire protocol", async () => {
      const c = new SQSClient(daemon.clientConfig());
      const seen = captureRequests(c);
      await c.send(new ListQueuesCommand({ QueueNamePrefix: "nothing-here-" }));
      c.destroy();
      assert.equal(seen.length, 1);
      const h = Object.fromEntries(Object.entries(seen[0].headers).map(([k, v]) => [k.toLowerCase(), v]));
      if (label === "json") {
        assert.equal(h["x-amz-target"], "AmazonSQS.ListQueues");
        assert.match(h["content-type"], /^application\/x-amz-json-1\.0/);
        assert.deepEqual(JSON.parse(seen[0].body), { QueueNamePrefix: "nothing-here-" });
      } else {
        assert.equal(h["x-amz-target"], undefined);
        assert.match(h["content-type"], /^application\/x-www-form-urlencoded/);
        assert.match(seen[0].body, /(^|&)Action=ListQueues(&|$)/);
        assert.match(seen[0].body, /(^|&)Version=2012-11-05(&|$)/);
      }
      assert.match(h.authorization, /\/us-east-1\/sqs\/aws4_request/);
    });

    it("creates a queue whose URL is host/account/name", async () => {
      const QueueName = uniqueName(`url-${label}`);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName }));
      assert.equal(QueueUrl, `${daemon.endpoint}/${DEFAULT_ACCOUNT}/${QueueName}`);
      assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName }))).QueueUrl, QueueUrl);
      assert.equal(await arnOf(QueueUrl), `arn:aws:sqs:us-east-1:${DEFAULT_ACCOUNT}:${QueueName}`);
    });

    it("sends and receives String, Number, Binary and custom-typed attributes with exact MD5s", async () => {
      const QueueUrl = await makeQueue("attrs");
      const body = "body \u00e9\u4e16\u{1F600} <&>";
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageAttributes: ATTRS }));
      assert.equal(sent.MD5OfMessageBody, md5Hex(body));
      assert.equal(sent.MD5OfMessageAttributes, md5OfMessageAttributes(ATTRS));
      const msgs = await receive(QueueUrl, { MessageAttributeNames: ["All"], MaxNumberOfMessages: 10 });
      assert.equal(msgs.length, 1);
      const m = msgs[0];
      assert.equal(m.Body, body);
      assert.equal(m.MessageId, sent.MessageId);
      assert.equal(m.MD5OfBody, md5Hex(body));
      assert.equal(m.MD5OfMessageAttributes, md5OfMessageAttributes(ATTRS));
      assert.deepEqual(normalizeAttrs(m.MessageAttributes), normalizeAttrs(ATTRS));
      assert.ok(m.MessageAttributes.b.BinaryValue instanceof Uint8Array);
      assert.equal(md5OfMessageAttributes(m.MessageAttributes), sent.MD5OfMessageAttributes);
    });

    it("SendMessageBatch returns per-entry ids and digests", async () => {
      const QueueUrl = await makeQueue("batch");
      const Entries = [
        { Id: "a", MessageBody: "one" },
        { Id: "b", MessageBody: "two", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } },
        { Id: "c", MessageBody: "three \u{1F600}" },
      ];
      const r = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
      assert.deepEqual(r.Failed ?? [], []);
      const byId = Object.fromEntries(r.Successful.map((e) => [e.Id, e]));
      assert.deepEqual(Object.keys(byId).sort(), ["a", "b", "c"]);
      assert.equal(byId.c.MD5OfMessageBody, md5Hex("three \u{1F600}"));
      assert.equal(byId.b.MD5OfMessageAttributes, md5OfMessageAttributes(Entries[1].MessageAttributes));
      assert.equal(byId.a.MD5OfMessageAttributes, undefined);
      const got = await drain(QueueUrl, 3);
      assert.deepEqual(got.map((m) => m.Body).sort(), ["one", "three \u{1F600}", "two"]);
    });

    it("reports QueueDoesNotExist with the legacy code", async () => {
      const err = await expectError(sqs.send(new GetQueueUrlCommand({ QueueName: uniqueName("missing") })),
        { name: "QueueDoesNotExist", code: "AWS.SimpleQueueService.NonExistentQueue" });
      assert.ok(err instanceof sdk.QueueDoesNotExist);
      // The query-era model did not list QueueDoesNotExist for SendMessage, so that SDK names the
      // error after its code; the JSON-era client maps it to the modeled exception.
      const QueueUrl = `${daemon.endpoint}/${DEFAULT_ACCOUNT}/${uniqueName("missing")}`;
      await expectError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" })),
        { name: label === "json" ? "QueueDoesNotExist" : "AWS.SimpleQueueService.NonExistentQueue",
          code: "AWS.SimpleQueueService.NonExistentQueue" });
    });

    it("reports QueueNameExists (QueueAlreadyExists) for a clash of attributes", async () => {
      const QueueName = uniqueName(`clash-${label}`);
      await sqs.send(new CreateQueueCommand({ QueueName, Attributes: { VisibilityTimeout: "40" } }));
      await expectError(sqs.send(new CreateQueueCommand({ QueueName, Attributes: { VisibilityTimeout: "41" } })),
        { name: "QueueNameExists", code: "QueueAlreadyExists" });
    });

    it("reports batch errors by name", async () => {
      const QueueUrl = await makeQueue("batcherr");
      await expectError(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })),
        { name: "EmptyBatchRequest", code: "AWS.SimpleQueueService.EmptyBatchRequest" });
      const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: "x" }));
      await expectError(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: eleven })),
        { name: "TooManyEntriesInBatchRequest", code: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest" });
      await expectError(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [
        { Id: "same", MessageBody: "a" }, { Id: "same", MessageBody: "b" }] })),
      { name: "BatchEntryIdsNotDistinct", code: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct" });
    });

    it("reports ReceiptHandleIsInvalid and InvalidMessageContents", async () => {
      const QueueUrl = await makeQueue("invalid");
      await expectError(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: "garbage" })),
        { name: "ReceiptHandleIsInvalid" });
      await expectError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "bad \u0000" })),
        { name: "InvalidMessageContents" });
      await expectError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "bad \uffff" })),
        { name: "InvalidMessageContents" });
    });

    it("reports PurgeQueueInProgress with status 403", async () => {
      const QueueUrl = await makeQueue("purge");
      await sqs.send(new PurgeQueueCommand({ QueueUrl }));
      await expectError(sqs.send(new PurgeQueueCommand({ QueueUrl })),
        { name: "PurgeQueueInProgress", code: "AWS.SimpleQueueService.PurgeQueueInProgress", status: 403 });
    });

    it("keeps FIFO order within a group and blocks the group while its head is in flight", async () => {
      const QueueUrl = await makeQueue("fifo", {}, true);
      for (let i = 0; i < 4; i++) {
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}`, MessageGroupId: "g",
          MessageDeduplicationId: `d${i}` }));
      }
      const head = await receive(QueueUrl, { MaxNumberOfMessages: 1, VisibilityTimeout: 900 });
      assert.deepEqual(head.map((m) => m.Body), ["m0"]);
      assert.deepEqual(await receive(QueueUrl, { MaxNumberOfMessages: 10 }), []);
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: head[0].ReceiptHandle }));
      const rest = await drain(QueueUrl, 3);
      assert.deepEqual(rest.map((m) => m.Body), ["m1", "m2", "m3"]);
    });

    it("returns a message after ChangeMessageVisibility to 0", async () => {
      const QueueUrl = await makeQueue("cmv");
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
      const [m] = await receive(QueueUrl, { VisibilityTimeout: 900 });
      assert.deepEqual(await receive(QueueUrl), []);
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
      const again = await receive(QueueUrl, { AttributeNames: ["ApproximateReceiveCount"] });
      assert.equal(again.length, 1);
      assert.equal(again[0].Attributes.ApproximateReceiveCount, "2");
    });

    it("deletes a queue", async () => {
      const QueueUrl = await makeQueue("del");
      await sqs.send(new DeleteQueueCommand({ QueueUrl }));
      const QueueName = QueueUrl.split("/").pop();
      await expectError(sqs.send(new GetQueueUrlCommand({ QueueName })),
        { name: "QueueDoesNotExist", code: "AWS.SimpleQueueService.NonExistentQueue" });
      const listed = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: QueueName }))).QueueUrls ?? [];
      assert.deepEqual(listed, []);
    });

    describe("message move tasks", () => {
      const waitTask = async (SourceArn, statuses) => {
        let results = [];
        await pollUntil(async () => {
          results = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn }))).Results ?? [];
          return results.length && statuses.includes(results[0].Status);
        }, 4000, 50);
        return results;
      };

      it("moves redriven messages from a DLQ back to their source", async () => {
        const dlq = await makeQueue("mtdlq");
        const dlqArn = await arnOf(dlq);
        const src = await makeQueue("mtsrc", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: "1" }) });
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: src, Entries: [
          { Id: "a", MessageBody: "r0" }, { Id: "b", MessageBody: "r1" }] }));
        // receive once with VisibilityTimeout 0, then the next receive attempts redrive them
        await pollUntil(async () => (await receive(src, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 })).length > 0, 2000);
        const inDlq = await pollUntil(async () => (await receive(src, { MaxNumberOfMessages: 10 })).length === 0
          && (await count(dlq)) === 2, 3000);
        assert.ok(inDlq, "messages did not reach the DLQ");
        const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
        assert.ok(TaskHandle);
        const results = await waitTask(dlqArn, ["COMPLETED"]);
        assert.equal(results[0].Status, "COMPLETED");
        assert.equal(results[0].SourceArn, dlqArn);
        assert.equal(results[0].ApproximateNumberOfMessagesMoved, 2);
        const back = await drain(src, 2);
        assert.deepEqual(back.map((m) => m.Body).sort(), ["r0", "r1"]);
        assert.equal(await count(dlq), 0);
      });

      it("cancels a running task", async () => {
        const dlq = await makeQueue("mtcdlq");
        const dlqArn = await arnOf(dlq);
        await makeQueue("mtcsrc", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: "3" }) });
        const dest = await makeQueue("mtcdest");
        const n = 300;
        for (let i = 0; i < n; i += 10) {
          await sqs.send(new SendMessageBatchCommand({ QueueUrl: dlq, Entries: Array.from({ length: 10 },
            (_, j) => ({ Id: `e${j}`, MessageBody: `c${i + j}` })) }));
        }
        // 1 message per (scaled) second: 300 messages take 6 s real at time scale 0.02
        const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn,
          DestinationArn: await arnOf(dest), MaxNumberOfMessagesPerSecond: 1 }));
        const listed = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results;
        assert.equal(listed[0].Status, "RUNNING");
        assert.equal(listed[0].TaskHandle, TaskHandle);
        const cancel = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
        assert.ok(cancel.ApproximateNumberOfMessagesMoved < n);
        const results = await waitTask(dlqArn, ["CANCELLED"]);
        assert.equal(results[0].Status, "CANCELLED");
        assert.equal((await count(dlq)) + (await count(dest)), n);
      });
    });
  });
}
