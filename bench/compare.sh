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
#   full  : 3 reps (medians), maxtasksperchild 1 and 10 over 1,000 tasks once     (< 15 min on 2 cores)
#   quick : 1 rep, maxtasksperchild=1 over 100 tasks and =10 over 200 tasks        (< 3 min on 2 cores)
#
# Worker start is measured twice: with the application on the benchmarks jar and on class directories
# (bench/pool-core/pool-worker target/classes and the dependency jars: how tests and IDEs run), rows "jar
# classpath" and "dir classpath". Whole programs (a pool of 1, one apply, exit; Python's equivalent; a JVM that
# prints hello, the floor) are timed as processes, WHOLE_RUNS times each after one warm-up, wall and CPU (user +
# sys of the process and the children it reaped).
#
# Where Slurm answers (sinfo; e.g. shared/slurm/slurm-up.sh), apply_latency, map_throughput and payload also run
# with the Slurm launcher (workers as job steps of one two-node allocation requested here and cancelled at the end):
# the table's last column. COMPARE_SLURM=0 skips that.
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
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
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

if [[ $MODE == quick ]]; then REPS=1; N_MTPC1=100; N_MTPC10=200; WHOLE_RUNS=5
else REPS=3; N_MTPC1=1000; N_MTPC10=1000; WHOLE_RUNS=11; fi

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

# the same classes as the jar, from directories: the dependency jars plus each module's target/classes
DEPS=$HERE/target/deps.classpath
(cd "$ROOT" && mvn -B -o -q -pl bench dependency:build-classpath -Dmdep.outputFile="$DEPS" \
  -Dmdep.includeScope=runtime) >&2
DIR_CP=$HERE/target/classes:$ROOT/pool-core/target/classes:$ROOT/pool-worker/target/classes
for entry in $(tr ':' ' ' < "$DEPS"); do
  [[ $entry == */dev/procpool/* ]] || DIR_CP=$DIR_CP:$entry
done

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

PS_OUT=$RAW/procpool-slurm.jsonl
: > "$PS_OUT"
SLURM_JOB=""
if part pool && [[ ${COMPARE_SLURM:-1} != 0 ]] && sinfo -h >/dev/null 2>&1; then
  SLURM_JOB=$(salloc --no-shell -N2 --immediate=60 --job-name=procpool-bench 2>&1 \
    | sed -n 's/.*Granted job allocation \([0-9]*\).*/\1/p' || true)
  if [[ -n $SLURM_JOB ]]; then trap 'scancel "$SLURM_JOB"' EXIT; else log "no Slurm allocation: no Slurm column"; fi
fi

procpool_slurm() {  # procpool_slurm SIDEBYSIDE-ARGS...: the same, workers as job steps of $SLURM_JOB
  [[ -n $SLURM_JOB ]] || return 0
  log "procpool SideBySide (Slurm job $SLURM_JOB) $*"
  "$JAVA" "${SUPERVISOR_OPTS[@]}" -Dprocpool.bench.workerJvmArgs="$WORKER_JVM_ARGS" -Dprocpool.bench.slurm="$SLURM_JOB" \
    -cp "$JAR" dev.procpool.bench.SideBySide "$@" >> "$PS_OUT" 2> >(grep -v '^\[SideBySide\]' >&2) \
    || { log "FAILED: SideBySide on Slurm $*"; FAILED=1; }
}

procpool_dir() {  # procpool_dir SIDEBYSIDE-ARGS...: the same, the application on class directories
  log "procpool SideBySide (dir classpath) $*"
  "$JAVA" "${SUPERVISOR_OPTS[@]}" -Dprocpool.bench.workerJvmArgs="$WORKER_JVM_ARGS" \
    -Dprocpool.bench.classpathKind=dir -cp "$DIR_CP" dev.procpool.bench.SideBySide "$@" >> "$PP_OUT" \
    2> >(grep -v '^\[SideBySide\]' >&2) || { log "FAILED: SideBySide (dir) $*"; FAILED=1; }
}

whole() {  # whole NAME OUT COMMAND...: time a whole process WHOLE_RUNS times after one warm-up
  local name=$1 out=$2 t real user sys i
  shift 2
  log "whole process $name x$WHOLE_RUNS: $*"
  "$@" > /dev/null 2>&1 || { log "FAILED: $*"; FAILED=1; return 0; } # warm-up: caches, CDS archive
  local TIMEFORMAT='%3R %3U %3S'
  for i in $(seq "$WHOLE_RUNS"); do
    t=$( { time "$@" > /dev/null 2>&1; } 2>&1 ) || { log "FAILED: $*"; FAILED=1; return 0; }
    read -r real user sys <<< "$t"
    awk -v n="$name" -v r="$real" -v u="$user" -v s="$sys" -v i="$i" 'BEGIN { printf \
      "{\"script\": \"compare.sh\", \"name\": \"%s\", \"wall_ms\": %.1f, \"cpu_ms\": %.1f, \"run\": %d}\n", \
      n, r * 1000, (u + s) * 1000, i }' >> "$out"
  done
}

if part pool; then
  whole floor.hello_jvm "$PP_OUT" "$JAVA" -Xshare:auto -cp "$HERE/target/classes" dev.procpool.bench.Hello
  whole pool_fork.whole.one_apply "$PY_OUT" "$PY" "$HERE/python/one_apply.py" fork
  whole pool_spawn.whole.one_apply "$PY_OUT" "$PY" "$HERE/python/one_apply.py" spawn
  whole procpool.whole.one_apply "$PP_OUT" "$JAVA" "${SUPERVISOR_OPTS[@]}" -cp "$JAR" dev.procpool.bench.OneApply
  whole procpool_dir.whole.one_apply "$PP_OUT" "$JAVA" "${SUPERVISOR_OPTS[@]}" -cp "$DIR_CP" \
    dev.procpool.bench.OneApply
fi

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
  procpool_slurm --only apply_latency,map_throughput,payload
  procpool --only startup          # the program's first pool, each in a fresh JVM
  procpool_dir --only startup
  procpool_dir --only recycle_pool --mtpc 100,None --n 1000
done
# one worker start per task: slow on both sides, measured once
if part pool; then
  python_anchor "$ANCHORS/recycle_pool.py" --start fork --mtpc 1 --n "$N_MTPC1"
  python_anchor "$ANCHORS/recycle_pool.py" --start fork --mtpc 10 --n "$N_MTPC10"
  procpool --only recycle_pool --mtpc 1 --n "$N_MTPC1"
  procpool --only recycle_pool --mtpc 10 --n "$N_MTPC10"
  procpool_dir --only recycle_pool --mtpc 1 --n "$N_MTPC1"
  procpool_dir --only recycle_pool --mtpc 10 --n "$N_MTPC10"
fi

log "report"
"$JAVA" -Djava.awt.headless=true -cp "$JAR" dev.procpool.bench.CompareReport "$PY_OUT" "$PP_OUT" "$OUT" \
  --mode "$MODE" ${SLURM_JOB:+--slurm "$PS_OUT"} --python-version "$("$PY" --version 2>&1)" --worker-jvm-args "$WORKER_JVM_ARGS" \
  --note "procpool built from commit $COMMIT. Load average (1/5/15 min) before the build: $LOAD_START; after the run: $(cut -d' ' -f1-3 /proc/loadavg \
2>/dev/null || echo "?") (anything else running on the machine skews both columns)."
log "wrote $OUT/compare.md and $OUT/compare.png in $((SECONDS - START)) s ($MODE)"
exit $FAILED
