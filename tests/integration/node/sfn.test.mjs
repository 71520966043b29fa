// Step Functions through the AWS SDK for JavaScript v3 (@aws-sdk/client-sfn, JSON 1.0), with
// @aws-sdk/client-sqs reading the queue a `.waitForTaskToken` task writes to (same daemon).
//
// StartSyncExecution carries the model's "sync-" host prefix; `disableHostPrefix: true` in the
// client config keeps requests on the local endpoint. Errors are checked the way JS users see
// them: `err.name` (the code) and `err.$metadata.httpStatusCode`.
//
// The oracle is AWS (docs/research/sfn-behaviour.md); see python/test_sfn_boto3.py for sources.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";

import {
  SFNClient, CreateStateMachineCommand, DescribeStateMachineCommand, DeleteStateMachineCommand,
  StartExecutionCommand, StartSyncExecutionCommand, DescribeExecutionCommand, StopExecutionCommand,
  GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand, SendTaskSuccessCommand,
  SendTaskFailureCommand, CreateActivityCommand, DeleteActivityCommand, GetActivityTaskCommand,
  CreateStateMachineAliasCommand, DescribeStateMachineAliasCommand, TagResourceCommand,
  ListTagsForResourceCommand, TestStateCommand, ValidateStateMachineDefinitionCommand,
  paginateListExecutions,
} from "@aws-sdk/client-sfn";
import { SQSClient, CreateQueueCommand, ReceiveMessageCommand, DeleteMessageCommand } from "@aws-sdk/client-sqs";

import { Daemon, DEFAULT_ACCOUNT, pollUntil, REGION, uniqueName } from "./harness.mjs";

const ROLE = `arn:aws:iam::${DEFAULT_ACCOUNT}:role/sluice-sfn-node`;
const SM_PREFIX = `arn:aws:states:${REGION}:${DEFAULT_ACCOUNT}:stateMachine:`;
const EXEC_PREFIX = `arn:aws:states:${REGION}:${DEFAULT_ACCOUNT}:execution:`;
const EXPRESS_PREFIX = `arn:aws:states:${REGION}:${DEFAULT_ACCOUNT}:express:`;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const SANITIZER = ["ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
  "UndefinedBehaviorSanitizer", "WARNING: ThreadSanitizer"];

const passMachine = (result) => ({
  StartAt: "State_1",
  States: { State_1: { Type: "Pass", ...(result === undefined ? {} : { Result: result }), End: true } },
});
const WAIT_FOREVER = { StartAt: "W", States: { W: { Type: "Wait", Seconds: 100000, End: true } } };

