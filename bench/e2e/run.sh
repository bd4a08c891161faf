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
  rm -rf "$scratch"
done
echo "results in $results"
