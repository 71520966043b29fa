#!/usr/bin/env bash
# Runs clang-tidy 14 (Debian bookworm's) with the checked-in .clang-tidy over every Sluice source
# file (src/ and tests/) of a build's compile_commands.json, as many at once as there are cores.
#   scripts/tidy.sh [BUILD_DIR]    (default build/asan; `cmake --preset asan` writes it)
# Prints each finding once (a header's findings come once per file that includes it) and exits 1
# if there is any, or if clang-tidy failed on a file. CLANG_TIDY overrides the binary.
# scripts/install-deps.sh test installs clang-tidy-14.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
build="${1:-build/asan}"
tidy="${CLANG_TIDY:-clang-tidy-14}"

command -v "$tidy" >/dev/null || {
  echo "tidy.sh: $tidy is missing (apt-get install clang-tidy-14, or scripts/install-deps.sh test)" >&2
  exit 2
}
[[ -f "$build/compile_commands.json" ]] || {
  echo "tidy.sh: no $build/compile_commands.json (cmake --preset asan writes it)" >&2
  exit 2
}

# The project's own translation units; not the service models generated into the build directory.
mapfile -t files < <(python3 - "$build/compile_commands.json" "$root" <<'EOF'
import json, os, sys
db, root = sys.argv[1], sys.argv[2]
seen = set()
for entry in json.load(open(db)):
    path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
    rel = os.path.relpath(path, root)
    if rel.split(os.sep)[0] in ("src", "tests") and rel not in seen:
        seen.add(rel)
        print(rel)
EOF
)
if ((${#files[@]} == 0)); then
  echo "tidy.sh: $build/compile_commands.json names no file under src/ or tests/" >&2
  exit 2
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
start=$SECONDS
# One output file and one status file per translation unit; --warnings-as-errors makes every
# finding a failing status, so a finding the summary below failed to parse still fails the step.
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -I{} bash -c '
  name="$(tr / _ <<<"$1")"
  "$0" -p "$2" --quiet --warnings-as-errors="*" "$1" >"$3/$name.out" 2>"$3/$name.err"
  echo $? >"$3/$name.status"' "$tidy" {} "$build" "$out"

python3 - "$out" "$root" "${#files[@]}" "$((SECONDS - start))" <<'EOF'
import os, re, sys
out, root, count, seconds = sys.argv[1], sys.argv[2] + "/", int(sys.argv[3]), sys.argv[4]
diag = re.compile(r"^(?P<where>[^ :][^:]*:\d+:\d+): (?P<kind>warning|error): (?P<text>.*?)(?: \[(?P<check>[^\]]+)\])?$")
findings = {}  # (where, text) -> (check, context lines)
broken = []    # files clang-tidy failed on without a finding to show for it
for name in sorted(os.listdir(out)):
    if not name.endswith(".status"):
        continue
    base = os.path.join(out, name[:-len(".status")])
    status = open(base + ".status").read().strip()
    lines = open(base + ".out", errors="replace").read().splitlines()
    found = 0
    i = 0
    while i < len(lines):
        m = diag.match(lines[i])
        i += 1
        if not m:
            continue
        context = []
        while i < len(lines) and not diag.match(lines[i]):
            context.append(lines[i])
            i += 1
        check = (m.group("check") or "clang").replace(",-warnings-as-errors", "")
        key = (m.group("where").replace(root, ""), m.group("text"))
        findings.setdefault(key, (check, context[:6]))
        found += 1
    if status != "0" and found == 0:
        err = open(base + ".err", errors="replace").read().strip().splitlines()
        broken.append((name[:-len(".status")], status, err[-15:]))
for (where, text), (check, context) in sorted(findings.items()):
    print(f"{where}: {text} [{check}]")
    for line in context:
        print(f"    {line}")
for name, status, err in broken:
    print(f"tidy.sh: clang-tidy exited {status} on {name} without a finding:")
    for line in err:
        print(f"    {line}")
print(f"tidy.sh: {count} files in {seconds} s: {len(findings)} findings"
      + (f", {len(broken)} files clang-tidy failed on" if broken else ""))
sys.exit(1 if findings or broken else 0)
EOF
