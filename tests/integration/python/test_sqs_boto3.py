"""SQS through boto3, run once per wire protocol.

    SLUICE_SQS_PROTOCOL=json   current botocore model: JSON 1.0, X-Amz-Target: AmazonSQS.<Op>
    SLUICE_SQS_PROTOCOL=query  Debian awscli's model via AWS_DATA_PATH: Action=<Op> form bodies

runner.py sets both up. The message-move-task operations are not in the query model, so their
test class only exists in the JSON run.

Assertions follow AWS (API reference, developer guide, the project's shared/AWS_FACTS.md), not any
emulator. Error codes are the ones boto3 users see in e.response["Error"]["Code"]: in the JSON
protocol botocore takes them from the x-amzn-query-error header (awsQueryCompatible), so they
are the same legacy codes as in the query protocol (AWS.SimpleQueueService.NonExistentQueue...).

Two daemons: MAIN (time scale 0.02: 1 SQS second = 20 ms) for everything, LONGPOLL (0.2) for
tests that measure how long a receive blocks.
"""
import base64
import hashlib
import json
import os
import threading
import time
import unittest

from botocore.exceptions import ClientError

from harness import (DEFAULT_ACCOUNT, REGION, Daemon, md5_hex, md5_of_message_attributes,
                     poll_until, unique_name)

PROTOCOL = os.environ.get("SLUICE_SQS_PROTOCOL", "json")
MAIN = None
LONGPOLL = None


def setUpModule():
    global MAIN, LONGPOLL
    MAIN = Daemon(time_scale=0.02, name="boto3-main").start()
    try:
        LONGPOLL = Daemon(time_scale=0.2, name="boto3-longpoll").start()
    except Exception:
        MAIN.stop()
        raise
    proto = MAIN.client().meta.service_model.protocol
    if proto != PROTOCOL:
        tearDownModule()
        raise AssertionError("boto3 speaks %r, this run wants %r (AWS_DATA_PATH=%r)"
                             % (proto, PROTOCOL, os.environ.get("AWS_DATA_PATH")))


def tearDownModule():
    errors = []
    for d in (LONGPOLL, MAIN):
        if d is None:
            continue
        try:
            d.stop()
        except Exception as e:  # report both daemons
            errors.append(str(e))
    if errors:
        raise AssertionError("\n".join(errors))


class SqsCase(unittest.TestCase):
    daemon_name = "MAIN"

    @property
    def d(self):
        return MAIN if self.daemon_name == "MAIN" else LONGPOLL

    def setUp(self):
        self.sqs = self.d.client()

    # ------------------------------------------------------------ helpers
    def make_queue(self, prefix="q", attributes=None, fifo=False, tags=None, client=None):
        client = client or self.sqs
        name = unique_name(prefix) + (".fifo" if fifo else "")
        attrs = dict(attributes or {})
        if fifo:
            attrs.setdefault("FifoQueue", "true")
        kw = {"QueueName": name}
        if attrs:
            kw["Attributes"] = {k: str(v) for k, v in attrs.items()}
        if tags:
            kw["tags"] = tags
        url = client.create_queue(**kw)["QueueUrl"]
        self.addCleanup(self._quiet_delete, client, url)
        return url

    @staticmethod
    def _quiet_delete(client, url):
        try:
            client.delete_queue(QueueUrl=url)
        except Exception:
            pass

    def attrs(self, url, *names, client=None):
        client = client or self.sqs
        names = list(names) or ["All"]
        return client.get_queue_attributes(QueueUrl=url, AttributeNames=names).get("Attributes", {})

    def arn(self, url):
        return self.attrs(url, "QueueArn")["QueueArn"]

    def receive(self, url, client=None, **kw):
        client = client or self.sqs
        kw.setdefault("WaitTimeSeconds", 0)
        return client.receive_message(QueueUrl=url, **kw).get("Messages", [])

    def receive_one(self, url, timeout=3.0, **kw):
        """Polls (short receives) until a message arrives; returns it or fails."""
        kw.setdefault("MaxNumberOfMessages", 1)
        box = []

        def attempt():
            msgs = self.receive(url, **kw)
            box[:] = msgs
            return msgs

        msgs = poll_until(attempt, timeout)
        self.assertTrue(msgs, "no message arrived within %.1f s" % timeout)
        return msgs[0]

    def drain(self, url, expected, timeout=5.0, delete=True, **kw):
        """Receives (and deletes) until `expected` messages are collected; returns them in order."""
        got = []
        deadline = time.monotonic() + timeout
        kw.setdefault("MaxNumberOfMessages", 10)
        while len(got) < expected and time.monotonic() < deadline:
            msgs = self.receive(url, **kw)
            for m in msgs:
                got.append(m)
                if delete:
                    self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            if not msgs:
                time.sleep(0.02)
        return got

    def count(self, url, name="ApproximateNumberOfMessages"):
        return int(self.attrs(url, name)[name])

    def assertSqsError(self, code, fn, *args, status=400, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(*args, **kwargs)
        resp = cm.exception.response
        self.assertEqual(resp["Error"].get("Code"), code,
                         "wrong error code; full error: %r" % (resp.get("Error"),))
        if status is not None:
            self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], status,
                             "wrong HTTP status for %s" % code)
        return cm.exception

    def url_for(self, name, account=DEFAULT_ACCOUNT):
        return "%s/%s/%s" % (self.d.endpoint, account, name)


# =====================================================================================
class WireProtocolTests(SqsCase):
    def test_requests_use_the_protocol_of_this_run(self):
        seen = []

        def capture(request, **_):
            seen.append((dict(request.headers), request.body))

        self.sqs.meta.events.register("before-send.sqs", capture)
        self.sqs.list_queues(QueueNamePrefix="nothing-here-")
        self.assertEqual(len(seen), 1)
        headers, body = seen[0]
        headers = {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in headers.items()}
        body = body.decode() if isinstance(body, bytes) else (body or "")
        if PROTOCOL == "json":
            self.assertEqual(headers.get("x-amz-target"), "AmazonSQS.ListQueues")
            self.assertEqual(headers.get("content-type"), "application/x-amz-json-1.0")
            self.assertEqual(json.loads(body), {"QueueNamePrefix": "nothing-here-"})
        else:
            self.assertNotIn("x-amz-target", headers)
            self.assertIn("Action=ListQueues", body)
            self.assertIn("Version=2012-11-05", body)
            self.assertTrue(headers.get("content-type", "").startswith(
                "application/x-www-form-urlencoded"))
        self.assertIn("/us-east-1/sqs/aws4_request", headers.get("authorization", ""))

    def test_responses_carry_a_request_id(self):
        resp = self.sqs.list_queues(QueueNamePrefix="nothing-here-")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertTrue(resp["ResponseMetadata"].get("RequestId"))


