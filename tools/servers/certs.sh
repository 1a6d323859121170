#!/usr/bin/env bash
# Usage: tools/servers/certs.sh <dir>
# A throwaway CA and a server certificate for 127.0.0.1 / ::1 / localhost, in <dir>/tls (no passphrases):
# ca.crt (what clients trust, as the app trusts the RDS CA bundle), ca.key, server.crt, server.key.
# Idempotent: keeps the files while the server certificate stays valid for another hour, so clients that
# already trust ca.crt keep working; regenerates all of them otherwise.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 <dir>" >&2; exit 2; }
command -v openssl >/dev/null || { echo "$0: openssl not found (Debian package openssl)" >&2; exit 3; }
tls="$1/tls"
if [ -s "$tls/ca.crt" ] && [ -s "$tls/server.key" ] && [ -s "$tls/server.crt" ] &&
    openssl x509 -in "$tls/server.crt" -noout -checkend 3600 >/dev/null; then
    exit 0
fi
umask 077
mkdir -p "$tls"
chmod 755 "$tls"
# EC P-256: instant to generate, accepted by both servers and node. A week: the run is throwaway.
openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -sha256 -days 7 \
    -subj "/CN=webstack test CA $(date -u +%Y%m%dT%H%M%SZ)" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$tls/ca.key" -out "$tls/ca.crt" 2>/dev/null
openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -sha256 \
    -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost" > "$tls/server.ext"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial \
    -sha256 -days 7 -extfile "$tls/server.ext" -out "$tls/server.crt" 2>/dev/null
rm -f "$tls/server.csr" "$tls/server.ext" "$tls/ca.srl"
chmod 644 "$tls/ca.crt" "$tls/server.crt"
