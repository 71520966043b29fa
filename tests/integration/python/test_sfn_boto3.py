"""Step Functions through boto3 (JSON 1.0, X-Amz-Target: AWSStepFunctions.<Op>).

One daemon at --time-scale 0.01 (a 10 s Wait lasts 0.1 s, a 60 s activity poll 0.6 s, an SQS
visibility timeout of 30 s 0.3 s). The SQS queues that `sqs:sendMessage.waitForTaskToken` tasks
write to live in the same daemon and are read with boto3's SQS client.

The oracle is AWS: docs/research/sfn-behaviour.md (LocalStack snapshots recorded against AWS,
AWS documentation, the botocore model), cited per test as S/D/M like that file does. Error codes
are the ones boto3 users see in e.response["Error"]["Code"] (the part of `__type` after '#').

boto3 prefixes StartSyncExecution's host with "sync-" (the model's hostPrefix); against a local
endpoint that is turned off with Config(inject_host_prefix=False), as AWS's own docs for local
testing do.

After the module the daemon must exit 0 on SIGTERM and its stderr must hold no sanitizer report
(the binary may be an ASan/UBSan build).
"""
import hashlib
import json
import os
import re
import subprocess
import tempfile
import threading
import time
import unittest
from datetime import datetime

from botocore.exceptions import ClientError

from harness import DEFAULT_ACCOUNT, REGION, Daemon, poll_until, unique_name

SCALE = 0.01
DAEMON = None
ROLE = "arn:aws:iam::%s:role/sluice-sfn-test" % DEFAULT_ACCOUNT
SM_PREFIX = "arn:aws:states:%s:%s:stateMachine:" % (REGION, DEFAULT_ACCOUNT)
EXEC_PREFIX = "arn:aws:states:%s:%s:execution:" % (REGION, DEFAULT_ACCOUNT)
EXPRESS_PREFIX = "arn:aws:states:%s:%s:express:" % (REGION, DEFAULT_ACCOUNT)
ACTIVITY_PREFIX = "arn:aws:states:%s:%s:activity:" % (REGION, DEFAULT_ACCOUNT)
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def setUpModule():
    global DAEMON
    DAEMON = Daemon(time_scale=SCALE, name="sfn-boto3").start()


def tearDownModule():
    if DAEMON is not None:
        DAEMON.stop()  # also fails on a sanitizer report in its stderr


def pass_machine(result=None, name="State_1"):
    state = {"Type": "Pass", "End": True}
    if result is not None:
        state["Result"] = result
    return {"StartAt": name, "States": {name: state}}


WAIT_FOREVER = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 100000, "End": True}}}


def strip_history(events):
    """Events without timestamps, JSON text members parsed, for comparing with AWS recordings."""
    out = []
    for e in events:
        e = dict(e)
        e.pop("timestamp", None)
        for k, v in list(e.items()):
            if k.endswith("EventDetails") and isinstance(v, dict):
                v = dict(v)
                for f in ("input", "output", "parameters"):
                    if isinstance(v.get(f), str):
                        v[f] = json.loads(v[f])
                e[k] = v
        out.append(e)
    return out


class SfnCase(unittest.TestCase):
    def setUp(self):
        self.sfn = DAEMON.client("stepfunctions", inject_host_prefix=False)
        self.sqs = DAEMON.client("sqs")

    # ------------------------------------------------------------ helpers
    def machine(self, definition, type_=None, name=None, **kw):
        """Creates a state machine (deleted after the test) and returns its ARN."""
        name = name or unique_name("sm")
        text = definition if isinstance(definition, str) else json.dumps(definition)
        args = dict(name=name, definition=text, roleArn=ROLE, **kw)
        if type_:
            args["type"] = type_
        r = self.sfn.create_state_machine(**args)
        self.addCleanup(self._quiet, self.sfn.delete_state_machine, stateMachineArn=r["stateMachineArn"])
        return r["stateMachineArn"]

    @staticmethod
    def _quiet(fn, **kw):
        try:
            fn(**kw)
        except Exception:
            pass

    def start(self, arn, input_=None, name=None, **kw):
        args = dict(stateMachineArn=arn, **kw)
        if input_ is not None:
            args["input"] = input_ if isinstance(input_, str) else json.dumps(input_)
        if name is not None:
            args["name"] = name
        return self.sfn.start_execution(**args)["executionArn"]

    def wait(self, exec_arn, timeout=10.0, status=None):
        """Polls DescribeExecution until the execution is no longer RUNNING; returns it."""
        box = {}

        def done():
            box["d"] = self.sfn.describe_execution(executionArn=exec_arn)
            return box["d"]["status"] != "RUNNING"

        poll_until(done, timeout)
        d = box["d"]
        self.assertNotEqual(d["status"], "RUNNING", "%s still RUNNING after %.1f s" % (exec_arn, timeout))
        if status is not None:
            self.assertEqual(d["status"], status, d)
        return d

    def run_machine(self, definition, input_=None, type_=None, status="SUCCEEDED"):
        arn = self.machine(definition, type_=type_)
        e = self.start(arn, input_)
        return arn, e, self.wait(e, status=status)

    def events(self, exec_arn, **kw):
        out, token = [], None
        while True:
            args = dict(executionArn=exec_arn, **kw)
            if token:
                args["nextToken"] = token
            r = self.sfn.get_execution_history(**args)
            out += r["events"]
            token = r.get("nextToken")
            if not token:
                return out

    def types(self, exec_arn):
        return [e["type"] for e in self.events(exec_arn)]

    def error(self, code, fn, *a, message=None, message_re=None, status=400, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(*a, **kw)
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)
        if message is not None:
            self.assertEqual(err["Message"], message)
        if message_re is not None:
            self.assertRegex(err["Message"], message_re)
        return err

    def queue(self):
        url = self.sqs.create_queue(QueueName=unique_name("sfnq"))["QueueUrl"]
        self.addCleanup(self._quiet, self.sqs.delete_queue, QueueUrl=url)
        return url

    def receive_body(self, url, timeout=5.0):
        """Waits for one message, deletes it, returns (parsed body, raw body)."""
        box = []

        def attempt():
            msgs = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1,
                                            WaitTimeSeconds=0).get("Messages", [])
            box[:] = msgs
            return msgs

        self.assertTrue(poll_until(attempt, timeout), "no message within %.1f s" % timeout)
        m = box[0]
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return json.loads(m["Body"]), m["Body"]

    def callback_machine(self, url, extra=None, catch=None, next_state=None):
        """Task: sqs:sendMessage.waitForTaskToken with {Input, TaskToken} as the body."""
        task = {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": url,
                               "MessageBody": {"Input.$": "$", "TaskToken.$": "$$.Task.Token"}}}
        task.update(extra or {})
        states = {"T": task}
        if catch:
            task["Catch"] = catch
            states["Caught"] = {"Type": "Pass", "End": True}
        if next_state:
            task["Next"] = "After"
            states["After"] = next_state
        else:
            task["End"] = True
        return {"StartAt": "T", "States": states}


# ====================================================================== state machines
class StateMachineTests(SfnCase):
    def test_create_and_describe_standard(self):
        name = unique_name("std")
        # Definition text is kept verbatim, whitespace included (S test_create_exact_duplicate_sm).
        text = '{"StartAt": "P",\n  "States": {"P": {"Type": "Pass", "End": true}}}'
        arn = self.machine(text, name=name)
        self.assertEqual(arn, SM_PREFIX + name)
        d = self.sfn.describe_state_machine(stateMachineArn=arn)
        d.pop("ResponseMetadata")
        self.assertIsInstance(d.pop("creationDate"), datetime)
        self.assertEqual(d, {
            "stateMachineArn": arn, "name": name, "status": "ACTIVE", "definition": text,
            "roleArn": ROLE, "type": "STANDARD",
            "loggingConfiguration": {"level": "OFF", "includeExecutionData": False},
            "tracingConfiguration": {"enabled": False},
            "encryptionConfiguration": {"type": "AWS_OWNED_KEY"},
        })  # no revisionId before the first update (S)

    def test_create_returns_arn_and_creation_date_only(self):
        name = unique_name("shape")
        r = self.sfn.create_state_machine(name=name, definition=json.dumps(pass_machine()), roleArn=ROLE)
        self.addCleanup(self._quiet, self.sfn.delete_state_machine, stateMachineArn=r["stateMachineArn"])
        r.pop("ResponseMetadata")
        self.assertEqual(set(r), {"stateMachineArn", "creationDate"})

    def test_create_and_describe_express(self):
        name = unique_name("exp")
        arn = self.machine(pass_machine(), type_="EXPRESS", name=name)
        d = self.sfn.describe_state_machine(stateMachineArn=arn)
        self.assertEqual(d["type"], "EXPRESS")
        listed = [m for m in self.list_all_machines() if m["stateMachineArn"] == arn]
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]["type"], "EXPRESS")
        self.assertEqual(listed[0]["name"], name)

    def list_all_machines(self, page=None):
        out, token = [], None
        while True:
            kw = {}
            if page:
                kw["maxResults"] = page
            if token:
                kw["nextToken"] = token
            r = self.sfn.list_state_machines(**kw)
            out += r["stateMachines"]
            token = r.get("nextToken")
            if not token:
                return out

    def test_create_is_idempotent(self):
        # Identical request -> 200 with the same ARN and creationDate (D CreateStateMachine).
        name = unique_name("idem")
        text = json.dumps(pass_machine())
        a = self.sfn.create_state_machine(name=name, definition=text, roleArn=ROLE)
        self.addCleanup(self._quiet, self.sfn.delete_state_machine, stateMachineArn=a["stateMachineArn"])
        b = self.sfn.create_state_machine(name=name, definition=text, roleArn=ROLE)
        self.assertEqual(a["stateMachineArn"], b["stateMachineArn"])
        self.assertEqual(a["creationDate"], b["creationDate"])

    def test_create_conflicts_with_different_definition_or_type(self):
        name = unique_name("conflict")
        text = json.dumps(pass_machine())
        arn = self.machine(text, name=name)
        msg = "State Machine Already Exists: '%s'" % arn
        # Even a whitespace-only difference is a different definition (S).
        self.error("StateMachineAlreadyExists", self.sfn.create_state_machine, name=name,
                   definition=text + " ", roleArn=ROLE, message=msg)
        self.error("StateMachineAlreadyExists", self.sfn.create_state_machine, name=name,
                   definition=text, roleArn=ROLE, type="EXPRESS", message=msg)

    def test_list_state_machines_items_and_pagination(self):
        arns = {self.machine(pass_machine()) for _ in range(3)}
        items = self.list_all_machines(page=1)
        mine = [m for m in items if m["stateMachineArn"] in arns]
        self.assertEqual(len(mine), 3)
        for m in mine:
            self.assertEqual(set(m), {"stateMachineArn", "name", "type", "creationDate"})
        self.assertEqual(len(items), len({m["stateMachineArn"] for m in items}), "a page repeated an item")
        self.assertEqual({m["stateMachineArn"] for m in items},
                         {m["stateMachineArn"] for m in self.list_all_machines()})

    def test_update_state_machine(self):
        arn = self.machine(pass_machine({"v": 1}))
        new = json.dumps(pass_machine({"v": 2}))
        u = self.sfn.update_state_machine(stateMachineArn=arn, definition=new)
        self.assertIsInstance(u["updateDate"], datetime)
        self.assertRegex(u["revisionId"], UUID_RE)
        self.assertNotIn("stateMachineVersionArn", u)
        d = self.sfn.describe_state_machine(stateMachineArn=arn)
        self.assertEqual(d["definition"], new)
        self.assertEqual(d["revisionId"], u["revisionId"])
        role2 = "arn:aws:iam::%s:role/other" % DEFAULT_ACCOUNT
        u2 = self.sfn.update_state_machine(stateMachineArn=arn, roleArn=role2)
        self.assertNotEqual(u2["revisionId"], u["revisionId"])
        d = self.sfn.describe_state_machine(stateMachineArn=arn)
        self.assertEqual(d["roleArn"], role2)
        self.assertEqual(d["definition"], new)
        # New executions run the new definition.
        e = self.start(arn)
        self.assertEqual(json.loads(self.wait(e, status="SUCCEEDED")["output"]), {"v": 2})

    def test_update_state_machine_errors(self):
        arn = self.machine(pass_machine())
        self.error("MissingRequiredParameter", self.sfn.update_state_machine, stateMachineArn=arn,
                   message="Either the definition, the role ARN, the LoggingConfiguration, "
                           "or the TracingConfiguration must be specified")
        self.error("ValidationException", self.sfn.update_state_machine, stateMachineArn=arn,
                   definition=json.dumps(pass_machine({"x": 1})), publish=False, versionDescription="d",
                   message="Version description can only be set when publish is true")
        missing = SM_PREFIX + unique_name("missing")
        self.error("StateMachineDoesNotExist", self.sfn.update_state_machine, stateMachineArn=missing,
                   definition=json.dumps(pass_machine()),
                   message="State Machine Does Not Exist: '%s'" % missing)
        self.error("InvalidDefinition", self.sfn.update_state_machine, stateMachineArn=arn,
                   definition=json.dumps({"StartAt": "P"}),
                   message="Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: "
                           "These fields are required: [States] at /'")

    def test_delete_state_machine(self):
        name = unique_name("del")
        r = self.sfn.create_state_machine(name=name, definition=json.dumps(pass_machine()), roleArn=ROLE)
        arn = r["stateMachineArn"]
        self.sfn.delete_state_machine(stateMachineArn=arn)
        self.error("StateMachineDoesNotExist", self.sfn.describe_state_machine, stateMachineArn=arn,
                   message="State Machine Does Not Exist: '%s'" % arn)
        self.assertNotIn(arn, [m["stateMachineArn"] for m in self.list_all_machines()])
        # Deleting what is not there succeeds (research 2b).
        self.sfn.delete_state_machine(stateMachineArn=arn)

    def test_invalid_arn(self):
        for op, kw in [(self.sfn.describe_state_machine, {"stateMachineArn": "not_a_valid_arn"}),
                       (self.sfn.list_executions, {"stateMachineArn": "not_a_valid_arn"}),
                       (self.sfn.describe_execution, {"executionArn": "not_a_valid_arn"}),
                       (self.sfn.get_execution_history, {"executionArn": "not_a_valid_arn"}),
                       (self.sfn.publish_state_machine_version, {"stateMachineArn": "not_a_valid_arn"})]:
            with self.subTest(op=op.__name__):
                self.error("InvalidArn", op, **kw, message="Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'")

    def test_invalid_name(self):
        text = json.dumps(pass_machine())
        for bad in ["bad name", "a:b", "a/b", "x*", "tab\there", "semi;colon", "br{ace}"]:
            with self.subTest(name=bad):
                self.error("InvalidName", self.sfn.create_state_machine, name=bad, definition=text,
                           roleArn=ROLE, message="Invalid Name: '%s'" % bad)

    def test_validation_exception_on_bad_enum_and_max_results(self):
        err = self.error("ValidationException", self.sfn.create_state_machine, name=unique_name("v"),
                         definition=json.dumps(pass_machine()), roleArn=ROLE, type="FOO")
        self.assertTrue(err["Message"].startswith(
            "1 validation error detected: Value 'FOO' at 'type' failed to satisfy constraint: "
            "Member must satisfy enum value set: ["), err["Message"])
        self.error("ValidationException", self.sfn.list_state_machines, maxResults=1001,
                   message="1 validation error detected: Value '1001' at 'maxResults' failed to satisfy "
                           "constraint: Member must have value less than or equal to 1000")
        arn = self.machine(pass_machine())
        err = self.error("ValidationException", self.sfn.list_executions, stateMachineArn=arn,
                         statusFilter="succeeded")
        self.assertTrue(err["Message"].startswith(
            "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy "
            "constraint: Member must satisfy enum value set: ["), err["Message"])

    def test_express_refuses_sync_callback_and_activity_tasks(self):
        # S (research 2b): Express machines do not support .sync, .waitForTaskToken or activities.
        cases = [
            ("StartExecution", "arn:aws:states:::states:startExecution.sync",
             "Express state machine does not support '.sync' service integration at "
             "/States/StartExecution/Resource"),
            ("Publish", "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
             "Express state machine does not support '.waitForTaskToken' service integration  at "
             "/States/Publish/Resource"),
            ("ActivityTask", ACTIVITY_PREFIX + "some-activity",
             "Express state machine does not support Activity ARN at /States/ActivityTask/Resource"),
        ]
        for state, resource, text in cases:
            with self.subTest(resource=resource):
                definition = {"StartAt": state, "States": {state: {
                    "Type": "Task", "Resource": resource, "End": True,
                    "Parameters": {"StateMachineArn": SM_PREFIX + "x", "QueueUrl": "http://q",
                                   "MessageBody": {"t.$": "$$.Task.Token"}}}}}
                if resource.startswith(ACTIVITY_PREFIX):
                    del definition["States"][state]["Parameters"]
                self.error("InvalidDefinition", self.sfn.create_state_machine, name=unique_name("ex"),
                           definition=json.dumps(definition), roleArn=ROLE, type="EXPRESS",
                           message="Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: %s'" % text)


