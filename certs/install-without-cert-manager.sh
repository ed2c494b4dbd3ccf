#!/usr/bin/env bash
# Installs ha-guard on a cluster without cert-manager, from the repository root:
#   certs/install-without-cert-manager.sh [KUSTOMIZE_DIR]      (default deploy/no-cert-manager)
# It makes a CA and serving certificate with certs/generate.sh, stores them as the Secret ha-guard-tls,
# applies the manifests, and patches the CA bundle into every webhook of both webhook configurations.
# Run it again to rotate the certificate (ha-guard re-reads the Secret without a restart). CERT_DAYS sets
# the validity (default 365). The private keys never leave a temporary folder that is removed on exit.
set -euo pipefail

target=${1:-deploy/no-cert-manager}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$here/generate.sh" "$work" >/dev/null
kubectl create namespace ha-guard --dry-run=client -o yaml | kubectl apply -f -
kubectl -n ha-guard create secret tls ha-guard-tls --cert="$work/tls.crt" --key="$work/tls.key" \
  --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -k "$target"

bundle=$(base64 < "$work/ca.crt" | tr -d '\n')
for kind in mutatingwebhookconfiguration validatingwebhookconfiguration; do
  count=$(kubectl get "$kind" ha-guard -o jsonpath='{.webhooks[*].name}' | wc -w)
  ops=""
  for ((i = 0; i < count; i++)); do
    ops+="{\"op\":\"add\",\"path\":\"/webhooks/$i/clientConfig/caBundle\",\"value\":\"$bundle\"},"
  done
  kubectl patch "$kind" ha-guard --type=json -p "[${ops%,}]"
done
echo "ha-guard installed from $target with a self-made CA (valid ${CERT_DAYS:-365} days)"
