#!/usr/bin/env bash
# bench/run-all.sh: measure everything bench/RESULTS.md reports, then regenerate that page from the files
# written here (bench/results/run-all/; a run of bin/city bench e2e by hand writes to bench/results/ and
# leaves them alone). Nothing on the page comes from anywhere else.
#
#   bench/run-all.sh            build, then: JMH with -prof gc; end to end at 100,000 msg/s over IPC with
#                               journaling on, node and conventional stack side by side; the stepped run; the
#                               throughput run; context runs (both stacks at 2,000 msg/s; the node
#                               busy-spinning; the node on one thread, --threading single, at 100,000 msg/s
#                               with backoff and busy-spinning and at full speed; the node with journaling off;
#                               the node without its journal pretoucher; the node with its journal on tmpfs);
#                               then bench/RESULTS.md.
#                               Then the OPC UA benchmark (bin/city bench opcua) with every item updated every second and
#                               every 200 ms, and the gateway's load test (bin/city bench gateway, 1,000 ride requests/s).
#   bench/run-all.sh --no-build use the jars already built
#   bench/run-all.sh --only jmh|opcua|gateway [--no-build]
#                               run that benchmark alone, keep the other files of the last whole run, and regenerate
#                               the page (its header keeps that run's commit and load averages, kept in run-all.env; the
#                               part's section names its own commit, kept in PART.commit)
#
# 10 to 15 minutes. Run it on a machine that is otherwise idle if the figures are to mean anything: every
# run records the load average next to its figures.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="bench/results/run-all"

build=yes
only=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=no ;;
    --only) only="${2:?--only needs a part: jmh, opcua or gateway}"; shift ;;
    *) echo "run-all: unknown argument $1 (--no-build, --only jmh|opcua|gateway)" >&2; exit 2 ;;
  esac
  shift
done
if [[ -n "$only" && "$only" != "jmh" && "$only" != "opcua" && "$only" != "gateway" ]]; then
  echo "run-all: --only takes jmh, opcua or gateway, was $only" >&2
  exit 2
fi

if [[ "$build" == yes ]]; then
  echo "run-all: building (./mvnw -q -B install -pl bench,app -am -DskipTests)" >&2
  ./mvnw -q -B install -pl bench,app -am -DskipTests
fi

# the commit measured, before this run replaces the committed result files
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(GIT_OPTIONAL_LOCKS=0 git status --porcelain 2>/dev/null | head -1)" ]]; then
  commit="$commit with uncommitted changes"
fi
commit_now="$commit"

mkdir -p "$results"

opcua() {
  local name="$1"
  shift
  echo "run-all: bin/city bench opcua $* --report $results/$name.json" >&2
  bin/city bench opcua "$@" --report "$results/$name.json" | tee "$results/$name.txt"
}

run_opcua() {
  rm -f "$results"/opcua-*
  # 120 s: at one update a second the 1,000 values of a round come in one message, so 30 s would make the p99 the worst of 30 messages
  opcua opcua-1000-1000ms --items 1000 --sampling-ms 100 --update-ms 1000 --duration 120 --restarts 5
  opcua opcua-1000-200ms --items 1000 --sampling-ms 100 --update-ms 200 --duration 30 --restarts 5
}

run_jmh() {
  rm -f "$results"/jmh.*
  echo "run-all: $jmh_command" >&2
  $jmh_command | tee "$results/jmh.txt"
}

run_gateway() {
  rm -f "$results"/gateway-*
  echo "run-all: bin/city bench gateway --rate 1000 --seconds 30 --warmup 20 --report $results/gateway-1000.json" >&2
  bin/city bench gateway --rate 1000 --seconds 30 --warmup 20 --report "$results/gateway-1000.json" | tee "$results/gateway-1000.txt"
}

if [[ -n "$only" ]]; then
  if [[ ! -f "$results/run-all.env" ]]; then
    echo "run-all: no $results/run-all.env of a whole run: run bench/run-all.sh without --only first" >&2
    exit 2
  fi
  # shellcheck source=/dev/null
  source "$results/run-all.env"
  "run_$only"
  printf '%s\n' "$commit_now" > "$results/$only.commit"
  java -cp app/target/city.jar kr.sejong.city.bench.e2e.ResultsPage "$results" bench/RESULTS.md \
    "$jmh_command" "$load_before" "$load_after" "$commit"
  exit 0
fi

rm -f "$results"/*.json "$results"/*.hgrm "$results"/*.png "$results"/*.txt "$results"/*.md "$results"/*.commit

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

jmh_command="java -jar bench/target/benchmarks.jar -prof gc -rf json -rff $results/jmh.json"
run_jmh

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
e2e e2e-ipc-100000-single --rate 100000 --duration 10 --warmup 5 --transport ipc --journal on --stack node --threading single
e2e e2e-ipc-100000-single-busyspin --rate 100000 --duration 10 --warmup 5 --transport ipc --journal on --stack node --threading single --idle busy-spin
e2e e2e-throughput-ipc-single --throughput --duration 10 --warmup 5 --transport ipc --journal on --stack node --threading single
e2e e2e-ipc-100000-nojournal --rate 100000 --duration 10 --warmup 5 --transport ipc --journal off --stack node
e2e e2e-ipc-100000-nopretouch --rate 100000 --duration 10 --warmup 5 --transport ipc --journal on --stack node --pretouch off
e2e e2e-ipc-100000-tmpfs --rate 100000 --duration 10 --warmup 5 --transport ipc --journal on --stack node --data /dev/shm

run_opcua
run_gateway

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'commit=%q\nload_before=%q\nload_after=%q\njmh_command=%q\n' "$commit" "$load_before" "$load_after" "$jmh_command" \
  > "$results/run-all.env"
java -cp app/target/city.jar kr.sejong.city.bench.e2e.ResultsPage "$results" bench/RESULTS.md \
  "$jmh_command" "$load_before" "$load_after" "$commit"
