#!/usr/bin/python3
"""A/B of two builds of the `credit` tool on one data set.

Runs alternate (old, new, old, new, ...) so that a machine whose speed
drifts during a session slows both sides alike. Two operations:

  incremental  `credit ingest --batch-size 1000` of the last rows of every
               source (the delta) into a fresh copy of a store holding the
               rest, linked: the path of the "N records in store" target.
  relink       `credit resolve` of a fresh copy of a store holding every
               record unlinked (`credit ingest --no-link`): the link half of
               a bulk load.

Each run prints its wall time (whole commands: opening and closing the store
included) and the peak RSS of its largest process; the summary gives each
side's mean and new / old.

  /usr/bin/python3 bench/e2e/ab.py [--records N] [--delta-share F] [--runs K]
      [--mode incremental|relink|both] [--fresh] [--own-base]
      OLD_BUILD NEW_BUILD

--own-base: for a change to what linking stores (the blocking keys, the
edges), where a store linked by one build is not what the other would have
written. Each build first relinks its own copy of the linked base (`credit
resolve`, not timed), and its incremental runs start from that copy.

OLD_BUILD and NEW_BUILD are build directories holding bin/credit. For an
older commit, build one beside the work tree:

  git worktree add /tmp/old COMMIT
  (cd /tmp/old && cmake --preset release && cmake --build build/release -j2)
  /usr/bin/python3 bench/e2e/ab.py /tmp/old/build/release build/release

The data set and both starting stores are made once with NEW_BUILD's tools
and kept in $CREDIT_AB_SCRATCH (default NEW_BUILD/ab-scratch/N-F) for later
calls (--fresh, or deleting that directory, makes them again: after a change
of the data generator or of the store's format). For N = 1,000,000 they take
~3 GB of disk and a few minutes.
"""

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_timed(argv):
    """Runs argv; returns its peak RSS in KB. Raises on failure."""
    # stderr to a file, not a pipe: a long one must not block the child.
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                   stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(
                f"{' '.join(argv)} failed ({process.returncode}):\n"
                f"{errors.read().decode(errors='replace')}")
    return usage.ru_maxrss


def sources(directory):
    """The (mapping, csv) paths of every source in a data directory."""
    out = []
    for name in sorted(os.listdir(directory)):
        if name.endswith(".mapping.json"):
            source = name[: -len(".mapping.json")]
            out.append((os.path.join(directory, name),
                        os.path.join(directory, source + ".csv")))
    return out


def split(scratch, share):
    """Writes base/ (first rows of every source) and delta/ (the rest)."""
    for part in ("base", "delta"):
        os.makedirs(os.path.join(scratch, part), exist_ok=True)
    for mapping, path in sources(os.path.join(scratch, "data")):
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        cut = len(body) - int(len(body) * share)
        for part, part_rows in (("base", body[:cut]), ("delta", body[cut:])):
            directory = os.path.join(scratch, part)
            with open(os.path.join(directory, os.path.basename(path)), "w",
                      newline="", encoding="utf-8") as f:
                csv.writer(f, lineterminator="\n").writerows([header] + part_rows)
            shutil.copy(mapping, directory)


def store_all(credit, directory, db):
    """Stores every source of `directory` into `db` without linking."""
    for mapping, path in sources(directory):
        run_timed([credit, "ingest", "--db", db, "--no-link", "--batch-size",
                   "5000", "--quiet", "--mapping", mapping, path])


# What this script keeps in the scratch directory, and removes again: only
# these, never the directory itself (it may be one the user named).
SCRATCH_ENTRIES = ("data", "base", "delta", "linked", "unlinked", "run",
                   "linked-old", "linked-new", "split.done", "stores.done")


def clear(scratch, entries=SCRATCH_ENTRIES):
    for entry in entries:
        path = os.path.join(scratch, entry)
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)


