"""Sluice's own endpoints for test suites: reset (POST /_sluice/reset[/<service>]) and peek
(GET /_sluice/sqs/queues/.../messages), driven the way a CI suite drives them, with boto3
creating the state and urllib asking the daemon.
"""
import json
import os
import subprocess
import threading
import time
import unittest
import urllib.error
import urllib.request

from botocore.exceptions import ClientError

from harness import DEFAULT_ACCOUNT, REGION, Daemon, http_get, poll_until, unique_name

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
WORKER_IMAGE = "sluice-test-worker:latest"
DAEMON = None
ROLE = "arn:aws:iam::%s:role/sfn" % DEFAULT_ACCOUNT


def setUpModule():
    global DAEMON
    DAEMON = Daemon(time_scale=1.0, name="admin").start()


def tearDownModule():
    if DAEMON is not None:
        DAEMON.stop()


def post(path, origin=None):
    req = urllib.request.Request(DAEMON.endpoint + path, data=b"", method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def get_json(path):
    status, _, body = http_get(DAEMON.endpoint + path)
    return status, json.loads(body)


class PeekTests(unittest.TestCase):
    def setUp(self):
        self.sqs = DAEMON.client("sqs")
        self.name = unique_name("peek")
        self.url = self.sqs.create_queue(QueueName=self.name)["QueueUrl"]

    def messages(self, path=None):
        status, doc = get_json(path or "/_sluice/sqs/queues/%s/messages" % self.name)
        self.assertEqual(status, 200, doc)
        return doc

    def test_peek_shows_visible_in_flight_and_delayed_messages_and_changes_nothing(self):
        self.sqs.send_message(QueueUrl=self.url, MessageBody='{"order": 1}',
                              MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"}})
        self.sqs.send_message(QueueUrl=self.url, MessageBody="later", DelaySeconds=60)
        self.sqs.send_message(QueueUrl=self.url, MessageBody="taken")
        got = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=1, VisibilityTimeout=300)
        taken = got["Messages"][0]["Body"]
        before = self.messages()
        self.assertEqual((before["visible"], before["inFlight"], before["delayed"]), (1, 1, 1))
        self.assertEqual(before["queue"], self.name)
        by_body = {m["body"]: m for m in before["messages"]}
        self.assertEqual(set(by_body), {'{"order": 1}', "later", "taken"})
        self.assertEqual(by_body[taken]["state"], "inflight")
        self.assertEqual(by_body[taken]["receiveCount"], 1)
        self.assertGreater(by_body[taken]["visibleAt"], time.time() * 1000 + 200_000)
        self.assertEqual(by_body["later"]["state"], "delayed")
        visible = [m for m in before["messages"] if m["state"] == "visible"][0]
        self.assertEqual(visible["receiveCount"], 0)
        if visible["body"] == '{"order": 1}':
            self.assertEqual(visible["messageAttributes"]["kind"], {"DataType": "String", "StringValue": "order"})
        # Peeking again finds the same: no receive counted, no visibility changed.
        self.assertEqual(self.messages(), before)
        long_form = self.messages("/_sluice/sqs/queues/%s/%s/%s/messages" % (DEFAULT_ACCOUNT, REGION, self.name))
        self.assertEqual(long_form, before)
        attrs = self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["ApproximateNumberOfMessages"], "1")
        self.assertEqual(attrs["ApproximateNumberOfMessagesNotVisible"], "1")

    def test_peek_of_a_missing_queue_is_a_404_in_json(self):
        status, _, body = http_get(DAEMON.endpoint + "/_sluice/sqs/queues/no-such-queue/messages")
        self.assertEqual(status, 404)
        self.assertIn("message", json.loads(body))


