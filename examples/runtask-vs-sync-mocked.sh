#!/usr/bin/env bash
# runTask vs runTask.sync without a container engine: the same two state machines as
# examples/runtask-vs-sync.sh, with Step Functions Local's mock configuration file standing in
# for ECS (sluice --mock-config). The runTask state's mock is ECS accepting the task; the
# runTask.sync state's mock is the task stopping with its container's exit code 1, four times
# (the call and its three retries), as States.TaskFailed with the stopped task as the cause.
#
#   examples/runtask-vs-sync-mocked.sh       (SLUICE_BIN, default build/release/sluice, built if missing)
# Exits 0 when the executions end as on AWS: runTask SUCCEEDED, runTask.sync FAILED after 4 tries.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scale="${TIME_SCALE:-0.01}"  # 60 s retry intervals last 0.6 s
port="${PORT:-4578}"
bin="${SLUICE_BIN:-build/release/sluice}"
if [[ ! -x "$bin" ]]; then
  scripts/install-deps.sh build >/dev/null
  cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work/mocks.json" <<'MOCKS'
import json, sys
stopped = {"ClusterArn": "arn:aws:ecs:us-east-1:000000000000:cluster/default",
           "Containers": [{"ExitCode": 1, "LastStatus": "STOPPED", "Name": "main"}],
           "DesiredStatus": "STOPPED", "Group": "family:demo-worker", "LastStatus": "STOPPED",
           "StartedBy": "AWS Step Functions", "StopCode": "EssentialContainerExited",
           "StoppedReason": "Essential container in task exited",
           "TaskArn": "arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef"}
accepted = {"Tasks": [dict(stopped, LastStatus="PROVISIONING", DesiredStatus="RUNNING",
                           Containers=[{"LastStatus": "PENDING", "Name": "main"}])], "Failures": []}
json.dump({
    "StateMachines": {
        "ecs-runTask": {"TestCases": {"ContainerExits1": {"RunWorker": "TaskAccepted"}}},
        "ecs-runTask-sync": {"TestCases": {"ContainerExits1": {"RunWorker": "TaskStoppedWithExit1"}}}},
    "MockedResponses": {
        "TaskAccepted": {"0": {"Return": accepted}},
        "TaskStoppedWithExit1": {"0-3": {"Throw": {"Error": "States.TaskFailed", "Cause": json.dumps(stopped)}}}},
}, open(sys.argv[1], "w"), indent=2)
MOCKS

"$bin" --port "$port" --time-scale "$scale" --log-level warn --mock-config "$work/mocks.json" >/dev/null 2>"$work/log" &
sluice_pid=$!
trap 'kill "$sluice_pid" 2>/dev/null; wait "$sluice_pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/_sluice/health" >/dev/null && break; sleep 0.05; done

python3 - "$port" "$scale" <<'DEMO'
import json, sys, time
import boto3

port, scale = sys.argv[1], float(sys.argv[2])
sfn = boto3.client("stepfunctions", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")

def machine(resource):
    return {"StartAt": "RunWorker", "States": {"RunWorker": {
        "Type": "Task", "Resource": resource,
        "Parameters": {"TaskDefinition": "demo-worker", "Overrides": {"ContainerOverrides": [{
            "Name": "main", "Environment": [{"Name": "WORKER_EXIT_CODE", "Value": "1"}]}]}},
        "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 60, "MaxAttempts": 3, "BackoffRate": 2}],
        "End": True}}}

runs = {}
for label, resource in (("ecs:runTask", "arn:aws:states:::ecs:runTask"),
                        ("ecs:runTask.sync", "arn:aws:states:::ecs:runTask.sync")):
    arn = sfn.create_state_machine(name=label.replace(":", "-").replace(".", "-"),
                                   roleArn="arn:aws:iam::000000000000:role/demo",
                                   definition=json.dumps(machine(resource)))["stateMachineArn"]
    # `#ContainerExits1` after the ARN picks the test case of the mock file.
    runs[label] = sfn.start_execution(stateMachineArn=arn + "#ContainerExits1", input="{}")["executionArn"]

for arn in runs.values():
    while sfn.describe_execution(executionArn=arn)["status"] == "RUNNING":
        time.sleep(0.05)

width = 60
rows = {}
for label, arn in runs.items():
    events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    t0 = events[0]["timestamp"]
    rows[label] = [f"{(e['timestamp'] - t0).total_seconds():6.1f}s  {e['type']}" for e in events
                   if e["type"].startswith(("Task", "Execution"))]
print(f"{'ecs:runTask (mocked)':<{width}}| ecs:runTask.sync (mocked)")
print("-" * width + "+" + "-" * width)
left, right = rows["ecs:runTask"], rows["ecs:runTask.sync"]
for i in range(max(len(left), len(right))):
    print(f"{(left[i] if i < len(left) else ''):<{width}}| {right[i] if i < len(right) else ''}")
results = {label: sfn.describe_execution(executionArn=arn) for label, arn in runs.items()}
print()
for label, d in results.items():
    print(f"{label:<17} execution {d['status']:<9} {d.get('error', '')}")
failed_tries = sum(1 for r in right if r.endswith("TaskFailed"))
ok = (results["ecs:runTask"]["status"] == "SUCCEEDED" and results["ecs:runTask.sync"]["status"] == "FAILED"
      and results["ecs:runTask.sync"].get("error") == "States.TaskFailed" and failed_tries == 4)
print("\nAs on AWS: runTask succeeds once ECS accepts the task; runTask.sync sees the container's exit"
      "\ncode, retries three times and fails." if ok else "\nNOT as expected")
sys.exit(0 if ok else 1)
DEMO
