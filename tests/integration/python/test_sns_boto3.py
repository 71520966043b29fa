"""SNS through boto3 (the query protocol, Action=...&Version=2010-03-31), with SQS queues in the
same daemon as subscribers, read with boto3's SQS client; and a smaller set through the AWS CLI v1
(`python3 -m awscli sns ...`, exit 255 and "An error occurred (<Code>)" for service errors).

The oracle is AWS: docs/research/sns-behaviour.md (LocalStack's tests/aws/services/sns snapshots,
recorded against AWS, and the SNS developer guide), cited per test. Error codes are the ones boto3
users see in e.response["Error"]["Code"] (the query protocol's <Code>).

After the module the daemon must exit 0 on SIGTERM and its stderr must hold no sanitizer report.
"""
import base64
import json
import re
import unittest

from botocore.exceptions import ClientError

import sys

from harness import DEFAULT_ACCOUNT, REGION, Daemon, cli_json, poll_until, run_cli, unique_name

SCALE = 0.05
DAEMON = None
TOPIC_PREFIX = "arn:aws:sns:%s:%s:" % (REGION, DEFAULT_ACCOUNT)
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def setUpModule():
    global DAEMON
    DAEMON = Daemon(time_scale=SCALE, name="sns-boto3").start()


def tearDownModule():
    if DAEMON is not None:
        DAEMON.stop()  # also fails on a sanitizer report in its stderr


class SnsTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sns = DAEMON.client("sns")
        cls.sqs = DAEMON.client("sqs")

    def error(self, code, fn, *args, message=None, status=None, **kw):
        with self.assertRaises(ClientError) as ctx:
            fn(*args, **kw)
        err = ctx.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        if message is not None:
            self.assertEqual(err["Message"], message)
        if status is not None:
            self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)
        return err

    def topic(self, fifo=False, **attributes):
        name = unique_name("t") + (".fifo" if fifo else "")
        if fifo:
            attributes["FifoTopic"] = "true"
        arn = self.sns.create_topic(Name=name, Attributes=attributes)["TopicArn"]
        self.addCleanup(self.sns.delete_topic, TopicArn=arn)
        return arn

    def queue(self, fifo=False):
        name = unique_name("q") + (".fifo" if fifo else "")
        attrs = {"FifoQueue": "true"} if fifo else {}
        url = self.sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
        self.addCleanup(self.sqs.delete_queue, QueueUrl=url)
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    def subscribe(self, topic_arn, queue_arn, **attributes):
        return self.sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn,
                                  Attributes=attributes)["SubscriptionArn"]

    def receive(self, url, count=1, timeout=3.0, **kw):
        got = []

        def poll():
            r = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                         MessageAttributeNames=["All"], AttributeNames=["All"], **kw)
            for m in r.get("Messages", []):
                got.append(m)
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            return len(got) >= count

        poll_until(poll, timeout)
        return got

    def nothing_in(self, url, wait=0.3):
        # Deliveries run on the daemon's scheduler: give them time to land before saying none did.
        import time
        time.sleep(wait)
        r = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        self.assertEqual(r.get("Messages", []), [])


