// The chain Sluice exists for, with real containers: SQS → Pipe → Step Functions →
// ecs:runTask.sync, where a failing container fails the execution and is retried, next to
// SQS → Pipe → ECS directly, where the message is deleted once the task starts and the
// container's failure is lost. Needs a Docker-compatible engine at DOCKER_HOST
// (scripts/container-engine.sh); without one these tests fail, they never skip.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";

import { PipesClient, CreatePipeCommand, DescribePipeCommand, DeletePipeCommand } from "@aws-sdk/client-pipes";
import { SQSClient, CreateQueueCommand, SendMessageCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import {
  SFNClient, CreateStateMachineCommand, ListExecutionsCommand, DescribeExecutionCommand, GetExecutionHistoryCommand,
} from "@aws-sdk/client-sfn";
import { ECSClient, RegisterTaskDefinitionCommand, ListTasksCommand, DescribeTasksCommand } from "@aws-sdk/client-ecs";

import { Daemon, DEFAULT_ACCOUNT, REGION, pollUntil, uniqueName } from "./harness.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const IMAGE = "sluice-test-worker:latest";
const ROLE = `arn:aws:iam::${DEFAULT_ACCOUNT}:role/sluice-pipes-ecs`;
const CLUSTER = `arn:aws:ecs:${REGION}:${DEFAULT_ACCOUNT}:cluster/default`;

describe("Pipes with real containers", { timeout: 300_000 }, () => {
  const daemon = new Daemon(0.02, "pipes-ecs");
  let pipes, sqs, sfn, ecs, family, definitionArn;

  before(async () => {
    execFileSync(join(HERE, "..", "..", "..", "docker", "test-worker", "build.sh"), [IMAGE], { stdio: ["ignore", "ignore", "inherit"] });
    await daemon.start();
    const connected = await pollUntil(async () =>
      (await (await fetch(`${daemon.endpoint}/_sluice/health`)).json()).ecs?.engine?.state === "connected", 10_000);
    assert.ok(connected, "the daemon found no container engine (DOCKER_HOST)");
    pipes = new PipesClient(daemon.clientConfig());
    sqs = new SQSClient(daemon.clientConfig());
    sfn = new SFNClient(daemon.clientConfig());
    ecs = new ECSClient(daemon.clientConfig());
    family = uniqueName("pipe-worker");
    definitionArn = (await ecs.send(new RegisterTaskDefinitionCommand({
      family, containerDefinitions: [{ name: "main", image: IMAGE, memory: 64 }],
    }))).taskDefinition.taskDefinitionArn;
  });
  after(async () => {
    await daemon.stop();
  });

  const queue = async (prefix) => {
    const name = uniqueName(prefix);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    return { url: QueueUrl, arn: `arn:aws:sqs:${REGION}:${DEFAULT_ACCOUNT}:${name}` };
  };
  const counts = async (url) => {
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }))).Attributes;
    return [Number(a.ApproximateNumberOfMessages), Number(a.ApproximateNumberOfMessagesNotVisible)];
  };
  const running = async (name) => assert.ok(await pollUntil(async () =>
    (await pipes.send(new DescribePipeCommand({ Name: name }))).CurrentState === "RUNNING", 5000));
  const logsOf = async (taskArn) => (await fetch(`${daemon.endpoint}/_sluice/ecs/tasks/${taskArn.split("/").pop()}/logs`)).text();
  const stoppedTasks = async (startedBy) =>
    (await ecs.send(new ListTasksCommand({ family, desiredStatus: "STOPPED", ...(startedBy ? { startedBy } : {}) }))).taskArns;

  it("SQS → Pipe → runTask.sync: the container gets the record array, a failing container fails and is retried", async () => {
    const source = await queue("chain");
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
      name: uniqueName("chain"), roleArn: ROLE, definition: JSON.stringify({
        StartAt: "Parse",
        States: {
          Parse: { Type: "Pass", Parameters: { "records.$": "$", "message.$": "States.StringToJson($[0].body)" }, Next: "Run" },
          Run: {
            Type: "Task", Resource: "arn:aws:states:::ecs:runTask.sync",
            Parameters: {
              TaskDefinition: family,
              Overrides: { ContainerOverrides: [{ Name: "main", Environment: [
                { Name: "STEP_FUNCTIONS_INPUT", "Value.$": "States.JsonToString($.records)" },
                { Name: "WORKER_EXIT_CODE", "Value.$": "$.message.exit" },
              ] }] },
            },
            Retry: [{ ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 10, MaxAttempts: 1 }],
            End: true,
          },
        },
      }),
    }));
    const name = uniqueName("chain");
    await pipes.send(new CreatePipeCommand({
      Name: name, Source: source.arn, Target: stateMachineArn, RoleArn: ROLE,
      SourceParameters: { SqsQueueParameters: { BatchSize: 1 } },
      TargetParameters: { StepFunctionStateMachineParameters: { InvocationType: "FIRE_AND_FORGET" } },
    }));
    await running(name);
    const before = (await stoppedTasks("AWS Step Functions")).length;
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: JSON.stringify({ exit: "1" }) }));

    const started = await pollUntil(async () => (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions[0], 10_000, 50);
    assert.ok(started, "the pipe started no execution");
    // The pipe's work ended when the execution started: the message is gone.
    assert.ok(await pollUntil(async () => (await counts(source.url)).join() === "0,0", 3000));
    const done = await pollUntil(async () => {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      return d.status === "RUNNING" ? null : d;
    }, 90_000, 200);
    assert.ok(done, "the execution did not finish");
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "States.TaskFailed");
    const input = JSON.parse(done.input);
    assert.equal(input.length, 1);
    assert.equal(input[0].messageId, MessageId);
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn, maxResults: 1000 }));
    assert.equal(events.filter((e) => e.type === "TaskSubmitted").length, 2, "one run and one retry");
    const tasks = await stoppedTasks("AWS Step Functions");
    assert.equal(tasks.length - before, 2);
    const logs = await logsOf(tasks[0]);
    const line = logs.split("\n").find((l) => l.startsWith("STEP_FUNCTIONS_INPUT="));
    assert.ok(line, logs);
    const records = JSON.parse(line.slice("STEP_FUNCTIONS_INPUT=".length));
    assert.equal(records[0].messageId, MessageId);
    assert.equal(records[0].eventSource, "aws:sqs");
    await pipes.send(new DeletePipeCommand({ Name: name }));
  });

  it("SQS → Pipe → ECS: the message is deleted when the task starts, though its container then fails", async () => {
    const source = await queue("direct");
    const name = uniqueName("direct");
    await pipes.send(new CreatePipeCommand({
      Name: name, Source: source.arn, Target: CLUSTER, RoleArn: ROLE,
      SourceParameters: { SqsQueueParameters: { BatchSize: 1 } },
      TargetParameters: { EcsTaskParameters: {
        TaskDefinitionArn: definitionArn, TaskCount: 1, LaunchType: "EC2",
        Overrides: { ContainerOverrides: [{ Name: "main", Command: ["$.body.order"],
          Environment: [{ name: "WORKER_EXIT_CODE", value: "1" }] }] },
      } },
    }));
    await running(name);
    const before = new Set(await stoppedTasks());
    await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: JSON.stringify({ order: "order-77" }) }));
    const arn = await pollUntil(async () => (await stoppedTasks()).find((t) => !before.has(t)), 30_000, 100);
    assert.ok(arn, "no task ran and stopped");
    const [task] = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [arn] }))).tasks;
    assert.equal(task.containers[0].exitCode, 1, JSON.stringify(task));
    assert.match(await logsOf(arn), /^ARGS=order-77$/m);
    // Lost: the pipe counted the started task as delivered.
    assert.deepEqual(await counts(source.url), [0, 0]);
    const stats = await (await fetch(`${daemon.endpoint}/_sluice/pipes/${name}`)).json();
    assert.equal(stats.messagesDelivered, 1);
    assert.equal(stats.messagesFailed, 0);
    await pipes.send(new DeletePipeCommand({ Name: name }));
  });
});
