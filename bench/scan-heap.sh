#!/usr/bin/env bash
# The server's background scan and admission caches by cluster size, in one JVM against the fabric8 mock API server
# (src/test/java/dev/haguard/bench/ScanHeap.java): heap held by the informers after a full GC, per pod; the scan's
# time and its highest after-collection heap; the admission caches' heap.
#   bench/scan-heap.sh                 10,000 and 50,000 pods (about 5 minutes)
#   bench/scan-heap.sh 10000 150000    the sizes given
# Writes target/bench/scan-heap.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/prepare.sh
out=target/bench
mkdir -p "$out"
classpath=$(test_classpath)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 50000)
"$java" -Xmx6g -XX:+UseSerialGC -cp "$classpath" \
  dev.haguard.bench.ScanHeap "${sizes[@]}" 2> "$out/scan-heap.log" | tee "$out/scan-heap.md"
