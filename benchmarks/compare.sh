#!/usr/bin/env bash
# Load comparison: the benchmark application twice on the same store, the starter enabled
# in one JVM and disabled in the other, loaded by wrk in alternating rounds. See README.md.
#
#   benchmarks/compare.sh --profile=redis-default        # 60 s warm-up each, 8 rounds of 20 s
#   benchmarks/compare.sh --profile=jdbc-h2 --warmup=5s --rounds=2 --duration=5s
#
# Options (--name=value): profile (redis-default, redis-indexed, jdbc-h2, jdbc-postgres),
# warmup, rounds, duration, connections, threads, jvm-options, redis-host, redis-port,
# postgres-url, postgres-user, postgres-password, wrk, log-dir, startup-timeout, load,
# against (disabled, or enabled for an A/A run that shows the noise of the method).
# SKIP_BUILD=1 reuses the last build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v wrk >/dev/null 2>&1 && [[ " $* " != *" --wrk="* ]]; then
	echo "wrk is not installed; install it with: apt-get update && apt-get install -y wrk" >&2
	exit 1
fi
classpath="$("$here/classpath.sh")"
exec java -Xmx256m -cp "$classpath" dev.sessiontimeout.benchmarks.LoadComparison \
	--log-dir="$here/target/load-comparison" "$@"
