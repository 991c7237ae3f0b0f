#!/usr/bin/env bash
# bench/journal-stalls.sh DIR [RATE_PER_S] [SECONDS] [pretouch|pretouch-read]: the journal's append tail on this machine,
# without the rest of the node (kr.sejong.city.bench.JournalAppendStalls; docs/journal-pretouch.md).
# DIR must not exist yet; it is deleted afterwards. Needs a build (bin/city builds one on first use).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:?usage: bench/journal-stalls.sh DIR [RATE_PER_S] [SECONDS] [pretouch|pretouch-read]}"
trap 'rm -rf "$dir"' EXIT
# the flags every JVM of the node needs (the pom's city.jvm.flags; the jar's manifest only applies to java -jar)
exec_flags=(--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true)
java "${exec_flags[@]}" -cp "$root/app/target/city.jar" kr.sejong.city.bench.JournalAppendStalls "$dir" "${2:-200000}" "${3:-10}" ${4:-}
