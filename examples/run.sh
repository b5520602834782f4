#!/usr/bin/env bash
# Builds and runs the quick start against the installed artifacts: run `mvn install -DskipTests` at the
# root first. Exits non-zero when the example fails its own checks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Maven on JDK 25 warns about its own sun.misc.Unsafe use; not ours
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -B -q package
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="$(cat target/classpath.txt)"
echo "== class path (the library needs --add-modules jdk.incubator.vector there)"
"$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "target/classes:$CP" io.diskann.examples.QuickStart
echo "== module path (no --add-modules: io.diskann.core requires jdk.incubator.vector itself)"
"$JAVA" --enable-native-access=io.diskann.core \
  -p "target/classes:$CP" -m io.diskann.examples/io.diskann.examples.QuickStart
