#!/usr/bin/python3
"""Turns bench/results/e2e-*.json into PNG charts in bench/results/.

    /usr/bin/python3 bench/e2e/plot.py [RESULTS_DIR]

Charts: ingest throughput vs N, latency percentiles (batch and get-entity),
and pairwise accuracy vs N. Uses Debian's python3-matplotlib.
"""
import glob
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    results = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "results")
    runs = []
    for path in glob.glob(os.path.join(results, "e2e-*.json")):
        with open(path) as f:
            runs.append(json.load(f))
    if not runs:
        sys.exit(f"no e2e-*.json in {results}: run bench/e2e/run.sh first")
    runs.sort(key=lambda r: r["records"])
    n = [r["records"] for r in runs]

    fig, ax = plt.subplots()
    ax.plot(n, [r["incremental_records_per_s"] for r in runs], "o-", label="incremental ingest")
    ax.set_xscale("log")
    ax.set_xlabel("records")
    ax.set_ylabel("records / s")
    ax.set_title("Ingest throughput vs N")
    ax.legend()
    fig.savefig(os.path.join(results, "throughput.png"), dpi=100)

    fig, ax = plt.subplots()
    for key, label in [("batch_p50_ms", "batch p50 (ms)"), ("batch_p99_ms", "batch p99 (ms)"),
                       ("get_entity_p50_us", "get-entity p50 (µs)"),
                       ("get_entity_p99_us", "get-entity p99 (µs)")]:
        ax.plot(n, [r[key] for r in runs], "o-", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("records")
    ax.set_title("Latency percentiles")
    ax.legend()
    fig.savefig(os.path.join(results, "latency.png"), dpi=100)

    fig, ax = plt.subplots()
    for key in ("precision", "recall", "f1"):
        ax.plot(n, [r[key] for r in runs], "o-", label=key)
    ax.set_xscale("log")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("records")
    ax.set_title("Pairwise accuracy against the generator's truth")
    ax.legend()
    fig.savefig(os.path.join(results, "accuracy.png"), dpi=100)
    print(f"wrote throughput.png, latency.png, accuracy.png to {results}")


if __name__ == "__main__":
    main()