# ====================================================================== definition checks
class DefinitionTests(SfnCase):
    def create_error(self, definition):
        return self.error("InvalidDefinition", self.sfn.create_state_machine, name=unique_name("bad"),
                          definition=json.dumps(definition), roleArn=ROLE)["Message"]

    def test_unknown_state_type(self):
        # S: test_state_name_invalid_state_definition (template base_invalid_state_definition).
        msg = self.create_error({"Comment": "x", "StartAt": "ExistingButInvalidState", "States": {
            "ExistingButInvalidState": {"Type": "TypeThatDoesNotExist", "End": True}}})
        self.assertEqual(msg, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' "
                              "should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, "
                              "Parallel, Map] at /States/ExistingButInvalidState/Type'")

    def test_missing_next_target_and_unreachable_state(self):
        # AWS answer quoted in localstack issue #11978 / PR #12487.
        msg = self.create_error({"StartAt": "pass1", "States": {
            "pass1": {"Type": "Pass", "Next": "pass3"}, "pass2": {"Type": "Pass", "End": True}}})
        self.assertEqual(msg, "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' "
                              "target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" "
                              "is not reachable. at /States/pass2'")

    def test_missing_start_at_target(self):
        # AWS answer quoted in serverless-step-functions issue #250.
        msg = self.create_error({"StartAt": "aws_own.run_step", "States": {
            "run_step": {"Type": "Pass", "End": True}}})
        self.assertEqual(msg, "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' "
                              "target: aws_own.run_step at /StartAt, MISSING_TRANSITION_TARGET: State "
                              "\"run_step\" is not reachable. at /States/run_step'")

    def test_unreachable_state(self):
        msg = self.create_error({"StartAt": "P", "States": {
            "P": {"Type": "Pass", "End": True}, "Q": {"Type": "Pass", "End": True}}})
        self.assertEqual(msg, "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: State \"Q\" "
                              "is not reachable. at /States/Q'")

    def test_output_path_not_a_path(self):
        # AWS answer quoted in cfn-lint issue #4078 (OutputPath "Test").
        msg = self.create_error({"StartAt": "Pass", "States": {"Pass": {"Type": "Pass", "OutputPath": "Test", "End": True}}})
        self.assertEqual(msg, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value must be a valid "
                              "JSONPath. at /States/Pass/OutputPath'")

    def test_dynamic_field_neither_path_nor_intrinsic(self):
        # LocalStack's AWS recording (test_illegal_escapes, ESCAPE_SEQUENCES_ILLEGAL_INTRINSIC_FUNCTION): the
        # problem is reported at the object holding the `.$` field; a plain string gets the same text.
        for value in ["States.Format('Hello \\{}', $.name)x(", "Test"]:
            with self.subTest(value=value):
                msg = self.create_error({"StartAt": "IntrinsicEscape", "States": {"IntrinsicEscape": {
                    "Type": "Pass", "Parameters": {"parsed.$": value}, "End": True}}})
                self.assertEqual(msg, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for "
                                      "the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function "
                                      "call at /States/IntrinsicEscape/Parameters'")

    def test_choice_variable_not_a_reference_path(self):
        # AWS's answer quoted in a Terraform user's post (Variable "States.ArrayLength($.Arns)"); the location
        # form is AWS's own (Stedi-Public-Archive/ts2asl#912).
        msg = self.create_error({"StartAt": "Check", "States": {
            "Check": {"Type": "Choice", "Choices": [
                {"Variable": "States.ArrayLength($.Arns)", "NumericGreaterThan": 0, "Next": "Done"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}}})
        self.assertEqual(msg, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value is not a "
                              "Reference Path: Reference path didn't start with '$' at /States/Check/Choices[0]/Variable'")

    def test_result_path_not_a_reference_path(self):
        for value in ["result", "$.items[*]"]:
            with self.subTest(value=value):
                msg = self.create_error({"StartAt": "P", "States": {
                    "P": {"Type": "Pass", "ResultPath": value, "End": True}}})
                self.assertTrue(msg.startswith("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value is "
                                               "not a Reference Path: "), msg)
                self.assertTrue(msg.endswith(" at /States/P/ResultPath'"), msg)

    def test_choice_without_match_fails_with_states_runtime(self):
        # Recorded on AWS (tiny-asl-machine's conformance snapshots): not States.NoChoiceMatched.
        _, _, d = self.run_machine({"StartAt": "Check", "States": {
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Done"}]},
            "Done": {"Type": "Succeed"}}}, {"n": 2}, status="FAILED")
        self.assertEqual(d["error"], "States.Runtime")
        self.assertEqual(d["cause"], "An error occurred while executing the state 'Check' (entered at the event id "
                                     "#2). Failed to transition out of the state. The state does not point to a next state.")

    def test_required_fields(self):
        msg = self.create_error({"StartAt": "P"})
        self.assertEqual(msg, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are "
                              "required: [States] at /'")

    def test_validate_ok(self):
        r = self.sfn.validate_state_machine_definition(definition=json.dumps(pass_machine()))
        r.pop("ResponseMetadata")
        self.assertEqual(r, {"result": "OK", "diagnostics": [], "truncated": False})

    def test_validate_empty_object(self):
        r = self.sfn.validate_state_machine_definition(definition="{}")
        self.assertEqual(r["result"], "FAIL")
        self.assertFalse(r["truncated"])
        self.assertEqual(r["diagnostics"], [{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED",
                                             "message": "These fields are required: [States, StartAt]",
                                             "location": "/"}])

    def test_validate_lists_each_problem(self):
        r = self.sfn.validate_state_machine_definition(definition=json.dumps({"StartAt": "pass1", "States": {
            "pass1": {"Type": "Pass", "Next": "pass3"}, "pass2": {"Type": "Pass", "End": True}}}))
        self.assertEqual(r["result"], "FAIL")
        self.assertEqual([(d["severity"], d["code"], d["message"], d.get("location")) for d in r["diagnostics"]], [
            ("ERROR", "MISSING_TRANSITION_TARGET", "Missing 'Next' target: pass3", "/States/pass1/Next"),
            ("ERROR", "MISSING_TRANSITION_TARGET", 'State "pass2" is not reachable.', "/States/pass2")])

    def test_validate_not_json(self):
        # The second: a number too large for a double, which the fuzzer found answered with a 500.
        for text in ["not a definition", '{"StartAt": "P", "States": {"P": {"Type": "Wait", "Seconds": 1e999999, "End": true}}}']:
            with self.subTest(definition=text):
                r = self.sfn.validate_state_machine_definition(definition=text)
                self.assertEqual(r["result"], "FAIL")
                self.assertEqual([d["code"] for d in r["diagnostics"]], ["INVALID_JSON_DESCRIPTION"])


# ====================================================================== versions and aliases
class VersionAliasTests(SfnCase):
    def test_publish_on_create_and_describe_version(self):
        name = unique_name("ver")
        text = json.dumps(pass_machine({"v": 1}))
        r = self.sfn.create_state_machine(name=name, definition=text, roleArn=ROLE, publish=True,
                                          versionDescription="first")
        arn = r["stateMachineArn"]
        self.addCleanup(self._quiet, self.sfn.delete_state_machine, stateMachineArn=arn)
        self.assertEqual(r["stateMachineVersionArn"], arn + ":1")
        v = self.sfn.describe_state_machine(stateMachineArn=arn + ":1")
        self.assertEqual(v["stateMachineArn"], arn + ":1")
        self.assertEqual(v["description"], "first")
        self.assertEqual(v["definition"], text)
        # The version CreateStateMachine published has no revisionId, like the machine itself (AWS's
        # recording test_create_publish_describe_with_version_description).
        self.assertNotIn("revisionId", v)
        self.assertNotIn("revisionId", self.sfn.describe_state_machine(stateMachineArn=arn))
        self.error("StateMachineDoesNotExist", self.sfn.describe_state_machine, stateMachineArn=arn + ":9",
                   message="State Machine Does Not Exist: '%s:9'" % arn)

    def test_publish_versions_on_update_and_explicitly(self):
        arn = self.machine(pass_machine({"v": 1}))
        p1 = self.sfn.publish_state_machine_version(stateMachineArn=arn, description="one")
        self.assertEqual(p1["stateMachineVersionArn"], arn + ":1")
        self.assertIsInstance(p1["creationDate"], datetime)
        # Publishing an unchanged revision again is idempotent (S).
        again = self.sfn.publish_state_machine_version(stateMachineArn=arn)
        self.assertEqual(again["stateMachineVersionArn"], arn + ":1")
        self.assertEqual(again["creationDate"], p1["creationDate"])
        u = self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_machine({"v": 2})),
                                          publish=True, versionDescription="two")
        self.assertEqual(u["stateMachineVersionArn"], arn + ":2")
        self.assertRegex(u["revisionId"], UUID_RE)
        # publish with no change: the existing version, no revisionId (S test_empty_revision_with_publish...).
        same = self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_machine({"v": 2})),
                                             publish=True)
        self.assertEqual(same["stateMachineVersionArn"], arn + ":2")
        self.assertNotIn("revisionId", same)
        stale = "00000000-0000-0000-0000-000000000000"
        self.error("ConflictException", self.sfn.publish_state_machine_version, stateMachineArn=arn,
                   revisionId=stale,
                   message="Failed to publish the State Machine version for revision %s. The current State "
                           "Machine revision is %s." % (stale, u["revisionId"]))
        ok = self.sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=u["revisionId"])
        self.assertEqual(ok["stateMachineVersionArn"], arn + ":2")
        # Versions are immutable: version 1 still runs the old definition.
        e1 = self.start(arn + ":1")
        self.assertEqual(json.loads(self.wait(e1, status="SUCCEEDED")["output"]), {"v": 1})

    def test_list_and_delete_versions(self):
        arn = self.machine(pass_machine({"v": 0}))
        for i in (1, 2, 3):
            self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_machine({"v": i})),
                                          publish=True)
        listed = self.sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
        self.assertEqual([v["stateMachineVersionArn"] for v in listed], [arn + ":3", arn + ":2", arn + ":1"])
        for v in listed:
            self.assertEqual(set(v), {"stateMachineVersionArn", "creationDate"})
        page = self.sfn.list_state_machine_versions(stateMachineArn=arn, maxResults=2)
        self.assertEqual(len(page["stateMachineVersions"]), 2)
        rest = self.sfn.list_state_machine_versions(stateMachineArn=arn, maxResults=2, nextToken=page["nextToken"])
        self.assertEqual([v["stateMachineVersionArn"] for v in rest["stateMachineVersions"]], [arn + ":1"])
        self.assertNotIn("nextToken", rest)
        self.sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":3")
        listed = self.sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
        self.assertEqual([v["stateMachineVersionArn"] for v in listed], [arn + ":2", arn + ":1"])
        # Version numbers are never reused (S).
        u = self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_machine({"v": 4})),
                                          publish=True)
        self.assertEqual(u["stateMachineVersionArn"], arn + ":4")

    def two_versions(self):
        arn = self.machine(pass_machine({"v": 1}), publish=True)
        self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_machine({"v": 2})),
                                      publish=True)
        return arn

    def test_alias_lifecycle(self):
        arn = self.two_versions()
        route1 = [{"stateMachineVersionArn": arn + ":1", "weight": 100}]
        c = self.sfn.create_state_machine_alias(name="live", description="d1", routingConfiguration=route1)
        alias = arn + ":live"
        self.assertEqual(c["stateMachineAliasArn"], alias)
        # Same request again: idempotent (S test_idempotent_create_alias).
        c2 = self.sfn.create_state_machine_alias(name="live", description="d1", routingConfiguration=route1)
        self.assertEqual(c2["stateMachineAliasArn"], alias)
        self.assertEqual(c2["creationDate"], c["creationDate"])
        conflict = ("Failed to create alias because an alias with the same name and a different routing "
                    "configuration already exists.")
        self.error("ConflictException", self.sfn.create_state_machine_alias, name="live", description="other",
                   routingConfiguration=route1, message=conflict)
        self.error("ConflictException", self.sfn.create_state_machine_alias, name="live", description="d1",
                   routingConfiguration=[{"stateMachineVersionArn": arn + ":2", "weight": 100}], message=conflict)
        d = self.sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
        d.pop("ResponseMetadata")
        self.assertIsInstance(d.pop("updateDate"), datetime)
        self.assertEqual(d, {"stateMachineAliasArn": alias, "name": "live", "description": "d1",
                             "routingConfiguration": route1, "creationDate": c["creationDate"]})
        split = [{"stateMachineVersionArn": arn + ":1", "weight": 50},
                 {"stateMachineVersionArn": arn + ":2", "weight": 50}]
        u = self.sfn.update_state_machine_alias(stateMachineAliasArn=alias, routingConfiguration=split)
        self.assertIsInstance(u["updateDate"], datetime)
        self.sfn.update_state_machine_alias(stateMachineAliasArn=alias, description="new description")
        d = self.sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
        self.assertEqual(d["routingConfiguration"], split)
        self.assertEqual(d["description"], "new description")
        self.sfn.create_state_machine_alias(name="second", routingConfiguration=route1)
        listed = self.sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"]
        self.assertEqual(sorted(a["stateMachineAliasArn"] for a in listed), [alias, arn + ":second"])
        for a in listed:
            self.assertEqual(set(a), {"stateMachineAliasArn", "creationDate"})
        # S test_delete_version_with_alias: aliases named in sorted order.
        self.error("ConflictException", self.sfn.delete_state_machine_version, stateMachineVersionArn=arn + ":2",
                   message="Version to be deleted must not be referenced by an alias. Current list of "
                           "aliases referencing this version: [live]")
        self.error("ResourceNotFound", self.sfn.update_state_machine_alias, stateMachineAliasArn=arn + ":nope",
                   description="x", message="Request references a resource that does not exist.")
        self.sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
        self.sfn.delete_state_machine_alias(stateMachineAliasArn=alias)  # S: deleting again is 200
        self.sfn.delete_state_machine_alias(stateMachineAliasArn=arn + ":second")
        self.assertEqual(self.sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"], [])
        self.sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":2")

    def test_alias_routing_validation(self):
        # Every message below is recorded from AWS (S test_error_create_alias_invalid_router_configs,
        # test_error_create_alias_with_state_machine_arn, test_error_create_alias_invalid_name).
        arn = self.two_versions()
        self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_machine({"v": 3})),
                                      publish=True)
        v1, v2, v3 = arn + ":1", arn + ":2", arn + ":3"
        create = self.sfn.create_state_machine_alias

        def r(*pairs):
            return [{"stateMachineVersionArn": a, "weight": w} for a, w in pairs]

        cases = [
            ("unqualified", r((arn, 50), (v2, 50)),
             "Routing configuration must contain state machine version ARNs. Received: [%s, %s]" % (arn, v2)),
            ("unqualified-only", r((arn, 100)),
             "Routing configuration must contain state machine version ARNs. Received: [%s]" % arn),
            ("duplicate", r((v1, 50), (v1, 50)),
             "Routing configuration must contain distinct state machine version ARNs. Received: [%s, %s]" % (v1, v1)),
            ("sum-low", r((v1, 70), (v2, 29)), "Sum of routing configuration weights must equal 100. Received: [70, 29]"),
            ("sum-high", r((v1, 70), (v2, 31)), "Sum of routing configuration weights must equal 100. Received: [70, 31]"),
            ("weight-101", r((v1, 101)),
             "1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy "
             "constraint: Member must have value less than or equal to 100"),
        ]
        for label, routing, message in cases:
            with self.subTest(case=label):
                self.error("ValidationException", create, name="a", routingConfiguration=routing, message=message)
        with self.subTest(case="three-routes"):
            err = self.error("ValidationException", create, name="a", routingConfiguration=r((v1, 50), (v2, 30), (v3, 20)))
            self.assertTrue(err["Message"].startswith("1 validation error detected: Value '"), err["Message"])
            self.assertTrue(err["Message"].endswith("' at 'routingConfiguration' failed to satisfy constraint: "
                                                    "Member must have length less than or equal to 2"), err["Message"])
        route = [{"stateMachineVersionArn": v1, "weight": 100}]
        for bad in ["123", "INVALID ALIAS", "!INVALID", "ALIAS@"]:
            with self.subTest(alias=bad):
                self.error("ValidationException", create, name=bad, routingConfiguration=route,
                           message="1 validation error detected: Value '%s' at 'name' failed to satisfy "
                                   "constraint: Member must satisfy regular expression pattern: "
                                   "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$" % bad)
        self.error("ValidationException", create, name="A" * 81, routingConfiguration=route,
                   message="1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: "
                           "Member must have length less than or equal to 80" % ("A" * 81))

    def test_start_execution_through_alias_and_version(self):
        # S test_base_lifecycle_create_invoke_describe_list.
        arn = self.two_versions()
        name = arn[len(SM_PREFIX):]
        self.sfn.create_state_machine_alias(name="prod", routingConfiguration=[
            {"stateMachineVersionArn": arn + ":1", "weight": 100}])
        alias = arn + ":prod"
        self.addCleanup(self._quiet, self.sfn.delete_state_machine_alias, stateMachineAliasArn=alias)
        ea = self.start(alias, name="via-alias")
        self.assertEqual(ea, EXEC_PREFIX + name + ":via-alias")
        da = self.wait(ea, status="SUCCEEDED")
        self.assertEqual(da["stateMachineArn"], arn)
        self.assertEqual(da["stateMachineAliasArn"], alias)
        self.assertEqual(da["stateMachineVersionArn"], arn + ":1")
        self.assertEqual(json.loads(da["output"]), {"v": 1})
        ev = self.start(arn + ":2", name="via-version")
        dv = self.wait(ev, status="SUCCEEDED")
        self.assertEqual(dv["stateMachineVersionArn"], arn + ":2")
        self.assertNotIn("stateMachineAliasArn", dv)
        self.assertEqual(json.loads(dv["output"]), {"v": 2})
        started = self.events(ea)[0]
        self.assertEqual(started["type"], "ExecutionStarted")
        self.assertEqual(started["executionStartedEventDetails"]["stateMachineAliasArn"], alias)
        self.assertEqual(started["executionStartedEventDetails"]["stateMachineVersionArn"], arn + ":1")
        items = self.sfn.list_executions(stateMachineArn=arn)["executions"]
        self.assertEqual([i["executionArn"] for i in items], [ev, ea])
        self.assertEqual(items[0]["stateMachineVersionArn"], arn + ":2")
        self.assertNotIn("stateMachineAliasArn", items[0])
        self.assertEqual(items[1]["stateMachineAliasArn"], alias)
        self.assertEqual(items[1]["stateMachineVersionArn"], arn + ":1")
        # Listing through the alias or version filters to executions started through it.
        via = self.sfn.list_executions(stateMachineArn=alias)["executions"]
        self.assertEqual([i["executionArn"] for i in via], [ea])
        for i in items:  # S: list items carry redriveCount 0
            self.assertEqual(i.get("redriveCount"), 0, i)


