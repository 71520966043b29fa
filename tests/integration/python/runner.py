#!/usr/bin/env python3
"""Runs one unittest module of the integration suite and prints `LABEL: N passed, N failed`.

    runner.py MODULE [--protocol json|query] [--label LABEL] [-k PATTERN]

--protocol query points AWS_DATA_PATH at a temp dir holding the query-protocol SQS model shipped
by Debian's awscli package, so boto3 speaks the legacy query protocol (Action=... form bodies).
Skipped tests, errors (including module set-up/tear-down, e.g. a daemon that does not exit 0
on SIGTERM) and unexpected successes all count as failed.
"""
import argparse
import os
import sys
import tempfile
import unittest

QUERY_MODEL = "/usr/lib/python3/dist-packages/awscli/botocore/data/sqs/2012-11-05/service-2.json"


def _test_id(test):
    # a failing subTest reports a _SubTest: count its parent test once
    return getattr(test, "test_case", test).id()


class CountingResult(unittest.TextTestResult):
    """Counts tests (not subtests): a test passes when it and all its subtests pass."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.passed = 0
        self.failed_ids = set()

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1

    def _fail(self, test):
        self.failed_ids.add(_test_id(test))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._fail(test)

    def addError(self, test, err):
        super().addError(test, err)
        self._fail(test)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._fail(test)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._fail(test)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._fail(test)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._fail(test)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("module")
    ap.add_argument("--protocol", choices=["json", "query"], default="json")
    ap.add_argument("--label", default=None)
    ap.add_argument("-k", dest="pattern", action="append", default=None,
                    help="only tests whose id contains this substring (for debugging)")
    args = ap.parse_args()
    label = args.label or args.module

    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    os.environ["SLUICE_SQS_PROTOCOL"] = args.protocol
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    tmp = None
    if args.protocol == "query":
        if not os.path.exists(QUERY_MODEL):
            print("query-protocol model not found at %s (install Debian's awscli)" % QUERY_MODEL)
            print("%s: 0 passed, 1 failed" % label)
            return 1
        tmp = tempfile.TemporaryDirectory(prefix="sluice-query-model-")
        d = os.path.join(tmp.name, "sqs", "2012-11-05")
        os.makedirs(d)
        os.symlink(QUERY_MODEL, os.path.join(d, "service-2.json"))
        os.environ["AWS_DATA_PATH"] = tmp.name
    else:
        os.environ.pop("AWS_DATA_PATH", None)

    loader = unittest.TestLoader()
    if args.pattern:
        loader.testNamePatterns = ["*%s*" % p for p in args.pattern]
    try:
        suite = loader.loadTestsFromName(args.module)
    except Exception as e:  # import error: the whole suite failed
        print("could not load %s: %r" % (args.module, e))
        print("%s: 0 passed, 1 failed" % label)
        return 1
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2, resultclass=CountingResult)
    result = runner.run(suite)
    failed = len(result.failed_ids)
    if failed:
        print("failed: " + " ".join(sorted(result.failed_ids)))
    if result.skipped:
        print("skipped tests count as failures here: %s"
              % ", ".join(t.id() for t, _ in result.skipped))
    sys.stdout.flush()
    print("%s: %d passed, %d failed" % (label, result.passed, failed))
    if tmp is not None:
        tmp.cleanup()
    return 0 if failed == 0 and result.passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
