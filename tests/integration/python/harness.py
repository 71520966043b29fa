"""Test harness for Sluice integration tests (stdlib only, plus boto3 for client helpers).

A `Daemon` is either a Sluice process started from $SLUICE_BIN on a free port, or, when
$SLUICE_URL is set, an already running endpoint (used to check the harness against another
emulator; its time scale is then $SLUICE_TIME_SCALE, default 1).

Durations: tests think in real seconds and ask the daemon for the SQS value that lasts that
long under its --time-scale (`d.attr_seconds(0.1)` at scale 0.02 gives 5).
"""
import json
import math
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

READY_RE = re.compile(r"^listening on http://127\.0\.0\.1:(\d+)$")

ACCESS_KEY = "test"
SECRET_KEY = "test"
REGION = "us-east-1"
DEFAULT_ACCOUNT = "000000000000"
# What the sanitizer build prints when it finds something; a daemon that printed one failed.
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "UndefinedBehaviorSanitizer", "WARNING: ThreadSanitizer")


class HarnessError(AssertionError):
    pass


def http_get(url, timeout=5.0):
    """Returns (status, headers, body bytes) for a GET; HTTP errors are answers, not raises."""
    req = urllib.request.Request(url, method="GET")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class Daemon:
    """One Sluice daemon (or an external endpoint) for a test module."""

    def __init__(self, time_scale=1.0, name="sluice", extra_args=()):
        self.extra_args = list(extra_args)  # more flags for the daemon (--mock-config FILE)
        self.requested_scale = float(time_scale)
        self.name = name
        self.proc = None
        self.endpoint = None
        self.time_scale = None
        self.external = False
        self._stderr_file = None
        self._stdout_rest = []
        self._drain = None

    # ---------------------------------------------------------------- lifecycle
    def start(self):
        url = os.environ.get("SLUICE_URL")
        if url:
            self.external = True
            self.endpoint = url.rstrip("/")
            self.time_scale = float(os.environ.get("SLUICE_TIME_SCALE", "1"))
            return self
        binary = os.environ.get("SLUICE_BIN")
        if not binary:
            raise HarnessError("set SLUICE_BIN (path to the sluice binary) or SLUICE_URL")
        if not os.access(binary, os.X_OK):
            raise HarnessError("SLUICE_BIN=%s is not an executable file" % binary)
        self.time_scale = self.requested_scale
        self._stderr_file = tempfile.NamedTemporaryFile(
            prefix="sluice-%s-" % self.name, suffix=".stderr", delete=False)
        cmd = [binary, "--host", "127.0.0.1", "--port", "0", "--log-level", "warn",
               "--time-scale", repr(self.time_scale)] + self.extra_args
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._stderr_file,
                                     stdin=subprocess.DEVNULL)
        line = self._read_ready_line(timeout=15.0)
        m = READY_RE.match(line)
        if not m:
            self._kill()
            raise HarnessError("daemon's first stdout line is %r, expected 'listening on "
                               "http://127.0.0.1:PORT'\n%s" % (line, self.stderr_tail()))
        port = int(m.group(1))
        if port == 0:
            self._kill()
            raise HarnessError("daemon reported port 0")
        self.endpoint = "http://127.0.0.1:%d" % port
        # Keep reading stdout so the daemon can never block on a full pipe.
        self._drain = threading.Thread(target=self._drain_stdout, daemon=True)
        self._drain.start()
        self.wait_healthy(timeout=10.0)
        return self

    def _read_ready_line(self, timeout):
        box = {}

        def reader():
            box["line"] = self.proc.stdout.readline()

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        t.join(timeout)
        if t.is_alive():
            self._kill()
            raise HarnessError("daemon printed no ready line within %.0f s\n%s"
                               % (timeout, self.stderr_tail()))
        raw = box.get("line", b"")
        if not raw:
            rc = self.proc.wait(timeout=5)
            raise HarnessError("daemon exited (rc=%s) before printing its ready line\n%s"
                               % (rc, self.stderr_tail()))
        return raw.decode("utf-8", "replace").rstrip("\r\n")

    def _drain_stdout(self):
        for raw in self.proc.stdout:
            self._stdout_rest.append(raw.decode("utf-8", "replace"))

    def wait_healthy(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise HarnessError("daemon exited with %s while waiting for health\n%s"
                                   % (self.proc.returncode, self.stderr_tail()))
            try:
                status, _, body = http_get(self.endpoint + "/_sluice/health", timeout=2.0)
                if status == 200 and json.loads(body).get("status") == "ok":
                    return
                last = "status %s body %r" % (status, body[:200])
            except (OSError, ValueError) as e:
                last = repr(e)
            time.sleep(0.05)
        raise HarnessError("daemon not healthy within %.0f s: %s\n%s"
                           % (timeout, last, self.stderr_tail()))

    def stop(self):
        """SIGTERM; the daemon must exit 0 within 5 s (raises otherwise)."""
        if self.external or self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is not None:
            raise HarnessError("daemon had already exited with %s before SIGTERM\n%s"
                               % (proc.returncode, self.stderr_tail()))
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=5.0)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise HarnessError("daemon did not exit within 5 s of SIGTERM\n%s" % self.stderr_tail())
        if self._drain is not None:
            self._drain.join(2.0)
        if rc != 0:
            raise HarnessError("daemon exited with %s after SIGTERM (expected 0)\n%s"
                               % (rc, self.stderr_tail()))
        text = self.stderr_tail(n=None)
        if any(m in text for m in SANITIZER_MARKERS):
            raise HarnessError("sanitizer report in the daemon's stderr:\n%s" % text[-8000:])
        self._cleanup_files()

    def _kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def _cleanup_files(self):
        if self._stderr_file is not None:
            try:
                self._stderr_file.close()
                os.unlink(self._stderr_file.name)
            except OSError:
                pass

    def stderr_tail(self, n=4000):
        if self._stderr_file is None:
            return ""
        try:
            self._stderr_file.flush()
            with open(self._stderr_file.name, "rb") as f:
                data = f.read()
            if n is not None:
                data = data[-n:]
            return "--- daemon stderr (tail) ---\n" + data.decode("utf-8", "replace")
        except OSError:
            return ""

    # ---------------------------------------------------------------- time
    def attr_seconds(self, real_seconds, lo=1, hi=None):
        """SQS seconds value that lasts about `real_seconds` of wall time on this daemon."""
        v = max(lo, int(math.ceil(real_seconds / self.time_scale - 1e-9)))
        if hi is not None:
            v = min(v, hi)
        return v

    def real(self, sqs_seconds):
        """Wall-clock seconds that an SQS duration lasts on this daemon."""
        return sqs_seconds * self.time_scale

    # ---------------------------------------------------------------- clients
    def client(self, service="sqs", region=REGION, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
               **config_kwargs):
        import boto3
        from botocore.config import Config
        cfg = dict(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=60)
        cfg.update(config_kwargs)
        session = boto3.session.Session()
        return session.client(service, endpoint_url=self.endpoint, region_name=region,
                              aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                              config=Config(**cfg))


