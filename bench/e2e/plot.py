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
    ax.plot(n, [r["incremental_records_per_s"] for r in runs], "o-",
            label="incremental ingest (last 10 % into a store of the first 90 %)")
    bulk = [r for r in runs if "bulk_store_seconds" in r]
    if bulk:
        ax.plot([r["records"] for r in bulk], [bulk_rate(r) for r in bulk], "s-",
                label="bulk load (store + link)")
    ax.plot(n, [r["records"] / r["raw_write_seconds"] for r in runs], "^--",
            label="raw RocksDB write (baseline)")
    ax.set_yscale("log")
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
    summary = table(runs)
    with open(os.path.join(results, "summary.md"), "w") as f:
        f.write(summary)
    print(summary, end="")


def bulk_rate(run):
    return run["records"] / (run["bulk_store_seconds"] + run["bulk_link_seconds"])


def table(runs):
    """The figures as a Markdown table, with the scale curve (throughput at
    the largest N over throughput at 100k; target >= 0.7)."""
    lines = [
        "| N | incremental rec/s (last 10 %) | vs raw | bulk rec/s | vs raw | relink s | get-entity p50/p99 µs"
        " | peak RSS MB | disk B/rec | F1 | commit | machine |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in runs:
        bulk, bulk_ratio = "-", "-"
        if "bulk_store_seconds" in r:
            bulk = f"{bulk_rate(r):,.0f}"
            seconds = r["bulk_store_seconds"] + r["bulk_link_seconds"]
            bulk_ratio = f"{r.get('bulk_vs_raw_ratio', seconds / r['raw_write_seconds']):.0f}x"
        lines.append(
            f"| {r['records']:,} | {r['incremental_records_per_s']:,} "
            f"| {r['incremental_vs_raw_ratio']:.0f}x | {bulk} | {bulk_ratio} | {r['resolve_all_seconds']:.1f} "
            f"| {r['get_entity_p50_us']:.0f} / {r['get_entity_p99_us']:.0f} | {r['peak_rss_mb']:.0f} "
            f"| {r['disk_bytes_per_record']:,} | {r['f1']:.4f} | {r.get('commit', '?')} "
            f"| {r.get('cores', '?')} cores, {r.get('cpu', '?')} |")
    base = next((r for r in runs if r["records"] == 100000), None)
    top = runs[-1]
    if base is not None and top is not base:
        ratio = top["incremental_records_per_s"] / base["incremental_records_per_s"]
        lines.append("")
        lines.append(f"Scale curve: incremental throughput at {top['records']:,} / at 100,000 = "
                     f"{ratio:.2f} (target >= 0.7)")
    # Since the harness repeats the delta, each N's runs (the table shows
    # the median one).
    repeated = [r for r in runs if "incremental_run_records_per_s" in r]
    if repeated:
        lines.append("")
        for r in repeated:
            rates = ", ".join(f"{rate:,}" for rate in r["incremental_run_records_per_s"])
            lines.append(f"Incremental runs at {r['records']:,}: {rates} rec/s")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
