#!/usr/bin/env bash
# Usage: tools/servers/install.sh
# Installs, from the Debian packages, whatever tools/servers/start.sh needs and the machine lacks
# (postgresql, postgresql-client, redis-server, redis-tools, openssl); installs nothing when all are there.
# Needs root (or sudo) and apt-get. Package postinst scripts may start a system PostgreSQL on 5432 or Redis on
# 6379 where a service manager runs; start.sh never uses those (its own servers, its own free ports).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
missing=$(servers_missing) && { echo "tools/servers: everything is installed"; exit 0; }
# "<binary> (Debian package <pkg>)" lines -> the package names, once each.
packages=$(echo "$missing" | sed -n 's/.*(Debian package \([^)]*\)).*/\1/p' | sort -u | tr '\n' ' ')
command -v apt-get >/dev/null || { echo "$0: apt-get not found; install these packages: $packages" >&2; exit 1; }
sudo=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "$0: run as root (or install sudo) to install: $packages" >&2; exit 1; }
    sudo=(sudo)
fi
echo "tools/servers: installing $packages"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# shellcheck disable=SC2086 # one word per package
"${sudo[@]}" apt-get install -y -qq --no-install-recommends $packages
missing=$(servers_missing) || { echo "$0: still missing after install: $missing" >&2; exit 1; }
