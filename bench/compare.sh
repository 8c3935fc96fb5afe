#!/usr/bin/env bash
# Side-by-side comparison of procpool with Python's multiprocessing.Pool on this machine.
#
#   bench/compare.sh [--quick] [--only pool|primitives]
#
# Builds bench/target/benchmarks.jar, then runs, interleaved rep by rep, the Python anchor scripts
# (shared/anchors/python-pool beside the repo, or $PYTHON_ANCHORS) and their procpool mirror
# dev.procpool.bench.SideBySide: same tasks, sizes and 2 workers; then python-mp/primitives.py with fork and
# with spawn and its mirror dev.procpool.bench.PrimitivesSideBySide (JvmProcess children, shared objects).
# Prints the tables (workload, Python, procpool, ratio, target, met?) and writes bench/results/compare.md,
# compare.png and the raw JSON lines (--quick: bench/results/quick/, so that a quick run does not replace the
# full results). --only runs one part: pool (the Pool anchors) or primitives (primitives.py).
#
#   full  : 3 reps (medians), maxtasksperchild 1 and 10 over 1,000 tasks once     (< 12 min on 2 cores)
#   quick : 1 rep, maxtasksperchild=1 over 100 tasks and =10 over 200 tasks        (< 3 min on 2 cores)
#
# Environment: PYTHON_ANCHORS (Pool anchor scripts), PYTHON_MP_ANCHORS (primitives.py; default: python-mp beside
# PYTHON_ANCHORS), PY (python3), JAVA (java), WORKER_JVM_ARGS (extra worker and child JVM options, e.g.
# "-XX:TieredStopAtLevel=1"), SUPERVISOR_JVM_ARGS, COMPARE_OUT (default bench/results[/quick]), SKIP_BUILD=1 (use
# the jar as built).
set -euo pipefail

MODE=full
PARTS="pool primitives"
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) MODE=quick ;;
    --only) PARTS=${2:-}; shift
      [[ $PARTS == pool || $PARTS == primitives ]] || { echo "--only pool|primitives" >&2; exit 2; } ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (usage: bench/compare.sh [--quick] [--only pool|primitives])" >&2; exit 2 ;;
  esac
  shift
done
part() { [[ " $PARTS " == *" $1 "* ]]; }

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(git -C "$HERE" rev-parse --show-toplevel 2>/dev/null || dirname "$HERE")
ANCHORS=${PYTHON_ANCHORS:-$ROOT/../shared/anchors/python-pool}
MP_ANCHORS=${PYTHON_MP_ANCHORS:-$(dirname "$ANCHORS")/python-mp}
PY=${PY:-python3}
JAVA=${JAVA:-java}
if [[ $MODE == quick ]]; then OUT=${COMPARE_OUT:-$HERE/results/quick}; else OUT=${COMPARE_OUT:-$HERE/results}; fi
RAW=$OUT/raw
JAR=$HERE/target/benchmarks.jar
WORKER_JVM_ARGS=${WORKER_JVM_ARGS:-}
read -r -a SUPERVISOR_OPTS <<< "${SUPERVISOR_JVM_ARGS:-}"

if [[ $MODE == quick ]]; then REPS=1; N_MTPC1=100; N_MTPC10=200; else REPS=3; N_MTPC1=1000; N_MTPC10=1000; fi

log() { echo "[$(date +%T)] $*" >&2; }

if part pool && [[ ! -f $ANCHORS/apply_latency.py ]]; then
  echo "Python anchors not found in $ANCHORS (set PYTHON_ANCHORS)" >&2; exit 2
fi
if part primitives && [[ ! -f $MP_ANCHORS/primitives.py ]]; then
  echo "primitives.py not found in $MP_ANCHORS (set PYTHON_MP_ANCHORS)" >&2; exit 2
fi
command -v "$PY" >/dev/null || { echo "$PY not found" >&2; exit 2; }

