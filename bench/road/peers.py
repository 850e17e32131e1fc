"""In-process peer timings for bench/road: OSRM (osrm-bindings, CH and MLD, car.lua) and Valhalla
(pyvalhalla, auto costing), on the same extract and the same points as wuliu.

usage: peers.py <engine: osrm|valhalla> <name> <in.osm.pbf> <points.json> <routes> <workdir> <out.json> <opts.json>

opts.json: {"threads": 2, "table1000": bool, "valhalla_routes": n, "tile_timeout_s": s,
"tracks": path|null, "closure": path|null (bench_live closures output), "iso": path|null
(bench_live isochrones output)}. OSRM writes {"osrm": CH results, "osrm-mld": MLD results,
"match": ..., "closure": ...}; Valhalla {"valhalla": results, "isochrones": ...}.
"""

import json
import os
import signal
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(cmd, timeout=None, **kw):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak RSS in MiB); None on timeout."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-f", "PEAK_KB=%M"] + cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, **kw)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the tool runs under /usr/bin/time and `python -m osrm`
        proc.communicate()
        return None
    res = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
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


def query_routes(route_fn, points, routes, label, every=1000):
    lat, results = [], []
    for i in range(routes):
        a, b = points[(2 * i) % len(points)], points[(2 * i + 1) % len(points)]
        t = time.perf_counter()
        try:
            res = route_fn(a, b)
        except Exception:
            res = None
        lat.append((time.perf_counter() - t) * 1e3)
        results.append(res)
        if i % every == 0:
            progress(f"{label} routes {i}/{routes}")
    sys.stderr.write("\n")
    return lat, results


def osrm_prepare(py, local, work, threads, contract_timeout=None):
    """extract once, then partition + customize (MLD) and contract (CH); times and peaks. The
    CH preparation is None when contract exceeds `contract_timeout` seconds."""
    import osrm

    prof = Path(osrm.__file__).parent / "share" / "profiles" / "car.lua"
    base = str(local).replace(".osm.pbf", ".osrm")
    th = ["--threads", str(threads)]
    steps, exceeded = {}, None
    saved = work / "osrm-steps.json"  # with ROAD_BENCH_REUSE=1, steps already done are not redone
    if os.environ.get("ROAD_BENCH_REUSE") == "1" and saved.exists():
        steps = {k: tuple(v) for k, v in json.load(open(saved)).items()}
    # An earlier, interrupted run may have recorded that contract ran longer than it could wait.
    exceeded = steps.pop("contract_exceeded_s", (None,))[0]
    # Partition renumbers the nodes: it must run before contract for both to share one extract.
    for step, cmd in (("extract", ["extract", "-p", str(prof)] + th + [str(local)]),
                      ("partition", ["partition"] + th + [base]),
                      ("customize", ["customize"] + th + [base]),
                      ("contract", ["contract"] + th + [base])):
        if step == "contract" and exceeded:
            sys.stderr.write(f"  osrm contract: ran over {exceeded:.0f} s in an earlier run, not repeated\n")
            contract_timeout = exceeded
            continue
        if step in steps:
            sys.stderr.write(f"  osrm {step}: reused ({steps[step][0]:.1f}s, {steps[step][1]:.0f} MiB)\n")
            continue
        progress(f"osrm {step} ...")
        r = timed([py, "-m", "osrm"] + cmd, cwd=work, timeout=contract_timeout if step == "contract" else None)
        if r is None:
            sys.stderr.write(f"\n  osrm {step} exceeded {contract_timeout:.0f} s: OSRM CH skipped\n")
            continue
        steps[step] = r
        saved.write_text(json.dumps(steps))
        progress(f"osrm {step}: {steps[step][0]:.1f}s, {steps[step][1]:.0f} MiB\n")
    detail = ", ".join(f"{k} {t:.2f}s/{m:.0f}MiB" for k, (t, m) in steps.items())

    def total(names):
        return {"prepare_s": sum(steps[n][0] for n in names), "peak_mib": max(steps[n][1] for n in names),
                "steps": {n: {"s": steps[n][0], "peak_mib": steps[n][1]} for n in names},
                "detail": ", ".join(f"{n} {steps[n][0]:.2f}s/{steps[n][1]:.0f}MiB" for n in names)}

    sys.stderr.write(f"  osrm: {detail}\n")
    ch = total(["extract", "contract"]) if "contract" in steps else {
        "skipped": f"osrm-contract (CH) did not finish within {contract_timeout:.0f} s (2 threads, shared machine)"}
    return base, ch, total(["extract", "partition", "customize"])


def osrm_queries(engine, points, routes, opts, label):
    import osrm

    def route(a, b):
        params = osrm.RouteParameters(coordinates=[tuple(a), tuple(b)], overview="simplified", geometries="polyline")
        r = engine.Route(params)["routes"][0]
        return [float(r["duration"]), float(r["distance"])]

    if label == "osrm-mld":
        routes = min(routes, opts.get("mld_routes", routes))
    lat, results = query_routes(route, points, routes, label)
    tables = {}
    sizes = ((100, 5), (1000, 3)) if opts.get("table1000", True) else ((100, 5),)
    for n, reps in sizes:
        sub = [tuple(p) for p in points[:n]]
        times = []
        for _ in range(reps):
            params = osrm.TableParameters(coordinates=sub, annotations=["duration"])
            t = time.perf_counter()
            r = engine.Table(params)
            times.append(time.perf_counter() - t)
        unreachable = sum(1 for row in r["durations"] for c in row if c is None)
        progress(f"{label} table {n}x{n}: {statistics.median(times):.3f}s")
        tables[str(n)] = {"median_s": statistics.median(times), "unreachable": unreachable}
    sys.stderr.write("\n")
    return {"route_p50_ms": pct(lat, 0.5), "route_p99_ms": pct(lat, 0.99), "routes": results, "tables": tables,
            "routes_timed": routes}