# =====================================================================================
class QueueLifecycleTests(SqsCase):
    def test_create_queue_url_is_host_account_name(self):
        name = unique_name("life")
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        self.addCleanup(self._quiet_delete, self.sqs, url)
        self.assertEqual(url, self.url_for(name))
        self.assertEqual(self.arn(url), "arn:aws:sqs:%s:%s:%s" % (REGION, DEFAULT_ACCOUNT, name))

    def test_create_is_idempotent_with_same_attributes(self):
        name = unique_name("idem")
        a = {"VisibilityTimeout": "45", "DelaySeconds": "3"}
        url1 = self.sqs.create_queue(QueueName=name, Attributes=a)["QueueUrl"]
        self.addCleanup(self._quiet_delete, self.sqs, url1)
        url2 = self.sqs.create_queue(QueueName=name, Attributes=a)["QueueUrl"]
        self.assertEqual(url1, url2)
        name2 = unique_name("idem")
        u1 = self.sqs.create_queue(QueueName=name2)["QueueUrl"]
        self.addCleanup(self._quiet_delete, self.sqs, u1)
        self.assertEqual(self.sqs.create_queue(QueueName=name2)["QueueUrl"], u1)

    def test_create_with_different_attributes_fails(self):
        name = unique_name("diff")
        url = self.sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "45"})["QueueUrl"]
        self.addCleanup(self._quiet_delete, self.sqs, url)
        err = self.assertSqsError("QueueAlreadyExists", self.sqs.create_queue, QueueName=name,
                                  Attributes={"VisibilityTimeout": "46"})
        self.assertIsInstance(err, self.sqs.exceptions.QueueNameExists)
        # the queue keeps its attributes
        self.assertEqual(self.attrs(url, "VisibilityTimeout")["VisibilityTimeout"], "45")

    def test_get_queue_url(self):
        url = self.make_queue("gqu")
        name = url.rsplit("/", 1)[1]
        self.assertEqual(self.sqs.get_queue_url(QueueName=name)["QueueUrl"], url)
        self.assertEqual(self.sqs.get_queue_url(QueueName=name,
                                                QueueOwnerAWSAccountId=DEFAULT_ACCOUNT)["QueueUrl"],
                         url)

    def test_get_queue_url_of_missing_queue(self):
        err = self.assertSqsError("AWS.SimpleQueueService.NonExistentQueue", self.sqs.get_queue_url,
                                  QueueName=unique_name("missing"))
        self.assertIsInstance(err, self.sqs.exceptions.QueueDoesNotExist)

    def test_list_queues_with_prefix(self):
        prefix = unique_name("lst") + "-"
        urls = sorted(self.sqs.create_queue(QueueName=prefix + s)["QueueUrl"] for s in ("a", "b", "c"))
        for u in urls:
            self.addCleanup(self._quiet_delete, self.sqs, u)
        other = self.make_queue("other")
        listed = self.sqs.list_queues(QueueNamePrefix=prefix).get("QueueUrls", [])
        self.assertEqual(sorted(listed), urls)
        self.assertNotIn(other, listed)
        everything = self.sqs.list_queues().get("QueueUrls", [])
        self.assertIn(other, everything)
        for u in urls:
            self.assertIn(u, everything)
        none = self.sqs.list_queues(QueueNamePrefix=prefix + "zzz")
        self.assertEqual(none.get("QueueUrls", []), [])

    def test_list_queues_pagination(self):
        prefix = unique_name("page") + "-"
        urls = set()
        for i in range(5):
            u = self.sqs.create_queue(QueueName="%s%d" % (prefix, i))["QueueUrl"]
            self.addCleanup(self._quiet_delete, self.sqs, u)
            urls.add(u)
        seen = []
        token = None
        pages = 0
        while True:
            kw = {"QueueNamePrefix": prefix, "MaxResults": 2}
            if token:
                kw["NextToken"] = token
            resp = self.sqs.list_queues(**kw)
            page = resp.get("QueueUrls", [])
            self.assertLessEqual(len(page), 2)
            seen.extend(page)
            pages += 1
            token = resp.get("NextToken")
            if not token:
                break
            self.assertLess(pages, 10, "pagination does not end")
        self.assertEqual(len(seen), 5, seen)
        self.assertEqual(set(seen), urls)
        self.assertGreaterEqual(pages, 3)

    def test_list_queues_max_results_out_of_range(self):
        self.assertSqsError("InvalidParameterValue", self.sqs.list_queues, MaxResults=1001)
        self.assertSqsError("InvalidParameterValue", self.sqs.list_queues, MaxResults=0)

    def test_delete_queue(self):
        name = unique_name("del")
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        self.sqs.delete_queue(QueueUrl=url)
        self.assertSqsError("AWS.SimpleQueueService.NonExistentQueue", self.sqs.get_queue_url,
                            QueueName=name)
        self.assertSqsError("AWS.SimpleQueueService.NonExistentQueue", self.sqs.send_message,
                            QueueUrl=url, MessageBody="x")
        self.assertNotIn(url, self.sqs.list_queues(QueueNamePrefix=name).get("QueueUrls", []))

    def test_operations_on_missing_queue(self):
        url = self.url_for(unique_name("nope"))
        for op, kw in [
            ("delete_queue", {}),
            ("send_message", {"MessageBody": "x"}),
            ("receive_message", {}),
            ("get_queue_attributes", {"AttributeNames": ["All"]}),
            ("set_queue_attributes", {"Attributes": {"DelaySeconds": "1"}}),
            ("purge_queue", {}),
            ("list_queue_tags", {}),
        ]:
            with self.subTest(op=op):
                err = self.assertSqsError("AWS.SimpleQueueService.NonExistentQueue",
                                          getattr(self.sqs, op), QueueUrl=url, **kw)
                self.assertIsInstance(err, self.sqs.exceptions.QueueDoesNotExist)

    def test_invalid_queue_names(self):
        for bad in ("has space", "bang!", "a" * 81, "dot.name"):
            with self.subTest(name=bad):
                self.assertSqsError("InvalidParameterValue", self.sqs.create_queue, QueueName=bad)
        # 80 characters of [A-Za-z0-9_-] is fine
        name = ("ok-" + unique_name("n").replace(".", "_") + "_" * 80)[:80]
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        self.addCleanup(self._quiet_delete, self.sqs, url)
        self.assertTrue(url.endswith("/" + name))

    def test_twelve_digit_access_key_is_the_account(self):
        account = "123456789012"
        other = self.d.client(access_key=account)
        name = unique_name("acct")
        url = other.create_queue(QueueName=name)["QueueUrl"]
        self.addCleanup(self._quiet_delete, other, url)
        self.assertEqual(url, self.url_for(name, account))
        arn = other.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.assertEqual(arn, "arn:aws:sqs:%s:%s:%s" % (REGION, account, name))
        self.assertEqual(other.get_queue_url(QueueName=name)["QueueUrl"], url)
        # invisible from the default account
        self.assertSqsError("AWS.SimpleQueueService.NonExistentQueue", self.sqs.get_queue_url,
                            QueueName=name)
        self.assertNotIn(url, self.sqs.list_queues(QueueNamePrefix=name).get("QueueUrls", []))

    def test_region_comes_from_the_signature(self):
        eu = self.d.client(region="eu-west-1")
        name = unique_name("region")
        url = eu.create_queue(QueueName=name)["QueueUrl"]
        self.addCleanup(self._quiet_delete, eu, url)
        arn = eu.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.assertEqual(arn, "arn:aws:sqs:eu-west-1:%s:%s" % (DEFAULT_ACCOUNT, name))
        self.assertSqsError("AWS.SimpleQueueService.NonExistentQueue", self.sqs.get_queue_url,
                            QueueName=name)


# =====================================================================================
class AttributeTests(SqsCase):
    def test_default_attributes(self):
        url = self.make_queue("defaults")
        name = url.rsplit("/", 1)[1]
        before = int(time.time()) - 5
        a = self.attrs(url)
        expected = {
            "VisibilityTimeout": "30",
            "MaximumMessageSize": "1048576",
            "MessageRetentionPeriod": "345600",
            "DelaySeconds": "0",
            "ReceiveMessageWaitTimeSeconds": "0",
            "ApproximateNumberOfMessages": "0",
            "ApproximateNumberOfMessagesNotVisible": "0",
            "ApproximateNumberOfMessagesDelayed": "0",
            "QueueArn": "arn:aws:sqs:us-east-1:%s:%s" % (DEFAULT_ACCOUNT, name),
        }
        for k, v in expected.items():
            with self.subTest(attribute=k):
                self.assertEqual(a.get(k), v)
        for k in ("CreatedTimestamp", "LastModifiedTimestamp"):
            with self.subTest(attribute=k):
                self.assertIn(k, a)
                ts = int(a[k])  # epoch seconds
                self.assertGreaterEqual(ts, before - 60)
                self.assertLessEqual(ts, int(time.time()) + 60)
        for k in ("FifoQueue", "ContentBasedDeduplication", "RedrivePolicy", "Policy"):
            with self.subTest(absent=k):
                self.assertNotIn(k, a)

    def test_only_requested_attributes_are_returned(self):
        url = self.make_queue("some")
        a = self.attrs(url, "VisibilityTimeout", "QueueArn")
        self.assertEqual(set(a), {"VisibilityTimeout", "QueueArn"})

    def test_create_and_set_attributes(self):
        url = self.make_queue("set", attributes={"VisibilityTimeout": 60, "DelaySeconds": 5,
                                                 "MaximumMessageSize": 2048,
                                                 "MessageRetentionPeriod": 120,
                                                 "ReceiveMessageWaitTimeSeconds": 2})
        a = self.attrs(url)
        self.assertEqual((a["VisibilityTimeout"], a["DelaySeconds"], a["MaximumMessageSize"],
                          a["MessageRetentionPeriod"], a["ReceiveMessageWaitTimeSeconds"]),
                         ("60", "5", "2048", "120", "2"))
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "0",
                                                                 "DelaySeconds": "900"})
        a = self.attrs(url, "VisibilityTimeout", "DelaySeconds")
        self.assertEqual(a, {"VisibilityTimeout": "0", "DelaySeconds": "900"})

    def test_invalid_attribute_values(self):
        bad = [
            ("VisibilityTimeout", "43201"), ("VisibilityTimeout", "-1"), ("VisibilityTimeout", "abc"),
            ("MaximumMessageSize", "1023"), ("MaximumMessageSize", "1048577"),
            ("MessageRetentionPeriod", "59"), ("MessageRetentionPeriod", "1209601"),
            ("DelaySeconds", "901"), ("ReceiveMessageWaitTimeSeconds", "21"),
        ]
        url = self.make_queue("badattr")
        for k, v in bad:
            with self.subTest(attribute=k, value=v, op="SetQueueAttributes"):
                err = self.assertSqsError("InvalidAttributeValue", self.sqs.set_queue_attributes,
                                          QueueUrl=url, Attributes={k: v})
                self.assertIn(k, err.response["Error"].get("Message", ""))
            with self.subTest(attribute=k, value=v, op="CreateQueue"):
                self.assertSqsError("InvalidAttributeValue", self.sqs.create_queue,
                                    QueueName=unique_name("badattr"), Attributes={k: v})
        # nothing changed
        self.assertEqual(self.attrs(url, "VisibilityTimeout")["VisibilityTimeout"], "30")

    def test_unknown_attribute_name(self):
        url = self.make_queue("unknown")
        self.assertSqsError("InvalidAttributeName", self.sqs.set_queue_attributes, QueueUrl=url,
                            Attributes={"NoSuchAttribute": "1"})
        self.assertSqsError("InvalidAttributeName", self.sqs.get_queue_attributes, QueueUrl=url,
                            AttributeNames=["NoSuchAttribute"])

    def test_approximate_counts_follow_messages(self):
        url = self.make_queue("counts")
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody="m%d" % i)
        self.sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=900)
        a = self.attrs(url)
        self.assertEqual((a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"],
                          a["ApproximateNumberOfMessagesDelayed"]), ("3", "0", "1"))
        msgs = self.receive(url, MaxNumberOfMessages=1, VisibilityTimeout=900)
        self.assertEqual(len(msgs), 1)
        a = self.attrs(url)
        self.assertEqual((a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"],
                          a["ApproximateNumberOfMessagesDelayed"]), ("2", "1", "1"))
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=msgs[0]["ReceiptHandle"])
        a = self.attrs(url)
        self.assertEqual((a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"],
                          a["ApproximateNumberOfMessagesDelayed"]), ("2", "0", "1"))

    def test_fifo_queue_attributes(self):
        url = self.make_queue("fifoattrs", fifo=True)
        a = self.attrs(url)
        self.assertEqual(a.get("FifoQueue"), "true")
        self.assertEqual(a.get("ContentBasedDeduplication"), "false")
        self.assertEqual(a.get("DeduplicationScope"), "queue")
        self.assertEqual(a.get("FifoThroughputLimit"), "perQueue")
        self.assertTrue(a["QueueArn"].endswith(".fifo"))


