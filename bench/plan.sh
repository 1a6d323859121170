#!/usr/bin/env bash
# Times `npm run plan` for each stack against the floor `node -e "require('@pulumi/aws')"` (the cost of
# loading the provider SDK alone) and prints the median wall time of each and the ratio plan/floor.
# Usage: bench/plan.sh [runs per command, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}

median_ms() { # command... -> median wall time in ms over $runs runs (after one warm-up)
    "$@" >/dev/null 2>&1
    local times=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1
        end=$(date +%s%N)
        times+=($(((end - start) / 1000000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

plan() { node -r ts-node/register/transpile-only tools/plan.ts --stack "$1"; }

floor=$(median_ms node -e "require('@pulumi/aws')")
printf '%-28s %7s ms\n' "floor: require @pulumi/aws" "$floor"
for stack in staging production; do
    t=$(median_ms plan "$stack")
    printf '%-28s %7s ms   %sx the floor\n' "plan --stack $stack" "$t" "$(awk -v a="$t" -v b="$floor" 'BEGIN {printf "%.2f", a / b}')"
done
echo "(median of $runs runs each after a warm-up; $(nproc) cores, node $(node --version))"
