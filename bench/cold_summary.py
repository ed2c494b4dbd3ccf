"""bench/cold.sh's figures.
  cold_summary.py VARIANT TARGET READY_MS READY_TICKS COLD_TICKS TICKS_PER_S RSS_KB SATURATION_OUT LOG...
      one run as a JSON line: the reviews answered in the cold phase (h2load --log-file LOGs, their output in
      LOG.out), CPU per review, latency, start to ready and its CPU, saturation, peak RSS
  cold_summary.py --report JSONL COUNT RATE RUNTIME
      the table, ha-guard against decode-only under the same flags; exit 1 if a run failed a request"""
import json
import re
import sys


def pct(sorted_ms, p):
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * p / 100))] if sorted_ms else None


def one(args):
    variant, target, ready_ms, ready_ticks, cold_ticks, hz, rss_kb, saturation = args[:8]
    durations, failed, timed = [], 0, []
    for log in args[8:]:
        for line in open(log):
            start_us, status, duration_us = line.split("\t")[:3]
            if 200 <= int(status) < 300:
                durations.append(int(duration_us) / 1000)
                timed.append((int(start_us), int(duration_us) / 1000))
            else:
                failed += 1
        counts = re.search(r"(\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", open(log + ".out").read())
        failed += sum(int(n) for n in counts.groups()[1:]) if counts else 1
    sat = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", open(saturation).read())
    d = sorted(durations)
    windows = {}
    first = min((s for s, _ in timed), default=0)
    for s, ms in timed:
        windows.setdefault((s - first) // 10_000_000, []).append(ms)
    worst_window = max((pct(sorted(ms), 99) for ms in windows.values()), default=None)
    print(json.dumps({"variant": variant, "target": target, "ready_ms": int(ready_ms),
                      "start_cpu_s": int(ready_ticks) / int(hz), "answered": len(d), "failed": failed,
                      "cpu_ms": 1000 * int(cold_ticks) / int(hz) / len(d) if d else None,
                      "p50": pct(d, 50), "p99": pct(d, 99), "max": d[-1] if d else None,
                      "worst_window_p99": worst_window,
                      "saturation": float(sat.group(1)) if sat else None, "rss_mib": int(rss_kb) // 1024}))


def report(path, count, rate, runtime):
    runs = [json.loads(line) for line in open(path)]
    by = {(r["variant"], r["target"]): r for r in runs}
    print(f"## The cold phase: the first {count} reviews after ready\n")
    print(f"{runtime}; 4 HTTP/2 connections x 4 streams, {4 * int(rate)} reviews/s of recorded pod and Deployment "
          f"reviews; CPU of the whole process (JIT threads included).\n")
    print("| variant | target | ready s | start CPU s | CPU ms per review | vs decode-only | p50 / p99 ms "
          "| worst 10 s window's p99 ms | worst ms | saturation req/s | peak RSS MiB | failed |")
    print("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    for r in runs:
        base = by.get((r["variant"], "decode-only"))
        ratio = f'{r["cpu_ms"] / base["cpu_ms"]:.2f}' if base and base["cpu_ms"] and r["cpu_ms"] else "-"
        cpu = f'{r["cpu_ms"]:.2f}' if r["cpu_ms"] else "-"
        p = f'{r["p50"]:.2f} / {r["p99"]:.2f}' if r["p50"] is not None else "-"
        worst = f'{r["max"]:.1f}' if r["max"] is not None else "-"
        window = f'{r["worst_window_p99"]:.2f}' if r.get("worst_window_p99") is not None else "-"
        print(f'| {r["variant"]} | {r["target"]} | {r["ready_ms"] / 1000:.1f} | {r["start_cpu_s"]:.1f} | {cpu} | {ratio} '
              f'| {p} | {window} | {worst} | {r["saturation"] or 0:,.0f} | {r["rss_mib"]} | {r["failed"]} |')
    if int(count) >= 2000:
        targets(runs[0], by.get((runs[0]["variant"], "decode-only")))
    else:
        print("\nThe targets are judged on the full run (2,000 reviews): the first few hundred cost more.")
    bad = [r for r in runs if r["failed"] or not r["answered"]]
    if bad:
        print(f"\nFAILED: {len(bad)} run(s) with failed requests or none answered")
    return 1 if bad else 0


def targets(run, base):
    """Issue 26's targets for the first variant (what ships), reported, not enforced: one run moves by about 10 %."""
    if not base or not run["cpu_ms"] or not base["cpu_ms"] or run["worst_window_p99"] is None:
        return
    p99_limit = max(5.0, 1.5 * base["worst_window_p99"])
    rows = [(f"CPU per review ≤ 1.5× decode-only's", f'{run["cpu_ms"] / base["cpu_ms"]:.2f}×',
             run["cpu_ms"] <= 1.5 * base["cpu_ms"]),
            (f"p99 in every 10 s window ≤ max(5, 1.5 × decode-only's) = {p99_limit:.2f} ms",
             f'{run["worst_window_p99"]:.2f} ms', run["worst_window_p99"] <= p99_limit),
            ("start to ready ≤ 10 s", f'{run["ready_ms"] / 1000:.1f} s', run["ready_ms"] <= 10_000),
            ("peak RSS ≤ 300 MiB", f'{run["rss_mib"]} MiB', run["rss_mib"] <= 300)]
    print(f'\n| target ({run["variant"]}) | figure | |\n|---|---|---|')
    for name, figure, met in rows:
        print(f"| {name} | {figure} | {'met' if met else 'MISSED'} |")


if sys.argv[1] == "--report":
    sys.exit(report(*sys.argv[2:6]))
one(sys.argv[1:])
