#!/usr/bin/env python3
"""Writes models/sdk_output_shapes.bin: every AWS service's operation output shapes, for TestState's
fieldValidationMode (a mocked result is checked against the output shape of the API it stands for).

Step Functions names services in `arn:aws:states:::aws-sdk:<service>:<action>` by the SDK's service id
(botocore's metadata.serviceId, lower case, without spaces or hyphens: "sfn", "eventbridge", "s3"), so
that is the key here. Per shape only what validation reads: type, members, required, enum, min, max.

The file is one record per service, so the daemon inflates and parses only the services it is asked
about: `<key>\\t<byte count>\\n<zlib stream of the service's JSON>`, records in key order.

Usage: gen_output_shapes.py [BOTOCORE_DATA_DIR] > models/sdk_output_shapes.bin
"""
import gzip
import json
import os
import sys
import zlib


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def latest_model(root, service):
    versions = sorted(v for v in os.listdir(os.path.join(root, service))
                      if os.path.isfile(os.path.join(root, service, v, "service-2.json.gz"))
                      or os.path.isfile(os.path.join(root, service, v, "service-2.json")))
    if not versions:
        return None
    base = os.path.join(root, service, versions[-1], "service-2.json")
    return load(base + ".gz" if os.path.isfile(base + ".gz") else base)


def output_shapes(model):
    shapes = model["shapes"]
    operations = {}
    needed, stack = set(), []
    for name, op in model["operations"].items():
        out = op.get("output", {}).get("shape")
        if out:
            operations[name] = out
            stack.append(out)
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        needed.add(name)
        shape = shapes[name]
        for key in ("member", "key", "value"):
            if key in shape:
                stack.append(shape[key]["shape"])
        stack.extend(m["shape"] for m in shape.get("members", {}).values())
    compact = {}
    for name in sorted(needed):
        shape = shapes[name]
        c = {"type": shape["type"]}
        if shape["type"] == "structure":
            c["members"] = {k: v["shape"] for k, v in shape.get("members", {}).items()}
            if shape.get("required"):
                c["required"] = shape["required"]
        for key in ("member", "key", "value"):
            if key in shape:
                c[key] = shape[key]["shape"]
        for key in ("enum", "min", "max"):
            if key in shape:
                c[key] = shape[key]
        compact[name] = c
    return {"operations": operations, "shapes": compact}


def main():
    if len(sys.argv) > 1:
        root = sys.argv[1]
    else:
        import botocore
        root = os.path.join(os.path.dirname(botocore.__file__), "data")
    records = {}
    for service in sorted(os.listdir(root)):
        if not os.path.isdir(os.path.join(root, service)):
            continue
        model = latest_model(root, service)
        if not model:
            continue
        key = model["metadata"].get("serviceId", service).lower().replace(" ", "").replace("-", "")
        text = json.dumps(output_shapes(model), separators=(",", ":"), sort_keys=True)
        records[key] = zlib.compress(text.encode("utf-8"), 9)
    out = sys.stdout.buffer
    for key in sorted(records):
        out.write(b"%s\t%d\n" % (key.encode("ascii"), len(records[key])))
        out.write(records[key])


if __name__ == "__main__":
    main()
