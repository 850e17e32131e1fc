"""Peer measurements with pymerkle (PyPI), an RFC 9162-style Merkle tree in Python.

Run by run.sh inside a venv under target/. Writes a JSON file the Rust benchmark reads:
  * durable appends with pymerkle's SqliteTree (one SQLite transaction per batch; SQLite's
    default synchronous=FULL fsyncs each commit) at batch sizes 1, 100 and 1000;
  * inclusion-proof generation and verification at the log size N (SqliteTree, warm cache);
  * the root of N deterministic entries b"wuliu-<i>", which the Rust side recomputes:
    equal roots show both implement the same RFC 9162 tree.
pymerkle only stores and hashes opaque bytes: it does no EPCIS validation or indexing.
"""

import json
import os
import random
import shutil
import statistics
import sys
import time

import pymerkle
from pymerkle import SqliteTree, verify_inclusion


def log(msg):
    print(f"[peer pymerkle] {msg}", file=sys.stderr, flush=True)


def durable_appends(work, batch, batches, repeats):
    rates = []
    for r in range(repeats):
        path = os.path.join(work, f"pymerkle-b{batch}.db")
        if os.path.exists(path):
            os.remove(path)
        tree = SqliteTree(path)
        payload = [bytes(f"event-{r}-{i}-", "ascii") + b"x" * 690 for i in range(batch * batches)]
        start = time.perf_counter()
        for b in range(batches):
            chunk = payload[b * batch:(b + 1) * batch]
            if batch == 1:
                tree.append_entry(chunk[0])
            else:
                tree.append_entries(chunk)
        secs = time.perf_counter() - start
        tree.close()
        os.remove(path)
        rates.append(batch * batches / secs)
        log(f"batch {batch:>4}, run {r + 1}: {rates[-1]:.0f} entries/s")
    return statistics.median(rates), rates


def main():
    events, work, out, repeats = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    os.makedirs(work, exist_ok=True)
    result = {"version": pymerkle.__version__, "size": events}
    result["durable"] = []
    for batch, batches in ((1, 300), (100, 200), (1000, 50)):
        med, runs = durable_appends(work, batch, batches, repeats)
        result["durable"].append({"batch": batch, "median": med, "runs": runs})

    path = os.path.join(work, "pymerkle-proofs.db")
    if os.path.exists(path):
        os.remove(path)
    tree = SqliteTree(path)
    log(f"appending {events} entries for proofs…")
    start = time.perf_counter()
    step = 100_000
    for lo in range(0, events, step):
        tree.append_entries(b"wuliu-%d" % i for i in range(lo, min(events, lo + step)))
        log(f"  {min(events, lo + step)} / {events}")
    result["bulk_append_s"] = time.perf_counter() - start
    root = tree.get_root()
    result["root"] = root.hex()
    rng = random.Random(7)
    gen, ver = [], []
    n_proofs = 2000
    for k in range(n_proofs):
        index = rng.randint(1, events)
        base = tree.get_leaf(index)
        t0 = time.perf_counter()
        proof = tree.prove_inclusion(index, events)
        t1 = time.perf_counter()
        verify_inclusion(base, root, proof)
        t2 = time.perf_counter()
        gen.append((t1 - t0) * 1e6)
        ver.append((t2 - t1) * 1e6)
        if k % 500 == 0:
            log(f"proofs {k}/{n_proofs}")
    tree.close()
    os.remove(path)
    # The first proofs fill pymerkle's subroot cache; report the warm second half.
    warm_gen, warm_ver = sorted(gen[n_proofs // 2:]), sorted(ver[n_proofs // 2:])
    pick = lambda v, p: v[min(len(v) - 1, int(round((len(v) - 1) * p)))]
    result["proof_gen_us"] = {"p50": pick(warm_gen, 0.5), "p99": pick(warm_gen, 0.99), "cold_max": max(gen)}
    result["proof_verify_us"] = {"p50": pick(warm_ver, 0.5), "p99": pick(warm_ver, 0.99)}
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
