#!/usr/bin/env bash
# ha-guard's benchmark: throughput and latency of the admission webhooks against a same-run baseline.
#   bench/run.sh            full run (about 5 minutes)
#   bench/run.sh --smoke    a short run (well under a minute) that proves the script works; same table
# Builds the app if needed, starts it with the default policy on HTTPS (profile bench, which adds the
# baseline endpoint), drives it over loopback with wrk (installed from Debian if missing), then runs the JMH
# benchmark of the engine alone. Writes target/bench/results.md and target/bench/jmh.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=false
[ "${1:-}" = "--smoke" ] && smoke=true
# seconds: cold start, warm-up per endpoint and round, saturation, fixed rate
if $smoke; then cold=1; warm=1; rounds=1; sat=1; rated=1; jmh=(-f 1 -wi 1 -i 1 -w 300ms -r 300ms)
else cold=10; warm=5; rounds=2; sat=10; rated=10; jmh=(-f 1 -wi 3 -i 5 -w 1s -r 2s); fi

out=target/bench
mkdir -p "$out"
rm -f "$out/raw.txt" "$out/cold.txt"
if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
[ -f certs/dev/tls.crt ] || certs/generate.sh >/dev/null

# The memory the Deployment gives it: a 384 Mi limit, half of it heap (JAVA_OPTS_APPEND in deploy/).
memory=(-XX:MaxRAM=384m -XX:MaxRAMPercentage=50)
port=18443
mport=19000
started=$(date +%s%N)
java "${memory[@]}" -Dquarkus.profile=bench -Dquarkus.http.ssl-port=$port -Dquarkus.management.port=$mport \
  -Dquarkus.log.file.enable=true -Dquarkus.log.file.path="$out/server.log" \
  -jar target/quarkus-app/quarkus-run.jar > /dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://localhost:$mport/q/health/ready"; do
  kill -0 $pid 2>/dev/null || { echo "ha-guard did not start:"; cat "$out/server.log" 2>/dev/null; exit 1; }
  sleep 0.02
done
ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))

url="https://localhost:$port"
# name, path, payload: the two references first, then the four payloads
endpoints=(
  "baseline /bench/baseline bench/payloads/pod-spread.mutate.json"
  "decode-only /bench/baseline/decoded bench/payloads/pod-spread.mutate.json"
  "pod-spread /mutate bench/payloads/pod-spread.mutate.json"
  "deployment-denied /validate bench/payloads/deployment-denied.validate.json"
  "configmap-immutable /validate bench/payloads/configmap-immutable.validate.json"
  "pod-compliant /mutate bench/payloads/pod-compliant.mutate.json"
)

# A fresh replica gets its share of the traffic as soon as it is ready, before the JIT has compiled anything.
wrk -t2 -c16 -d${cold}s -s bench/post.lua "$url" -- /mutate bench/payloads/pod-spread.mutate.json 1000 16 \
  | tail -n 1 > "$out/cold.txt"

# Then every endpoint in turn until the JIT has settled (it takes tens of seconds on 2 cores), so that the
# figures below are those of a webhook that has been running, and no payload profits from an earlier one's warm-up.
for ((round = 0; round < rounds; round++)); do
  for e in "${endpoints[@]}"; do
    read -r _ path payload <<< "$e"
    wrk -t2 -c32 -d${warm}s -s bench/post.lua "$url" -- "$path" "$payload" > /dev/null
  done
done

# saturation (32 connections), then a fixed 1,000 requests/s (16 connections)
for e in "${endpoints[@]}"; do
  read -r name path payload <<< "$e"
  saturated=$(wrk -t2 -c32 -d${sat}s -s bench/post.lua "$url" -- "$path" "$payload" | tail -n 1)
  fixed=$(wrk -t2 -c16 -d${rated}s -s bench/post.lua "$url" -- "$path" "$payload" 1000 16 | tail -n 1)
  echo "$name $saturated $fixed" >> "$out/raw.txt"
done
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)

python3 bench/report.py "$out/raw.txt" "$out/cold.txt" "$cold" "$ready_ms" "$rss_kb" "$smoke" | tee "$out/results.md"
status=${PIPESTATUS[0]}

# The engine alone (rule evaluation and patch generation per payload), without HTTP, TLS or JSON parsing.
[ -f target/test-classes/META-INF/BenchmarkList ] || ./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt" >/dev/null
java -cp "target/test-classes:target/classes:$(cat "$out/classpath.txt")" org.openjdk.jmh.Main EngineBenchmark \
  "${jmh[@]}" -tu us -bm avgt 2>&1 | tee "$out/jmh.txt" | sed -n '/^Benchmark/,$p'
exit "$status"
