// ECS with real containers, through @aws-sdk/client-ecs and @aws-sdk/client-sfn: overrides reach
// the container, exit codes come back, StopTask stops it, a missing image fails the task, and
// the difference users come for: `ecs:runTask` loses a failing container, `ecs:runTask.sync`
// fails with States.TaskFailed and retries. Needs a Docker-compatible engine at DOCKER_HOST
// (scripts/container-engine.sh); without one these tests fail, they never skip.
//
// The oracle is AWS (docs/research/ecs-behaviour.md).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { request } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";

import {
  ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand, DescribeTasksCommand, StopTaskCommand,
  ListTasksCommand, CreateClusterCommand,
} from "@aws-sdk/client-ecs";
import {
  SFNClient, CreateStateMachineCommand, StartExecutionCommand, DescribeExecutionCommand, GetExecutionHistoryCommand,
} from "@aws-sdk/client-sfn";

import { Daemon, DEFAULT_ACCOUNT, pollUntil, uniqueName } from "./harness.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const IMAGE = "sluice-test-worker:latest";
const ROLE = `arn:aws:iam::${DEFAULT_ACCOUNT}:role/sluice-ecs-node`;

// The engine the daemon uses, asked directly (Docker Engine API over its unix socket).
function engine(path) {
  const host = process.env.DOCKER_HOST ?? "";
  assert.ok(host.startsWith("unix://"), `DOCKER_HOST must name the engine's unix socket (got '${host}')`);
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: host.slice("unix://".length), path: `/v1.41${path}` }, (res) => {
      let body = "";
      res.on("data", (c) => { body += c; });
      res.on("end", () => resolve({ status: res.statusCode, body: JSON.parse(body || "null") }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("ECS with real containers", { timeout: 300_000 }, () => {
  const daemon = new Daemon(0.01, "ecs");
  let ecs;
  let sfn;
  let family;

  before(async () => {
    // The test worker image, built from scratch: nothing is pulled.
    execFileSync(join(HERE, "..", "..", "..", "docker", "test-worker", "build.sh"), [IMAGE], { stdio: ["ignore", "ignore", "inherit"] });
    await daemon.start();
    ecs = new ECSClient(daemon.clientConfig());
    sfn = new SFNClient(daemon.clientConfig());
    family = uniqueName("worker");
    await ecs.send(new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [{ name: "main", image: IMAGE, memory: 64, environment: [{ name: "WORKER_EXIT_CODE", value: "0" }] }],
    }));
  });

  after(async () => {
    await daemon.stop();
  });

  const describeTask = async (taskArn) =>
    (await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks[0];
  const untilStopped = async (taskArn, ms = 30_000) => {
    const t = await pollUntil(async () => { const d = await describeTask(taskArn); return d.lastStatus === "STOPPED" ? d : null; }, ms, 50);
    assert.ok(t, `task ${taskArn} did not stop within ${ms} ms: ${JSON.stringify(await describeTask(taskArn))}`);
    return t;
  };
  const logsOf = async (taskArn) => {
    const r = await fetch(`${daemon.endpoint}/_sluice/ecs/tasks/${taskArn.split("/").pop()}/logs`);
    assert.equal(r.status, 200);
    return r.text();
  };

  it("health names the engine", async () => {
    const health = await (await fetch(`${daemon.endpoint}/_sluice/health`)).json();
    const state = await pollUntil(async () => {
      const h = await (await fetch(`${daemon.endpoint}/_sluice/health`)).json();
      return h.ecs?.engine?.state === "connected" ? h : null;
    }, 10_000);
    assert.ok(state, `engine not connected: ${JSON.stringify(health)}`);
    assert.equal(state.ecs.engine.endpoint, process.env.DOCKER_HOST);
  });

  it("overrides reach the container and its exit code comes back", async () => {
    const { tasks, failures } = await ecs.send(new RunTaskCommand({
      taskDefinition: family,
      startedBy: "node-test",
      overrides: { containerOverrides: [{
        name: "main",
        command: ["alpha", "beta"],
        environment: [{ name: "STEP_FUNCTIONS_INPUT", value: "{\"order\":42}" }, { name: "WORKER_EXIT_CODE", value: "5" }],
      }] },
    }));
    assert.deepEqual(failures, []);
    assert.equal(tasks[0].lastStatus, "PENDING");
    assert.equal(tasks[0].startedBy, "node-test");
    const stopped = await untilStopped(tasks[0].taskArn);
    assert.equal(stopped.containers[0].exitCode, 5);
    assert.equal(stopped.stopCode, "EssentialContainerExited");
    assert.equal(stopped.stoppedReason, "Essential container in task exited");
    assert.ok(stopped.startedAt instanceof Date && stopped.stoppedAt >= stopped.startedAt);
    const logs = await logsOf(tasks[0].taskArn);
    assert.match(logs, /^STEP_FUNCTIONS_INPUT=\{"order":42\}$/m);
    assert.match(logs, /^ARGS=alpha beta$/m);
    // Removed from the engine once its output was read.
    const left = await engine(`/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`sluice.task-arn=${tasks[0].taskArn}`] }))}`);
    assert.deepEqual(left.body, []);
  });

  it("StopTask stops a running container (SIGTERM)", async () => {
    const { tasks } = await ecs.send(new RunTaskCommand({
      taskDefinition: family,
      overrides: { containerOverrides: [{ name: "main", environment: [{ name: "WORKER_SLEEP_SECONDS", value: "120" }] }] },
    }));
    const arn = tasks[0].taskArn;
    assert.ok(await pollUntil(async () => (await describeTask(arn)).lastStatus === "RUNNING", 20_000, 50));
    const listed = await ecs.send(new ListTasksCommand({ family }));
    assert.ok(listed.taskArns.includes(arn));
    const { task } = await ecs.send(new StopTaskCommand({ task: arn, reason: "enough" }));
    assert.equal(task.desiredStatus, "STOPPED");
    const stopped = await untilStopped(arn, 20_000);
    assert.equal(stopped.stopCode, "UserInitiated");
    assert.equal(stopped.stoppedReason, "enough");
    assert.equal(stopped.containers[0].exitCode, 143);
    assert.match(await logsOf(arn), /received SIGTERM/);
  });

  it("an image the engine lacks stops the task with CannotPullContainerError", async () => {
    const missing = uniqueName("missing");
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: missing, containerDefinitions: [{ name: "main", image: `sluice-no-such-image-${process.pid}:latest`, memory: 64 }],
    }));
    const { tasks } = await ecs.send(new RunTaskCommand({ taskDefinition: missing }));
    const stopped = await untilStopped(tasks[0].taskArn);
    assert.equal(stopped.stopCode, "TaskFailedToStart");
    assert.match(stopped.stoppedReason, /^CannotPullContainerError: /);
    assert.equal(stopped.containers[0].exitCode, undefined);
  });

  it("errors as ECS words them", async () => {
    const cluster = uniqueName("c");
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    await assert.rejects(ecs.send(new RunTaskCommand({ taskDefinition: family, cluster: "nowhere" })),
      (e) => e.name === "ClusterNotFoundException" && e.message === "Cluster not found.");
    await assert.rejects(ecs.send(new RunTaskCommand({ taskDefinition: `${family}-none` })),
      (e) => e.name === "ClientException" && e.message === "TaskDefinition not found.");
    await assert.rejects(ecs.send(new RunTaskCommand({
      taskDefinition: family, cluster,
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } },
    })), (e) => e.name === "InvalidParameterException" &&
      e.message === "Network Configuration is not valid for the given networkMode of this task definition.");
  });

  // The two machines differ only in runTask vs runTask.sync; both retry States.TaskFailed.
  const machine = (resource, env) => ({
    StartAt: "Run",
    States: {
      Run: {
        Type: "Task",
        Resource: resource,
        Parameters: {
          TaskDefinition: family,
          Overrides: { ContainerOverrides: [{ Name: "main", Environment: env }] },
        },
        Retry: [{ ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 60, MaxAttempts: 3, BackoffRate: 2 }],
        End: true,
      },
    },
  });
  const failingEnv = [
    { Name: "STEP_FUNCTIONS_INPUT", "Value.$": "States.JsonToString($)" },
    { Name: "WORKER_EXIT_CODE", Value: "1" },
  ];
  const runMachine = async (definition, input) => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
      name: uniqueName("m"), roleArn: ROLE, definition: JSON.stringify(definition),
    }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
    const done = await pollUntil(async () => {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return d.status === "RUNNING" ? null : d;
    }, 60_000, 100);
    assert.ok(done, "the execution did not finish within 60 s");
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    return { done, events };
  };
  const tasksStartedBy = async (startedBy) =>
    (await ecs.send(new ListTasksCommand({ family, desiredStatus: "STOPPED", ...(startedBy ? { startedBy } : {}) }))).taskArns;

  it("ecs:runTask succeeds as soon as the task starts; the failing container is never seen", async () => {
    const before = (await tasksStartedBy()).length;
    const { done, events } = await runMachine(machine("arn:aws:states:::ecs:runTask", failingEnv), { id: "fire-and-forget" });
    assert.equal(done.status, "SUCCEEDED");
    const output = JSON.parse(done.output);
    assert.equal(output.Tasks.length, 1);
    assert.equal(output.Tasks[0].StartedBy, undefined);
    assert.deepEqual(events.filter((e) => e.type === "TaskFailed"), []);
    const arn = output.Tasks[0].TaskArn;
    const stopped = await untilStopped(arn);
    assert.equal(stopped.containers[0].exitCode, 1);  // it failed, and nobody noticed
    assert.match(await logsOf(arn), /^STEP_FUNCTIONS_INPUT=\{"id":"fire-and-forget"\}$/m);
    assert.equal((await tasksStartedBy()).length, before + 1);
  });

  it("ecs:runTask.sync fails with States.TaskFailed and retries the task", async () => {
    const { done, events } = await runMachine(machine("arn:aws:states:::ecs:runTask.sync", failingEnv), { id: "sync" });
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "States.TaskFailed");
    const cause = JSON.parse(done.cause);
    assert.equal(cause.LastStatus, "STOPPED");
    assert.equal(cause.StartedBy, "AWS Step Functions");
    assert.equal(cause.Containers[0].ExitCode, 1);
    assert.equal(events.filter((e) => e.type === "TaskSubmitted").length, 4);
    assert.equal(events.filter((e) => e.type === "TaskFailed").length, 4);
    assert.equal((await tasksStartedBy("AWS Step Functions")).length, 4);
  });

  it("ecs:runTask.waitForTaskToken: the container sends the token back", async () => {
    const definition = {
      StartAt: "Run",
      States: {
        Run: {
          Type: "Task",
          Resource: "arn:aws:states:::ecs:runTask.waitForTaskToken",
          TimeoutSeconds: 6000,
          Parameters: {
            TaskDefinition: family,
            Overrides: { ContainerOverrides: [{ Name: "main", Environment: [
              { Name: "WORKER_TASK_TOKEN", "Value.$": "$$.Task.Token" },
              { Name: "WORKER_TASK_OUTPUT", "Value.$": "States.JsonToString($)" },
            ] }] },
          },
          End: true,
        },
      },
    };
    const { done } = await runMachine(definition, { answer: 42 });
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output), { answer: 42 });
  });

  it("the daemon removes the containers it started when it stops", async () => {
    const { tasks } = await ecs.send(new RunTaskCommand({
      taskDefinition: family,
      overrides: { containerOverrides: [{ name: "main", environment: [{ name: "WORKER_SLEEP_SECONDS", value: "300" }] }] },
    }));
    assert.ok(await pollUntil(async () => (await describeTask(tasks[0].taskArn)).lastStatus === "RUNNING", 20_000, 50));
    const filter = encodeURIComponent(JSON.stringify({ label: [`sluice.task-arn=${tasks[0].taskArn}`] }));
    assert.equal((await engine(`/containers/json?all=1&filters=${filter}`)).body.length, 1);
    await daemon.stop();
    assert.deepEqual((await engine(`/containers/json?all=1&filters=${filter}`)).body, []);
  });
});
