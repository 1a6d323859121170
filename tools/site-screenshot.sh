#!/usr/bin/env bash
# Renders the placeholder UI in headless Chromium (Debian's `chromium`) against tools/site-server.ts
# and writes screenshots: the home page with the API up, with the API down, and the 404 page.
# Usage: tools/site-screenshot.sh [output folder, default /tmp/webstack-site]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/webstack-site}
mkdir -p "$out"
command -v chromium >/dev/null || { echo "needs Debian's chromium: apt-get install -y chromium" >&2; exit 2; }

shoot() { # name environment api-status path
    local port=$((18000 + RANDOM % 1000))
    node -r ts-node/register/transpile-only tools/site-server.ts "$port" "$2" "$3" >/dev/null &
    local server=$!
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" --hide-scrollbars \
        --window-size=1024,640 --virtual-time-budget=8000 --screenshot="$out/$1.png" "http://127.0.0.1:$port$4" 2>/dev/null
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" \
        --virtual-time-budget=8000 --dump-dom "http://127.0.0.1:$port$4" 2>/dev/null > "$out/$1.html"
    kill "$server"
    echo "$out/$1.png"
}

shoot home-api-up production 200 /
shoot home-api-down staging 503 /
shoot not-found staging 200 /no/such/page
