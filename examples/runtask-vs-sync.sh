#!/usr/bin/env bash
# runTask vs runTask.sync, side by side, with a real container that exits 1.
#
# Two state machines differ only in their Task resource: `arn:aws:states:::ecs:runTask` and
# `arn:aws:states:::ecs:runTask.sync`. Both retry States.TaskFailed (IntervalSeconds 60,
# MaxAttempts 3, BackoffRate 2). The first succeeds as soon as ECS accepted the task: the
# container's failure is lost. The second waits for the task, fails with States.TaskFailed,
# and runs the container three more times before the execution fails.
#
#   examples/runtask-vs-sync.sh            (builds Sluice and the test worker image if needed)
# Needs a Docker-compatible engine: DOCKER_HOST, or scripts/container-engine.sh sets Podman up.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scale="${TIME_SCALE:-0.01}"  # 60 s retry intervals last 0.6 s
port="${PORT:-4577}"

source "$root/examples/start-sluice.sh"

python3 - "$port" "$scale" <<'EOF'
import json, sys, time
import boto3

port, scale = sys.argv[1], float(sys.argv[2])
kw = dict(endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
          aws_access_key_id="test", aws_secret_access_key="test")
ecs, sfn = boto3.client("ecs", **kw), boto3.client("stepfunctions", **kw)

ecs.register_task_definition(family="demo-worker", containerDefinitions=[
    {"name": "main", "image": "sluice-test-worker:latest", "memory": 64}])

def machine(resource):
    return {"StartAt": "RunWorker", "States": {"RunWorker": {
        "Type": "Task", "Resource": resource,
        "Parameters": {"TaskDefinition": "demo-worker", "Overrides": {"ContainerOverrides": [{
            "Name": "main", "Environment": [
                {"Name": "STEP_FUNCTIONS_INPUT", "Value.$": "States.JsonToString($)"},
                {"Name": "WORKER_EXIT_CODE", "Value": "1"}]}]}},
        "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 60, "MaxAttempts": 3, "BackoffRate": 2}],
        "End": True}}}

runs = {}
for label, resource in (("ecs:runTask", "arn:aws:states:::ecs:runTask"),
                        ("ecs:runTask.sync", "arn:aws:states:::ecs:runTask.sync")):
    arn = sfn.create_state_machine(name=label.replace(":", "-").replace(".", "-"),
                                   roleArn="arn:aws:iam::000000000000:role/demo",
                                   definition=json.dumps(machine(resource)))["stateMachineArn"]
    runs[label] = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"order": 42}))["executionArn"]

for label, arn in runs.items():
    while sfn.describe_execution(executionArn=arn)["status"] == "RUNNING":
        time.sleep(0.1)

def timeline(arn):
    events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    t0 = events[0]["timestamp"]
    rows = []
    for e in events:
        t = (e["timestamp"] - t0).total_seconds()  # wall time; the retry waits are scaled
        kind = e["type"]
        note = ""
        details = e.get("taskSubmittedEventDetails") or e.get("taskSucceededEventDetails") or {}
        if '"Tasks"' in details.get("output", ""):
            out = json.loads(details["output"])
            task_arn = out["Tasks"][0]["TaskArn"]
            # What became of the container, seen from ECS afterwards.
            task = ecs.describe_tasks(tasks=[task_arn])["tasks"][0]
            for _ in range(100):
                if task["lastStatus"] == "STOPPED":
                    break
                time.sleep(0.05)
                task = ecs.describe_tasks(tasks=[task_arn])["tasks"][0]
            note = f"task {task_arn[-8:]}: container exit code {task['containers'][0].get('exitCode')}"
        elif kind == "TaskFailed":
            d = e["taskFailedEventDetails"]
            cause = json.loads(d["cause"])
            note = f"{d['error']} (exit code {cause['Containers'][0].get('ExitCode')})"
        elif kind.startswith("Execution") and kind != "ExecutionStarted":
            note = kind.replace("Execution", "").upper()
        if kind in ("TaskSubmitted", "TaskFailed", "TaskSucceeded", "TaskScheduled") or kind.startswith("Execution"):
            rows.append(f"{t:7.1f}s  {kind:<18} {note}")
    return rows

cols = {label: timeline(arn) for label, arn in runs.items()}
width = 72
print(f"{'ecs:runTask':<{width}}| ecs:runTask.sync")
print("-" * width + "+" + "-" * width)
left, right = cols["ecs:runTask"], cols["ecs:runTask.sync"]
for i in range(max(len(left), len(right))):
    l = left[i] if i < len(left) else ""
    r = right[i] if i < len(right) else ""
    print(f"{l:<{width}}| {r}")
print()
for label, arn in runs.items():
    d = sfn.describe_execution(executionArn=arn)
    print(f"{label:<17} execution {d['status']:<9} {d.get('error', '')}")
print(f"\nTimes are wall-clock seconds; Sluice ran with --time-scale {scale}, so the 60 s, 120 s and 240 s")
print(f"retry intervals took {scale * 100:g}% of that. ecs:runTask SUCCEEDED although its container exited 1;")
print("ecs:runTask.sync saw each failure, ran the container three more times and FAILED with States.TaskFailed.")
EOF
