#!/usr/bin/env bash
# Times the offline plan against the floor, the cost of loading the provider SDK alone, and prints
# medians and ratios:
#  - floor: `node -e "require('@pulumi/aws')"`, with node's compile cache in the same folder the plan
#    uses (tools/register.js enables it), so the ratio compares like with like; the floor without any
#    compile cache is printed too, for reference;
#  - `npm run plan -- --stack <staging|production>` (the command of package.json's plan script);
#  - the marginal cost per 100 resources: a generated project (bench/gen-program.js: tagged, dependent,
#    realistic resources; it passes the policy pack) of 100, 300 and 1000 resources planned with
#    `--dir`, pack on.
# Every command runs once to warm up (and fill the caches), then all commands take turns, so load from
# elsewhere on the machine spreads over all of them alike.
# Usage: bench/plan.sh [runs per command, default 5]
#   BENCH_PLAN="node -r ts-node/register/transpile-only tools/plan.ts" bench/plan.sh   times another plan command
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
plan=${BENCH_PLAN:-$(node -p 'require("./package.json").scripts.plan')}
compile_cache="$PWD/node_modules/.cache/node-compile-cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

names=()
commands=()
add() { names+=("$1"); commands+=("$2"); }

add floor "node -e \"require('node:module').enableCompileCache('$compile_cache'); require('@pulumi/aws')\""
add floor-nocache "NODE_DISABLE_COMPILE_CACHE=1 node -e \"require('@pulumi/aws')\""
add staging "$plan --stack staging"
add production "$plan --stack production"
declare -A size
for n in 100 300 1000; do
    size[gen$n]=$(node bench/gen-program.js "$work/gen$n" "$n")
    add "gen$n" "$plan --dir $work/gen$n --stack dev"
done

for i in "${!commands[@]}"; do # warm-up; a plan must complete (0 passed, 3 mandatory violations)
    code=0
    bash -c "${commands[$i]}" >"$work/out" 2>&1 || code=$?
    if [ "$code" -ne 0 ] && [ "$code" -ne 3 ]; then
        echo "${names[$i]} failed (exit $code): ${commands[$i]}" >&2
        tail -20 "$work/out" >&2
        exit 1
    fi
done

declare -A times
for _ in $(seq "$runs"); do
    for i in "${!commands[@]}"; do
        start=$(date +%s%N)
        bash -c "${commands[$i]}" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        times[${names[$i]}]+="$(((end - start) / 1000000)) "
    done
done
median() { printf '%s\n' ${times[$1]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

floor=$(median floor)
printf '%-44s %6s ms\n' "floor: require @pulumi/aws (compile cache)" "$floor"
printf '%-44s %6s ms   (reference)\n' "floor without compile cache" "$(median floor-nocache)"
for stack in staging production; do
    t=$(median "$stack")
    printf '%-44s %6s ms   %sx the floor\n' "plan --stack $stack" "$t" "$(ratio "$t" "$floor")"
done
for n in 100 300 1000; do
    t=$(median "gen$n")
    printf '%-44s %6s ms   %sx the floor\n' "plan --dir <generated, ${size[gen$n]} resources>" "$t" "$(ratio "$t" "$floor")"
done
# Least-squares slope of time over resource count, per 100 resources.
slope=$(for n in 100 300 1000; do echo "${size[gen$n]} $(median "gen$n")"; done |
    awk '{x[NR]=$1; y[NR]=$2; sx+=$1; sy+=$2} END {mx=sx/NR; my=sy/NR; for (i=1;i<=NR;i++) {num+=(x[i]-mx)*(y[i]-my); den+=(x[i]-mx)^2} printf "%.0f", 100*num/den}')
printf '%-44s %6s ms   (least squares over the three sizes)\n' "marginal cost per 100 resources" "$slope"
echo "(median of $runs runs each after a warm-up, commands taking turns; $(nproc) cores, node $(node --version); plan: $plan)"
