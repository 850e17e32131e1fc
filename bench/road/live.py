"""bench/road, issue 27 part: live closures, map matching and isochrones against the peers.

Imported by peers.py (OSRM closures and matching, Valhalla isochrones) and bench.py (scoring).
Scoring is one function for every engine:

* Matching: the truth is the road nodes the simulated vehicle drove (from `bench_live tracks`).
  A matched line's coordinates are mapped to truth nodes (within 1.5 m); a coordinate within
  2.5 m of the true line but not at a node is skipped (a shape point one engine keeps and the
  other does not); anything else is off the truth. A truth segment (consecutive truth nodes) is
  correctly matched when the matched line has those two nodes consecutively. Recall: share of
  truth segments matched; precision: share of the matched line's segments that are truth segments
  (its ends, from a snapped point to the first node, count as wrong for every engine alike).
* Isochrones: IoU of the polygons of the same contour (shapely), per centre and contour.
"""

import math
import statistics
import subprocess
import sys
import time
from pathlib import Path

M_PER_DEG = 111_320.0


def progress(msg):
    sys.stderr.write("\r  " + msg + "    ")
    sys.stderr.flush()


# ---------------------------------------------------------------- matching: scoring


def _project(lat0):
    k = math.cos(math.radians(lat0)) * M_PER_DEG
    return lambda c: (c[0] * k, c[1] * M_PER_DEG)


def score_track(track, lines):
    """(truth segments, matched truth segments, matched segments, correct matched segments)."""
    from shapely.geometry import LineString, Point

    truth = track["truth"]
    if len(truth) < 2:
        return 0, 0, 0, 0
    proj = _project(truth[0][1])
    tp = [proj(c) for c in truth]
    canon, grid = [], {}
    for i, (x, y) in enumerate(tp):
        key = None
        for j in grid.get((round(x / 5), round(y / 5)), []):
            if math.dist(tp[j], (x, y)) < 0.5:
                key = j
                break
        canon.append(i if key is None else canon[key])
        grid.setdefault((round(x / 5), round(y / 5)), []).append(i)
    truth_segs = {(canon[i], canon[i + 1]) for i in range(len(tp) - 1) if canon[i] != canon[i + 1]}
    tline = LineString(tp)

    def node_of(c):
        x, y = proj(c)
        cx, cy = round(x / 5), round(y / 5)
        best, bd = None, 1.5
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for j in grid.get((cx + dx, cy + dy), []):
                    d = math.dist(tp[j], (x, y))
                    if d <= bd:
                        best, bd = canon[j], d
        if best is not None:
            return best
        return "skip" if tline.distance(Point(x, y)) <= 2.5 else None

    found, matched, correct = set(), 0, 0
    for line in lines:
        seq = []
        for c in line:
            k = node_of(c)
            if k == "skip" or (seq and seq[-1] == k and k is not None):
                continue
            seq.append(k)
        for a, b in zip(seq, seq[1:]):
            matched += 1
            if a is not None and b is not None and (a, b) in truth_segs:
                correct += 1
                found.add((a, b))
    return len(truth_segs), len(found), matched, correct


def score_matching(tracks, results):
    """Per (interval, noise) case and overall: recall, precision, points/s, tracks."""
    cases = {}
    for t, r in zip(tracks, results):
        key = f"{t['interval_s']}s/{t['noise_m']:.0f}m"
        ts, tf, m, c = score_track(t, r["matchings"])
        acc = cases.setdefault(key, [0, 0, 0, 0, 0.0, 0, 0])
        for i, v in enumerate((ts, tf, m, c, r["seconds"], len(t["points"]), 1)):
            acc[i] += v
    out = {}
    total = [0, 0, 0, 0, 0.0, 0, 0]
    for key, acc in cases.items():
        out[key] = _summary(acc)
        total = [a + b for a, b in zip(total, acc)]
    out["all"] = _summary(total)
    return out


def _summary(acc):
    ts, tf, m, c, secs, pts, n = acc
    return {"recall": tf / ts if ts else float("nan"), "precision": c / m if m else float("nan"),
            "points_per_s": pts / secs if secs else float("nan"), "tracks": n, "points": pts,
            "seconds": secs}


# ---------------------------------------------------------------- OSRM: matching and closures