# ====================================================================== executions
class ExecutionTests(SfnCase):
    def test_pass_history_matches_aws(self):
        # S test_sfn_api.snapshot.json::test_start_execution (reproduced in research 1c).
        arn, e, d = self.run_machine(pass_machine({"Arg1": "argument1"}), "{}")
        self.assertEqual(strip_history(self.events(e)), [
            {"executionStartedEventDetails": {"input": {}, "inputDetails": {"truncated": False}, "roleArn": ROLE},
             "id": 1, "previousEventId": 0, "type": "ExecutionStarted"},
            {"id": 2, "previousEventId": 0, "stateEnteredEventDetails": {
                "input": {}, "inputDetails": {"truncated": False}, "name": "State_1"}, "type": "PassStateEntered"},
            {"id": 3, "previousEventId": 2, "stateExitedEventDetails": {
                "name": "State_1", "output": {"Arg1": "argument1"}, "outputDetails": {"truncated": False}},
             "type": "PassStateExited"},
            {"executionSucceededEventDetails": {"output": {"Arg1": "argument1"}, "outputDetails": {"truncated": False}},
             "id": 4, "previousEventId": 3, "type": "ExecutionSucceeded"}])
        stamps = [ev["timestamp"] for ev in self.events(e)]
        self.assertEqual(stamps, sorted(stamps))

    def test_start_and_describe(self):
        arn = self.machine(pass_machine({"Arg1": "argument1"}))
        name = unique_name("run")
        r = self.sfn.start_execution(stateMachineArn=arn, name=name, input='{"a": [1, 2]}')
        r.pop("ResponseMetadata")
        self.assertEqual(set(r), {"executionArn", "startDate"})
        self.assertEqual(r["executionArn"], EXEC_PREFIX + arn[len(SM_PREFIX):] + ":" + name)
        d = self.wait(r["executionArn"])
        d.pop("ResponseMetadata")
        self.assertEqual(d.pop("startDate"), r["startDate"])
        self.assertGreaterEqual(d.pop("stopDate"), r["startDate"])
        self.assertEqual(d, {
            "executionArn": r["executionArn"], "stateMachineArn": arn, "name": name, "status": "SUCCEEDED",
            "input": '{"a": [1, 2]}', "inputDetails": {"included": True},
            "output": '{"Arg1":"argument1"}', "outputDetails": {"included": True},
            "redriveCount": 0, "redriveStatus": "NOT_REDRIVABLE",
            "redriveStatusReason": "Execution is SUCCEEDED and cannot be redriven"})

    def test_running_execution_shape(self):
        arn = self.machine(WAIT_FOREVER)
        e = self.start(arn, {"k": 1})
        d = self.sfn.describe_execution(executionArn=e)
        self.assertEqual(d["status"], "RUNNING")
        self.assertNotIn("stopDate", d)
        self.assertNotIn("output", d)
        self.assertEqual(d["redriveStatus"], "NOT_REDRIVABLE")
        self.assertEqual(d["redriveStatusReason"], "Execution is RUNNING and cannot be redriven")
        self.sfn.stop_execution(executionArn=e)

    def test_default_name_is_a_uuid(self):
        arn = self.machine(pass_machine())
        e = self.start(arn)
        self.assertRegex(e, "^" + re.escape(EXEC_PREFIX + arn[len(SM_PREFIX):] + ":") + UUID_RE + "$")

    def test_execution_name_uniqueness(self):
        arn = self.machine(WAIT_FOREVER)
        r1 = self.sfn.start_execution(stateMachineArn=arn, name="same", input='{"k":1}')
        # Same name and input while RUNNING: the same execution (D StartExecution, idempotent).
        r2 = self.sfn.start_execution(stateMachineArn=arn, name="same", input='{"k":1}')
        self.assertEqual(r2["executionArn"], r1["executionArn"])
        self.assertEqual(r2["startDate"], r1["startDate"])
        msg = "Execution Already Exists: '%s'" % r1["executionArn"]
        self.error("ExecutionAlreadyExists", self.sfn.start_execution, stateMachineArn=arn, name="same",
                   input='{"k":2}', message=msg)
        self.sfn.stop_execution(executionArn=r1["executionArn"])
        self.wait(r1["executionArn"], status="ABORTED")
        # Closed executions keep their name (ExecutionAlreadyExists even with the same input).
        self.error("ExecutionAlreadyExists", self.sfn.start_execution, stateMachineArn=arn, name="same",
                   input='{"k":1}', message=msg)

    def test_start_errors(self):
        missing = SM_PREFIX + unique_name("nope")
        self.error("StateMachineDoesNotExist", self.sfn.start_execution, stateMachineArn=missing,
                   message="State Machine Does Not Exist: '%s'" % missing)
        arn = self.machine(pass_machine())
        self.error("InvalidName", self.sfn.start_execution, stateMachineArn=arn, name="bad:name",
                   message="Invalid Name: 'bad:name'")
        # "not json", and a number too large for a double (once a 500 from the JSON library's overflow).
        for text in ["not json", '{"n": 1e999999}']:
            with self.subTest(input=text):
                err = self.error("InvalidExecutionInput", self.sfn.start_execution, stateMachineArn=arn, input=text)
                self.assertTrue(err["Message"].startswith("Invalid State Machine Execution Input: '"), err["Message"])
        # Any JSON text is accepted, not only objects (S).
        for text in ["2", '"some text"', "null", "[1,2]"]:
            with self.subTest(input=text):
                e = self.start(arn, text)
                self.assertEqual(self.wait(e, status="SUCCEEDED")["input"], text)

    def test_describe_errors(self):
        arn = self.machine(pass_machine())
        missing = EXEC_PREFIX + arn[len(SM_PREFIX):] + ":nope"
        self.error("ExecutionDoesNotExist", self.sfn.describe_execution, executionArn=missing,
                   message="Execution Does Not Exist: '%s'" % missing)
        self.error("ExecutionDoesNotExist", self.sfn.get_execution_history, executionArn=missing,
                   message="Execution Does Not Exist: '%s'" % missing)
        self.error("ExecutionDoesNotExist", self.sfn.stop_execution, executionArn=missing,
                   message="Execution Does Not Exist: '%s'" % missing)

    def test_history_paging_reverse_and_ids(self):
        chain = {"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Pass", "Result": "done", "End": True}}}
        _, e, _ = self.run_machine(chain, {"x": 1})
        full = self.sfn.get_execution_history(executionArn=e)
        self.assertNotIn("nextToken", full)
        events = full["events"]
        self.assertEqual([ev["type"] for ev in events], [
            "ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered", "PassStateExited",
            "PassStateEntered", "PassStateExited", "ExecutionSucceeded"])
        self.assertEqual([ev["id"] for ev in events], list(range(1, 9)))
        self.assertEqual([ev["previousEventId"] for ev in events], [0, 0, 2, 3, 4, 5, 6, 7])
        paged = []
        r = self.sfn.get_execution_history(executionArn=e, maxResults=3)
        pages = 1
        paged += r["events"]
        while "nextToken" in r:
            r = self.sfn.get_execution_history(executionArn=e, maxResults=3, nextToken=r["nextToken"])
            paged += r["events"]
            pages += 1
        self.assertEqual(pages, 3)
        self.assertEqual(paged, events)
        rev = self.events(e, reverseOrder=True, maxResults=5)
        self.assertEqual([ev["id"] for ev in rev], list(range(8, 0, -1)))
        self.assertEqual(rev, list(reversed(events)))
        self.error("InvalidToken", self.sfn.get_execution_history, executionArn=e, nextToken="garbage",
                   message="Invalid Token: 'Invalid token'")

    def test_history_without_execution_data(self):
        _, e, _ = self.run_machine(pass_machine({"secret": 1}), {"secret": 0})
        events = self.events(e, includeExecutionData=False)
        self.assertEqual(len(events), 4)
        for ev in events:
            for k, v in ev.items():
                if k.endswith("EventDetails"):
                    self.assertNotIn("input", v, ev)
                    self.assertNotIn("output", v, ev)
        self.assertEqual(events[1]["stateEnteredEventDetails"]["name"], "State_1")

    def test_list_executions_status_filter_and_pagination(self):
        arn = self.machine(WAIT_FOREVER)
        names = ["e%d" % i for i in range(4)]
        arns = [self.start(arn, name=n) for n in names]
        self.sfn.stop_execution(executionArn=arns[1])
        self.wait(arns[1], status="ABORTED")
        everything = self.sfn.list_executions(stateMachineArn=arn)["executions"]
        self.assertEqual([x["name"] for x in everything], list(reversed(names)))  # newest first
        running = self.sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
        self.assertEqual([x["name"] for x in running], ["e3", "e2", "e0"])
        aborted = self.sfn.list_executions(stateMachineArn=arn, statusFilter="ABORTED")["executions"]
        self.assertEqual([x["name"] for x in aborted], ["e1"])
        self.assertIn("stopDate", aborted[0])
        self.assertEqual(self.sfn.list_executions(stateMachineArn=arn, statusFilter="SUCCEEDED")["executions"], [])
        seen, token, pages = [], None, 0
        while True:
            kw = {"stateMachineArn": arn, "maxResults": 1, "statusFilter": "RUNNING"}
            if token:
                kw["nextToken"] = token
            r = self.sfn.list_executions(**kw)
            pages += 1
            seen += [x["name"] for x in r["executions"]]
            token = r.get("nextToken")
            if not token:
                break
        self.assertEqual(seen, ["e3", "e2", "e0"])
        self.assertEqual(pages, 3)
        for a in arns:
            self.sfn.stop_execution(executionArn=a)

    def test_list_executions_items(self):
        # S test_sfn_api_aliasing::test_base_lifecycle_create_invoke_describe_list: items carry
        # redriveCount 0 (and stopDate once stopped).
        arn = self.machine(pass_machine())
        e = self.start(arn, name="only")
        self.wait(e)
        items = self.sfn.list_executions(stateMachineArn=arn)["executions"]
        self.assertEqual(len(items), 1)
        item = items[0]
        self.assertIsInstance(item.pop("startDate"), datetime)
        self.assertIsInstance(item.pop("stopDate"), datetime)
        self.assertEqual(item, {"executionArn": e, "stateMachineArn": arn, "name": "only", "status": "SUCCEEDED",
                                "redriveCount": 0})

    def test_list_executions_of_express_is_not_supported(self):
        arn = self.machine(pass_machine(), type_="EXPRESS")
        self.error("StateMachineTypeNotSupported", self.sfn.list_executions, stateMachineArn=arn,
                   message="This operation is not supported by this type of state machine")
        missing = SM_PREFIX + unique_name("nope")
        self.error("StateMachineDoesNotExist", self.sfn.list_executions, stateMachineArn=missing,
                   message="State Machine Does Not Exist: '%s'" % missing)

    def test_stop_execution(self):
        arn = self.machine(WAIT_FOREVER)
        e = self.start(arn, {"k": 1})
        # The first step is taken after StartExecution answers: stop once the Wait state is entered
        # (on a loaded machine the stop could otherwise come first, and the history is then shorter).
        self.assertTrue(poll_until(lambda: len(self.events(e)) >= 2, timeout=10))
        r = self.sfn.stop_execution(executionArn=e, error="MyError", cause="stopped by the test")
        self.assertIsInstance(r["stopDate"], datetime)
        d = self.wait(e, status="ABORTED")
        self.assertEqual(d["error"], "MyError")
        self.assertEqual(d["cause"], "stopped by the test")
        self.assertNotIn("output", d)
        self.assertEqual(d["redriveStatus"], "REDRIVABLE")
        self.assertNotIn("redriveStatusReason", d)
        events = self.events(e)
        self.assertEqual([ev["type"] for ev in events], ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"])
        last = events[-1]
        self.assertEqual(last["executionAbortedEventDetails"], {"error": "MyError", "cause": "stopped by the test"})
        e2 = self.start(arn)
        self.sfn.stop_execution(executionArn=e2)
        d2 = self.wait(e2, status="ABORTED")
        self.assertNotIn("error", d2)
        self.assertNotIn("cause", d2)
        aborted = self.events(e2)[-1]
        self.assertEqual(aborted["executionAbortedEventDetails"], {})
        # S test_sfn_api::test_stop_execution: ExecutionAborted has previousEventId 0.
        for label, ev in (("with-error", last), ("without-error", aborted)):
            with self.subTest(stop=label):
                self.assertEqual(ev["previousEventId"], 0)

    def test_fail_state(self):
        # S test_state_fail: FailStateEntered then ExecutionFailed, no FailStateExited.
        definition = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "SomeFailure", "Cause": "because"}}}
        _, e, d = self.run_machine(definition, status="FAILED")
        self.assertEqual((d["error"], d["cause"]), ("SomeFailure", "because"))
        self.assertEqual(d["redriveStatus"], "REDRIVABLE")
        self.assertNotIn("output", d)
        events = self.events(e)
        self.assertEqual([ev["type"] for ev in events], ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"])
        self.assertEqual(events[-1]["executionFailedEventDetails"], {"error": "SomeFailure", "cause": "because"})
        self.assertEqual(events[-1]["previousEventId"], 2)

    def test_fail_state_without_error_or_cause(self):
        # S test_state_fail_empty: executionFailedEventDetails {} and no error/cause in Describe.
        _, e, d = self.run_machine({"StartAt": "F", "States": {"F": {"Type": "Fail"}}}, status="FAILED")
        self.assertNotIn("error", d)
        self.assertNotIn("cause", d)
        self.assertEqual(self.events(e)[-1]["executionFailedEventDetails"], {})

    def test_choice_routes(self):
        definition = {"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Big"}],
                  "Default": "Small"},
            "Big": {"Type": "Pass", "Result": "big", "End": True},
            "Small": {"Type": "Pass", "Result": "small", "End": True}}}
        arn = self.machine(definition)
        big, small = self.start(arn, {"n": 7}), self.start(arn, {"n": 1})
        self.assertEqual(self.wait(big, status="SUCCEEDED")["output"], '"big"')
        self.assertEqual(self.wait(small, status="SUCCEEDED")["output"], '"small"')
        self.assertEqual(self.types(big), ["ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited",
                                           "PassStateEntered", "PassStateExited", "ExecutionSucceeded"])

    def test_redrive_failed_execution(self):
        url = self.queue()
        arn = self.machine(self.callback_machine(url))
        e = self.start(arn, {"attempt": "x"})
        body, _ = self.receive_body(url)
        self.sfn.send_task_failure(taskToken=body["TaskToken"], error="Flaky", cause="first try")
        d = self.wait(e, status="FAILED")
        self.assertEqual(d["redriveStatus"], "REDRIVABLE")
        r = self.sfn.redrive_execution(executionArn=e)
        self.assertIsInstance(r["redriveDate"], datetime)
        body2, _ = self.receive_body(url)
        self.assertNotEqual(body2["TaskToken"], body["TaskToken"])
        self.assertEqual(body2["Input"], {"attempt": "x"})
        self.sfn.send_task_success(taskToken=body2["TaskToken"], output='{"ok":true}')
        d = self.wait(e, status="SUCCEEDED")
        self.assertEqual(d["redriveCount"], 1)
        self.assertIsInstance(d["redriveDate"], datetime)
        self.assertEqual(json.loads(d["output"]), {"ok": True})
        types = self.types(e)
        self.assertIn("ExecutionRedriven", types)
        redriven = [ev for ev in self.events(e) if ev["type"] == "ExecutionRedriven"][0]
        self.assertEqual(redriven["executionRedrivenEventDetails"], {"redriveCount": 1})
        listed = self.sfn.list_executions(stateMachineArn=arn, redriveFilter="REDRIVEN")["executions"]
        self.assertEqual([x["executionArn"] for x in listed], [e])
        self.assertEqual(listed[0]["redriveCount"], 1)
        self.assertEqual(self.sfn.list_executions(stateMachineArn=arn, redriveFilter="NOT_REDRIVEN")["executions"], [])
        self.error("ExecutionNotRedrivable", self.sfn.redrive_execution, executionArn=e)

    def test_describe_state_machine_for_execution(self):
        first = json.dumps(pass_machine({"v": 1}))
        arn = self.machine(first)
        e = self.start(arn)
        self.wait(e)
        self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_machine({"v": 2})))
        d = self.sfn.describe_state_machine_for_execution(executionArn=e)
        d.pop("ResponseMetadata")
        self.assertEqual(d["definition"], first)  # what the execution ran
        self.assertEqual(d["stateMachineArn"], arn)
        self.assertEqual(d["roleArn"], ROLE)
        self.assertIsInstance(d["updateDate"], datetime)
        self.assertTrue({"definition", "loggingConfiguration", "name", "roleArn", "stateMachineArn",
                         "tracingConfiguration", "updateDate"} <= set(d), d)
        for absent in ("creationDate", "status", "type"):
            self.assertNotIn(absent, d)


