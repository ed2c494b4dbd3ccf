#!/usr/bin/env bash
# The cold phase: what a freshly started replica costs in its first reviews, for each way of running the JVM.
#   bench/cold.sh            2,000 reviews per run, every variant (about 11 minutes)
#   bench/cold.sh --smoke    200 reviews, the shipped variant and its JDK-TLS fallback (about 2 minutes); .ci/run runs this
# For each variant (JIT mode, warm-up) and each target (ha-guard's webhooks; the decode-only reference, which reads
# each review into fabric8's model and answers allowed), a fresh process with the Deployment's flags
# (bench/jvm.options) plus the variant's. From ready: 4 HTTP/2 connections over TLS with 4 streams each, as the API
# server opens them, each sending one recorded review (src/test/resources/admission: pods from a ReplicaSet and bare
# ones to /mutate, Deployment CREATE and apply to /validate) at RATE per second (default 25: 100 reviews/s in all)
# until the count is sent. Reports start to ready, the CPU the start and warm-up took, CPU per review over the cold
# reviews (the JIT's compile threads included: /proc/PID/stat of the whole process), p50/p99, then saturation
# (10 s, 32 streams, after 5 s discarded) and peak RSS. Writes target/bench/cold.md.
# JAVA_HOME picks the runtime (default: the java on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

count=2000
# name|JVM flags|system properties, after bench/jvm.options (which stops the JIT at C1 and leaves TLS to BoringSSL and
# the warm-up to its 5 s default, as deploy/ does); VARIANTS="name|flags|props;..." replaces the list. The first is
# what ships; the others are the levers it was chosen over.
variants=("shipped: c1, BoringSSL, warm-up 5 s||"
  "c1, JDK TLS||-Dhaguard.admission.tls-engine=jdk"
  "c1, BoringSSL, no warm-up||-Dhaguard.warm-up=0"
  "c1, BoringSSL, warm-up 10 s||-Dhaguard.warm-up=10s"
  "c2, BoringSSL, warm-up 10 s|-XX:TieredStopAtLevel=4|-Dhaguard.warm-up=10s"
  "c2, JDK TLS, warm-up 10 s (until 2026-12-04)|-XX:TieredStopAtLevel=4|-Dhaguard.admission.tls-engine=jdk -Dhaguard.warm-up=10s")
[ -n "${VARIANTS:-}" ] && IFS=';' read -r -a variants <<< "$VARIANTS"
if [ "${1:-}" = "--smoke" ]; then count=200; variants=("${variants[0]}" "${variants[1]}"); fi
rate=${RATE:-25}

out=target/bench
mkdir -p "$out"
rm -f "$out"/cold.jsonl "$out"/cold.*.log
. bench/prepare.sh h2load=nghttp2-client

fixtures=src/test/resources/admission
streams=(
  "/mutate $fixtures/pod-create-from-replicaset.mutating.json"
  "/mutate $fixtures/pod-create-bare.mutating.json"
  "/validate $fixtures/deployment-create.validating.json"
  "/validate $fixtures/deployment-update-apply-patch.validating.json"
)
port=18443
mport=19000
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run VARIANT-NAME TARGET JVM-FLAGS SYSTEM-PROPERTIES
run() {
  local variant=$1 target=$2 flags=$3 props=$4 started pid ready_ms ready_ticks
  started=$(date +%s%N)
  # shellcheck disable=SC2086
  "$java" "${jvm[@]}" $flags $props -Dquarkus.profile=bench -Dquarkus.http.ssl-port=$port \
    -Dquarkus.management.port=$mport -jar target/quarkus-app/quarkus-run.jar > "$out/cold.server.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://localhost:$mport/q/health/ready"; do
    kill -0 $pid 2>/dev/null || { echo "ha-guard did not start:"; tail -n 20 "$out/cold.server.log"; exit 1; }
    sleep 0.05
  done
  ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  ready_ticks=$(ticks $pid)
  local i=0 hpids=() s path payload before after
  rm -f "$out"/cold.[0-9].log "$out"/cold.[0-9].log.out  # h2load appends to its --log-file
  before=$(ticks $pid)
  for s in "${streams[@]}"; do
    read -r path payload <<< "$s"
    [ "$target" = decode-only ] && path=/bench/baseline/decoded
    h2load -c 1 -m 4 -n $((count / ${#streams[@]})) --rps "$rate" -d "$payload" -H 'Content-Type: application/json' \
      --log-file "$out/cold.$i.log" "https://localhost:$port$path" > "$out/cold.$i.log.out" 2>&1 &
    hpids+=($!)
    i=$((i + 1))
  done
  wait "${hpids[@]}" || true
  after=$(ticks $pid)
  path=/mutate
  [ "$target" = decode-only ] && path=/bench/baseline/decoded
  h2load -c 1 -m 32 -D 5 -d "$fixtures/pod-create-from-replicaset.mutating.json" -H 'Content-Type: application/json' \
    "https://localhost:$port$path" > /dev/null 2>&1 || true
  h2load -c 1 -m 32 -D 10 -d "$fixtures/pod-create-from-replicaset.mutating.json" -H 'Content-Type: application/json' \
    "https://localhost:$port$path" > "$out/cold.saturation.out" 2>&1 || true
  python3 bench/cold_summary.py "$variant" "$target" "$ready_ms" "$ready_ticks" $((after - before)) "$(getconf CLK_TCK)" \
    "$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")" "$out/cold.saturation.out" "$out"/cold.[0-9].log \
    >> "$out/cold.jsonl"
  kill $pid; wait $pid 2>/dev/null || true
}

for v in "${variants[@]}"; do
  IFS='|' read -r name flags props <<< "$v"
  for target in ha-guard decode-only; do
    run "$name" "$target" "$flags" "$props"
  done
done
python3 bench/cold_summary.py --report "$out/cold.jsonl" "$count" "$rate" \
  "$("$java" -version 2>&1 | head -n 1) ${jvm[*]}" | tee "$out/cold.md"
