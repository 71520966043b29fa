#!/usr/bin/env python3
"""RunTask → container running, against the engine's own create+start, in one run.

For each round, in alternating order so neither side always runs on a warmer engine:
  engine  N threads each POST /containers/create then /containers/{id}/start on the engine's
          socket (what `docker run -d` does); the figure is the time until the last start answered.
  sluice  N threads each POST RunTask (raw JSON 1.1, as small a client as the engine's); then
          DescribeTasks is polled every 250 ms until all N tasks are RUNNING. The figure is the
          time until the last task's `startedAt` (Sluice's own timestamp, set when the engine
          answered its start: the same moment the engine side measures), read on the same host
          clock as the round's start. The time until the poll saw it is printed too. A task seen
          RUNNING is not asked about again, as a client waiting for its tasks would do.
          Why not poll faster: the poll only tells the benchmark when to stop waiting (the figure
          is startedAt), but its CPU (Python asking for and parsing 50 task descriptions) is
          taken from the engine being measured, on two cores, and the engine side has no such
          load. Polling every 5 ms the ratio read 1.17, every 50 ms 1.04-1.09, every 250 ms
          0.96-1.02 (two runs).
Both start the same image with the same command (a worker that sleeps), and everything started
is removed before the next round. The result is the ratio sluice/engine, median over rounds.

Usage: bench.py SLUICE_URL DOCKER_HOST IMAGE [--tasks N] [--rounds R]
"""
import argparse
import http.client
import json
import socket
import statistics
import sys
import threading
import time
import urllib.request


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def engine_call(sock_path, method, target, body=None):
    conn = UnixHTTPConnection(sock_path)
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, "/v1.41" + target, body=data, headers={"Content-Type": "application/json"} if data else {})
    r = conn.getresponse()
    text = r.read()
    conn.close()
    return r.status, (json.loads(text) if text.strip() else None)


def sluice_call(url, op, params):
    req = urllib.request.Request(url + "/", data=json.dumps(params).encode(), method="POST", headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AmazonEC2ContainerServiceV20141113." + op,
        "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=0",
    })
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def in_parallel(n, fn):
    errors = []

    def run(i):
        try:
            fn(i)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} of {n} calls failed: {errors[0]}")


def engine_round(sock, image, n, tag):
    ids = [None] * n

    def one(i):
        status, created = engine_call(sock, "POST", f"/containers/create?name=bench-{tag}-{i}", {
            "Image": image, "Env": ["WORKER_SLEEP_SECONDS=60"], "Labels": {"sluice.bench": tag},
            "HostConfig": {"NetworkMode": "host", "Memory": 64 * 1024 * 1024}})
        assert status == 201, created
        ids[i] = created["Id"]
        status, body = engine_call(sock, "POST", f"/containers/{ids[i]}/start")
        assert status in (204, 304), body

    t0 = time.perf_counter()
    in_parallel(n, one)
    elapsed = time.perf_counter() - t0
    in_parallel(n, lambda i: engine_call(sock, "DELETE", f"/containers/{ids[i]}?force=1"))
    return elapsed


POLL_SECONDS = 0.25


def sluice_round(url, n):
    arns = [None] * n

    def one(i):
        out = sluice_call(url, "RunTask", {"taskDefinition": "bench-worker"})
        arns[i] = out["tasks"][0]["taskArn"]

    t0_wall = time.time()
    t0 = time.perf_counter()
    in_parallel(n, one)
    # Like a client that waits for its tasks: a task seen RUNNING is not asked about again.
    started = {}
    while len(started) < n:
        pending = [a for a in arns if a not in started]
        for k in range(0, len(pending), 100):
            for t in sluice_call(url, "DescribeTasks", {"tasks": pending[k:k + 100]})["tasks"]:
                if t["lastStatus"] == "STOPPED":
                    raise RuntimeError(f"a task stopped: {t.get('stoppedReason')}")
                if t["lastStatus"] == "RUNNING":
                    started[t["taskArn"]] = t["startedAt"]
        if len(started) < n:
            time.sleep(POLL_SECONDS)
    observed = time.perf_counter() - t0
    elapsed = max(started.values()) - t0_wall
    in_parallel(n, lambda i: sluice_call(url, "StopTask", {"task": arns[i]}))
    # Wait until Sluice removed them, so the next round starts on an engine as empty as before.
    while True:
        tasks = []
        for k in range(0, n, 100):
            tasks += sluice_call(url, "DescribeTasks", {"tasks": arns[k:k + 100]})["tasks"]
        if all(t["lastStatus"] == "STOPPED" for t in tasks):
            break
        time.sleep(0.02)
    return elapsed, observed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sluice_url")
    ap.add_argument("docker_host")
    ap.add_argument("image")
    ap.add_argument("--tasks", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    sock = args.docker_host.removeprefix("unix://")

    sluice_call(args.sluice_url, "RegisterTaskDefinition", {
        "family": "bench-worker",
        "containerDefinitions": [{"name": "main", "image": args.image, "memory": 64,
                                  "environment": [{"name": "WORKER_SLEEP_SECONDS", "value": "60"}]}]})
    # One of each first, unmeasured: the engine loads the image, Sluice connects to the engine.
    engine_round(sock, args.image, 1, "warm")
    sluice_round(args.sluice_url, 1)

    engine_times, sluice_times, observed_times = [], [], []
    for r in range(args.rounds):
        order = [("engine", None), ("sluice", None)] if r % 2 == 0 else [("sluice", None), ("engine", None)]
        for side, _ in order:
            if side == "engine":
                engine_times.append(engine_round(sock, args.image, args.tasks, f"r{r}"))
            else:
                started, observed = sluice_round(args.sluice_url, args.tasks)
                sluice_times.append(started)
                observed_times.append(observed)
        print(f"round {r + 1}: engine {engine_times[-1]:.3f} s, sluice {sluice_times[-1]:.3f} s "
              f"(seen by the poll at {observed_times[-1]:.3f} s; ratio {sluice_times[-1] / engine_times[-1]:.3f})",
              file=sys.stderr)

    e, s = statistics.median(engine_times), statistics.median(sluice_times)
    print(f"\n{args.tasks} concurrent tasks, {args.rounds} rounds (medians)")
    print(f"  engine create+start        {e:8.3f} s")
    print(f"  Sluice RunTask → RUNNING   {s:8.3f} s   (last startedAt; the {POLL_SECONDS * 1000:.0f} ms poll saw it at "
          f"{statistics.median(observed_times):.3f} s)")
    print(f"  ratio Sluice/engine        {s / e:8.3f}   (target ≤ 1.1)")


if __name__ == "__main__":
    main()
