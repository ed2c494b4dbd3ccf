#!/usr/bin/env bash
# Writes a development CA and a serving certificate for ha-guard into DIR (default: certs/dev):
#   ca.crt   the CA, to trust (curl --cacert) or to put in a webhook configuration's caBundle
#   tls.crt  the serving certificate, signed by the CA
#   tls.key  its private key (never commit it)
# SANs: localhost, 127.0.0.1, ha-guard.ha-guard.svc, ha-guard.ha-guard.svc.cluster.local.
# Needs only openssl. Overwrites what is in DIR.
set -euo pipefail

dir=${1:-"$(cd "$(dirname "$0")" && pwd)/dev"}
days=${CERT_DAYS:-365}
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" \
  -subj "/CN=ha-guard development CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null

openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=ha-guard.ha-guard.svc" \
  -keyout "$work/tls.key" -out "$work/tls.csr" 2>/dev/null

cat > "$work/ext.cnf" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:ha-guard.ha-guard.svc,DNS:ha-guard.ha-guard.svc.cluster.local
EXT
openssl x509 -req -sha256 -days "$days" -in "$work/tls.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" \
  -CAcreateserial -extfile "$work/ext.cnf" -out "$work/tls.crt" 2>/dev/null

install -m 0644 "$work/ca.crt" "$dir/ca.crt"
install -m 0644 "$work/tls.crt" "$dir/tls.crt"
install -m 0600 "$work/tls.key" "$dir/tls.key"
echo "wrote $dir/ca.crt, $dir/tls.crt and $dir/tls.key (valid $days days)"
