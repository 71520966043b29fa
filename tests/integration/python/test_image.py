"""The image: Sluice's static binary in a FROM-scratch image, run by the container engine.

Needs the image built (scripts/image.sh, tag $SLUICE_IMAGE, default sluice:latest), the static
binary it holds ($SLUICE_STATIC_BIN, default build/static/sluice) and the engine's unix socket
in DOCKER_HOST (scripts/container-engine.sh). Nothing here is skipped: a missing image fails.
"""
import json
import os
import subprocess
import sys
import unittest

import boto3
from botocore.config import Config

from harness import DEFAULT_ACCOUNT, REGION, poll_until, unique_name

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
IMAGE = os.environ.get("SLUICE_IMAGE", "sluice:latest")
STATIC_BIN = os.environ.get("SLUICE_STATIC_BIN", os.path.join(ROOT, "build", "static", "sluice"))
WORKER_IMAGE = "sluice-test-worker:latest"


def engine(*args, check=True, timeout=120):
    """Runs the engine's CLI (the one scripts/engine-cli.sh picks) and returns the completed process."""
    script = 'source "$0/scripts/engine-cli.sh" && exec "${engine_cli[@]}" "$@"'
    out = subprocess.run(["bash", "-c", script, ROOT, *args], capture_output=True, text=True, timeout=timeout)
    if check and out.returncode != 0:
        raise AssertionError(f"engine {' '.join(args)}: exit {out.returncode}\n{out.stdout}\n{out.stderr}")
    return out


def engine_socket():
    host = os.environ.get("DOCKER_HOST", "")
    if not host.startswith("unix://"):
        raise AssertionError(f"DOCKER_HOST must name the engine's unix socket (got '{host}')")
    return host[len("unix://"):]


def healthy(url):
    """The static binary's own health check, run on the host against a published port."""
    return subprocess.run([STATIC_BIN, "--health-check", url], capture_output=True, timeout=10).returncode == 0


class Container:
    """One container of the image; removed (with its anonymous state) when the test ends."""

    def __init__(self, test, *run_args, port=4566, name=None):
        self.name = name or unique_name("sluice-image")
        engine("run", "-d", "--name", self.name, "-p", f"127.0.0.1::{port}", *run_args, IMAGE)
        test.addCleanup(lambda: engine("rm", "-f", "-t", "2", self.name, check=False))
        published = engine("port", self.name, f"{port}/tcp").stdout.strip().splitlines()[0]
        self.endpoint = "http://" + published.replace("0.0.0.0", "127.0.0.1")
        if not poll_until(lambda: healthy(self.endpoint), timeout=20, interval=0.05):
            raise AssertionError(f"{self.name} never answered healthy at {self.endpoint}\n{self.logs()}")

    def logs(self):
        out = engine("logs", self.name, check=False)
        return out.stdout + out.stderr

    def client(self, service):
        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION, aws_access_key_id="test",
                            aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}))


class ImageTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        engine_socket()
        cls.inspect = json.loads(engine("image", "inspect", IMAGE).stdout)[0]

    def test_the_static_binary_needs_no_shared_library(self):
        out = subprocess.run(["ldd", STATIC_BIN], capture_output=True, text=True)
        self.assertIn("not a dynamic executable", out.stdout + out.stderr)

    def test_the_image_is_one_layer_run_by_a_numeric_non_root_user_with_a_health_check(self):
        config = self.inspect["Config"]
        self.assertEqual(config["User"], "65532:65532")
        self.assertIn("4566/tcp", config["ExposedPorts"])
        self.assertEqual(config["Entrypoint"], ["/sluice"])
        # Docker shows the health check in Config, Podman beside it.
        healthcheck = config.get("Healthcheck") or self.inspect.get("Healthcheck") or {}
        self.assertEqual(healthcheck.get("Test"), ["CMD", "/sluice", "--health-check"])
        self.assertEqual(len(self.inspect["RootFS"]["Layers"]), 1)  # FROM scratch: the binary's layer only

    def test_a_container_answers_an_sqs_round_trip_and_its_health_check(self):
        c = Container(self)
        sqs = c.client("sqs")
        url = sqs.create_queue(QueueName=unique_name("image"))["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="from the host")
        messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
        self.assertEqual([m["Body"] for m in messages], ["from the host"])
        # The HEALTHCHECK command, run inside the container as the engine runs it.
        self.assertEqual(engine("exec", c.name, "/sluice", "--health-check", check=False).returncode, 0)
        # A name from the /etc/hosts the engine writes: the static binary resolves it without NSS modules.
        self.assertEqual(engine("exec", c.name, "/sluice", "--health-check", "http://localhost:4566",
                                check=False).returncode, 0)
        logs = c.logs()
        self.assertIn("listening on http://0.0.0.0:4566", logs)
        self.assertNotIn("anyone who can reach", logs)  # no exposure warning inside a container

    def test_environment_variables_configure_the_container(self):
        c = Container(self, "-e", "SLUICE_PORT=4700", "-e", "SLUICE_LOG_LEVEL=warn", port=4700)
        self.assertIn("listening on http://0.0.0.0:4700", c.logs())
        self.assertNotIn("[info]", c.logs())
        # The health check follows SLUICE_PORT.
        self.assertEqual(engine("exec", c.name, "/sluice", "--health-check", check=False).returncode, 0)

    def test_an_unknown_variable_stops_the_container_naming_it(self):
        name = unique_name("sluice-image-typo")
        self.addCleanup(lambda: engine("rm", "-f", name, check=False))
        out = engine("run", "--name", name, "-e", "SLUICE_PROT=4600", IMAGE, check=False)
        self.assertEqual(out.returncode, 2, out.stdout + out.stderr)
        self.assertIn("SLUICE_PROT", out.stderr + out.stdout)


class CiExampleTests(unittest.TestCase):
    """examples/ci/: the workflow cannot run here, but what it runs can, against the image."""

    def test_the_workflow_runs_the_image_as_a_health_checked_service_and_the_smoke_test(self):
        import yaml
        with open(os.path.join(ROOT, "examples", "ci", "github-actions.yml")) as f:
            workflow = yaml.safe_load(f)
        service = workflow["jobs"]["test"]["services"]["sluice"]
        self.assertIn("4566:4566", service["ports"])
        self.assertIn('--health-cmd "/sluice --health-check"', service["options"])
        steps = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
        self.assertIn("python3 examples/ci/smoke_test.py", steps)
        build = " ".join(step.get("run", "") for step in workflow["jobs"]["image"]["steps"])
        self.assertIn("cmake --preset static", build)
        self.assertIn("scripts/image.sh", build)

    def test_the_smoke_test_passes_against_a_container(self):
        c = Container(self)
        env = dict(os.environ, AWS_ENDPOINT_URL=c.endpoint)
        out = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "ci", "smoke_test.py")], env=env,
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr + c.logs())
        self.assertIn("ok:", out.stdout)


