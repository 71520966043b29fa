"""The console's JSON views and actions (/_sluice/overview, /_sluice/<service>/..., /_sluice/call,
/_sluice/watch) and the access policy that guards Sluice from browsers (docs/console.md): a
request that may change state from another origin is refused with AWS's AccessDenied in the
protocol it speaks, the console answers only to Sluice's names, origins given by flag get CORS.
Raw HTTP with http.client, so Origin, Host and Sec-Fetch-Site are exactly as a browser sends them.
"""
import http.client
import json
import threading
import time
import unittest
import urllib.parse

from harness import DEFAULT_ACCOUNT, REGION, Daemon, poll_until, unique_name

DAEMON = None
ROLE = "arn:aws:iam::%s:role/console" % DEFAULT_ACCOUNT


def setUpModule():
    global DAEMON
    DAEMON = Daemon(time_scale=0.05, name="console-api").start()


def tearDownModule():
    if DAEMON is not None:
        DAEMON.stop()


def request(method, path, body=b"", headers=None, daemon=None):
    """(status, headers dict with lower-case names, body bytes)."""
    url = urllib.parse.urlparse((daemon or DAEMON).endpoint)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        h = {"Host": url.netloc}
        h.update(headers or {})
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for k, v in h.items():
            conn.putheader(k, v)
        data = body.encode() if isinstance(body, str) else body
        conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def queue_names():
    return [u.rsplit("/", 1)[1] for u in DAEMON.client("sqs").list_queues().get("QueueUrls", [])]


