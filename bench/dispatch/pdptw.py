#!/usr/bin/env python3
"""PDPTW benchmark: wuliu-dispatch vs VROOM (pyvroom), OR-Tools and PyVRP on the Li & Lim instances.

Every solver gets the same integer matrix ceil(100 * euclid) as travel cost and travel time, with time windows
and service times x100 (rounding up: a plan feasible on it is feasible with exact distances). Every returned
plan, written as routes of task ids, is re-checked by wuliu-dispatch's checker (`solve_pdptw --eval`:
routes -> `Visit`s -> `Solution::from_visits` -> `check`) on the exact double-precision matrix, and the exact
length is what is reported and compared with the best-known solutions (vehicles first, then distance).

Objective (OBJECTIVE=min-vehicles, the default, or min-cost), the same for every solver: min-vehicles is wuliu's
`Objective::MinVehicles`, and for the peers a fixed cost per used vehicle larger than any plan's total distance
(so one vehicle less always pays: the hierarchical ranking of the best-known table); min-cost is distance only.

usage: pdptw.py --out RESULTS.jsonl --time SECONDS --solvers wuliu,vroom,ortools,pyvrp FILE...
       pdptw.py --reeval RESULTS.jsonl...    re-check stored routes (e.g. after a checker change)
       pdptw.py --report RESULTS.jsonl... > table
"""
import argparse, csv, json, math, os, statistics, subprocess, tempfile, time
from datetime import timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
EXE = os.path.join(TARGET, "release", "examples", "solve_pdptw")
BKS = os.path.join(HERE, "data", "pdptw", "bks.csv")
THREADS = 2
SCALE = 100
SOLVERS = ("wuliu", "vroom", "ortools", "pyvrp")
OBJECTIVE = os.environ.get("OBJECTIVE", "min-vehicles")
assert OBJECTIVE in ("min-vehicles", "min-cost"), f"OBJECTIVE must be min-vehicles or min-cost, not {OBJECTIVE}"


def name_of(path):
    return os.path.splitext(os.path.basename(path))[0]


def parse(path):
    """(fleet, capacity, speed, tasks) with tasks = [(id, x, y, demand, ready, due, service, pickup, delivery)]."""
    rows = [l.split() for l in open(path).read().splitlines() if l.strip()]
    k, cap, speed = int(rows[0][0]), float(rows[0][1]), float(rows[0][2]) or 1.0
    tasks = [tuple(float(x) for x in r) for r in rows[1:]]
    return k, cap, speed, tasks


def matrices(tasks, speed):
    """Integer distance and travel-time matrices: ceil(100 * d) and ceil(100 * d / speed)."""
    def up(x):
        return int(math.ceil(x * SCALE - 1e-9))
    d = [[math.hypot(a[1] - b[1], a[2] - b[2]) for b in tasks] for a in tasks]
    return [[up(x) for x in row] for row in d], [[up(x / speed) for x in row] for row in d]


def fixed_cost(dist):
    """The peers' cost per used vehicle: above any plan's total distance (each location is left at most
    once, so the sum of the longest edge out of every location bounds it) under min-vehicles, else 0."""
    return sum(max(row) for row in dist) + 1 if OBJECTIVE == "min-vehicles" else 0


def pairs(tasks):
    return [(int(t[0]), int(t[8])) for t in tasks[1:] if int(t[8]) != 0]


def scaled(x):
    return int(round(x * SCALE))


def run_wuliu(path, limit):
    out = subprocess.run([EXE, path, str(limit), "--threads", str(THREADS), "--objective", OBJECTIVE],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip()[-500:])
    return json.loads(out.stdout)["routes"]


def run_vroom(path, limit):
    import vroom
    k, cap, speed, tasks = parse(path)
    dist, dur = matrices(tasks, speed)
    inp = vroom.Input()
    inp.set_durations_matrix(profile="car", matrix_input=dur)
    inp.set_costs_matrix(profile="car", matrix_input=dist)
    depot = tasks[0]
    costs = vroom.VehicleCosts(fixed=fixed_cost(dist))
    for v in range(k):
        inp.add_vehicle(vroom.Vehicle(id=v + 1, start=0, end=0, capacity=[int(cap)], costs=costs,
                                      time_window=vroom.TimeWindow(scaled(depot[4]), scaled(depot[5]))))

    def step(i):
        t = tasks[i]
        return vroom.ShipmentStep(id=i, location=i, default_service=scaled(t[6]),
                                  time_windows=[vroom.TimeWindow(scaled(t[4]), scaled(t[5]))])
    for p, d in pairs(tasks):
        inp.add_shipment(pickup=step(p), delivery=step(d), amount=vroom.Amount([int(tasks[p][3])]))
    sol = inp.solve(exploration_level=5, nb_threads=THREADS, timeout=timedelta(seconds=limit))
    routes = []
    for _, g in sol.routes.groupby("vehicle_id", sort=True):
        r = [int(x) for t, x in zip(g["type"], g["id"]) if t in ("pickup", "delivery")]
        if r:
            routes.append(r)
    return routes


