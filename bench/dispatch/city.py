#!/usr/bin/env python3
"""City set with breaks and skills: wuliu-dispatch vs VROOM (pyvroom) on the same VROOM JSON documents.

The documents describe store deliveries in Liuzhou over the demo's places (crates/demo): the depots are key
logistics projects of the demo's facility table (`crates/demo/data/key_logistics_projects.csv`, located as the
demo locates them: district centre plus the FNV-1a jitter of `places::jittered_centre`), the stores are drawn as
the demo draws its cold-chain consignees (`freight.rs`: 生鲜超市 in the same districts with the same weights,
uniform within the district's spread). Each job has a delivery in kg and litres, service and setup times, time
windows (wide store hours, or tight 1-2 h slots), and skills on a share of jobs: refrigerated = 1, tail lift = 2,
hazmat = 3. Vehicles are the demo's city trucks (van, 4.2 m box, 4.2 m reefer, 6.8 m box), 2-4 depots, shifts,
a 45-minute lunch break in 11:30-13:30 and on most a second 15-minute break, `max_tasks` on some. Durations and
distances come from one matrix computed by Wuliu's road engine on the demo's synthetic Liuzhou network
(`wuliu road table`, heavy-truck hierarchy) and are written into every document (`location_index`), so both
solvers see the same input. Times are seconds after midnight.

usage: city.py gen --network FILE.road --wuliu EXE --out DIR      write the 12 documents (seeded)
       city.py vroom IN.json OUT.json                              solve with pyvroom, write VROOM's answer
       city.py run --docs DIR --out DIR --results FILE.jsonl     solve every document with VROOM, then with
                                                                   wuliu at VROOM's time (>= 1 s) and at 5 s;
                                                                   re-check every answer
       city.py report RESULTS.jsonl                                markdown tables on standard output

Every solver run is wrapped in `flock $LOCK nice -n 10 ...` (LOCK=/tmp/w/bench.lock by default), so it never
overlaps another benchmark that takes the same lock.
"""
import argparse, csv, json, math, os, random, statistics, subprocess, sys, time
from datetime import timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROJECTS = os.path.join(ROOT, "crates", "demo", "data", "key_logistics_projects.csv")
SEED = 2025
SIZES = (50, 100, 200)
REPLICAS = 2
H = 3600

# Districts of crates/demo/src/places.rs: name -> (slug, lat, lon, spread).
DISTRICTS = {
    "城中区": ("chengzhong", 24.316, 109.412, 0.008),
    "鱼峰区": ("yufeng", 24.300, 109.438, 0.012),
    "柳南区": ("liunan", 24.290, 109.382, 0.012),
    "柳北区": ("liubei", 24.372, 109.405, 0.012),
    "柳江区": ("liujiang", 24.256, 109.334, 0.015),
    "柳城县": ("liucheng", 24.650, 109.240, 0.012),
    "鹿寨县": ("luzhai", 24.472, 109.750, 0.012),
    "融安县": ("rongan", 25.220, 109.400, 0.010),
    "融水苗族自治县": ("rongshui", 25.068, 109.252, 0.010),
    "三江侗族自治县": ("sanjiang", 25.783, 109.607, 0.008),
    "柳东新区": ("liudong", 24.398, 109.500, 0.015),
}
BY_SLUG = {v[0]: (k,) + v[1:] for k, v in DISTRICTS.items()}
# Where the demo's cold-chain consignees (生鲜超市) are, with its weights (freight.rs).
STORE_DISTRICTS = [("chengzhong", 3), ("yufeng", 3), ("liunan", 2), ("liubei", 3), ("liujiang", 2),
                   ("liucheng", 1), ("luzhai", 1), ("rongan", 1)]
