#!/usr/bin/env python3
"""Writes models/<service>.json: the part of an AWS service model that Sluice's codecs walk.

The current botocore model is the source of truth for operations, shapes and limits. Services
that still speak the legacy query protocol (SQS) lost their query wire names (locationName) and
legacy error codes from that model, so those are merged in from an older query-protocol model.

SNS's current model is still a query-protocol model with its namespace and legacy codes, so it
is given as both: gen_model.py sns .../sns/2010-03-31/service-2.json.gz (same path again).

Usage: gen_model.py SERVICE CURRENT_MODEL(.json|.json.gz) [QUERY_MODEL.json] > models/SERVICE.json
"""
import gzip
import json
import sys

KEEP_SHAPE = ("type", "required", "flattened", "locationName", "min", "max", "enum", "timestampFormat")
KEEP_MEMBER = ("shape", "locationName", "flattened", "location", "hostLabel", "idempotencyToken")


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def trim_ref(ref, legacy_ref):
    out = {k: ref[k] for k in KEEP_MEMBER if k in ref}
    for k in ("locationName", "flattened"):
        if k not in out and legacy_ref and k in legacy_ref:
            out[k] = legacy_ref[k]
    return out


def main():
    service, current_path = sys.argv[1], sys.argv[2]
    current = load(current_path)
    legacy = load(sys.argv[3]) if len(sys.argv) > 3 else {"shapes": {}, "metadata": {}}
    lshapes = legacy["shapes"]
    shapes = {}
    for name, shape in current["shapes"].items():
        old = lshapes.get(name, {})
        out = {k: shape[k] for k in KEEP_SHAPE if k in shape}
        for k in ("locationName", "flattened"):
            if k not in out and k in old:
                out[k] = old[k]
        if shape["type"] == "structure":
            out["members"] = {
                m: trim_ref(ref, old.get("members", {}).get(m)) for m, ref in shape.get("members", {}).items()
            }
            if shape.get("exception"):
                err = dict(old.get("error", {}))
                err.setdefault("code", name)
                err.setdefault("httpStatusCode", shape.get("error", {}).get("httpStatusCode", 400))
                err.setdefault("senderFault", shape.get("error", {}).get("senderFault", True))
                out["error"] = err
        elif shape["type"] == "list":
            out["member"] = trim_ref(shape["member"], old.get("member"))
        elif shape["type"] == "map":
            out["key"] = trim_ref(shape["key"], old.get("key"))
            out["value"] = trim_ref(shape["value"], old.get("value"))
        shapes[name] = out
    ops = {}
    for name, op in current["operations"].items():
        entry = {"errors": [e["shape"] for e in op.get("errors", [])]}
        for k in ("input", "output"):
            if k in op:
                entry[k] = op[k]["shape"]
        if "http" in op:
            entry["http"] = {k: op["http"][k] for k in ("method", "requestUri", "responseCode") if k in op["http"]}
        if "endpoint" in op:
            entry["endpoint"] = op["endpoint"]
        ops[name] = entry
    md = current["metadata"]
    meta = {k: md[k] for k in ("apiVersion", "jsonVersion", "protocol", "targetPrefix", "endpointPrefix",
                              "signingName", "awsQueryCompatible") if k in md}
    if "xmlNamespace" in legacy["metadata"]:
        meta["xmlNamespace"] = legacy["metadata"]["xmlNamespace"]
    elif legacy["metadata"].get("protocol") == "query":
        meta["xmlNamespace"] = "http://queue.amazonaws.com/doc/%s/" % md["apiVersion"]
    json.dump({"service": service, "metadata": meta, "operations": ops, "shapes": shapes},
              sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