def run_ortools(path, limit):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    k, cap, speed, tasks = parse(path)
    dist, dur = matrices(tasks, speed)
    n = len(tasks)
    mgr = pywrapcp.RoutingIndexManager(n, k, 0)
    model = pywrapcp.RoutingModel(mgr)
    node = mgr.IndexToNode
    cost_cb = model.RegisterTransitCallback(lambda a, b: dist[node(a)][node(b)])
    model.SetArcCostEvaluatorOfAllVehicles(cost_cb)
    model.SetFixedCostOfAllVehicles(fixed_cost(dist))
    svc = [scaled(t[6]) for t in tasks]
    time_cb = model.RegisterTransitCallback(lambda a, b: dur[node(a)][node(b)] + svc[node(a)])
    horizon = scaled(tasks[0][5])
    model.AddDimension(time_cb, horizon, horizon, False, "Time")
    td = model.GetDimensionOrDie("Time")
    for i in range(1, n):
        td.CumulVar(mgr.NodeToIndex(i)).SetRange(scaled(tasks[i][4]), scaled(tasks[i][5]))
    for v in range(k):
        td.CumulVar(model.Start(v)).SetRange(scaled(tasks[0][4]), horizon)
        td.CumulVar(model.End(v)).SetRange(scaled(tasks[0][4]), horizon)
    dem = [int(t[3]) for t in tasks]
    dem_cb = model.RegisterUnaryTransitCallback(lambda a: dem[node(a)])
    model.AddDimensionWithVehicleCapacity(dem_cb, 0, [int(cap)] * k, True, "Capacity")
    solver = model.solver()
    for p, d in pairs(tasks):
        pi, di = mgr.NodeToIndex(p), mgr.NodeToIndex(d)
        model.AddPickupAndDelivery(pi, di)
        solver.Add(model.VehicleVar(pi) == model.VehicleVar(di))
        solver.Add(td.CumulVar(pi) <= td.CumulVar(di))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(limit * 1000))
    sol = model.SolveWithParameters(params)
    if sol is None:
        return None
    routes = []
    for v in range(k):
        idx = sol.Value(model.NextVar(model.Start(v)))
        r = []
        while not model.IsEnd(idx):
            r.append(node(idx))
            idx = sol.Value(model.NextVar(idx))
        if r:
            routes.append(r)
    return routes