class TopicTests(SnsTestCase):
    def test_create_get_attributes_delete(self):
        # S: test_create_topic_test_arn (the attributes a new standard topic has).
        arn = self.topic()
        self.assertTrue(arn.startswith(TOPIC_PREFIX))
        attrs = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(set(attrs), {"DisplayName", "EffectiveDeliveryPolicy", "Owner", "Policy",
                                      "SubscriptionsConfirmed", "SubscriptionsDeleted",
                                      "SubscriptionsPending", "TopicArn"})
        self.assertEqual(attrs["Owner"], DEFAULT_ACCOUNT)
        self.assertEqual(attrs["DisplayName"], "")
        policy = json.loads(attrs["Policy"])
        self.assertEqual(policy["Id"], "__default_policy_ID")
        self.assertEqual(policy["Statement"][0]["Resource"], arn)
        self.assertEqual(json.loads(attrs["EffectiveDeliveryPolicy"])["http"]["defaultHealthyRetryPolicy"]["numRetries"], 3)
        self.sns.delete_topic(TopicArn=arn)
        self.error("NotFound", self.sns.get_topic_attributes, TopicArn=arn, message="Topic does not exist", status=404)
        self.sns.delete_topic(TopicArn=arn)  # deleting again succeeds

    def test_create_is_idempotent_and_checks_attributes(self):
        name = unique_name("t")
        a = self.sns.create_topic(Name=name, Attributes={"DisplayName": "x"})["TopicArn"]
        self.addCleanup(self.sns.delete_topic, TopicArn=a)
        self.assertEqual(self.sns.create_topic(Name=name)["TopicArn"], a)
        self.assertEqual(self.sns.create_topic(Name=name, Attributes={"DisplayName": "x"})["TopicArn"], a)
        self.error("InvalidParameter", self.sns.create_topic, Name=name, Attributes={"DisplayName": "y"},
                   message="Invalid parameter: Attributes Reason: Topic already exists with different attributes")

    def test_names(self):
        self.error("InvalidParameter", self.sns.create_topic, Name="bad name", message="Invalid parameter: Topic Name")
        self.error("InvalidParameter", self.sns.create_topic, Name="a" * 257, message="Invalid parameter: Topic Name")
        self.error("InvalidParameter", self.sns.create_topic, Name="plain.fifo",
                   message="Invalid parameter: Topic Name")
        self.error("InvalidParameter", self.sns.get_topic_attributes, TopicArn="nope",
                   message="Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1")

    def test_fifo_topic_attributes(self):
        # S: test_create_topic_with_attributes (FifoTopic, ContentBasedDeduplication shown).
        arn = self.topic(fifo=True)
        attrs = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(attrs["FifoTopic"], "true")
        self.assertEqual(attrs["ContentBasedDeduplication"], "false")
        self.sns.set_topic_attributes(TopicArn=arn, AttributeName="ContentBasedDeduplication", AttributeValue="true")
        attrs = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(attrs["ContentBasedDeduplication"], "true")

    def test_set_topic_attributes(self):
        arn = self.topic()
        self.sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="Shown")
        self.assertEqual(self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"], "Shown")
        self.error("InvalidParameter", self.sns.set_topic_attributes, TopicArn=arn, AttributeName="Bogus",
                   AttributeValue="x", message="Invalid parameter: AttributeName")

    def test_list_topics_pages_by_100(self):
        # The ListTopics API reference: up to 100 topics a page, then NextToken.
        arns = set()
        for _ in range(105):
            arns.add(self.topic())
        seen, token, pages = [], None, 0
        while True:
            kw = {"NextToken": token} if token else {}
            r = self.sns.list_topics(**kw)
            pages += 1
            self.assertLessEqual(len(r["Topics"]), 100)
            seen += [t["TopicArn"] for t in r["Topics"]]
            token = r.get("NextToken")
            if not token:
                break
        self.assertGreaterEqual(pages, 2)
        self.assertTrue(arns <= set(seen))
        self.assertEqual(len(seen), len(set(seen)))

    def test_tags(self):
        # S: test_tags (listed by key; duplicate keys refused).
        arn = self.topic()
        self.sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "k2", "Value": "v2"}, {"Key": "k1", "Value": "v1"}])
        self.assertEqual(self.sns.list_tags_for_resource(ResourceArn=arn)["Tags"],
                         [{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": "v2"}])
        self.sns.untag_resource(ResourceArn=arn, TagKeys=["k1"])
        self.sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "k2", "Value": "v2b"}])
        self.assertEqual(self.sns.list_tags_for_resource(ResourceArn=arn)["Tags"], [{"Key": "k2", "Value": "v2b"}])
        self.error("InvalidParameter", self.sns.tag_resource, ResourceArn=arn,
                   Tags=[{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}],
                   message="Invalid parameter: Duplicated keys are not allowed.")
        self.error("ResourceNotFound", self.sns.list_tags_for_resource, ResourceArn=TOPIC_PREFIX + "missing")


