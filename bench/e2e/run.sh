#!/usr/bin/env bash
# The end-to-end benchmark behind `make bench`: for each N, generate a data
# set with credit_datagen, run credit_e2e_harness on it, and collect the
# JSON results in bench/results/ (charts: bench/e2e/plot.py).
#
#   bench/e2e/run.sh BUILD_DIR [N...]     default N: 100000 1000000
#   bench/e2e/run.sh BUILD_DIR --smoke    N = 2000 into a temp dir (ctest)
set -euo pipefail
build_dir=$(cd "${1:?usage: run.sh BUILD_DIR [N...|--smoke]}" && pwd)
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
results="$root/bench/results"
sizes=("$@")
if [ "${1:-}" = "--smoke" ]; then
  sizes=(2000)
  results=$(mktemp -d)
  trap 'rm -rf "$results"' EXIT
fi
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
mkdir -p "$results"
scratch=${CREDIT_BENCH_SCRATCH:-$build_dir/bench-scratch}
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
for n in "${sizes[@]}"; do
  echo "== N=$n (commit $commit, $(nproc) cores)"
  rm -rf "$scratch"
  mkdir -p "$scratch"
  "$build_dir/bin/credit_datagen" --records "$n" --out "$scratch/data" --quiet
  "$build_dir/bin/credit_e2e_harness" --data "$scratch/data" --work "$scratch/work" \
    --out "$results/e2e-$n.json"
  # Where the figures came from, for the table in bench/README.md.
  /usr/bin/python3 - "$results/e2e-$n.json" "$commit" <<'PY'
import json, os, platform, sys, time
path, commit = sys.argv[1], sys.argv[2]
with open(path) as f:
    run = json.load(f)
model = "unknown"
try:
    with open("/proc/cpuinfo") as f:
        model = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
except (OSError, StopIteration):
    pass
run.update(commit=commit, cores=os.cpu_count(), cpu=model,
           kernel=platform.release(), date=time.strftime("%Y-%m-%d"))
with open(path, "w") as f:
    json.dump(run, f, indent=2)
PY
  rm -rf "$scratch"
done
echo "results in $results"