class ResetTests(unittest.TestCase):
    def test_get_changes_nothing_and_reset_needs_post(self):
        status, _, body = http_get(DAEMON.endpoint + "/_sluice/reset")
        self.assertEqual(status, 405)
        status, doc = post("/_sluice/health")
        self.assertEqual(status, 405)
        status, doc = post("/_sluice/reset/nosuchservice")
        self.assertEqual(status, 404)

    def test_reset_of_one_service_leaves_the_others(self):
        sqs, sfn = DAEMON.client("sqs"), DAEMON.client("stepfunctions")
        queue = unique_name("keep")
        sqs.create_queue(QueueName=queue)
        machine = sfn.create_state_machine(
            name=unique_name("m"), roleArn=ROLE,
            definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))
        status, doc = post("/_sluice/reset/stepfunctions")
        self.assertEqual((status, doc), (200, {"reset": ["stepfunctions"]}))
        with self.assertRaises(ClientError):
            sfn.describe_state_machine(stateMachineArn=machine["stateMachineArn"])
        self.assertIn(queue, " ".join(sqs.list_queues(QueueNamePrefix=queue).get("QueueUrls", [])))

    def test_reset_answers_parked_long_polls_stops_executions_and_forgets_everything(self):
        sqs, sfn = DAEMON.client("sqs"), DAEMON.client("stepfunctions")
        waiting = unique_name("wait")
        url = sqs.create_queue(QueueName=waiting)["QueueUrl"]
        sqs.send_message(QueueUrl=sqs.create_queue(QueueName=unique_name("full"))["QueueUrl"], MessageBody="x")
        machine = sfn.create_state_machine(
            name=unique_name("waits"), roleArn=ROLE,
            definition=json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}))
        execution = sfn.start_execution(stateMachineArn=machine["stateMachineArn"])
        answer = {}

        def long_poll():
            started = time.monotonic()
            answer["result"] = DAEMON.client("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=20)
            answer["seconds"] = time.monotonic() - started

        t = threading.Thread(target=long_poll)
        t.start()
        poll_until(lambda: get_json("/_sluice/sqs")[1]["long_polls"] >= 1, timeout=10)
        started = time.monotonic()
        status, doc = post("/_sluice/reset")
        self.assertEqual(status, 200)
        self.assertEqual(sorted(doc["reset"]), ["ecs", "events", "pipes", "sns", "sqs", "stepfunctions"])
        self.assertLess(time.monotonic() - started, 2.0)
        t.join(timeout=10)
        self.assertFalse(t.is_alive())
        self.assertEqual(answer["result"].get("Messages", []), [])  # answered, empty, at once
        self.assertLess(answer["seconds"], 10)
        # Back to a fresh start: nothing is left, the names are free again.
        self.assertEqual(sqs.list_queues().get("QueueUrls", []), [])
        self.assertEqual(sfn.list_state_machines()["stateMachines"], [])
        with self.assertRaises(ClientError):
            sfn.describe_execution(executionArn=execution["executionArn"])
        self.assertEqual(get_json("/_sluice/stepfunctions")[1]["running"], 0)
        sqs.create_queue(QueueName=waiting)  # no QueueDeletedRecently after a reset
        ecs = DAEMON.client("ecs")
        self.assertEqual([c.rsplit("/", 1)[1] for c in ecs.list_clusters()["clusterArns"]], ["default"])

    def test_reset_stops_a_running_pipe_and_a_running_task_and_removes_its_container(self):
        # Real containers: DOCKER_HOST must name the engine (scripts/container-engine.sh).
        host = os.environ.get("DOCKER_HOST", "")
        self.assertTrue(host.startswith("unix://"), f"DOCKER_HOST must name the engine's socket (got '{host}')")
        subprocess.run([os.path.join(ROOT, "docker", "test-worker", "build.sh"), WORKER_IMAGE], check=True,
                       stdout=subprocess.DEVNULL)
        sqs, pipes, ecs = DAEMON.client("sqs"), DAEMON.client("pipes"), DAEMON.client("ecs")
        arn_of = lambda url: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        source = sqs.create_queue(QueueName=unique_name("pipe-src"))["QueueUrl"]
        target = sqs.create_queue(QueueName=unique_name("pipe-dst"))["QueueUrl"]
        pipe = unique_name("pipe")
        pipes.create_pipe(Name=pipe, RoleArn=ROLE, Source=arn_of(source), Target=arn_of(target))
        self.assertTrue(poll_until(lambda: pipes.describe_pipe(Name=pipe)["CurrentState"] == "RUNNING", timeout=10))
        family = unique_name("sleeper")
        ecs.register_task_definition(family=family, containerDefinitions=[{
            "name": "main", "image": WORKER_IMAGE, "memory": 64,
            "environment": [{"name": "WORKER_SLEEP_SECONDS", "value": "300"}]}])
        task_arn = ecs.run_task(taskDefinition=family)["tasks"][0]["taskArn"]
        self.assertTrue(poll_until(
            lambda: ecs.describe_tasks(tasks=[task_arn])["tasks"][0]["lastStatus"] == "RUNNING", timeout=30))
        status, doc = post("/_sluice/reset")
        self.assertEqual(status, 200)
        # The pipe is gone and reads no more; the task is forgotten and its container removed.
        self.assertEqual(pipes.list_pipes()["Pipes"], [])
        self.assertEqual(get_json("/_sluice/pipes")[1]["pipes"], [])
        self.assertEqual(ecs.list_tasks()["taskArns"], [])
        self.assertEqual(ecs.describe_tasks(tasks=[task_arn])["failures"][0]["reason"], "MISSING")
        label = json.dumps({"label": [f"sluice.task-arn={task_arn}"]})
        containers = lambda: json.loads(subprocess.run(
            ["curl", "-sf", "--unix-socket", host[len("unix://"):], "-G", "--data-urlencode", f"filters={label}",
             "http://d/v1.41/containers/json?all=1"], capture_output=True, text=True, check=True).stdout)
        self.assertEqual(poll_until(lambda: containers() == [], timeout=15), True, containers())


if __name__ == "__main__":
    unittest.main()
