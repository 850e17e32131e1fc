"""HTTP-level timings for bench/road: osrm-routed and valhalla_service on 127.0.0.1, one client,
same pairs, same concurrency. `wuliu serve` (the platform server) is measured, and so is wuliu-road behind the driver's minimal harness, reported as
pending at this level.

usage: http_peers.py <name> <points.json> <routes> <workdir> <out.json>
Needs the OSRM files and Valhalla tiles that peers.py left in <workdir>/osrm-<name> and
<workdir>/valhalla-<name>.
"""

import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

CONCURRENCY = int(os.environ.get("ROAD_BENCH_HTTP_CONCURRENCY", "4"))


def wait_port(port, proc, timeout=60):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"server on {port} exited early")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            c.request("GET", "/")
            c.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on {port} did not start")


def load(port, make_request, n):
    """Sends n requests from CONCURRENCY threads with keep-alive; returns latencies (ms) and wall s."""
    lat = [0.0] * n
    ok = [False] * n
    next_i = [0]
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        while True:
            with lock:
                i = next_i[0]
                next_i[0] += 1
            if i >= n:
                return
            method, path, body = make_request(i)
            t = time.perf_counter()
            for attempt in range(2):
                try:
                    conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
                    r = conn.getresponse()
                    data = r.read()
                    break
                except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                    # The server closed the keep-alive connection (osrm-routed does after a while).
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
                    if attempt == 1:
                        raise
            lat[i] = (time.perf_counter() - t) * 1e3
            ok[i] = r.status == 200 and len(data) > 0

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lat, time.perf_counter() - t0, sum(ok)


def summarize(lat, wall, ok):
    s = sorted(lat)
    return {"p50_ms": s[len(s) // 2], "p99_ms": s[round((len(s) - 1) * 0.99)],
            "throughput_rps": len(lat) / wall, "ok": ok, "n": len(lat)}


def main():
    name, pts_file, routes, work, out = sys.argv[1:6]
    pts = json.load(open(pts_file))["points"]
    routes = int(routes)
    work = Path(work).resolve()
    py = sys.executable
    results = {}

    # OSRM
    base = str(work / f"osrm-{name}" / f"{name}.osrm")
    proc = subprocess.Popen([py, "-m", "osrm", "routed", "--algorithm", "ch", "--ip", "127.0.0.1", "--port", "5931",
                             "-t", str(CONCURRENCY), base], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(5931, proc)

        def osrm_route(i):
            a, b = pts[(2 * i) % len(pts)], pts[(2 * i + 1) % len(pts)]
            return "GET", f"/route/v1/driving/{a[0]},{a[1]};{b[0]},{b[1]}?overview=simplified", None

        sys.stderr.write(f"  osrm-routed: {routes} routes, concurrency {CONCURRENCY}\n")
        r = summarize(*load(5931, osrm_route, routes))
        coords = ";".join(f"{p[0]},{p[1]}" for p in pts[:100])
        t = summarize(*load(5931, lambda i: ("GET", f"/table/v1/driving/{coords}", None), 20))
        results["osrm"] = {"route": r, "table100": t}
    finally:
        proc.kill()
        proc.wait()

    # Valhalla
    cfg_path = work / f"valhalla-{name}" / "valhalla.json"
    cfg = json.load(open(cfg_path))
    cfg["httpd"]["service"]["listen"] = "tcp://127.0.0.1:5932"
    http_cfg = work / f"valhalla-{name}" / "valhalla-http.json"
    http_cfg.write_text(json.dumps(cfg))
    import valhalla

    exe = Path(valhalla.PYVALHALLA_DIR) / "bin" / "valhalla_service"
    proc = subprocess.Popen([str(exe), str(http_cfg), str(CONCURRENCY)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(5932, proc)

        def val_route(i):
            a, b = pts[(2 * i) % len(pts)], pts[(2 * i + 1) % len(pts)]
            body = json.dumps({"locations": [{"lon": a[0], "lat": a[1]}, {"lon": b[0], "lat": b[1]}],
                               "costing": "auto", "directions_type": "none"})
            return "POST", "/route", body

        n = max(routes // 5, 200)
        sys.stderr.write(f"  valhalla_service: {n} routes, concurrency {CONCURRENCY}\n")
        r = summarize(*load(5932, val_route, n))
        locs = [{"lon": p[0], "lat": p[1]} for p in pts[:100]]
        body = json.dumps({"sources": locs, "targets": locs, "costing": "auto", "verbose": False})
        t = summarize(*load(5932, lambda i: ("POST", "/sources_to_targets", body), 4))
        results["valhalla"] = {"route": r, "table100": t}
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # valhalla_service ignores SIGTERM
        proc.wait()

    # wuliu-road behind the benchmark driver's minimal HTTP harness (not `wuliu serve`).
    driver = os.environ.get("ROAD_BENCH_DRIVER")
    wroad = work / f"{name}.car.wroad"
    if driver and wroad.exists():
        proc = subprocess.Popen([driver, "serve", str(wroad), "5934", str(CONCURRENCY)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_port(5934, proc)
            sys.stderr.write(f"  wuliu (bench harness): {routes} routes, concurrency {CONCURRENCY}\n")
            r = summarize(*load(5934, osrm_route, routes))
            t = summarize(*load(5934, lambda i: ("GET", f"/table/v1/driving/{coords}", None), 20))
            results["wuliu (bench harness)"] = {"route": r, "table100": t}
        finally:
            proc.kill()
            proc.wait()
    # `wuliu serve` itself: the platform's server with the same prepared network, OSRM-compatible URLs.
    wuliu = os.environ.get("WULIU_BIN")
    if wuliu and wroad.exists():
        db = work / f"serve-{name}.db"
        log = open(work / f"serve-{name}.log", "w")
        proc = subprocess.Popen([wuliu, "--database-url", f"sqlite:{db}", "serve", "--listen", "127.0.0.1:5935",
                                 "--road", str(wroad), "--ledger-dir", str(work / f"serve-{name}-ledger")],
                                stdout=log, stderr=log)
        try:
            try:
                wait_port(5935, proc)
            except SystemExit as e:  # reported, not fatal: the engine-level results stand
                sys.stderr.write(f"  wuliu serve did not start ({e}); see {log.name}\n")
                results["wuliu serve"] = {"failed": f"did not start, see target/road-bench/{Path(log.name).name}"}
                raise _Skip()
            sys.stderr.write(f"  wuliu serve: {routes} routes, concurrency {CONCURRENCY}\n")
            r = summarize(*load(5935, osrm_route, routes))
            t = summarize(*load(5935, lambda i: ("GET", f"/table/v1/driving/{coords}", None), 20))
            results["wuliu serve"] = {"route": r, "table100": t}
        except _Skip:
            pass
        finally:
            proc.kill()
            proc.wait()
    json.dump(results, open(out, "w"))


class _Skip(Exception):
    pass


if __name__ == "__main__":
    main()
