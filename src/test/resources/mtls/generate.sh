#!/usr/bin/env bash
# Client certificates for MutualTlsTest (openssl only): a trusted CA and another one, the API server's certificate
# from each, and an intruder's from the trusted CA, each also as a PKCS#12 key store (password changeit).
set -euo pipefail
dir=${1:?usage: generate.sh DIR}
mkdir -p "$dir" && cd "$dir"
ca() { openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.crt" -days 2 -subj "/CN=$1" 2>/dev/null; }
client() { # name, signing CA, subject
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$3" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -out "$1.crt" -days 2 2>/dev/null
  openssl pkcs12 -export -in "$1.crt" -inkey "$1.key" -out "$1.p12" -passout pass:changeit -name client
}
ca trusted-ca
ca other-ca
client apiserver trusted-ca "/O=system/CN=kube-apiserver"
client intruder trusted-ca "/CN=intruder"
client foreign other-ca "/O=system/CN=kube-apiserver"
cp trusted-ca.crt client-ca.crt
