#!/usr/bin/env python3
"""Writes the benchmark's seed files: one carrier party, N vehicles with plates, and the plates.

usage: seed.py party OUT.json
       seed.py vehicles CARRIER_ID N OUT.json PLATES.txt

Plates are 桂B + five digits (valid civilian plates, GA 36); the vehicle body is the one the
server's tests use (crates/server/tests/common/mod.rs).
"""
import json
import sys

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(seq):
    """A unified social credit code (GB 32100) with a correct check character."""
    first17 = f"91450200MA5K{seq:04d}X"[:17]
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return first17 + USCC_CHARSET[(31 - total % 31) % 31]


def party(out):
    rows = [{
        "external_id": "BENCH-CARRIER", "name": "柳州压测物流有限公司", "roles": ["carrier"],
        "credit_code": credit_code(4242), "division_code": "450204", "phone": "0772-2825555",
        "transport_permit": {"number": "桂交运管许可柳字004242号", "expires": "2030-12-31"},
    }]
    with open(out, "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False)


def vehicles(carrier, n, out, plates_out):
    rows, plates = [], []
    for i in range(n):
        plate = f"桂B{i:05d}"
        plates.append(plate)
        rows.append({
            "external_id": f"BENCH-V{i:05d}", "carrier_id": carrier, "plate": plate,
            "plate_colour": "yellow", "body_type": "box", "rated_load": 18000.0,
            "cargo_volume": 40.0,
            "transport_certificate": {"number": f"450200{i:06d}", "expires": "2028-06-30"},
        })
    with open(out, "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False)
    with open(plates_out, "w", encoding="utf-8") as f:
        f.write("\n".join(plates) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "party":
        party(sys.argv[2])
    else:
        vehicles(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