# =====================================================================================
ATTRS = {
    "s": {"DataType": "String", "StringValue": "h\u00e9llo \U0001F600"},
    "n": {"DataType": "Number", "StringValue": "-12.5e3"},
    "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xffbinary"},
    "custom.str": {"DataType": "String.custom", "StringValue": "typed"},
    "custom.num": {"DataType": "Number.float", "StringValue": "3.14"},
    "custom.bin": {"DataType": "Binary.gzip", "BinaryValue": b"\x1f\x8b\x08"},
}


class MessageTests(SqsCase):
    def test_send_receive_delete_with_md5(self):
        url = self.make_queue("msg")
        body = "hello \u00e9\u4e16\U0001F600 <xml> & \"quotes\""
        sent = self.sqs.send_message(QueueUrl=url, MessageBody=body)
        self.assertEqual(sent["MD5OfMessageBody"], md5_hex(body))
        self.assertTrue(sent["MessageId"])
        self.assertNotIn("MD5OfMessageAttributes", sent)
        msgs = self.receive(url, MaxNumberOfMessages=10)
        self.assertEqual(len(msgs), 1)
        m = msgs[0]
        self.assertEqual(m["Body"], body)
        self.assertEqual(m["MessageId"], sent["MessageId"])
        self.assertEqual(m["MD5OfBody"], md5_hex(body))
        self.assertTrue(m["ReceiptHandle"])
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.assertEqual(self.count(url), 0)
        self.assertEqual(self.count(url, "ApproximateNumberOfMessagesNotVisible"), 0)
        self.assertEqual(self.receive(url), [])

    def test_body_characters_round_trip(self):
        url = self.make_queue("chars")
        body = "tab\there\nnewline\r\ncrlf\rcr \ue000 \ufffd \U0010ffff end  "
        sent = self.sqs.send_message(QueueUrl=url, MessageBody=body)
        self.assertEqual(sent["MD5OfMessageBody"], md5_hex(body))
        m = self.receive_one(url)
        self.assertEqual(m["Body"], body)
        self.assertEqual(m["MD5OfBody"], md5_hex(body))

    def test_message_attributes_and_their_md5(self):
        url = self.make_queue("mattr")
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="with attributes",
                                     MessageAttributes=ATTRS)
        self.assertEqual(sent["MD5OfMessageAttributes"], md5_of_message_attributes(ATTRS))
        m = self.receive_one(url, MessageAttributeNames=["All"])
        self.assertEqual(m["MessageAttributes"], ATTRS)
        self.assertEqual(m["MD5OfMessageAttributes"], md5_of_message_attributes(ATTRS))
        self.assertEqual(m["MD5OfBody"], md5_hex("with attributes"))

    def test_message_attributes_only_when_asked(self):
        url = self.make_queue("mattr2")
        self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageAttributes=ATTRS)
        m = self.receive_one(url, VisibilityTimeout=0)
        self.assertNotIn("MessageAttributes", m)
        m = self.receive_one(url, VisibilityTimeout=0, MessageAttributeNames=["s", "b"])
        self.assertEqual(m["MessageAttributes"], {"s": ATTRS["s"], "b": ATTRS["b"]})
        m = self.receive_one(url, VisibilityTimeout=0, MessageAttributeNames=["custom.*"])
        self.assertEqual(set(m["MessageAttributes"]), {"custom.str", "custom.num", "custom.bin"})

    def test_invalid_message_attributes(self):
        url = self.make_queue("badmattr")
        cases = [
            {"x": {"DataType": "Foo", "StringValue": "1"}},            # unknown type
            {"x": {"DataType": "String"}},                               # no value
        ]
        for attrs in cases:
            with self.subTest(attrs=attrs):
                self.assertSqsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url,
                                    MessageBody="x", MessageAttributes=attrs)

    def test_system_attributes_on_receive(self):
        url = self.make_queue("sysattr")
        t0 = int(time.time() * 1000)
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        m = self.receive_one(url, AttributeNames=["All"], VisibilityTimeout=0)
        a = m["Attributes"]
        self.assertEqual(a["ApproximateReceiveCount"], "1")
        for k in ("SentTimestamp", "ApproximateFirstReceiveTimestamp"):
            self.assertTrue(a[k].isdigit(), a)
            self.assertLess(abs(int(a[k]) - t0), 60_000, "%s is not epoch milliseconds" % k)
        self.assertIn("SenderId", a)
        m2 = self.receive_one(url, AttributeNames=["ApproximateReceiveCount"], VisibilityTimeout=900)
        self.assertEqual(m2["Attributes"], {"ApproximateReceiveCount": "2"})
        m3_list = self.receive(url)
        self.assertEqual(m3_list, [])  # in flight now

    def test_aws_trace_header_system_attribute(self):
        url = self.make_queue("trace")
        sysattrs = {"AWSTraceHeader": {"DataType": "String",
                                       "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}}
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageSystemAttributes=sysattrs)
        self.assertEqual(sent["MD5OfMessageSystemAttributes"], md5_of_message_attributes(sysattrs))
        m = self.receive_one(url, AttributeNames=["AWSTraceHeader"])
        self.assertEqual(m["Attributes"]["AWSTraceHeader"], sysattrs["AWSTraceHeader"]["StringValue"])

    def test_receive_at_most_max_number_and_all_distinct(self):
        url = self.make_queue("many")
        bodies = ["m%02d" % i for i in range(15)]
        for i in range(0, 15, 5):
            self.sqs.send_message_batch(QueueUrl=url, Entries=[
                {"Id": "e%d" % j, "MessageBody": b} for j, b in enumerate(bodies[i:i + 5])])
        first = self.receive(url, MaxNumberOfMessages=10)
        self.assertGreaterEqual(len(first), 1)
        self.assertLessEqual(len(first), 10)
        for m in first:
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        rest = self.drain(url, 15 - len(first))
        got = [m["Body"] for m in first + rest]
        self.assertEqual(sorted(got), bodies)

    def test_receive_from_empty_queue(self):
        url = self.make_queue("empty")
        resp = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)
        self.assertEqual(resp.get("Messages", []), [])
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)

    def test_delete_with_an_older_receipt_handle_does_not_delete(self):
        # "You must provide the most recently received receipt handle when you request to delete
        # the message (otherwise, the request succeeds, but the message will not be deleted)."
        # (API_DeleteMessage, standard queues)
        url = self.make_queue("stale")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        first = self.receive_one(url, VisibilityTimeout=0)
        second = self.receive_one(url, VisibilityTimeout=900)
        self.assertNotEqual(first["ReceiptHandle"], second["ReceiptHandle"])
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
        self.assertEqual(self.count(url, "ApproximateNumberOfMessagesNotVisible"), 1)
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=second["ReceiptHandle"])
        self.assertEqual(self.count(url, "ApproximateNumberOfMessagesNotVisible"), 0)
        self.assertEqual(self.count(url), 0)

    def test_deleting_twice_is_fine(self):
        url = self.make_queue("twice")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        m = self.receive_one(url)
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])

    def test_batch_send_receive_delete(self):
        url = self.make_queue("batch")
        entries = [
            {"Id": "plain", "MessageBody": "one"},
            {"Id": "with-attrs", "MessageBody": "two", "MessageAttributes": ATTRS},
            {"Id": "delayed_1", "MessageBody": "three", "DelaySeconds": 900},
        ]
        resp = self.sqs.send_message_batch(QueueUrl=url, Entries=entries)
        self.assertEqual(resp.get("Failed", []), [])
        ok = {e["Id"]: e for e in resp["Successful"]}
        self.assertEqual(set(ok), {"plain", "with-attrs", "delayed_1"})
        self.assertEqual(ok["plain"]["MD5OfMessageBody"], md5_hex("one"))
        self.assertNotIn("MD5OfMessageAttributes", ok["plain"])
        self.assertEqual(ok["with-attrs"]["MD5OfMessageAttributes"], md5_of_message_attributes(ATTRS))
        self.assertEqual(len({e["MessageId"] for e in resp["Successful"]}), 3)
        self.assertEqual(self.count(url, "ApproximateNumberOfMessagesDelayed"), 1)
        got = self.drain(url, 2, delete=False, MessageAttributeNames=["All"], VisibilityTimeout=900)
        self.assertEqual(sorted(m["Body"] for m in got), ["one", "two"])
        by_body = {m["Body"]: m for m in got}
        self.assertEqual(by_body["one"]["MessageId"], ok["plain"]["MessageId"])
        self.assertEqual(by_body["two"]["MessageAttributes"], ATTRS)
        dresp = self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": "d%d" % i, "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
        self.assertEqual(sorted(e["Id"] for e in dresp["Successful"]), ["d0", "d1"])
        self.assertEqual(dresp.get("Failed", []), [])
        self.assertEqual(self.count(url, "ApproximateNumberOfMessagesNotVisible"), 0)

    def test_delete_batch_reports_invalid_receipt_handle_per_entry(self):
        url = self.make_queue("dbatch")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        m = self.receive_one(url)
        resp = self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": "good", "ReceiptHandle": m["ReceiptHandle"]},
            {"Id": "bad", "ReceiptHandle": "not-a-receipt-handle"},
        ])
        self.assertEqual([e["Id"] for e in resp["Successful"]], ["good"])
        self.assertEqual(len(resp["Failed"]), 1)
        f = resp["Failed"][0]
        self.assertEqual(f["Id"], "bad")
        self.assertEqual(f["Code"], "ReceiptHandleIsInvalid")
        self.assertIs(f["SenderFault"], True)
        self.assertEqual(self.count(url, "ApproximateNumberOfMessagesNotVisible"), 0)

    def test_concurrent_consumers_see_each_message_once(self):
        url = self.make_queue("conc")
        n = 60
        for i in range(0, n, 10):
            self.sqs.send_message_batch(QueueUrl=url, Entries=[
                {"Id": str(j), "MessageBody": "m%03d" % (i + j)} for j in range(10)])
        seen = []
        lock = threading.Lock()
        errors = []

        def consumer():
            try:
                c = self.d.client()
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    msgs = c.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                             VisibilityTimeout=900, WaitTimeSeconds=0).get("Messages", [])
                    if not msgs:
                        with lock:
                            if len(seen) >= n:
                                return
                        time.sleep(0.01)
                        continue
                    with lock:
                        seen.extend(m["Body"] for m in msgs)
                    c.delete_message_batch(QueueUrl=url, Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)])
            except Exception as e:  # surfaced below
                errors.append(e)

        threads = [threading.Thread(target=consumer) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(15)
        self.assertEqual(errors, [])
        self.assertEqual(len(seen), n, "duplicates or losses")
        self.assertEqual(sorted(seen), ["m%03d" % i for i in range(n)])


# =====================================================================================
class VisibilityTests(SqsCase):
    def test_message_returns_after_visibility_timeout(self):
        vt = self.d.attr_seconds(1.0)
        url = self.make_queue("vis", attributes={"VisibilityTimeout": vt})
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        first = self.receive_one(url)
        t0 = time.monotonic()
        self.assertEqual(self.receive(url), [])
        again = self.receive_one(url, timeout=4.0, AttributeNames=["ApproximateReceiveCount"])
        waited = time.monotonic() - t0
        self.assertEqual(again["MessageId"], first["MessageId"])
        self.assertEqual(again["Attributes"]["ApproximateReceiveCount"], "2")
        self.assertGreaterEqual(waited, 0.7 * self.d.real(vt))

    def test_receive_visibility_timeout_overrides_queue_default(self):
        url = self.make_queue("visparam", attributes={"VisibilityTimeout": 43200})
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        self.receive_one(url, VisibilityTimeout=self.d.attr_seconds(0.2))
        again = self.receive_one(url, timeout=4.0)
        self.assertEqual(again["Body"], "x")

    def test_change_visibility_to_zero_returns_message_at_once(self):
        url = self.make_queue("cmv0")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        m = self.receive_one(url, VisibilityTimeout=900)
        self.assertEqual(self.receive(url), [])
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
                                           VisibilityTimeout=0)
        again = self.receive(url, AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual(len(again), 1)
        self.assertEqual(again[0]["MessageId"], m["MessageId"])
        self.assertEqual(again[0]["Attributes"]["ApproximateReceiveCount"], "2")

    def test_change_visibility_extends_the_timeout(self):
        url = self.make_queue("cmvext")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        m = self.receive_one(url, VisibilityTimeout=self.d.attr_seconds(0.8))
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
                                           VisibilityTimeout=self.d.attr_seconds(5.0))
        time.sleep(1.1)
        self.assertEqual(self.receive(url), [])

    def test_change_visibility_batch(self):
        url = self.make_queue("cmvb")
        for b in ("a", "b"):
            self.sqs.send_message(QueueUrl=url, MessageBody=b)
        got = self.drain(url, 2, delete=False, VisibilityTimeout=900)
        self.assertEqual(len(got), 2)
        resp = self.sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
            {"Id": "e%d" % i, "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
            for i, m in enumerate(got)] + [
            {"Id": "bad", "ReceiptHandle": "garbage", "VisibilityTimeout": 0}])
        self.assertEqual(sorted(e["Id"] for e in resp["Successful"]), ["e0", "e1"])
        self.assertEqual([(f["Id"], f["Code"], f["SenderFault"]) for f in resp["Failed"]],
                         [("bad", "ReceiptHandleIsInvalid", True)])
        back = self.drain(url, 2, delete=False, VisibilityTimeout=900)
        self.assertEqual(sorted(m["Body"] for m in back), ["a", "b"])

    def test_change_visibility_with_invalid_receipt_handle(self):
        url = self.make_queue("cmvbad")
        self.assertSqsError("ReceiptHandleIsInvalid", self.sqs.change_message_visibility,
                            QueueUrl=url, ReceiptHandle="garbage", VisibilityTimeout=0)

    def test_change_visibility_out_of_range(self):
        url = self.make_queue("cmvrange")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        m = self.receive_one(url)
        self.assertSqsError("InvalidParameterValue", self.sqs.change_message_visibility,
                            QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=43201)

    def test_receive_visibility_timeout_out_of_range(self):
        url = self.make_queue("rcvvis")
        self.assertSqsError("InvalidParameterValue", self.receive, url, VisibilityTimeout=43201)


