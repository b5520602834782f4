#!/usr/bin/env bash
# The bindings' overhead benchmark: the same index and queries searched (k=10, L=64) from Java directly and
# from every language through the C ABI, single-thread QPS (best pass) and batch QPS. Not part of CI: the
# numbers need an idle machine. Results are recorded in docs/PERFORMANCE.md.
#   bindings/bench.sh INDEX QUERIES.fvecs [rounds=2] [passes=5] [warmup-seconds=5]
# INDEX is an in-memory index file (./diskann eval --save-index, or any binding's save). Languages run one
# after another, never at once, each right after a Java run; compare each language with the Java row just
# before it (bindings/bench-summary.py does, taking the median ratio over rounds). The Java rows also carry
# api_us and bridge_us: the bridge's own cost without JNI, measured in one JVM in alternating passes.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
INDEX="$(realpath "$1")"; QUERIES="$(realpath "$2")"; ROUNDS="${3:-2}"; PASSES="${4:-5}"; WARMUP="${5:-5}"
. "$HERE/../.ci/find-jdk"; diskann_find_jdk
NATIVE="$HERE/c/target/native"
make -s -C "$HERE/c" "target/native/bench" JAVA_HOME="$JAVA_HOME" >/dev/null
(cd "$HERE/node" && { [ -d node_modules/node-gyp ] || npm install --ignore-scripts --no-audit --no-fund --loglevel=error; } \
  && npx node-gyp rebuild --nodedir="${NODE_DIR:-/usr}" --loglevel=warn >/dev/null)
(cd "$HERE/go" && go build -o "$NATIVE/bench-go" ./cmd/bench)
make -s -C "$HERE/csharp" build >/dev/null
mcs -out:"$HERE/csharp/build/Bench.exe" -r:"$HERE/csharp/build/Diskann.dll" -r:System.Core "$HERE/csharp/bench/Bench.cs" >/dev/null
quiet() { grep -v -e 'Using incubator modules' -e 'SimdSupport select' -e 'INFO: diskann-java' || true; }
run() { # $1 = language
  case "$1" in
    java) "$JAVA" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xrs ${DISKANN_JVM_OPTS:-} \
            -cp "$NATIVE/jars/*" io.diskann.capi.BindingBench "$INDEX" "$QUERIES" "$PASSES" "$WARMUP" ;;
    c) "$NATIVE/bench" "$INDEX" "$QUERIES" "$PASSES" "$WARMUP" ;;
    python) python3 "$HERE/python/bench.py" "$INDEX" "$QUERIES" "$PASSES" "$WARMUP" ;;
    node) node "$HERE/node/bench.js" "$INDEX" "$QUERIES" "$PASSES" "$WARMUP" ;;
    go) "$NATIVE/bench-go" "$INDEX" "$QUERIES" "$PASSES" "$WARMUP" ;;
    csharp) LD_LIBRARY_PATH="$NATIVE" mono "$HERE/csharp/build/Bench.exe" "$INDEX" "$QUERIES" "$PASSES" "$WARMUP" ;;
  esac 2>&1 | quiet
}
# each language runs right after a Java run, so a ratio compares two neighbours in time (the machine's noise
# comes in stretches of seconds to minutes)
for r in $(seq 1 "$ROUNDS"); do
  echo "# round $r" >&2
  for lang in ${BENCH_LANGS:-c python node go csharp}; do
    run java
    run "$lang"
  done
done
