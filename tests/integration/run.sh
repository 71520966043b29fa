#!/usr/bin/env bash
# Sluice integration tests: the daemon as a process, driven by real clients.
#
#   SLUICE_BIN=build/release/sluice tests/integration/run.sh      # from the checkout's root
#   SLUICE_URL=http://127.0.0.1:4566 tests/integration/run.sh   # an already running endpoint
#   SUITES="boto3-json node" ...                                 # a subset (default: all)
#
# Suites (each starts its own daemon(s) on --port 0 and stops them with SIGTERM):
#   boto3-json   python/test_sqs_boto3.py, boto3 speaking JSON 1.0
#   boto3-query  the same tests, boto3 speaking the query protocol (Debian awscli's model)
#   cli          python/test_cli.py: AWS CLI v1 (JSON) and /usr/bin/aws v2 (query)
#   raw-http     python/test_raw_http.py: health, both codecs by hand, malformed input, env configuration
#   admin        python/test_admin.py: POST /_sluice/reset (also of a running pipe and a task with
#                a real container: needs DOCKER_HOST) and peeking at a queue's messages
#   sfn-boto3    python/test_sfn_boto3.py: Step Functions through boto3 (+ SQS for task tokens)
#   sfn-cli      python/test_sfn_cli.py: Step Functions through AWS CLI v1
#   console-api  python/test_console_api.py: the console's JSON views and actions, refusals of other
#                origins (AccessDenied), Host names, CORS for origins given by flag
#   browser      node --test browser/: the console in headless Debian chromium (puppeteer-core):
#                what a person sees and does, pages of another origin and a rebound name; the
#                task test needs DOCKER_HOST. Screenshots in CONSOLE_SCREENSHOTS (build/console-screenshots)
#   sns-boto3    python/test_sns_boto3.py: SNS through boto3 (query), SQS queues as subscribers
#   eventbridge  python/test_eventbridge.py: EventBridge through boto3 and AWS CLI v1 (SQS and
#                Step Functions targets, dead-letter queues, schedules)
#   node         node --test node/: @aws-sdk/client-sqs (JSON), 3.445.0 (query), sqs-consumer,
#                @aws-sdk/client-sfn, @aws-sdk/client-eventbridge, @aws-sdk/client-ecs and @aws-sdk/client-pipes with real containers (needs DOCKER_HOST:
#                scripts/container-engine.sh)
# Not in the default list, since they need the image built (scripts/image.sh) and DOCKER_HOST:
#   image        python/test_image.py: the static binary in its FROM-scratch image, ECS through
#                the mounted engine socket ($SLUICE_IMAGE, default sluice:latest)
#   testcontainers  node-image/: the image started by Testcontainers, an SQS round trip
#
# Ends with one line "N passed, N failed"; exits non-zero if anything failed or nothing ran.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

if [[ -z "${SLUICE_URL:-}" ]]; then
  if [[ -z "${SLUICE_BIN:-}" ]]; then
    echo "run.sh: set SLUICE_BIN to the sluice binary (or SLUICE_URL to a running endpoint)" >&2
    echo "0 passed, 1 failed"
    exit 2
  fi
  SLUICE_BIN="$(realpath "$SLUICE_BIN")"
  if [[ ! -x "$SLUICE_BIN" ]]; then
    echo "run.sh: SLUICE_BIN=$SLUICE_BIN is not executable" >&2
    echo "0 passed, 1 failed"
    exit 2
  fi
  export SLUICE_BIN
fi

# Clients get fixed test credentials and never look beyond them (no profile, no IMDS).
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/nonexistent/sluice-aws-config AWS_SHARED_CREDENTIALS_FILE=/nonexistent/sluice-aws-credentials
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DATA_PATH AWS_ENDPOINT_URL AWS_ENDPOINT_URL_SQS || true
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

PY="${PYTHON:-python3}"
SUITES="${SUITES:-boto3-json boto3-query cli raw-http admin console-api sfn-boto3 sfn-cli sns-boto3 eventbridge node browser}"
SUITE_TIMEOUT="${SUITE_TIMEOUT:-900}"
LOGDIR="$(mktemp -d "${TMPDIR:-/tmp}/sluice-integration.XXXXXX")"

total_passed=0
total_failed=0
summary=()