# ====================================================================== Wait under --time-scale
class WaitTests(SfnCase):
    def test_wait_seconds_is_scaled(self):
        arn = self.machine({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}}})
        t0 = time.monotonic()
        e = self.start(arn, {"a": 1})
        d = self.wait(e, timeout=5, status="SUCCEEDED")
        elapsed = time.monotonic() - t0
        self.assertLess(elapsed, 2.0, "a 10 s Wait at time scale 0.01 should last about 0.1 s")
        self.assertGreaterEqual((d["stopDate"] - d["startDate"]).total_seconds(), 0.09)
        self.assertEqual(json.loads(d["output"]), {"a": 1})
        self.assertEqual(self.types(e), ["ExecutionStarted", "WaitStateEntered", "WaitStateExited",
                                         "ExecutionSucceeded"])

    def test_wait_seconds_path_and_timestamp(self):
        arn = self.machine({"StartAt": "W1", "States": {
            "W1": {"Type": "Wait", "SecondsPath": "$.s", "Next": "W2"},
            "W2": {"Type": "Wait", "Timestamp": "2020-01-01T00:00:00Z", "End": True}}})
        e = self.start(arn, {"s": 20})
        d = self.wait(e, timeout=5, status="SUCCEEDED")
        self.assertGreaterEqual((d["stopDate"] - d["startDate"]).total_seconds(), 0.19)

    def test_long_wait_is_still_running(self):
        arn = self.machine({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 300, "End": True}}})
        e = self.start(arn)
        time.sleep(0.3)
        self.assertEqual(self.sfn.describe_execution(executionArn=e)["status"], "RUNNING")
        self.wait(e, timeout=10, status="SUCCEEDED")  # 300 s x 0.01 = 3 s


