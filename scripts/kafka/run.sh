#!/usr/bin/env bash
# A single-node Apache Kafka 3.9 (KRaft) on 127.0.0.1 from Maven Central jars, for development and CI without Docker.
#   run.sh start | stop | status | logs
# KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_DIR (.cache/kafka) may be set.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${KAFKA_DIR:-$root/.cache/kafka}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
libs="$dir/libs"
pidfile="$dir/kafka.pid"

fetch() {
  if [ -f "$libs/.complete" ]; then return; fi
  echo "Fetching Kafka jars from Maven Central into $libs (once)…"
  mkdir -p "$libs"
  mvn -q -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime
  touch "$libs/.complete"
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

start() {
  if running; then echo "Kafka already running (pid $(cat "$pidfile")) on 127.0.0.1:$port"; return; fi
  fetch
  mkdir -p "$dir/data"
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=6
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
PROPS
  cat > "$dir/log4j.properties" <<PROPS
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$dir/kafka.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
PROPS
  if [ ! -f "$dir/data/meta.properties" ]; then
    cluster_id="$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid)"
    java -cp "$libs/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" --ignore-formatted >/dev/null
  fi
  nohup java -Xms256m -Xmx512m -Dlog4j.configuration="file:$dir/log4j.properties" -cp "$libs/*" kafka.Kafka "$dir/server.properties" \
    >"$dir/stdout.log" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 90); do
    if answers; then echo "Kafka up on 127.0.0.1:$port (pid $(cat "$pidfile"))"; return; fi
    if ! running; then echo "Kafka exited; see $dir/stdout.log and $dir/kafka.log"; tail -20 "$dir/stdout.log"; exit 1; fi
    sleep 1
  done
  echo "Kafka did not open 127.0.0.1:$port in 90 s"; exit 1
}

stop() {
  if ! running; then echo "Kafka not running"; rm -f "$pidfile"; return; fi
  pid="$(cat "$pidfile")"
  kill "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  echo "Kafka stopped"
}

case "${1:-status}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running (pid $(cat "$pidfile")) on 127.0.0.1:$port"; else echo "not running"; exit 1; fi ;;
  logs) tail -n 50 "$dir/kafka.log" "$dir/stdout.log" ;;
  *) echo "usage: $0 start|stop|status|logs"; exit 2 ;;
esac
