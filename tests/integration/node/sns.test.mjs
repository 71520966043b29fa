// SNS through the AWS SDK for JavaScript v3 (@aws-sdk/client-sns, query protocol), with
// @aws-sdk/client-sqs reading the subscribed queues (same daemon). Errors as JS users see them:
// `err.name` (the code) and `err.$metadata.httpStatusCode`.
//
// The oracle is AWS (docs/research/sns-behaviour.md); python/test_sns_boto3.py cites the sources.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";

import {
  SNSClient, CreateTopicCommand, DeleteTopicCommand, GetTopicAttributesCommand, SubscribeCommand,
  SetSubscriptionAttributesCommand, PublishCommand, PublishBatchCommand, ListSubscriptionsByTopicCommand,
  UnsubscribeCommand, paginateListTopics,
} from "@aws-sdk/client-sns";
import {
  SQSClient, CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";

import { Daemon, DEFAULT_ACCOUNT, pollUntil, REGION, uniqueName } from "./harness.mjs";

const TOPIC_PREFIX = `arn:aws:sns:${REGION}:${DEFAULT_ACCOUNT}:`;
const SANITIZER = ["ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
  "UndefinedBehaviorSanitizer", "WARNING: ThreadSanitizer"];

async function expectError(promise, name, { status = 400, message } = {}) {
  try {
    await promise;
  } catch (err) {
    assert.equal(err.name, name, `error name; got ${err.name}: ${err.message}`);
    assert.equal(err.$metadata?.httpStatusCode, status, "HTTP status");
    if (message !== undefined) assert.equal(err.message, message);
    return err;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

describe("SNS (@aws-sdk/client-sns)", () => {
  const daemon = new Daemon(0.05, "node-sns");
  let sns;
  let sqs;
  const cleanups = [];

  before(async () => {
    await daemon.start();
    sns = new SNSClient(daemon.clientConfig());
    sqs = new SQSClient(daemon.clientConfig());
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => {});
    sns?.destroy();
    sqs?.destroy();
    await daemon.stop();
    if (daemon.stderrPath) {
      const text = readFileSync(daemon.stderrPath, "utf8");
      const hit = SANITIZER.find((m) => text.includes(m));
      assert.equal(hit, undefined, `sanitizer report in the daemon's stderr (${daemon.stderrPath}):\n${text.slice(-8000)}`);
    }
  });

  const topic = async (fifo = false, Attributes = {}) => {
    const Name = uniqueName("t") + (fifo ? ".fifo" : "");
    const r = await sns.send(new CreateTopicCommand({ Name, Attributes: fifo ? { FifoTopic: "true", ...Attributes } : Attributes }));
    cleanups.push(() => sns.send(new DeleteTopicCommand({ TopicArn: r.TopicArn })));
    return r.TopicArn;
  };
  const queue = async (fifo = false) => {
    const QueueName = uniqueName("q") + (fifo ? ".fifo" : "");
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName, Attributes: fifo ? { FifoQueue: "true" } : {} }));
    cleanups.push(() => sqs.send(new DeleteQueueCommand({ QueueUrl })));
    const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    return { url: QueueUrl, arn: a.Attributes.QueueArn };
  };
  const receive = async (QueueUrl, count = 1) => {
    const got = [];
    await pollUntil(async () => {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0,
        MessageAttributeNames: ["All"] }));
      for (const m of r.Messages ?? []) {
        got.push(m);
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
      return got.length >= count;
    }, 5000);
    return got;
  };

  it("creates a topic and reads its attributes; a missing topic is NotFound (404)", async () => {
    const arn = await topic();
    assert.ok(arn.startsWith(TOPIC_PREFIX));
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    assert.equal(Attributes.TopicArn, arn);
    assert.equal(Attributes.Owner, DEFAULT_ACCOUNT);
    assert.equal(Attributes.SubscriptionsConfirmed, "0");
    await expectError(sns.send(new GetTopicAttributesCommand({ TopicArn: TOPIC_PREFIX + "missing" })), "NotFoundException",
      { status: 404, message: "Topic does not exist" });
  });

  it("pages ListTopics", async () => {
    const made = new Set();
    for (let i = 0; i < 3; i++) made.add(await topic());
    const seen = [];
    for await (const page of paginateListTopics({ client: sns }, {})) seen.push(...page.Topics.map((t) => t.TopicArn));
    for (const arn of made) assert.ok(seen.includes(arn));
  });

  it("publishes to a subscribed queue: the envelope, raw delivery and a filter policy", async () => {
    const t = await topic();
    const q = await queue();
    const raw = await queue();
    const sub = (await sns.send(new SubscribeCommand({ TopicArn: t, Protocol: "sqs", Endpoint: q.arn }))).SubscriptionArn;
    assert.match(sub, new RegExp(`^${t}:[0-9a-f-]{36}$`));
    await sns.send(new SubscribeCommand({ TopicArn: t, Protocol: "sqs", Endpoint: raw.arn,
      Attributes: { RawMessageDelivery: "true", FilterPolicy: JSON.stringify({ kind: ["keep"] }) } }));
    const r = await sns.send(new PublishCommand({ TopicArn: t, Message: "hello", Subject: "s",
      MessageAttributes: { kind: { DataType: "String", StringValue: "keep" } } }));
    await sns.send(new PublishCommand({ TopicArn: t, Message: "dropped by the filter",
      MessageAttributes: { kind: { DataType: "String", StringValue: "other" } } }));
    const got = await receive(q.url, 2);
    const first = JSON.parse(got.find((m) => JSON.parse(m.Body).MessageId === r.MessageId).Body);
    assert.deepEqual(Object.keys(first), ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp",
      "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"]);
    assert.equal(first.Message, "hello");
    const [rawMessage] = await receive(raw.url);
    assert.equal(rawMessage.Body, "hello");
    assert.equal(rawMessage.MessageAttributes.kind.StringValue, "keep");
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: t }));
    assert.equal(subs.Subscriptions.length, 2);
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: sub }));
  });

  it("refuses a bad filter policy in SNS's words", async () => {
    const t = await topic();
    const q = await queue();
    const sub = (await sns.send(new SubscribeCommand({ TopicArn: t, Protocol: "sqs", Endpoint: q.arn }))).SubscriptionArn;
    await expectError(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub, AttributeName: "FilterPolicy",
      AttributeValue: JSON.stringify({ key: [{ numeric: [">", 3, "<", 1] }] }) })), "InvalidParameterException",
    { message: "Invalid parameter: FilterPolicy: Bottom must be less than top" });
  });

  it("delivers a FIFO topic's batch to a FIFO queue in order", async () => {
    const t = await topic(true, { ContentBasedDeduplication: "true" });
    const q = await queue(true);
    await sns.send(new SubscribeCommand({ TopicArn: t, Protocol: "sqs", Endpoint: q.arn }));
    const r = await sns.send(new PublishBatchCommand({ TopicArn: t, PublishBatchRequestEntries:
      ["a", "b", "c"].map((m, i) => ({ Id: String(i), Message: m, MessageGroupId: "g" })) }));
    assert.equal(r.Successful.length, 3);
    const seq = r.Successful.map((s) => BigInt(s.SequenceNumber));
    assert.ok(seq[0] < seq[1] && seq[1] < seq[2]);
    const got = await receive(q.url, 3);
    assert.deepEqual(got.map((m) => JSON.parse(m.Body).Message), ["a", "b", "c"]);
    await expectError(sns.send(new PublishCommand({ TopicArn: t, Message: "x" })), "InvalidParameterException",
      { message: "Invalid parameter: The MessageGroupId parameter is required for FIFO topics" });
  });
});
