#!/usr/bin/python3
"""Loads the demo data from pandas DataFrames, links it, prints a few entities
with their credit indicators, and explains one merge.

    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/quickstart.py
"""
import glob
import os
import tempfile

import pandas

import credit

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
RULES = os.path.join(DATA, "..", "rules", "credit_rules.textproto")

with tempfile.TemporaryDirectory() as tmp, credit.Engine.open(os.path.join(tmp, "db")) as engine:
    engine.load_rules(RULES)  # declarative rules, kept in the database

    @engine.indicator("facts_counted", version=1)
    def facts_counted(entity, as_of):
        """Facts that count today (not disputed, repaired, expired or future)."""
        facts = [f for f in entity["facts"] if f["counts"]]
        return len(facts), facts

    for mapping in sorted(glob.glob(os.path.join(DATA, "*.mapping.json"))):
        source = engine.register_source(mapping)
        frame = pandas.read_csv(mapping.replace(".mapping.json", ".csv"), dtype=str,
                                keep_default_na=False)
        report = engine.ingest(source, frame)
        print(f"{source}: {report['accepted']} accepted, {report['quarantined']} quarantined")
    print("linked:", engine.resolve())
    largest = sorted(engine.export(), key=lambda e: -len(e["members"]))[:3]
    for entity in largest:
        print(f"\nentity {entity['id']} ({entity['kind']}, {len(entity['members'])} records)")
        for attribute in entity["profile"]["attributes"]:
            value = attribute["values"][0]
            origin = value["provenance"]["record"]
            print(f"  {attribute['name']:<28} {value['value']}  "
                  f"[{origin['source']}/{origin['record_id']}, {value['provenance']['rule']}]")
        for result in engine.indicators(entity["id"]):
            # The value is one of number, flag, text or grade (none: no data).
            shown = next(iter(result["value"].values()), "-")
            print(f"  indicator {result['name']:<28} {shown}  {result['explanation'] or result['error']}")

    # Why the largest entity holds together: its strongest joining edge.
    explanation = engine.explain_entity(largest[0]["id"])
    if explanation["joining_edges"]:
        joined = explanation["joining_edges"][0]
        a, b = joined["record_a"], joined["record_b"]
        print(f"\nwhy {a['source']}/{a['record_id']} and {b['source']}/{b['record_id']} "
              f"are one subject (weight {joined['edge']['weight']:.1f}):")
        for c in joined["edge"]["comparisons"]:
            print(f"  {c['feature']:<24} {c['level']:<16} {c['weight']:+.2f}")
