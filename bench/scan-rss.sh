#!/usr/bin/env bash
# The packaged server's memory with its background scan, as deployed: bench/jvm.options (the Deployment's 384 Mi and
# JVM flags) against a mock API server serving a generated cluster (ScanHeap --serve: a Deployment and its ReplicaSet
# per 5 pods, a node per 100, a budget per 4 Deployments; paged LISTs, WebSocket watches held open, the Lease and
# PolicyReports stored). For each size the server runs twice. As the scan's leader it lists every kind, scans, writes
# its reports, and scans again 30 s later: reported are the LISTs since start and the reports each scan wrote. With
# the scan off it keeps its admission caches only. Both: peak RSS (VmHWM), the scan's time, whether the heap valve
# stopped the scan's informers or the JVM ran out of heap (it exits on that), and whether the replica still reports
# ready for admission.
#   bench/scan-rss.sh               50,000 pods (about 3 minutes)
#   bench/scan-rss.sh 10000 150000  the sizes given
#   MEMORY=1g bench/scan-rss.sh 150000   a container memory limit other than deploy/'s 384 Mi (-XX:MaxRAM)
# Writes target/bench/scan-rss.md; logs in target/bench/scan-rss-*.log. Fails if a replica ran out of memory, never
# scanned (nor stopped at the heap valve), or stopped reporting ready.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/prepare.sh
out=target/bench
mkdir -p "$out"
classpath=$(test_classpath)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(50000)
port=28600
failed=0
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
# PolicyReport writes the mock API server has received
writes() { grep -cE 'received request: (POST|PUT|PATCH|DELETE) /apis/wgpolicyk8s.io' "$out/scan-rss-api.log" || true; }

{
echo "| pods | objects | server (memory limit ${MEMORY:-384m}) | peak RSS MiB | RSS after MiB | scan s | result |"
echo "|---:|---:|---|---:|---:|---:|---|"
} | tee "$out/scan-rss.md"
for pods in "${sizes[@]}"; do
  rm -f "$out/scan-rss-api.log"
  "$java" -Xmx6g -cp "$classpath" dev.haguard.bench.ScanHeap \
    --serve "$pods" "$port" > "$out/scan-rss-api.log" 2>&1 &
  api=$!
  pids+=("$api")
  until grep -qs '^serving' "$out/scan-rss-api.log"; do
    kill -0 "$api" 2>/dev/null || { echo "the mock API server did not start"; tail "$out/scan-rss-api.log"; exit 1; }
    sleep 0.5
  done
  objects=$(grep -o 'serving [0-9]* objects' "$out/scan-rss-api.log" | cut -d' ' -f2)
  for mode in leader off; do
    log="$out/scan-rss-$pods-$mode.log"
    interval=30s
    [ "$mode" = off ] && interval=0
    "$java" "${jvm[@]}" ${MEMORY:+-XX:MaxRAM=$MEMORY} -Dhaguard.policy.watch=true -Dquarkus.kubernetes-client.api-server-url="http://127.0.0.1:$port" \
      -Dhaguard.scan.interval=$interval -Dhaguard.scan.max-objects=1000000 -Dquarkus.http.ssl-port=28643 \
      -Dquarkus.management.port=29043 -jar target/quarkus-app/quarkus-run.jar > "$log" 2>&1 &
    server=$!
    pids+=("$server")
    result=timeout
    for _ in $(seq 1 600); do
      if ! kill -0 "$server" 2>/dev/null; then result="exited ($(grep -o 'OutOfMemoryError[^"]*' "$log" | head -1))"; break; fi
      if [ "$mode" = leader ] && grep -q 'background scan: [0-9]* finding' "$log"; then
        # The first scan writes a report per namespace; the next, of an unchanged cluster, should write none.
        sleep 2
        first=$(writes)
        lists=$(grep -c 'GET /api[^ ]*[?&]limit=500' "$out/scan-rss-api.log" || true)
        pod_lists=$(grep -c 'GET /api/v1/pods?[^ ]*limit=500' "$out/scan-rss-api.log" || true)
        for _ in $(seq 1 120); do
          [ "$(grep -c 'background scan: [0-9]* finding' "$log")" -ge 2 ] && break
          sleep 0.5
        done
        sleep 2
        result="scanned; LISTs $lists ($pod_lists of pods); reports written $first, then $(( $(writes) - first )) at the next scan"
        break
      fi
      if [ "$mode" = leader ] && grep -q 'were stopped on this replica' "$log"; then
        result="heap valve: informers stopped at $(grep -o 'informers held [0-9]* objects' "$log" | grep -o '[0-9]*') objects"
        break
      fi
      if [ "$mode" = off ] && curl -sf -o /dev/null http://localhost:29043/q/health/ready; then sleep 20; result=""; break; fi
      sleep 0.5
    done
    sleep 5
    if curl -sf -o /dev/null http://localhost:29043/q/health/ready; then ready=ready; else ready="not ready"; fi
    result="${result:+$result; }$ready for admission"
    hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$server/status" 2>/dev/null || echo "-")
    rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$server/status" 2>/dev/null || echo "-")
    took=$(sed -n 's/.*background scan: .* in \([0-9]*\) ms.*/\1/p' "$log" | head -1)
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    case "$result" in exited*|timeout*|*"not ready"*) failed=1 ;; esac
    printf "| %'d | %'d | %s | %s | %s | %s | %s |\n" "$pods" "$objects" \
      "$([ "$mode" = leader ] && echo "scan leader" || echo "scan off")" "$hwm" "$rss" \
      "$([ -n "$took" ] && awk "BEGIN {printf \"%.1f\", $took / 1000}" || echo "-")" "$result" | tee -a "$out/scan-rss.md"
  done
  kill "$api" 2>/dev/null || true
  wait "$api" 2>/dev/null || true
done
[ "$failed" -eq 0 ] || { echo "scan-rss: a replica ran out of memory, never scanned, or stopped being ready"; exit 1; }
