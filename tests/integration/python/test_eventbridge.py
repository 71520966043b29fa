"""EventBridge through boto3 (JSON 1.1, X-Amz-Target: AWSEvents.<Op>) and the AWS CLI v1.

One daemon at --time-scale 0.01 (a retry wait of 60 s lasts 0.6 s, rate(1 minute) fires every
0.6 s). Targets are the daemon's own SQS queues and Step Functions state machines.

The oracle: docs/research/eventbridge-behaviour.md (AWS documentation, moto's recorded texts, the
botocore model). Error codes are what boto3 users see in e.response["Error"]["Code"].
"""
import json
import subprocess
import sys
import unittest

from botocore.exceptions import ClientError

from harness import DEFAULT_ACCOUNT, REGION, Daemon, cli_json, poll_until, run_cli, unique_name

SCALE = 0.01
DAEMON = None
CLI = [sys.executable, "-m", "awscli"]
ROLE = "arn:aws:iam::%s:role/sluice-events-test" % DEFAULT_ACCOUNT


def setUpModule():
    global DAEMON
    DAEMON = Daemon(time_scale=SCALE, name="eventbridge").start()


def tearDownModule():
    if DAEMON is not None:
        DAEMON.stop()


class EventBridgeBoto3Tests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.events = DAEMON.client("events")
        cls.sqs = DAEMON.client("sqs")
        cls.sfn = DAEMON.client("stepfunctions")

    def queue(self, fifo=False):
        name = unique_name("eb") + (".fifo" if fifo else "")
        attrs = {"FifoQueue": "true"} if fifo else {}
        url = self.sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
        arn = "arn:aws:sqs:%s:%s:%s" % (REGION, DEFAULT_ACCOUNT, name)
        return url, arn

    def receive(self, url, count=1, timeout=5.0):
        got = []

        def enough():
            r = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"],
                                         AttributeNames=["All"], WaitTimeSeconds=0)
            got.extend(r.get("Messages", []))
            return len(got) >= count
        poll_until(enough, timeout)
        return got

    def error(self, code, fn, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(**kw)
        self.assertEqual(cm.exception.response["Error"]["Code"], code)
        return cm.exception.response["Error"]["Message"]

    def test_default_bus_and_custom_buses(self):
        d = self.events.describe_event_bus()
        self.assertEqual(d["Name"], "default")
        self.assertEqual(d["Arn"], "arn:aws:events:%s:%s:event-bus/default" % (REGION, DEFAULT_ACCOUNT))
        name = unique_name("bus")
        arn = self.events.create_event_bus(Name=name)["EventBusArn"]
        self.assertTrue(arn.endswith(":event-bus/" + name))
        self.assertIn(name, [b["Name"] for b in self.events.list_event_buses(NamePrefix="bus")["EventBuses"]])
        msg = self.error("ResourceAlreadyExistsException", self.events.create_event_bus, Name=name)
        self.assertEqual(msg, "Event bus %s already exists." % name)
        self.assertEqual(self.error("ValidationException", self.events.delete_event_bus, Name="default"),
                         "Cannot delete event bus default.")
        self.events.delete_event_bus(Name=name)
        self.error("ResourceNotFoundException", self.events.describe_event_bus, Name=name)

    def test_rules_list_pages_and_delete_with_targets(self):
        prefix = unique_name("rule")
        for i in range(3):
            self.events.put_rule(Name="%s-%d" % (prefix, i), EventPattern=json.dumps({"source": ["x"]}))
        page = self.events.list_rules(NamePrefix=prefix, Limit=2)
        self.assertEqual(len(page["Rules"]), 2)
        rest = self.events.list_rules(NamePrefix=prefix, Limit=2, NextToken=page["NextToken"])
        self.assertEqual([r["Name"] for r in rest["Rules"]], [prefix + "-2"])
        self.assertNotIn("NextToken", rest)
        paginated = [r["Name"] for p in self.events.get_paginator("list_rules").paginate(NamePrefix=prefix)
                     for r in p["Rules"]]
        self.assertEqual(len(paginated), 3)
        _, arn = self.queue()
        self.events.put_targets(Rule=prefix + "-0", Targets=[{"Id": "q", "Arn": arn}])
        self.assertEqual(self.error("ValidationException", self.events.delete_rule, Name=prefix + "-0"),
                         "Rule can't be deleted since it has targets.")
        self.assertEqual(self.events.list_rule_names_by_target(TargetArn=arn)["RuleNames"], [prefix + "-0"])
        self.events.disable_rule(Name=prefix + "-1")
        self.assertEqual(self.events.describe_rule(Name=prefix + "-1")["State"], "DISABLED")
        msg = self.error("InvalidEventPatternException", self.events.put_rule, Name=prefix + "-bad",
                         EventPattern='{"source": "x"}')
        self.assertTrue(msg.startswith("Event pattern is not valid. Reason: "), msg)
        self.error("ValidationException", self.events.put_rule, Name=prefix + "-s", ScheduleExpression="rate(1 minutes)")

    def test_put_events_to_sqs_with_entry_errors_and_transformer(self):
        url, arn = self.queue()
        rule = unique_name("r")
        source = unique_name("shop")
        self.events.put_rule(Name=rule, EventPattern=json.dumps({"source": [source], "detail": {"total": [{"numeric": [">", 100]}]}}))
        out = self.events.put_targets(Rule=rule, Targets=[
            {"Id": "raw", "Arn": arn},
            {"Id": "tx", "Arn": arn, "InputTransformer": {
                "InputPathsMap": {"total": "$.detail.total", "who": "$.detail.who"},
                "InputTemplate": '{"total": <total>, "line": "<who> spent <total>"}'}},
            {"Id": "fn", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:f"}])
        self.assertEqual(out["FailedEntryCount"], 1)
        self.assertEqual(out["FailedEntries"][0]["TargetId"], "fn")
        r = self.events.put_events(Entries=[
            {"Source": source, "DetailType": "order", "Detail": json.dumps({"total": 120, "who": "Ann"})},
            {"Source": source, "DetailType": "order", "Detail": json.dumps({"total": 5, "who": "Bo"})},
            {"DetailType": "order", "Detail": "{}"},
            {"Source": source, "DetailType": "order", "Detail": "not json"}])
        self.assertEqual(r["FailedEntryCount"], 2)
        self.assertEqual(r["Entries"][2]["ErrorCode"], "InvalidArgument")
        self.assertEqual(r["Entries"][3], {"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."})
        messages = self.receive(url, 2)
        bodies = sorted((m["Body"] for m in messages), key=len)
        self.assertEqual(len(bodies), 2)
        self.assertEqual(json.loads(bodies[0]), {"total": 120, "line": "Ann spent 120"})
        event = json.loads(bodies[1])
        self.assertEqual(event["id"], r["Entries"][0]["EventId"])
        self.assertEqual(set(event), {"version", "id", "detail-type", "source", "account", "time", "region",
                                      "resources", "detail"})
        self.assertEqual((event["account"], event["region"]), (DEFAULT_ACCOUNT, REGION))

    def test_fifo_target_needs_message_group(self):
        url, arn = self.queue(fifo=True)
        rule = unique_name("fifo")
        self.events.put_rule(Name=rule, EventPattern=json.dumps({"source": [rule]}))
        self.assertEqual(self.error("ValidationException", self.events.put_targets, Rule=rule,
                                    Targets=[{"Id": "f", "Arn": arn}]),
                         "Parameter(s) SqsParameters must be specified for target: f.")
        self.events.put_targets(Rule=rule, Targets=[{"Id": "f", "Arn": arn, "SqsParameters": {"MessageGroupId": "g"}}])
        self.events.put_events(Entries=[{"Source": rule, "DetailType": "t", "Detail": "{}"}])
        m = self.receive(url)
        self.assertEqual(m[0]["Attributes"]["MessageGroupId"], "g")

    def test_step_functions_target_and_dead_letter_queue(self):
        definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
        sm = self.sfn.create_state_machine(name=unique_name("sm"), definition=json.dumps(definition),
                                           roleArn=ROLE)["stateMachineArn"]
        dlq_url, dlq_arn = self.queue()
        rule = unique_name("sfn")
        rule_arn = self.events.put_rule(Name=rule, EventPattern=json.dumps({"source": [rule]}))["RuleArn"]
        self.events.put_targets(Rule=rule, Targets=[{"Id": "sm", "Arn": sm, "DeadLetterConfig": {"Arn": dlq_arn},
                                                     "RetryPolicy": {"MaximumRetryAttempts": 2}}])
        self.events.put_events(Entries=[{"Source": rule, "DetailType": "t", "Detail": '{"n": 1}'}])
        executions = poll_until(lambda: self.sfn.list_executions(stateMachineArn=sm)["executions"], 5.0)
        self.assertEqual(len(executions), 1)
        # The state machine is deleted: AWS sends to the DLQ at once, without retries (eb-rule-dlq).
        self.sfn.delete_state_machine(stateMachineArn=sm)
        event_id = self.events.put_events(Entries=[{"Source": rule, "DetailType": "t", "Detail": '{"n": 2}'}])[
            "Entries"][0]["EventId"]
        m = self.receive(dlq_url)
        self.assertEqual(len(m), 1)
        self.assertEqual(json.loads(m[0]["Body"])["id"], event_id)
        attrs = {k: v["StringValue"] for k, v in m[0]["MessageAttributes"].items()}
        self.assertEqual(attrs["ERROR_CODE"], "NO_RESOURCE")
        self.assertEqual(attrs["RETRY_ATTEMPTS"], "0")
        self.assertEqual(attrs["RULE_ARN"], rule_arn)
        self.assertEqual(attrs["TARGET_ARN"], sm)

    def test_scheduled_rule_fires_on_scaled_clock(self):
        url, arn = self.queue()
        rule = unique_name("tick")
        self.events.put_rule(Name=rule, ScheduleExpression="rate(1 minute)")
        self.events.put_targets(Rule=rule, Targets=[{"Id": "q", "Arn": arn}])
        m = self.receive(url, 2, timeout=10.0)  # a minute is 0.6 s
        self.assertGreaterEqual(len(m), 2)
        event = json.loads(m[0]["Body"])
        self.assertEqual((event["source"], event["detail-type"]), ("aws.events", "Scheduled Event"))
        self.events.remove_targets(Rule=rule, Ids=["q"])
        self.events.delete_rule(Name=rule)

    def test_test_event_pattern_and_tags(self):
        event = {"id": "1", "account": DEFAULT_ACCOUNT, "source": "s", "time": "2026-12-08T00:00:00Z",
                 "region": REGION, "resources": [], "detail-type": "d", "detail": {"a": 1}}
        self.assertTrue(self.events.test_event_pattern(EventPattern='{"detail": {"a": [1]}}',
                                                       Event=json.dumps(event))["Result"])
        self.assertFalse(self.events.test_event_pattern(EventPattern='{"source": ["t"]}',
                                                        Event=json.dumps(event))["Result"])
        rule = unique_name("tag")
        arn = self.events.put_rule(Name=rule, EventPattern='{"source": ["s"]}', Tags=[{"Key": "a", "Value": "1"}])["RuleArn"]
        self.events.tag_resource(ResourceARN=arn, Tags=[{"Key": "b", "Value": "2"}])
        self.events.untag_resource(ResourceARN=arn, TagKeys=["a"])
        self.assertEqual(self.events.list_tags_for_resource(ResourceARN=arn)["Tags"], [{"Key": "b", "Value": "2"}])


class EventBridgeCliTests(unittest.TestCase):
    def aws(self, *args, expect_rc=0):
        return run_cli(self, CLI + ["--endpoint-url", DAEMON.endpoint, "--output", "json", "events"] + list(args),
                       expect_rc=expect_rc)

    def test_rule_target_put_events(self):
        rule = unique_name("cli")
        arn = cli_json(self.aws("put-rule", "--name", rule, "--event-pattern", '{"source": ["cli"]}'))["RuleArn"]
        self.assertTrue(arn.endswith(":rule/" + rule))
        self.assertEqual(cli_json(self.aws("describe-rule", "--name", rule))["State"], "ENABLED")
        out = cli_json(self.aws("put-events", "--entries",
                                json.dumps([{"Source": "cli", "DetailType": "t", "Detail": "{}"}, {"Source": "cli"}])))
        self.assertEqual(out["FailedEntryCount"], 1)
        p = self.aws("describe-rule", "--name", unique_name("missing"), expect_rc=255)
        self.assertIn("ResourceNotFoundException", p.stderr)
        self.aws("delete-rule", "--name", rule)


if __name__ == "__main__":
    unittest.main()
