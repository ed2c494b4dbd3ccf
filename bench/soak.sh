#!/usr/bin/env bash
# Soak: ha-guard at a steady rate for a long time, to show flat memory and zero errors.
#   bench/soak.sh [SECONDS] [RATE]        default 600 s at 500 requests/s (the Pod CREATE that gets a patch)
# Samples resident memory and heap in use every 10 s; writes target/bench/soak.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
rate=${2:-500}
out=target/bench
mkdir -p "$out"
. bench/prepare.sh wrk=wrk

port=18443
mport=19000
"$java" "${jvm[@]}" -Dquarkus.http.ssl-port=$port -Dquarkus.management.port=$mport \
  -Dquarkus.log.file.enable=true -Dquarkus.log.file.path="$out/soak-server.log" \
  -jar target/quarkus-app/quarkus-run.jar > /dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://localhost:$mport/q/health/ready"; do sleep 0.1; done

wrk -t2 -c16 -d${seconds}s -s bench/post.lua "https://localhost:$port" -- /mutate src/main/resources/dev/haguard/rules/topologyspread/pod-spread.mutate.json \
  "$rate" 16 > "$out/soak-wrk.txt" &
load=$!
{
  echo "| elapsed s | RSS MiB | heap used MiB |"
  echo "|---:|---:|---:|"
  for ((t = 10; t <= seconds; t += 10)); do
    sleep 10
    rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' /proc/$pid/status)
    heap=$(curl -s "http://localhost:$mport/q/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"/ {s += $NF} END {printf "%.0f", s / 1048576}')
    echo "| $t | $rss | $heap |"
  done
} | tee "$out/soak-samples.md"
wait $load
result=$(tail -n 1 "$out/soak-wrk.txt")
{
  echo "# ha-guard soak: $seconds s at $rate req/s"
  echo
  cat "$out/soak-samples.md"
  echo
  echo "wrk: $result"
} > "$out/soak.md"
echo "wrk: $result"
python3 -c "import json,sys; r=json.loads(sys.argv[1]); sys.exit(1 if r['errors'] else 0)" "$result"
