#!/usr/bin/env bash
# ha-guard's benchmark: what the webhooks cost the API server, against two same-run references.
#   bench/run.sh            full run (about 8 minutes)
#   bench/run.sh --smoke    a short run (about a minute) that proves the script works; same tables
# Builds the app if needed and starts it with the default policy on HTTPS, with exactly the JVM flags the
# Deployment uses (bench/jvm.options), plus profile bench for the reference endpoints. Drives it with h2load
# (nghttp2-client, installed from Debian if missing) over HTTP/2 on one TLS connection, as the API server calls
# webhooks, and over HTTP/1.1 as a second line; reads the process's CPU time from /proc around every run.
# Then the JMH benchmark of the engine alone. Writes target/bench/results.md and target/bench/jmh.txt.
# JAVA_HOME picks the runtime (default: the java on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=false
[ "${1:-}" = "--smoke" ] && smoke=true
# seconds: cold path, warm-up per endpoint and round, saturation, fixed rate, HTTP/1.1 saturation
if $smoke; then cold=10; warm=1; rounds=1; sat=2; rated=2; h1=1; jmh=(-f 1 -wi 1 -i 1 -w 300ms -r 300ms)
else cold=120; warm=5; rounds=2; sat=10; rated=10; h1=5; jmh=(-f 1 -wi 3 -i 5 -w 1s -r 2s); fi

out=target/bench
mkdir -p "$out"
rm -f "$out"/runs.jsonl "$out"/*.requests
. bench/prepare.sh h2load=nghttp2-client /usr/bin/time=time

port=18443
mport=19000
started=$(date +%s%N)
"$java" "${jvm[@]}" -Dquarkus.profile=bench -Dquarkus.http.ssl-port=$port -Dquarkus.management.port=$mport \
  -Dquarkus.log.file.enable=true -Dquarkus.log.file.path="$out/server.log" \
  -jar target/quarkus-app/quarkus-run.jar > "$out/audit.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT  # the check timing may have stopped it already
until curl -sf -o /dev/null "http://localhost:$mport/q/health/ready"; do
  kill -0 $pid 2>/dev/null || { echo "ha-guard did not start:"; cat "$out/server.log" 2>/dev/null; exit 1; }
  sleep 0.02
done
ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
audit_start=$(wc -c < "$out/audit.log")

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
url="https://localhost:$port"
# measure NAME PROTOCOL SECONDS RATE PAYLOAD PATH... : one h2load run, its requests and the server's CPU time
measure() {
  local name=$1 protocol=$2 seconds=$3 rate=$4 payload=$5; shift 5
  local shape=(-c 1 -m 32)
  [ "$protocol" = h1 ] && shape=(--h1 -c 16 -m 1)
  [ "$rate" = 20 ] && shape=(-c 1 -m 1)
  local args=("${shape[@]}" -D "$seconds" -d "$payload" -H 'Content-Type: application/json')
  [ "$rate" != 0 ] && args+=(--rps "$rate")
  local urls=() p
  for p in "$@"; do urls+=("$url$p"); done
  local log="$out/$name.$protocol.$rate.requests" before after
  before=$(cpu_ticks)
  h2load "${args[@]}" --log-file "$log" "${urls[@]}" > "$log.out" 2>&1 || true
  after=$(cpu_ticks)
  python3 bench/summarise.py "$name" "$protocol" "$rate" "$seconds" "$log" $((after - before)) \
    "$(getconf CLK_TCK)" >> "$out/runs.jsonl"
}

# The cold path: a fresh replica gets its share of the traffic as soon as it is ready. One client, reviews one
# after the other at 20 per second, alternately to both webhooks, as the API server sends them for kubectl apply.
measure cold h2 "$cold" 20 src/main/resources/dev/haguard/rules/topologyspread/pod-spread.mutate.json /mutate /validate
audit_end=$(wc -c < "$out/audit.log")

# name, path, payload: the two references first, then the four payloads
endpoints=(
  "baseline /bench/baseline src/main/resources/dev/haguard/rules/topologyspread/pod-spread.mutate.json"
  "decode-only /bench/baseline/decoded src/main/resources/dev/haguard/rules/topologyspread/pod-spread.mutate.json"
  "pod-spread /mutate src/main/resources/dev/haguard/rules/topologyspread/pod-spread.mutate.json"
  "deployment-denied /validate src/main/resources/dev/haguard/rules/minreplicas/deployment-denied.validate.json"
  "configmap-immutable /validate src/main/resources/dev/haguard/rules/immutableobjects/configmap-immutable.validate.json"
  "pod-compliant /mutate src/main/resources/dev/haguard/rules/topologyspread/pod-compliant.mutate.json"
)
# Every endpoint in turn until the JIT has settled, so that no payload profits from an earlier one's warm-up.
for ((round = 0; round < rounds; round++)); do
  for e in "${endpoints[@]}"; do
    read -r _ path payload <<< "$e"
    h2load -c 1 -m 32 -D "$warm" -d "$payload" -H 'Content-Type: application/json' "$url$path" > /dev/null 2>&1 || true
  done
done
for e in "${endpoints[@]}"; do
  read -r name path payload <<< "$e"
  measure "$name" h2 "$sat" 0 "$payload" "$path"
  measure "$name" h2 "$rated" 1000 "$payload" "$path"
  measure "$name" h1 "$h1" 0 "$payload" "$path"
done
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")

python3 bench/report.py "$out/runs.jsonl" "$ready_ms" "$rss_kb" "$smoke" "$out/audit.log" "$audit_start" "$audit_end" \
  "$("$java" -version 2>&1 | head -n 1) ${jvm[*]}" | tee "$out/results.md"
status=${PIPESTATUS[0]}

# check's start: wall time of one run on one small file, against the same jar printing its version (the JVM and
# Quarkus' runner starting, nothing judged), median of several runs each. The server is stopped first.
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
runs=$($smoke && echo 3 || echo 9)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall() { for _ in $(seq "$runs"); do /usr/bin/time -f %e "$java" -jar target/quarkus-app/quarkus-run.jar "$@" 2>&1 >/dev/null \
  | tail -n 1; done | median; }
version_s=$(wall --version)
check_s=$(wall check deploy/examples/good/web.yaml)
{ echo; echo "## check, one small file (median of $runs runs, wall time)"; echo
  echo "| run | seconds | vs --version |"; echo "|---|---:|---:|"
  echo "| \`--version\` (baseline) | $version_s | 1.00x |"
  echo "| \`check deploy/examples/good/web.yaml\` | $check_s | $(awk -v a="$check_s" -v b="$version_s" 'BEGIN {printf "%.2fx", a / b}') |"
} | tee -a "$out/results.md"

# The engine alone (rule evaluation and patch generation per payload), without HTTP, TLS or JSON parsing.
[ -f target/test-classes/META-INF/BenchmarkList ] || ./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt" >/dev/null
"$java" -cp "target/test-classes:target/classes:$(cat "$out/classpath.txt")" org.openjdk.jmh.Main EngineBenchmark \
  "${jmh[@]}" -tu us -bm avgt 2>&1 | tee "$out/jmh.txt" | sed -n '/^Benchmark/,$p'
exit "$status"