STORE_BRANDS = ["惠邻", "鲜丰", "优选", "佳惠", "邻里", "康乐"]
# City distribution centres among the key projects: the 新柳邕 market the demo ships cold chain from, two cold
# stores, the FMCG park, JD's e-commerce centre and the pharmaceutical distribution centre.
DEPOTS = ["kp-liunan-03", "kp-liunan-07", "kp-liunan-10", "kp-liubei-03", "kp-liujiang-05", "kp-liudong-05"]
# The demo's city trucks (fleet.rs): name, kg, litres (inner dimensions), skills it may carry.
TRUCKS = {
    "van": ("微型厢式货车", 800, 4550),
    "box42": ("4.2米厢式货车", 1495, 16390),
    "reefer42": ("4.2米冷藏车", 1400, 13680),
    "box68": ("6.8米厢式货车", 9900, 39690),
}
LUNCH = (11 * H + 1800, 13 * H + 1800, 2700)


def fnv1a(s):
    h = 0xCBF29CE484222325
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def round6(x):
    return round(x * 1e6) / 1e6


def jittered_centre(district, key):
    """places::jittered_centre: the district centre moved by a jitter derived from `key`."""
    _, lat, lon, spread = DISTRICTS[district]
    h = fnv1a(key)
    u = lambda bits: (bits & 0xFFFF) / 65535.0 * 2.0 - 1.0
    return round6(lat + u(h) * spread), round6(lon + u(h >> 16) * spread)


def facilities():
    """External ID -> (name, lat, lon) of the demo's 53 key projects."""
    out = {}
    for r in csv.DictReader(open(PROJECTS, encoding="utf-8")):
        ext = f"kp-{DISTRICTS[r['district']][0]}-{int(r['seq']):02d}"
        out[ext] = (r["name"],) + jittered_centre(r["district"], ext)
    return out


def store(rng, k):
    """A store drawn as the demo draws its 生鲜超市 consignees."""
    slug = rng.choices([s for s, _ in STORE_DISTRICTS], weights=[w for _, w in STORE_DISTRICTS])[0]
    name, lat, lon, spread = BY_SLUG[slug]
    brand = rng.choice(STORE_BRANDS)
    return (f"柳州{brand}生鲜超市（{name}{k}号店）", round6(lat + rng.uniform(-spread, spread)),
            round6(lon + rng.uniform(-spread, spread)))


def road_matrix(exe, network, points):
    """Durations (s) and distances (m) between `points` [(lat, lon)] from `wuliu road table`, rounded."""
    coords = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)
    out = subprocess.run([exe, "road", "table", "--network", network, coords], check=True,
                         capture_output=True, text=True).stdout
    table = json.loads(out)
    durations, distances = table["durations"], table["distances"]
    missing = sum(x is None for row in durations for x in row)
    if missing:
        raise SystemExit(f"road table: {missing} unreachable pairs; pick other places")
    return ([[int(round(x)) for x in row] for row in durations],
            [[int(round(x)) for x in row] for row in distances])


def job_windows(rng, tight):
    """Store receiving hours (wide, or none) or a tight 1-2 h slot (one job in five has two slots)."""
    if not tight:
        return [[8 * H, 18 * H]] if rng.random() < 0.6 else None
    def slot(lo, hi):
        start = rng.randrange(lo, hi, 900)
        return [start, start + rng.choice([3600, 5400, 7200])]
    if rng.random() < 0.2:
        return [slot(8 * H, 10 * H), slot(14 * H, 16 * H)]
    return [slot(8 * H, 16 * H)]


def job_skills(rng):
    skills = []
    if rng.random() < 0.30:
        skills.append(1)
    if rng.random() < 0.20:
        skills.append(2)
    if 1 not in skills and rng.random() < 0.06:
        skills.append(3)
    return skills


def make_jobs(rng, n, tight, first_store_index):
    """`n` jobs at stores (one store in ten takes two deliveries: setup is then spent once) and the stores."""
    jobs, stores = [], []
    while len(jobs) < n:
        stores.append(store(rng, len(stores) + 1))
        idx = first_store_index + len(stores) - 1
        for _ in range(2 if rng.random() < 0.1 and len(jobs) < n - 1 else 1):
            kg = rng.randint(30, 400)
            litres = int(kg * rng.uniform(2.5, 5.0))
            job = {"id": len(jobs) + 1, "location_index": idx, "description": stores[-1][0],
                   "delivery": [kg, litres], "service": 240 + int(kg * 0.9), "setup": rng.randrange(180, 601, 60)}
            skills = job_skills(rng)
            if skills:
                job["skills"] = skills
            windows = job_windows(rng, tight)
            if windows:
                job["time_windows"] = windows
            jobs.append(job)
    return jobs, stores


