"""SQS through the AWS command line: CLI v1 (botocore 1.43, JSON protocol) and Debian's CLI v2
(/usr/bin/aws 2.9, query protocol), each as a subprocess with --endpoint-url.

CLI v1 is run as `python3 -m awscli` with this interpreter, so a PATH that resolves `aws` to the
other CLI cannot swap them. Each test checks its CLI's version once (setUpClass).

Exit codes for a service error: v1 255, v2 254 (CLI v2 return-codes page).
"""
import json
import subprocess
import sys
import unittest

from harness import DEFAULT_ACCOUNT, Daemon, cli_env, cli_json, md5_hex, poll_until, run_cli, unique_name

DAEMON = None
V1 = [sys.executable, "-m", "awscli"]
V2 = ["/usr/bin/aws"]


def setUpModule():
    global DAEMON
    DAEMON = Daemon(time_scale=0.02, name="cli").start()


def tearDownModule():
    if DAEMON is not None:
        DAEMON.stop()


class CliCase:
    """Mixin: the same tests for each CLI. Subclasses set CLI, MAJOR, ERROR_RC, QUERY."""
    CLI = None
    MAJOR = None
    ERROR_RC = None
    QUERY = None

    @classmethod
    def setUpClass(cls):
        out = subprocess.run(cls.CLI + ["--version"], capture_output=True, text=True, timeout=60,
                             env=cli_env())
        version = (out.stdout + out.stderr).strip()
        if not version.startswith("aws-cli/%d." % cls.MAJOR):
            raise AssertionError("%r is %r, expected AWS CLI v%d" % (cls.CLI, version, cls.MAJOR))

    def aws(self, *args, endpoint=True, env=None, expect_rc=0):
        cmd = list(self.CLI)
        if endpoint:
            cmd += ["--endpoint-url", DAEMON.endpoint]
        cmd += ["--output", "json"] + list(args)
        return run_cli(self, cmd, env=env, expect_rc=expect_rc)

    def aws_json(self, *args, **kw):
        return cli_json(self.aws(*args, **kw))

    def make_queue(self, *extra):
        name = unique_name("cli%d" % self.MAJOR)
        url = self.aws_json("sqs", "create-queue", "--queue-name", name, *extra)["QueueUrl"]
        return name, url

    # ------------------------------------------------------------------------ tests
    def test_wire_protocol(self):
        p = self.aws("sqs", "list-queues", "--queue-name-prefix", "none-", "--debug")
        if self.QUERY:
            self.assertIn("'Action': 'ListQueues'", p.stderr)
            self.assertNotIn("X-Amz-Target", p.stderr)
        else:
            self.assertIn("'X-Amz-Target': 'AmazonSQS.ListQueues'", p.stderr)

    def test_create_queue_and_get_url(self):
        name, url = self.make_queue("--attributes", "VisibilityTimeout=45,DelaySeconds=2")
        self.assertEqual(url, "%s/%s/%s" % (DAEMON.endpoint, DEFAULT_ACCOUNT, name))
        self.assertEqual(self.aws_json("sqs", "get-queue-url", "--queue-name", name)["QueueUrl"], url)
        listed = self.aws_json("sqs", "list-queues", "--queue-name-prefix", name)
        self.assertEqual(listed.get("QueueUrls"), [url])

    def test_get_queue_attributes(self):
        name, url = self.make_queue()
        a = self.aws_json("sqs", "get-queue-attributes", "--queue-url", url,
                          "--attribute-names", "All")["Attributes"]
        self.assertEqual(a["VisibilityTimeout"], "30")
        self.assertEqual(a["MaximumMessageSize"], "1048576")
        self.assertEqual(a["MessageRetentionPeriod"], "345600")
        self.assertEqual(a["DelaySeconds"], "0")
        self.assertEqual(a["ApproximateNumberOfMessages"], "0")
        self.assertEqual(a["QueueArn"], "arn:aws:sqs:us-east-1:%s:%s" % (DEFAULT_ACCOUNT, name))
        self.aws("sqs", "set-queue-attributes", "--queue-url", url, "--attributes",
                 "VisibilityTimeout=120")
        a = self.aws_json("sqs", "get-queue-attributes", "--queue-url", url,
                          "--attribute-names", "VisibilityTimeout")["Attributes"]
        self.assertEqual(a, {"VisibilityTimeout": "120"})

    def test_send_receive_delete(self):
        _, url = self.make_queue()
        body = "from the cli \u00e9\u4e16 <&>"
        attrs = json.dumps({"kind": {"DataType": "String", "StringValue": "order"},
                            "count": {"DataType": "Number", "StringValue": "3"}})
        sent = self.aws_json("sqs", "send-message", "--queue-url", url, "--message-body", body,
                             "--message-attributes", attrs)
        self.assertEqual(sent["MD5OfMessageBody"], md5_hex(body))
        self.assertIn("MD5OfMessageAttributes", sent)
        got = self.aws_json("sqs", "receive-message", "--queue-url", url,
                            "--max-number-of-messages", "10", "--attribute-names", "All",
                            "--message-attribute-names", "All", "--visibility-timeout", "900")
        msgs = got["Messages"]
        self.assertEqual(len(msgs), 1)
        m = msgs[0]
        self.assertEqual(m["Body"], body)
        self.assertEqual(m["MessageId"], sent["MessageId"])
        self.assertEqual(m["MD5OfBody"], md5_hex(body))
        self.assertEqual(m["MD5OfMessageAttributes"], sent["MD5OfMessageAttributes"])
        self.assertEqual(m["MessageAttributes"]["kind"], {"DataType": "String", "StringValue": "order"})
        self.assertEqual(m["Attributes"]["ApproximateReceiveCount"], "1")
        self.aws("sqs", "delete-message", "--queue-url", url, "--receipt-handle", m["ReceiptHandle"])
        a = self.aws_json("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names",
                          "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")
        self.assertEqual(a["Attributes"], {"ApproximateNumberOfMessages": "0",
                                           "ApproximateNumberOfMessagesNotVisible": "0"})
        empty = self.aws_json("sqs", "receive-message", "--queue-url", url)
        self.assertEqual(empty.get("Messages", []), [])

    def test_send_message_batch_and_purge(self):
        _, url = self.make_queue()
        entries = json.dumps([{"Id": "a", "MessageBody": "one"}, {"Id": "b", "MessageBody": "two"}])
        r = self.aws_json("sqs", "send-message-batch", "--queue-url", url, "--entries", entries)
        self.assertEqual(sorted(e["Id"] for e in r["Successful"]), ["a", "b"])
        self.assertEqual(r.get("Failed", []), [])
        self.aws("sqs", "purge-queue", "--queue-url", url)
        self.assertEqual(self.aws_json("sqs", "receive-message", "--queue-url", url).get("Messages", []), [])

    def test_fifo_queue(self):
        name = unique_name("cli%d" % self.MAJOR) + ".fifo"
        url = self.aws_json("sqs", "create-queue", "--queue-name", name, "--attributes",
                            "FifoQueue=true,ContentBasedDeduplication=true")["QueueUrl"]
        # One call, so the duplicate falls inside the deduplication window (5 minutes, scaled to
        # 6 s here) however slowly the CLI starts on a loaded machine.
        entries = json.dumps([{"Id": str(i), "MessageBody": body, "MessageGroupId": "g"}
                              for i, body in enumerate(("first", "second", "first"))])
        r = self.aws_json("sqs", "send-message-batch", "--queue-url", url, "--entries", entries)
        self.assertEqual(r.get("Failed", []), [])
        seqs = {e["Id"]: int(e["SequenceNumber"]) for e in r["Successful"]}
        self.assertLess(seqs["0"], seqs["1"])
        got = self.aws_json("sqs", "receive-message", "--queue-url", url,
                            "--max-number-of-messages", "10")
        bodies = [m["Body"] for m in got["Messages"]]
        self.assertEqual(bodies, ["first", "second"][:len(bodies)])
        self.assertGreaterEqual(len(bodies), 1)

    def test_tags(self):
        _, url = self.make_queue("--tags", "team=core,env=test")
        self.assertEqual(self.aws_json("sqs", "list-queue-tags", "--queue-url", url)["Tags"],
                         {"team": "core", "env": "test"})
        self.aws("sqs", "untag-queue", "--queue-url", url, "--tag-keys", "env")
        self.assertEqual(self.aws_json("sqs", "list-queue-tags", "--queue-url", url)["Tags"],
                         {"team": "core"})

    def test_delete_queue(self):
        name, url = self.make_queue()
        self.aws("sqs", "delete-queue", "--queue-url", url)
        p = self.aws("sqs", "get-queue-url", "--queue-name", name, expect_rc=self.ERROR_RC)
        self.assertIn("AWS.SimpleQueueService.NonExistentQueue", p.stderr)

    def test_error_for_nonexistent_queue(self):
        p = self.aws("sqs", "get-queue-url", "--queue-name", unique_name("missing"),
                     expect_rc=self.ERROR_RC)
        self.assertIn("An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling "
                      "the GetQueueUrl operation", p.stderr)
        url = "%s/%s/%s" % (DAEMON.endpoint, DEFAULT_ACCOUNT, unique_name("missing"))
        p = self.aws("sqs", "send-message", "--queue-url", url, "--message-body", "x",
                     expect_rc=self.ERROR_RC)
        self.assertIn("(AWS.SimpleQueueService.NonExistentQueue)", p.stderr)
        self.assertIn("SendMessage", p.stderr)

    def test_error_for_invalid_attribute(self):
        p = self.aws("sqs", "create-queue", "--queue-name", unique_name("bad"), "--attributes",
                     "VisibilityTimeout=99999", expect_rc=self.ERROR_RC)
        self.assertIn("(InvalidAttributeValue)", p.stderr)

    def test_error_for_bad_receipt_handle(self):
        _, url = self.make_queue()
        p = self.aws("sqs", "delete-message", "--queue-url", url, "--receipt-handle", "bogus",
                     expect_rc=self.ERROR_RC)
        self.assertIn("(ReceiptHandleIsInvalid)", p.stderr)