# =====================================================================================
class DelayTests(SqsCase):
    def test_queue_delay(self):
        delay = self.d.attr_seconds(1.0)
        url = self.make_queue("qdelay", attributes={"DelaySeconds": delay})
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        t0 = time.monotonic()
        self.assertEqual(self.receive(url), [])
        self.assertEqual(self.count(url, "ApproximateNumberOfMessagesDelayed"), 1)
        self.assertEqual(self.count(url), 0)
        m = self.receive_one(url, timeout=4.0)
        self.assertEqual(m["Body"], "x")
        self.assertGreaterEqual(time.monotonic() - t0, 0.7 * self.d.real(delay))

    def test_message_delay_overrides_queue_delay(self):
        url = self.make_queue("mdelay", attributes={"DelaySeconds": 900})
        self.sqs.send_message(QueueUrl=url, MessageBody="now", DelaySeconds=0)
        self.sqs.send_message(QueueUrl=url, MessageBody="never")  # queue's 900 s
        m = self.receive_one(url, timeout=1.0)
        self.assertEqual(m["Body"], "now")
        self.assertEqual(self.count(url, "ApproximateNumberOfMessagesDelayed"), 1)

    def test_message_delay_on_standard_queue(self):
        url = self.make_queue("mdelay2")
        d = self.d.attr_seconds(0.2)
        self.sqs.send_message(QueueUrl=url, MessageBody="late", DelaySeconds=d)
        self.sqs.send_message(QueueUrl=url, MessageBody="far", DelaySeconds=900)
        m = self.receive_one(url, timeout=4.0, VisibilityTimeout=900)
        self.assertEqual(m["Body"], "late")
        self.assertEqual(self.receive(url), [])

    def test_delay_out_of_range(self):
        url = self.make_queue("delayrange")
        self.assertSqsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url,
                            MessageBody="x", DelaySeconds=901)

    def test_per_message_delay_not_allowed_on_fifo(self):
        url = self.make_queue("fifodelay", fifo=True)
        self.assertSqsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url,
                            MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d",
                            DelaySeconds=5)


