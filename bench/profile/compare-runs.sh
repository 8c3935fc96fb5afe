#!/usr/bin/env bash
# compare.sh --quick several times per build, the builds interleaved run by run (so that the machine's drift hits
# each alike), then each row's procpool figure per run and build, and the spread between runs of one build: the
# noise that a before/after difference has to exceed.
#   bench/profile/compare-runs.sh RUNS NAME=CHECKOUT [NAME=CHECKOUT ...]
#   e.g. bench/profile/compare-runs.sh 4 before=/tmp/old after=.
# Each CHECKOUT must be built (compare.sh runs with SKIP_BUILD=1). The first NAME is the reference the others are
# judged against. Env: PYTHON_ANCHORS, ONLY (compare.sh's --only part, default pool), OUT (default
# bench/profile/out/compare-runs). Output: OUT/NAME-RUN/compare.md, then the table on stdout.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
RUNS=${1:?usage: compare-runs.sh RUNS NAME=CHECKOUT [NAME=CHECKOUT ...]}
shift
[[ $# -ge 1 ]] || { echo "usage: compare-runs.sh RUNS NAME=CHECKOUT [NAME=CHECKOUT ...]" >&2; exit 2; }
OUT=${OUT:-$HERE/out/compare-runs}
mkdir -p "$OUT"
names=()
for build in "$@"; do
  name=${build%%=*}; dir=$(cd "${build#*=}" && pwd)
  [[ -x $dir/bench/compare.sh ]] || { echo "no bench/compare.sh in $dir" >&2; exit 2; }
  names+=("$name")
done
for ((run = 1; run <= RUNS; run++)); do
  for build in "$@"; do
    name=${build%%=*}; dir=$(cd "${build#*=}" && pwd)
    only=(--only "${ONLY:-pool}")
    grep -q -- '--only)' "$dir/bench/compare.sh" || only=() # older builds' compare.sh runs the pool part only
    (cd "$dir" && SKIP_BUILD=1 COMPARE_OUT="$OUT/$name-$run" bench/compare.sh --quick "${only[@]}" \
      > "$OUT/$name-$run.log" 2>&1) || echo "run $run of $name failed: see $OUT/$name-$run.log" >&2
    echo "$(date -u +%T) run $run/$RUNS of $name, load $(cut -d' ' -f1 /proc/loadavg)" >&2
  done
done
${PY:-python3} "$HERE/compare_runs.py" "$OUT" "$RUNS" "${names[@]}"
