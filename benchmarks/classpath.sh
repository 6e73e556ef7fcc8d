#!/usr/bin/env bash
# Builds the benchmarks module together with the starter modules it measures (the working
# tree's code, tests skipped) and prints the class path to run it with. Used by compare.sh
# and jmh.sh. SKIP_BUILD=1 reuses the last build; MVN_ARGS adds Maven options (e.g. -o).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
	echo "Building benchmarks and the starter (mvn -pl benchmarks -am package, tests skipped)..." >&2
	(cd "$here/.." && mvn -B -q ${MVN_ARGS:-} -pl benchmarks -am package -Dmaven.test.skip=true -Djacoco.skip=true) >&2
fi
if [ ! -f "$here/target/classpath.txt" ]; then
	echo "No $here/target/classpath.txt: run without SKIP_BUILD=1 once" >&2
	exit 1
fi
echo "$here/target/classes:$(cat "$here/target/classpath.txt")"