# =====================================================================================
class RetentionAndPurgeTests(SqsCase):
    def test_messages_expire_after_retention_period(self):
        url = self.make_queue("retain", attributes={"MessageRetentionPeriod": 60})  # 1.2 s real
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        self.assertEqual(self.count(url), 1)
        time.sleep(self.d.real(60) + 0.4)
        self.assertEqual(self.receive(url), [])
        self.assertEqual(self.count(url), 0)

    def test_purge_queue(self):
        url = self.make_queue("purge")
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody="m%d" % i)
        self.receive_one(url, VisibilityTimeout=900)
        self.sqs.purge_queue(QueueUrl=url)
        self.assertEqual(self.receive(url), [])
        a = self.attrs(url)
        self.assertEqual(a["ApproximateNumberOfMessages"], "0")
        self.assertEqual(a["ApproximateNumberOfMessagesNotVisible"], "0")
        # the queue is still usable
        self.sqs.send_message(QueueUrl=url, MessageBody="after")
        self.assertEqual(self.receive_one(url)["Body"], "after")

    def test_second_purge_within_60_seconds(self):
        url = self.make_queue("purge2")
        self.sqs.purge_queue(QueueUrl=url)
        t0 = time.monotonic()
        err = self.assertSqsError("AWS.SimpleQueueService.PurgeQueueInProgress", self.sqs.purge_queue,
                                  QueueUrl=url, status=403)
        self.assertIsInstance(err, self.sqs.exceptions.PurgeQueueInProgress)
        window = self.d.real(60)
        time.sleep(max(0.0, window + 0.3 - (time.monotonic() - t0)))
        self.sqs.purge_queue(QueueUrl=url)


# =====================================================================================
class LongPollTests(SqsCase):
    daemon_name = "LONGPOLL"

    def test_wait_returns_as_soon_as_a_message_is_sent(self):
        url = self.make_queue("lp")
        wait = self.d.attr_seconds(4.0, hi=20)
        sender = self.d.client()

        def send_later():
            time.sleep(0.3)
            sender.send_message(QueueUrl=url, MessageBody="wake up")

        t = threading.Thread(target=send_later)
        t0 = time.monotonic()
        t.start()
        msgs = self.receive(url, WaitTimeSeconds=wait)
        elapsed = time.monotonic() - t0
        t.join()
        self.assertEqual([m["Body"] for m in msgs], ["wake up"])
        self.assertGreaterEqual(elapsed, 0.25)
        self.assertLess(elapsed, 0.5 * self.d.real(wait), "long poll did not return early")

    def test_wait_returns_empty_after_wait_time(self):
        url = self.make_queue("lpempty")
        wait = self.d.attr_seconds(0.6)
        t0 = time.monotonic()
        msgs = self.receive(url, WaitTimeSeconds=wait)
        elapsed = time.monotonic() - t0
        self.assertEqual(msgs, [])
        self.assertGreaterEqual(elapsed, 0.8 * self.d.real(wait))
        self.assertLess(elapsed, self.d.real(wait) + 1.5)

    def test_queue_receive_wait_time_is_the_default(self):
        wait = self.d.attr_seconds(0.6)
        url = self.make_queue("lpattr", attributes={"ReceiveMessageWaitTimeSeconds": wait})
        t0 = time.monotonic()
        msgs = self.sqs.receive_message(QueueUrl=url).get("Messages", [])
        elapsed = time.monotonic() - t0
        self.assertEqual(msgs, [])
        self.assertGreaterEqual(elapsed, 0.8 * self.d.real(wait))
        # WaitTimeSeconds=0 overrides the queue's default: a short poll
        t0 = time.monotonic()
        self.receive(url, WaitTimeSeconds=0)
        self.assertLess(time.monotonic() - t0, 0.5 * self.d.real(wait))

    def test_wait_time_out_of_range(self):
        url = self.make_queue("lprange")
        self.assertSqsError("InvalidParameterValue", self.receive, url, WaitTimeSeconds=21)

    def test_idle_long_polls_do_not_block_other_requests(self):
        idle = self.make_queue("lpidle")
        busy = self.make_queue("lpbusy")
        wait = self.d.attr_seconds(3.0, hi=20)
        results = []
        errors = []

        clients = [self.d.client() for _ in range(8)]

        def poller(c):
            try:
                results.append(c.receive_message(QueueUrl=idle, WaitTimeSeconds=wait,
                                                 MaxNumberOfMessages=1).get("Messages", []))
            except Exception as e:
                errors.append(e)

        threads = [threading.Thread(target=poller, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        time.sleep(0.2)
        t0 = time.monotonic()
        for i in range(10):
            self.sqs.send_message(QueueUrl=busy, MessageBody=str(i))
            self.assertEqual(len(self.receive(busy, VisibilityTimeout=900)), 1)
        busy_time = time.monotonic() - t0
        self.assertLess(busy_time, 1.5, "requests stalled behind idle long polls")
        # wake every poller
        self.sqs.send_message_batch(QueueUrl=idle, Entries=[
            {"Id": str(i), "MessageBody": "w%d" % i} for i in range(8)])
        for t in threads:
            t.join(self.d.real(wait) + 3)
        self.assertFalse(any(t.is_alive() for t in threads), "long polls did not end")
        self.assertEqual(errors, [])
        got = sorted(m["Body"] for r in results for m in r)
        self.assertEqual(len(results), 8)
        self.assertEqual(len(got), len(set(got)))
        self.assertGreaterEqual(len(got), 1)


# =====================================================================================
class FifoTests(SqsCase):
    def test_fifo_queue_name_rules(self):
        self.assertSqsError("InvalidParameterValue", self.sqs.create_queue,
                            QueueName=unique_name("nofifo"), Attributes={"FifoQueue": "true"})
        self.assertSqsError("InvalidParameterValue", self.sqs.create_queue,
                            QueueName=unique_name("std") + ".fifo")

    def test_message_group_id_required(self):
        url = self.make_queue("fifogrp", fifo=True)
        self.assertSqsError("MissingParameter", self.sqs.send_message, QueueUrl=url,
                            MessageBody="x", MessageDeduplicationId="d")

    def test_deduplication_id_required_without_content_based_dedup(self):
        url = self.make_queue("fifodd", fifo=True)
        self.assertSqsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url,
                            MessageBody="x", MessageGroupId="g")

    def test_order_within_group_and_sequence_numbers(self):
        url = self.make_queue("fifoorder", fifo=True)
        seqs = []
        for i in range(6):
            r = self.sqs.send_message(QueueUrl=url, MessageBody="m%d" % i, MessageGroupId="g",
                                      MessageDeduplicationId="d%d" % i)
            self.assertTrue(r["SequenceNumber"].isdigit(), r)
            seqs.append(int(r["SequenceNumber"]))
        self.assertEqual(seqs, sorted(seqs))
        self.assertEqual(len(set(seqs)), 6)
        got = self.drain(url, 6, AttributeNames=["All"])
        self.assertEqual([m["Body"] for m in got], ["m%d" % i for i in range(6)])
        self.assertEqual([int(m["Attributes"]["SequenceNumber"]) for m in got], seqs)
        a = got[0]["Attributes"]
        self.assertEqual(a["MessageGroupId"], "g")
        self.assertEqual(a["MessageDeduplicationId"], "d0")

    def test_batch_send_keeps_order(self):
        url = self.make_queue("fifobatch", fifo=True)
        resp = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "e%d" % i, "MessageBody": "b%d" % i, "MessageGroupId": "g",
             "MessageDeduplicationId": "bd%d" % i} for i in range(5)])
        self.assertEqual(resp.get("Failed", []), [])
        by_id = {e["Id"]: int(e["SequenceNumber"]) for e in resp["Successful"]}
        self.assertEqual([by_id["e%d" % i] for i in range(5)], sorted(by_id.values()))
        got = self.drain(url, 5)
        self.assertEqual([m["Body"] for m in got], ["b%d" % i for i in range(5)])

    def test_group_is_blocked_while_its_head_is_in_flight(self):
        url = self.make_queue("fifoblock", fifo=True)
        for body, group in (("a1", "A"), ("a2", "A"), ("b1", "B"), ("b2", "B")):
            self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group,
                                  MessageDeduplicationId=body)
        head = self.receive(url, MaxNumberOfMessages=1, VisibilityTimeout=900,
                            AttributeNames=["MessageGroupId"])
        self.assertEqual(len(head), 1)
        head = head[0]
        self.assertIn(head["Body"], ("a1", "b1"), "first receive must return a group's head")
        g = head["Attributes"]["MessageGroupId"]
        other = "B" if g == "A" else "A"
        for _ in range(3):
            for m in self.receive(url, MaxNumberOfMessages=10, VisibilityTimeout=900,
                                  AttributeNames=["MessageGroupId"]):
                self.assertEqual(m["Attributes"]["MessageGroupId"], other,
                                 "got %s while the head of group %s is in flight" % (m["Body"], g))
        # once the head is deleted, the rest of its group flows
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=head["ReceiptHandle"])
        nxt = self.receive_one(url, timeout=2.0)
        self.assertEqual(nxt["Body"], g.lower() + "2")

    def test_head_returned_again_before_later_messages(self):
        url = self.make_queue("fiforetry", fifo=True)
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody="m%d" % i, MessageGroupId="g",
                                  MessageDeduplicationId="r%d" % i)
        m = self.receive(url, MaxNumberOfMessages=1, VisibilityTimeout=900)[0]
        self.assertEqual(m["Body"], "m0")
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
                                           VisibilityTimeout=0)
        again = self.receive(url, MaxNumberOfMessages=1, AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual(again[0]["Body"], "m0")
        self.assertEqual(again[0]["Attributes"]["ApproximateReceiveCount"], "2")

    def test_deduplication_by_id(self):
        url = self.make_queue("fifodedup", fifo=True)
        r1 = self.sqs.send_message(QueueUrl=url, MessageBody="first", MessageGroupId="g",
                                   MessageDeduplicationId="same")
        r2 = self.sqs.send_message(QueueUrl=url, MessageBody="second", MessageGroupId="g",
                                   MessageDeduplicationId="same")
        self.assertTrue(r1["MessageId"] and r2["MessageId"])
        got = self.drain(url, 2, timeout=0.5)
        self.assertEqual([m["Body"] for m in got], ["first"])

    def test_content_based_deduplication(self):
        url = self.make_queue("fifocbd", fifo=True, attributes={"ContentBasedDeduplication": "true"})
        self.assertEqual(self.attrs(url, "ContentBasedDeduplication")["ContentBasedDeduplication"], "true")
        for body in ("same", "same", "other", "same"):
            self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g")
        got = self.drain(url, 3, timeout=0.5, AttributeNames=["MessageDeduplicationId"])
        self.assertEqual([m["Body"] for m in got], ["same", "other"])
        # content-based dedup id = SHA-256 of the body (FIFO key terms page)
        self.assertEqual(got[0]["Attributes"]["MessageDeduplicationId"],
                         hashlib.sha256(b"same").hexdigest())
        # an explicit id wins over the content hash
        self.sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g",
                              MessageDeduplicationId="explicit")
        self.assertEqual([m["Body"] for m in self.drain(url, 1)], ["same"])

    def test_deduplication_survives_deletion(self):
        url = self.make_queue("fifodel", fifo=True)
        self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g",
                              MessageDeduplicationId="once")
        self.assertEqual(len(self.drain(url, 1)), 1)
        self.sqs.send_message(QueueUrl=url, MessageBody="x again", MessageGroupId="g",
                              MessageDeduplicationId="once")
        self.assertEqual(self.receive(url, MaxNumberOfMessages=10), [])
        self.assertEqual(self.count(url), 0)

    def test_standard_queue_accepts_message_group_id(self):
        url = self.make_queue("fair")
        r = self.sqs.send_message(QueueUrl=url, MessageBody="tenant", MessageGroupId="tenant-1")
        self.assertNotIn("SequenceNumber", r)
        m = self.receive_one(url)
        self.assertEqual(m["Body"], "tenant")


