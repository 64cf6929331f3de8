#!/usr/bin/env bash
# Resolves Apache Kafka's broker jars from Maven Central into $KAFKA_LIBS, once: the marker file makes
# an interrupted copy count as missing. start.sh runs it; the registry-free container image runs it
# at build time (docker/local/kafka.Dockerfile).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

[[ -f "$KAFKA_LIBS/.complete" ]] && exit 0
if ! command -v mvn >/dev/null 2>&1; then
  echo "Resolving Kafka's jars needs 'mvn' on PATH: install Apache Maven 3.8+ (Debian: apt-get install maven)." >&2
  exit 1
fi
echo "Resolving Apache Kafka $KAFKA_VERSION from Maven Central into $KAFKA_LIBS ..."
rm -rf "$KAFKA_LIBS"
mvn -B -q -Dstyle.color=never -f "$ROOT/scripts/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS"
touch "$KAFKA_LIBS/.complete"
