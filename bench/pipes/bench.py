"""Pipes benchmark, each figure next to a peer measured in the same run on the same daemon.

The peer is what a user without Pipes writes: a boto3 loop that long-polls the queue, starts
the execution and deletes the message. Both read the same kind of queue and start the same
kind of state machine, so the ratio is the cost of Sluice's in-process pipe against a client
doing the same calls over HTTP.

1. latency: SendMessage → StartExecution on an idle consumer (p50/p90 over --samples messages,
   sent one at a time), measured from just before SendMessage to the execution's startDate.
2. throughput: --messages messages already in the queue, BatchSize 10, to an EXPRESS state
   machine with one Pass state (REQUEST_RESPONSE: StartSyncExecution); msgs/s until the queue
   is empty, and the daemon's CPU time per message (/proc/<pid>/stat, user + system).
"""
import argparse
import json
import os
import statistics
import threading
import time
import uuid

import boto3
from botocore.config import Config

ROLE = "arn:aws:iam::000000000000:role/bench"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def clients(url):
    kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
              config=Config(retries={"max_attempts": 0}, inject_host_prefix=False, max_pool_connections=32))
    return boto3.client("sqs", **kw), boto3.client("stepfunctions", **kw), boto3.client("pipes", **kw)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def queue(sqs, name):
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return url, f"arn:aws:sqs:us-east-1:000000000000:{name}"


def wait_running(pipes, name):
    for _ in range(500):
        if pipes.describe_pipe(Name=name)["CurrentState"] == "RUNNING":
            return
        time.sleep(0.01)
    raise SystemExit(f"pipe {name} never ran")


class Consumer:
    """The peer: receive up to 10, start one execution with the batch, delete the batch."""

    def __init__(self, url, queue_url, machine, sync, threads=1):
        self.queue_url, self.machine, self.sync = queue_url, machine, sync
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(url,), daemon=True) for _ in range(threads)]
        for t in self.threads:
            t.start()

    def run(self, url):
        sqs, sfn, _ = clients(url)
        while not self.stop.is_set():
            got = sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                      MessageSystemAttributeNames=["All"]).get("Messages", [])
            if not got:
                continue
            records = [{"messageId": m["MessageId"], "body": m["Body"]} for m in got]
            if self.sync:
                sfn.start_sync_execution(stateMachineArn=self.machine, input=json.dumps(records))
            else:
                sfn.start_execution(stateMachineArn=self.machine, input=json.dumps(records))
            sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])

    def close(self):
        self.stop.set()
        for t in self.threads:
            t.join()


def latency(url, samples, use_pipe):
    sqs, sfn, pipes = clients(url)
    tag = uuid.uuid4().hex[:8]
    queue_url, queue_arn = queue(sqs, f"lat-{tag}")
    machine = sfn.create_state_machine(name=f"lat-{tag}", roleArn=ROLE, definition=PASS)["stateMachineArn"]
    consumer = None
    if use_pipe:
        pipes.create_pipe(Name=f"lat-{tag}", Source=queue_arn, Target=machine, RoleArn=ROLE,
                          SourceParameters={"SqsQueueParameters": {"BatchSize": 1}},
                          TargetParameters={"StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}})
        wait_running(pipes, f"lat-{tag}")
    else:
        consumer = Consumer(url, queue_url, machine, sync=False)
    time.sleep(0.3)  # both consumers parked on a long poll: idle
    out = []
    last = None
    for i in range(samples):
        t0 = time.time()
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"m{i}")
        while True:  # ListExecutions lists the newest first
            newest = (sfn.list_executions(stateMachineArn=machine, maxResults=1)["executions"] or [None])[0]
            if newest and newest["executionArn"] != last:
                break
            time.sleep(0.001)
        last = newest["executionArn"]
        out.append((newest["startDate"].timestamp() - t0) * 1000)
        time.sleep(0.02)
    if consumer:
        consumer.close()
    else:
        pipes.delete_pipe(Name=f"lat-{tag}")
    out.sort()
    return statistics.median(out), out[int(len(out) * 0.9)]


def fill(url, queue_url, n):
    def send(start, count):
        sqs, _, _ = clients(url)
        for b in range(start, start + count, 10):
            sqs.send_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(j), "MessageBody": json.dumps({"n": b + j})} for j in range(min(10, start + count - b))])
    per = (n + 7) // 8
    threads = [threading.Thread(target=send, args=(k * per, max(0, min(per, n - k * per)))) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def throughput(url, pid, n, use_pipe):
    sqs, sfn, pipes = clients(url)
    tag = uuid.uuid4().hex[:8]
    queue_url, queue_arn = queue(sqs, f"tp-{tag}")
    machine = sfn.create_state_machine(name=f"tp-{tag}", roleArn=ROLE, definition=PASS, type="EXPRESS")["stateMachineArn"]
    fill(url, queue_url, n)

    def left():
        a = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
        return int(a["ApproximateNumberOfMessages"]) + int(a["ApproximateNumberOfMessagesNotVisible"])

    assert left() == n, "the queue did not get every message"
    cpu0, t0 = cpu_seconds(pid), time.time()
    consumer = None
    if use_pipe:
        pipes.create_pipe(Name=f"tp-{tag}", Source=queue_arn, Target=machine, RoleArn=ROLE,
                          SourceParameters={"SqsQueueParameters": {"BatchSize": 10}})
    else:
        consumer = Consumer(url, queue_url, machine, sync=True, threads=8)
    while left() > 0:
        time.sleep(0.05)
    elapsed, cpu = time.time() - t0, cpu_seconds(pid) - cpu0
    if consumer:
        consumer.close()
    else:
        pipes.delete_pipe(Name=f"tp-{tag}")
    return n / elapsed, cpu / n * 1e6


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("pid", type=int)
    p.add_argument("--samples", type=int, default=200)
    p.add_argument("--messages", type=int, default=100_000)
    a = p.parse_args()

    pipe_p50, pipe_p90 = latency(a.url, a.samples, True)
    peer_p50, peer_p90 = latency(a.url, a.samples, False)
    print(f"latency SendMessage→StartExecution ({a.samples} samples, idle consumer)")
    print(f"  pipe         p50 {pipe_p50:7.2f} ms   p90 {pipe_p90:7.2f} ms   (target p50 ≤ 2 ms)")
    print(f"  boto3 loop   p50 {peer_p50:7.2f} ms   p90 {peer_p90:7.2f} ms")
    print(f"  ratio pipe/boto3 p50: {pipe_p50 / peer_p50:.2f}")

    pipe_rate, pipe_cpu = throughput(a.url, a.pid, a.messages, True)
    peer_rate, peer_cpu = throughput(a.url, a.pid, a.messages, False)
    print(f"throughput, {a.messages} messages, BatchSize 10 → EXPRESS Pass (StartSyncExecution)")
    print(f"  pipe         {pipe_rate:9.0f} msg/s   daemon CPU {pipe_cpu:6.1f} µs/msg")
    print(f"  boto3 x8     {peer_rate:9.0f} msg/s   daemon CPU {peer_cpu:6.1f} µs/msg")
    print(f"  ratio pipe/boto3: {pipe_rate / peer_rate:.2f}x the rate, {pipe_cpu / peer_cpu:.2f}x the CPU per message")


if __name__ == "__main__":
    main()
