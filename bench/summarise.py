"""Summarises one h2load run of bench/run.sh as one JSON line: requests, errors, latency percentiles, the
server's CPU time per answered review and, for runs of 10 s or longer, the same per 10-second window.
Arguments: NAME PROTOCOL RATE SECONDS LOG CPU_TICKS TICKS_PER_SECOND (LOG is h2load's --log-file; its
output is in LOG.out)."""
import json
import re
import sys

name, protocol, rate, seconds, log = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
cpu_s = int(sys.argv[6]) / int(sys.argv[7])
WINDOW_US = 10_000_000

def percentile(sorted_ms, p):
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * p / 100))] if sorted_ms else None

def latency(durations_ms):
    d = sorted(durations_ms)
    return {"p50": percentile(d, 50), "p99": percentile(d, 99), "p999": percentile(d, 99.9),
            "max": d[-1] if d else None}

requests = []
try:
    for line in open(log):
        start_us, status, duration_us = line.split("\t")[:3]
        requests.append((int(start_us), int(status), int(duration_us) / 1000))
except FileNotFoundError:
    pass
output = open(log + ".out").read()
counts = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                   r"(\d+) errored, (\d+) timeout", output)
failed = sum(int(n) for n in counts.groups()[4:]) if counts else 0
answered = [r for r in requests if 200 <= r[1] < 300]
run = {"name": name, "protocol": protocol, "rate": rate, "seconds": seconds, "answered": len(answered),
       "errors": failed + len(requests) - len(answered), "rps": len(answered) / seconds,
       "cpu_ms": 1000 * cpu_s / len(answered) if answered else None,
       **latency([r[2] for r in answered])}
if not counts:
    run["errors"] += 1
    run["failure"] = output.strip().splitlines()[-1] if output.strip() else "h2load printed nothing"
if seconds >= 10 and answered:
    first = min(r[0] for r in answered)
    windows = {}
    for start, _, ms in answered:
        windows.setdefault((start - first) // WINDOW_US, []).append(ms)
    run["windows"] = [{"from_s": 10 * w, "answered": len(ms), **latency(ms)} for w, ms in sorted(windows.items())]
print(json.dumps(run))
