"""The seed's Python client (Debian's python3-prometheus-client) on the same series as the
performance benchmark: prints {"medianMs": …, "bytes": …} for generate_latest()."""
import json
import sys
import time

from prometheus_client import CollectorRegistry, Gauge, Histogram, generate_latest

instances, per_instance, histograms, runs = (int(a) for a in sys.argv[1:5])
registry = CollectorRegistry()
value = Gauge("bench_value", "A value.", ["collector", "a", "b", "c"], registry=registry)
for n in range(instances):
    for i in range(per_instance):
        value.labels(f"i{n}", f"a{i % 10}", f"b{i % 100}", f"c{i}").set(i)
if histograms:
    latency = Histogram("bench_latency_seconds", "A latency.", ["route"], registry=registry)
    for i in range(histograms):
        latency.labels(f"/r{i}").observe((i % 100) / 100)
times = []
body = b""
for _ in range(runs):
    t = time.perf_counter()
    body = generate_latest(registry)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(json.dumps({"medianMs": times[len(times) // 2], "bytes": len(body)}))
