// sqs-consumer (14.x) on top of the current @aws-sdk/client-sqs, against Sluice.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand,
  SQSClient } from "@aws-sdk/client-sqs";
import { Consumer } from "sqs-consumer";

import { Daemon, pollUntil, uniqueName } from "./harness.mjs";

const daemon = new Daemon(0.02, "node-consumer");
let sqs;

before(async () => {
  await daemon.start();
  sqs = new SQSClient(daemon.clientConfig());
});
after(async () => {
  sqs?.destroy();
  await daemon.stop();
});

async function makeQueue(prefix, Attributes) {
  return (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName(prefix), Attributes }))).QueueUrl;
}

async function counts(QueueUrl) {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes;
  return { visible: Number(a.ApproximateNumberOfMessages), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible) };
}

async function stopConsumer(consumer) {
  // a graceful stop lets the current (short, time-scaled) long poll finish
  const stopped = new Promise((resolve) => consumer.once("stopped", resolve));
  consumer.stop();
  await Promise.race([stopped, new Promise((r) => setTimeout(r, 3000))]);
}

describe("sqs-consumer", () => {
  it("consumes and deletes messages", async () => {
    const queueUrl = await makeQueue("consume");
    const bodies = Array.from({ length: 15 }, (_, i) => `job-${i}`);
    for (let i = 0; i < bodies.length; i += 5) {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: bodies.slice(i, i + 5)
        .map((b, j) => ({ Id: `e${j}`, MessageBody: b })) }));
    }
    const handled = [];
    const processed = [];
    const errors = [];
    const consumer = Consumer.create({
      sqs,
      queueUrl,
      batchSize: 10,
      pollingWaitTimeMs: 0,
      waitTimeSeconds: daemon.attrSeconds(0.2, { hi: 20 }),
      handleMessage: async (m) => { handled.push(m.Body); return m; },
    });
    consumer.on("error", (e) => errors.push(e));
    consumer.on("processing_error", (e) => errors.push(e));
    consumer.on("message_processed", (m) => processed.push(m.Body)); // emitted after the delete
    consumer.start();
    let ok;
    try {
      ok = await pollUntil(() => processed.length >= bodies.length, 8000);
    } finally {
      await stopConsumer(consumer);
    }
    assert.ok(ok, `processed ${processed.length} of ${bodies.length}`);
    assert.deepEqual(errors.map(String), []);
    assert.deepEqual([...handled].sort(), [...bodies].sort());
    assert.deepEqual([...processed].sort(), [...bodies].sort());
    const c = await pollUntil(async () => {
      const v = await counts(queueUrl);
      return v.visible === 0 && v.inFlight === 0 ? v : null;
    }, 3000);
    assert.ok(c, "messages were not deleted");
  });

  it("leaves a message whose handler throws for redelivery", async () => {
    const vt = daemon.attrSeconds(0.3);
    const queueUrl = await makeQueue("retry", { VisibilityTimeout: String(vt) });
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "flaky" }));
    const deliveries = [];
    const processingErrors = [];
    const consumer = Consumer.create({
      sqs,
      queueUrl,
      pollingWaitTimeMs: 0,
      waitTimeSeconds: daemon.attrSeconds(0.2, { hi: 20 }),
      attributeNames: ["ApproximateReceiveCount"],
      handleMessage: async (m) => {
        deliveries.push({ at: Date.now(), count: m.Attributes?.ApproximateReceiveCount });
        if (deliveries.length === 1) throw new Error("first attempt fails");
        return m;
      },
    });
    consumer.on("processing_error", (e) => processingErrors.push(e));
    consumer.start();
    try {
      const ok = await pollUntil(() => deliveries.length >= 2, 5000);
      assert.ok(ok, `delivered ${deliveries.length} time(s)`);
    } finally {
      await stopConsumer(consumer);
    }
    assert.equal(processingErrors.length, 1);
    assert.match(String(processingErrors[0].message), /first attempt fails/);
    assert.deepEqual(deliveries.map((d) => d.count), ["1", "2"]);
    // redelivered only after the visibility timeout
    assert.ok(deliveries[1].at - deliveries[0].at >= 0.7 * daemon.real(vt) * 1000,
      `redelivered after ${deliveries[1].at - deliveries[0].at} ms`);
    const c = await pollUntil(async () => {
      const v = await counts(queueUrl);
      return v.visible === 0 && v.inFlight === 0 ? v : null;
    }, 3000);
    assert.ok(c, "message was not deleted after the successful retry");
  });
});
