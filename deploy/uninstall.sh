#!/usr/bin/env bash
# Removes ha-guard, webhook configurations first: a webhook configuration that outlives the pods behind it
# is how admission webhooks take clusters down. Usage, from the repository root:
#   deploy/uninstall.sh [KUSTOMIZE_DIR]      (default deploy/, the directory it was installed from)
set -euo pipefail
kubectl delete mutatingwebhookconfiguration ha-guard --ignore-not-found
kubectl delete validatingwebhookconfiguration ha-guard --ignore-not-found
kubectl delete -k "${1:-deploy/}" --ignore-not-found
