#!/usr/bin/env bash
# JMH benchmarks of the starter's per-request decision. See README.md. Any JMH option
# passes through, for instance:
#
#   benchmarks/jmh.sh                          # every benchmark, 1 fork, 3 x 2 s warm-up, 5 x 2 s
#   benchmarks/jmh.sh servedActiveRequest -prof gc
#   benchmarks/jmh.sh -f 1 -wi 1 -i 1 -r 1s -w 1s
#   benchmarks/jmh.sh -h                       # JMH's options
#
# SKIP_BUILD=1 reuses the last build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
classpath="$("$here/classpath.sh")"
exec java -cp "$classpath" org.openjdk.jmh.Main "$@"