# ====================================================================== Express, StartSyncExecution
class SyncExecutionTests(SfnCase):
    def test_start_sync_execution_succeeded(self):
        # S test_sfn_api_express::test_start_sync_execution.
        arn = self.machine(pass_machine({"Arg1": "argument1"}), type_="EXPRESS")
        r = self.sfn.start_sync_execution(stateMachineArn=arn, name="sync1", input='{"in": 1}')
        r.pop("ResponseMetadata")
        self.assertRegex(r.pop("executionArn"), "^" + re.escape(EXPRESS_PREFIX + arn[len(SM_PREFIX):] + ":sync1:")
                         + UUID_RE + "$")
        self.assertIsInstance(r.pop("startDate"), datetime)
        self.assertIsInstance(r.pop("stopDate"), datetime)
        billing = r.pop("billingDetails")
        self.assertEqual(set(billing), {"billedDurationInMilliseconds", "billedMemoryUsedInMB"})
        self.assertEqual(r, {"stateMachineArn": arn, "name": "sync1", "status": "SUCCEEDED",
                             "input": '{"in": 1}', "inputDetails": {"included": True},
                             "output": '{"Arg1":"argument1"}', "outputDetails": {"included": True}})

    def test_start_sync_execution_failed(self):
        # S: FAILED has error and cause, no output, but outputDetails {"included": true}.
        arn = self.machine({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E1", "Cause": "C1"}}},
                           type_="EXPRESS")
        r = self.sfn.start_sync_execution(stateMachineArn=arn)
        self.assertEqual(r["status"], "FAILED")
        self.assertEqual((r["error"], r["cause"]), ("E1", "C1"))
        self.assertNotIn("output", r)
        self.assertEqual(r.get("outputDetails"), {"included": True})

    def test_start_sync_execution_runtime_error_names_the_event_id(self):
        # Express executions keep no history, but their events are still counted: a cause names the
        # event the state was entered at, as for a Standard one (ExecutionStarted #1, P #2-#3, Check #4).
        arn = self.machine({"StartAt": "P", "States": {
            "P": {"Type": "Pass", "Next": "Check"},
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Done"}]},
            "Done": {"Type": "Succeed"}}}, type_="EXPRESS")
        r = self.sfn.start_sync_execution(stateMachineArn=arn, input='{"n": 2}')
        self.assertEqual((r["status"], r["error"]), ("FAILED", "States.Runtime"))
        self.assertEqual(r["cause"], "An error occurred while executing the state 'Check' (entered at the event id "
                                     "#4). Failed to transition out of the state. The state does not point to a next state.")

    def test_start_sync_execution_on_standard_is_refused(self):
        arn = self.machine(pass_machine())
        self.error("StateMachineTypeNotSupported", self.sfn.start_sync_execution, stateMachineArn=arn,
                   message="This operation is not supported by this type of state machine")

    def test_express_async_execution_arn(self):
        arn = self.machine(pass_machine(), type_="EXPRESS")
        e = self.start(arn, name="async1")
        self.assertRegex(e, "^" + re.escape(EXPRESS_PREFIX + arn[len(SM_PREFIX):] + ":async1:") + UUID_RE + "$")
        for op in (self.sfn.describe_execution, self.sfn.get_execution_history, self.sfn.stop_execution):
            with self.subTest(op=op.__name__):
                self.error("InvalidArn", op, executionArn=e,
                           message="Invalid Arn: 'Resource type not valid in this context: express'")


# ====================================================================== callbacks (task tokens)
class TaskTokenTests(SfnCase):
    def test_wait_for_task_token_success(self):
        url = self.queue()
        arn = self.machine(self.callback_machine(url, extra={"HeartbeatSeconds": 600}))
        e = self.start(arn, {"order": 7})
        body, raw = self.receive_body(url)
        self.assertEqual(body["Input"], {"order": 7})
        token = body["TaskToken"]
        self.assertTrue(1 <= len(token) <= 2048)
        self.assertEqual(self.sfn.describe_execution(executionArn=e)["status"], "RUNNING")
        hb = self.sfn.send_task_heartbeat(taskToken=token)
        hb.pop("ResponseMetadata")
        self.assertEqual(hb, {})
        ok = self.sfn.send_task_success(taskToken=token, output='{"done": true}')
        ok.pop("ResponseMetadata")
        self.assertEqual(ok, {})
        d = self.wait(e, status="SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"done": True})
        events = self.events(e)
        self.assertEqual([ev["type"] for ev in events], [
            "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
            "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"])  # no event for the heartbeat (S)
        self.assertEqual([ev["previousEventId"] for ev in events], [0, 0, 2, 3, 4, 5, 6, 7])
        sched = events[2]["taskScheduledEventDetails"]
        self.assertEqual((sched["resourceType"], sched["resource"], sched["region"]),
                         ("sqs", "sendMessage.waitForTaskToken", REGION))
        self.assertEqual(sched["heartbeatInSeconds"], 600)
        params = json.loads(sched["parameters"])
        self.assertEqual(params["QueueUrl"], url)
        self.assertEqual(params["MessageBody"]["TaskToken"], token)
        self.assertEqual(events[3]["taskStartedEventDetails"],
                         {"resourceType": "sqs", "resource": "sendMessage.waitForTaskToken"})
        submitted = json.loads(events[4]["taskSubmittedEventDetails"]["output"])
        self.assertEqual(submitted["MD5OfMessageBody"], hashlib.md5(raw.encode()).hexdigest())
        self.assertIn("MessageId", submitted)
        self.assertEqual(submitted["SdkHttpMetadata"]["HttpStatusCode"], 200)
        self.assertIn("RequestId", submitted["SdkResponseMetadata"])
        succeeded = events[5]["taskSucceededEventDetails"]
        self.assertEqual(json.loads(succeeded["output"]), {"done": True})
        self.assertEqual((succeeded["resourceType"], succeeded["resource"]), ("sqs", "sendMessage.waitForTaskToken"))

    def test_wait_for_task_token_failure_caught(self):
        url = self.queue()
        arn = self.machine(self.callback_machine(url, catch=[
            {"ErrorEquals": ["Boom"], "ResultPath": "$.err", "Next": "Caught"}]))
        e = self.start(arn, {"v": 2})
        body, _ = self.receive_body(url)
        self.sfn.send_task_failure(taskToken=body["TaskToken"], error="Boom", cause="it broke")
        d = self.wait(e, status="SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"v": 2, "err": {"Error": "Boom", "Cause": "it broke"}})
        types = self.types(e)
        self.assertEqual(types[-5:], ["TaskFailed", "TaskStateExited", "PassStateEntered", "PassStateExited",
                                      "ExecutionSucceeded"])

    def test_wait_for_task_token_failure_uncaught(self):
        url = self.queue()
        arn = self.machine(self.callback_machine(url))
        e = self.start(arn)
        body, _ = self.receive_body(url)
        self.sfn.send_task_failure(taskToken=body["TaskToken"], error="Boom", cause="it broke")
        d = self.wait(e, status="FAILED")
        self.assertEqual((d["error"], d["cause"]), ("Boom", "it broke"))
        events = self.events(e)
        self.assertEqual([ev["type"] for ev in events][-2:], ["TaskFailed", "ExecutionFailed"])
        self.assertEqual(events[-2]["taskFailedEventDetails"], {
            "error": "Boom", "cause": "it broke", "resource": "sendMessage.waitForTaskToken", "resourceType": "sqs"})
        self.assertEqual(events[-1]["executionFailedEventDetails"], {"error": "Boom", "cause": "it broke"})

    def test_used_token_is_refused(self):
        # Real AWS: "TaskTimedOut ... Task Timed Out: 'Provided task does not exist anymore'" for a
        # token that was already used (aws-samples/amazon-mwaa-examples#61, quoting botocore).
        url = self.queue()
        arn = self.machine(self.callback_machine(url))
        e = self.start(arn)
        body, _ = self.receive_body(url)
        token = body["TaskToken"]
        self.sfn.send_task_success(taskToken=token, output="{}")
        self.wait(e, status="SUCCEEDED")
        msg = "Task Timed Out: 'Provided task does not exist anymore'"
        for op, kw in [(self.sfn.send_task_success, {"output": "{}"}), (self.sfn.send_task_failure, {"error": "x"}),
                       (self.sfn.send_task_heartbeat, {})]:
            with self.subTest(op=op.__name__):
                self.error("TaskTimedOut", op, taskToken=token, **kw, message=msg)

    def test_timed_out_task(self):
        url = self.queue()
        arn = self.machine(self.callback_machine(url, extra={"TimeoutSeconds": 10}))  # 0.1 s
        e = self.start(arn)
        body, _ = self.receive_body(url)
        d = self.wait(e, status="FAILED")
        self.assertEqual(d["error"], "States.Timeout")
        self.assertNotIn("cause", d)  # S: States.Timeout has no cause
        events = self.events(e)
        self.assertEqual([ev["type"] for ev in events][-2:], ["TaskTimedOut", "ExecutionFailed"])
        self.assertEqual(events[-2]["taskTimedOutEventDetails"], {
            "error": "States.Timeout", "resource": "sendMessage.waitForTaskToken", "resourceType": "sqs"})
        self.assertEqual(events[2]["taskScheduledEventDetails"]["timeoutInSeconds"], 10)
        self.error("TaskTimedOut", self.sfn.send_task_success, taskToken=body["TaskToken"], output="{}")

    def test_heartbeats_keep_the_task_alive(self):
        url = self.queue()
        arn = self.machine(self.callback_machine(url, extra={"HeartbeatSeconds": 30}))  # 0.3 s
        e = self.start(arn)
        body, _ = self.receive_body(url)
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            self.sfn.send_task_heartbeat(taskToken=body["TaskToken"])
            time.sleep(0.05)
        self.assertEqual(self.sfn.describe_execution(executionArn=e)["status"], "RUNNING")
        # No more heartbeats: the task times out with States.Timeout (S test_heartbeat_timeout).
        d = self.wait(e, timeout=5, status="FAILED")
        self.assertEqual(d["error"], "States.Timeout")
        self.assertIn("TaskTimedOut", self.types(e))

    def test_invalid_tokens(self):
        for op, kw in [(self.sfn.send_task_success, {"output": "{}"}), (self.sfn.send_task_failure, {}),
                       (self.sfn.send_task_heartbeat, {})]:
            with self.subTest(op=op.__name__):
                self.error("InvalidToken", op, taskToken="garbage", **kw, message="Invalid Token: 'Invalid token'")

    def test_invalid_output(self):
        url = self.queue()
        arn = self.machine(self.callback_machine(url))
        e = self.start(arn)
        body, _ = self.receive_body(url)
        self.error("InvalidOutput", self.sfn.send_task_success, taskToken=body["TaskToken"], output="not json")
        self.assertEqual(self.sfn.describe_execution(executionArn=e)["status"], "RUNNING")
        self.sfn.send_task_success(taskToken=body["TaskToken"], output='"fine"')
        self.assertEqual(self.wait(e, status="SUCCEEDED")["output"], '"fine"')

    def test_sqs_send_message_request_response(self):
        url = self.queue()
        definition = {"StartAt": "Send", "States": {"Send": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {"QueueUrl": url, "MessageBody.$": "$.text"}, "End": True}}}
        _, e, d = self.run_machine(definition, {"text": "hello"})
        out = json.loads(d["output"])
        self.assertEqual(out["MD5OfMessageBody"], hashlib.md5(b"hello").hexdigest())
        self.assertIn("MessageId", out)
        msgs = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages", [])
        self.assertEqual([m["Body"] for m in msgs], ["hello"])
        self.assertEqual(self.types(e), ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                                         "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"])


# ====================================================================== activities
class ActivityTests(SfnCase):
    def activity(self):
        name = unique_name("act")
        r = self.sfn.create_activity(name=name)
        self.addCleanup(self._quiet, self.sfn.delete_activity, activityArn=r["activityArn"])
        return name, r

    def test_activity_lifecycle(self):
        name, r = self.activity()
        arn = r["activityArn"]
        self.assertEqual(arn, ACTIVITY_PREFIX + name)
        again = self.sfn.create_activity(name=name)
        self.assertEqual((again["activityArn"], again["creationDate"]), (arn, r["creationDate"]))
        d = self.sfn.describe_activity(activityArn=arn)
        d.pop("ResponseMetadata")
        listed = [a for a in self.sfn.list_activities()["activities"] if a["activityArn"] == arn]
        self.assertEqual(listed, [{"activityArn": arn, "name": name, "creationDate": r["creationDate"]}])
        self.sfn.delete_activity(activityArn=arn)
        self.error("ActivityDoesNotExist", self.sfn.describe_activity, activityArn=arn,
                   message="Activity Does Not Exist: '%s'" % arn)
        self.sfn.delete_activity(activityArn=arn)  # S: deleting twice is 200
        # research 3c: DescribeActivity carries encryptionConfiguration (M DescribeActivityOutput).
        self.assertEqual(d, {"activityArn": arn, "name": name, "creationDate": r["creationDate"],
                             "encryptionConfiguration": {"type": "AWS_OWNED_KEY"}})

    def test_get_activity_task_long_poll_wakes_when_a_task_is_scheduled(self):
        _, act = self.activity()
        arn = self.machine({"StartAt": "A", "States": {"A": {
            "Type": "Task", "Resource": act["activityArn"], "TimeoutSeconds": 300, "End": True}}})
        box = {}
        worker = DAEMON.client("stepfunctions", inject_host_prefix=False, read_timeout=70)

        def poll():
            t0 = time.monotonic()
            try:
                box["r"] = worker.get_activity_task(activityArn=act["activityArn"], workerName="worker-1")
            except Exception as ex:  # reported by the main thread
                box["err"] = ex
            box["t"] = time.monotonic() - t0

        th = threading.Thread(target=poll, daemon=True)
        th.start()
        time.sleep(0.2)  # the poll is parked before the execution schedules the task
        self.assertTrue(th.is_alive(), "GetActivityTask returned before any task was scheduled: %r" % box)
        e = self.start(arn, {"job": 7})
        th.join(10)
        self.assertFalse(th.is_alive(), "GetActivityTask did not return after the task was scheduled")
        self.assertNotIn("err", box)
        self.assertEqual(json.loads(box["r"]["input"]), {"job": 7})
        token = box["r"]["taskToken"]
        self.sfn.send_task_success(taskToken=token, output='{"result": 42}')
        d = self.wait(e, status="SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"result": 42})
        events = self.events(e)
        self.assertEqual([ev["type"] for ev in events], [
            "ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded",
            "TaskStateExited", "ExecutionSucceeded"])
        sched = events[2]["activityScheduledEventDetails"]
        self.assertEqual(sched["resource"], act["activityArn"])
        self.assertEqual(json.loads(sched["input"]), {"job": 7})
        self.assertEqual(sched["timeoutInSeconds"], 300)
        self.assertEqual(events[3]["activityStartedEventDetails"], {"workerName": "worker-1"})
        self.assertEqual(json.loads(events[4]["activitySucceededEventDetails"]["output"]), {"result": 42})

    def test_activity_task_already_scheduled_and_failure(self):
        _, act = self.activity()
        arn = self.machine({"StartAt": "A", "States": {"A": {
            "Type": "Task", "Resource": act["activityArn"], "End": True}}})
        e = self.start(arn, {"n": 1})
        poll_until(lambda: "ActivityScheduled" in self.types(e), 5)
        r = self.sfn.get_activity_task(activityArn=act["activityArn"])  # no workerName
        self.sfn.send_task_failure(taskToken=r["taskToken"], error="WorkerError", cause="bad input")
        d = self.wait(e, status="FAILED")
        self.assertEqual((d["error"], d["cause"]), ("WorkerError", "bad input"))
        events = self.events(e)
        started = [ev for ev in events if ev["type"] == "ActivityStarted"][0]
        self.assertEqual(started["activityStartedEventDetails"], {})  # S: {} without a workerName
        failed = [ev for ev in events if ev["type"] == "ActivityFailed"][0]
        self.assertEqual(failed["activityFailedEventDetails"], {"error": "WorkerError", "cause": "bad input"})

    def test_get_activity_task_returns_empty_after_the_poll_time(self):
        # D: with no task within 60 s the poll returns with no token. At time scale 0.01 that is 0.6 s.
        _, act = self.activity()
        worker = DAEMON.client("stepfunctions", inject_host_prefix=False, read_timeout=10)
        t0 = time.monotonic()
        r = worker.get_activity_task(activityArn=act["activityArn"])
        elapsed = time.monotonic() - t0
        r.pop("ResponseMetadata")
        self.assertIsNone(r.get("taskToken"))
        self.assertLess(elapsed, 5.0)
        self.assertGreater(elapsed, 0.3)

    def test_get_activity_task_errors(self):
        self.error("InvalidArn", self.sfn.get_activity_task, activityArn="not_a_valid_arn",
                   message="Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'")
        missing = ACTIVITY_PREFIX + unique_name("gone")
        self.error("ActivityDoesNotExist", self.sfn.get_activity_task, activityArn=missing,
                   message="Activity Does Not Exist: '%s'" % missing)


# ====================================================================== states:startExecution
class SdkSqsPortTests(SfnCase):
    def test_get_queue_url_names_the_port_the_daemon_listens_on(self):
        # The daemon listens on a free port, not 4566: the URL a state machine gets back must
        # name it (it used to say localhost:4566 whatever --port said).
        name = unique_name("portq")
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        self.addCleanup(self._quiet, self.sqs.delete_queue, QueueUrl=url)
        _, _, d = self.run_machine({"StartAt": "Url", "States": {"Url": {
            "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sqs:getQueueUrl",
            "Parameters": {"QueueName": name}, "End": True}}})
        port = DAEMON.endpoint.rsplit(":", 1)[1]
        self.assertEqual(json.loads(d["output"])["QueueUrl"], "http://127.0.0.1:%s/%s/%s" % (port, DEFAULT_ACCOUNT, name))


class StatesIntegrationTests(SfnCase):
    def parent(self, resource, child_arn, input_=None):
        params = {"StateMachineArn": child_arn}
        if input_ is not None:
            params["Input"] = input_
        return {"StartAt": "Start", "States": {"Start": {
            "Type": "Task", "Resource": resource, "Parameters": params, "End": True}}}

    def test_start_execution_sync_output_is_text(self):
        # S callback/test_callback::test_start_execution_sync.
        child = self.machine(pass_machine({"Arg1": "argument1"}))
        _, e, d = self.run_machine(self.parent("arn:aws:states:::states:startExecution.sync", child, {"k": "v"}))
        out = json.loads(d["output"])
        self.assertEqual(out["Status"], "SUCCEEDED")
        self.assertEqual(out["StateMachineArn"], child)
        self.assertTrue(out["ExecutionArn"].startswith(EXEC_PREFIX + child[len(SM_PREFIX):] + ":"))
        self.assertEqual(out["Output"], '{"Arg1":"argument1"}')  # a JSON string
        self.assertEqual(json.loads(out["Input"]), {"k": "v"})
        self.assertIsInstance(out["Input"], str)
        self.assertEqual(out["InputDetails"], {"Included": True})
        self.assertEqual(out["OutputDetails"], {"Included": True})
        self.assertIn("StartDate", out)
        self.assertIn("StopDate", out)
        self.assertNotIn("SdkHttpMetadata", out)
        events = self.events(e)
        self.assertEqual([ev["type"] for ev in events], [
            "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
            "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"])
        sched = events[2]["taskScheduledEventDetails"]
        self.assertEqual((sched["resourceType"], sched["resource"]), ("states", "startExecution.sync"))
        submitted = json.loads(events[4]["taskSubmittedEventDetails"]["output"])
        self.assertEqual(submitted["ExecutionArn"], out["ExecutionArn"])
        child_d = self.sfn.describe_execution(executionArn=out["ExecutionArn"])
        self.assertEqual(child_d["status"], "SUCCEEDED")

    def test_start_execution_sync2_output_is_json(self):
        # S test_start_execution_sync2; D connect-stepfunctions: .sync:2 returns JSON.
        child = self.machine(pass_machine({"Arg1": "argument1"}))
        _, e, d = self.run_machine(self.parent("arn:aws:states:::states:startExecution.sync:2", child, {"k": "v"}))
        out = json.loads(d["output"])
        self.assertEqual(out["Status"], "SUCCEEDED")
        self.assertEqual(out["Output"], {"Arg1": "argument1"})
        self.assertEqual(out["Input"], {"k": "v"})
        sched = self.events(e)[2]["taskScheduledEventDetails"]
        self.assertEqual(sched["resource"], "startExecution.sync:2")

    def test_start_execution_request_response(self):
        child = self.machine(WAIT_FOREVER)
        _, e, d = self.run_machine(self.parent("arn:aws:states:::states:startExecution", child))
        out = json.loads(d["output"])
        self.assertTrue(out["ExecutionArn"].startswith(EXEC_PREFIX + child[len(SM_PREFIX):] + ":"))
        self.assertIn("StartDate", out)
        self.assertEqual(out["SdkHttpMetadata"]["HttpStatusCode"], 200)
        self.assertIn("RequestId", out["SdkResponseMetadata"])
        # The parent does not wait for the child.
        self.assertEqual(self.sfn.describe_execution(executionArn=out["ExecutionArn"])["status"], "RUNNING")
        self.assertNotIn("TaskSubmitted", self.types(e))
        self.sfn.stop_execution(executionArn=out["ExecutionArn"])

    def test_start_execution_sync_child_failure(self):
        child = self.machine({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "ChildErr",
                                                                "Cause": "child cause"}}})
        _, e, d = self.run_machine(self.parent("arn:aws:states:::states:startExecution.sync", child),
                                   status="FAILED")
        self.assertEqual(d["error"], "States.TaskFailed")
        cause = json.loads(d["cause"])
        self.assertEqual((cause["Status"], cause["Error"], cause["Cause"]), ("FAILED", "ChildErr", "child cause"))
        self.assertEqual(cause["StateMachineArn"], child)
        self.assertIn("TaskFailed", self.types(e))

    def test_start_execution_of_missing_machine(self):
        missing = SM_PREFIX + unique_name("nochild")
        _, e, d = self.run_machine(self.parent("arn:aws:states:::states:startExecution.sync", missing),
                                   status="FAILED")
        # S: StepFunctions.StateMachineDoesNotExistException, cause "State Machine Does Not Exist: '<arn>' (...)".
        self.assertEqual(d["error"], "StepFunctions.StateMachineDoesNotExistException")
        self.assertTrue(d["cause"].startswith("State Machine Does Not Exist: '%s'" % missing), d["cause"])


