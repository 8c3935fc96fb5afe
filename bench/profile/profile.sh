#!/usr/bin/env bash
# Where the time goes in one steady procpool operation (dev.procpool.bench.ProfileLoad on a 2-worker pool).
#
#   bench/profile/profile.sh threads OP [SECONDS]   per-thread CPU time and context switches per operation
#                                                   (perf stat --per-thread on the supervisor and both workers)
#   bench/profile/profile.sh jfr OP [SECONDS]       JFR on the supervisor (flag) and the workers (jcmd JFR.start),
#                                                   then hot methods per thread and allocation sites
#
# OP: apply | applyAsync20k | map1M | map20kcs1 | payload1MiB. Needs bench/target/benchmarks.jar (compare.sh builds
# it), perf for "threads", the JDK's jcmd and jfr for "jfr". Env: SUPERVISOR_JVM_ARGS (e.g. -XX:+UseParallelGC),
# WORKER_JVM_ARGS, OUT (default bench/profile/out/OP). Do not put -XX:StartFlightRecording in WORKER_JVM_ARGS: JDK 17
# prints "Started recording" on the worker's stdout, the protocol channel.
set -euo pipefail
MODE=${1:?usage: profile.sh threads|jfr OP [SECONDS]}
OP=${2:?usage: profile.sh threads|jfr OP [SECONDS]}
SECS=${3:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-$HERE/../target/benchmarks.jar}
OUT=${OUT:-$HERE/out/$OP}
read -r -a SUP <<< "${SUPERVISOR_JVM_ARGS:-}"
mkdir -p "$OUT"
rm -f "$OUT"/*.jfr

JFR_FLAG=()
if [[ $MODE == jfr ]]; then
  JFR_FLAG=(-XX:StartFlightRecording=delay=2s,duration=${SECS}s,filename=$OUT/supervisor.jfr,settings=profile)
fi
java "${SUP[@]}" "${JFR_FLAG[@]}" -Dprocpool.bench.workerJvmArgs="${WORKER_JVM_ARGS:-}" \
  -cp "$JAR" dev.procpool.bench.ProfileLoad "$OP" "$((SECS + 1))" > "$OUT/load.txt" 2> "$OUT/load.err" &
LOAD=$!
# ProfileLoad prints the worker pids, warms up for 2 s, then prints "measuring"
for _ in $(seq 600); do grep -q "worker pids" "$OUT/load.err" 2>/dev/null && break; sleep 0.05; done
WORKERS=$(grep -o "worker pids \[.*\]" "$OUT/load.err" | tr -d '[],' | cut -d' ' -f3-)

if [[ $MODE == jfr ]]; then
  for p in $WORKERS; do
    jcmd "$p" JFR.start delay=2s duration=${SECS}s filename="$OUT/worker-$p.jfr" settings=profile > /dev/null || true
  done
  wait $LOAD
  cat "$OUT/load.txt"
  for f in "$OUT"/*.jfr; do [[ -s $f ]] && python3 "$HERE/jfr_summary.py" "$f"; done
  exit 0
fi

for _ in $(seq 600); do grep -q "measuring" "$OUT/load.err" 2>/dev/null && break; sleep 0.05; done
for p in $LOAD $WORKERS; do  # thread ids -> Java thread names
  jstack "$p" 2>/dev/null | sed -nE 's/^"([^"]*)".* nid=0x([0-9a-f]+).*/\2 \1/p' |
    while read -r hex name; do echo "$((16#$hex)) $p $name"; done
done > "$OUT/threads.txt"
perf stat --per-thread -e task-clock,context-switches,cpu-migrations -p "$(echo $LOAD $WORKERS | tr ' ' ,)" \
  -x, -o "$OUT/perf.csv" -- sleep "$SECS"
wait $LOAD
cat "$OUT/load.txt"
python3 "$HERE/perf_threads.py" "$OUT" "$SECS"