def prepare(scratch, records, share, new):
    credit = os.path.join(new, "bin", "credit")
    os.makedirs(scratch, exist_ok=True)
    if not os.path.exists(os.path.join(scratch, "split.done")):
        print(f"preparing {records} records in {scratch}", file=sys.stderr)
        clear(scratch)
        run_timed([os.path.join(new, "bin", "credit_datagen"), "--records",
                   str(records), "--out", os.path.join(scratch, "data"),
                   "--quiet"])
        split(scratch, share)
        open(os.path.join(scratch, "split.done"), "w").close()
    if not os.path.exists(os.path.join(scratch, "stores.done")):
        clear(scratch, ("linked", "unlinked"))
        print("storing and linking the base", file=sys.stderr)
        store_all(credit, os.path.join(scratch, "base"),
                  os.path.join(scratch, "linked"))
        run_timed([credit, "resolve", "--db", os.path.join(scratch, "linked")])
        print("storing every record unlinked", file=sys.stderr)
        store_all(credit, os.path.join(scratch, "data"),
                  os.path.join(scratch, "unlinked"))
        open(os.path.join(scratch, "stores.done"), "w").close()


def link_own_bases(scratch, builds):
    """linked-old and linked-new: the linked base relinked by each build."""
    for side, build in builds.items():
        own = os.path.join(scratch, f"linked-{side}")
        shutil.rmtree(own, ignore_errors=True)
        shutil.copytree(os.path.join(scratch, "linked"), own)
        print(f"relinking the base with the {side} build", file=sys.stderr)
        run_timed([os.path.join(build, "bin", "credit"), "resolve", "--db",
                   own])


def run_once(scratch, operation, build, base="linked"):
    """One run on a fresh copy of its starting store: (seconds, peak KB)."""
    credit = os.path.join(build, "bin", "credit")
    work = os.path.join(scratch, "run")
    shutil.rmtree(work, ignore_errors=True)
    start_store = base if operation == "incremental" else "unlinked"
    shutil.copytree(os.path.join(scratch, start_store), work)
    os.sync()
    peak = 0
    start = time.monotonic()
    if operation == "incremental":
        for mapping, path in sources(os.path.join(scratch, "delta")):
            peak = max(peak, run_timed(
                [credit, "ingest", "--db", work, "--batch-size", "1000",
                 "--quiet", "--mapping", mapping, path]))
    else:
        peak = run_timed([credit, "resolve", "--db", work])
    seconds = time.monotonic() - start
    shutil.rmtree(work)
    return seconds, peak


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--delta-share", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mode", choices=("incremental", "relink", "both"),
                        default="both")
    parser.add_argument("--fresh", action="store_true",
                        help="make the data set and stores again")
    parser.add_argument("--own-base", action="store_true",
                        help="each build relinks its own copy of the base "
                        "before its incremental runs")
    parser.add_argument("old_build")
    parser.add_argument("new_build")
    args = parser.parse_args()
    if not 0 < args.delta_share < 1:
        parser.error("--delta-share must lie between 0 and 1")
    builds = {"old": os.path.abspath(args.old_build),
              "new": os.path.abspath(args.new_build)}
    for side, build in builds.items():
        if not os.access(os.path.join(build, "bin", "credit"), os.X_OK):
            parser.error(f"{side} build {build} has no bin/credit")
    scratch = os.environ.get("CREDIT_AB_SCRATCH") or os.path.join(
        builds["new"], "ab-scratch", f"{args.records}-{args.delta_share}")
    if args.fresh:
        clear(scratch)
    prepare(scratch, args.records, args.delta_share, builds["new"])

    operations = (["incremental", "relink"] if args.mode == "both"
                  else [args.mode])
    bases = {"old": "linked", "new": "linked"}
    if args.own_base and "incremental" in operations:
        link_own_bases(scratch, builds)
        bases = {"old": "linked-old", "new": "linked-new"}
    for operation in operations:
        times = {"old": [], "new": []}
        for run in range(1, args.runs + 1):
            for side in ("old", "new"):
                seconds, peak = run_once(scratch, operation, builds[side],
                                         bases[side])
                times[side].append(seconds)
                print(f"{operation:<11} run {run} {side:<3} {seconds:8.2f} s"
                      f"  peak RSS {peak // 1024:5d} MB", flush=True)
        old, new = statistics.mean(times["old"]), statistics.mean(times["new"])
        print(f"{operation}: old mean {old:.2f} s, new mean {new:.2f} s, "
              f"new / old {new / old:.3f}", flush=True)


if __name__ == "__main__":
    main()