# ====================================================================== Map and Parallel
class MapParallelTests(SfnCase):
    def test_inline_map_history_matches_aws(self):
        # S context_object/test_context_object::test_items_path (template context_object_items_path).
        definition = {"Comment": "CONTEXT_OBJECT_INPUT_PATH", "StartAt": "TestState", "States": {"TestState": {
            "Type": "Map", "ItemsPath": "$$.Execution.Input.input-values", "MaxConcurrency": 1,
            "ItemProcessor": {"StartAt": "HandleItem", "States": {"HandleItem": {"Type": "Pass", "End": True}}},
            "End": True}}}
        _, e, d = self.run_machine(definition, {"input-values": ["item-0"]})
        self.assertEqual(d["output"], '["item-0"]')
        inp = {"input-values": ["item-0"]}
        tf = {"truncated": False}
        self.assertEqual(strip_history(self.events(e)), [
            {"executionStartedEventDetails": {"input": inp, "inputDetails": tf, "roleArn": ROLE}, "id": 1,
             "previousEventId": 0, "type": "ExecutionStarted"},
            {"id": 2, "previousEventId": 0, "stateEnteredEventDetails": {"input": inp, "inputDetails": tf,
                                                                         "name": "TestState"},
             "type": "MapStateEntered"},
            {"id": 3, "mapStateStartedEventDetails": {"length": 1}, "previousEventId": 2, "type": "MapStateStarted"},
            {"id": 4, "mapIterationStartedEventDetails": {"index": 0, "name": "TestState"}, "previousEventId": 3,
             "type": "MapIterationStarted"},
            {"id": 5, "previousEventId": 4, "stateEnteredEventDetails": {"input": "item-0", "inputDetails": tf,
                                                                         "name": "HandleItem"},
             "type": "PassStateEntered"},
            {"id": 6, "previousEventId": 5, "stateExitedEventDetails": {"name": "HandleItem", "output": "item-0",
                                                                        "outputDetails": tf},
             "type": "PassStateExited"},
            {"id": 7, "mapIterationSucceededEventDetails": {"index": 0, "name": "TestState"}, "previousEventId": 6,
             "type": "MapIterationSucceeded"},
            {"id": 8, "previousEventId": 7, "type": "MapStateSucceeded"},
            {"id": 9, "previousEventId": 7, "stateExitedEventDetails": {"name": "TestState", "output": ["item-0"],
                                                                        "outputDetails": tf},
             "type": "MapStateExited"},
            {"executionSucceededEventDetails": {"output": ["item-0"], "outputDetails": tf}, "id": 10,
             "previousEventId": 9, "type": "ExecutionSucceeded"}])

    def test_map_keeps_input_order_with_concurrency(self):
        definition = {"StartAt": "M", "States": {"M": {
            "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 0,
            "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "W", "States": {
                "W": {"Type": "Wait", "SecondsPath": "$.value.wait", "Next": "Out"},
                "Out": {"Type": "Pass", "Parameters": {"i.$": "$.index", "id.$": "$.value.id"}, "End": True}}},
            "ResultPath": "$.results", "End": True}}}
        items = [{"id": "a", "wait": 30}, {"id": "b", "wait": 1}, {"id": "c", "wait": 15}, {"id": "d", "wait": 5}]
        _, e, d = self.run_machine(definition, {"items": items})
        out = json.loads(d["output"])
        self.assertEqual(out["results"], [{"i": 0, "id": "a"}, {"i": 1, "id": "b"}, {"i": 2, "id": "c"},
                                          {"i": 3, "id": "d"}])
        self.assertEqual(out["items"], items)
        started = [ev for ev in self.events(e) if ev["type"] == "MapStateStarted"]
        self.assertEqual(started[0]["mapStateStartedEventDetails"], {"length": 4})

    def test_map_over_empty_array(self):
        definition = {"StartAt": "M", "States": {"M": {
            "Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            "End": True}}}
        _, e, d = self.run_machine(definition, "[]")
        self.assertEqual(d["output"], "[]")
        # S test_map_state_items_input_array[empty].
        self.assertEqual(self.types(e), ["ExecutionStarted", "MapStateEntered", "MapStateStarted",
                                         "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"])

    def test_map_iteration_failure_is_caught(self):
        definition = {"StartAt": "M", "States": {
            "M": {"Type": "Map", "ItemsPath": "$.arr", "MaxConcurrency": 1,
                  "ItemProcessor": {"StartAt": "HandleItemFail", "States": {"HandleItemFail": {
                      "Type": "Fail", "Error": "HandleItemFailError", "Cause": "HandleItemFailCause"}}},
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "FinalCaught"}], "End": True},
            "FinalCaught": {"Type": "Pass", "End": True}}}
        _, e, d = self.run_machine(definition, {"arr": [1]})
        self.assertEqual(json.loads(d["output"]), {"Error": "HandleItemFailError", "Cause": "HandleItemFailCause"})
        events = self.events(e)
        # S test_map_state_catch: ...FailStateEntered(5), MapIterationFailed 6<-5, MapStateFailed 7<-5,
        # MapStateExited 8<-7.
        by_type = {ev["type"]: ev for ev in events}
        fail_id = by_type["FailStateEntered"]["id"]
        self.assertEqual(by_type["MapIterationFailed"]["previousEventId"], fail_id)
        self.assertEqual(by_type["MapIterationFailed"]["mapIterationFailedEventDetails"], {"index": 0, "name": "M"})
        self.assertEqual(by_type["MapStateFailed"]["previousEventId"], fail_id)
        self.assertEqual(by_type["MapStateExited"]["previousEventId"], by_type["MapStateFailed"]["id"])

    def test_parallel_output_in_branch_order(self):
        # S test_parallel_state_order: output in declaration order; ParallelStateExited points at the
        # last branch event (13 <- 11 with branch events 4..11).
        branches = [{"StartAt": "Branch%d" % i, "States": {"Branch%d" % i: {
            "Type": "Wait", "Seconds": 3 * (3 - i), "Next": "Out%d" % i}, "Out%d" % i: {
            "Type": "Pass", "Result": {"branch": i}, "End": True}}} for i in range(4)]
        definition = {"StartAt": "StartState", "States": {"StartState": {
            "Type": "Parallel", "Branches": branches, "End": True}}}
        _, e, d = self.run_machine(definition, {})
        self.assertEqual(d["output"], '[{"branch":0},{"branch":1},{"branch":2},{"branch":3}]')
        events = self.events(e)
        types = [ev["type"] for ev in events]
        self.assertEqual(types[:3], ["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted"])
        self.assertEqual(types[-3:], ["ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"])
        branch_ids = [ev["id"] for ev in events[3:-3]]
        self.assertEqual(len(branch_ids), 16)
        self.assertEqual(events[2]["previousEventId"], 2)
        exited = events[-2]
        self.assertEqual(exited["previousEventId"], max(branch_ids))
        self.assertEqual(events[-1]["previousEventId"], exited["id"])
        for ev in events[3:-3]:  # each branch chain starts at ParallelStateStarted
            if ev["type"] == "WaitStateEntered":
                self.assertEqual(ev["previousEventId"], 3)

    def test_parallel_catch_history_matches_aws(self):
        # S scenarios/test_base_scenarios::test_parallel_state_catch (template parallel_state_catch).
        definition = {"Comment": "PARALLEL_STATE_CATCH", "StartAt": "ParallelState", "States": {
            "ParallelState": {"Type": "Parallel", "Branches": [{"StartAt": "Branch1", "States": {"Branch1": {
                "Type": "Fail", "Error": "FailureType", "Cause": "Cause description"}}}],
                "Catch": [{"ErrorEquals": ["FailureType"], "Next": "FinalCaught"}], "Next": "Final"},
            "FinalCaught": {"Type": "Pass", "End": True},
            "Final": {"Type": "Pass", "End": True}}}
        _, e, d = self.run_machine(definition, {})
        err = {"Error": "FailureType", "Cause": "Cause description"}
        tf = {"truncated": False}
        self.assertEqual(json.loads(d["output"]), err)
        self.assertEqual(strip_history(self.events(e)), [
            {"executionStartedEventDetails": {"input": {}, "inputDetails": tf, "roleArn": ROLE}, "id": 1,
             "previousEventId": 0, "type": "ExecutionStarted"},
            {"id": 2, "previousEventId": 0, "stateEnteredEventDetails": {"input": {}, "inputDetails": tf,
                                                                         "name": "ParallelState"},
             "type": "ParallelStateEntered"},
            {"id": 3, "previousEventId": 2, "type": "ParallelStateStarted"},
            {"id": 4, "previousEventId": 3, "stateEnteredEventDetails": {"input": {}, "inputDetails": tf,
                                                                         "name": "Branch1"},
             "type": "FailStateEntered"},
            {"id": 5, "previousEventId": 4, "type": "ParallelStateFailed"},
            {"id": 6, "previousEventId": 5, "stateExitedEventDetails": {"name": "ParallelState", "output": err,
                                                                        "outputDetails": tf},
             "type": "ParallelStateExited"},
            {"id": 7, "previousEventId": 6, "stateEnteredEventDetails": {"input": err, "inputDetails": tf,
                                                                         "name": "FinalCaught"},
             "type": "PassStateEntered"},
            {"id": 8, "previousEventId": 7, "stateExitedEventDetails": {"name": "FinalCaught", "output": err,
                                                                        "outputDetails": tf},
             "type": "PassStateExited"},
            {"executionSucceededEventDetails": {"output": err, "outputDetails": tf}, "id": 9, "previousEventId": 8,
             "type": "ExecutionSucceeded"}])


# ====================================================================== tags
class TagTests(SfnCase):
    def test_state_machine_tags(self):
        arn = self.machine(pass_machine(), tags=[{"key": "team", "value": "a"}])
        self.assertEqual(self.sfn.list_tags_for_resource(resourceArn=arn)["tags"], [{"key": "team", "value": "a"}])
        self.sfn.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "dev"}, {"key": "team", "value": "b"}])
        tags = self.sfn.list_tags_for_resource(resourceArn=arn)["tags"]
        self.assertEqual(sorted((t["key"], t["value"]) for t in tags), [("env", "dev"), ("team", "b")])
        self.sfn.untag_resource(resourceArn=arn, tagKeys=["team", "not-there"])
        self.assertEqual(self.sfn.list_tags_for_resource(resourceArn=arn)["tags"], [{"key": "env", "value": "dev"}])

    def test_activity_tags(self):
        r = self.sfn.create_activity(name=unique_name("tagact"), tags=[{"key": "k", "value": "v"}])
        arn = r["activityArn"]
        self.addCleanup(self._quiet, self.sfn.delete_activity, activityArn=arn)
        self.assertEqual(self.sfn.list_tags_for_resource(resourceArn=arn)["tags"], [{"key": "k", "value": "v"}])
        self.sfn.untag_resource(resourceArn=arn, tagKeys=["k"])
        self.assertEqual(self.sfn.list_tags_for_resource(resourceArn=arn)["tags"], [])

    def test_tags_of_missing_resource(self):
        missing = SM_PREFIX + unique_name("notag")
        for op, kw in [(self.sfn.list_tags_for_resource, {}),
                       (self.sfn.tag_resource, {"tags": [{"key": "a", "value": "b"}]}),
                       (self.sfn.untag_resource, {"tagKeys": ["a"]})]:
            with self.subTest(op=op.__name__):
                self.error("ResourceNotFound", op, resourceArn=missing, **kw,
                           message="Resource not found: '%s'" % missing)


