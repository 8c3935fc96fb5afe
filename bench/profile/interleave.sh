#!/usr/bin/env bash
# Before/after on one machine: runs SideBySide from several benchmark jars, interleaved rep by rep (so that the
# machine's drift hits every build alike), then prints each row's median and interquartile range per build.
#   bench/profile/interleave.sh REPS NAME=JAR [NAME=JAR ...]
#   e.g. bench/profile/interleave.sh 12 before=/tmp/old/benchmarks.jar after=bench/target/benchmarks.jar
# ONLY (default apply_latency,map_throughput): SideBySide's --only. Output: bench/profile/out/interleave/NAME.jsonl.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPS=${1:?usage: interleave.sh REPS NAME=JAR [NAME=JAR ...]}
shift
[[ $# -ge 1 ]] || { echo "usage: interleave.sh REPS NAME=JAR [NAME=JAR ...]" >&2; exit 2; }
OUT=$HERE/out/interleave
mkdir -p "$OUT"
names=()
for build in "$@"; do
  name=${build%%=*}; jar=${build#*=}
  [[ -f $jar ]] || { echo "no jar at $jar" >&2; exit 2; }
  names+=("$name"); : > "$OUT/$name.jsonl"
done
for ((rep = 1; rep <= REPS; rep++)); do
  for build in "$@"; do
    name=${build%%=*}; jar=${build#*=}
    ${JAVA:-java} -cp "$jar" dev.procpool.bench.SideBySide --only "${ONLY:-apply_latency,map_throughput}" \
      >> "$OUT/$name.jsonl" 2>/dev/null || echo "rep $rep of $name failed" >&2
  done
  echo "$(date -u +%T) rep $rep/$REPS, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done
${PY:-python3} "$HERE/interleave.py" "$OUT" "${names[@]}"
