#!/usr/bin/env bash
# Zero-downtime restarts, shown with real clients (about a minute; .ci/run runs it):
#  1. One replica, a persistent HTTP/2 client (h2load) sending across SIGTERM: every stream it sent is answered,
#     and it stops sending on that connection once ha-guard says GOAWAY, well before the process exits.
#  2. A rolling restart of two replicas behind haproxy (TCP, health-checked on readiness, as a Service is) under
#     continuous load: new TLS connections per request and keep-alive ones over HTTP/1.1, and HTTP/2 clients that
#     come and go (50 requests each: a run cut off by -D would abandon streams in flight). No HTTP/1.1 request may
#     fail, and every review ha-guard judged (one audit record each) must have reached its client; an HTTP/2 stream
#     the client sent after a GOAWAY was never processed and is retried by real clients, so it is counted, not failed.
# Installs h2load (nghttp2-client) and haproxy from Debian if missing. Prints its figures; logs in target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench
mkdir -p "$out"
. bench/prepare.sh h2load=nghttp2-client haproxy=haproxy
payload=src/main/resources/dev/haguard/rules/topologyspread/pod-spread.mutate.json
declare -A pids
pids=()
cleanup() {
  for p in "${pids[@]}" ${haproxy_pid:-}; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# start N: replica N serves HTTPS on 2844N and its management port on 2900N
start() {
  "$java" "${jvm[@]}" -Dhaguard.warm-up=3s -Dquarkus.http.ssl-port=$((28440 + $1)) \
    -Dquarkus.management.port=$((29000 + $1)) -jar target/quarkus-app/quarkus-run.jar >> "$out/restart-$1.log" 2>&1 &
  pids[$1]=$!
  until curl -sf -o /dev/null "http://localhost:$((29000 + $1))/q/health/ready"; do
    kill -0 "${pids[$1]}" 2>/dev/null || { echo "replica $1 did not start"; tail "$out/restart-$1.log"; exit 1; }
    sleep 0.1
  done
}
# stop N: SIGTERM, as the kubelet sends it, and wait for the process to end
stop() {
  kill -TERM "${pids[$1]}"
  local status=0
  wait "${pids[$1]}" || status=$?
  unset "pids[$1]"
  echo "replica $1 exited with status $status"
}
rm -f "$out"/restart-*.log

echo "## 1. A persistent HTTP/2 connection across SIGTERM"
start 1
rm -f "$out/sigterm.requests"
h2load -c 2 -m 4 --rps 50 -D 12 -d "$payload" -H 'Content-Type: application/json' --log-file "$out/sigterm.requests" \
  https://localhost:28441/mutate > "$out/sigterm.out" 2>&1 &
load=$!
sleep 3
term_us=$(($(date +%s%N) / 1000))
stop 1
wait $load || true
mv "$out/restart-1.log" "$out/sigterm-server.log"
# A stream the client sent after the server's GOAWAY (id above its last stream id) was never processed: HTTP/2
# clients, the API server among them, retry it on a new connection; h2load only counts it as failed. So the proof
# is on the server's side: each review it judged (one audit record each) was answered.
python3 - "$out/sigterm.requests" "$out/sigterm-server.log" "$term_us" <<'EOF'
import sys
log, server, term = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [line.split("\t") for line in open(log)]
answered = sum(1 for r in rows if r[1].startswith("2"))
judged = sum(1 for line in open(server) if line.startswith("{") and '"webhook":"mutate"' in line)
late = [r for r in rows if int(r[0]) > term + 200_000]
print(f"{len(rows)} streams: {answered} answered, {judged} judged by ha-guard, {len(rows) - answered} refused unprocessed "
      f"by the GOAWAY (a client retries those); streams started more than 0.2 s after SIGTERM: {len(late)}")
if not rows or judged != answered:
    sys.exit("FAILED: ha-guard judged a review whose answer never reached the client")
if len(rows) - answered > 8:
    sys.exit("FAILED: more streams refused than the client had in flight (2 connections x 4 streams)")
if late:
    sys.exit("FAILED: the client kept sending after SIGTERM: no GOAWAY reached it")
EOF

echo "## 2. A rolling restart of two replicas behind haproxy under continuous load"
start 1
start 2
cat > "$out/haproxy.cfg" <<EOF
global
  log stdout format raw local0 warning
defaults
  mode tcp
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 3
  option redispatch
frontend webhook
  bind 127.0.0.1:28500
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk GET /q/health/ready
  default-server inter 500ms fall 1 rise 2
  server r1 127.0.0.1:28441 check port 29001
  server r2 127.0.0.1:28442 check port 29002
EOF
haproxy -f "$out/haproxy.cfg" > "$out/haproxy.log" 2>&1 &
haproxy_pid=$!
sleep 1.5
touch "$out/restart-load.json.running"
python3 bench/restart_load.py 28500 "$payload" "$out/restart-load.json" &
http1=$!
( while [ -f "$out/restart-load.json.running" ]; do
    h2load -c 2 -m 4 --rps 25 -n 50 -d "$payload" -H 'Content-Type: application/json' https://localhost:28500/validate \
      2>&1 | grep -E '^requests:' || true
  done > "$out/restart-h2.txt" ) &
h2=$!
sleep 3
for n in 1 2; do
  stop $n
  start $n
  sleep 3
done
rm -f "$out/restart-load.json.running"
wait $http1 $h2
python3 - "$out/restart-load.json" "$out/restart-h2.txt" "$out/restart-1.log" "$out/restart-2.log" <<'EOF'
import json, re, sys
load = json.load(open(sys.argv[1]))
h2 = [re.search(r"(\d+) total, (\d+) started, (\d+) done, (\d+) succeeded", l) for l in open(sys.argv[2])]
h2 = [tuple(map(int, m.groups())) for m in h2 if m]
h2_ok, h2_refused = sum(r[3] for r in h2), sum(r[1] - r[3] for r in h2)
judged = sum(1 for f in sys.argv[3:] for line in open(f) if line.startswith("{") and '"webhook":"validate"' in line)
print(f"HTTP/1.1: {load['ok']} answered, {load['failed']} failed (new connection per request and keep-alive); "
      f"HTTP/2: {h2_ok} answered in {len(h2)} runs, {h2_refused} refused unprocessed by a GOAWAY (retried by clients); "
      f"judged by ha-guard: {judged}")
for f in load["failures"][:10]:
    print("  ", f)
if load["failed"] or not load["ok"] or not h2_ok:
    sys.exit("FAILED: requests failed during the rolling restart")
if judged != load["ok"] + h2_ok:
    sys.exit("FAILED: ha-guard judged reviews whose answers never reached the client")
EOF
echo "zero-downtime restarts: passed"
