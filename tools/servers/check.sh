#!/usr/bin/env bash
# Exit 0 when every binary the harness needs is installed; otherwise print what is missing, with its
# Debian package, and exit 3 (the status test/servers reads as "skip: not installed"; any other is a failure).
set -euo pipefail
. "$(dirname "$0")/common.sh"
if ! missing=$(servers_missing); then
    echo "missing: $(echo "$missing" | paste -sd ';' | sed 's/;/; /g') (tools/servers/install.sh installs them)"
    exit 3
fi