record() { # label passed failed
  total_passed=$((total_passed + $2))
  total_failed=$((total_failed + $3))
  summary+=("$(printf '  %-12s %4d passed, %4d failed' "$1" "$2" "$3")")
}

run_python_suite() { # label module [runner args...]
  local label="$1" module="$2"
  shift 2
  local log="$LOGDIR/$label.log" rc=0
  echo "=== $label ==="
  (cd "$HERE/python" && timeout -k 10 "$SUITE_TIMEOUT" "$PY" runner.py "$module" --label "$label" "$@") \
    2>&1 | tee "$log" || rc=$?
  local line
  line="$(grep -E "^$label: [0-9]+ passed, [0-9]+ failed$" "$log" | tail -n 1 || true)"
  if [[ -z "$line" ]]; then
    echo "$label: no result line (runner crashed or timed out, rc=$rc)"
    record "$label" 0 1
    return
  fi
  local p f
  p="$(sed -E 's/^.*: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$line")"
  f="$(sed -E 's/^.*: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$line")"
  if [[ "$rc" -ne 0 && "$f" -eq 0 ]]; then
    f=1 # the runner failed without saying which test did
  fi
  record "$label" "$p" "$f"
}

run_node_suite() { # label directory
  local label="$1" dir="$2" log="$LOGDIR/$1.log" rc=0
  echo "=== $label ==="
  if [[ -f package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error >"$LOGDIR/npm.log" 2>&1 || rc=$?
  else
    npm install --no-audit --no-fund --loglevel=error >"$LOGDIR/npm.log" 2>&1 || rc=$?
  fi
  if [[ "$rc" -ne 0 ]]; then
    cat "$LOGDIR/npm.log"
    echo "$label: npm could not install the test dependencies"
    record "$label" 0 1
    return
  fi
  timeout -k 10 "$SUITE_TIMEOUT" node --test --test-reporter=tap "$dir/" 2>&1 | tee "$log" || rc=$?
  local p f c s t
  p="$(grep -E '^# pass [0-9]+$' "$log" | tail -n 1 | awk '{print $3}')"
  f="$(grep -E '^# fail [0-9]+$' "$log" | tail -n 1 | awk '{print $3}')"
  c="$(grep -E '^# cancelled [0-9]+$' "$log" | tail -n 1 | awk '{print $3}')"
  s="$(grep -E '^# skipped [0-9]+$' "$log" | tail -n 1 | awk '{print $3}')"
  t="$(grep -E '^# todo [0-9]+$' "$log" | tail -n 1 | awk '{print $3}')"
  if [[ -z "$p" || -z "$f" ]]; then
    echo "$label: no test summary (rc=$rc)"
    record "$label" 0 1
    return
  fi
  f=$((f + ${c:-0} + ${s:-0} + ${t:-0})) # skipped/cancelled/todo count as failed
  if [[ "$rc" -ne 0 && "$f" -eq 0 ]]; then
    f=1
  fi
  echo "$label: $p passed, $f failed"
  record "$label" "$p" "$f"
}

for suite in $SUITES; do
  case "$suite" in
    boto3-json)  run_python_suite boto3-json test_sqs_boto3 --protocol json ;;
    boto3-query) run_python_suite boto3-query test_sqs_boto3 --protocol query ;;
    cli)         run_python_suite cli test_cli ;;
    raw-http)    run_python_suite raw-http test_raw_http ;;
    admin)       run_python_suite admin test_admin ;;
    sfn-boto3)   run_python_suite sfn-boto3 test_sfn_boto3 ;;
    sfn-cli)     run_python_suite sfn-cli test_sfn_cli ;;
    console-api) run_python_suite console-api test_console_api ;;
    sns-boto3)   run_python_suite sns-boto3 test_sns_boto3 ;;
    eventbridge) run_python_suite eventbridge test_eventbridge ;;
    node)        run_node_suite node node ;;
    browser)     run_node_suite browser browser ;;
    image)       run_python_suite image test_image ;;
    testcontainers) TESTCONTAINERS_RYUK_DISABLED=true run_node_suite testcontainers node-image ;;
    *) echo "run.sh: unknown suite '$suite'" >&2; record "$suite" 0 1 ;;
  esac
done

echo "=== summary (logs in $LOGDIR) ==="
printf '%s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
if [[ "$total_failed" -ne 0 || "$total_passed" -eq 0 ]]; then
  exit 1
fi
