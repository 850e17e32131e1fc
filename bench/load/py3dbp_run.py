#!/usr/bin/env python3
"""Runs py3dbp 1.1.2 on Bischoff–Ratcliff instances and prints one JSON line per instance.

Usage: py3dbp_run.py DATA_DIR --sets 1-15 --first N

Container length/width/height map to py3dbp width/height/depth (x, y, z). The BR orientation flags are honoured
by reporting a disallowed rotation as too large for the bin, so py3dbp's own loop skips it. Boxes are packed
biggest first (the library's documented usage). The placements are printed as wuliu-load placements so that the
independent checker (peer_check example) can validate them before anything is counted.
"""
import argparse
import json
import sys
import time

from py3dbp import Bin, Item, Packer

# py3dbp rotation type -> (own axes along x, y, z) with own axes 0 = length, 1 = width, 2 = height,
# and the matching wuliu-load orientation name.
ROTATIONS = {
    0: ((0, 1, 2), "LWH"),
    1: ((1, 0, 2), "WLH"),
    2: ((1, 2, 0), "WHL"),
    3: ((2, 1, 0), "HWL"),
    4: ((2, 0, 1), "HLW"),
    5: ((0, 2, 1), "LHW"),
}
HUGE = 10**9


class RestrictedItem(Item):
    """An Item whose disallowed rotations never fit (BR flags: which sides may stand vertical)."""

    def __init__(self, name, dims, vertical):
        super().__init__(name, dims[0], dims[1], dims[2], 0)
        self.dims = dims
        self.vertical = vertical

    def get_dimension(self):
        axes, _ = ROTATIONS[self.rotation_type]
        if not self.vertical[axes[2]]:
            return [HUGE, HUGE, HUGE]
        return super().get_dimension()


def parse(path):
    tok = open(path).read().split()
    pos = 0

    def nxt():
        nonlocal pos
        pos += 1
        return int(tok[pos - 1])

    out = []
    for _ in range(nxt()):
        number, _seed = nxt(), nxt()
        cont = (nxt(), nxt(), nxt())
        boxes = []
        for _ in range(nxt()):
            nxt()
            l, fl, w, fw, h, fh, q = (nxt() for _ in range(7))
            boxes.append(((l, w, h), (fl == 1, fw == 1, fh == 1), q))
        out.append((number, cont, boxes))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--sets", default="1-15")
    ap.add_argument("--first", type=int, default=10**9)
    a = ap.parse_args()
    lo, hi = (int(x) for x in a.sets.split("-"))
    for s in range(lo, hi + 1):
        for number, cont, boxes in parse(f"{a.data}/BR{s}.txt")[: a.first]:
            t = time.time()
            packer = Packer()
            packer.add_bin(Bin("c", cont[0], cont[1], cont[2], HUGE))
            for k, (dims, vertical, q) in enumerate(boxes):
                for c in range(q):
                    packer.add_item(RestrictedItem(f"t{k + 1}:{c}", dims, vertical))
            packer.pack(bigger_first=True, number_of_decimals=0)
            placements = []
            for it in packer.bins[0].items:
                name, copy = it.name.split(":")
                _, orient = ROTATIONS[it.rotation_type]
                placements.append(
                    {
                        "item": name,
                        "copy": int(copy),
                        "position": [int(v) for v in it.position],
                        "size": [int(v) for v in it.get_dimension()],
                        "orientation": orient,
                    }
                )
            el = time.time() - t
            print(json.dumps({"set": s, "instance": number, "seconds": el, "placements": placements}), flush=True)
            print(f"py3dbp BR{s} #{number:>2} {len(placements)} boxes {el:.1f}s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
