#!/usr/bin/python3
"""Loads the demo data from pandas DataFrames, links it, prints a few entities.

    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/quickstart.py
"""
import glob
import os
import tempfile

import pandas

import credit

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")

with tempfile.TemporaryDirectory() as tmp, credit.Engine.open(os.path.join(tmp, "db")) as engine:
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
