#!/usr/bin/env python3
"""What a CI suite does against Sluice, in a few lines: an SQS round trip and a Step Functions
execution that sends to the queue. The endpoint is AWS_ENDPOINT_URL (default
http://localhost:4566), as for every AWS SDK; credentials can be anything.

    AWS_ENDPOINT_URL=http://localhost:4566 python3 examples/ci/smoke_test.py
"""
import json
import os
import sys
import time
import uuid

import boto3

endpoint = os.environ.get("AWS_ENDPOINT_URL", "http://localhost:4566")
session = boto3.session.Session(aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
                                aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
                                region_name=os.environ.get("AWS_REGION", "us-east-1"))
sqs = session.client("sqs", endpoint_url=endpoint)
sfn = session.client("stepfunctions", endpoint_url=endpoint)

suffix = uuid.uuid4().hex[:8]
queue_url = sqs.create_queue(QueueName=f"orders-{suffix}")["QueueUrl"]
machine = sfn.create_state_machine(
    name=f"notify-{suffix}",
    roleArn="arn:aws:iam::000000000000:role/ci",
    definition=json.dumps({"StartAt": "Notify", "States": {"Notify": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
        "Parameters": {"QueueUrl": queue_url, "MessageBody.$": "$.order"}, "End": True}}}),
)["stateMachineArn"]
execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"order": "order-42"}))["executionArn"]

deadline = time.monotonic() + 30
while (status := sfn.describe_execution(executionArn=execution)["status"]) == "RUNNING":
    if time.monotonic() > deadline:
        sys.exit("the execution did not finish within 30 s")
    time.sleep(0.1)
if status != "SUCCEEDED":
    sys.exit(f"the execution ended {status}")

messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=5).get("Messages", [])
if [m["Body"] for m in messages] != ["order-42"]:
    sys.exit(f"expected the state machine's message, got {messages}")
print(f"ok: {endpoint} ran the state machine and delivered its message")
