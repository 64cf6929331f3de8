# Shared settings of start.sh and stop.sh. Every value can be overridden from the environment.
KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KAFKA_HOME_DIR="${KAFKA_HOME_DIR:-$ROOT/.kafka/broker-$KAFKA_PORT}"
KAFKA_LIBS="${KAFKA_LIBS:-$ROOT/.kafka/libs-$KAFKA_VERSION}"
PID_FILE="$KAFKA_HOME_DIR/broker.pid"
