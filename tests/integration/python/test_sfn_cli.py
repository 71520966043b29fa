"""Step Functions through the AWS CLI v1 (`python3 -m awscli stepfunctions ...`, botocore 1.43,
JSON 1.0 protocol) with --endpoint-url, each call a subprocess.

A smaller set than test_sfn_boto3: create, start, describe, history, list (with the CLI's own
pagination), and errors. For a service error CLI v1 exits 255 and prints
"An error occurred (<Code>) when calling the <Op> operation: <message>" on stderr; a usage
error (missing required argument) exits 2 without a request.

StartSyncExecution goes to host "sync-<endpoint host>" unless host prefix injection is turned
off; the CLI reads AWS_DISABLE_HOST_PREFIX_INJECTION=true for that (botocore configprovider).
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

from harness import DEFAULT_ACCOUNT, REGION, Daemon, cli_env, cli_json, poll_until, run_cli, unique_name

SCALE = 0.01
DAEMON = None
CLI = [sys.executable, "-m", "awscli"]
ROLE = "arn:aws:iam::%s:role/sluice-sfn-cli" % DEFAULT_ACCOUNT
SM_PREFIX = "arn:aws:states:%s:%s:stateMachine:" % (REGION, DEFAULT_ACCOUNT)
EXEC_PREFIX = "arn:aws:states:%s:%s:execution:" % (REGION, DEFAULT_ACCOUNT)
ERROR_RC = 255

PASS = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": {"greeting": "hi"},
                                                 "ResultPath": "$.out", "End": True}}}
WAIT_FOREVER = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 100000, "End": True}}}


def setUpModule():
    global DAEMON
    DAEMON = Daemon(time_scale=SCALE, name="sfn-cli").start()


def tearDownModule():
    if DAEMON is not None:
        DAEMON.stop()  # also fails on a sanitizer report in its stderr


class SfnCliTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        out = subprocess.run(CLI + ["--version"], capture_output=True, text=True, timeout=60, env=cli_env())
        version = (out.stdout + out.stderr).strip()
        if not version.startswith("aws-cli/1."):
            raise AssertionError("%r is %r, expected AWS CLI v1" % (CLI, version))

    def aws(self, *args, expect_rc=0, env=None):
        cmd = CLI + ["--endpoint-url", DAEMON.endpoint, "--output", "json", "stepfunctions"] + list(args)
        return run_cli(self, cmd, env=env, expect_rc=expect_rc)

    def aws_json(self, *args, **kw):
        return cli_json(self.aws(*args, **kw))

    def aws_error(self, code, operation, *args, message=None, env=None):
        p = self.aws(*args, expect_rc=ERROR_RC, env=env)
        self.assertIn("An error occurred (%s) when calling the %s operation" % (code, operation), p.stderr)
        if message is not None:
            self.assertIn(": " + message, p.stderr)
        self.assertEqual(p.stdout.strip(), "")
        return p.stderr

    def create(self, definition, **kw):
        name = unique_name("cli")
        args = ["create-state-machine", "--name", name, "--role-arn", ROLE,
                "--definition", json.dumps(definition)]
        for k, v in kw.items():
            args += ["--" + k.replace("_", "-"), v]
        r = self.aws_json(*args)
        self.addCleanup(self.aws, "delete-state-machine", "--state-machine-arn", r["stateMachineArn"],
                        expect_rc=None)
        return name, r

    def wait_done(self, exec_arn, timeout=10.0):
        box = {}

        def done():
            box["d"] = self.aws_json("describe-execution", "--execution-arn", exec_arn)
            return box["d"]["status"] != "RUNNING"

        poll_until(done, timeout, interval=0.05)
        self.assertNotEqual(box["d"]["status"], "RUNNING")
        return box["d"]

    # ------------------------------------------------------------------ tests
    def test_create_describe_list_delete(self):
        name, r = self.create(PASS)
        arn = r["stateMachineArn"]
        self.assertEqual(arn, SM_PREFIX + name)
        self.assertIn("creationDate", r)
        d = self.aws_json("describe-state-machine", "--state-machine-arn", arn)
        self.assertEqual((d["name"], d["status"], d["type"], d["roleArn"]), (name, "ACTIVE", "STANDARD", ROLE))
        self.assertEqual(json.loads(d["definition"]), PASS)
        listed = self.aws_json("list-state-machines")["stateMachines"]
        self.assertIn(arn, [m["stateMachineArn"] for m in listed])
        self.aws("delete-state-machine", "--state-machine-arn", arn)
        self.aws_error("StateMachineDoesNotExist", "DescribeStateMachine", "describe-state-machine",
                       "--state-machine-arn", arn, message="State Machine Does Not Exist: '%s'" % arn)

    def test_definition_from_file_and_express_type(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(PASS, f, indent=2)
        self.addCleanup(os.unlink, f.name)
        name = unique_name("clifile")
        r = self.aws_json("create-state-machine", "--name", name, "--role-arn", ROLE, "--type", "EXPRESS",
                          "--definition", "file://" + f.name)
        self.addCleanup(self.aws, "delete-state-machine", "--state-machine-arn", r["stateMachineArn"],
                        expect_rc=None)
        d = self.aws_json("describe-state-machine", "--state-machine-arn", r["stateMachineArn"])
        self.assertEqual(d["type"], "EXPRESS")
        with open(f.name) as fh:
            self.assertEqual(d["definition"], fh.read())  # verbatim, indentation included

    def test_start_describe_history(self):
        _, r = self.create(PASS)
        s = self.aws_json("start-execution", "--state-machine-arn", r["stateMachineArn"], "--name", "run-1",
                          "--input", '{"who": "cli"}')
        self.assertEqual(s["executionArn"], EXEC_PREFIX + r["stateMachineArn"][len(SM_PREFIX):] + ":run-1")
        d = self.wait_done(s["executionArn"])
        self.assertEqual(d["status"], "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"who": "cli", "out": {"greeting": "hi"}})
        self.assertEqual(d["input"], '{"who": "cli"}')
        h = self.aws_json("get-execution-history", "--execution-arn", s["executionArn"])
        self.assertEqual([e["type"] for e in h["events"]],
                         ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"])
        self.assertEqual([e["id"] for e in h["events"]], [1, 2, 3, 4])
        rev = self.aws_json("get-execution-history", "--execution-arn", s["executionArn"], "--reverse-order",
                            "--no-include-execution-data")
        self.assertEqual([e["id"] for e in rev["events"]], [4, 3, 2, 1])
        self.assertNotIn("output", rev["events"][0]["executionSucceededEventDetails"])
        sm = self.aws_json("describe-state-machine-for-execution", "--execution-arn", s["executionArn"])
        self.assertEqual(sm["stateMachineArn"], r["stateMachineArn"])

    def test_list_executions_filter_and_cli_pagination(self):
        _, r = self.create(WAIT_FOREVER)
        arns = [self.aws_json("start-execution", "--state-machine-arn", r["stateMachineArn"],
                              "--name", "n%d" % i)["executionArn"] for i in range(3)]
        self.aws_json("stop-execution", "--execution-arn", arns[0], "--error", "Stop", "--cause", "by cli")
        d = self.wait_done(arns[0])
        self.assertEqual((d["status"], d["error"], d["cause"]), ("ABORTED", "Stop", "by cli"))
        # --page-size 1: the CLI follows nextToken itself and prints everything.
        everything = self.aws_json("list-executions", "--state-machine-arn", r["stateMachineArn"],
                                   "--page-size", "1")["executions"]
        self.assertEqual([e["name"] for e in everything], ["n2", "n1", "n0"])
        running = self.aws_json("list-executions", "--state-machine-arn", r["stateMachineArn"],
                                "--status-filter", "RUNNING")["executions"]
        self.assertEqual([e["name"] for e in running], ["n2", "n1"])
        first = self.aws_json("list-executions", "--state-machine-arn", r["stateMachineArn"],
                              "--max-items", "1")
        self.assertEqual(len(first["executions"]), 1)
        self.assertIn("NextToken", first)
        for a in arns[1:]:
            self.aws("stop-execution", "--execution-arn", a)

    def test_start_sync_execution(self):
        _, r = self.create(PASS, type="EXPRESS")
        out = self.aws_json("start-sync-execution", "--state-machine-arn", r["stateMachineArn"],
                            "--input", '{"a":1}', env={"AWS_DISABLE_HOST_PREFIX_INJECTION": "true"})
        self.assertEqual(out["status"], "SUCCEEDED")
        self.assertEqual(json.loads(out["output"]), {"a": 1, "out": {"greeting": "hi"}})
        self.assertIn("billingDetails", out)

    def test_service_errors(self):
        self.aws_error("InvalidArn", "DescribeStateMachine", "describe-state-machine", "--state-machine-arn",
                       "not_a_valid_arn", message="Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'")
        self.aws_error("InvalidDefinition", "CreateStateMachine", "create-state-machine", "--name",
                       unique_name("bad"), "--role-arn", ROLE, "--definition",
                       json.dumps({"StartAt": "pass1", "States": {"pass1": {"Type": "Pass", "Next": "pass3"},
                                                                  "pass2": {"Type": "Pass", "End": True}}}),
                       message="Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' "
                               "target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" "
                               "is not reachable. at /States/pass2'")
        self.aws_error("InvalidName", "CreateStateMachine", "create-state-machine", "--name", "bad name",
                       "--role-arn", ROLE, "--definition", json.dumps(PASS), message="Invalid Name: 'bad name'")
        self.aws_error("ValidationException", "ListStateMachines", "list-state-machines", "--max-results", "1001",
                       message="1 validation error detected: Value '1001' at 'maxResults' failed to satisfy "
                               "constraint: Member must have value less than or equal to 1000")
        self.aws_error("InvalidToken", "SendTaskSuccess", "send-task-success", "--task-token", "garbage",
                       "--task-output", "{}", message="Invalid Token: 'Invalid token'")
        _, r = self.create(WAIT_FOREVER)
        e = self.aws_json("start-execution", "--state-machine-arn", r["stateMachineArn"], "--name", "dup",
                          "--input", '{"v":1}')["executionArn"]
        self.aws_error("ExecutionAlreadyExists", "StartExecution", "start-execution", "--state-machine-arn",
                       r["stateMachineArn"], "--name", "dup", "--input", '{"v":2}',
                       message="Execution Already Exists: '%s'" % e)
        self.aws_error("StateMachineTypeNotSupported", "StartSyncExecution", "start-sync-execution",
                       "--state-machine-arn", r["stateMachineArn"],
                       env={"AWS_DISABLE_HOST_PREFIX_INJECTION": "true"},
                       message="This operation is not supported by this type of state machine")
        self.aws("stop-execution", "--execution-arn", e)

    def test_client_side_validation_exit_code(self):
        # A missing required argument never reaches the daemon: CLI v1's argparse exits 2 (v2: 252).
        p = self.aws("describe-state-machine", expect_rc=2)
        self.assertIn("--state-machine-arn", p.stderr)


if __name__ == "__main__":
    unittest.main()
