#!/usr/bin/env python3
"""Attributes a `perf record --call-graph dwarf` profile of Sluice to its own functions.

perf's flat reports show where the CPU goes (malloc, nlohmann::json's copy and destroy), not
which Sluice code asked for it. This reads `perf script` and charges every sample to the
innermost Sluice frame on its stack (the code that called into the library, allocator or
kernel), with that frame's Sluice caller, and prints the shares.

    python3 perf_attrib.py perf-chain.data [--top 25]
"""
import argparse
import collections
import re
import subprocess
import sys


def short(sym):
    sym = re.sub(r"\[abi:cxx11\]", "", sym)
    sym = re.sub(r"\(anonymous namespace\)::", "", sym)
    sym = sym.replace("sluice::sfn::Interpreter::Impl::", "Interpreter::")
    sym = sym.replace("sluice::sfn::", "sfn::").replace("sluice::", "")
    if "nlohmann" in sym:
        if "json_value::destroy" in sym:
            return "json::destroy"
        if "::dump(" in sym or "detail::serializer<" in sym:
            return "json::dump"
        return "json (copy/construct)"
    if "_Rb_tree" in sym:
        return "std::map (json object) node"
    return sym[:90]


def ours(sym):
    return sym.startswith("sluice::") and "_Function_handler" not in sym and "post_locked" not in sym


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    out = subprocess.run(["perf", "script", "-i", args.data, "-F", "ip,sym,dso"], capture_output=True,
                         text=True, timeout=900).stdout
    samples = [s for s in out.split("\n\n") if s.strip()]
    inner = collections.Counter()       # innermost Sluice frame ← its Sluice caller
    incl = collections.Counter()        # inclusive share per Sluice function
    leaf = collections.Counter()        # what the CPU was doing (self), coarse
    for s in samples:
        frames, dsos = [], []
        for line in s.strip().splitlines():
            parts = line.strip().split(None, 1)
            rest = parts[1] if len(parts) > 1 else "? (?)"
            m = re.match(r"(.*) \(([^()]*)\)$", rest)
            frames.append(m.group(1) if m else rest)
            dsos.append(m.group(2) if m else "?")
        leaf_sym, leaf_dso = frames[0], dsos[0]
        if "kernel" in leaf_dso:
            kind = "kernel (page faults, syscalls, paravirt irq)"
        elif "malloc" in leaf_sym or "free" in leaf_sym or "tcache" in leaf_sym or "operator new" in leaf_sym \
                or "operator delete" in leaf_sym or "sysmalloc" in leaf_sym:
            kind = "malloc/free"
        elif "nlohmann" in leaf_sym:
            kind = short(leaf_sym)
        elif "libc" in leaf_dso or "libstdc++" in leaf_dso:
            kind = "libc/libstdc++ other (memcpy, strlen, printf, ...)"
        else:
            kind = short(leaf_sym)
        leaf[kind] += 1
        ours_frames = [short(f) for f in frames if ours(f)]
        for f in set(ours_frames):
            incl[f] += 1
        if ours_frames:
            caller = ours_frames[1] if len(ours_frames) > 1 else "-"
            inner[f"{ours_frames[0]}  ← {caller}"] += 1
        else:
            inner["(no Sluice frame: " + short(frames[-1] if frames else "?") + ")"] += 1
    n = len(samples) or 1
    print(f"{len(samples)} samples\n")
    print("Inclusive share per Sluice function (samples with it on the stack):")
    for k, v in incl.most_common(args.top):
        print(f"  {100 * v / n:5.1f} %  {k}")
    print("\nCharged to the innermost Sluice frame (← its Sluice caller):")
    for k, v in inner.most_common(args.top):
        print(f"  {100 * v / n:5.1f} %  {k}")
    print("\nWhat the CPU was executing (leaf), coarse:")
    for k, v in leaf.most_common(15):
        print(f"  {100 * v / n:5.1f} %  {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