# =====================================================================================
class DeadLetterTests(SqsCase):
    def _source_with_dlq(self, max_receive=2, fifo=False):
        dlq = self.make_queue("dlq", fifo=fifo)
        dlq_arn = self.arn(dlq)
        policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive)})
        src = self.make_queue("src", fifo=fifo, attributes={"RedrivePolicy": policy})
        return src, dlq, dlq_arn

    def test_redrive_policy_attribute(self):
        src, dlq, dlq_arn = self._source_with_dlq(3)
        rp = json.loads(self.attrs(src, "RedrivePolicy")["RedrivePolicy"])
        self.assertEqual(rp["deadLetterTargetArn"], dlq_arn)
        self.assertEqual(int(rp["maxReceiveCount"]), 3)

    def test_message_moves_to_dlq_after_max_receive_count(self):
        src, dlq, _ = self._source_with_dlq(2)
        sent = self.sqs.send_message(QueueUrl=src, MessageBody="poison")
        for i in range(2):
            m = self.receive_one(src, VisibilityTimeout=0, AttributeNames=["ApproximateReceiveCount"])
            self.assertEqual(m["Attributes"]["ApproximateReceiveCount"], str(i + 1))
        # third receive attempt: the message goes to the DLQ instead of being returned
        self.assertEqual(self.receive(src, MaxNumberOfMessages=10), [])
        moved = self.receive_one(dlq, timeout=2.0)
        self.assertEqual(moved["Body"], "poison")
        self.assertEqual(moved["MessageId"], sent["MessageId"])
        self.assertEqual(self.count(src), 0)

    def test_list_dead_letter_source_queues(self):
        src, dlq, dlq_arn = self._source_with_dlq(5)
        policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"})
        src2 = self.make_queue("src2", attributes={"RedrivePolicy": policy})
        self.make_queue("unrelated")
        resp = self.sqs.list_dead_letter_source_queues(QueueUrl=dlq)
        self.assertEqual(sorted(resp["queueUrls"]), sorted([src, src2]))
        page = self.sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=1)
        self.assertEqual(len(page["queueUrls"]), 1)
        self.assertTrue(page.get("NextToken"))
        rest = self.sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=1,
                                                       NextToken=page["NextToken"])
        self.assertEqual(sorted(page["queueUrls"] + rest["queueUrls"]), sorted([src, src2]))

    def test_fifo_redrive_keeps_group_moving(self):
        src, dlq, _ = self._source_with_dlq(1, fifo=True)
        for body in ("bad", "good"):
            self.sqs.send_message(QueueUrl=src, MessageBody=body, MessageGroupId="g",
                                  MessageDeduplicationId=body)
        m = self.receive(src, MaxNumberOfMessages=1, VisibilityTimeout=0)
        self.assertEqual(m[0]["Body"], "bad")
        nxt = self.receive_one(src, timeout=2.0)
        self.assertEqual(nxt["Body"], "good")
        self.assertEqual(self.receive_one(dlq, timeout=2.0)["Body"], "bad")


# =====================================================================================
class TagTests(SqsCase):
    def test_tags_on_create_and_tag_untag(self):
        url = self.make_queue("tags", tags={"team": "core", "env": "test"})
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "core", "env": "test"})
        self.sqs.tag_queue(QueueUrl=url, Tags={"env": "prod", "cost": "42"})
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"],
                         {"team": "core", "env": "prod", "cost": "42"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["team", "cost", "absent"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"env": "prod"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["env"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url).get("Tags", {}), {})

    def test_untagged_queue_has_no_tags(self):
        url = self.make_queue("notags")
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url).get("Tags", {}), {})


