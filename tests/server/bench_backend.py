"""Backend speed on loopback: a real `vaxl serve`, a 2,000-row Timesheet, concurrent clients.

    .venv/bin/python tests/server/bench_backend.py [--rows 2000] [--clients 1,4,8]
        [--requests 24] [--workers 1] [--action run]

Prints latency (median, p95) and throughput per concurrency level, and the
request and response sizes.  Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
SECRET = "bench-secret-0123456789abcdef"
SHEET = "1BenchSheet"


def body(rows: int) -> dict[str, object]:
    clients = [["Client ID", "Client Name", "Billing", "Rate", "Retainer Hours", "Retainer Fee"]]
    kinds = ["hourly", "retainer", "block"]
    for i in range(30):
        kind = kinds[i % 3]
        clients.append([f"C{i:02d}", f"Client {i}", kind, 30 + i,
                        20 if kind == "retainer" else "", 600 if kind == "retainer" else ""])
    ts = [["Date", "Client ID", "Task", "Category", "Hours", "Rush", "Billable"]]
    start = date(2026, 9, 1)
    for n in range(rows):
        day = start + timedelta(days=n % 91)
        ts.append([f"{day.isoformat()}T00:00:00", f"C{n % 30:02d}", f"Task {n}", "Admin",
                   0.25 + (n % 4) * 0.25, "Y" if n % 17 == 0 else "", ""])
    blocks = [["Date", "Client ID", "Hours", "Amount"]]
    blocks += [["2026-09-01T00:00:00", f"C{i:02d}", 40, ""] for i in range(2, 30, 3)]
    return {"spreadsheet_id": SHEET, "month": "2026-11", "timezone": "UTC",
            "tabs": {"Clients": {"values": clients}, "Timesheet": {"values": ts},
                     "Blocks": {"values": blocks}}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--clients", default="1,4,8")
    parser.add_argument("--requests", type=int, default=24)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--action", default="run")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from vaxl.server import sheet_token

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "VAXL_SECRET": SECRET}
    server = subprocess.Popen([sys.executable, "-m", "vaxl", "serve", "--port", str(port),
                               "--workers", str(args.workers)], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        payload = json.dumps(body(args.rows)).encode()
        headers = {"Authorization": f"Bearer {sheet_token(SECRET, SHEET)}",
                   "Content-Type": "application/json"}
        with httpx.Client(timeout=300) as warm:
            first = warm.post(f"{url}/v1/{args.action}", content=payload, headers=headers)
        assert first.status_code == 200, first.text[:500]
        data = first.json()
        print(f"{args.rows} Timesheet rows, action {args.action}, {args.workers} worker(s): "
              f"request {len(payload) / 1e3:.0f} kB, response {len(first.content) / 1e3:.0f} kB, "
              f"{len(data['invoices'])} invoices, {len(data['tabs'])} tabs")

        def one(_: int) -> float:
            with httpx.Client(timeout=300) as client:
                t0 = time.perf_counter()
                r = client.post(f"{url}/v1/{args.action}", content=payload, headers=headers)
                assert r.status_code == 200
                return time.perf_counter() - t0

        for concurrency in (int(c) for c in args.clients.split(",")):
            t0 = time.perf_counter()
            with ThreadPoolExecutor(concurrency) as pool:
                times = sorted(pool.map(one, range(args.requests)))
            wall = time.perf_counter() - t0
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            median = statistics.median(times) * 1000
            print(f"  {concurrency:>2} concurrent: median {median:6.0f} ms, "
                  f"p95 {p95 * 1000:6.0f} ms, {args.requests / wall:5.2f} req/s")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