def run_osrm(pbf, work, points, routes, opts):
    import osrm

    import live

    work.mkdir(parents=True, exist_ok=True)
    local = work / pbf.name
    if not (os.environ.get("ROAD_BENCH_REUSE") == "1" and local.exists()):
        shutil.copy(pbf, local)
    py = sys.executable
    base, prep_ch, prep_mld = osrm_prepare(py, local, work, opts.get("threads", 2), opts.get("contract_timeout_s"))
    out = {}
    if "skipped" in prep_ch:
        out["osrm"], prep_ch = prep_ch, None
    match_algo = "CH" if prep_ch is not None else "MLD"
    for key, algo, prep in (("osrm", "CH", prep_ch), ("osrm-mld", "MLD", prep_mld)):
        if prep is None:
            continue
        t0 = time.perf_counter()
        engine = osrm.OSRM(storage_config=base, algorithm=algo, use_shared_memory=False,
                           max_locations_map_matching=1000, max_locations_distance_table=10000)
        res = osrm_queries(engine, points, routes, opts, key)
        res.update({"engine": key, "prepare": prep, "load_s": time.perf_counter() - t0})
        out[key] = res
        if algo == match_algo and opts.get("tracks"):
            tracks = json.load(open(opts["tracks"]))["tracks"]
            out["match"] = live.osrm_match(engine, tracks)
        del engine
    if opts.get("closure"):
        ways = json.load(open(opts["closure"]))["way_ids"]
        out["closure"] = live.osrm_closure(py, base, local, ways, work, timed)
    return out


def valhalla_prepare(pbf, work, timeout):
    import valhalla

    tiles = work / "tiles"
    if tiles.exists():
        shutil.rmtree(tiles)
    tiles.mkdir(parents=True)
    cfg = valhalla.get_config(tile_extract="", tile_dir=tiles)
    lim = cfg["service_limits"]
    lim["auto"]["max_matrix_location_pairs"] = 2_000_000
    lim["auto"]["max_matrix_distance"] = 10_000_000.0
    lim["auto"]["max_distance"] = 10_000_000.0
    lim["max_exclude_locations"] = lim.get("max_exclude_locations", 50)
    cfg["mjolnir"]["concurrency"] = 2
    cfg_path = work / "valhalla.json"
    cfg_path.write_text(json.dumps(cfg))
    exe = Path(valhalla.PYVALHALLA_DIR) / "bin" / "valhalla_build_tiles"
    progress("valhalla_build_tiles ...")
    r = timed([str(exe), "-c", str(cfg_path), str(pbf)], timeout=timeout, cwd=work)
    sys.stderr.write("\n")
    return cfg_path, r


def valhalla_route(actor):
    def route(a, b):
        req = {"locations": [{"lon": a[0], "lat": a[1]}, {"lon": b[0], "lat": b[1]}],
               "costing": "auto", "directions_type": "none"}
        s = actor.route(req)["trip"]["summary"]
        return [float(s["time"]), float(s["length"]) * 1000.0]

    return route


def run_valhalla(pbf, work, points, routes, opts):
    import valhalla

    import live

    timeout = opts.get("tile_timeout_s")
    cfg_path, r = valhalla_prepare(pbf, work, timeout)
    if r is None:
        return {"skipped": f"valhalla_build_tiles exceeded {timeout:.0f} s"}
    t1, m1 = r
    prep = {"prepare_s": t1, "peak_mib": m1, "detail": f"valhalla_build_tiles {t1:.2f}s/{m1:.0f}MiB"}
    t0 = time.perf_counter()
    actor = valhalla.Actor(str(cfg_path))
    load_s = time.perf_counter() - t0
    n_routes = min(routes, opts.get("valhalla_routes", routes))
    lat, results = query_routes(valhalla_route(actor), points, n_routes, "valhalla", every=100)
    tables = {}
    sizes = ((100, 3), (1000, 1)) if opts.get("table1000", True) else ((100, 1),)
    for n, reps in sizes:
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
    res = {"engine": "valhalla", "prepare": prep, "load_s": load_s, "route_p50_ms": pct(lat, 0.5),
           "route_p99_ms": pct(lat, 0.99), "routes": results + [None] * (routes - n_routes),
           "routes_timed": n_routes, "tables": tables}
    out = {"valhalla": res}
    if opts.get("iso"):
        centres = [w["centre"] for w in json.load(open(opts["iso"]))["isochrones"]]
        out["isochrones"] = live.valhalla_isochrones(actor, centres)
    return out


def main():
    engine, name, pbf, pts_file, routes, work, out, opts = sys.argv[1:9]
    points = json.load(open(pts_file))["points"]
    opts = json.load(open(opts))
    fn = run_osrm if engine == "osrm" else run_valhalla
    res = fn(Path(pbf).resolve(), Path(work).resolve(), points, int(routes), opts)
    for v in res.values():
        if isinstance(v, dict) and "engine" in v:
            v["extract"] = name
    json.dump(res, open(out, "w"))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
