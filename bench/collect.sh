#!/usr/bin/env bash
# Assembles BENCHMARKS.md from each benchmark's RESULTS.md (written by bench/<name>/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
{
    echo "# Benchmarks"
    echo
    echo "Each section is written by its benchmark's own script (\`bench/<name>/run.sh\`), which runs the peers"
    echo "side by side in one run on the same inputs. Machine: 2 cores, 24 GiB, shared and noisy (other jobs ran"
    echo "at the same time); read ratios and medians, not absolute times. Regenerate this file with"
    echo "\`bench/collect.sh\` after running the benchmarks."
    for f in bench/{road,dispatch,load,ledger,match,monitoring}/RESULTS*.md; do
        [ -f "$f" ] || continue
        echo
        echo "---"
        echo
        # Demote the section's headings one level so they nest under this file's title.
        sed -e 's/^#/##/' "$f"
    done
} > BENCHMARKS.md
echo "wrote BENCHMARKS.md"