def run_pyvrp(path, limit):
    """PyVRP 0.14 (hybrid genetic search; shipments since 0.14), one thread, `MaxRuntime(limit)`."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime
    k, cap, speed, tasks = parse(path)
    dist, dur = matrices(tasks, speed)
    model = Model()
    locs = [model.add_location(x=t[1], y=t[2]) for t in tasks]
    early, late = scaled(tasks[0][4]), scaled(tasks[0][5])
    depot = model.add_depot(locs[0], tw_early=early, tw_late=late)
    model.add_vehicle_type(num_available=k, capacity=int(cap), start_depot=depot, end_depot=depot,
                           tw_early=early, tw_late=late, fixed_cost=fixed_cost(dist))
    prs = pairs(tasks)
    for p, d in prs:
        tp, td = tasks[p], tasks[d]
        model.add_shipment(locs[p], locs[d], pickup_tw_early=scaled(tp[4]), pickup_tw_late=scaled(tp[5]),
                           pickup_service_duration=scaled(tp[6]), delivery_tw_early=scaled(td[4]),
                           delivery_tw_late=scaled(td[5]), delivery_service_duration=scaled(td[6]),
                           amount=int(tp[3]))
    for i, a in enumerate(locs):
        for j, b in enumerate(locs):
            model.add_edge(a, b, distance=dist[i][j], duration=dur[i][j])
    res = model.solve(stop=MaxRuntime(limit), seed=1, display=False)
    # Pickup and delivery activities carry the shipment's index (order added); an infeasible best plan is
    # still returned, for our checker to reject.
    routes = []
    for route in res.best.routes():
        r = [prs[a.idx][0] if a.is_pickup() else prs[a.idx][1] for a in route.schedule() if a.is_shipment()]
        if r:
            routes.append(r)
    return routes


def evaluate(path, routes):
    """The checker's verdict on routes of task ids (exact matrix)."""
    if routes is None:
        return {"feasible": False, "distance": None, "vehicles": None, "served": 0,
                "violations": ["no solution returned"]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(routes, f)
    out = subprocess.run([EXE, "--eval", path, f.name], capture_output=True, text=True)
    os.unlink(f.name)
    if out.returncode != 0:
        return {"feasible": False, "distance": None, "vehicles": None, "served": 0,
                "violations": [out.stderr.strip()[-300:]]}
    return json.loads(out.stdout)


def record(name, path, solver, limit, wall, routes, error=None):
    ev = evaluate(path, routes)
    rec = {"instance": name, "path": os.path.relpath(path, ROOT), "solver": solver, "time_limit": limit,
           "wall_s": round(wall, 2), "distance": ev["distance"], "vehicles": ev["vehicles"],
           "served": ev.get("served"), "feasible": ev["feasible"], "violations": ev.get("violations", []),
           "routes": routes}
    if error:
        rec["error"] = error
    return rec


def bench(args):
    solvers = args.solvers.split(",")
    runners = {"wuliu": run_wuliu, "vroom": run_vroom, "ortools": run_ortools, "pyvrp": run_pyvrp}
    done = set()
    if os.path.exists(args.out):
        for l in open(args.out):
            r = json.loads(l)
            done.add((r["instance"], r["solver"], r["time_limit"]))
    total = len(args.files) * len(solvers)
    k = 0
    with open(args.out, "a") as out:
        for path in args.files:
            name = name_of(path)
            for s in solvers:
                k += 1
                if (name, s, args.time) in done:
                    continue
                t0 = time.time()
                routes, error = None, None
                try:
                    routes = runners[s](path, args.time)
                except Exception as e:  # a failing solver is a result (infeasible), not the end of the run
                    error = f"{type(e).__name__}: {e}"[-500:]
                rec = record(name, path, s, args.time, time.time() - t0, routes, error)
                out.write(json.dumps(rec) + "\n")
                out.flush()
                bks = load_bks().get(name)
                gap = f"{100 * (rec['distance'] / bks[1] - 1):+6.2f}%" if rec["feasible"] and bks else "   n/a "
                print(f"[{k}/{total}] {name:10s} {s:8s} {args.time:>4}s  dist {rec['distance'] or 0:9.2f} "
                      f"(BKS {bks[1] if bks else 0:9.2f}, gap {gap})  veh {rec['vehicles']} (BKS "
                      f"{bks[0] if bks else '?'})  feasible {rec['feasible']}  wall {rec['wall_s']:5.1f}s"
                      + (f"  ERROR {error[:120]}" if error else "")
                      + ("" if rec["feasible"] or error else f"  {rec['violations'][:1]}"), flush=True)


def reeval(files):
    for f in files:
        recs = [json.loads(l) for l in open(f)]
        for r in recs:
            if r.get("routes") is not None:
                ev = evaluate(os.path.join(ROOT, r["path"]), r["routes"])
                for key in ("distance", "vehicles", "served", "feasible", "violations"):
                    r[key] = ev.get(key)
        with open(f, "w") as out:
            out.writelines(json.dumps(r) + "\n" for r in recs)
        print(f"re-checked {len(recs)} plans in {f}")


def load_bks():
    return {r["instance"]: (int(r["vehicles"]), float(r["distance"])) for r in csv.DictReader(open(BKS))}


def klass(name):
    """lc101 -> lc1, lrc205 -> lrc2, lr1_2_3 -> lr1."""
    return name.split("_")[0] if "_" in name else name[:-2]


def size(name):
    return 200 if "_" in name else 100


def pct(x):
    return f"{round(x, 2) + 0.0:+.2f}"


def stats(rs, bks, insts, s):
    """Over the feasible plans of solver s on insts: gaps %, vehicles, BKS vehicles; and feasible / run counts."""
    gaps, veh, bv = [], [], []
    for i in insts:
        r = rs.get((i, s))
        if r is not None and r["feasible"]:
            gaps.append(100 * (r["distance"] / bks[i][1] - 1))
            veh.append(r["vehicles"])
            bv.append(bks[i][0])
    return gaps, veh, bv, len(gaps), sum((i, s) in rs for i in insts)


def cell(rs, bks, insts, s):
    """Mean gap %, mean vehicles (BKS) and feasible / runs of solver s over insts."""
    gaps, veh, bv, feas, ran = stats(rs, bks, insts, s)
    g = pct(statistics.mean(gaps)) if gaps else "n/a"
    v = f"{statistics.mean(veh):.2f} ({statistics.mean(bv):.2f})" if veh else "n/a"
    return [g, v, f"{feas}/{ran}"]


def summary(rs, bks, insts, s):
    """One line: the issue's goals (gap to the BKS distance, vehicles over the BKS) for solver s."""
    gaps, veh, bv, feas, ran = stats(rs, bks, insts, s)
    none = sum(1 for i in insts if (i, s) in rs and rs[(i, s)]["routes"] is None)
    none = f" ({none} without any plan in the time limit)" if none else ""
    if not gaps:
        return f"- {s}: no feasible plan in {ran} runs{none}"
    at = sum(v <= b for v, b in zip(veh, bv))
    over = 100 * (sum(veh) / sum(bv) - 1)
    return (f"- {s}: feasible {feas} of {ran}{none}; distance gap to BKS mean {pct(statistics.mean(gaps))} %, median "
            f"{pct(statistics.median(gaps))} %, max {pct(max(gaps))} %; vehicles {pct(over)} % over the BKS in total,"
            f" BKS fleet or fewer on {at} of {feas}")


def compare(rs, insts, s):
    """wuliu against peer s on the instances where both are feasible."""
    ratios, vdiff, better, worse = [], [], 0, 0
    for i in insts:
        a, b = rs.get((i, "wuliu")), rs.get((i, s))
        if a and b and a["feasible"] and b["feasible"]:
            ratios.append(a["distance"] / b["distance"])
            vdiff.append(a["vehicles"] - b["vehicles"])
            ka, kb = (a["vehicles"], round(a["distance"], 4)), (b["vehicles"], round(b["distance"], 4))
            better += ka < kb
            worse += ka > kb
    if not ratios:
        return None
    return (f"- wuliu / {s}: distance ratio median {statistics.median(ratios):.4f}, mean {statistics.mean(ratios):.4f};"
            f" vehicles wuliu - {s} mean {statistics.mean(vdiff):+.2f}; ranked by vehicles then distance, wuliu better"
            f" on {better}, worse on {worse}, equal on {len(ratios) - better - worse} of {len(ratios)}")


def report(files):
    bks = load_bks()
    recs = [json.loads(l) for f in files if os.path.exists(f) for l in open(f)]
    out = []
    for limit in sorted({r["time_limit"] for r in recs}):
        for sz in (100, 200):
            sel = [r for r in recs if r["time_limit"] == limit and size(r["instance"]) == sz]
            if not sel:
                continue
            rs = {(r["instance"], r["solver"]): r for r in sel}
            solvers = [s for s in SOLVERS if any(r["solver"] == s for r in sel)]
            insts = sorted({r["instance"] for r in sel})
            out.append(f"\n### Li & Lim {sz} tasks, {limit:g} s per instance, {len(insts)} instances\n")
            out.append("Gap: mean over the feasible plans of exact distance / BKS distance - 1, in %. Vehicles: mean"
                       " (BKS mean) over the same plans. Feasible: plans the checker accepted / runs.\n")
            out.append("| class | n | " + " | ".join(f"{s} gap % | {s} vehicles (BKS) | {s} feasible"
                                                   for s in solvers) + " |")
            out.append("|---|---|" + "---|---|---|" * len(solvers))
            for c in sorted({klass(i) for i in insts}) + ["all"]:
                ci = [i for i in insts if c == "all" or klass(i) == c]
                row = [c, str(len(ci))]
                for s in solvers:
                    row += cell(rs, bks, ci, s)
                out.append("| " + " | ".join(row) + " |")
            out.append("")
            out += [summary(rs, bks, insts, s) for s in solvers]
            out += [line for line in (compare(rs, insts, s) for s in solvers if s != "wuliu") if line]
            for s in solvers:
                walls = [r["wall_s"] for r in sel if r["solver"] == s]
                errors = sum(1 for r in sel if r["solver"] == s and r.get("error"))
                extra = f", {errors} runs failed (see the jsonl `error` field)" if errors else ""
                out.append(f"- {s}: median wall time {statistics.median(walls):.2f} s per instance{extra}")
    print("\n".join(out))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--time", type=float)
    ap.add_argument("--solvers", default=",".join(SOLVERS))
    ap.add_argument("--report", nargs="*")
    ap.add_argument("--reeval", nargs="*")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    if a.report:
        report(a.report)
    elif a.reeval:
        reeval(a.reeval)
    else:
        bench(a)
