#!/usr/bin/env bash
# Builds and runs the quick start against the installed artifacts: run `mvn install -DskipTests` at the
# root first. Exits non-zero when the example fails its own checks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mvn -B -q package
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
"$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "target/classes:$(cat target/classpath.txt)" io.diskann.examples.QuickStart
