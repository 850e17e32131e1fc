#!/usr/bin/env bash
# The vrp-core evaluation recorded in RESULTS.md: vrp-cli 1.25.0 (the CLI of vrp-core/vrp-scientific),
# default settings, 5 s, 2 threads, on 14 Solomon instances. Installs vrp-cli under target/.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=target/bench-dispatch/vrp-core
mkdir -p "$OUT"
[ -x "$OUT/bin/vrp-cli" ] || cargo install vrp-cli --version 1.25.0 --root "$OUT" --target-dir "$OUT/target"
for i in C101 C105 C201 C205 R101 R105 R109 R201 R205 R209 RC101 RC105 RC201 RC205; do
  nice "$OUT/bin/vrp-cli" solve solomon "crates/dispatch/tests/data/solomon/$i.txt" --max-time 5 -p 1,2 -o "$OUT/$i.txt" > /dev/null 2>&1
  echo "$i $(grep -c Route "$OUT/$i.txt") $(grep -o 'Cost [0-9.]*' "$OUT/$i.txt")"
done
