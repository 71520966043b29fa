// Sluice's image through Testcontainers, as a team would use it in its own test suite: start the
// image on the engine's socket, wait until its health check passes, run an SQS round trip.
// Testcontainers' reaper (Ryuk) is an image that cannot be pulled here: run with
// TESTCONTAINERS_RYUK_DISABLED=true, and this test removes its container itself.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { GenericContainer, Wait } from "testcontainers";

const IMAGE = process.env.SLUICE_IMAGE ?? "sluice:latest";

// Waits until the image's HEALTHCHECK command, run inside the container, exits 0. Not
// Wait.forHealthCheck(): Podman runs health checks on a schedule only through systemd, which CI
// runners and sandboxes often lack, so the status would stay "starting"; the command itself is
// the same on every engine.
async function untilHealthy(container, timeoutMs = 20_000) {
  const command = ["/sluice", "--health-check"];
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await container.exec(command);
    if (last.exitCode === 0) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not healthy within ${timeoutMs} ms: ${last?.output}`);
}

describe("Sluice's image under Testcontainers", { timeout: 120_000 }, () => {
  let container;

  before(async () => {
    assert.equal(process.env.TESTCONTAINERS_RYUK_DISABLED, "true", "the reaper image cannot be pulled here");
    container = await new GenericContainer(IMAGE)
      .withExposedPorts(4566)
      // The image's own process is the wait: its first line says where it listens.
      .withWaitStrategy(Wait.forLogMessage(/listening on http:\/\/0\.0\.0\.0:4566/))
      .withStartupTimeout(30_000)
      .start();
    await untilHealthy(container);
  });

  after(async () => {
    await container?.stop({ remove: true, removeVolumes: true });
  });

  it("answers an SQS round trip on the mapped port", async () => {
    const sqs = new SQSClient({
      endpoint: `http://${container.getHost()}:${container.getMappedPort(4566)}`,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `tc-${Date.now()}` }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "through testcontainers" }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    assert.deepEqual(Messages.map((m) => m.Body), ["through testcontainers"]);
  });
});
