#!/usr/bin/env python3
"""VRPTW benchmark: wuliu-dispatch vs VROOM (pyvroom), OR-Tools and PyVRP on Solomon / Gehring-Homberger files.

Every solver gets the same integer matrix ceil(100 * euclid) as travel cost and travel time, with time
windows and service times x100. Every returned plan is then re-evaluated by wuliu-dispatch's checker
(`solve_vrptw --eval`) in full double precision: the distance reported is the exact Euclidean length of
the routes, comparable with the literature's best-known solutions.

usage: bench.py --out RESULTS.jsonl --time SECONDS --solvers wuliu,vroom,ortools,pyvrp FILE...
       bench.py --report RESULTS.jsonl... > table
"""
import argparse, csv, json, math, os, statistics, subprocess, sys, tempfile, time
from datetime import timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
EXE = os.path.join(TARGET, "release", "examples", "solve_vrptw")
BKS = os.path.join(ROOT, "crates", "dispatch", "tests", "data", "bks", "bks_vrptw.csv")
THREADS = 2


def parse(path):
    lines = [l.split() for l in open(path).read().splitlines()]
    name = lines[0][0]
    nums = [l for l in lines if l and all(x.replace(".", "").isdigit() for x in l)]
    k, cap = int(nums[0][0]), int(nums[0][1])
    nodes = [tuple(float(x) for x in l) for l in nums[1:]]
    return name, k, cap, nodes


def matrix(nodes):
    return [[int(math.ceil(math.hypot(a[1] - b[1], a[2] - b[2]) * 100 - 1e-9)) for b in nodes] for a in nodes]


def run_wuliu(path, limit, threads=THREADS, objective="min-cost"):
    out = subprocess.run([EXE, path, str(limit), str(threads), "1", objective],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["routes"]


def run_wuliu1(path, limit):
    """wuliu on one thread: equal CPU with PyVRP."""
    return run_wuliu(path, limit, threads=1)


def run_wuliu_fleet(path, limit):
    """wuliu minimising vehicles first (as the hierarchical BKS rank), 2 threads."""
    return run_wuliu(path, limit, objective="min-vehicles")


def run_vroom(path, limit):
    import vroom
    name, k, cap, nodes = parse(path)
    m = matrix(nodes)
    inp = vroom.Input()
    inp.set_durations_matrix(profile="car", matrix_input=m)
    depot = nodes[0]
    for v in range(k):
        inp.add_vehicle(vroom.Vehicle(id=v + 1, start=0, end=0, capacity=[cap],
                                      time_window=vroom.TimeWindow(int(depot[4] * 100), int(depot[5] * 100))))
    for i, n in enumerate(nodes[1:], start=1):
        inp.add_job(vroom.Job(id=i, location=i, default_service=int(n[6] * 100), delivery=[int(n[3])],
                              time_windows=[vroom.TimeWindow(int(n[4] * 100), int(n[5] * 100))]))
    sol = inp.solve(exploration_level=5, nb_threads=THREADS, timeout=timedelta(seconds=limit))
    df = sol.routes
    routes = []
    for vid, g in df.groupby("vehicle_id", sort=True):
        r = [int(x) for t, x in zip(g["type"], g["id"]) if t == "job"]
        if r:
            routes.append(r)
    return routes


def run_ortools(path, limit):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    name, k, cap, nodes = parse(path)
    m = matrix(nodes)
    n = len(nodes)
    mgr = pywrapcp.RoutingIndexManager(n, k, 0)
    model = pywrapcp.RoutingModel(mgr)
    dist_cb = model.RegisterTransitCallback(lambda a, b: m[mgr.IndexToNode(a)][mgr.IndexToNode(b)])
    model.SetArcCostEvaluatorOfAllVehicles(dist_cb)
    svc = [int(x[6] * 100) for x in nodes]
    time_cb = model.RegisterTransitCallback(
        lambda a, b: m[mgr.IndexToNode(a)][mgr.IndexToNode(b)] + svc[mgr.IndexToNode(a)])
    horizon = int(nodes[0][5] * 100)
    model.AddDimension(time_cb, horizon, horizon, False, "Time")
    td = model.GetDimensionOrDie("Time")
    for i in range(1, n):
        td.CumulVar(mgr.NodeToIndex(i)).SetRange(int(nodes[i][4] * 100), int(nodes[i][5] * 100))
    for v in range(k):
        td.CumulVar(model.Start(v)).SetRange(int(nodes[0][4] * 100), horizon)
        td.CumulVar(model.End(v)).SetRange(int(nodes[0][4] * 100), horizon)
    dem = [int(x[3]) for x in nodes]
    dem_cb = model.RegisterUnaryTransitCallback(lambda a: dem[mgr.IndexToNode(a)])
    model.AddDimensionWithVehicleCapacity(dem_cb, 0, [cap] * k, True, "Capacity")
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(limit * 1000))
    sol = model.SolveWithParameters(params)
    if sol is None:
        return None
    routes = []
    for v in range(k):
        idx = model.Start(v)
        r = []
        idx = sol.Value(model.NextVar(idx))
        while not model.IsEnd(idx):
            r.append(mgr.IndexToNode(idx))
            idx = sol.Value(model.NextVar(idx))
        if r:
            routes.append(r)
    return routes


