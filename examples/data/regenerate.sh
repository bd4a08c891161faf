#!/bin/sh
# Rebuilds the demo sample in examples/data/ with the deterministic generator.
#
#   examples/data/regenerate.sh [CREDIT_DATAGEN [OUT_DIR]]
#
# CREDIT_DATAGEN defaults to build/release/bin/credit_datagen (built first if
# missing); OUT_DIR defaults to this directory. The test
# datagen.sample_reproducible runs this script into a temporary directory and
# checks that the committed files come out byte for byte.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/release/bin/credit_datagen}
out=${2:-$here}
if [ ! -x "$bin" ]; then
  cmake --build "$root/build/release" --target credit_datagen
fi
exec "$bin" --out "$out" --subjects 330 --seed 20260630 \
  --dup-rate 0.25 --corruption 0.15 --generic-rate 0.03 --quiet
