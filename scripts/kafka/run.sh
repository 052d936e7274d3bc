#!/usr/bin/env bash
# A single-node Apache Kafka 3.9 (KRaft) on 127.0.0.1 from Maven Central jars, for development and CI without Docker.
#   run.sh start | stop | status | logs
# KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_DIR (.cache/kafka) may be set.
# Needs java >= 17 and mvn. `start` returns once the broker has finished starting (or fails with its log);
# a stale pid file or a data dir left by a killed broker does not get in the way.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${KAFKA_DIR:-$root/.cache/kafka}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
libs="$dir/libs"
pidfile="$dir/kafka.pid"
start_wait="${KAFKA_START_WAIT:-120}"

# The jars are fetched once per pom.xml: the marker holds the pom's checksum, so a version bump refetches.
fetch() {
  local want; want="$(sha256sum "$here/pom.xml" | cut -d' ' -f1)"
  if [ -f "$libs/.complete" ] && [ "$(cat "$libs/.complete")" = "$want" ]; then return; fi
  echo "Fetching Kafka jars from Maven Central into $libs (once)…"
  rm -rf "$libs"
  mkdir -p "$libs"
  mkdir -p "$dir"
  if ! mvn -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime \
      >"$dir/fetch.log" 2>&1; then
    echo "mvn could not fetch the Kafka jars; the end of $dir/fetch.log:"; tail -30 "$dir/fetch.log"; exit 1
  fi
  echo "$want" > "$libs/.complete"
}

# Our broker is running: the pid file names a live (not zombie) process that is a Kafka broker.
# A pid left by a killed broker, or reused by another process since, does not count.
running() {
  [ -f "$pidfile" ] || return 1
  local pid; pid="$(cat "$pidfile" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != "Z" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'kafka\.Kafka ' || return 1
}

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

java_cmd() { java -Dlog4j.configuration="file:$dir/log4j.properties" -cp "$libs/*" "$@"; }

start() {
  if running; then echo "Kafka already running (pid $(cat "$pidfile")) on 127.0.0.1:$port"; return; fi
  rm -f "$pidfile"
  if answers; then
    # Not ours (another checkout's broker, a container, …): leave it alone rather than fail to bind.
    echo "Something already listens on 127.0.0.1:$port that this script did not start (not under $dir); leaving it alone."
    echo "Stop it, or use another port: KAFKA_PORT=… KAFKA_CONTROLLER_PORT=… $0 start"
    return
  fi
  command -v java >/dev/null || { echo "java not found (Kafka needs Java >= 17)"; exit 1; }
  command -v mvn >/dev/null || [ -f "$libs/.complete" ] || { echo "mvn not found (needed once to fetch the Kafka jars)"; exit 1; }
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
log4j.logger.kafka.server.KafkaRaftServer=INFO
PROPS
  # meta.properties is the last thing `format` writes; without it the directory is (re)formatted.
  if [ ! -f "$dir/data/meta.properties" ]; then
    cluster_id="$(java_cmd kafka.tools.StorageTool random-uuid)"
    java_cmd kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" --ignore-formatted >/dev/null
  fi
  touch "$dir/kafka.log"
  local log_from; log_from=$(( $(stat -c %s "$dir/kafka.log") + 1 ))
  local t0=$SECONDS
  nohup java -Xms256m -Xmx512m -Dlog4j.configuration="file:$dir/log4j.properties" -cp "$libs/*" kafka.Kafka "$dir/server.properties" \
    >"$dir/stdout.log" 2>&1 &
  echo $! > "$pidfile"
  # Ready = the port answers and the broker logged the end of its start-up (it is unfenced by then).
  for _ in $(seq 1 $(( start_wait * 2 ))); do
    if answers && tail -c +"$log_from" "$dir/kafka.log" | grep -q 'Kafka Server started'; then
      echo "Kafka up on 127.0.0.1:$port (pid $(cat "$pidfile"), $(( SECONDS - t0 )) s)"; return
    fi
    if ! running; then
      echo "Kafka exited during start-up; see $dir/stdout.log and $dir/kafka.log"
      tail -20 "$dir/stdout.log"; tail -c +"$log_from" "$dir/kafka.log" | tail -20
      rm -f "$pidfile"; exit 1
    fi
    sleep 0.5
  done
  echo "Kafka did not finish starting on 127.0.0.1:$port in $start_wait s; stopping it. Last log lines:"
  tail -c +"$log_from" "$dir/kafka.log" | tail -20
  stop >/dev/null
  exit 1
}

stop() {
  if ! running; then echo "Kafka not running"; rm -f "$pidfile"; return; fi
  local pid; pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do running || break; sleep 0.5; done
  if running; then echo "Kafka did not stop in 30 s: killing it"; kill -9 "$pid" 2>/dev/null || true; fi
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