START=$SECONDS
COMMIT=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "?")
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
if awk -v n="$(nproc)" '{ exit !($1 > n / 2) }' /proc/loadavg 2>/dev/null; then
  log "warning: load average $LOAD_START on $(nproc) CPUs: other work on this machine will skew the numbers"
fi
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building bench/target/benchmarks.jar"
  (cd "$ROOT" && mvn -B -q -pl bench -am package -DskipTests) >&2
fi

mkdir -p "$RAW"
PY_OUT=$RAW/python.jsonl
PP_OUT=$RAW/procpool.jsonl
: > "$PY_OUT"
: > "$PP_OUT"
FAILED=0

python_anchor() {  # python_anchor SCRIPT ARGS...
  log "python  $*"
  "$PY" "$@" >> "$PY_OUT" || { log "FAILED: $PY $*"; FAILED=1; }
}

procpool() {  # procpool SIDEBYSIDE-ARGS...
  log "procpool SideBySide $*"
  "$JAVA" "${SUPERVISOR_OPTS[@]}" -Dprocpool.bench.workerJvmArgs="$WORKER_JVM_ARGS" \
    -cp "$JAR" dev.procpool.bench.SideBySide "$@" >> "$PP_OUT" 2> >(grep -v '^\[SideBySide\]' >&2) \
    || { log "FAILED: SideBySide $*"; FAILED=1; }
}

primitives() {  # primitives PRIMITIVESSIDEBYSIDE-ARGS...
  log "procpool PrimitivesSideBySide $*"
  "$JAVA" "${SUPERVISOR_OPTS[@]}" -Dprocpool.bench.workerJvmArgs="$WORKER_JVM_ARGS" \
    -cp "$JAR" dev.procpool.bench.PrimitivesSideBySide "$@" >> "$PP_OUT" 2> >(grep -v '^\[PrimitivesSideBySide\]' >&2) \
    || { log "FAILED: PrimitivesSideBySide $*"; FAILED=1; }
}

for rep in $(seq "$REPS"); do
  log "rep $rep/$REPS"
  if part primitives; then
    python_anchor "$MP_ANCHORS/primitives.py" --start fork
    python_anchor "$MP_ANCHORS/primitives.py" --start spawn
    primitives
  fi
  part pool || continue
  python_anchor "$ANCHORS/apply_latency.py"
  python_anchor "$ANCHORS/map_throughput.py"
  python_anchor "$ANCHORS/recycle_pool.py" --start fork --mtpc 100,None --n 1000
  python_anchor "$ANCHORS/cpu_scaling.py"
  python_anchor "$ANCHORS/payload.py"
  python_anchor "$HERE/python/idle_rss.py"
  procpool --only apply_latency,map_throughput,cpu_scaling,payload,idle_memory
  procpool --only recycle_pool --mtpc 100,None --n 1000
done
# one worker start per task: slow on both sides, measured once
if part pool; then
  python_anchor "$ANCHORS/recycle_pool.py" --start fork --mtpc 1 --n "$N_MTPC1"
  python_anchor "$ANCHORS/recycle_pool.py" --start fork --mtpc 10 --n "$N_MTPC10"
  procpool --only recycle_pool --mtpc 1 --n "$N_MTPC1"
  procpool --only recycle_pool --mtpc 10 --n "$N_MTPC10"
fi

log "report"
"$JAVA" -Djava.awt.headless=true -cp "$JAR" dev.procpool.bench.CompareReport "$PY_OUT" "$PP_OUT" "$OUT" \
  --mode "$MODE" --python-version "$("$PY" --version 2>&1)" --worker-jvm-args "$WORKER_JVM_ARGS" \
  --note "procpool built from commit $COMMIT. Load average (1/5/15 min) before the build: $LOAD_START; after the run: $(cut -d' ' -f1-3 /proc/loadavg \
2>/dev/null || echo "?") (anything else running on the machine skews both columns)."
log "wrote $OUT/compare.md and $OUT/compare.png in $((SECONDS - START)) s ($MODE)"
exit $FAILED
