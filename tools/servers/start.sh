#!/usr/bin/env bash
# Usage: tools/servers/start.sh <dir>
# Starts, in run directory <dir> (created if missing), the servers the reference service's tests use,
# configured as AWS runs them for the app: PostgreSQL with TLS only (ssl = on, pg_hba.conf hostssl +
# scram-sha-256 and nothing else, no Unix socket: what rds.force_ssl enforces) and Redis (or Valkey) with TLS
# only (port 0, tls-port) and an ACL user, the default user disabled (the Cache component's users).
# Both listen on 127.0.0.1 only, on free ports picked once (or SERVERS_PG_PORT / SERVERS_REDIS_PORT).
# Writes <dir>/env (KEY=value lines, readable by `node --env-file` and `set -a; . env`): hosts, ports, CA file,
# user names and generated passwords. Throwaway values for this directory only; never commit them.
# Idempotent: a running server is left alone, a stopped one restarts with the same data, ports and passwords.
# Installs nothing: a missing binary fails with its Debian package (tools/servers/install.sh installs them).
# Exit status: 0 ready (both accept authenticated TLS connections), 2 usage, 3 binaries missing, 1 failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
[ $# -eq 1 ] || { echo "usage: $0 <dir>" >&2; exit 2; }
if ! missing=$(servers_missing); then
    echo "$0: missing $(echo "$missing" | paste -sd ';' | sed 's/;/; /g'); tools/servers/install.sh installs them" >&2
    exit 3
fi
mkdir -p "$1"
dir=$(cd "$1" && pwd)
# env values are written unquoted: keep the paths in them plain.
[[ "$dir" =~ ^[A-Za-z0-9._/-]+$ ]] || { echo "$0: use a directory path of letters, digits and ._/- only (got '$dir')" >&2; exit 2; }
umask 077
"$here/certs.sh" "$dir"

die() { echo "$0: $*" >&2; exit 1; }
# The last lines of a server log, indented, for failure messages.
log_tail() { [ -f "$1" ] && tail -n 15 "$1" | sed 's/^/    /' >&2 || true; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A port nothing listens on, below the kernel's range for outgoing connections (ip_local_port_range, 32768
# by default): a port from that range can be held by any client's connection, and the bind would fail. $1 is a
# port to avoid.
free_port() {
    local p i low=32768
    [ -r /proc/sys/net/ipv4/ip_local_port_range ] && read -r low _ < /proc/sys/net/ipv4/ip_local_port_range
    [ "$low" -gt 11000 ] || low=32768
    for i in $(seq 1 50); do
        p=$((10000 + RANDOM % (low - 10000)))
        [ "$p" != "${1:-}" ] && ! port_busy "$p" && { echo "$p"; return 0; }
    done
    die "found no free port on 127.0.0.1"
}

# Values kept from an earlier start of this directory, else new ones; never the caller's own DATABASE_*/REDIS_*.
unset DATABASE_PORT DATABASE_PASSWORD DATABASE_ADMIN_PASSWORD REDIS_PORT REDIS_PASSWORD
if [ -f "$dir/env" ]; then . "$dir/env"; fi
pg_port=${DATABASE_PORT:-${SERVERS_PG_PORT:-$(free_port)}}
redis_port=${REDIS_PORT:-${SERVERS_REDIS_PORT:-$(free_port "$pg_port")}}
pg_password=${DATABASE_PASSWORD:-$(openssl rand -hex 24)}
pg_admin_password=${DATABASE_ADMIN_PASSWORD:-$(openssl rand -hex 24)}
redis_password=${REDIS_PASSWORD:-$(openssl rand -hex 24)}
ca="$dir/tls/ca.crt"
cat > "$dir/env" <<ENV
# Written by tools/servers/start.sh for the servers in this directory: throwaway credentials, never commit.
DATABASE_HOST=127.0.0.1
DATABASE_PORT=$pg_port
DATABASE_NAME=app
DATABASE_USER=app
DATABASE_PASSWORD=$pg_password
DATABASE_AUTH=password
DATABASE_CA_FILE=$ca
DATABASE_ADMIN_USER=postgres
DATABASE_ADMIN_PASSWORD=$pg_admin_password
REDIS_HOST=127.0.0.1
REDIS_PORT=$redis_port
REDIS_USER=app
REDIS_PASSWORD=$redis_password
REDIS_TLS=true
REDIS_AUTH=password
REDIS_CA_FILE=$ca
ENV

# ---- PostgreSQL ----
pg="$dir/pg"
data="$pg/data"
pg_user=$(pg_os_user)
start_pg() {
    mkdir -p "$pg"
    if [ "$(id -u)" = 0 ]; then
        # PostgreSQL refuses root: its files belong to $pg_user, who must be able to reach them.
        chmod o+x "$dir"
        chown -R "$pg_user" "$pg"
        as_pg_user test -w "$pg" || die "PostgreSQL runs as $pg_user (it refuses root) and cannot reach $pg: make the parent directories of $dir traversable (chmod o+x) or use a directory under /tmp"
    fi
    # A directory whose bootstrap did not finish is redone from scratch.
    if [ ! -f "$pg/initialized" ]; then
        rm -rf "$data"
        printf '%s\n' "$pg_admin_password" > "$pg/admin-password"
        [ "$(id -u)" = 0 ] && chown "$pg_user" "$pg/admin-password"
        as_pg_user "$(pg_bin initdb)" -D "$data" -U postgres --pwfile="$pg/admin-password" --auth=scram-sha-256 \
            --encoding=UTF8 --locale=C --no-sync > "$pg/initdb.log" 2>&1 || { log_tail "$pg/initdb.log"; die "initdb failed"; }
        rm -f "$pg/admin-password"
        # The app's role and database: the role owns the database, so its migrations can create tables.
        as_pg_user "$(pg_bin postgres)" --single -D "$data" postgres > "$pg/bootstrap.log" 2>&1 <<SQL || { log_tail "$pg/bootstrap.log"; die "creating the app role and database failed"; }
CREATE ROLE app LOGIN PASSWORD '$pg_password';
CREATE DATABASE app OWNER app;
SQL
        ! grep -q ERROR "$pg/bootstrap.log" || { log_tail "$pg/bootstrap.log"; die "creating the app role and database failed"; }
        touch "$pg/initialized"
    fi
    # Written on every start (later lines win over initdb's), so a changed port applies.
    install -m 600 "$dir/tls/server.crt" "$data/server.crt"
    install -m 600 "$dir/tls/server.key" "$data/server.key"
    cat > "$data/pg_hba.conf" <<HBA
# TLS and a SCRAM password, nothing else (what rds.force_ssl = 1 enforces): no local, no host, no trust.
hostssl all all 127.0.0.1/32 scram-sha-256
HBA
    cat > "$data/conf.d.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = ''  # every connection is TCP + TLS, as on RDS
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_min_protocol_version = 'TLSv1.2'
password_encryption = 'scram-sha-256'
# Throwaway data: no durability cost.
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    grep -q "^include 'conf.d.conf'" "$data/postgresql.conf" || echo "include 'conf.d.conf'" >> "$data/postgresql.conf"
    [ "$(id -u)" = 0 ] && chown "$pg_user" "$data"/server.* "$data/pg_hba.conf" "$data/conf.d.conf"
    as_pg_user "$(pg_bin pg_ctl)" start -D "$data" -l "$pg/postgres.log" -w -t 30 > /dev/null ||
        { log_tail "$pg/postgres.log"; die "PostgreSQL did not start"; }
}
if alive "$(pg_pid "$dir")"; then
    echo "PostgreSQL already running (pid $(pg_pid "$dir"))"
else
    port_busy "$pg_port" && die "port $pg_port (PostgreSQL, from $dir/env) is taken by another process: stop it or use a new directory"
    start_pg
fi

# ---- Redis / Valkey ----
redis="$dir/redis"
start_redis() {
    mkdir -p "$redis"
    # The users are the Cache component's (components/cache.ts APP_ACCESS_STRING, DISABLED_DEFAULT_ACCESS_STRING,
    # which test/servers compares), so the app meets the same refusals here (INFO is @dangerous, for one).
    # `reset` first: the built-in default user starts as `on nopass ~* &* +@all`, a fresh ElastiCache user bare.
    # Clients need no certificate (tls-auth-clients no), as with ElastiCache.
    cat > "$redis/redis.conf" <<CONF
bind 127.0.0.1
port 0
tls-port $redis_port
tls-cert-file $dir/tls/server.crt
tls-key-file $dir/tls/server.key
tls-ca-cert-file $dir/tls/ca.crt
tls-auth-clients no
tls-protocols "TLSv1.2 TLSv1.3"
user default reset off -@all
user app on ~* &* +@all -@dangerous >$redis_password
daemonize yes
pidfile $redis/redis.pid
logfile $redis/redis.log
dir $redis
save ""
appendonly no
CONF
    "$(redis_bin server)" "$redis/redis.conf" || { log_tail "$redis/redis.log"; die "$(redis_bin server) did not start"; }
}
if alive "$(redis_pid "$dir")"; then
    echo "$(basename "$(redis_bin server)") already running (pid $(redis_pid "$dir"))"
else
    port_busy "$redis_port" && die "port $redis_port (Redis, from $dir/env) is taken by another process: stop it or use a new directory"
    rm -f "$redis/redis.pid"
    start_redis
fi

# ---- Ready: both accept the app's authenticated TLS connection, verified against the CA ----
pg_ok() {
    PGPASSWORD=$pg_password PGCONNECT_TIMEOUT=2 "$(pg_bin psql)" -XAtq \
        "host=127.0.0.1 port=$pg_port dbname=app user=app sslmode=verify-full sslrootcert=$ca" -c 'select 1' 2>/dev/null | grep -qx 1
}
redis_ok() {
    [ "$(REDISCLI_AUTH=$redis_password timeout 3 "$(redis_bin cli)" --tls --cacert "$ca" -h 127.0.0.1 -p "$redis_port" \
        --user app ping 2>/dev/null)" = PONG ]
}
pg_ready=no redis_ready=no deadline=$((SECONDS + 30))
while :; do
    [ $pg_ready = yes ] || ! pg_ok || pg_ready=yes
    [ $redis_ready = yes ] || ! redis_ok || redis_ready=yes
    [ $pg_ready = yes ] && [ $redis_ready = yes ] && break
    [ $SECONDS -lt $deadline ] || break
    sleep 0.1
done
[ $pg_ready = yes ] || { log_tail "$pg/postgres.log"; die "PostgreSQL on 127.0.0.1:$pg_port does not accept the app's TLS connection"; }
[ $redis_ready = yes ] || { log_tail "$redis/redis.log"; die "Redis on 127.0.0.1:$redis_port does not accept the app's TLS connection"; }
echo "PostgreSQL on 127.0.0.1:$pg_port and $(basename "$(redis_bin server)") on 127.0.0.1:$redis_port, TLS only; settings in $dir/env"
