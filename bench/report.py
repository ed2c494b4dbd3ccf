"""Turns bench/run.sh's runs (target/bench/runs.jsonl, one line per h2load run) into the tables it prints and
keeps in target/bench/results.md. Exit code 1 when any request failed or a run answered nothing; the performance
targets are reported, not enforced (a shared 2-core machine is too noisy for a hard gate).
Arguments: RUNS READY_MS PEAK_RSS_KB SMOKE AUDIT_LOG AUDIT_FROM AUDIT_TO RUNTIME"""
import json
import sys

runs_file, ready_ms, rss_kb, smoke = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "true"
audit_log, audit_from, audit_to, runtime = sys.argv[5], int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
runs = [json.loads(line) for line in open(runs_file)]
by = {(r["name"], r["protocol"], r["rate"]): r for r in runs}
names = list(dict.fromkeys(r["name"] for r in runs if r["name"] != "cold"))
problems = [f"{r['name']} ({r['protocol']}, rate {r['rate'] or 'max'}): "
            + (r.get("failure") or ("no request completed" if not r["answered"] else f"{r['errors']} failed"))
            for r in runs if r["errors"] or not r["answered"]]

def num(value, fmt="{:,.0f}"):
    return "–" if value is None else fmt.format(value)

def ms(r):
    return f"{num(r['p50'], '{:.2f}')} / {num(r['p99'], '{:.2f}')} / {num(r['p999'], '{:.2f}')}"

def ratio(a, b):
    return None if not a or not b else a / b

def cpu(r):
    return num(r["cpu_ms"], "{:.3f}")

print(f"# ha-guard benchmark{' (smoke: short runs, figures are rough)' if smoke else ''}\n")
print(f"Runtime: {runtime}\n")
print("## HTTP/2, one TLS connection (as the API server calls webhooks)\n")
print("| payload | req/s at saturation (32 streams) | vs baseline | vs decode-only | p50 / p99 / p99.9 ms "
      "| CPU ms per review | p50 / p99 / p99.9 ms at 1,000 req/s | req/s achieved | CPU ms per review at 1,000 req/s "
      "| CPU vs decode-only | errors |")
print("|---|---:|---:|---:|---|---:|---|---:|---:|---:|---:|")
base, decoded = by[("baseline", "h2", 0)], by[("decode-only", "h2", 0)]
decoded_rated = by[("decode-only", "h2", 1000)]
for name in names:
    s, f = by[(name, "h2", 0)], by[(name, "h2", 1000)]
    print(f"| {name} | {num(s['rps'])} | {num(ratio(s['rps'], base['rps']), '{:.2f}')} "
          f"| {num(ratio(s['rps'], decoded['rps']), '{:.2f}')} | {ms(s)} | {cpu(s)} | {ms(f)} | {num(f['rps'])} "
          f"| {cpu(f)} | {num(ratio(f['cpu_ms'], decoded_rated['cpu_ms']), '{:.2f}')} | {s['errors'] + f['errors']} |")
print("\nbaseline: reads the body, parses nothing, answers a constant review. decode-only: also reads the review "
      "into the typed model, as any fabric8-based webhook must. Both on the same server and TLS. CPU: the "
      "process's user and system time during the run over the reviews answered (the load generator's not included).")
print("\n## HTTP/1.1, 16 keep-alive connections\n")
print("| payload | req/s at saturation | p50 / p99 / p99.9 ms | CPU ms per review | errors |")
print("|---|---:|---|---:|---:|")
for name in names:
    h = by[(name, "h1", 0)]
    print(f"| {name} | {num(h['rps'])} | {ms(h)} | {cpu(h)} | {h['errors']} |")

cold = by[("cold", "h2", 20)]
windows = cold.get("windows", [])
print(f"\n## Cold path: from ready, one HTTP/2 client, sequential reviews at 20/s to /mutate and /validate "
      f"(pod-spread), {cold['seconds']} s\n")
print(f"start to ready: {ready_ms} ms; {cold['answered']} reviews, {cold['errors']} errors, "
      f"CPU {cpu(cold)} ms per review\n")
print("| window (s after ready) | reviews | p50 ms | p99 ms | max ms |")
print("|---|---:|---:|---:|---:|")
for w in windows:
    print(f"| {w['from_s']}–{w['from_s'] + 10} | {w['answered']} | {num(w['p50'], '{:.2f}')} "
          f"| {num(w['p99'], '{:.2f}')} | {num(w['max'], '{:.1f}')} |")
with open(audit_log, "rb") as log:
    log.seek(audit_from)
    records = [line for line in log.read(audit_to - audit_from).splitlines() if line.startswith(b"{")]
audit_bytes = sum(len(line) + 1 for line in records)
per_review = audit_bytes / len(records) if records else 0
print(f"\naudit log: {len(records)} records in the cold path, {per_review:,.0f} bytes per review; "
      f"a pod create is reviewed by both webhooks: {2 * per_review:,.0f} KB per 1,000 pod creates")

def target(ok):
    return "met" if ok else "MISSED"

spread = by[("pod-spread", "h2", 1000)]
cold_p99 = max((w["p99"] for w in windows), default=None)
print(f"\npeak RSS: {rss_kb / 1024:.0f} MiB\n")
print("| target | figure | |")
print("|---|---|---|")
print(f"| CPU per review at 1,000 req/s over HTTP/2 (pod-spread) ≤ 0.25 ms | {cpu(spread)} ms "
      f"| {target(spread['cpu_ms'] is not None and spread['cpu_ms'] <= 0.25)} |")
cpu_ratio = ratio(spread["cpu_ms"], decoded_rated["cpu_ms"])
print(f"| the same ≤ 1.5× decode-only's | {num(cpu_ratio, '{:.2f}')}× "
      f"| {target(cpu_ratio is not None and cpu_ratio <= 1.5)} |")
print(f"| cold path p99 ≤ 5 ms in every 10 s window from ready | highest {num(cold_p99, '{:.2f}')} ms "
      f"| {target(cold_p99 is not None and cold_p99 <= 5)} |")
print(f"| start to ready ≤ 15 s | {ready_ms} ms | {target(ready_ms <= 15000)} |")
print(f"| peak RSS ≤ 300 MiB | {rss_kb / 1024:.0f} MiB | {target(rss_kb / 1024 <= 300)} |")
print(f"| no failed request, every run answered | {len(problems)} runs with problems | {target(not problems)} |")
for problem in problems:
    print(f"\nFAILED: {problem}")
sys.exit(1 if problems else 0)
