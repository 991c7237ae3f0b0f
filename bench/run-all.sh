#!/usr/bin/env bash
# bench/run-all.sh: measure everything bench/RESULTS.md reports, then regenerate that page from the files
# written here (bench/results/run-all/; a run of bin/city bench e2e by hand writes to bench/results/ and
# leaves them alone). Nothing on the page comes from anywhere else.
#
#   bench/run-all.sh            build, then: JMH with -prof gc; end to end at 100,000 msg/s over IPC with
#                               journaling on, node and conventional stack side by side; the stepped run; the
#                               throughput run; five context runs (both stacks at 2,000 msg/s; the node
#                               busy-spinning; the node with journaling off; the node without its journal
#                               pretoucher; the node with its journal on tmpfs); then bench/RESULTS.md.
#   bench/run-all.sh --no-build use the jars already built
#
# 10 to 15 minutes. Run it on a machine that is otherwise idle if the figures are to mean anything: every
# run records the load average next to its figures.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="bench/results/run-all"

if [[ "${1:-}" != "--no-build" ]]; then
  echo "run-all: building (./mvnw -q -B install -pl bench,app -am -DskipTests)" >&2
  ./mvnw -q -B install -pl bench,app -am -DskipTests
fi

# the commit measured, before this run replaces the committed result files
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(GIT_OPTIONAL_LOCKS=0 git status --porcelain 2>/dev/null | head -1)" ]]; then
  commit="$commit with uncommitted changes"
fi

mkdir -p "$results"
rm -f "$results"/*.json "$results"/*.hgrm "$results"/*.png "$results"/*.txt

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

jmh_command="java -jar bench/target/benchmarks.jar -prof gc -rf json -rff $results/jmh.json"
echo "run-all: $jmh_command" >&2
$jmh_command | tee "$results/jmh.txt"

e2e() {
  local name="$1"
  shift
  echo "run-all: bin/city bench e2e $* --report $results/$name.json" >&2
  bin/city bench e2e "$@" --report "$results/$name.json" | tee "$results/$name.txt"
}

e2e e2e-ipc-100000 --rate 100000 --duration 10 --warmup 5 --transport ipc --journal on --stack both
e2e e2e-step-ipc --step --duration 10 --warmup 5 --transport ipc --journal on --stack node
e2e e2e-throughput-ipc --throughput --duration 10 --warmup 5 --transport ipc --journal on --stack both
e2e e2e-ipc-2000 --rate 2000 --duration 10 --warmup 5 --transport ipc --journal on --stack both
e2e e2e-ipc-100000-busyspin --rate 100000 --duration 10 --warmup 5 --transport ipc --journal on --stack node --idle busy-spin
e2e e2e-ipc-100000-nojournal --rate 100000 --duration 10 --warmup 5 --transport ipc --journal off --stack node
e2e e2e-ipc-100000-nopretouch --rate 100000 --duration 10 --warmup 5 --transport ipc --journal on --stack node --pretouch off
e2e e2e-ipc-100000-tmpfs --rate 100000 --duration 10 --warmup 5 --transport ipc --journal on --stack node --data /dev/shm

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
java -cp app/target/city.jar kr.sejong.city.bench.e2e.ResultsPage "$results" bench/RESULTS.md \
  "$jmh_command" "$load_before" "$load_after" "$commit"