# ====================================================================== TestState
class TestStateTests(SfnCase):
    """Cases and answers from S test_state/test_test_state_scenarios (recorded 2025-11)."""
    IO_PASS = {"Type": "Pass", "InputPath": "$.initialData",
               "Parameters": {"staticValue": "some value", "inputValue.$": "$.fieldFromInput"},
               "ResultPath": "$.modifiedData", "End": True}
    IO_INPUT = {"initialData": {"fieldFromInput": "value from input", "otherField": "other"},
                "unrelatedData": {"someOtherField": 1234}}
    CHOICE = {"Type": "Choice", "Choices": [
        {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
        {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
        {"And": [{"Variable": "$.value", "NumericGreaterThanEquals": 20},
                 {"Variable": "$.value", "NumericLessThan": 30}], "Next": "ValueInTwenties"}],
        "Default": "DefaultState"}

    def run_state(self, definition, input_, **kw):
        r = self.sfn.test_state(definition=json.dumps(definition), roleArn=ROLE, input=json.dumps(input_), **kw)
        r.pop("ResponseMetadata")
        if "output" in r:
            r["output"] = json.loads(r["output"])
        if "inspectionData" in r:
            r["inspectionData"] = {k: json.loads(v) for k, v in r["inspectionData"].items()}
        return r

    def test_pass_info_level(self):
        r = self.run_state(self.IO_PASS, self.IO_INPUT)
        expected_output = dict(self.IO_INPUT, modifiedData={"staticValue": "some value",
                                                            "inputValue": "value from input"})
        self.assertEqual(r, {"output": expected_output, "status": "SUCCEEDED"})  # INFO: no inspectionData

    def test_pass_debug_level(self):
        r = self.run_state(self.IO_PASS, self.IO_INPUT, inspectionLevel="DEBUG")
        params = {"staticValue": "some value", "inputValue": "value from input"}
        out = dict(self.IO_INPUT, modifiedData=params)
        self.assertEqual(r, {"output": out, "status": "SUCCEEDED", "inspectionData": {
            "input": self.IO_INPUT, "afterInputPath": self.IO_INPUT["initialData"], "afterParameters": params,
            "afterResultSelector": params, "afterResultPath": out}})

    def test_result_pass_debug_level(self):
        r = self.run_state({"Type": "Pass", "Result": {"resultKey": "result value"}, "End": True},
                            {"Value": "HelloWorld"}, inspectionLevel="DEBUG")
        res = {"resultKey": "result value"}
        self.assertEqual(r, {"output": res, "status": "SUCCEEDED", "inspectionData": {
            "input": {"Value": "HelloWorld"}, "result": res, "afterResultSelector": res, "afterResultPath": res}})

    def test_pass_with_next_state(self):
        r = self.run_state({"Type": "Pass", "Result": 1, "ResultPath": "$.r", "Next": "Somewhere"}, {"a": 1})
        self.assertEqual(r, {"output": {"a": 1, "r": 1}, "status": "SUCCEEDED", "nextState": "Somewhere"})

    def test_choice_info_level(self):
        r = self.run_state(self.CHOICE, {"type": "Private", "value": 22})
        self.assertEqual(r, {"output": {"type": "Private", "value": 22}, "status": "SUCCEEDED",
                             "nextState": "ValueInTwenties"})
        r = self.run_state(self.CHOICE, {"type": "Public", "value": 22})
        self.assertEqual(r["nextState"], "Public")
        r = self.run_state(self.CHOICE, {"type": "Private", "value": 50})
        self.assertEqual(r["nextState"], "DefaultState")

    def test_choice_debug_level(self):
        inp = {"type": "Private", "value": 22}
        r = self.run_state(self.CHOICE, inp, inspectionLevel="DEBUG")
        self.assertEqual(r, {"output": inp, "status": "SUCCEEDED", "nextState": "ValueInTwenties",
                             "inspectionData": {"input": inp, "afterInputPath": inp}})

    def test_fail_state(self):
        r = self.run_state({"Type": "Fail", "Error": "SomeFailure",
                             "Cause": "This state machines raises a 'SomeFailure' failure."}, {"Value": "HelloWorld"})
        self.assertEqual(r, {"status": "FAILED", "error": "SomeFailure",
                             "cause": "This state machines raises a 'SomeFailure' failure."})

    # TestState runs the state through the interpreter executions use (issue 14): the cases below
    # are ones where the older TestState of its own answered differently from an execution.
    TASK = {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {"QueueUrl": "http://q", "MessageBody": "x"}, "Next": "After"}
    CUSTOM_ERROR = {"errorOutput": {"error": "CustomError", "cause": "it broke"}}

    def test_task_failed_catcher_catches_a_custom_error(self):
        # States.TaskFailed matches every task error but a timeout, as in an execution.
        state = dict(self.TASK, Catch=[{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.e", "Next": "Caught"}])
        r = self.run_state(state, {"a": 1}, mock=self.CUSTOM_ERROR)
        self.assertEqual(r, {"status": "CAUGHT_ERROR", "error": "CustomError", "cause": "it broke", "nextState": "Caught",
                             "output": {"a": 1, "e": {"Error": "CustomError", "Cause": "it broke"}}})

    def test_retry_comes_before_catch(self):
        # An execution retries first and catches once the retrier's attempts are spent.
        state = dict(self.TASK, Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                     Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Caught"}])
        r = self.run_state(state, {"a": 1}, mock=self.CUSTOM_ERROR)
        self.assertEqual(r, {"status": "RETRIABLE", "error": "CustomError", "cause": "it broke"})
        r = self.run_state(state, {"a": 1}, mock=self.CUSTOM_ERROR, stateConfiguration={"retrierRetryCount": 2})
        self.assertEqual(r["status"], "CAUGHT_ERROR")
        self.assertEqual(r["nextState"], "Caught")

    def test_fail_state_paths(self):
        r = self.run_state({"Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.Format('no {}', $.what)"},
                           {"e": "Bad.Thing", "what": "luck"})
        self.assertEqual(r, {"status": "FAILED", "error": "Bad.Thing", "cause": "no luck"})
        # AWS shows a Fail state's input as afterInputPath, though Fail has no InputPath (recorded:
        # LocalStack's AWS-validated test_base_inspection_level_debug[BASE_FAIL_STATE]).
        inp = {"Value": "HelloWorld"}
        r = self.run_state({"Type": "Fail", "Error": "E", "Cause": "C"}, inp, inspectionLevel="DEBUG")
        self.assertEqual(r["inspectionData"]["afterInputPath"], inp)

    def test_choice_rule_assign(self):
        state = {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big",
                                                "Assign": {"size.$": "$.n"}}], "Default": "Small"}
        r = self.run_state(state, {"n": 5}, inspectionLevel="DEBUG")
        self.assertEqual(r["nextState"], "Big")
        self.assertEqual(r["inspectionData"]["variables"], {"size": 5})

    def test_state_of_a_whole_machine(self):
        definition = {"StartAt": "One", "States": {
            "One": {"Type": "Pass", "Next": "Two"},
            "Two": {"Type": "Pass", "Parameters": {"got.$": "$.x", "v.$": "$v", "name.$": "$$.State.Name"}, "Next": "Three"},
            "Three": {"Type": "Succeed"}}}
        r = self.sfn.test_state(definition=json.dumps(definition), stateName="Two", roleArn=ROLE,
                                input=json.dumps({"x": 1}), variables=json.dumps({"v": "w"}))
        self.assertEqual(r["status"], "SUCCEEDED")
        self.assertEqual(json.loads(r["output"]), {"got": 1, "v": "w", "name": "Two"})
        self.assertEqual(r["nextState"], "Three")


    def test_what_a_mock_may_go_with(self):
        # AWS's answers, from LocalStack test_state_mock_validation.py / test_test_state_scenarios.py /
        # test_test_state_machine_scenarios.py (validated on AWS).
        task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}
        parallel = {"Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}]}
        cases = [
            (dict(definition={"Type": "Pass", "End": True}, mock={"result": "{}"}),
             "ValidationException", "State type 'Pass' is not supported when a mock is specified"),
            (dict(definition={"Type": "Succeed"}, mock={"errorOutput": {"error": "E", "cause": "C"}}),
             "ValidationException", "State type 'Succeed' is not supported when a mock is specified"),
            (dict(definition=task, mock={"result": "{}", "errorOutput": {"error": "E", "cause": "C"}}),
             "ValidationException", "A test mock should have only one of the following fields: [result, errorOutput]."),
            (dict(definition=task, mock={"result": "{}"}, revealSecrets=True),
             "ValidationException", "TestState does not support RevealSecrets when a mock is specified."),
            (dict(definition=task, mock={"result": "{not json"}),
             "ValidationException", "Mocked result must be valid JSON"),
            (dict(definition=task, noRole=True),
             "ValidationException", "RoleArn must be specified when testing a Task state"),
            (dict(definition=parallel),
             "InvalidDefinition", "TestState API does not support Map or Parallel states. Supported state types "
                                  "include: [Task, Wait, Pass, Succeed, Fail, Choice]"),
            (dict(definition=parallel, mock={"result": "{}"}),
             "ValidationException", "Mocked result must be an array."),
            (dict(definition=parallel, mock={"result": "[1]"}),
             "ValidationException", "Mocked result must contain the same number of items as number of Parallel branches."),
            (dict(definition={"Type": "Map", "ItemsPath": "$.Values", "End": True, "ItemProcessor": {
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}, mock={"result": "[1, 1, 1]"},
                  input={"Values": [1, 1, 1]}, stateConfiguration={"mapIterationFailureCount": 4}),
             "ValidationException", "Map iteration failure count must be less than or equal to the number of Map iterations"),
            (dict(definition={"Type": "Parallel", "Branches": [], "End": True}, mock={"result": "[]"}),
             "InvalidDefinition",
             "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/StateName/Branches'"),
            (dict(definition={"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}, stateName="dne"),
             "ValidationException", "State not found in definition"),
        ]
        for kw, code, message in cases:
            with self.subTest(message=message):
                kw = dict(kw)
                kw["definition"] = json.dumps(kw["definition"])
                kw["input"] = json.dumps(kw.get("input", {}))
                if not kw.pop("noRole", False):
                    kw["roleArn"] = ROLE
                with self.assertRaises(ClientError) as e:
                    self.sfn.test_state(**kw)
                self.assertEqual(e.exception.response["Error"]["Code"], code)
                self.assertEqual(e.exception.response["Error"]["Message"], message)

    def test_a_given_context_is_the_whole_context_object(self):
        # LocalStack test_state_context_object.py (validated on AWS): `{}` reads as `{}`, given members
        # as given (the state's Name and the task token too), nothing filled in.
        state = {"Type": "Pass", "Parameters": {"ctx.$": "$$"}, "End": True}
        self.assertEqual(self.run_state(state, {}, context="{}")["output"], {"ctx": {}})
        given = {"Execution": {}, "State": {"Name": "MyTaskState"}, "Task": {"Token": "abcd123"}}
        self.assertEqual(self.run_state(state, {}, context=json.dumps(given))["output"], {"ctx": given})

    def test_a_mocked_parallel_shows_its_input_and_what_its_branches_returned(self):
        # LocalStack test_base_parallel_state_mock_success[DEBUG] (validated on AWS): no afterInputPath,
        # afterParameters or result for a Parallel; the wrapped state is called "StateName".
        parallel = {"Type": "Parallel", "End": True, "ResultPath": "$.r", "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}]}
        r = self.run_state(parallel, {"key": "value"}, inspectionLevel="DEBUG",
                           mock={"result": json.dumps([{"branch1": "result"}])})
        self.assertEqual(r["inspectionData"], {"input": {"key": "value"},
                                               "afterResultSelector": [{"branch1": "result"}],
                                               "afterResultPath": {"key": "value", "r": [{"branch1": "result"}]}})
        r = self.run_state({"Type": "Pass", "Parameters": {"name.$": "$$.State.Name"}, "End": True}, {})
        self.assertEqual(r["output"], {"name": "StateName"})


# ====================================================================== robustness
class MockConfigTests(unittest.TestCase):
    """--mock-config: Step Functions Local's mock configuration file, through boto3. A daemon of
    its own, since the file is the daemon's."""
    CHARGE = {"StartAt": "Charge", "States": {"Charge": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "charge"},
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 2}],
        "OutputPath": "$.Payload", "End": True}}}

    @staticmethod
    def config(cases):
        return json.dumps({"StateMachines": {"charges": {"TestCases": cases}}, "MockedResponses": {
            "FlakyThenOk": {"0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "flaky"}},
                            "1": {"Return": {"StatusCode": 200, "Payload": {"charged": 42}}}},
            "Declined": {"0-2": {"Throw": {"Error": "Payment.Declined", "Cause": "card declined"}}}}})

    def setUp(self):
        fd, self.path = tempfile.mkstemp(suffix=".json", prefix="sluice-mocks-")
        os.close(fd)
        self.addCleanup(os.unlink, self.path)
        self.write({"Flaky": {"Charge": "FlakyThenOk"}})
        self.d = Daemon(time_scale=SCALE, name="sfn-mocks", extra_args=["--mock-config", self.path]).start()
        self.addCleanup(self.d.stop)
        self.sfn = self.d.client("stepfunctions", inject_host_prefix=False)
        self.arn = self.sfn.create_state_machine(name="charges", definition=json.dumps(self.CHARGE),
                                                 roleArn=ROLE)["stateMachineArn"]

    def write(self, cases):
        with open(self.path, "w") as f:
            f.write(self.config(cases))

    def finish(self, arn):
        e = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        d = poll_until(lambda: (lambda x: x if x["status"] != "RUNNING" else None)(
            self.sfn.describe_execution(executionArn=e)), timeout=20)
        self.assertTrue(d, "the execution did not finish")
        return d, [ev["type"] for ev in self.sfn.get_execution_history(executionArn=e)["events"]]

    def test_a_test_case_answers_the_task_call_by_call(self):
        d, types = self.finish(self.arn + "#Flaky")
        self.assertEqual(d["status"], "SUCCEEDED", d.get("cause"))
        self.assertEqual(json.loads(d["output"]), {"charged": 42})
        self.assertEqual(types.count("TaskFailed"), 1)
        self.assertEqual(types.count("TaskSucceeded"), 1)

    def test_an_unknown_test_case_is_refused(self):
        with self.assertRaises(ClientError) as ctx:
            self.sfn.start_execution(stateMachineArn=self.arn + "#Nope")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "StateMachineDoesNotExist")

    def test_a_changed_file_is_read_again(self):
        self.write({"Flaky": {"Charge": "FlakyThenOk"}, "Declined": {"Charge": "Declined"}})
        self.assertTrue(poll_until(lambda: self._starts(self.arn + "#Declined"), timeout=5, interval=0.2))
        d, types = self.finish(self.arn + "#Declined")
        self.assertEqual((d["status"], d["error"], d["cause"]), ("FAILED", "Payment.Declined", "card declined"))
        self.assertEqual(types.count("TaskFailed"), 3)  # the call and two retries

    def _starts(self, arn):
        try:
            self.sfn.start_execution(stateMachineArn=arn)
            return True
        except ClientError:
            return False

    def test_the_mocked_runtask_vs_sync_example_ends_as_on_aws(self):
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
        out = subprocess.run([os.path.join(root, "examples", "runtask-vs-sync-mocked.sh")], capture_output=True,
                             text=True, timeout=120, env=dict(os.environ, PORT=str(port), TIME_SCALE=str(SCALE)))
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("ecs:runTask.sync  execution FAILED    States.TaskFailed", out.stdout)

    def test_a_bad_file_stops_the_start_naming_the_problem(self):
        with open(self.path, "w") as f:
            f.write('{"StateMachines": {}, "MockedResponses": {"R": {"first": {"Return": 1}}}}')
        out = subprocess.run([os.environ["SLUICE_BIN"], "--port", "0", "--mock-config", self.path],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 2, out.stderr)
        self.assertIn("$.MockedResponses.R.first", out.stderr)


class DeepJsonTests(unittest.TestCase):
    """Deeply nested JSON text in places a client controls. AWS's JSON reader (Jackson) refuses
    nesting deeper than 1000 levels; whatever the answer, the daemon must give one and live on.
    Each test gets a daemon of its own so that a crash cannot take the other tests with it."""
    DEPTH = 100000  # 200,000 bytes: under the 256 KiB payload limit

    def setUp(self):
        self.d = Daemon(time_scale=SCALE, name="sfn-deep").start()
        self.sfn = self.d.client("stepfunctions", inject_host_prefix=False)

    def tearDown(self):
        self.d.stop()

    def nested(self):
        return "[" * self.DEPTH + "]" * self.DEPTH

    def answered(self, fn, allowed_codes, **kw):
        try:
            return fn(**kw)
        except ClientError as e:
            self.assertIn(e.response["Error"]["Code"], allowed_codes)
            return None

    def alive(self):
        self.assertIsNone(self.d.proc.poll() if self.d.proc else None, "the daemon died\n" + self.d.stderr_tail())
        self.sfn.list_state_machines()

    def test_deeply_nested_execution_input(self):
        arn = self.sfn.create_state_machine(name="deep", definition=json.dumps(pass_machine()),
                                            roleArn=ROLE)["stateMachineArn"]
        r = self.answered(self.sfn.start_execution, {"InvalidExecutionInput"}, stateMachineArn=arn,
                          input=self.nested())
        if r is not None:
            poll_until(lambda: self.sfn.describe_execution(executionArn=r["executionArn"])["status"] != "RUNNING", 5)
            self.sfn.get_execution_history(executionArn=r["executionArn"])
        self.alive()

    def test_deeply_nested_definition(self):
        text = '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":%s,"End":true}}}' % self.nested()
        self.answered(self.sfn.validate_state_machine_definition, set(), definition=text)
        self.answered(self.sfn.create_state_machine, {"InvalidDefinition"}, name="deepdef", definition=text,
                      roleArn=ROLE)
        self.alive()

    def test_deeply_nested_test_state_input(self):
        self.answered(self.sfn.test_state, {"InvalidExecutionInput", "ValidationException"},
                      definition=json.dumps({"Type": "Pass", "End": True}), roleArn=ROLE, input=self.nested())
        self.alive()


if __name__ == "__main__":
    unittest.main()


class JsonataTests(SfnCase):
    """JSONata state machines (AWS's developer guide, "Transforming data with JSONata in Step
    Functions"; causes and events from LocalStack's AWS recordings, cited per test)."""

    def test_arguments_output_assign_through_sqs(self):
        url = self.queue()
        name = url.rsplit("/", 1)[1]
        definition = {"QueryLanguage": "JSONata", "StartAt": "Send", "States": {
            "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                     "Arguments": {"QueueUrl": "{% $states.input.url %}",
                                   "MessageBody": "{% $string({'total': $sum($states.input.prices)}) %}"},
                     "Assign": {"sentId": "{% $states.result.MessageId %}"},
                     "Output": {"queue": "{% $substringAfter($states.input.url, '/') ~> $contains('" + name + "') %}"},
                     "Next": "Done"},
            "Done": {"Type": "Pass", "Output": {"id": "{% $sentId %}", "previous": "{% $states.input %}"},
                     "End": True}}}
        _, e, d = self.run_machine(definition, {"url": url, "prices": [1, 2.5, 3]})
        out = json.loads(d["output"])
        self.assertRegex(out["id"], UUID_RE)
        body, _ = self.receive_body(url)
        self.assertEqual(body, {"total": 6.5})
        self.assertEqual(out["previous"], {"queue": True})
        self.assertEqual(self.types(e), ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                                         "TaskSucceeded", "TaskStateExited", "PassStateEntered", "PassStateExited",
                                         "ExecutionSucceeded"])

    def test_undefined_output_fails_with_query_evaluation_error(self):
        # S: test_assign_reference_variables::test_undefined_reference[BASE_UNDEFINED_OUTPUT].
        definition = {"QueryLanguage": "JSONata", "StartAt": "State0", "States": {
            "State0": {"Type": "Pass", "Output": "{% $doesNotExist %}", "End": True}}}
        _, e, d = self.run_machine(definition, {}, status="FAILED")
        cause = ("An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata "
                 "expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined).")
        self.assertEqual(d["error"], "States.QueryEvaluationError")
        self.assertEqual(d["cause"], cause)
        events = self.events(e)
        self.assertEqual([x["type"] for x in events],
                         ["ExecutionStarted", "PassStateEntered", "EvaluationFailed", "ExecutionFailed"])
        self.assertEqual(events[2]["evaluationFailedEventDetails"],
                         {"cause": cause, "error": "States.QueryEvaluationError", "location": "Output",
                          "state": "State0"})

    def test_jsonpath_state_inside_jsonata_machine_is_refused(self):
        # S: test_base_query_language (AWS's message for a JSONPath state in a JSONata machine).
        msg = self.error("InvalidDefinition", self.sfn.create_state_machine, name=unique_name("bad"), roleArn=ROLE,
                         definition=json.dumps({"QueryLanguage": "JSONata", "StartAt": "Pass", "States": {
                             "Pass": {"QueryLanguage": "JSONPath", "Type": "Pass", "End": True}}}))["Message"]
        self.assertEqual(msg, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not "
                              "be 'JSONPath' if set to 'JSONata' for whole state machine at /States/Pass'")

    def test_jsonpath_field_in_jsonata_state_and_bad_expression_are_refused(self):
        msg = self.error("InvalidDefinition", self.sfn.create_state_machine, name=unique_name("bad"), roleArn=ROLE,
                         definition=json.dumps({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
                             "P": {"Type": "Pass", "InputPath": "$.a", "Output": "{% $states.input.( %}",
                                   "End": True}}}))["Message"]
        self.assertIn("field 'InputPath' is only supported for the 'JSONPath' QueryLanguage at /States/P", msg)
        self.assertIn("The JSONata expression '$states.input.(' is not valid", msg)

    def test_jsonata_state_in_jsonpath_machine(self):
        definition = {"StartAt": "Old", "States": {
            "Old": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "Next": "New"},
            "New": {"QueryLanguage": "JSONata", "Type": "Pass", "Output": "{% $states.input.n * 2 %}", "End": True}}}
        _, _, d = self.run_machine(definition, {"n": 21})
        self.assertEqual(json.loads(d["output"]), 42)