async function expectError(promise, name, { status = 400, message } = {}) {
  try {
    await promise;
  } catch (err) {
    assert.equal(err.name, name, `error name; got ${err.name}: ${err.message}`);
    assert.equal(err.$metadata?.httpStatusCode, status, "HTTP status");
    assert.equal(err.$fault, "client");
    if (message !== undefined) assert.equal(err.message, message);
    return err;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

describe("Step Functions (@aws-sdk/client-sfn)", () => {
  const daemon = new Daemon(0.01, "node-sfn");
  let sfn;
  let sqs;
  const cleanups = [];

  before(async () => {
    await daemon.start();
    sfn = new SFNClient(daemon.clientConfig({ disableHostPrefix: true }));
    sqs = new SQSClient(daemon.clientConfig());
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => {});
    sfn?.destroy();
    sqs?.destroy();
    await daemon.stop();
    if (daemon.stderrPath) {
      const text = readFileSync(daemon.stderrPath, "utf8");
      const hit = SANITIZER.find((m) => text.includes(m));
      assert.equal(hit, undefined, `sanitizer report in the daemon's stderr (${daemon.stderrPath}):\n${text.slice(-8000)}`);
    }
  });

  const machine = async (definition, extra = {}) => {
    const name = extra.name ?? uniqueName("sm");
    const r = await sfn.send(new CreateStateMachineCommand({
      name, roleArn: ROLE, definition: typeof definition === "string" ? definition : JSON.stringify(definition), ...extra,
    }));
    cleanups.push(() => sfn.send(new DeleteStateMachineCommand({ stateMachineArn: r.stateMachineArn })));
    return r;
  };
  const start = async (stateMachineArn, input, name) =>
    (await sfn.send(new StartExecutionCommand({ stateMachineArn, input: input === undefined ? undefined : JSON.stringify(input), name }))).executionArn;
  const waitDone = async (executionArn, timeoutMs = 10000) => {
    let d;
    await pollUntil(async () => {
      d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return d.status !== "RUNNING";
    }, timeoutMs);
    assert.notEqual(d.status, "RUNNING", `${executionArn} still RUNNING`);
    return d;
  };
  const history = async (executionArn, extra = {}) =>
    (await sfn.send(new GetExecutionHistoryCommand({ executionArn, ...extra }))).events;
  const receiveBody = async (QueueUrl) => {
    let msg;
    await pollUntil(async () => {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 0 }));
      msg = r.Messages?.[0];
      return msg;
    }, 5000);
    assert.ok(msg, "no message within 5 s");
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: msg.ReceiptHandle }));
    return JSON.parse(msg.Body);
  };

  it("creates and describes a state machine; identical create is idempotent", async () => {
    const name = uniqueName("node");
    const definition = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}';
    const r = await machine(definition, { name });
    assert.equal(r.stateMachineArn, SM_PREFIX + name);
    assert.ok(r.creationDate instanceof Date);
    const again = await sfn.send(new CreateStateMachineCommand({ name, roleArn: ROLE, definition }));
    assert.equal(again.stateMachineArn, r.stateMachineArn);
    assert.equal(again.creationDate.getTime(), r.creationDate.getTime());
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: r.stateMachineArn }));
    assert.equal(d.definition, definition);
    assert.equal(d.status, "ACTIVE");
    assert.equal(d.type, "STANDARD");
    assert.deepEqual(d.loggingConfiguration, { level: "OFF", includeExecutionData: false });
    assert.deepEqual(d.encryptionConfiguration, { type: "AWS_OWNED_KEY" });
    assert.equal(d.revisionId, undefined);
    await expectError(sfn.send(new CreateStateMachineCommand({ name, roleArn: ROLE, definition: definition + " " })),
      "StateMachineAlreadyExists", { message: `State Machine Already Exists: '${r.stateMachineArn}'` });
  });

  it("reports errors by name and HTTP status", async () => {
    await expectError(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: "not_a_valid_arn" })),
      "InvalidArn", { message: "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'" });
    const missing = SM_PREFIX + uniqueName("missing");
    await expectError(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: missing })),
      "StateMachineDoesNotExist", { message: `State Machine Does Not Exist: '${missing}'` });
    await expectError(sfn.send(new CreateStateMachineCommand({ name: "bad name", roleArn: ROLE, definition: JSON.stringify(passMachine()) })),
      "InvalidName", { message: "Invalid Name: 'bad name'" });
    await expectError(sfn.send(new ListStateMachinesCommand({ maxResults: 1001 })), "ValidationException", {
      message: "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: " +
        "Member must have value less than or equal to 1000",
    });
    await expectError(sfn.send(new CreateStateMachineCommand({
      name: uniqueName("bad"), roleArn: ROLE,
      definition: JSON.stringify({ StartAt: "pass1", States: { pass1: { Type: "Pass", Next: "pass3" }, pass2: { Type: "Pass", End: true } } }),
    })), "InvalidDefinition", {
      message: "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at " +
        "/States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'",
    });
    await expectError(sfn.send(new SendTaskSuccessCommand({ taskToken: "garbage", output: "{}" })), "InvalidToken",
      { message: "Invalid Token: 'Invalid token'" });
  });

  it("validates a definition", async () => {
    const ok = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(passMachine()) }));
    assert.equal(ok.result, "OK");
    assert.deepEqual(ok.diagnostics, []);
    const bad = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: "{}" }));
    assert.equal(bad.result, "FAIL");
    assert.deepEqual(bad.diagnostics, [{ severity: "ERROR", code: "SCHEMA_VALIDATION_FAILED",
      message: "These fields are required: [States, StartAt]", location: "/" }]);
  });

  it("runs an execution with the history AWS records for a Pass state", async () => {
    const { stateMachineArn } = await machine(passMachine({ Arg1: "argument1" }));
    const executionArn = await start(stateMachineArn, {}, "first");
    assert.equal(executionArn, `${EXEC_PREFIX}${stateMachineArn.slice(SM_PREFIX.length)}:first`);
    const d = await waitDone(executionArn);
    assert.equal(d.status, "SUCCEEDED");
    assert.equal(d.output, '{"Arg1":"argument1"}');
    assert.deepEqual(d.outputDetails, { included: true });
    assert.equal(d.redriveCount, 0);
    assert.equal(d.redriveStatus, "NOT_REDRIVABLE");
    const events = await history(executionArn);
    assert.deepEqual(events.map((e) => [e.id, e.previousEventId, e.type]), [
      [1, 0, "ExecutionStarted"], [2, 0, "PassStateEntered"], [3, 2, "PassStateExited"], [4, 3, "ExecutionSucceeded"]]);
    assert.ok(events.every((e) => e.timestamp instanceof Date));
    assert.equal(events[0].executionStartedEventDetails.roleArn, ROLE);
    assert.deepEqual(JSON.parse(events[2].stateExitedEventDetails.output), { Arg1: "argument1" });
    const reversed = await history(executionArn, { reverseOrder: true });
    assert.deepEqual(reversed.map((e) => e.id), [4, 3, 2, 1]);
    await expectError(sfn.send(new StartExecutionCommand({ stateMachineArn, name: "first", input: '{"other":1}' })),
      "ExecutionAlreadyExists", { message: `Execution Already Exists: '${executionArn}'` });
  });

  it("lists executions page by page and stops one", async () => {
    const { stateMachineArn } = await machine(WAIT_FOREVER);
    const arns = [];
    for (let i = 0; i < 3; i++) arns.push(await start(stateMachineArn, undefined, `n${i}`));
    const stop = await sfn.send(new StopExecutionCommand({ executionArn: arns[0], error: "E", cause: "C" }));
    assert.ok(stop.stopDate instanceof Date);
    const d = await waitDone(arns[0]);
    assert.deepEqual([d.status, d.error, d.cause], ["ABORTED", "E", "C"]);
    const names = [];
    let pages = 0;
    for await (const page of paginateListExecutions({ client: sfn, pageSize: 1 }, { stateMachineArn })) {
      pages += 1;
      names.push(...page.executions.map((e) => e.name));
    }
    assert.deepEqual(names, ["n2", "n1", "n0"]);
    assert.ok(pages >= 3);
    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "RUNNING" }));
    assert.deepEqual(running.executions.map((e) => e.name), ["n2", "n1"]);
    for (const a of arns.slice(1)) await sfn.send(new StopExecutionCommand({ executionArn: a }));
  });

  it("runs StartSyncExecution on an EXPRESS machine (disableHostPrefix)", async () => {
    const { stateMachineArn } = await machine(passMachine({ Arg1: "argument1" }), { type: "EXPRESS" });
    const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, name: "sync1", input: '{"in":1}' }));
    assert.match(r.executionArn, new RegExp(`^${EXPRESS_PREFIX}${stateMachineArn.slice(SM_PREFIX.length)}:sync1:${UUID}$`));
    assert.equal(r.status, "SUCCEEDED");
    assert.equal(r.output, '{"Arg1":"argument1"}');
    assert.equal(r.input, '{"in":1}');
    assert.deepEqual(r.inputDetails, { included: true });
    assert.ok(r.billingDetails && typeof r.billingDetails.billedDurationInMilliseconds === "number");
    assert.ok(r.startDate instanceof Date && r.stopDate instanceof Date);
    const std = await machine(passMachine());
    await expectError(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: std.stateMachineArn })),
      "StateMachineTypeNotSupported", { message: "This operation is not supported by this type of state machine" });
  });

  const callbackMachine = async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("node-sfn-q") }));
    const { stateMachineArn } = await machine({
      StartAt: "T", States: { T: {
        Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        Parameters: { QueueUrl, MessageBody: { "Input.$": "$", "TaskToken.$": "$$.Task.Token" } },
        Catch: [{ ErrorEquals: ["Boom"], ResultPath: "$.err", Next: "Caught" }], End: true },
      Caught: { Type: "Pass", End: true } },
    });
    return { QueueUrl, stateMachineArn };
  };

  it("completes a waitForTaskToken task sent through SQS with SendTaskSuccess", async () => {
    const { QueueUrl, stateMachineArn } = await callbackMachine();
    const executionArn = await start(stateMachineArn, { n: 1 });
    const body = await receiveBody(QueueUrl);
    assert.deepEqual(body.Input, { n: 1 });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: body.TaskToken, output: '{"done":true}' }));
    const d = await waitDone(executionArn);
    assert.equal(d.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(d.output), { done: true });
  });

  it("catches the error given to SendTaskFailure", async () => {
    const { QueueUrl, stateMachineArn } = await callbackMachine();
    const executionArn = await start(stateMachineArn, { n: 2 });
    const body = await receiveBody(QueueUrl);
    await sfn.send(new SendTaskFailureCommand({ taskToken: body.TaskToken, error: "Boom", cause: "bad" }));
    const d = await waitDone(executionArn);
    assert.equal(d.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(d.output), { n: 2, err: { Error: "Boom", Cause: "bad" } });
  });

  it("refuses a task token that was already used (TaskTimedOut)", async () => {
    const { QueueUrl, stateMachineArn } = await callbackMachine();
    const executionArn = await start(stateMachineArn, { n: 3 });
    const body = await receiveBody(QueueUrl);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: body.TaskToken, output: "{}" }));
    assert.equal((await waitDone(executionArn)).status, "SUCCEEDED");
    // AWS: "Task Timed Out: 'Provided task does not exist anymore'" (aws-samples/amazon-mwaa-examples#61).
    await expectError(sfn.send(new SendTaskSuccessCommand({ taskToken: body.TaskToken, output: "{}" })), "TaskTimedOut",
      { message: "Task Timed Out: 'Provided task does not exist anymore'" });
  });

  it("hands an activity task to a long poll started before the execution", async () => {
    const act = await sfn.send(new CreateActivityCommand({ name: uniqueName("node-act") }));
    cleanups.push(() => sfn.send(new DeleteActivityCommand({ activityArn: act.activityArn })));
    const { stateMachineArn } = await machine({ StartAt: "A", States: { A: { Type: "Task", Resource: act.activityArn, End: true } } });
    const poll = sfn.send(new GetActivityTaskCommand({ activityArn: act.activityArn, workerName: "node-worker" }));
    await new Promise((r) => setTimeout(r, 200));
    const executionArn = await start(stateMachineArn, { job: 3 });
    const task = await poll;
    assert.deepEqual(JSON.parse(task.input), { job: 3 });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"ok":1}' }));
    const d = await waitDone(executionArn);
    assert.equal(d.status, "SUCCEEDED");
    const events = await history(executionArn);
    const started = events.find((e) => e.type === "ActivityStarted");
    assert.deepEqual(started.activityStartedEventDetails, { workerName: "node-worker" });
  });

  it("runs Map and Parallel states", async () => {
    const { stateMachineArn } = await machine({
      StartAt: "M", States: {
        M: { Type: "Map", ItemsPath: "$.items", ItemProcessor: { StartAt: "Double", States: {
          Double: { Type: "Pass", Parameters: { "v.$": "States.MathAdd($, $)" }, End: true } } },
        ResultPath: "$.doubled", Next: "P" },
        P: { Type: "Parallel", Branches: [
          { StartAt: "W", States: { W: { Type: "Wait", Seconds: 20, Next: "A" }, A: { Type: "Pass", Result: "slow", End: true } } },
          { StartAt: "B", States: { B: { Type: "Pass", InputPath: "$.doubled", End: true } } }], End: true } },
    });
    const executionArn = await start(stateMachineArn, { items: [1, 2, 3] });
    const d = await waitDone(executionArn);
    assert.equal(d.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(d.output), ["slow", [{ v: 2 }, { v: 4 }, { v: 6 }]]);
  });

  it("starts an execution through an alias", async () => {
    const { stateMachineArn, stateMachineVersionArn } = await machine(passMachine({ v: 1 }), { publish: true });
    assert.equal(stateMachineVersionArn, `${stateMachineArn}:1`);
    const alias = await sfn.send(new CreateStateMachineAliasCommand({
      name: "live", description: "d", routingConfiguration: [{ stateMachineVersionArn, weight: 100 }] }));
    assert.equal(alias.stateMachineAliasArn, `${stateMachineArn}:live`);
    const described = await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn }));
    assert.deepEqual(described.routingConfiguration, [{ stateMachineVersionArn, weight: 100 }]);
    const executionArn = await start(alias.stateMachineAliasArn);
    assert.ok(executionArn.startsWith(`${EXEC_PREFIX}${stateMachineArn.slice(SM_PREFIX.length)}:`));
    const d = await waitDone(executionArn);
    assert.equal(d.stateMachineAliasArn, alias.stateMachineAliasArn);
    assert.equal(d.stateMachineVersionArn, stateMachineVersionArn);
    assert.equal(d.stateMachineArn, stateMachineArn);
  });

  it("tags a state machine", async () => {
    const { stateMachineArn } = await machine(passMachine(), { tags: [{ key: "a", value: "1" }] });
    await sfn.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: [{ key: "b", value: "2" }] }));
    const { tags } = await sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }));
    assert.deepEqual(tags.map((t) => `${t.key}=${t.value}`).sort(), ["a=1", "b=2"]);
  });

  it("tests a single state with TestState", async () => {
    const r = await sfn.send(new TestStateCommand({
      definition: JSON.stringify({ Type: "Pass", InputPath: "$.initialData",
        Parameters: { staticValue: "some value", "inputValue.$": "$.fieldFromInput" }, ResultPath: "$.modifiedData", End: true }),
      roleArn: ROLE, input: JSON.stringify({ initialData: { fieldFromInput: "value from input", otherField: "other" } }),
      inspectionLevel: "DEBUG",
    }));
    assert.equal(r.status, "SUCCEEDED");
    assert.equal(r.nextState, undefined);
    assert.deepEqual(JSON.parse(r.output).modifiedData, { staticValue: "some value", inputValue: "value from input" });
    assert.deepEqual(JSON.parse(r.inspectionData.afterInputPath), { fieldFromInput: "value from input", otherField: "other" });
    assert.deepEqual(JSON.parse(r.inspectionData.afterParameters), { staticValue: "some value", inputValue: "value from input" });
  });
});
