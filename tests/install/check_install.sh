#!/usr/bin/env bash
# Installs the build tree into a temporary prefix, then configures, builds
# and runs tests/install/consumer against it with find_package(credit).
set -euo pipefail
build_dir=$1
shift
# Remaining arguments go to the consumer's configure step (the sanitizer
# build passes its -fsanitize flags: an instrumented libcredit needs an
# instrumented executable).
source_dir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$source_dir/consumer" -B "$work/build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" "$@" > "$work/configure.log" || {
  cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" > "$work/build.log" || { cat "$work/build.log"; exit 1; }
LD_LIBRARY_PATH="$work/prefix/lib:$work/prefix/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  "$work/build/consumer" "$work/db"