# =====================================================================================
class PermissionTests(SqsCase):
    def test_add_and_remove_permission(self):
        url = self.make_queue("perm")
        arn = self.arn(url)
        self.sqs.add_permission(QueueUrl=url, Label="AllowSend", AWSAccountIds=["111122223333"],
                                Actions=["SendMessage"])
        self.sqs.add_permission(QueueUrl=url, Label="AllowRecv",
                                AWSAccountIds=["111122223333", "444455556666"],
                                Actions=["ReceiveMessage", "DeleteMessage"])
        policy = json.loads(self.attrs(url, "Policy")["Policy"])
        self.assertIn(policy.get("Version"), ("2008-10-17", "2012-10-17"))
        stmts = {s["Sid"]: s for s in policy["Statement"]}
        self.assertEqual(set(stmts), {"AllowSend", "AllowRecv"})
        s = stmts["AllowSend"]
        self.assertEqual(s["Effect"], "Allow")
        self.assertEqual(s["Resource"], arn)
        principals = s["Principal"]["AWS"]
        principals = principals if isinstance(principals, list) else [principals]
        self.assertEqual(principals, ["arn:aws:iam::111122223333:root"])
        actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        self.assertEqual(actions, ["SQS:SendMessage"])
        r = stmts["AllowRecv"]
        rp = r["Principal"]["AWS"]
        self.assertEqual(sorted(rp if isinstance(rp, list) else [rp]),
                         ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"])
        ra = r["Action"] if isinstance(r["Action"], list) else [r["Action"]]
        self.assertEqual(sorted(ra), ["SQS:DeleteMessage", "SQS:ReceiveMessage"])

        self.sqs.remove_permission(QueueUrl=url, Label="AllowSend")
        policy = json.loads(self.attrs(url, "Policy")["Policy"])
        self.assertEqual([s["Sid"] for s in policy["Statement"]], ["AllowRecv"])
        self.sqs.remove_permission(QueueUrl=url, Label="AllowRecv")
        remaining = self.attrs(url, "Policy").get("Policy")
        if remaining:
            self.assertEqual(json.loads(remaining).get("Statement", []), [])


# =====================================================================================
class BadInputTests(SqsCase):
    def test_empty_batches(self):
        url = self.make_queue("emptyb")
        for op in ("send_message_batch", "delete_message_batch", "change_message_visibility_batch"):
            with self.subTest(op=op):
                err = self.assertSqsError("AWS.SimpleQueueService.EmptyBatchRequest",
                                          getattr(self.sqs, op), QueueUrl=url, Entries=[])
                self.assertIsInstance(err, self.sqs.exceptions.EmptyBatchRequest)

    def test_too_many_entries(self):
        url = self.make_queue("manyb")
        cases = {
            "send_message_batch": [{"Id": "e%d" % i, "MessageBody": "x"} for i in range(11)],
            "delete_message_batch": [{"Id": "e%d" % i, "ReceiptHandle": "h%d" % i} for i in range(11)],
            "change_message_visibility_batch": [{"Id": "e%d" % i, "ReceiptHandle": "h%d" % i,
                                                 "VisibilityTimeout": 0} for i in range(11)],
        }
        for op, entries in cases.items():
            with self.subTest(op=op):
                err = self.assertSqsError("AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                                          getattr(self.sqs, op), QueueUrl=url, Entries=entries)
                self.assertIsInstance(err, self.sqs.exceptions.TooManyEntriesInBatchRequest)
        self.assertEqual(self.count(url), 0)

    def test_batch_ids_not_distinct(self):
        url = self.make_queue("dupb")
        err = self.assertSqsError("AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                                  self.sqs.send_message_batch, QueueUrl=url,
                                  Entries=[{"Id": "same", "MessageBody": "a"},
                                           {"Id": "same", "MessageBody": "b"}])
        self.assertIsInstance(err, self.sqs.exceptions.BatchEntryIdsNotDistinct)
        self.assertEqual(self.count(url), 0)

    def test_invalid_batch_entry_id(self):
        url = self.make_queue("badid")
        for bad in ("has space", "bang!", "x" * 81):
            with self.subTest(id=bad):
                self.assertSqsError("AWS.SimpleQueueService.InvalidBatchEntryId",
                                    self.sqs.send_message_batch, QueueUrl=url,
                                    Entries=[{"Id": bad, "MessageBody": "a"}])

    def test_batch_request_too_long(self):
        url = self.make_queue("longb")
        body = "x" * 200_000
        self.assertSqsError("AWS.SimpleQueueService.BatchRequestTooLong", self.sqs.send_message_batch,
                            QueueUrl=url, Entries=[{"Id": "e%d" % i, "MessageBody": body}
                                                   for i in range(6)])
        self.assertEqual(self.count(url), 0)

    def test_invalid_receipt_handle_on_delete(self):
        url = self.make_queue("badrh")
        err = self.assertSqsError("ReceiptHandleIsInvalid", self.sqs.delete_message, QueueUrl=url,
                                  ReceiptHandle="definitely-not-a-handle")
        self.assertIsInstance(err, self.sqs.exceptions.ReceiptHandleIsInvalid)

    def test_message_size_limit(self):
        url = self.make_queue("big")
        exact = "y" * 1_048_576
        r = self.sqs.send_message(QueueUrl=url, MessageBody=exact)
        self.assertEqual(r["MD5OfMessageBody"], md5_hex(exact))
        self.assertSqsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url,
                            MessageBody=exact + "y")
        self.assertEqual(self.count(url), 1)
        m = self.receive_one(url)
        self.assertEqual(len(m["Body"]), 1_048_576)

    def test_queue_maximum_message_size_is_enforced(self):
        url = self.make_queue("small", attributes={"MaximumMessageSize": 1024})
        self.sqs.send_message(QueueUrl=url, MessageBody="z" * 1024)
        self.assertSqsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url,
                            MessageBody="z" * 1025)
        # multi-byte characters count in bytes: 342 x 3 bytes = 1026
        self.assertSqsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url,
                            MessageBody="\u20ac" * 342)

    def test_max_number_of_messages_out_of_range(self):
        url = self.make_queue("maxn")
        for n in (0, 11):
            with self.subTest(n=n):
                self.assertSqsError("InvalidParameterValue", self.receive, url, MaxNumberOfMessages=n)

    def test_invalid_message_contents(self):
        url = self.make_queue("badchars")
        for bad in ("nul\u0000byte", "nonchar\uffff", "bell\u0007", "\ufffe"):
            with self.subTest(body=repr(bad)):
                err = self.assertSqsError("InvalidMessageContents", self.sqs.send_message,
                                          QueueUrl=url, MessageBody=bad)
                self.assertIsInstance(err, self.sqs.exceptions.InvalidMessageContents)
        self.assertEqual(self.count(url), 0)

    def test_empty_body(self):
        url = self.make_queue("emptybody")
        with self.assertRaises(ClientError) as cm:
            self.sqs.send_message(QueueUrl=url, MessageBody="")
        self.assertIn(cm.exception.response["Error"]["Code"], ("MissingParameter", "InvalidParameterValue"))
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)


# =====================================================================================
if PROTOCOL == "json":
    class MessageMoveTaskTests(SqsCase):
        """StartMessageMoveTask / ListMessageMoveTasks / CancelMessageMoveTask (JSON model only)."""

        def _redriven(self, n):
            """A source queue with a DLQ (maxReceiveCount 1) holding n messages redriven from it."""
            dlq = self.make_queue("mtdlq")
            dlq_arn = self.arn(dlq)
            src = self.make_queue("mtsrc", attributes={"RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "1"})})
            bodies = ["r%d" % i for i in range(n)]
            self.sqs.send_message_batch(QueueUrl=src, Entries=[
                {"Id": str(i), "MessageBody": b} for i, b in enumerate(bodies)])
            # first receive counts 1 and makes them visible again at once; later receive
            # attempts push them to the DLQ
            self.drain(src, n, delete=False, VisibilityTimeout=0, timeout=2.0)
            moved = poll_until(lambda: self.receive(src, MaxNumberOfMessages=10) == []
                               and self.count(dlq) == n, 3.0)
            self.assertTrue(moved, "messages did not reach the DLQ")
            return src, dlq, dlq_arn, bodies

        def _wait_task(self, source_arn, statuses=("COMPLETED",), timeout=4.0):
            box = {}

            def done():
                r = self.sqs.list_message_move_tasks(SourceArn=source_arn).get("Results", [])
                box["r"] = r
                return r and r[0]["Status"] in statuses

            poll_until(done, timeout, interval=0.05)
            return box.get("r", [])

        def test_move_messages_back_to_their_source(self):
            src, dlq, dlq_arn, bodies = self._redriven(3)
            start = self.sqs.start_message_move_task(SourceArn=dlq_arn)
            self.assertTrue(start["TaskHandle"])
            results = self._wait_task(dlq_arn)
            self.assertTrue(results)
            t = results[0]
            self.assertEqual(t["Status"], "COMPLETED")
            self.assertEqual(t["SourceArn"], dlq_arn)
            self.assertEqual(t["ApproximateNumberOfMessagesMoved"], 3)
            self.assertIn("StartedTimestamp", t)
            got = self.drain(src, 3)
            self.assertEqual(sorted(m["Body"] for m in got), bodies)
            self.assertEqual(self.count(dlq), 0)

        def test_move_messages_to_an_explicit_destination(self):
            dlq = self.make_queue("mtdlq2")
            dlq_arn = self.arn(dlq)
            self.make_queue("mtsrc2", attributes={"RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"})})
            dest = self.make_queue("mtdest")
            dest_arn = self.arn(dest)
            for i in range(4):
                self.sqs.send_message(QueueUrl=dlq, MessageBody="d%d" % i,
                                      MessageAttributes={"k": {"DataType": "String", "StringValue": str(i)}})
            self.sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=dest_arn)
            results = self._wait_task(dlq_arn)
            self.assertEqual(results[0]["Status"], "COMPLETED")
            self.assertEqual(results[0].get("DestinationArn"), dest_arn)
            got = self.drain(dest, 4, MessageAttributeNames=["All"])
            self.assertEqual(sorted(m["Body"] for m in got), ["d0", "d1", "d2", "d3"])
            for m in got:
                self.assertEqual(m["MessageAttributes"]["k"]["StringValue"], m["Body"][1:])

        def test_cancel_a_running_task(self):
            dlq = self.make_queue("mtdlq3")
            dlq_arn = self.arn(dlq)
            self.make_queue("mtsrc3", attributes={"RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"})})
            dest = self.make_queue("mtdest3")
            n = 300
            for i in range(0, n, 10):
                self.sqs.send_message_batch(QueueUrl=dlq, Entries=[
                    {"Id": str(j), "MessageBody": "c%d" % (i + j)} for j in range(10)])
            # 1 message per (scaled) second: 300 messages take 6 s real at scale 0.02
            start = self.sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=self.arn(dest),
                                                     MaxNumberOfMessagesPerSecond=1)
            listed = self.sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
            self.assertEqual(listed[0]["Status"], "RUNNING")
            self.assertEqual(listed[0]["TaskHandle"], start["TaskHandle"])
            self.assertEqual(listed[0]["MaxNumberOfMessagesPerSecond"], 1)
            # a second task on the same source is refused while one runs
            with self.assertRaises(ClientError):
                self.sqs.start_message_move_task(SourceArn=dlq_arn)
            cancel = self.sqs.cancel_message_move_task(TaskHandle=start["TaskHandle"])
            self.assertLess(cancel["ApproximateNumberOfMessagesMoved"], n)
            results = self._wait_task(dlq_arn, statuses=("CANCELLED",))
            self.assertEqual(results[0]["Status"], "CANCELLED")
            moved = results[0]["ApproximateNumberOfMessagesMoved"]
            self.assertLess(moved, n)
            self.assertEqual(self.count(dlq) + self.count(dest), n)

        def test_list_message_move_tasks_of_unknown_queue(self):
            arn = "arn:aws:sqs:us-east-1:%s:%s" % (DEFAULT_ACCOUNT, unique_name("none"))
            with self.assertRaises(ClientError) as cm:
                self.sqs.list_message_move_tasks(SourceArn=arn)
            self.assertEqual(cm.exception.response["Error"]["Code"], "ResourceNotFoundException")


