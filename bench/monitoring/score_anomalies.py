#!/usr/bin/env python3
"""Recall and precision of the monitoring rules on the simulator's labelled anomalies.

Usage: score_anomalies.py LABELS.json API_URL TOKEN

Reads the labels `wuliu simulate --labels` wrote, runs the rules over the labelled day
(POST /api/v1/monitoring/run), and scores each anomaly kind by the rule codes the labels map it to:
- recall: labelled trips of the kind on which one of its rules fired;
- precision: trips on which one of the kind's rules fired that are labelled with the kind.
A borrowed track is shared by two vehicles, so `track.borrowed` also fires on the trip it was
copied from; the strict precision counts that donor as a false positive, the pair-aware one does not.
Prints a markdown table and writes it as JSON next to the labels (…-scores.json).
"""
import json
import sys
import urllib.request


def call(url, token, method="GET"):
    req = urllib.request.Request(url, method=method, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.load(r)


def main():
    labels_path, api, token = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]
    labels = json.load(open(labels_path))
    run = call(f"{api}/api/v1/monitoring/run?day={labels['day']}", token, "POST")
    fired = {w["waybill_id"]: {f["rule"] for f in w["findings"]} for w in run["waybills_with_findings"]}
    trips = {t["waybill_id"]: t for t in labels["trips"]}
    donors = {t["borrowed_from"] for t in labels["trips"] if t.get("borrowed_from")}
    rows = []
    for kind, codes in sorted(labels["rules"].items()):
        labelled = [w for w, t in trips.items() if t["anomaly"] == kind]
        flagged = [w for w in trips if fired.get(w, set()) & set(codes)]
        hits = [w for w in labelled if fired.get(w, set()) & set(codes)]
        true_flags = [w for w in flagged if trips[w]["anomaly"] == kind]
        pair_flags = [w for w in flagged if trips[w]["anomaly"] == kind or (kind == "borrowed_track" and w in donors)]
        ratio = lambda a, b: round(len(a) / len(b), 3) if b else None
        rows.append({"kind": kind, "rules": codes, "labelled": len(labelled), "flagged": len(flagged),
                     "recall": ratio(hits, labelled), "precision": ratio(true_flags, flagged),
                     "precision_pair_aware": ratio(pair_flags, flagged)})
    clean = [w for w, t in trips.items() if t["anomaly"] is None and w not in donors]
    noisy = [w for w in clean if fired.get(w)]
    summary = {"day": labels["day"], "trips": len(trips), "waybills_checked": run["waybills_checked"],
               "positions": run["positions"], "clean_trips": len(clean),
               "clean_trips_with_any_finding": len(noisy), "kinds": rows}
    json.dump(summary, open(labels_path.replace(".json", "-scores.json"), "w"), indent=2)
    print(f"| kind | rules | labelled | flagged | recall | precision | precision (pair-aware) |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['kind']} | {', '.join(r['rules'])} | {r['labelled']} | {r['flagged']} | {r['recall']} | {r['precision']} | {r['precision_pair_aware']} |")
    print(f"\n{len(trips)} trips, {run['positions']} positions; clean trips with any finding: {len(noisy)} of {len(clean)}")
    for w in noisy:
        print(f"  clean trip {w}: {sorted(fired[w])}")


if __name__ == "__main__":
    main()