def vehicle(rng, vid, depot, kind):
    """A truck of the demo's fleet with a shift, a lunch break, most often a second short break, skills."""
    name, kg, litres = TRUCKS[kind]
    skills = [1] if kind == "reefer42" else []
    if kind != "van" and rng.random() < 0.4:
        skills.append(2)
    if kind in ("box42", "box68") and rng.random() < 0.15:
        skills.append(3)
    start = rng.choice([6 * H, 7 * H, 7 * H, 8 * H])
    end = start + rng.choice([9 * H, 10 * H, 11 * H])
    breaks = [{"id": vid * 10 + 1, "time_windows": [[LUNCH[0], LUNCH[1]]], "service": LUNCH[2],
               "description": "lunch"}]
    if rng.random() < 0.7:
        morning = [start + 2 * H, start + 3 * H + 1800]
        # The afternoon window only for shifts that last past it: VROOM refuses a break that cannot fit.
        second = morning if rng.random() < 0.5 or end < 15 * H + 900 else [15 * H, 16 * H + 1800]
        breaks.append({"id": vid * 10 + 2, "time_windows": [second], "service": 900, "description": "short"})
    v = {"id": vid, "type": kind, "description": name, "start_index": depot, "end_index": depot,
         "capacity": [kg, litres], "time_window": [start, end], "breaks": breaks}
    if skills:
        v["skills"] = skills
    if kind in ("van", "box42") and rng.random() < 0.3:
        v["max_tasks"] = rng.choice([8, 10, 12])
    return v


def fleet(rng, n, depots):
    """About one truck per seven jobs, plus one of each skill combination the jobs need."""
    kinds = ["van"] * 3 + ["box42"] * 3 + ["reefer42"] * 3 + ["box68"] * 1
    vs = [vehicle(rng, i + 1, rng.randrange(depots), rng.choice(kinds)) for i in range(math.ceil(n / 7))]
    for need, kind in (({1, 2}, "reefer42"), ({2, 3}, "box68"), ({3}, "box42")):
        if not any(need <= set(v.get("skills", [])) for v in vs):
            v = vehicle(rng, len(vs) + 1, rng.randrange(depots), kind)
            v["skills"] = sorted(need | set(v.get("skills", [])))
            vs.append(v)
    return vs


def instance(name, n, tight, seed, places, exe, network):
    rng = random.Random(seed)
    ndep = rng.randint(2, 4)
    depots = rng.sample(DEPOTS, ndep)
    jobs, stores = make_jobs(rng, n, tight, ndep)
    vehicles = fleet(rng, n, ndep)
    points = [places[d][1:] for d in depots] + [s[1:] for s in stores]
    durations, distances = road_matrix(exe, network, points)
    return {
        "_about": {"name": name, "seed": seed, "jobs": n, "tight_windows": tight,
                   "depots": [{"id": d, "name": places[d][0], "lat": places[d][1], "lon": places[d][2]}
                              for d in depots],
                   "stores": [{"name": s[0], "lat": s[1], "lon": s[2]} for s in stores],
                   "matrix": "wuliu road table on the demo's synthetic Liuzhou network (seed 2025, heavy truck)",
                   "times": "seconds after midnight", "amounts": ["kg", "litres"],
                   "skills": {"1": "refrigerated", "2": "tail lift", "3": "hazmat"}},
        "vehicles": vehicles,
        "jobs": jobs,
        "matrices": {"car": {"durations": durations, "distances": distances}},
    }


def gen(args):
    os.makedirs(args.out, exist_ok=True)
    places = facilities()
    k = 0
    for n in SIZES:
        for tight in (False, True):
            for r in range(1, REPLICAS + 1):
                k += 1
                name = f"city-{n}-{'tight' if tight else 'wide'}-{r}"
                doc = instance(name, n, tight, SEED * 1000 + k, places, args.wuliu, args.network)
                with open(os.path.join(args.out, name + ".json"), "w", encoding="utf-8") as f:
                    json.dump(doc, f, ensure_ascii=False)
                print(f"{name}: {len(doc['vehicles'])} vehicles, {len(doc['matrices']['car']['durations'])} places")