class SubscriptionTests(SnsTestCase):
    def test_subscribe_attributes_and_listing(self):
        # S: test_not_found_error_on_set_subscription_attributes, test_subscribe_idempotency.
        topic = self.topic()
        _, queue_arn = self.queue()
        sub = self.subscribe(topic, queue_arn)
        self.assertRegex(sub, "^" + re.escape(topic) + ":" + UUID_RE + "$")
        attrs = self.sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
        for k, v in {"ConfirmationWasAuthenticated": "true", "Endpoint": queue_arn, "Owner": DEFAULT_ACCOUNT,
                     "PendingConfirmation": "false", "Protocol": "sqs", "RawMessageDelivery": "false",
                     "SubscriptionArn": sub, "TopicArn": topic}.items():
            self.assertEqual(attrs[k], v, k)
        self.assertEqual(self.subscribe(topic, queue_arn), sub)  # idempotent
        by_topic = self.sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        self.assertEqual(by_topic, [{"SubscriptionArn": sub, "Owner": DEFAULT_ACCOUNT, "Protocol": "sqs",
                                     "Endpoint": queue_arn, "TopicArn": topic}])
        self.assertIn(sub, [s["SubscriptionArn"] for s in self.sns.list_subscriptions()["Subscriptions"]])
        self.assertEqual(self.sns.get_topic_attributes(TopicArn=topic)["Attributes"]["SubscriptionsConfirmed"], "1")
        self.sns.unsubscribe(SubscriptionArn=sub)
        self.sns.unsubscribe(SubscriptionArn=sub)  # S: test_unsubscribe_idempotency
        self.error("NotFound", self.sns.get_subscription_attributes, SubscriptionArn=sub,
                   message="Subscription does not exist")
        self.assertEqual(self.sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"], [])

    def test_subscribe_errors(self):
        topic = self.topic()
        url, _ = self.queue()
        # S: test_subscribe_sqs_queue_url, a queue URL is not an endpoint.
        self.error("InvalidParameter", self.sns.subscribe, TopicArn=topic, Protocol="sqs", Endpoint=url,
                   message="Invalid parameter: SQS endpoint ARN")
        _, fifo_arn = self.queue(fifo=True)
        self.error("InvalidParameter", self.sns.subscribe, TopicArn=topic, Protocol="sqs", Endpoint=fifo_arn,
                   message="Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be "
                           "subscribed to standard SNS topics")
        self.error("NotFound", self.sns.subscribe, TopicArn=TOPIC_PREFIX + "missing", Protocol="sqs",
                   Endpoint="arn:aws:sqs:us-east-1:000000000000:x")
        self.error("InvalidParameter", self.sns.unsubscribe, SubscriptionArn="garbage",
                   message="Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1")

    def test_filter_policy_errors(self):
        # S: test_sns_filter_policy.py validation tests (the texts before Jackson's position).
        topic = self.topic()
        _, queue_arn = self.queue()
        sub = self.subscribe(topic, queue_arn)
        cases = [
            ({"key": [{"numeric": [">", 3, "<", 1]}]}, "Bottom must be less than top"),
            ({"key": []}, "Empty arrays are not allowed"),
            ({"key": [{"suffix": 100}]}, "suffix match pattern must be a string"),
            ({"key": [{"anything-but": {"suffix": "test"}}]}, "Unsupported anything-but pattern: suffix"),
            ({"key": [{"exists": "no"}]}, "exists match pattern must be either true or false."),
            ({"key": [{"wrong-operator": True}]}, "Unrecognized match type wrong-operator"),
            ({"key": [{"cidr": "bad-filter"}]}, "Malformed CIDR, one '/' required"),
            ({"key_a": "value_one"}, '"key_a" must be an object or an array'),
            ({"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"], "f": ["1"]},
             "Filter policy can not have more than 5 keys"),
            ({"a": list(range(10)), "b": list(range(10)), "c": list(range(2))}, "Filter policy is too complex"),
        ]
        for policy, reason in cases:
            err = self.error("InvalidParameter", self.sns.set_subscription_attributes, SubscriptionArn=sub,
                             AttributeName="FilterPolicy", AttributeValue=json.dumps(policy))
            self.assertTrue(err["Message"].startswith("Invalid parameter: FilterPolicy: " + reason), err["Message"])
        err = self.error("InvalidParameter", self.sns.subscribe, TopicArn=topic, Protocol="sqs",
                         Endpoint=self.queue()[1], Attributes={"FilterPolicy": json.dumps({"key": []})})
        self.assertTrue(err["Message"].startswith("Invalid parameter: Attributes Reason: FilterPolicy: Empty arrays"))
        self.error("InvalidParameter", self.sns.set_subscription_attributes, SubscriptionArn=sub,
                   AttributeName="FilterPolicy", AttributeValue=json.dumps({"a": {"b": ["c"]}}),
                   message="Invalid parameter: Filter policy scope MessageAttributes does not support nested "
                           "filter policy")
        self.error("InvalidParameter", self.sns.set_subscription_attributes, SubscriptionArn=sub,
                   AttributeName="FilterPolicyScope", AttributeValue="RandomValue",
                   message="Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either "
                           "MessageBody or MessageAttributes")


