#!/usr/bin/env bash
# Copies bench/NAME/notes.md into bench/NAME/RESULTS.md, keeping everything above the notes (the tables of
# the last run). The notes begin at notes.md's first line, which RESULTS.md must hold.
#
#   bench/refresh_notes.sh match
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: bench/refresh_notes.sh NAME (a folder under bench/)}
notes=bench/$name/notes.md
results=bench/$name/RESULTS.md
first=$(head -1 "$notes")
if ! grep -qxF "$first" "$results"; then
  echo "error: $results has no line '$first' (the first line of $notes) where its notes begin" >&2
  exit 1
fi
tmp=$(mktemp)
awk -v stop="$first" '$0 == stop { exit } { print }' "$results" > "$tmp"
cat "$tmp" "$notes" > "$results"
rm -f "$tmp"
echo "== refreshed the notes in $results" >&2
