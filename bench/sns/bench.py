"""SNS fan-out benchmark: Publish to a topic with 10 SQS subscriptions, against one server.

Creates a topic and 10 standard queues subscribed to it, publishes N messages from T threads
(boto3, one client per thread), then waits until every queue holds N messages. Prints publish
rate, end-to-end deliveries per second (N x 10 over the time from the first publish to the last
message landing) and the server's CPU seconds per published message.

    python3 bench/sns/bench.py URL PID --messages 2000 --threads 4
"""
import argparse
import os
import threading
import time

import boto3
from botocore.config import Config

SUBSCRIPTIONS = 10


def client(url, service):
    return boto3.session.Session().client(
        service, endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}, max_pool_connections=16))


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("pid", type=int)
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=4)
    a = ap.parse_args()
    sns, sqs = client(a.url, "sns"), client(a.url, "sqs")
    tag = str(int(time.time()))
    topic = sns.create_topic(Name="bench-" + tag)["TopicArn"]
    urls = []
    for i in range(SUBSCRIPTIONS):
        url = sqs.create_queue(QueueName="bench-%s-%d" % (tag, i))["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
        urls.append(url)

    def publish(count):
        c = client(a.url, "sns")
        for i in range(count):
            c.publish(TopicArn=topic, Message="message %d" % i)

    per_thread = a.messages // a.threads
    total = per_thread * a.threads
    cpu0, t0 = cpu_seconds(a.pid), time.monotonic()
    workers = [threading.Thread(target=publish, args=(per_thread,)) for _ in range(a.threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    published = time.monotonic() - t0

    def landed():
        return sum(int(sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["ApproximateNumberOfMessages"])
                       ["Attributes"]["ApproximateNumberOfMessages"]) for u in urls)

    deadline = time.monotonic() + 300
    while landed() < total * SUBSCRIPTIONS and time.monotonic() < deadline:
        time.sleep(0.05)
    done = time.monotonic() - t0
    cpu = cpu_seconds(a.pid) - cpu0
    got = landed()
    print("published %d in %.2f s: %.0f publishes/s; %d/%d deliveries landed after %.2f s: %.0f deliveries/s; "
          "server CPU %.3f ms per publish" % (total, published, total / published, got, total * SUBSCRIPTIONS,
                                               done, got / done, 1000 * cpu / total))


if __name__ == "__main__":
    main()
