#!/usr/bin/env bash
# The scan at scale: a generated dump of 10,000 pods, 2,000 Deployments (with their ReplicaSets), 500
# PodDisruptionBudgets and 100 nodes in 3 zones (bench/scan_dump.py), scanned with a 512 MB heap, what-if included.
# Prints the median wall time and peak RSS of 3 runs, and the same for a dump of one Deployment measured in the same
# run (the JVM's start and the policy, with nothing to judge), so the ratio shows what the objects cost. Then 3,000
# Deployments with a budget and a Service each, in 20 namespaces and in one, so the ratio shows whether matching
# selectors to workloads grows with a namespace's size squared.
# Fails only if a scan fails (exit 2) or prints no result.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/prepare.sh /usr/bin/time=time
out=target/bench
mkdir -p "$out"
python3 bench/scan_dump.py 100 2000 10000 500 > "$out/scan-dump.yaml"
python3 bench/scan_dump.py 50 1000 5000 250 > "$out/scan-half.yaml"
python3 bench/scan_dump.py 1 1 1 0 > "$out/scan-one.yaml"
python3 bench/scan_dump.py 30 3000 3000 3000 20 3000 > "$out/scan-budgets-spread.yaml"
python3 bench/scan_dump.py 30 3000 3000 3000 1 3000 > "$out/scan-budgets-one.yaml"

# run DUMP: "seconds KB" of one scan; exit 0 or 1 (findings) is a completed scan
run() {
  /usr/bin/time -f '%e %M' -o "$out/scan.time" "$java" -Xmx512m -jar target/quarkus-app/quarkus-run.jar scan \
    --from "$1" --fail zone=zone-a -o json > "$out/scan.json" 2> "$out/scan.err" || [ $? -eq 1 ]
  grep -q '"cluster"' "$out/scan.json" || { echo "scan of $1 printed no result:"; cat "$out/scan.err"; exit 1; }
  tail -n 1 "$out/scan.time"
}
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

read -r small_s small_kb <<< "$(for _ in 1 2 3; do run "$out/scan-one.yaml"; done | median)"
echo "## scan at scale (median of 3, -Xmx512m, what-if zone=zone-a)"
echo
echo "| dump | objects | seconds | peak RSS MiB | vs one Deployment |"
echo "|---|---:|---:|---:|---:|"
echo "| one Deployment (baseline) | $(grep -c '^- apiVersion' "$out/scan-one.yaml") | $small_s | $((small_kb / 1024)) | 1.00x |"
for dump in half:"5,000 pods, 1,000 Deployments, 250 PDBs, 50 nodes" dump:"10,000 pods, 2,000 Deployments, 500 PDBs, 100 nodes"; do
  file="$out/scan-${dump%%:*}.yaml"
  read -r s kb <<< "$(for _ in 1 2 3; do run "$file"; done | median)"
  echo "| ${dump#*:} | $(grep -c '^- apiVersion' "$file") | $s | $((kb / 1024)) | $(awk -v a="$s" -v b="$small_s" 'BEGIN {printf "%.2fx", a / b}') |"
done

# The same 3,000 Deployments, each with its PodDisruptionBudget and Service, in 20 namespaces and in one: matched each
# against each, one namespace would cost 20 times the pairs; indexed by selector, about the same. One run each.
echo
echo "## budgets in one namespace (one run each, -Xmx512m)"
echo
echo "| dump | seconds | peak RSS MiB | vs 20 namespaces |"
echo "|---|---:|---:|---:|"
read -r spread_s spread_kb <<< "$(run "$out/scan-budgets-spread.yaml")"
read -r one_s one_kb <<< "$(run "$out/scan-budgets-one.yaml")"
echo "| 3,000 Deployments, 3,000 PDBs, 3,000 Services in 20 namespaces | $spread_s | $((spread_kb / 1024)) | 1.00x |"
echo "| the same in one namespace | $one_s | $((one_kb / 1024)) | $(awk -v a="$one_s" -v b="$spread_s" 'BEGIN {printf "%.2fx", a / b}') |"