def run_pyvrp(path, limit):
    """PyVRP (hybrid genetic search) on the same integer matrix, one thread, `MaxRuntime(limit)`."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime
    name, k, cap, nodes = parse(path)
    m = matrix(nodes)
    model = Model()
    locs = [model.add_location(x=n[1], y=n[2]) for n in nodes]
    early, late = int(nodes[0][4] * 100), int(nodes[0][5] * 100)
    depot = model.add_depot(locs[0], tw_early=early, tw_late=late)
    model.add_vehicle_type(num_available=k, capacity=cap, start_depot=depot, end_depot=depot,
                           tw_early=early, tw_late=late)
    for i, n in enumerate(nodes[1:], start=1):
        model.add_client(locs[i], delivery=int(n[3]), service_duration=int(n[6] * 100),
                         tw_early=int(n[4] * 100), tw_late=int(n[5] * 100))
    for i, a in enumerate(locs):
        for j, b in enumerate(locs):
            model.add_edge(a, b, distance=m[i][j], duration=m[i][j])
    res = model.solve(stop=MaxRuntime(limit), seed=1, display=False)
    # Client activity idx counts clients from 0 in the order added: customer number idx + 1. An
    # infeasible best plan is still returned, for our checker to reject.
    return [r for r in ([a.idx + 1 for a in route.schedule() if a.is_client()] for route in res.best.routes()) if r]


def evaluate(path, routes):
    if routes is None:
        return {"feasible": False, "distance": None, "vehicles": None}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(routes, f)
    out = subprocess.run([EXE, "--eval", path, f.name], capture_output=True, text=True, check=True)
    os.unlink(f.name)
    return json.loads(out.stdout)


def load_bks():
    dist, hier = {}, {}
    for r in csv.DictReader(open(BKS)):
        key = r["instance"].upper()
        rec = (float(r["bks_distance"]), int(r["bks_vehicles"]))
        if r["objective"] == "distance_only":
            dist[key] = rec
        else:
            hier[key] = rec
    return dist, hier


def klass(name):
    n = name.upper()
    if n.startswith("RC"):
        return n[:3]
    return n[:2]


def bench(args):
    solvers = args.solvers.split(",")
    runners = {"wuliu": run_wuliu, "wuliu1": run_wuliu1, "wuliu_fleet": run_wuliu_fleet,
               "vroom": run_vroom, "ortools": run_ortools, "pyvrp": run_pyvrp}
    done = set()
    if os.path.exists(args.out):
        for l in open(args.out):
            r = json.loads(l)
            done.add((r["instance"], r["solver"], r["time_limit"]))
    total = len(args.files) * len(solvers)
    k = 0
    with open(args.out, "a") as out:
        for path in args.files:
            name = parse(path)[0]
            for s in solvers:
                k += 1
                if (name, s, args.time) in done:
                    continue
                t0 = time.time()
                routes = runners[s](path, args.time)
                wall = time.time() - t0
                ev = evaluate(path, routes)
                rec = {"instance": name, "solver": s, "time_limit": args.time, "wall_s": round(wall, 2),
                       "distance": ev["distance"], "vehicles": ev["vehicles"], "feasible": ev["feasible"]}
                out.write(json.dumps(rec) + "\n")
                out.flush()
                print(f"[{k}/{total}] {name:10s} {s:8s} {args.time:>4}s  dist {ev['distance'] or 0:10.2f}  "
                      f"veh {ev['vehicles']}  feasible {ev['feasible']}  wall {wall:5.1f}s", flush=True)


def report(files):
    dist_bks, hier_bks = load_bks()
    recs = [json.loads(l) for f in files if os.path.exists(f) for l in open(f)]
    out = []
    for limit in sorted({r["time_limit"] for r in recs}):
        for family in ("solomon", "homberger"):
            rs = [r for r in recs if r["time_limit"] == limit and (("_" in r["instance"]) == (family == "homberger"))]
            if not rs:
                continue
            solvers = [s for s in ("wuliu", "wuliu1", "wuliu_fleet", "vroom", "ortools", "pyvrp")
                       if any(r["solver"] == s for r in rs)]
            insts = sorted({r["instance"] for r in rs})
            bks = dist_bks if family == "solomon" else hier_bks
            ref = "distance-only BKS" if family == "solomon" else "hierarchical BKS (vehicles first)"
            out.append(f"\n### {family.capitalize()}, {limit} s per instance, {len(insts)} instances "
                       f"(gap to {ref})\n")
            out.append("| class | n | " + " | ".join(f"{s} gap % | {s} veh (BKS)" for s in solvers) + " |")
            out.append("|---|---|" + "---|---|" * len(solvers))
            classes = sorted({klass(i) for i in insts}) + ["all"]
            for c in classes:
                row = [c]
                ci = [i for i in insts if c == "all" or klass(i) == c]
                row.append(str(len(ci)))
                for s in solvers:
                    gaps, veh, bv, infeasible = [], [], [], 0
                    for i in ci:
                        r = next((r for r in rs if r["instance"] == i and r["solver"] == s), None)
                        if r is None:
                            continue
                        if not r["feasible"]:
                            infeasible += 1
                            continue
                        b = bks[i.upper()]
                        gaps.append(100 * (r["distance"] / b[0] - 1))
                        veh.append(r["vehicles"])
                        bv.append(b[1])
                    g = f"{statistics.mean(gaps):+.2f}" if gaps else "n/a"
                    if infeasible:
                        g += f" ({infeasible} infeasible)"
                    v = f"{statistics.mean(veh):.2f} ({statistics.mean(bv):.2f})" if veh else "n/a"
                    row += [g, v]
                out.append("| " + " | ".join(row) + " |")
            # ratios of our distance to each peer, per instance (wuliu on 2 threads and on 1)
            for ours in ("wuliu", "wuliu1"):
                for s in solvers:
                    if s.startswith("wuliu"):
                        continue
                    ratios, wins = [], 0
                    for i in insts:
                        a = next((r for r in rs if r["instance"] == i and r["solver"] == ours), None)
                        b = next((r for r in rs if r["instance"] == i and r["solver"] == s), None)
                        if a and b and a["feasible"] and b["feasible"]:
                            ratios.append(a["distance"] / b["distance"])
                            wins += a["distance"] < b["distance"] - 1e-6
                    if ratios:
                        out.append(f"\n{ours} / {s} distance ratio: median {statistics.median(ratios):.4f}, "
                                   f"mean {statistics.mean(ratios):.4f}, {ours} shorter on {wins} of {len(ratios)}")
            fleet = [r for r in rs if r["solver"] == "wuliu_fleet" and r["feasible"]]
            if fleet:
                at = sum(r["vehicles"] <= hier_bks[r["instance"].upper()][1] for r in fleet)
                out.append(f"\nwuliu_fleet: best-known number of vehicles (or fewer) on {at} of {len(fleet)} "
                           f"instances ({100 * at / len(fleet):.0f} %)")
            for s in solvers:
                walls = [r["wall_s"] for r in rs if r["solver"] == s]
                out.append(f"\n{s}: median wall time {statistics.median(walls):.2f} s per instance")
    print("\n".join(out))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--time", type=float)
    ap.add_argument("--solvers", default="wuliu,vroom,ortools")
    ap.add_argument("--report", nargs="*")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    if a.report:
        report(a.report)
    else:
        bench(a)
