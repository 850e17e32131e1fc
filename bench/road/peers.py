"""In-process peer timings for bench/road: OSRM (osrm-bindings, CH, car.lua) and Valhalla
(pyvalhalla, auto costing), on the same extract and the same points as wuliu.

usage: peers.py <engine: osrm|valhalla> <name> <in.osm.pbf> <points.json> <routes> <workdir> <out.json>
"""

import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(cmd, **kw):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak RSS in MiB)."""
    t0 = time.perf_counter()
    res = subprocess.run(
        ["/usr/bin/time", "-f", "PEAK_KB=%M"] + cmd, capture_output=True, text=True, **kw
    )
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        sys.stderr.write(res.stdout[-3000:] + res.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}")
    peak = [l for l in res.stderr.splitlines() if l.startswith("PEAK_KB=")][-1]
    return wall, int(peak.split("=")[1]) / 1024.0


def pct(values, p):
    s = sorted(values)
    return s[round((len(s) - 1) * p)]


def progress(msg):
    sys.stderr.write("\r  " + msg + "    ")
    sys.stderr.flush()


def run_osrm(pbf, work, points, routes):
    import osrm

    prof = Path(osrm.__file__).parent / "share" / "profiles" / "car.lua"
    work.mkdir(parents=True, exist_ok=True)
    local = work / pbf.name
    shutil.copy(pbf, local)
    base = str(local).replace(".osm.pbf", ".osrm")
    py = sys.executable
    t1, m1 = timed([py, "-m", "osrm", "extract", "-p", str(prof), str(local)], cwd=work)
    t2, m2 = timed([py, "-m", "osrm", "contract", base], cwd=work)
    prep = {"prepare_s": t1 + t2, "peak_mib": max(m1, m2), "detail": f"extract {t1:.2f}s/{m1:.0f}MiB, contract {t2:.2f}s/{m2:.0f}MiB"}
    t0 = time.perf_counter()
    engine = osrm.OSRM(storage_config=base, use_shared_memory=False)
    load_s = time.perf_counter() - t0
    lat, results = [], []
    for i in range(routes):
        a, b = points[(2 * i) % len(points)], points[(2 * i + 1) % len(points)]
        params = osrm.RouteParameters(coordinates=[tuple(a), tuple(b)], overview="simplified", geometries="polyline")
        t = time.perf_counter()
        try:
            r = engine.Route(params)
            route = r["routes"][0]
            res = [float(route["duration"]), float(route["distance"])]
        except Exception:
            res = None
        lat.append((time.perf_counter() - t) * 1e3)
        results.append(res)
        if i % 1000 == 0:
            progress(f"osrm routes {i}/{routes}")
    sys.stderr.write("\n")
    tables = {}
    for n, reps in ((100, 5), (1000, 3)):
        sub = [tuple(p) for p in points[:n]]
        times = []
        for _ in range(reps):
            params = osrm.TableParameters(coordinates=sub, annotations=["duration"])
            t = time.perf_counter()
            r = engine.Table(params)
            times.append(time.perf_counter() - t)
        unreachable = sum(1 for row in r["durations"] for c in row if c is None)
        progress(f"osrm table {n}x{n}: {statistics.median(times):.3f}s")
        tables[str(n)] = {"median_s": statistics.median(times), "unreachable": unreachable}
    sys.stderr.write("\n")
    return prep, load_s, lat, results, tables


def run_valhalla(pbf, work, points, routes):
    import valhalla

    tiles = work / "tiles"
    if tiles.exists():
        shutil.rmtree(tiles)
    tiles.mkdir(parents=True)
    cfg = valhalla.get_config(tile_extract="", tile_dir=tiles)
    lim = cfg["service_limits"]
    lim["auto"]["max_matrix_location_pairs"] = 2_000_000
    lim["auto"]["max_matrix_distance"] = 1_000_000.0
    lim["max_exclude_locations"] = lim.get("max_exclude_locations", 50)
    cfg_path = work / "valhalla.json"
    cfg_path.write_text(json.dumps(cfg))
    exe = Path(valhalla.PYVALHALLA_DIR) / "bin" / "valhalla_build_tiles"
    t1, m1 = timed([str(exe), "-c", str(cfg_path), str(pbf)], cwd=work)
    prep = {"prepare_s": t1, "peak_mib": m1, "detail": f"valhalla_build_tiles {t1:.2f}s/{m1:.0f}MiB"}
    t0 = time.perf_counter()
    actor = valhalla.Actor(str(cfg_path))
    load_s = time.perf_counter() - t0
    lat, results = [], []
    for i in range(routes):
        a, b = points[(2 * i) % len(points)], points[(2 * i + 1) % len(points)]
        req = {
            "locations": [{"lon": a[0], "lat": a[1]}, {"lon": b[0], "lat": b[1]}],
            "costing": "auto",
            "directions_type": "none",
        }
        t = time.perf_counter()
        try:
            r = actor.route(req)
            s = r["trip"]["summary"]
            res = [float(s["time"]), float(s["length"]) * 1000.0]
        except Exception:
            res = None
        lat.append((time.perf_counter() - t) * 1e3)
        results.append(res)
        if i % 500 == 0:
            progress(f"valhalla routes {i}/{routes}")
    sys.stderr.write("\n")
    tables = {}
    for n, reps in ((100, 3), (1000, 1)):
        locs = [{"lon": p[0], "lat": p[1]} for p in points[:n]]
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            r = actor.matrix({"sources": locs, "targets": locs, "costing": "auto", "verbose": False})
            times.append(time.perf_counter() - t)
        d = r["sources_to_targets"]["durations"]
        unreachable = sum(1 for row in d for c in row if c is None)
        progress(f"valhalla matrix {n}x{n}: {statistics.median(times):.3f}s")
        tables[str(n)] = {"median_s": statistics.median(times), "unreachable": unreachable}
    sys.stderr.write("\n")
    return prep, load_s, lat, results, tables


def main():
    engine, name, pbf, pts_file, routes, work, out = sys.argv[1:8]
    points = json.load(open(pts_file))["points"]
    routes = int(routes)
    fn = run_osrm if engine == "osrm" else run_valhalla
    prep, load_s, lat, results, tables = fn(Path(pbf).resolve(), Path(work).resolve(), points, routes)
    json.dump(
        {
            "engine": engine,
            "extract": name,
            "prepare": prep,
            "load_s": load_s,
            "route_p50_ms": pct(lat, 0.5),
            "route_p99_ms": pct(lat, 0.99),
            "routes": results,
            "tables": tables,
        },
        open(out, "w"),
    )


if __name__ == "__main__":
    main()