class EcsInsideTheContainerTests(unittest.TestCase):
    """Sluice in its image runs ECS tasks through the engine's socket, mounted in: the tasks are
    its siblings on a shared engine network and call back by the container's name."""

    @classmethod
    def setUpClass(cls):
        subprocess.run([os.path.join(ROOT, "docker", "test-worker", "build.sh"), WORKER_IMAGE], check=True,
                       stdout=subprocess.DEVNULL)

    def test_a_task_started_inside_reaches_back_with_its_task_token(self):
        network = unique_name("sluice-net")
        engine("network", "create", network)
        self.addCleanup(lambda: engine("network", "rm", "-f", network, check=False))
        name = unique_name("sluice-ecs")
        # The socket belongs to root on the host: the container's user must be allowed to use it.
        c = Container(self, "--user", "0", "--network", network, "-v", f"{engine_socket()}:/var/run/docker.sock",
                      "-e", f"SLUICE_ECS_NETWORK={network}", "-e", f"SLUICE_ECS_ENDPOINT_URL=http://{name}:4566",
                      name=name)
        ecs, sfn = c.client("ecs"), c.client("stepfunctions")
        family = unique_name("inside")
        ecs.register_task_definition(family=family, containerDefinitions=[
            {"name": "main", "image": WORKER_IMAGE, "memory": 64}])
        definition = {"StartAt": "Run", "States": {"Run": {
            "Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.waitForTaskToken", "TimeoutSeconds": 120,
            "Parameters": {"TaskDefinition": family, "Overrides": {"ContainerOverrides": [{"Name": "main", "Environment": [
                {"Name": "WORKER_TASK_TOKEN", "Value.$": "$$.Task.Token"},
                {"Name": "WORKER_TASK_OUTPUT", "Value.$": "States.JsonToString($)"}]}]}},
            "End": True}}}
        machine = sfn.create_state_machine(name=unique_name("inside"), definition=json.dumps(definition),
                                           roleArn=f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/sluice")["stateMachineArn"]
        execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"from": "a sibling"}))
        done = poll_until(lambda: (lambda d: d if d["status"] != "RUNNING" else None)(
            sfn.describe_execution(executionArn=execution["executionArn"])), timeout=90, interval=0.2)
        self.assertTrue(done, f"the execution did not finish\n{c.logs()}")
        self.assertEqual(done["status"], "SUCCEEDED", f"{done.get('cause')}\n{c.logs()}")
        self.assertEqual(json.loads(done["output"]), {"from": "a sibling"})
        # The task container ran as a sibling, on the shared network, and was removed after.
        task_arn = ecs.list_tasks(desiredStatus="STOPPED")["taskArns"][0]
        task = ecs.describe_tasks(tasks=[task_arn])["tasks"][0]
        self.assertEqual(task["containers"][0]["exitCode"], 0)
        siblings = engine("ps", "-a", "--filter", f"label=sluice.task-arn={task_arn}", "--format", "{{.Names}}")
        self.assertEqual(siblings.stdout.strip(), "")


if __name__ == "__main__":
    unittest.main()
