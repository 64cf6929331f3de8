#!/usr/bin/env bash
# Stops the broker started by start.sh for the same KAFKA_PORT: SIGTERM (clean shutdown hook), then SIGKILL after 30 s.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if [[ ! -f "$PID_FILE" ]]; then
  echo "No broker started by this project on port $KAFKA_PORT"
  exit 0
fi
pid="$(cat "$PID_FILE")"
if kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "Broker $pid ignored SIGTERM for 30 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
fi
rm -f "$PID_FILE"
echo "Kafka on port $KAFKA_PORT stopped"
