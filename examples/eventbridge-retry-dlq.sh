#!/usr/bin/env bash
# An EventBridge rule whose Step Functions target has been deleted: the event goes to the target's
# dead-letter queue with AWS's message attributes (RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE,
# RETRY_ATTEMPTS). A target that no longer exists is not retried: AWS sends such events "directly
# to the DLQ" (eb-rule-dlq; docs/research/eventbridge-behaviour.md). Then the state machine is
# created again and the DLQ is redriven: each dead letter is put back on the bus, the rule delivers
# it, and the execution runs.
#
#   examples/eventbridge-retry-dlq.sh       (SLUICE_BIN, default build/release/sluice, built if missing)
# Exits 0 when the dead letter carries the attributes and the redriven event starts an execution.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scale="${TIME_SCALE:-0.01}"
port="${PORT:-4579}"
bin="${SLUICE_BIN:-build/release/sluice}"
if [[ ! -x "$bin" ]]; then
  scripts/install-deps.sh build >/dev/null
  cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
fi

work="$(mktemp -d)"
"$bin" --port "$port" --time-scale "$scale" --log-level info >/dev/null 2>"$work/log" &
sluice_pid=$!
trap 'kill "$sluice_pid" 2>/dev/null; wait "$sluice_pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/_sluice/health" >/dev/null && break; sleep 0.05; done

python3 - "$port" <<'DEMO'
import json, sys, time
import boto3

port = sys.argv[1]
def client(service):
    return boto3.client(service, endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")
events, sfn, sqs = client("events"), client("stepfunctions"), client("sqs")
role = "arn:aws:iam::000000000000:role/demo"
definition = json.dumps({"StartAt": "Ship", "States": {"Ship": {"Type": "Pass", "End": True}}})

def wait_for(fn, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.05)
    return fn()

machine = sfn.create_state_machine(name="ship-order", definition=definition, roleArn=role)["stateMachineArn"]
dlq_url = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
dlq_arn = "arn:aws:sqs:us-east-1:000000000000:orders-dlq"
rule_arn = events.put_rule(Name="ship-orders", EventPattern=json.dumps({"source": ["shop"]}))["RuleArn"]
events.put_targets(Rule="ship-orders", Targets=[{
    "Id": "ship", "Arn": machine, "DeadLetterConfig": {"Arn": dlq_arn},
    "RetryPolicy": {"MaximumRetryAttempts": 10, "MaximumEventAgeInSeconds": 3600}}])

print("1. the state machine is deleted, then an order event is put on the bus")
sfn.delete_state_machine(stateMachineArn=machine)
event_id = events.put_events(Entries=[{"Source": "shop", "DetailType": "order placed",
                                       "Detail": json.dumps({"order": 42})}])["Entries"][0]["EventId"]

messages = wait_for(lambda: sqs.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"],
                                                MaxNumberOfMessages=10).get("Messages"))
assert messages, "no dead letter arrived"
dead = messages[0]
attrs = {k: v["StringValue"] for k, v in dead["MessageAttributes"].items()}
print("2. the event is in the dead-letter queue:")
for k in sorted(attrs):
    print(f"     {k} = {attrs[k]}")
assert json.loads(dead["Body"])["id"] == event_id
assert attrs["ERROR_CODE"] == "NO_RESOURCE" and attrs["RETRY_ATTEMPTS"] == "0"
assert attrs["RULE_ARN"] == rule_arn and attrs["TARGET_ARN"] == machine

print("3. the state machine is created again and the dead-letter queue is redriven")
sfn.create_state_machine(name="ship-order", definition=definition, roleArn=role)
event = json.loads(dead["Body"])
out = events.put_events(Entries=[{"Source": event["source"], "DetailType": event["detail-type"],
                                  "Detail": json.dumps(event["detail"]), "Resources": event["resources"]}])
assert out["FailedEntryCount"] == 0
sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=dead["ReceiptHandle"])

executions = wait_for(lambda: [e for e in sfn.list_executions(stateMachineArn=machine)["executions"]
                               if e["status"] == "SUCCEEDED"])
assert executions, "the redriven event started no execution"
run = sfn.describe_execution(executionArn=executions[0]["executionArn"])
print("4. the redriven event ran:", run["status"], "with detail", json.loads(run["input"])["detail"])
DEMO
echo "ok"
