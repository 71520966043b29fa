// EventBridge through the AWS SDK for JavaScript v3 (@aws-sdk/client-eventbridge, JSON 1.1), with
// @aws-sdk/client-sqs reading the queues that rules deliver to and that hold dead letters.
// Errors are checked as JS users see them: `err.name` and `err.$metadata.httpStatusCode`.
//
// The oracle is AWS: docs/research/eventbridge-behaviour.md.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";

import {
  EventBridgeClient, CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, DescribeRuleCommand,
  ListRulesCommand, ListTargetsByRuleCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand,
  RemoveTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { SQSClient, CreateQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";

import { Daemon, DEFAULT_ACCOUNT, pollUntil, REGION, uniqueName } from "./harness.mjs";

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

describe("EventBridge (@aws-sdk/client-eventbridge)", () => {
  const daemon = new Daemon(0.01, "node-eventbridge");
  let events;
  let sqs;

  before(async () => {
    await daemon.start();
    events = new EventBridgeClient(daemon.clientConfig());
    sqs = new SQSClient(daemon.clientConfig());
  });
  after(async () => {
    events?.destroy();
    sqs?.destroy();
    await daemon.stop();
    if (daemon.stderrPath) {
      const text = readFileSync(daemon.stderrPath, "utf8");
      const hit = SANITIZER.find((m) => text.includes(m));
      assert.equal(hit, undefined, `sanitizer report in the daemon's stderr (${daemon.stderrPath}):\n${text.slice(-8000)}`);
    }
  });

  async function queue() {
    const name = uniqueName("eb");
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    return { url: QueueUrl, arn: `arn:aws:sqs:${REGION}:${DEFAULT_ACCOUNT}:${name}` };
  }
  async function receive(url, count = 1) {
    const got = [];
    await pollUntil(async () => {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"] }));
      got.push(...(r.Messages ?? []));
      return got.length >= count;
    }, 5000);
    return got;
  }

  it("routes PutEvents on a custom bus to an SQS target through an input transformer", async () => {
    const bus = uniqueName("bus");
    await events.send(new CreateEventBusCommand({ Name: bus }));
    const { url, arn } = await queue();
    const rule = uniqueName("rule");
    const { RuleArn } = await events.send(new PutRuleCommand({ Name: rule, EventBusName: bus,
      EventPattern: JSON.stringify({ "detail-type": [{ prefix: "order" }] }) }));
    assert.equal(RuleArn, `arn:aws:events:${REGION}:${DEFAULT_ACCOUNT}:rule/${bus}/${rule}`);
    await events.send(new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [{ Id: "q", Arn: arn,
      InputTransformer: { InputPathsMap: { id: "$.detail.id" }, InputTemplate: '"order <id> from <aws.events.rule-name>"' } }] }));
    const out = await events.send(new PutEventsCommand({ Entries: [
      { Source: "shop", DetailType: "order placed", Detail: JSON.stringify({ id: "A-1" }), EventBusName: bus },
      { Source: "shop", DetailType: "refund", Detail: "{}", EventBusName: bus },
    ] }));
    assert.equal(out.FailedEntryCount, 0);
    const messages = await receive(url);
    assert.equal(messages.length, 1);
    assert.equal(messages[0].Body, `"order A-1 from ${rule}"`);
    const targets = await events.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: bus }));
    assert.equal(targets.Targets[0].InputTransformer.InputPathsMap.id, "$.detail.id");
    await expectError(events.send(new DeleteRuleCommand({ Name: rule, EventBusName: bus })), "ValidationException",
      { message: "Rule can't be deleted since it has targets." });
    await events.send(new RemoveTargetsCommand({ Rule: rule, EventBusName: bus, Ids: ["q"] }));
    await events.send(new DeleteRuleCommand({ Name: rule, EventBusName: bus }));
    await events.send(new DeleteEventBusCommand({ Name: bus }));
  });

  it("sends an event whose target is gone to the dead-letter queue with AWS's attributes", async () => {
    const dlq = await queue();
    const rule = uniqueName("dead");
    const RuleArn = (await events.send(new PutRuleCommand({ Name: rule,
      EventPattern: JSON.stringify({ source: [rule] }) }))).RuleArn;
    const machine = `arn:aws:states:${REGION}:${DEFAULT_ACCOUNT}:stateMachine:${uniqueName("gone")}`;
    await events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: "sm", Arn: machine,
      DeadLetterConfig: { Arn: dlq.arn } }] }));
    const { Entries } = await events.send(new PutEventsCommand({ Entries: [
      { Source: rule, DetailType: "t", Detail: "{}" }] }));
    const [message] = await receive(dlq.url);
    assert.equal(JSON.parse(message.Body).id, Entries[0].EventId);
    const attrs = Object.fromEntries(Object.entries(message.MessageAttributes).map(([k, v]) => [k, v.StringValue]));
    assert.deepEqual({ ...attrs, ERROR_MESSAGE: undefined }, {
      ERROR_CODE: "NO_RESOURCE", ERROR_MESSAGE: undefined, RETRY_ATTEMPTS: "0", RULE_ARN: RuleArn, TARGET_ARN: machine });
  });

  it("pages ListRules and answers errors as the SDK expects", async () => {
    const prefix = uniqueName("page");
    for (let i = 0; i < 3; i++)
      await events.send(new PutRuleCommand({ Name: `${prefix}-${i}`, EventPattern: '{"source":["x"]}' }));
    const names = [];
    let token;
    do {
      const page = await events.send(new ListRulesCommand({ NamePrefix: prefix, Limit: 2, NextToken: token }));
      assert.ok(page.Rules.length <= 2);
      names.push(...page.Rules.map((r) => r.Name));
      token = page.NextToken;
    } while (token);
    assert.deepEqual(names, [`${prefix}-0`, `${prefix}-1`, `${prefix}-2`]);
    await expectError(events.send(new DescribeRuleCommand({ Name: uniqueName("none") })), "ResourceNotFoundException");
    await expectError(events.send(new PutRuleCommand({ Name: prefix, EventPattern: '{"source":"x"}' })),
      "InvalidEventPatternException");
  });
});