class PublishTests(SnsTestCase):
    def test_envelope_as_aws_writes_it(self):
        # D: sns-sqs-as-subscriber (member order, " : " separators); S: test_subscribe_sqs_queue.
        topic = self.topic()
        url, queue_arn = self.queue()
        sub = self.subscribe(topic, queue_arn)
        r = self.sns.publish(TopicArn=topic, Message="hello", Subject="greeting",
                             MessageAttributes={"attr1": {"DataType": "Number", "StringValue": "99.12"},
                                                "bin": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
        self.assertRegex(r["MessageId"], "^" + UUID_RE + "$")
        [m] = self.receive(url)
        body = m["Body"]
        self.assertTrue(body.startswith('{\n  "Type" : "Notification",\n  "MessageId" : "%s",' % r["MessageId"]), body)
        envelope = json.loads(body)
        self.assertEqual(list(envelope), ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp",
                                          "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL",
                                          "MessageAttributes"])
        self.assertEqual(envelope["TopicArn"], topic)
        self.assertEqual(envelope["Message"], "hello")
        self.assertEqual(envelope["Subject"], "greeting")
        self.assertEqual(envelope["SignatureVersion"], "1")
        self.assertRegex(envelope["Timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertTrue(envelope["UnsubscribeURL"].endswith("/?Action=Unsubscribe&SubscriptionArn=" + sub))
        self.assertEqual(envelope["MessageAttributes"],
                         {"attr1": {"Type": "Number", "Value": "99.12"},
                          "bin": {"Type": "Binary", "Value": base64.b64encode(b"\x00\x01").decode()}})
        self.assertNotIn("MessageAttributes", m)  # the attributes travel in the envelope

    def test_no_subject_no_attributes(self):
        topic = self.topic()
        url, queue_arn = self.queue()
        self.subscribe(topic, queue_arn)
        self.sns.publish(TopicArn=topic, Message="plain")
        [m] = self.receive(url)
        envelope = json.loads(m["Body"])
        self.assertNotIn("Subject", envelope)
        self.assertNotIn("MessageAttributes", envelope)

    def test_unsubscribe_url_works(self):
        import urllib.request
        topic = self.topic()
        url, queue_arn = self.queue()
        sub = self.subscribe(topic, queue_arn)
        self.sns.publish(TopicArn=topic, Message="x")
        [m] = self.receive(url)
        with urllib.request.urlopen(json.loads(m["Body"])["UnsubscribeURL"], timeout=5) as resp:
            self.assertEqual(resp.status, 200)
        self.assertEqual(self.sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"], [])

    def test_raw_delivery(self):
        topic = self.topic()
        url, queue_arn = self.queue()
        self.subscribe(topic, queue_arn, RawMessageDelivery="true")
        self.sns.publish(TopicArn=topic, Message="raw body",
                         MessageAttributes={"color": {"DataType": "String", "StringValue": "red"}})
        [m] = self.receive(url)
        self.assertEqual(m["Body"], "raw body")
        self.assertEqual(m["MessageAttributes"], {"color": {"DataType": "String", "StringValue": "red"}})

    def test_fan_out_to_every_queue(self):
        topic = self.topic()
        urls = []
        for _ in range(3):
            url, arn = self.queue()
            self.subscribe(topic, arn)
            urls.append(url)
        self.sns.publish(TopicArn=topic, Message="all")
        for url in urls:
            [m] = self.receive(url)
            self.assertEqual(json.loads(m["Body"])["Message"], "all")

    def test_filter_policy_on_attributes(self):
        topic = self.topic()
        url, queue_arn = self.queue()
        policy = {"color": ["red", {"prefix": "bl"}], "size": [{"numeric": [">", 0, "<=", 100]}],
                  "tags": [{"anything-but": ["spam"]}]}
        self.subscribe(topic, queue_arn, FilterPolicy=json.dumps(policy))

        def attrs(color, size, tags):
            return {"color": {"DataType": "String", "StringValue": color},
                    "size": {"DataType": "Number", "StringValue": size},
                    "tags": {"DataType": "String.Array", "StringValue": json.dumps(tags)}}

        self.sns.publish(TopicArn=topic, Message="no", MessageAttributes=attrs("green", "5", ["a"]))
        self.sns.publish(TopicArn=topic, Message="no", MessageAttributes=attrs("red", "500", ["a"]))
        self.sns.publish(TopicArn=topic, Message="no", MessageAttributes=attrs("red", "5", ["spam"]))
        self.sns.publish(TopicArn=topic, Message="no")
        self.sns.publish(TopicArn=topic, Message="yes1", MessageAttributes=attrs("red", "5", ["a", "b"]))
        self.sns.publish(TopicArn=topic, Message="yes2", MessageAttributes=attrs("blue", "100", ["x"]))
        got = self.receive(url, count=2)
        self.assertEqual(sorted(json.loads(m["Body"])["Message"] for m in got), ["yes1", "yes2"])
        self.nothing_in(url)

    def test_filter_policy_on_body(self):
        topic = self.topic()
        url, queue_arn = self.queue()
        policy = {"order": {"kind": [{"equals-ignore-case": "BOOK"}], "price": [{"exists": True}]},
                  "$or": [{"region": ["eu"]}, {"vip": [True]}]}
        self.subscribe(topic, queue_arn, FilterPolicyScope="MessageBody", FilterPolicy=json.dumps(policy))
        for message in [{"order": {"kind": "book", "price": 3}, "region": "us"},
                        {"order": {"kind": "pen", "price": 3}, "region": "eu"},
                        {"order": {"kind": "book"}, "region": "eu"},
                        "not json"]:
            self.sns.publish(TopicArn=topic, Message=json.dumps(message) if isinstance(message, dict) else message)
        self.sns.publish(TopicArn=topic, Message=json.dumps({"order": {"kind": "Book", "price": 1}, "vip": True}))
        [m] = self.receive(url)
        self.assertEqual(json.loads(json.loads(m["Body"])["Message"])["vip"], True)
        self.nothing_in(url)

    def test_message_structure_json(self):
        topic = self.topic()
        url, queue_arn = self.queue()
        self.subscribe(topic, queue_arn)
        self.sns.publish(TopicArn=topic, MessageStructure="json",
                         Message=json.dumps({"default": "for all", "sqs": "for queues"}))
        [m] = self.receive(url)
        self.assertEqual(json.loads(m["Body"])["Message"], "for queues")
        self.error("InvalidParameter", self.sns.publish, TopicArn=topic, MessageStructure="json",
                   Message=json.dumps({"sqs": "x"}),
                   message="Invalid parameter: Message Structure - No default entry in JSON message body")

    def test_publish_errors(self):
        topic = self.topic()
        self.error("NotFound", self.sns.publish, TopicArn=TOPIC_PREFIX + "missing", Message="x")
        self.error("InvalidParameter", self.sns.publish, TopicArn=topic, Message="x" * (256 * 1024 + 1),
                   message="Invalid parameter: Message too long")
        self.error("ParameterValueInvalid", self.sns.publish, TopicArn=topic, Message="x",
                   MessageAttributes={"attr1": {"DataType": "Integer", "StringValue": "1"}},
                   message="The message attribute 'attr1' has an invalid message attribute type, the set of "
                           "supported type prefixes is Binary, Number, and String.")
        self.error("ParameterValueInvalid", self.sns.publish, TopicArn=topic, Message="x",
                   MessageAttributes={"a..b": {"DataType": "String", "StringValue": "1"}},
                   message="Message attribute name can not have successive '.' character.")

    def test_publish_batch(self):
        topic = self.topic()
        url, queue_arn = self.queue()
        self.subscribe(topic, queue_arn)
        r = self.sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
            {"Id": "1", "Message": "one"}, {"Id": "2", "Message": "two"}])
        self.assertEqual([s["Id"] for s in r["Successful"]], ["1", "2"])
        self.assertEqual(r["Failed"], [])
        for s in r["Successful"]:
            self.assertRegex(s["MessageId"], "^" + UUID_RE + "$")
        got = self.receive(url, count=2)
        self.assertEqual(sorted(json.loads(m["Body"])["Message"] for m in got), ["one", "two"])
        # S: test_empty_or_wrong_message_attributes: a bad entry fails the call, none is published.
        self.error("ParameterValueInvalid", self.sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[
            {"Id": "1", "Message": "fine"},
            {"Id": "2", "Message": "bad", "MessageAttributes": {"attr1": {"DataType": "String", "BinaryValue": b"x"}}}],
            message="The message attribute 'attr1' with type 'String' must use field 'String'.")
        self.nothing_in(url)
        # S: test_publish_batch_exceptions
        self.error("TooManyEntriesInBatchRequest", self.sns.publish_batch, TopicArn=topic,
                   PublishBatchRequestEntries=[{"Id": str(i), "Message": "m"} for i in range(11)],
                   message="The batch request contains more entries than permissible.")
        self.error("BatchEntryIdsNotDistinct", self.sns.publish_batch, TopicArn=topic,
                   PublishBatchRequestEntries=[{"Id": "1", "Message": "m"}, {"Id": "1", "Message": "m"}],
                   message="Two or more batch entries in the request have the same Id.")
        self.error("InvalidBatchEntryId", self.sns.publish_batch, TopicArn=topic,
                   PublishBatchRequestEntries=[{"Id": "message.id", "Message": "m"}],
                   message="The Id of a batch entry in the batch request contains an impermissible character: "
                           "message.id")

    def test_fifo_in_order_with_dedup(self):
        # S: test_message_to_fifo_sqs (the FIFO envelope: SequenceNumber, no signature fields).
        topic = self.topic(fifo=True)
        url, queue_arn = self.queue(fifo=True)
        self.subscribe(topic, queue_arn)
        self.error("InvalidParameter", self.sns.publish, TopicArn=topic, Message="x", MessageDeduplicationId="d",
                   message="Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
        self.error("InvalidParameter", self.sns.publish, TopicArn=topic, Message="x", MessageGroupId="g",
                   message="Invalid parameter: The topic should either have ContentBasedDeduplication enabled or "
                           "MessageDeduplicationId provided explicitly")
        sequence = []
        for i in range(8):
            r = self.sns.publish(TopicArn=topic, Message="m%d" % i, MessageGroupId="g", MessageDeduplicationId="d%d" % i)
            sequence.append(int(r["SequenceNumber"]))
        self.assertEqual(sequence, sorted(sequence))
        again = self.sns.publish(TopicArn=topic, Message="m0", MessageGroupId="g", MessageDeduplicationId="d0")
        got = []
        for _ in range(8):
            got += self.receive(url)
            if len(got) >= 8:
                break
        envelopes = [json.loads(m["Body"]) for m in got]
        self.assertEqual([e["Message"] for e in envelopes], ["m%d" % i for i in range(8)])
        self.assertEqual(list(envelopes[0]), ["Type", "MessageId", "SequenceNumber", "TopicArn", "Message",
                                              "Timestamp", "UnsubscribeURL"])
        self.assertEqual(again["MessageId"], envelopes[0]["MessageId"])
        self.assertEqual(got[0]["Attributes"]["MessageGroupId"], "g")
        self.assertEqual(got[0]["Attributes"]["MessageDeduplicationId"], "d0")
        self.nothing_in(url)

    def test_fifo_content_based_dedup(self):
        topic = self.topic(fifo=True, ContentBasedDeduplication="true")
        url, queue_arn = self.queue(fifo=True)
        self.subscribe(topic, queue_arn)
        a = self.sns.publish(TopicArn=topic, Message="same", MessageGroupId="g")
        b = self.sns.publish(TopicArn=topic, Message="same", MessageGroupId="g")
        self.assertEqual(a["MessageId"], b["MessageId"])
        self.assertEqual(len(self.receive(url)), 1)
        self.nothing_in(url)

    def test_redrive_policy_when_queue_is_gone(self):
        # S: test_redrive_policy_sqs_queue_subscription (the queue deleted, the message in the DLQ).
        topic = self.topic()
        name = unique_name("gone")
        gone_url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        gone_arn = self.sqs.get_queue_attributes(QueueUrl=gone_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        dlq_url, dlq_arn = self.queue()
        sub = self.subscribe(topic, gone_arn, RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn}))
        self.assertEqual(json.loads(self.sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
                                    ["RedrivePolicy"]), {"deadLetterTargetArn": dlq_arn})
        self.sqs.delete_queue(QueueUrl=gone_url)
        self.sns.publish(TopicArn=topic, Message="undeliverable",
                         MessageAttributes={"attr1": {"DataType": "Number", "StringValue": "1"}})
        [m] = self.receive(dlq_url)
        envelope = json.loads(m["Body"])
        self.assertEqual(envelope["Message"], "undeliverable")
        self.assertEqual(envelope["MessageAttributes"], {"attr1": {"Type": "Number", "Value": "1"}})


class StepFunctionsTests(SnsTestCase):
    """`arn:aws:states:::sns:publish` and `aws-sdk:sns:*` (D: connect-sns in the Step Functions guide)."""

    def run_machine(self, definition, input_=None):
        import time
        sfn = DAEMON.client("stepfunctions")
        arn = sfn.create_state_machine(name=unique_name("sm"), definition=json.dumps(definition),
                                       roleArn="arn:aws:iam::%s:role/r" % DEFAULT_ACCOUNT)["stateMachineArn"]
        self.addCleanup(sfn.delete_state_machine, stateMachineArn=arn)
        ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(input_ or {}))["executionArn"]
        d = poll_until(lambda: (lambda r: r if r["status"] != "RUNNING" else None)(
            sfn.describe_execution(executionArn=ex)), 10)
        self.assertTrue(d, "the execution did not end")
        return d

    def test_publish_task(self):
        topic = self.topic()
        url, queue_arn = self.queue()
        self.subscribe(topic, queue_arn)
        d = self.run_machine({"StartAt": "P", "States": {"P": {
            "Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": True,
            "Parameters": {"TopicArn": topic, "Message": {"order.$": "$.order"},
                           "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "x"}}}}}},
            {"order": 7})
        self.assertEqual(d["status"], "SUCCEEDED", d)
        output = json.loads(d["output"])
        self.assertRegex(output["MessageId"], "^" + UUID_RE + "$")
        self.assertEqual(output["SdkHttpMetadata"]["HttpStatusCode"], 200)
        [m] = self.receive(url)
        envelope = json.loads(m["Body"])
        self.assertEqual(json.loads(envelope["Message"]), {"order": 7})
        self.assertEqual(envelope["MessageAttributes"], {"kind": {"Type": "String", "Value": "x"}})

    def test_publish_wait_for_task_token(self):
        # The subscriber gets the token in the message and answers for the task.
        import threading
        topic = self.topic()
        url, queue_arn = self.queue()
        self.subscribe(topic, queue_arn, RawMessageDelivery="true")
        sfn = DAEMON.client("stepfunctions")

        def answer():
            [m] = self.receive(url, timeout=8)
            sfn.send_task_success(taskToken=json.loads(m["Body"])["token"], output=json.dumps({"done": True}))

        worker = threading.Thread(target=answer)
        worker.start()
        d = self.run_machine({"StartAt": "P", "States": {"P": {
            "Type": "Task", "Resource": "arn:aws:states:::sns:publish.waitForTaskToken", "End": True,
            "Parameters": {"TopicArn": topic, "Message": {"token.$": "$$.Task.Token"}}}}})
        worker.join()
        self.assertEqual(d["status"], "SUCCEEDED", d)
        self.assertEqual(json.loads(d["output"]), {"done": True})

    def test_errors_and_sdk_integration(self):
        d = self.run_machine({"StartAt": "P", "States": {"P": {
            "Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": True,
            "Parameters": {"TopicArn": TOPIC_PREFIX + "missing", "Message": "x"}}}})
        self.assertEqual(d["status"], "FAILED")
        self.assertEqual(d["error"], "SNS.NotFoundException")
        self.assertTrue(d["cause"].startswith("Topic does not exist (Service: AmazonSNS; Status Code: 404;"), d["cause"])
        topic = self.topic()
        d = self.run_machine({"StartAt": "A", "States": {"A": {
            "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sns:getTopicAttributes", "End": True,
            "Parameters": {"TopicArn": topic}}}})
        self.assertEqual(d["status"], "SUCCEEDED", d)
        self.assertEqual(json.loads(d["output"])["Attributes"]["TopicArn"], topic)


class SnsCliTests(SnsTestCase):
    def aws(self, *args, expect_rc=0):
        cmd = [sys.executable, "-m", "awscli", "--endpoint-url", DAEMON.endpoint, "--output", "json", "sns"]
        return run_cli(self, cmd + list(args), expect_rc=expect_rc)

    def test_topic_subscribe_publish(self):
        name = unique_name("cli")
        arn = cli_json(self.aws("create-topic", "--name", name))["TopicArn"]
        self.addCleanup(self.sns.delete_topic, TopicArn=arn)
        self.assertEqual(arn, TOPIC_PREFIX + name)
        self.assertIn(arn, [t["TopicArn"] for t in cli_json(self.aws("list-topics"))["Topics"]])
        url, queue_arn = self.queue()
        sub = cli_json(self.aws("subscribe", "--topic-arn", arn, "--protocol", "sqs",
                                "--notification-endpoint", queue_arn,
                                "--attributes", json.dumps({"FilterPolicy": json.dumps({"n": [{"numeric": [">", 1]}]})})))
        self.assertTrue(sub["SubscriptionArn"].startswith(arn + ":"))
        self.aws("publish", "--topic-arn", arn, "--message", "small", "--message-attributes",
                 json.dumps({"n": {"DataType": "Number", "StringValue": "1"}}))
        out = cli_json(self.aws("publish", "--topic-arn", arn, "--message", "big", "--message-attributes",
                                json.dumps({"n": {"DataType": "Number", "StringValue": "2"}})))
        [m] = self.receive(url)
        self.assertEqual(json.loads(m["Body"])["MessageId"], out["MessageId"])
        self.nothing_in(url)

    def test_errors(self):
        p = self.aws("get-topic-attributes", "--topic-arn", TOPIC_PREFIX + "missing", expect_rc=255)
        self.assertIn("An error occurred (NotFound) when calling the GetTopicAttributes operation", p.stderr)
        self.assertTrue(p.stderr.strip().endswith(": Topic does not exist"), p.stderr)
        p = self.aws("create-topic", "--name", "bad name", expect_rc=255)
        self.assertIn("(InvalidParameter)", p.stderr)


if __name__ == "__main__":
    unittest.main()