def vroom_solve(args):
    """Solves with pyvroom (exploration level 5, 2 threads) and writes its answer with the solve time."""
    import vroom
    inp = vroom.Input.from_json(args.input)
    t = time.perf_counter()
    sol = inp.solve(exploration_level=5, nb_threads=2)
    elapsed = time.perf_counter() - t
    out = sol.to_dict()
    out.setdefault("code", 0)
    out["_elapsed"] = elapsed
    with open(args.output, "w") as f:
        json.dump(out, f, default=int)
    print(f"{elapsed:.3f}")


# ---------------------------------------------------------------- run

LOCK = os.environ.get("LOCK", "/tmp/w/bench.lock")
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
WULIU = os.path.join(TARGET, "release", "wuliu")
CHECK = os.path.join(TARGET, "release", "examples", "check_vroom_answer")


def locked(cmd, stdout=None):
    """Runs `cmd` under the benchmark lock, niced; returns the wall time of the run itself (lock wait excluded)."""
    wrapper = ["flock", LOCK, "nice", "-n", "10", sys.executable, "-c",
               "import subprocess,sys,time; t=time.perf_counter(); "
               "r=subprocess.run(sys.argv[1:], stdout=sys.stdout); "
               "print(f'{time.perf_counter()-t:.3f}', file=sys.stderr); sys.exit(r.returncode)"] + cmd
    r = subprocess.run(wrapper, stdout=stdout, stderr=subprocess.PIPE, text=True, check=True)
    return float(r.stderr.strip().splitlines()[-1])


