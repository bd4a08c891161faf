#!/usr/bin/env bash
# Reads an entity's JSON (from `credit show --entity`) on stdin and prints
# its members and profile values with their provenance, one per line.
exec /usr/bin/python3 -c '
import json, sys
e = json.load(sys.stdin)
print("   kind: %s" % e.get("kind", "?"))
print("   members: " + ", ".join("%s/%s" % (m["source"], m["recordId"]) for m in e.get("members", [])))
for a in e.get("profile", {}).get("attributes", []):
    for v in a.get("values", []):
        p = v.get("provenance", {})
        r = p.get("record", {})
        print("   %-14s %s  [%s/%s, %s]" % (a["name"], v.get("value", ""), r.get("source"), r.get("recordId"), p.get("rule")))
'
