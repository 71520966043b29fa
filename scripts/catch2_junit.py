#!/usr/bin/env python3
"""Reads the unit tests' results from Catch2's JUnit report, not from its console text.

    scripts/catch2_junit.py REPORT.xml NAMES.txt EXIT_STATUS

REPORT.xml   what `sluice_unit_tests -r junit -o REPORT.xml` wrote
NAMES.txt    what `sluice_unit_tests --list-test-names-only` printed: the test cases that run
EXIT_STATUS  the test binary's exit status

Prints a short summary, then every failing test case with its failures (expression, expansion,
messages, file:line) and the output it captured, and ends with one line "N passed, N failed"
counting test cases.

Catch2 v2's JUnit reporter writes one <testcase> per section that made assertions, named
"test case/section/subsection", and its <testsuite tests=...> counts assertions, not test cases,
so each <testcase> is given to the longest listed test case name it starts with. A test case
fails when any of its <testcase> elements holds a <failure>, <error> or <internalError>, or a
<skipped> (written only when a [!mayfail] test failed; this suite tags none). A listed test case
with no <testcase> at all fails too: either it never ran (the run ended early) or it checks
nothing. A missing or unreadable report counts as one failure, and so does a non-zero exit
status with no failing test case in the report (a sanitizer finding at exit, say).
"""
import sys
import xml.etree.ElementTree as ET

FAILING = ("failure", "error", "internalError", "skipped")
MAX_SHOWN = 10  # failures shown per test case; the rest are counted


def read_names(path):
    names = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            name = line.rstrip("\n").strip()
            if name.startswith('"#') and name.endswith('"'):  # Catch2 quotes names starting with '#'
                name = name[1:-1]
            if name:
                names.append(name)
    return names


def owner(section_path, names_longest_first):
    for name in names_longest_first:
        if section_path == name or section_path.startswith(name + "/"):
            return name
    return None


def indent(text, prefix="    "):
    return "\n".join((prefix + line).rstrip() for line in text.strip().splitlines())


def tail(text, lines=20):
    rows = text.strip("\n").splitlines()
    if len(rows) > lines:
        rows = [f"... ({len(rows) - lines} lines before)"] + rows[-lines:]
    return "\n".join(rows)


def main():
    if len(sys.argv) != 4:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        print("0 passed, 1 failed")
        return 2
    report, names_file, status = sys.argv[1], sys.argv[2], int(sys.argv[3])

    try:
        names = read_names(names_file)
    except OSError as e:
        print(f"unit: cannot read the test list: {e}")
        print("0 passed, 1 failed")
        return 1
    if not names:
        print("unit: the test binary listed no test cases")
        print("0 passed, 1 failed")
        return 1

    try:
        root = ET.parse(report).getroot()
    except (OSError, ET.ParseError) as e:
        print(f"unit: no complete JUnit report ({e}): the test binary (exit status {status}) did not finish "
              "writing it, most likely a crash or a sanitizer stopping it (see its output above)")
        print("0 passed, 1 failed")
        return 1
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    if root.tag not in ("testsuites", "testsuite") or not suites:
        print(f"unit: {report} is not a JUnit report (root <{root.tag}>, {len(suites)} <testsuite>)")
        print("0 passed, 1 failed")
        return 1

    longest_first = sorted(set(names), key=len, reverse=True)
    failures = {}     # test case -> [(section path, element)]
    reported = set()  # test cases with at least one <testcase>
    outputs = {}      # test case -> [(section path, stream, text)] of failing sections
    problems = []     # inconsistencies in the report itself, each one failure
    assertions = 0
    declared_failing = 0
    found_failing = 0
    for suite in suites:
        assertions += int(suite.get("tests", "0") or 0)
        declared_failing += int(suite.get("failures", "0") or 0) + int(suite.get("errors", "0") or 0)
        for case in suite.iter("testcase"):
            path = (case.get("name") or "").strip()
            test = owner(path, longest_first)
            if test is None:
                problems.append(f"the report has results for '{path}', which is no listed test case")
                continue
            reported.add(test)
            bad = [child for child in case if child.tag in FAILING]
            found_failing += sum(child.tag in ("failure", "error") for child in bad)
            if bad:
                failures.setdefault(test, []).extend((path, child) for child in bad)
                for stream in ("system-out", "system-err"):
                    for out in case.findall(stream):
                        if (out.text or "").strip():
                            outputs.setdefault(test, []).append((path, stream, out.text))
    if found_failing != declared_failing:
        problems.append(f"the report declares {declared_failing} failed assertions "
                        f"(failures + errors) but holds {found_failing}")

    missing = [name for name in names if name not in reported]
    failed_tests = [name for name in names if name in failures] + missing
    passed = len(names) - len(failed_tests)
    failed = len(failed_tests) + len(problems)
    if status != 0 and failed == 0:
        problems.append(f"the test binary exited with status {status} although every test case passed "
                        "(a sanitizer finding at exit? see its output above)")
        failed = 1

    print(f"unit: {len(names)} test cases, {assertions} assertions, {len(failed_tests)} test cases failed "
          f"(JUnit report: {report}; exit status {status})")
    for name in names:
        if name in failures:
            shown = failures[name][:MAX_SHOWN]
            print(f"FAILED: {name}")
            for path, element in shown:
                where = f" [{path[len(name) + 1:]}]" if path != name else ""
                kind = f"{element.tag} ({element.get('type')})" if element.get("type") else element.tag
                if element.tag == "skipped":
                    print(f"  {kind}{where}: {element.get('message', '')} (and an assertion failed)")
                else:
                    print(f"  {kind}{where}:")
                    print(indent(element.text or element.get("message", "")))
            if len(failures[name]) > MAX_SHOWN:
                print(f"  ... and {len(failures[name]) - MAX_SHOWN} more failures")
            for path, stream, text in outputs.get(name, []):
                where = f" [{path[len(name) + 1:]}]" if path != name else ""
                print(f"  {stream}{where}:")
                print(indent(tail(text)))
        elif name in missing:
            print(f"FAILED: {name}")
            print("  no result in the report: it never ran (the run ended early) or it checks nothing")
    for problem in problems:
        print(f"FAILED: {problem}")
    print(f"{passed} passed, {failed} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