class RefusedFromOtherOrigins(unittest.TestCase):
    EVIL = {"Origin": "http://evil.example"}

    def test_query_protocol_post_is_access_denied(self):
        name = unique_name("csrf")
        status, headers, body = request("POST", "/", "Action=CreateQueue&QueueName=" + name,
                                        dict(self.EVIL, **{"Content-Type": "application/x-www-form-urlencoded"}))
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>AccessDenied</Code>", body)
        self.assertIn("x-amzn-requestid", headers)
        self.assertNotIn(name, queue_names())

    def test_json_protocol_is_access_denied_with_the_legacy_code(self):
        name = unique_name("csrf")
        status, headers, body = request("POST", "/", json.dumps({"QueueName": name}), dict(self.EVIL, **{
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.CreateQueue"}))
        self.assertEqual(status, 403)
        self.assertEqual(json.loads(body)["__type"], "com.amazonaws.sqs#AccessDeniedException")
        self.assertEqual(headers["x-amzn-query-error"], "AccessDenied;Sender")
        self.assertNotIn(name, queue_names())

    def test_rest_json_is_access_denied(self):
        status, headers, _ = request("POST", "/v1/pipes/" + unique_name("p"), "{}",
                                     dict(self.EVIL, **{"Content-Type": "application/json"}))
        self.assertEqual(status, 403)
        self.assertEqual(headers["x-amzn-errortype"], "AccessDeniedException")

    def test_a_cross_site_get_without_origin_is_refused(self):
        # An <img src="http://127.0.0.1:4566/?Action=..."> sends no Origin, but Sec-Fetch-Site.
        name = unique_name("img")
        status, _, body = request("GET", "/?Action=CreateQueue&QueueName=" + name, headers={"Sec-Fetch-Site": "cross-site"})
        self.assertEqual(status, 403)
        self.assertIn(b"AccessDenied", body)
        self.assertNotIn(name, queue_names())

    def test_a_rebound_name_is_not_sluices_own_origin(self):
        port = urllib.parse.urlparse(DAEMON.endpoint).port
        host = "rebind.example:%d" % port
        status, _, _ = request("POST", "/", "Action=CreateQueue&QueueName=" + unique_name("rb"),
                               {"Host": host, "Origin": "http://" + host})
        self.assertEqual(status, 403)

    def test_reset_and_call_from_another_origin_are_refused(self):
        keep = unique_name("keep")
        DAEMON.client("sqs").create_queue(QueueName=keep)
        status, _, body = request("POST", "/_sluice/reset", headers=self.EVIL)
        self.assertEqual((status, json.loads(body)["__type"]), (403, "AccessDeniedException"))
        status, _, _ = request("POST", "/_sluice/call/sqs/CreateQueue", json.dumps({"input": {"QueueName": "x"}}), self.EVIL)
        self.assertEqual(status, 403)
        self.assertIn(keep, queue_names())

    def test_without_origin_or_from_sluices_own_pages_it_works(self):
        name = unique_name("own")
        netloc = urllib.parse.urlparse(DAEMON.endpoint).netloc
        status, _, _ = request("POST", "/", "Action=CreateQueue&QueueName=" + name,
                               {"Origin": "http://" + netloc, "Sec-Fetch-Site": "same-origin"})
        self.assertEqual(status, 200)
        status, _, _ = request("POST", "/", "Action=CreateQueue&QueueName=" + name + "b")  # curl, the CLI
        self.assertEqual(status, 200)
        self.assertIn(name, queue_names())

    def test_a_foreign_preflight_is_refused(self):
        status, headers, _ = request("OPTIONS", "/", headers=dict(self.EVIL, **{"Access-Control-Request-Method": "POST"}))
        self.assertEqual(status, 403)
        self.assertNotIn("access-control-allow-origin", headers)


class HostNames(unittest.TestCase):
    def test_the_console_answers_only_to_sluices_names(self):
        port = urllib.parse.urlparse(DAEMON.endpoint).port
        for host in ("127.0.0.1:%d" % port, "localhost:%d" % port, "[::1]:%d" % port):
            status, headers, body = request("GET", "/_sluice/console/", headers={"Host": host})
            self.assertEqual(status, 200, host)
            self.assertIn(b"<title>Sluice console</title>", body)
            self.assertIn("frame-ancestors 'none'", headers["content-security-policy"])
        for path in ("/_sluice/console/", "/_sluice/overview", "/_sluice/sqs"):
            status, _, body = request("GET", path, headers={"Host": "rebind.example:%d" % port})
            self.assertEqual(status, 403, path)
            self.assertIn(b"--allowed-hosts", body)
        # The health check answers whatever the name (compose health checks use service names).
        self.assertEqual(request("GET", "/_sluice/health", headers={"Host": "sluice:4566"})[0], 200)

    def test_allowed_hosts_and_origins_by_flag(self):
        daemon = Daemon(name="console-flags", extra_args=[
            "--allowed-hosts", "sluice.internal", "--allowed-origins", "http://localhost:3000"]).start()
        try:
            status, _, _ = request("GET", "/_sluice/overview", headers={"Host": "sluice.internal:4566"}, daemon=daemon)
            self.assertEqual(status, 200)
            origin = {"Origin": "http://localhost:3000"}
            status, headers, _ = request("OPTIONS", "/", headers=dict(origin, **{
                "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-amz-target"}),
                daemon=daemon)
            self.assertEqual(status, 204)
            self.assertEqual(headers["access-control-allow-origin"], "http://localhost:3000")
            self.assertEqual(headers["access-control-allow-headers"], "content-type,x-amz-target")
            self.assertIn("POST", headers["access-control-allow-methods"])
            status, headers, body = request("POST", "/", json.dumps({"QueueName": unique_name("cors")}), dict(origin, **{
                "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.CreateQueue"}), daemon=daemon)
            self.assertEqual(status, 200, body)
            self.assertEqual(headers["access-control-allow-origin"], "http://localhost:3000")
            self.assertIn("x-amzn-RequestId", headers["access-control-expose-headers"])
        finally:
            daemon.stop()

    def test_root_links_to_the_console_for_browsers_only(self):
        status, headers, body = request("GET", "/", headers={"Accept": "text/html,application/xhtml+xml"})
        self.assertEqual(status, 200)
        self.assertIn(b'href="/_sluice/console/"', body)
        status, _, _ = request("GET", "/")  # an SDK's GET of / is still the query protocol's
        self.assertNotEqual(status, 200)


class Views(unittest.TestCase):
    def get(self, path):
        status, _, body = request("GET", path)
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def call(self, service, operation, params):
        status, _, body = request("POST", "/_sluice/call/%s/%s" % (service, operation), json.dumps(
            {"account": DEFAULT_ACCOUNT, "region": REGION, "input": params}))
        return status, json.loads(body)

    def test_overview(self):
        o = self.get("/_sluice/overview")
        self.assertEqual(sorted(o["services"]), ["ecs", "events", "pipes", "sns", "sqs", "stepfunctions"])
        self.assertEqual(o["timeScale"], 0.05)
        self.assertGreater(o["uptimeSeconds"], 0)
        self.assertIn("state", o["services"]["ecs"]["engine"])

    def test_queues_with_counters_and_dead_letter_relations_both_ways(self):
        sqs = DAEMON.client("sqs")
        dlq = unique_name("dlq")
        dlq_url = sqs.create_queue(QueueName=dlq)["QueueUrl"]
        dlq_arn = "arn:aws:sqs:%s:%s:%s" % (REGION, DEFAULT_ACCOUNT, dlq)
        src = unique_name("src")
        url = sqs.create_queue(QueueName=src, Attributes={"RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3})})["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="a")
        sqs.send_message(QueueUrl=url, MessageBody="b", DelaySeconds=600)
        sqs.send_message(QueueUrl=url, MessageBody="c")
        sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=600)
        queues = {q["name"]: q for q in self.get("/_sluice/sqs")["queues"]}
        self.assertEqual((queues[src]["visible"], queues[src]["inFlight"], queues[src]["delayed"]), (1, 1, 1))
        self.assertEqual((queues[src]["deadLetterTargetArn"], queues[src]["maxReceiveCount"]), (dlq_arn, 3))
        self.assertEqual(queues[dlq]["deadLetterSourceArns"], [queues[src]["arn"]])
        peek = self.get("/_sluice/sqs/queues/%s/%s/%s/messages" % (DEFAULT_ACCOUNT, REGION, src))
        states = sorted((m["body"], m["state"], m["receiveCount"]) for m in peek["messages"])
        self.assertEqual([s[1] for s in states if s[0] == "b"], ["delayed"])
        self.assertTrue(all("visibleAt" in m for m in peek["messages"] if m["state"] != "visible"))
        # Peeking consumed nothing.
        self.assertEqual(self.get("/_sluice/sqs/queues/%s/messages" % src)["messages"], peek["messages"])
        del dlq_url

    def test_actions_call_the_services_operations(self):
        sqs = DAEMON.client("sqs")
        name = unique_name("act")
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        status, body = self.call("sqs", "SendMessage", {"QueueUrl": url, "MessageBody": "from the console"})
        self.assertEqual(status, 200)
        self.assertIn("MessageId", body)
        got = sqs.receive_message(QueueUrl=url)["Messages"][0]
        self.assertEqual((got["Body"], got["MessageId"]), ("from the console", body["MessageId"]))
        # AWS's errors, as the service words them.
        status, body = self.call("sqs", "SendMessage", {"QueueUrl": url + "-missing", "MessageBody": "x"})
        self.assertEqual((status, body["__type"]), (400, "QueueDoesNotExist"))
        status, body = self.call("sqs", "SendMessage", {"QueueUrl": url})
        self.assertEqual(status, 400)
        self.assertIn("MessageBody", body["message"])
        status, body = self.call("sqs", "NoSuchOperation", {})
        self.assertEqual((status, body["__type"]), (400, "UnknownOperationException"))
        status, _, _ = request("GET", "/_sluice/call/sqs/SendMessage")
        self.assertEqual(status, 405)

    def test_state_machines_and_executions_with_history(self):
        sfn = DAEMON.client("stepfunctions")
        definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"x": 1}, "End": True}}})
        arn = sfn.create_state_machine(name=unique_name("sm"), roleArn=ROLE, definition=definition)["stateMachineArn"]
        ex = sfn.start_execution(stateMachineArn=arn, input='{"in": true}')["executionArn"]
        poll_until(lambda: sfn.describe_execution(executionArn=ex)["status"] == "SUCCEEDED", 10)
        machines = {m["stateMachineArn"]: m for m in self.get("/_sluice/stepfunctions/state-machines")["stateMachines"]}
        self.assertEqual(machines[arn]["definition"], definition)
        self.assertEqual(machines[arn]["executions"], 1)
        one = self.get("/_sluice/stepfunctions/state-machines/" + arn)
        self.assertEqual([e["executionArn"] for e in one["executionList"]], [ex])
        e = self.get("/_sluice/stepfunctions/executions/" + ex)
        self.assertEqual(e["status"], "SUCCEEDED")
        self.assertEqual(e["definition"], definition)
        history = sfn.get_execution_history(executionArn=ex)["events"]
        self.assertEqual([x["type"] for x in e["events"]], [x["type"] for x in history])
        self.assertEqual(e["events"][-1]["executionSucceededEventDetails"]["output"], '{"x":1}')
        self.assertEqual(request("GET", "/_sluice/stepfunctions/executions/" + ex + "x")[0], 404)

    def test_ecs_shows_clusters_and_tasks(self):
        DAEMON.client("ecs").create_cluster(clusterName="console-cluster")
        v = self.get("/_sluice/ecs")
        self.assertIn("console-cluster", [c["clusterName"] for c in v["clusterList"]])
        self.assertIsInstance(v["tasks"], list)

    def test_watch_answers_when_the_state_moves(self):
        first = self.get("/_sluice/watch?since=")["fingerprint"]
        self.assertEqual(self.get("/_sluice/watch?since=stale")["fingerprint"], first)
        name = unique_name("watched")
        answered = {}

        def wait():
            started = time.monotonic()
            answered["body"] = self.get("/_sluice/watch?since=" + first)
            answered["after"] = time.monotonic() - started

        t = threading.Thread(target=wait)
        t.start()
        time.sleep(0.6)
        self.assertTrue(t.is_alive(), "the watch answered though nothing moved")
        DAEMON.client("sqs").create_queue(QueueName=name)
        t.join(10)
        self.assertFalse(t.is_alive())
        self.assertNotEqual(answered["body"]["fingerprint"], first)
        self.assertLess(answered["after"], 3.0)


if __name__ == "__main__":
    unittest.main()
