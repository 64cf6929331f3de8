#!/usr/bin/env bash
# Starts a single-node KRaft Apache Kafka broker on 127.0.0.1 from jars resolved from Maven Central.
# Usage: KAFKA_PORT=9092 bash scripts/kafka/start.sh   (see scripts/kafka/env.sh for every setting)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if ! command -v java >/dev/null 2>&1; then
  echo "kafka:start needs 'java' on PATH: install Java 17+ (Debian: apt-get install openjdk-17-jre-headless)." >&2
  exit 1
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null && port_open "$KAFKA_PORT"; then
  echo "Kafka already running on 127.0.0.1:$KAFKA_PORT (pid $(cat "$PID_FILE"))"
  exit 0
fi
if port_open "$KAFKA_PORT"; then
  echo "Port $KAFKA_PORT on 127.0.0.1 is taken by another process; set KAFKA_PORT to a free port." >&2
  exit 1
fi

# 1. The classpath, resolved from Maven Central on the first start.
bash "$ROOT/scripts/kafka/resolve.sh"

CP="$KAFKA_LIBS/*"
LOG_OPTS=(-Dkafka.logs.dir="$KAFKA_HOME_DIR/logs" -Dlog4j2.configurationFile="$ROOT/scripts/kafka/log4j2.properties")

# 2. Fresh config and data: a test broker starts empty every time, unless KAFKA_KEEP_DATA=1 asks to
# restart the broker stopped before on this port with what it held (a broker outage, not a new broker).
if [[ "${KAFKA_KEEP_DATA:-0}" == 1 && -f "$KAFKA_HOME_DIR/server.properties" ]]; then
  echo "Restarting the broker with the data in $KAFKA_HOME_DIR"
else
  rm -rf "$KAFKA_HOME_DIR"
  mkdir -p "$KAFKA_HOME_DIR/data" "$KAFKA_HOME_DIR/logs"
  cat > "$KAFKA_HOME_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_HOME_DIR/data
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.flush.interval.messages=9223372036854775807
PROPS

  # 3. Format the KRaft metadata log (static quorum, so no --standalone).
  CLUSTER_ID="$(java -cp "$CP" "${LOG_OPTS[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  java -cp "$CP" "${LOG_OPTS[@]}" kafka.tools.StorageTool format -t "$CLUSTER_ID" \
    -c "$KAFKA_HOME_DIR/server.properties" >"$KAFKA_HOME_DIR/logs/format.out" 2>&1 \
    || { cat "$KAFKA_HOME_DIR/logs/format.out" >&2; exit 1; }
fi

# shellcheck disable=SC2206 # KAFKA_HEAP_OPTS is a list of JVM flags
JAVA_ARGS=(${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20
  -Djava.awt.headless=true "${LOG_OPTS[@]}" -cp "$CP" kafka.Kafka "$KAFKA_HOME_DIR/server.properties")

# 4a. In a container the broker is the container's process: its supervisor and health check take
# over what step 4 does for a broker on a developer's machine.
if [[ "${KAFKA_FOREGROUND:-0}" == 1 ]]; then
  exec java "${JAVA_ARGS[@]}"
fi

# 4. Start detached; setsid keeps it alive after this script and out of the caller's job control.
setsid java "${JAVA_ARGS[@]}" >"$KAFKA_HOME_DIR/logs/kafkaServer.out" 2>&1 </dev/null &
echo $! >"$PID_FILE"

# 5. The broker opens its client port only once it is unfenced and serving, so a connect means ready.
for _ in $(seq 1 180); do
  if port_open "$KAFKA_PORT"; then
    echo "Kafka $KAFKA_VERSION ready on 127.0.0.1:$KAFKA_PORT (pid $(cat "$PID_FILE"), logs in $KAFKA_HOME_DIR/logs)"
    exit 0
  fi
  if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    echo "Kafka exited during startup; last log lines:" >&2
    tail -n 40 "$KAFKA_HOME_DIR/logs/kafkaServer.out" "$KAFKA_HOME_DIR/logs/server.log" >&2 || true
    exit 1
  fi
  sleep 0.5
done
echo "Kafka did not open 127.0.0.1:$KAFKA_PORT within 90 s; see $KAFKA_HOME_DIR/logs" >&2
bash "$ROOT/scripts/kafka/stop.sh" || true
exit 1