def osrm_match(engine, tracks):
    import osrm

    out = []
    for i, t in enumerate(tracks):
        n = len(t["points"])
        params = osrm.MatchParameters(
            coordinates=[tuple(p) for p in t["points"]], timestamps=t["times"],
            radiuses=[float(t["noise_m"])] * n, gaps="ignore", tidy=False,
            overview="full", geometries="geojson")
        clock = time.perf_counter()
        try:
            r = engine.Match(params)
            lines = [[(float(c[0]), float(c[1])) for c in m["geometry"]["coordinates"]] for m in r["matchings"]]
        except Exception:
            lines = []
        out.append({"seconds": time.perf_counter() - clock, "matchings": lines})
        if i % 20 == 0:
            progress(f"osrm match {i}/{len(tracks)}")
    sys.stderr.write("\n")
    return out


def way_segments(pbf, way_ids):
    """OSM node id pairs (both directions) of the ways `way_ids` in `pbf` (pyosmium)."""
    import osmium

    wanted, pairs = set(way_ids), []
    for w in osmium.FileProcessor(str(pbf), osmium.osm.WAY):
        if w.id in wanted:
            refs = [n.ref for n in w.nodes]
            for a, b in zip(refs, refs[1:]):
                pairs += [(a, b), (b, a)]
    return pairs


def osrm_closure(py, base, pbf, way_ids, work, timed, reps=3):
    """Times `osrm-customize --segment-speed-file` closing `way_ids` (speed 0) on the MLD data."""
    pairs = way_segments(pbf, way_ids)
    csv = Path(work) / "closure-speeds.csv"
    csv.write_text("".join(f"{a},{b},0\n" for a, b in pairs))
    times, peak = [], 0.0
    for i in range(reps):
        t, m = timed([py, "-m", "osrm", "customize", "--threads", "2", "--segment-speed-file", str(csv), base],
                     cwd=work)
        times.append(t)
        peak = max(peak, m)
        progress(f"osrm customize with closures {i + 1}/{reps}: {t:.2f}s")
    sys.stderr.write("\n")
    return {"median_s": statistics.median(times), "times_s": times, "peak_mib": peak, "segments": len(pairs)}


# ---------------------------------------------------------------- Valhalla isochrones and IoU


def valhalla_isochrones(actor, centres):
    out = []
    for i, c in enumerate(centres):
        req = {"locations": [{"lon": c[0], "lat": c[1]}], "costing": "auto",
               "contours": [{"time": 5}, {"time": 10}, {"time": 15}], "polygons": True, "denoise": 0.0}
        clock = time.perf_counter()
        try:
            r = actor.isochrone(req)
        except Exception as e:  # noqa: BLE001 - recorded as a failed request
            r = {"error": str(e)}
        secs = time.perf_counter() - clock
        out.append({"seconds": secs, "geojson": r})
        progress(f"valhalla isochrone {i + 1}/{len(centres)}")
    sys.stderr.write("\n")
    return out


def _wuliu_shape(contour):
    from shapely.geometry import Polygon
    from shapely.ops import unary_union

    polys = [Polygon(p[0], p[1:]).buffer(0) for p in contour["polygons"]]
    return unary_union(polys) if polys else Polygon()


def _valhalla_shapes(geojson):
    from shapely.geometry import shape

    shapes = {}
    for f in geojson.get("features", []):
        minutes = f.get("properties", {}).get("contour")
        if minutes is not None and f["geometry"]["type"] in ("Polygon", "MultiPolygon"):
            shapes[float(minutes)] = shape(f["geometry"]).buffer(0)
    return shapes


def score_isochrones(ours, theirs):
    """Median IoU per contour, and the time per request of each engine."""
    ious = {}
    for w, v in zip(ours, theirs):
        vs = _valhalla_shapes(v["geojson"]) if "error" not in v["geojson"] else {}
        for c in w["contours"]:
            m = float(c["minutes"])
            if m not in vs:
                continue
            a, b = _wuliu_shape(c), vs[m]
            union = a.union(b).area
            ious.setdefault(f"{m:.0f}", []).append(a.intersection(b).area / union if union else 0.0)
    return {
        "iou_median": {k: statistics.median(v) for k, v in sorted(ious.items(), key=lambda kv: float(kv[0]))},
        "n": {k: len(v) for k, v in ious.items()},
        "wuliu_ms": statistics.median(w["seconds"] for w in ours) * 1e3,
        "valhalla_ms": statistics.median(v["seconds"] for v in theirs) * 1e3,
        "valhalla_failed": sum(1 for v in theirs if "error" in v["geojson"]),
    }


def run_cmd(cmd):
    subprocess.run(cmd, check=True)