def cli_env(extra=None):
    """The environment for an AWS CLI run: test credentials, no profile, no retries, no pager."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update({
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": "/nonexistent/sluice-aws-config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/sluice-aws-credentials",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_RETRY_MODE": "standard",
    })
    if extra:
        env.update(extra)
    return env


def run_cli(test, cmd, env=None, expect_rc=0):
    """Runs an AWS CLI command line; asserts its exit code (unless expect_rc is None)."""
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=cli_env(env))
    if expect_rc is not None:
        test.assertEqual(p.returncode, expect_rc, "%s\nstdout: %s\nstderr: %s"
                         % (" ".join(cmd), p.stdout[-2000:], p.stderr[-2000:]))
    return p


def cli_json(p):
    """The JSON an AWS CLI run printed ({} when it printed nothing)."""
    return json.loads(p.stdout) if p.stdout.strip() else {}


def poll_until(fn, timeout, interval=0.02):
    """Calls fn() until it returns a truthy value or `timeout` real seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() >= deadline:
            return v
        time.sleep(interval)


_counter = [0]
_counter_lock = threading.Lock()


def unique_name(prefix="q"):
    """Queue names unique within a run (and across runs against a shared endpoint)."""
    with _counter_lock:
        _counter[0] += 1
        n = _counter[0]
    return "%s-%d-%d-%d" % (prefix, os.getpid(), int(time.time() * 1000) % 10**7, n)


# ------------------------------------------------------------------ SQS digests
def _len_prefixed(b):
    return len(b).to_bytes(4, "big") + b


def md5_of_message_attributes(attrs):
    """MD5 of message (or message system) attributes as SQS computes it.

    Per the SQS developer guide (sqs-message-metadata, "Calculating the MD5 message digest for
    message attributes"): for each attribute sorted by name, the 4-byte big-endian length and
    UTF-8 bytes of the name, of the data type, then a transport byte (1 string/number, 2 binary)
    and the length-prefixed value (UTF-8 for string values, raw bytes for binary).
    """
    import hashlib
    buf = b""
    for name in sorted(attrs):
        a = attrs[name]
        buf += _len_prefixed(name.encode("utf-8"))
        buf += _len_prefixed(a["DataType"].encode("utf-8"))
        if "BinaryValue" in a and a.get("BinaryValue") is not None:
            v = a["BinaryValue"]
            if isinstance(v, str):
                v = v.encode("utf-8")
            buf += b"\x02" + _len_prefixed(bytes(v))
        else:
            buf += b"\x01" + _len_prefixed(a["StringValue"].encode("utf-8"))
    return hashlib.md5(buf).hexdigest()


def md5_hex(s):
    import hashlib
    if isinstance(s, str):
        s = s.encode("utf-8")
    return hashlib.md5(s).hexdigest()