def recheck(doc, answer):
    out = subprocess.run([CHECK, doc, answer], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def run(args):
    os.makedirs(args.out, exist_ok=True)
    docs = sorted(f for f in os.listdir(args.docs) if f.endswith(".json"))
    docs.sort(key=lambda f: (int(f.split("-")[1]), f))
    done = set()
    if os.path.exists(args.results):
        rows = [json.loads(l) for l in open(args.results) if l.strip()]
        done = {n for n in {r["instance"] for r in rows}
                if {r["solver"] for r in rows if r["instance"] == n} >= {"vroom", "wuliu-eq", "wuliu-5s"}}
    with open(args.results, "a") as res:
        for f in docs:
            name, doc = f[:-5], os.path.join(args.docs, f)
            if name in done:
                continue
            vout = os.path.join(args.out, f"{name}.vroom.json")
            locked([sys.executable, os.path.abspath(__file__), "vroom", doc, vout], stdout=subprocess.DEVNULL)
            vtime = json.load(open(vout))["_elapsed"]
            rows = [{"instance": name, "solver": "vroom", "time": vtime, "check": recheck(doc, vout)}]
            for label, limit in (("wuliu-eq", max(1, math.ceil(vtime))), ("wuliu-5s", 5)):
                wout = os.path.join(args.out, f"{name}.{label}.json")
                with open(wout, "w") as w:
                    wall = locked([WULIU, "dispatch", "solve", doc, "--time", f"{limit}s", "--threads", "2"],
                                  stdout=w)
                own = json.load(open(wout)).get("check", {})
                rows.append({"instance": name, "solver": label, "time": wall, "limit": limit,
                             "own_check": own.get("feasible"), "check": recheck(doc, wout)})
            for r in rows:
                c = r["check"]
                print(f"{name:18} {r['solver']:9} {r['time']:5.1f}s cost {c['cost']:9.0f} unassigned "
                      f"{c['unassigned']:3} vehicles {c['vehicles']:3} breaks {c['breaks']}/{c['breaks_expected']} "
                      f"feasible {c['feasible']} {' '.join(c['violation_codes'])}", flush=True)
                res.write(json.dumps(r) + "\n")
            res.flush()


# ---------------------------------------------------------------- VROOM's break semantics

def in_windows(t, windows):
    return not windows or any(a <= t <= b for a, b in windows)


def leg_check(doc, ans):
    """Checks an answer under VROOM's break semantics, where a break has no location and may be taken during
    the drive between two tasks (VROOM-Project/vroom#186: "taken at the right time wherever the vehicle is"),
    from the answer's own service and break start times (arrival + waiting): between two tasks, the breaks lie
    within [departure, next service start] without overlapping and leave at least the travel time free; service
    and break starts in their windows; departure = service start + setup (when the location changes) + service;
    the shift, capacity in every dimension, skills, max_tasks, each break once and each job once. Returns the
    sorted list of violated rules (empty: feasible)."""
    D = doc["matrices"]["car"]["durations"]
    jobs = {j["id"]: j for j in doc["jobs"]}
    vehicles = {v["id"]: v for v in doc["vehicles"]}
    bad, seen = set(), []
    for r in ans["routes"]:
        v = vehicles[r["vehicle"]]
        steps = r["steps"]
        tasks = [jobs[s["id"]] for s in steps if s["type"] == "job"]
        seen += [j["id"] for j in tasks]
        if any(sum(j["delivery"][k] for j in tasks) > v["capacity"][k] for k in range(len(v["capacity"]))):
            bad.add("capacity")
        if any(not set(j.get("skills", [])) <= set(v.get("skills", [])) for j in tasks):
            bad.add("skills")
        if "max_tasks" in v and len(tasks) > v["max_tasks"]:
            bad.add("max_tasks")
        breaks = {b["id"]: b for b in v.get("breaks", [])}
        if sorted(s["id"] for s in steps if s["type"] == "break") != sorted(breaks):
            bad.add("break.count")
        lo, hi = v["time_window"]
        t, loc, pending = steps[0]["arrival"], v["start_index"], []
        if t < lo:
            bad.add("shift")
        for s in steps[1:]:
            if s["type"] == "break":
                b = breaks.get(s["id"])
                start = s["arrival"] + s.get("waiting_time", 0)
                if b is None or not in_windows(start, b["time_windows"]):
                    bad.add("break.window")
                pending.append((start, b["service"] if b else 0))
                continue
            to = s["location_index"] if s["type"] == "job" else v["end_index"]
            start = s["arrival"] + s.get("waiting_time", 0) if s["type"] == "job" else s["arrival"]
            spans = sorted(pending)
            ends = [a + d for a, d in spans]
            if spans and (spans[0][0] < t or ends[-1] > start
                          or any(spans[i + 1][0] < ends[i] for i in range(len(spans) - 1))):
                bad.add("break.timing")
            if start - t - sum(d for _, d in spans) < D[loc][to]:
                bad.add("time.travel")
            pending = []
            if s["type"] == "end":
                if start > hi:
                    bad.add("shift")
                continue
            job = jobs[s["id"]]
            if not in_windows(start, job.get("time_windows")):
                bad.add("time_window")
            t = start + (job.get("setup", 0) if to != loc else 0) + job.get("service", 0)
            loc = to
    unassigned = [u["id"] for u in ans.get("unassigned", [])]
    if sorted(seen + unassigned) != sorted(jobs):
        bad.add("coverage")
    return sorted(bad)


# ---------------------------------------------------------------- report

def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, d=0):
    return "–" if x is None else f"{x:.{d}f}"