class CliV1Tests(CliCase, unittest.TestCase):
    CLI = V1
    MAJOR = 1
    ERROR_RC = 255
    QUERY = False

    def test_endpoint_from_environment(self):
        # CLI v1 replaces the endpoint of sqs in every region it knows with
        # https://<region>.queue.amazonaws.com unless --endpoint-url is given (awscli
        # customizations/overridesslcommonname.py), which hides AWS_ENDPOINT_URL there; in a
        # region outside that table the standard AWS_ENDPOINT_URL[_SQS] variables are honoured.
        for var in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SQS"):
            with self.subTest(variable=var):
                env = {var: DAEMON.endpoint, "AWS_DEFAULT_REGION": "local-1"}
                name = unique_name("clienv")
                url = self.aws_json("sqs", "create-queue", "--queue-name", name, endpoint=False,
                                    env=env)["QueueUrl"]
                self.assertEqual(url, "%s/%s/%s" % (DAEMON.endpoint, DEFAULT_ACCOUNT, name))
                arn = self.aws_json("sqs", "get-queue-attributes", "--queue-url", url,
                                    "--attribute-names", "QueueArn", endpoint=False,
                                    env=env)["Attributes"]["QueueArn"]
                self.assertEqual(arn, "arn:aws:sqs:local-1:%s:%s" % (DEFAULT_ACCOUNT, name))


class CliV2Tests(CliCase, unittest.TestCase):
    CLI = V2
    MAJOR = 2
    ERROR_RC = 254
    QUERY = True


if __name__ == "__main__":
    unittest.main()
