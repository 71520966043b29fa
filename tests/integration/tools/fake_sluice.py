#!/usr/bin/env python3
"""A stand-in for the sluice binary, for checking the test harness itself (not a reference).

It follows the daemon's process contract (flags, the ready line on stdout for --port 0,
GET /_sluice/health, exit 0 on SIGTERM) and answers SQS with moto's server. Time scale is
accepted and ignored, so time-dependent tests take real time and many behaviours differ from
AWS: expect failures that are moto's, not the harness's.

    SLUICE_BIN=tests/integration/tools/fake_sluice.py tests/integration/run.sh
"""
import argparse
import json
import signal
import sys
import threading
import time

from werkzeug.serving import make_server


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log-level", default="warn")
    ap.add_argument("--time-scale", type=float, default=1.0)
    args = ap.parse_args()

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    moto_app = DomainDispatcherApplication(create_backend_app)
    started = time.monotonic()

    def app(environ, start_response):
        if environ.get("PATH_INFO") == "/_sluice/health" and environ.get("REQUEST_METHOD") == "GET":
            body = json.dumps({"status": "ok", "version": "fake-moto", "services": ["sqs"],
                               "uptime_seconds": time.monotonic() - started}).encode()
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        return moto_app(environ, start_response)

    server = make_server(args.host, args.port, app, threaded=True)
    port = server.server_port

    def on_term(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    print("listening on http://%s:%d" % (args.host, port), flush=True)
    print("fake sluice (moto) time scale %s ignored" % args.time_scale, file=sys.stderr, flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
