#!/usr/bin/env bash
# Installs what is missing, checks the C++ format, builds with AddressSanitizer and
# UndefinedBehaviorSanitizer, runs clang-tidy, and runs every test: unit tests (results read from
# Catch2's JUnit report), integration tests (the daemon driven by the AWS CLIs, boto3 and the AWS
# SDK for JavaScript, in both SQS protocols), the static binary in its image run by the container
# engine, and a bounded fuzzing run of each parser, FUZZ_JOBS at a time.
# Ends with one line: "N passed, N failed".
#   FUZZ_SECONDS=60 (per target; 0 skips fuzzing)   FUZZ_JOBS=2 (targets fuzzed at once)
#   SUITES="boto3-json node" (integration subset)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/install-deps.sh test || exit 1

passed=0
failed=0
lines=()
tally() {  # label passed failed
  passed=$((passed + $2))
  failed=$((failed + $3))
  lines+=("$(printf '%-12s %5d passed, %3d failed' "$1" "$2" "$3")")
}

echo "== format (scripts/format.sh --check)"
if scripts/format.sh --check; then
  tally format 1 0
else
  tally format 0 1
fi

echo "== build (asan)"
if ! { cmake --preset asan >/dev/null && cmake --build --preset asan; }; then
  echo "build failed"
  tally build 0 1
  printf '%s\n' "${lines[@]}"
  echo "$passed passed, $failed failed"
  exit 1
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

echo "== clang-tidy (scripts/tidy.sh: .clang-tidy's checks over src/ and tests/)"
if scripts/tidy.sh build/asan; then
  tally tidy 1 0
else
  tally tidy 0 1
fi

echo "== unit tests"
# One run with Catch2's JUnit reporter; scripts/catch2_junit.py counts the test cases from the
# report and prints the failures. A clean report with a failing exit status (a sanitizer finding
# at exit) still counts as a failure, and so does a run that dies before writing the report.
unit_bin=build/asan/tests/unit/sluice_unit_tests
unit_xml=build/asan/unit-tests.junit.xml
unit_names=build/asan/unit-tests.names
rm -f "$unit_xml" "$unit_names"
"$unit_bin" --list-test-names-only >"$unit_names" # its exit status is the number listed
"$unit_bin" -r junit -o "$unit_xml"
unit_rc=$?
unit_summary=$(python3 scripts/catch2_junit.py "$unit_xml" "$unit_names" "$unit_rc")
echo "$unit_summary"
unit_line=$(tail -n 1 <<<"$unit_summary")
if [[ "$unit_line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  tally unit "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
else
  tally unit 0 1
fi

echo "== container engine (ECS tests run real containers)"
engine_line=$(scripts/container-engine.sh | tail -n 1)
if [[ "$engine_line" == DOCKER_HOST=* ]]; then
  export "${engine_line?}"
  echo "$engine_line"
else
  echo "no container engine could be started: the ECS tests will fail"
fi

integration() {  # label [VAR=value...]: runs tests/integration/run.sh and counts its last line
  local label=$1 log
  shift
  log=$(mktemp)
  env SLUICE_BIN="$root/build/asan/sluice" "$@" tests/integration/run.sh 2>&1 | tee "$log"
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
  if [[ -n "$line" ]]; then
    tally "$label" "$(cut -d' ' -f1 <<<"$line")" "$(cut -d' ' -f3 <<<"$line")"
  else
    tally "$label" 0 1
  fi
}

echo "== integration tests"
integration integration

# The static binary in its FROM-scratch image, run by the engine: an image that cannot be built
# fails here, it never skips.
echo "== image (static binary, scratch image, Testcontainers)"
if cmake --preset static >/dev/null && cmake --build --preset static &&
   SLUICE_STATIC_BIN="$root/build/static/sluice" scripts/image.sh sluice:latest; then
  integration image SUITES="image testcontainers" SLUICE_IMAGE=sluice:latest \
    SLUICE_STATIC_BIN="$root/build/static/sluice"
else
  echo "the static binary or the image could not be built"
  tally image 0 1
fi

# One target per core: each still gets the full FUZZ_SECONDS. The targets are the ones
# tests/fuzz/CMakeLists.txt builds (it lists them in build/fuzz/tests/fuzz/targets.txt).
fuzz_seconds=${FUZZ_SECONDS:-60}
fuzz_jobs=${FUZZ_JOBS:-2}
if [[ ! "$fuzz_jobs" =~ ^[1-9][0-9]*$ ]]; then
  echo "FUZZ_JOBS=$fuzz_jobs is not a positive number; fuzzing one target at a time"
  fuzz_jobs=1
fi
fuzz_target() {  # target work-dir: fuzzes from the target's corpus; writes work-dir/report
  local target=$1 work=$2
  cp tests/fuzz/corpus/"$target"/* "$work/"
  if build/fuzz/tests/fuzz/fuzz_"$target" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$work/" "$work" >"$work/log" 2>&1; then
    echo "fuzz_$target: $(grep -o 'Done [0-9]* runs' "$work/log"), no crash" >"$work/report"
  else
    {
      echo "fuzz_$target FAILED:"
      tail -n 40 "$work/log"
      ls "$work"/crash-* "$work"/timeout-* "$work"/leak-* 2>/dev/null
    } >"$work/report"
    return 1
  fi
}
if [[ "$fuzz_seconds" != 0 ]]; then
  echo "== fuzzing (${fuzz_seconds}s per target, $fuzz_jobs at a time)"
  fuzz_targets=()
  if cmake --preset fuzz >/dev/null && cmake --build --preset fuzz; then
    mapfile -t fuzz_targets < <(grep -v '^$' build/fuzz/tests/fuzz/targets.txt)
  fi
  if ((${#fuzz_targets[@]})); then
    fp=0
    ff=0
    declare -A fuzz_work=()
    fuzz_reap() {  # waits for one target to finish; prints its report and counts it
      local pid="" rc=0
      wait -n -p pid || rc=$?
      if [[ -z "$pid" || -z "${fuzz_work[$pid]:-}" ]]; then  # cannot happen; never let it pass silently
        echo "fuzzing: lost track of ${#fuzz_work[@]} target(s) (wait: status $rc)"
        ff=$((ff + ${#fuzz_work[@]}))
        fuzz_work=()
        return
      fi
      cat "${fuzz_work[$pid]}/report"
      if ((rc == 0)); then fp=$((fp + 1)); else ff=$((ff + 1)); fi
      unset "fuzz_work[$pid]"
    }
    for target in "${fuzz_targets[@]}"; do
      while ((${#fuzz_work[@]} >= fuzz_jobs)); do fuzz_reap; done
      work=$(mktemp -d)
      fuzz_target "$target" "$work" &
      fuzz_work[$!]=$work
    done
    while ((${#fuzz_work[@]})); do fuzz_reap; done
    tally fuzz "$fp" "$ff"
  else
    tally fuzz 0 1
  fi
fi

echo "== summary"
printf '%s\n' "${lines[@]}"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