if __name__ == "__main__":
    unittest.main()


# =====================================================================================
class RecordedBehaviourTests(SqsCase):
    """Issue 20: what LocalStack's test_sqs.py recorded on AWS (named per test), in both protocols."""

    def test_boolean_attributes_in_any_case(self):
        # test_fifo_approximate_number_of_messages_not_visible: FifoQueue/ContentBasedDeduplication "True"
        url = self.make_queue("booleans", fifo=True,
                              attributes={"FifoQueue": "True", "ContentBasedDeduplication": "True"})
        a = self.attrs(url, "FifoQueue", "ContentBasedDeduplication")
        self.assertEqual(a, {"FifoQueue": "true", "ContentBasedDeduplication": "true"})
        self.sqs.send_message(QueueUrl=url, MessageBody="no dedup id", MessageGroupId="g")
        std = self.make_queue("sse", attributes={"SqsManagedSseEnabled": "False"})
        self.assertEqual(self.attrs(std, "SqsManagedSseEnabled")["SqsManagedSseEnabled"], "false")

    def test_fifo_queue_true_on_a_fifo_queue_is_a_no_op(self):
        # test_set_unsupported_attribute_fifo
        url = self.make_queue("fifotrue", fifo=True)
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "true"})
        self.assertSqsError("InvalidAttributeValue", self.sqs.set_queue_attributes, QueueUrl=url,
                            Attributes={"FifoQueue": "false"})

    def test_queue_url_may_be_the_queue_name(self):
        # test_posting_to_queue_via_queue_name
        url = self.make_queue("byname")
        name = url.rsplit("/", 1)[1]
        sent = self.sqs.send_message(QueueUrl=name, MessageBody="Using name instead of URL")
        self.assertEqual(sent["MD5OfMessageBody"], "86a83f96652a1bfad3891e7d523750cb")
        self.assertEqual([m["Body"] for m in self.receive(name)], ["Using name instead of URL"])
        self.assertSqsError("AWS.SimpleQueueService.NonExistentQueue", self.sqs.send_message,
                            QueueUrl=name + "-missing", MessageBody="x")

    def test_fifo_message_made_visible_again_goes_while_a_later_one_is_in_flight(self):
        # test_fifo_message_group_visibility_after_terminate_visibility_timeout
        url = self.make_queue("fifoterm", fifo=True, attributes={"VisibilityTimeout": "900"})
        for body, group in (("g1-m1", "1"), ("g1-m2", "1"), ("g2-m1", "2")):
            self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group,
                                  MessageDeduplicationId=body)
        first = self.receive(url, MaxNumberOfMessages=2)
        self.assertEqual([m["Body"] for m in first], ["g1-m1", "g1-m2"])
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"],
                                           VisibilityTimeout=0)
        got = self.receive(url, MaxNumberOfMessages=3)
        self.assertEqual([m["Body"] for m in got], ["g2-m1", "g1-m1"])

    def test_purge_forgets_deduplication_ids(self):
        # test_purge_queue_clears_fifo_deduplication_cache
        url = self.make_queue("purgededup", fifo=True)
        self.sqs.send_message(QueueUrl=url, MessageBody="message-1", MessageGroupId="g",
                              MessageDeduplicationId="same")
        self.sqs.purge_queue(QueueUrl=url)
        self.sqs.send_message(QueueUrl=url, MessageBody="message-2", MessageGroupId="g",
                              MessageDeduplicationId="same")
        self.assertEqual(self.receive_one(url)["Body"], "message-2")

    def test_change_visibility_takes_an_older_receipt_handle(self):
        # test_terminate_visibility_timeout_after_receive
        url = self.make_queue("oldhandle")
        self.sqs.send_message(QueueUrl=url, MessageBody="test")
        first = self.receive(url, VisibilityTimeout=0)
        self.assertEqual(len(first), 1)
        self.assertEqual(len(self.receive(url, VisibilityTimeout=900)), 1)
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"],
                                           VisibilityTimeout=0)
        self.assertEqual([m["Body"] for m in self.receive(url)], ["test"])

    def test_expired_message_comes_back_before_a_newer_one(self):
        # test_inflight_message_requeue
        url = self.make_queue("requeue")
        self.sqs.send_message(QueueUrl=url, MessageBody="test1")
        self.assertEqual([m["Body"] for m in self.receive(url, VisibilityTimeout=3)], ["test1"])
        self.sqs.send_message(QueueUrl=url, MessageBody="test2")
        time.sleep(self.d.real(4))
        self.assertEqual([m["Body"] for m in self.receive(url, VisibilityTimeout=3)], ["test1"])

    def test_batch_answers_leave_out_empty_lists(self):
        # test_send_message_batch_with_oversized_contents_with_updated_maximum_message_size
        url = self.make_queue("batchlists")
        sent = self.sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "a"}])
        self.assertEqual(len(sent["Successful"]), 1)
        self.assertNotIn("Failed", sent)
        bad = self.sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": "1", "ReceiptHandle": "bogus"}])
        self.assertNotIn("Successful", bad)
        self.assertEqual(len(bad["Failed"]), 1)

    def test_oversized_batch_entry_cannot_be_validated(self):
        # test_send_batch_message_size
        url = self.make_queue("batchsize", attributes={"MaximumMessageSize": "1024"})
        resp = self.sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "big", "MessageBody": "x" * 1025},
                                                                  {"Id": "ok", "MessageBody": "y"}])
        self.assertEqual([e["Id"] for e in resp["Successful"]], ["ok"])
        self.assertEqual(resp["Failed"][0]["Code"], "InvalidParameterValue")
        self.assertEqual(resp["Failed"][0]["Message"],
                         "One or more parameters cannot be validated. Reason: Message must be shorter "
                         "than 1024 bytes.")

    def test_trace_header_becomes_aws_trace_header(self):
        # test_aws_trace_header_propagation
        url = self.make_queue("xray")
        trace = "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1"
        client = self.d.client()

        def add_header(request, **_kw):
            request.headers["X-Amzn-Trace-Id"] = trace

        client.meta.events.register("before-send.sqs.SendMessage", add_header)
        sent = client.send_message(QueueUrl=url, MessageBody="test")
        self.assertNotIn("MD5OfMessageSystemAttributes", sent)
        m = self.receive_one(url, AttributeNames=["AWSTraceHeader"])
        self.assertEqual(m["Attributes"]["AWSTraceHeader"], trace)

    def test_attribute_names_take_letters_of_any_script_values_no_control_characters(self):
        # test_send_message_with_invalid_string_attributes
        url = self.make_queue("attrchars")
        self.sqs.send_message(QueueUrl=url, MessageBody="test",
                              MessageAttributes={"attr.1øßä": {"StringValue": "Valida", "DataType": "String"}})
        self.assertSqsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url, MessageBody="test",
                            MessageAttributes={"attr1": {"StringValue": "Invalid-\b,\v", "DataType": "String"}})
        self.assertSqsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url, MessageBody="test",
                            MessageAttributes={"Invalid-§-attr": {"StringValue": "Valid", "DataType": "String"}})


class RecordedLongPollTests(SqsCase):
    daemon_name = "LONGPOLL"

    def test_long_poll_wakes_when_deleting_frees_a_fifo_group(self):
        # test_fifo_message_group_visibility: three 10 s polls; message-2 waits behind message-1,
        # and goes to a poller as soon as message-1 is deleted.
        url = self.make_queue("fifowake", fifo=True, attributes={"VisibilityTimeout": "60"})
        got = []
        lock = threading.Lock()

        def poll():
            msgs = self.d.client().receive_message(QueueUrl=url, MaxNumberOfMessages=1,
                                                   WaitTimeSeconds=10).get("Messages", [])
            with lock:
                got.extend(msgs)

        threads = [threading.Thread(target=poll) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(0.1)
        self.sqs.send_message(QueueUrl=url, MessageBody="message-1", MessageGroupId="1",
                              MessageDeduplicationId="1")
        self.assertTrue(poll_until(lambda: len(got) == 1, 1.0))
        self.sqs.send_message(QueueUrl=url, MessageBody="message-2", MessageGroupId="1",
                              MessageDeduplicationId="2")
        time.sleep(0.3)
        self.assertEqual(len(got), 1, "message-2 was handed out while its group was locked")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
        self.assertTrue(poll_until(lambda: len(got) == 2, 0.4 * self.d.real(10)),
                        "no waiting poll got message-2 after the delete")
        self.assertEqual(got[1]["Body"], "message-2")
        for t in threads:
            t.join()