def report(args):
    rows = [json.loads(l) for l in open(args.results) if l.strip()]
    if args.docs and args.answers:
        for r in rows:
            doc = json.load(open(os.path.join(args.docs, r["instance"] + ".json")))
            ans = json.load(open(os.path.join(args.answers, f"{r['instance']}.{r['solver']}.json")))
            r["leg"] = leg_check(doc, ans)
    by = {}
    for r in rows:
        by.setdefault(r["instance"], {})[r["solver"]] = r
    solvers = ["vroom", "wuliu-eq", "wuliu-5s"]
    print("| instance | solver | time s | cost (travel s) | unassigned | vehicles | breaks | wuliu checker "
          "(break at a stop) | VROOM semantics (break on the way) |")
    print("|---|---|---:|---:|---:|---:|---:|---|---|")
    for name in sorted(by, key=lambda s: (int(s.split("-")[1]), s)):
        for s in solvers:
            r = by[name].get(s)
            if not r:
                continue
            c = r["check"]
            verdict = "feasible" if c["feasible"] else "**" + ", ".join(c["violation_codes"]) + "**"
            if s != "vroom" and "own_check" in r and r["own_check"] is not None and r["own_check"] != c["feasible"]:
                verdict += " (own check differs)"
            leg = "–" if "leg" not in r else ("feasible" if not r["leg"] else "**" + ", ".join(r["leg"]) + "**")
            print(f"| {name} | {s} | {r['time']:.1f} | {c['cost']:.0f} | {c['unassigned']} | {c['vehicles']} | "
                  f"{c['breaks']}/{c['breaks_expected']} | {verdict} | {leg} |")
    print()
    print("Ratios wuliu / VROOM per instance (cost ratio only where both left the same number of jobs out):")
    print()
    print("| instance | VROOM s | unassigned V / W(eq) / W(5s) | cost W(eq)/V | cost W(5s)/V |")
    print("|---|---:|---|---:|---:|")
    ratios = {"wuliu-eq": [], "wuliu-5s": []}
    for name in sorted(by, key=lambda s: (int(s.split("-")[1]), s)):
        v = by[name].get("vroom")
        if not v:
            continue
        cells, us = [], [str(v["check"]["unassigned"])]
        for s in ("wuliu-eq", "wuliu-5s"):
            w = by[name].get(s)
            if not w:
                cells.append("–")
                us.append("–")
                continue
            us.append(str(w["check"]["unassigned"]))
            if w["check"]["unassigned"] == v["check"]["unassigned"] and v["check"]["cost"] > 0:
                q = w["check"]["cost"] / v["check"]["cost"]
                ratios[s].append(q)
                cells.append(f"{q:.3f}")
            else:
                cells.append("n/a")
        print(f"| {name} | {v['time']:.1f} | {' / '.join(us)} | {cells[0]} | {cells[1]} |")
    print()
    print("| solver | median cost | median unassigned | median vehicles | feasible (wuliu checker) | "
          "feasible (VROOM semantics) | breaks taken/due | median cost ratio to VROOM | geo-mean ratio | "
          "wins/ties/losses |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for s in solvers:
        rs = [by[n][s] for n in by if s in by[n]]
        if not rs:
            continue
        feas = sum(r["check"]["feasible"] for r in rs)
        taken = sum(r["check"]["breaks"] for r in rs)
        due = sum(r["check"]["breaks_expected"] for r in rs)
        q = ratios.get(s, [])
        gm = math.exp(sum(math.log(x) for x in q) / len(q)) if q else None
        wtl = f"{sum(x < 0.9995 for x in q)}/{sum(abs(x - 1) <= 0.0005 for x in q)}/{sum(x > 1.0005 for x in q)}" \
            if q else "–"
        legs = f"{sum(not r['leg'] for r in rs)}/{len(rs)}" if all("leg" in r for r in rs) else "–"
        print(f"| {s} | {fmt(med(r['check']['cost'] for r in rs))} | {fmt(med(r['check']['unassigned'] for r in rs), 1)} | "
              f"{fmt(med(r['check']['vehicles'] for r in rs), 1)} | {feas}/{len(rs)} | {legs} | {taken}/{due} | "
              f"{fmt(med(q), 3) if q else '–'} | {fmt(gm, 3)} | {wtl} |")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("--network", required=True)
    g.add_argument("--wuliu", required=True)
    g.add_argument("--out", required=True)
    v = sub.add_parser("vroom")
    v.add_argument("input")
    v.add_argument("output")
    u = sub.add_parser("run")
    u.add_argument("--docs", required=True)
    u.add_argument("--out", required=True)
    u.add_argument("--results", required=True)
    r = sub.add_parser("report")
    r.add_argument("results")
    r.add_argument("--docs", help="the documents, to re-check the answers under VROOM's break semantics")
    r.add_argument("--answers", help="the answers (DIR/INSTANCE.SOLVER.json)")
    a = p.parse_args()
    {"gen": gen, "vroom": vroom_solve, "run": run, "report": report}[a.cmd](a)


if __name__ == "__main__":
    main()
