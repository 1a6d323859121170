#!/usr/bin/env bash
# Load benchmark of the reference API: raises this shell's open-file limit to the hard limit (10,000 client
# connections need 10,000 descriptors in the load generator and as many in the service), then runs bench/load.ts,
# which prints one table row per concurrency step. Bounded: every step stops after --duration seconds (default 10).
# Usage: bench/load.sh [--fakes] [--connections 100,1000,5000,10000] [--duration 10] [--path /api/items/<id>]
set -euo pipefail
cd "$(dirname "$0")/.."
hard=$(ulimit -Hn)
ulimit -n "$hard"
export LOAD_NOFILE
LOAD_NOFILE=$(ulimit -n)
if [ "$LOAD_NOFILE" != unlimited ] && [ "$LOAD_NOFILE" -lt 10100 ]; then
    echo "bench/load.sh: open files limited to $LOAD_NOFILE (hard limit); 10,000 connections need about 10,100" >&2
fi
exec node -r ./tools/node-check.js -r ./tools/register.js bench/load.ts "$@"
