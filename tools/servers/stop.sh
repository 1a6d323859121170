#!/usr/bin/env bash
# Usage: tools/servers/stop.sh <dir> [postgres|redis]
# Stops the servers tools/servers/start.sh started in <dir> (both, or the one named), waiting until they have
# exited; keeps their data, ports and passwords, so start.sh brings them back as they were. Idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
[ $# -ge 1 ] && [ $# -le 2 ] && [[ "${2:-all}" =~ ^(all|postgres|redis)$ ]] || { echo "usage: $0 <dir> [postgres|redis]" >&2; exit 2; }
dir=$1 which=${2:-all}
# Signals process $1 with $2 and waits up to 20 s for it to exit.
stop_pid() {
    local i
    alive "$1" || return 0
    kill "-$2" "$1" 2>/dev/null || true
    for i in $(seq 1 200); do alive "$1" || return 0; sleep 0.1; done
    echo "$0: process $1 did not exit within 20 s" >&2
    return 1
}
status=0
# SIGINT: PostgreSQL's fast shutdown (rolls back open transactions, closes connections). SIGTERM: Redis shutdown.
[ "$which" = redis ] || stop_pid "$(pg_pid "$dir")" INT || status=1
[ "$which" = postgres ] || stop_pid "$(redis_pid "$dir")" TERM || status=1
exit $status
