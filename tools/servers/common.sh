# Shared by the tools/servers scripts (sourced, not run): where the binaries are and how to run them.
# Debian installs the PostgreSQL server binaries under /usr/lib/postgresql/<major>/bin, off PATH.

# The Debian package that provides each binary, for the "missing" message and install.sh.
declare -A SERVERS_PACKAGE=(
    [postgres]=postgresql [initdb]=postgresql [pg_ctl]=postgresql [psql]=postgresql-client
    [redis-server]=redis-server [redis-cli]=redis-tools [openssl]=openssl
)

# Prints the path of PostgreSQL binary $1: PATH first, then the newest /usr/lib/postgresql/<major>/bin.
pg_bin() {
    local found
    if found=$(command -v "$1"); then echo "$found"; return 0; fi
    found=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1)
    [ -n "$found" ] && echo "$found"
}

# Prints the path of the Redis-compatible binary for role $1 (server or cli): Redis, else Valkey.
redis_bin() {
    command -v "redis-$1" || command -v "valkey-$1"
}

# Prints one line per missing binary ("<binary> (Debian package <pkg>)"); returns 1 when any is missing.
servers_missing() {
    local missing=0 b
    for b in postgres initdb pg_ctl psql; do
        pg_bin "$b" >/dev/null || { echo "$b (Debian package ${SERVERS_PACKAGE[$b]})"; missing=1; }
    done
    redis_bin server >/dev/null || { echo "redis-server or valkey-server (Debian package redis-server)"; missing=1; }
    redis_bin cli >/dev/null || { echo "redis-cli or valkey-cli (Debian package redis-tools)"; missing=1; }
    command -v openssl >/dev/null || { echo "openssl (Debian package openssl)"; missing=1; }
    return "$missing"
}

# PostgreSQL refuses to run as root, so as root its commands run as SERVERS_PG_OS_USER (default postgres,
# the user the Debian package creates, else nobody); otherwise as the caller.
pg_os_user() {
    if [ "$(id -u)" != 0 ]; then id -un; return; fi
    if [ -n "${SERVERS_PG_OS_USER:-}" ]; then echo "$SERVERS_PG_OS_USER"
    elif id postgres >/dev/null 2>&1; then echo postgres
    else echo nobody; fi
}
as_pg_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u "$(pg_os_user)" -- "$@"; else "$@"; fi
}

# True when process $1 (a pid, possibly empty) is alive. A zombie counts as gone: a daemon that exited stays
# one until init reaps it, which in some containers takes seconds.
alive() {
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
    [ ! -r "/proc/$1/stat" ] || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# The pids of the running servers in run directory $1 (empty when not running).
pg_pid() { [ -f "$1/pg/data/postmaster.pid" ] && head -n 1 "$1/pg/data/postmaster.pid" || true; }
redis_pid() { [ -f "$1/redis/redis.pid" ] && cat "$1/redis/redis.pid" || true; }
