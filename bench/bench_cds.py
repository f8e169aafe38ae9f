"""Benchmark of the CDS Hooks service (``python -m cds serve``, its own process on loopback): the
patient-view call with its prefetch filled in, on every synthetic patient of ``tests/fixtures/fhir/``,
and the time a call takes when the EHR's FHIR server is too slow to answer.

Each patient's request is sent 10 times to warm up, then 200 times on one keep-alive connection; the
figures are the latency the client sees (p50 / p95 / p99 over every call, and the worst patient's
p95). Target (issue 21): p95 at most 15 ms. The slow-server call reads from a local stub that answers
after 10 s: the service must answer 412 within its deadline (``CDS_FHIR_DEADLINE``, 3 s by default).

Usage: .venv/bin/python -m bench.bench_cds
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, List

import requests

from cds import demo
from cds.config import DEFAULT_FHIR_DEADLINE_S
from harness.servers import ROOT, free_port, wait_http

FIXTURES = ROOT / "tests" / "fixtures" / "fhir"
PV = "/cds-services/imatinib-patient-view"
TARGET_P95_MS = 15.0
WARM_UP, CALLS = 10, 200


def percentile(values: List[float], p: int) -> float:
    return statistics.quantiles(sorted(values), n=100)[p - 1]


class SlowFHIR:
    """A FHIR server that answers every read after ``delay`` seconds."""

    def __init__(self, delay: float):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                time.sleep(delay)
                body = json.dumps({"resourceType": "Bundle", "type": "searchset", "entry": []}).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/fhir+json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the service has given up waiting: that is the point

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/fhir"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        log = Path(tmp) / "cds.log"
        env = {**os.environ, "AUDIT_DB": str(Path(tmp) / "audit.db"), "AUDIT_SALT": "bench", "PYTHONPATH": str(ROOT)}
        for name in (
            "CDS_FHIR_DEADLINE",
            "CDS_FHIR_TIMEOUT",
            "CDS_JWKS_URL",
            "CDS_JWKS_FILE",
            "CDS_JWT_PUBLIC_KEY_FILE",
        ):
            env.pop(name, None)
        with open(log, "w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "cds", "serve", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_http(f"{url}/health", proc, log, timeout=60)
            run(url)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def run(url: str) -> None:
    session = requests.Session()
    bodies = {p.stem: json.dumps(demo.request(demo.load(str(p)))) for p in sorted(FIXTURES.glob("*.json"))}
    headers = {"Content-Type": "application/json"}
    by_patient: Dict[str, List[float]] = {}
    for name, body in bodies.items():
        for _ in range(WARM_UP):
            assert session.post(url + PV, data=body, headers=headers, timeout=10).status_code == 200
        times = []
        for _ in range(CALLS):
            t0 = time.perf_counter()
            r = session.post(url + PV, data=body, headers=headers, timeout=10)
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, r.text
        by_patient[name] = times
    every = [t for times in by_patient.values() for t in times]
    p95 = percentile(every, 95)
    worst = max(by_patient, key=lambda n: percentile(by_patient[n], 95))
    print(
        f"CDS patient-view with prefetch ({len(bodies)} patients x {CALLS} calls, keep-alive): "
        f"p50 {percentile(every, 50):.2f} ms, p95 {p95:.2f} ms, p99 {percentile(every, 99):.2f} ms "
        f"(target p95 <= {TARGET_P95_MS:g} ms: {'met' if p95 <= TARGET_P95_MS else 'NOT met'}); "
        f"worst patient {worst}: p95 {percentile(by_patient[worst], 95):.2f} ms"
    )
    slow = SlowFHIR(delay=10)
    try:
        body = demo.request(demo.load(str(FIXTURES / "tdm-umol.json")), prefetch=False)
        body["fhirServer"] = slow.url
        t0 = time.perf_counter()
        r = session.post(url + PV, json=body, timeout=30)
        took = time.perf_counter() - t0
    finally:
        slow.stop()
    met = r.status_code == 412 and took < DEFAULT_FHIR_DEADLINE_S + 0.5
    print(
        f"CDS call whose FHIR server answers after 10 s: {r.status_code} in {took:.2f} s "
        f"(deadline {DEFAULT_FHIR_DEADLINE_S:g} s: {'met' if met else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
