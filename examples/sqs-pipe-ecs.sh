#!/usr/bin/env bash
# SQS → Pipe → Step Functions → ecs:runTask.sync, next to SQS → Pipe → ECS, with real containers
# that exit 1.
#
# Resilient: the pipe (BatchSize 1, FIRE_AND_FORGET) starts a STANDARD state machine whose Task
# state runs the container with `ecs:runTask.sync` and STEP_FUNCTIONS_INPUT = the record array.
# The message leaves the queue when the execution starts; the container's failure fails the
# state, which retries it (States.TaskFailed), and the execution records it all.
# Lossy: the pipe's target is the ECS cluster itself. The message is deleted as soon as the task
# starts; the container's exit 1 is seen by nobody.
#
#   examples/sqs-pipe-ecs.sh            (builds Sluice and the test worker image if needed)
# Needs a Docker-compatible engine: DOCKER_HOST, or scripts/container-engine.sh sets Podman up.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scale="${TIME_SCALE:-0.01}"
port="${PORT:-4578}"

source "$root/examples/start-sluice.sh"

python3 - "$port" <<'EOF'
import json, sys, time, urllib.request
import boto3

port = sys.argv[1]
url = f"http://127.0.0.1:{port}"
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
sqs, sfn, ecs, pipes = (boto3.client(s, **kw) for s in ("sqs", "stepfunctions", "ecs", "pipes"))
role = "arn:aws:iam::000000000000:role/demo"

for _ in range(100):  # the daemon finds the container engine in the background
    if json.load(urllib.request.urlopen(f"{url}/_sluice/health")).get("ecs", {}).get("engine", {}).get("state") == "connected":
        break
    time.sleep(0.1)

definition = ecs.register_task_definition(family="demo-worker", containerDefinitions=[
    {"name": "main", "image": "sluice-test-worker:latest", "memory": 64,
     "environment": [{"name": "WORKER_EXIT_CODE", "value": "1"}]}])["taskDefinition"]["taskDefinitionArn"]

def counts(queue_url):
    a = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    return f"{a['ApproximateNumberOfMessages']} visible, {a['ApproximateNumberOfMessagesNotVisible']} in flight"

def running(name):
    while pipes.describe_pipe(Name=name)["CurrentState"] != "RUNNING":
        time.sleep(0.05)

# 1. Resilient: SQS → Pipe → STANDARD state machine → ecs:runTask.sync, retried.
resilient_q = sqs.create_queue(QueueName="orders-resilient")["QueueUrl"]
machine = sfn.create_state_machine(name="process-order", roleArn=role, definition=json.dumps({
    "StartAt": "RunWorker", "States": {"RunWorker": {
        "Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync",
        "Parameters": {"TaskDefinition": "demo-worker", "Overrides": {"ContainerOverrides": [{
            "Name": "main", "Environment": [{"Name": "STEP_FUNCTIONS_INPUT", "Value.$": "States.JsonToString($)"}]}]}},
        "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 30, "MaxAttempts": 2, "BackoffRate": 2}],
        "End": True}}}))["stateMachineArn"]
pipes.create_pipe(Name="orders-resilient", Source="arn:aws:sqs:us-east-1:000000000000:orders-resilient",
                  Target=machine, RoleArn=role,
                  SourceParameters={"SqsQueueParameters": {"BatchSize": 1}},
                  TargetParameters={"StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}})

# 2. Lossy: SQS → Pipe → ECS task directly.
lossy_q = sqs.create_queue(QueueName="orders-lossy")["QueueUrl"]
pipes.create_pipe(Name="orders-lossy", Source="arn:aws:sqs:us-east-1:000000000000:orders-lossy",
                  Target="arn:aws:ecs:us-east-1:000000000000:cluster/default", RoleArn=role,
                  SourceParameters={"SqsQueueParameters": {"BatchSize": 1}},
                  TargetParameters={"EcsTaskParameters": {"TaskDefinitionArn": definition, "LaunchType": "EC2",
                                                          "Overrides": {"ContainerOverrides": [{"Name": "main", "Command": ["$.body"]}]}}})
running("orders-resilient")
running("orders-lossy")

sqs.send_message(QueueUrl=resilient_q, MessageBody=json.dumps({"order": 42}))
sqs.send_message(QueueUrl=lossy_q, MessageBody=json.dumps({"order": 43}))

while not sfn.list_executions(stateMachineArn=machine)["executions"]:
    time.sleep(0.05)
execution = sfn.list_executions(stateMachineArn=machine)["executions"][0]["executionArn"]
print(f"resilient: execution started; queue now {counts(resilient_q)}")
while sfn.describe_execution(executionArn=execution)["status"] == "RUNNING":
    time.sleep(0.1)
d = sfn.describe_execution(executionArn=execution)
history = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
print(f"resilient: execution {d['status']} ({d.get('error', '')}) after "
      f"{sum(e['type'] == 'TaskSubmitted' for e in history)} containers, each seen failing:")
for e in history:
    if e["type"] == "TaskFailed":
        cause = json.loads(e["taskFailedEventDetails"]["cause"])
        print(f"  TaskFailed: {e['taskFailedEventDetails']['error']}, container exit code {cause['Containers'][0].get('ExitCode')}")
task = json.loads(history[[e["type"] for e in history].index("TaskSubmitted")]["taskSubmittedEventDetails"]["output"])["Tasks"][0]["TaskArn"]
logs = urllib.request.urlopen(f"{url}/_sluice/ecs/tasks/{task.split('/')[-1]}/logs").read().decode()
print("  the container printed:", next(l for l in logs.splitlines() if l.startswith("STEP_FUNCTIONS_INPUT="))[:150], "...")

def lossy_task():
    for arn in ecs.list_tasks(desiredStatus="STOPPED")["taskArns"]:
        t = ecs.describe_tasks(tasks=[arn])["tasks"][0]
        if t.get("startedBy") != "AWS Step Functions":
            return t
while not (t := lossy_task()):
    time.sleep(0.1)
stats = json.load(urllib.request.urlopen(f"{url}/_sluice/pipes/orders-lossy"))
print(f"\nlossy: the task's container exited {t['containers'][0].get('exitCode')}; "
      f"the pipe counted {stats['messagesDelivered']} delivered, {stats['messagesFailed']} failed; queue now {counts(lossy_q)}")
print("lossy: the message is gone and nothing retries it. The resilient chain saw every failure and retried.")
EOF
