#!/usr/bin/env bash
# Writes the shared binding suite (see README.md here) into DIR (default bindings/c/target/suite) with the
# Java API, unless it is already newer than the bridge jar. Prints DIR.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${1:-$HERE/c/target/suite}"
JARS="$HERE/c/target/native/jars"
if [ ! -f "$JARS/diskann-capi.jar" ]; then
  echo "suite.sh: $JARS has no diskann-capi.jar; build bindings/c first (mvn package, or ./diskann test)" >&2
  exit 1
fi
if [ -f "$DIR/cases.txt" ] && [ "$DIR/cases.txt" -nt "$JARS/diskann-capi.jar" ]; then
  echo "$DIR"; exit 0
fi
# shellcheck source=../.ci/find-jdk
. "$HERE/../.ci/find-jdk"
diskann_find_jdk
rm -rf "$DIR"
mkdir -p "$DIR/saved"
"$JAVA" --add-modules=jdk.incubator.vector -cp "$JARS/*" io.diskann.capi.SuiteGenerator "$DIR" 2>&1 \
  | grep -v -e 'Using incubator modules' -e 'SimdSupport select' -e 'INFO: diskann-java' >&2 || true
[ -f "$DIR/cases.txt" ] || { echo "suite.sh: the generator wrote no cases.txt" >&2; exit 1; }
echo "$DIR"
