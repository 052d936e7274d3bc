#!/usr/bin/env bash
# Apache Kafka 3.9 (KRaft) on 127.0.0.1 from Maven Central jars, for development and CI without Docker: one node, or a
# cluster of several (each node both broker and controller).
#   run.sh start [--brokers N] [--secure] | stop | status | brokers | env | logs
# Node i (1..N) listens on KAFKA_PORT + 2(i-1) (9092, 9094, 9096, …) and its controller on KAFKA_CONTROLLER_PORT + 2(i-1)
# (9093, 9095, …) (choose ports below the kernel's ephemeral range, 32768 and up on Linux: a client's own end of a
# connection may hold such a port when a killed node binds it again); it keeps its files in KAFKA_DIR/node<i> (KAFKA_DIR: .cache/kafka). The cluster's size is remembered:
# a later `start` without --brokers starts the same nodes, and only those not running (a killed node rejoins).
# Needs java >= 17 and mvn. `start` returns once every node has finished starting (or fails with its log); a stale pid
# file or a data dir left by a killed node does not get in the way.
# Secured (--secure, or KAFKA_SECURITY=sasl_ssl; remembered like the size): every client listener is SASL_SSL with
# SCRAM-SHA-512 and the controllers talk mutual TLS; no PLAINTEXT port. certs.sh makes the CA, the brokers' certificate
# and a random password per user of scripts/kafka/users in KAFKA_DIR/secrets; the users exist from the storage's
# format on; ACLs are enforced (StandardAuthorizer, nothing allowed without one, super user admin). `run.sh env` prints
# the variables clients need; `npm run kafka:acls` creates the topics and the contracts' ACLs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${KAFKA_DIR:-$root/.cache/kafka}"
# The ports a cluster was first started on are remembered with it: a later `start` (a killed node restarted by a test)
# or `brokers` without KAFKA_PORT finds the same ones.
remembered_port() { [ -f "$dir/ports" ] && sed -n "${1}p" "$dir/ports"; }
base_port="${KAFKA_PORT:-$(remembered_port 1 || echo 9092)}"
base_controller_port="${KAFKA_CONTROLLER_PORT:-$(remembered_port 2 || echo 9093)}"
libs="$dir/libs"
start_wait="${KAFKA_START_WAIT:-120}"

port_of() { echo $(( base_port + 2 * ($1 - 1) )); }
controller_port_of() { echo $(( base_controller_port + 2 * ($1 - 1) )); }
node_dir() { echo "$dir/node$1"; }
pidfile_of() { echo "$(node_dir "$1")/kafka.pid"; }
size() { if [ -f "$dir/cluster-size" ]; then cat "$dir/cluster-size"; else echo 1; fi; }
secrets="$dir/secrets"
security() { if [ -f "$dir/security" ]; then cat "$dir/security"; else echo plaintext; fi; }
users() { grep -v '^#' "$here/users" | grep -v '^$'; }
nodes() { seq 1 "$(size)"; }
brokers_list() { local list=(); for i in $(nodes); do list+=("127.0.0.1:$(port_of "$i")"); done; (IFS=,; echo "${list[*]}"); }

# The jars are fetched once per pom.xml: the marker holds the pom's checksum, so a version bump refetches.
fetch() {
  local want; want="$(sha256sum "$here/pom.xml" | cut -d' ' -f1)"
  if [ -f "$libs/.complete" ] && [ "$(cat "$libs/.complete")" = "$want" ]; then return; fi
  echo "Fetching Kafka jars from Maven Central into $libs (once)…"
  rm -rf "$libs"
  mkdir -p "$libs"
  if ! mvn -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime \
      >"$dir/fetch.log" 2>&1; then
    echo "mvn could not fetch the Kafka jars; the end of $dir/fetch.log:"; tail -30 "$dir/fetch.log"; exit 1
  fi
  echo "$want" > "$libs/.complete"
}

# Node i is running: its pid file names a live (not zombie) process that is a Kafka broker.
# A pid left by a killed node, or reused by another process since, does not count.
running() {
  local pidfile; pidfile="$(pidfile_of "$1")"
  [ -f "$pidfile" ] || return 1
  local pid; pid="$(cat "$pidfile" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != "Z" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'kafka\.Kafka ' || return 1
}

# A process that exists and is not a zombie (a pid this script has just started).
alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != "Z" ]; }

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

java_cmd() { java -Dlog4j.configuration="file:$dir/log4j-format.properties" -cp "$libs/*" "$@"; }

# server.properties and log4j.properties of node i in a cluster of n.
configure() {
  local i=$1 n=$2 d; d="$(node_dir "$i")"
  mkdir -p "$d/data"
  local voters=() replicas=$(( n < 3 ? n : 3 ))
  for j in $(seq 1 "$n"); do voters+=("$j@127.0.0.1:$(controller_port_of "$j")"); done
  local listener=PLAINTEXT controller=PLAINTEXT
  if [ "$(security)" = sasl_ssl ]; then listener=SASL_SSL; controller=SSL; fi
  cat > "$d/server.properties" <<PROPS
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$(IFS=,; echo "${voters[*]}")
listeners=$listener://127.0.0.1:$(port_of "$i"),CONTROLLER://127.0.0.1:$(controller_port_of "$i")
advertised.listeners=$listener://127.0.0.1:$(port_of "$i")
controller.listener.names=CONTROLLER
inter.broker.listener.name=$listener
listener.security.protocol.map=$listener:$listener,CONTROLLER:$controller
log.dirs=$d/data
num.partitions=6
default.replication.factor=$replicas
min.insync.replicas=$(( replicas > 1 ? replicas - 1 : 1 ))
offsets.topic.replication.factor=$replicas
transaction.state.log.replication.factor=$replicas
transaction.state.log.min.isr=$(( replicas > 1 ? replicas - 1 : 1 ))
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
unclean.leader.election.enable=false
log.retention.hours=168
PROPS
  if [ "$(security)" = sasl_ssl ]; then
    # Clients: TLS with the brokers' certificate, then SCRAM-SHA-512; brokers among themselves as admin. Controllers:
    # mutual TLS, only the brokers' certificate (CN=kafka-broker) gets in. Every request is checked against the ACLs.
    cat >> "$d/server.properties" <<PROPS
ssl.keystore.type=PEM
ssl.keystore.location=$secrets/broker-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$secrets/ca.pem
ssl.endpoint.identification.algorithm=https
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(cat "$secrets/admin.password")";
listener.name.controller.ssl.client.auth=required
listener.name.controller.ssl.principal.mapping.rules=RULE:^.*CN=([^,]+).*\$/\$1/,DEFAULT
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:kafka-broker
PROPS
    chmod 600 "$d/server.properties"
  fi
  cat > "$d/log4j.properties" <<PROPS
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$d/kafka.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.KafkaRaftServer=INFO
PROPS
}

start() {
  local n; n="$(size)" want_security="${2:-}"
  if [ -n "$want_security" ] && [ "$want_security" != "$(security)" ] && [ -f "$dir/cluster-size" ]; then
    for i in $(nodes); do if running "$i"; then echo "A $(security) cluster is running: stop it before starting a $want_security one"; exit 1; fi; done
    # its storage was formatted for the other mode (SCRAM users are written at format time)
    for i in $(nodes); do rm -rf "$(node_dir "$i")"; done
  fi
  if [ -n "${1:-}" ]; then
    [[ "$1" =~ ^[1-9][0-9]*$ ]] || { echo "--brokers needs a whole number, got '$1'"; exit 2; }
    if [ "$1" != "$n" ] && [ -f "$dir/cluster-size" ]; then
      for i in $(nodes); do if running "$i"; then echo "A cluster of $n is running: stop it before starting one of $1"; exit 1; fi; done
      # a cluster of another size: its quorum is not this one's
      for i in $(seq 1 "$n"); do rm -rf "$(node_dir "$i")"; done
    fi
    n="$1"
  fi
  local to_start=()
  for i in $(seq 1 "$n"); do
    if running "$i"; then continue; fi
    rm -f "$(pidfile_of "$i")"
    if answers "$(port_of "$i")"; then
      # Not ours (another checkout's broker, a container, …): leave it alone rather than fail to bind.
      echo "Something already listens on 127.0.0.1:$(port_of "$i") that this script did not start (not under $dir); leaving it alone."
      echo "Stop it, or use other ports: KAFKA_PORT=… KAFKA_CONTROLLER_PORT=… $0 start"
      return
    fi
    to_start+=("$i")
  done
  if [ ${#to_start[@]} -eq 0 ]; then echo "Kafka already running: $n node(s) at $(brokers_list)"; return; fi
  command -v java >/dev/null || { echo "java not found (Kafka needs Java >= 17)"; exit 1; }
  command -v mvn >/dev/null || [ -f "$libs/.complete" ] || { echo "mvn not found (needed once to fetch the Kafka jars)"; exit 1; }
  mkdir -p "$dir"
  fetch
  echo "$n" > "$dir/cluster-size"
  printf '%s\n%s\n' "$base_port" "$base_controller_port" > "$dir/ports"
  [ -z "$want_security" ] || echo "$want_security" > "$dir/security"
  local format_extra=()
  if [ "$(security)" = sasl_ssl ]; then
    command -v openssl >/dev/null || { echo "openssl not found (it makes the secured cluster's certificates)"; exit 1; }
    # shellcheck disable=SC2046
    bash "$here/certs.sh" "$secrets" $(users)
    for user in $(users); do format_extra+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(cat "$secrets/$user.password")]"); done
  fi
  printf 'log4j.rootLogger=ERROR, stderr\nlog4j.appender.stderr=org.apache.log4j.ConsoleAppender\nlog4j.appender.stderr.Target=System.err\nlog4j.appender.stderr.layout=org.apache.log4j.PatternLayout\n' > "$dir/log4j-format.properties"
  # One cluster id for all nodes, kept with the cluster: a node formats its storage with it on first start.
  [ -f "$dir/cluster-id" ] || java_cmd kafka.tools.StorageTool random-uuid > "$dir/cluster-id"
  local t0=$SECONDS
  declare -A log_from
  for i in "${to_start[@]}"; do
    local d; d="$(node_dir "$i")"
    configure "$i" "$n"
    # meta.properties is the last thing `format` writes; without it the directory is (re)formatted.
    if [ ! -f "$d/data/meta.properties" ]; then
      java_cmd kafka.tools.StorageTool format -t "$(cat "$dir/cluster-id")" -c "$d/server.properties" --ignore-formatted "${format_extra[@]}" >/dev/null
    fi
    touch "$d/kafka.log"
    log_from[$i]=$(( $(stat -c %s "$d/kafka.log") + 1 ))
    nohup java -Xms256m -Xmx512m -Dlog4j.configuration="file:$d/log4j.properties" -cp "$libs/*" kafka.Kafka "$d/server.properties" \
      >"$d/stdout.log" 2>&1 &
    echo $! > "$(pidfile_of "$i")"
  done
  # Ready = every started node's port answers and it logged the end of its start-up (it is unfenced by then).
  local waiting=("${to_start[@]}")
  for _ in $(seq 1 $(( start_wait * 2 ))); do
    local still=()
    for i in "${waiting[@]}"; do
      local d; d="$(node_dir "$i")"
      if answers "$(port_of "$i")" && tail -c +"${log_from[$i]}" "$d/kafka.log" | grep -q 'Kafka Server started'; then continue; fi
      # (not `running`: until nohup has exec'd java, the fresh pid's command line is still this script's)
      if ! alive "$(cat "$(pidfile_of "$i")")"; then
        echo "Kafka node $i exited during start-up; see $d/stdout.log and $d/kafka.log"
        tail -20 "$d/stdout.log"; tail -c +"${log_from[$i]}" "$d/kafka.log" | tail -20
        rm -f "$(pidfile_of "$i")"; stop_nodes "${to_start[@]}" >/dev/null; exit 1
      fi
      still+=("$i")
    done
    if [ ${#still[@]} -eq 0 ]; then
      echo "Kafka up: $n $(security) node(s) at $(brokers_list) (started node(s) ${to_start[*]} in $(( SECONDS - t0 )) s)"; return
    fi
    waiting=("${still[@]}")
    sleep 0.5
  done
  echo "Kafka node(s) ${waiting[*]} did not finish starting in $start_wait s; stopping the node(s) this start started. Last log lines:"
  for i in "${waiting[@]}"; do tail -c +"${log_from[$i]}" "$(node_dir "$i")/kafka.log" | tail -20; done
  stop_nodes "${to_start[@]}" >/dev/null
  exit 1
}

stop() { stop_nodes $(nodes); }

# Stops these nodes only: a node that fails to restart leaves the others of its cluster serving.
stop_nodes() {
  local any=
  for i in "$@"; do
    if ! running "$i"; then rm -f "$(pidfile_of "$i")"; continue; fi
    any=1
    kill "$(cat "$(pidfile_of "$i")")" 2>/dev/null || true
  done
  if [ -z "$any" ]; then echo "Kafka not running"; return; fi
  for i in "$@"; do
    for _ in $(seq 1 60); do running "$i" || break; sleep 0.5; done
    if running "$i"; then echo "Kafka node $i did not stop in 30 s: killing it"; kill -9 "$(cat "$(pidfile_of "$i")")" 2>/dev/null || true; fi
    rm -f "$(pidfile_of "$i")"
  done
  echo "Kafka stopped"
}

status() {
  local down=()
  for i in $(nodes); do running "$i" || down+=("$i"); done
  if [ ${#down[@]} -eq "$(size)" ]; then echo "not running"; return 1; fi
  if [ ${#down[@]} -gt 0 ]; then echo "$(size) node(s) at $(brokers_list); node(s) ${down[*]} down"; return 1; fi
  echo "running: $(size) $(security) node(s) at $(brokers_list)"
}

# The variables a client of this cluster needs (the services read them; see README "Securing the bus").
client_env() {
  echo "export KAFKA_BROKERS=$(brokers_list)"
  if [ "$(security)" = sasl_ssl ]; then
    echo "export KAFKA_SECURITY=sasl_ssl"
    echo "export KAFKA_CA_FILE=$secrets/ca.pem"
    echo "export KAFKA_TLS_SERVERNAME=localhost"
    echo "export KAFKA_CREDENTIALS_DIR=$secrets"
  else
    echo "export KAFKA_SECURITY=plaintext"
  fi
}

command="${1:-status}"
shift || true
brokers=
secure=
# KAFKA_SECURITY=sasl_ssl asks for the secured mode like --secure (only --plaintext switches a directory back)
[ "${KAFKA_SECURITY:-}" = sasl_ssl ] && secure=sasl_ssl
while [ $# -gt 0 ]; do
  case "$1" in
    --secure) secure=sasl_ssl; shift ;;
    --plaintext) secure=plaintext; shift ;;
    --brokers) brokers="${2:-}"; shift 2 || { echo "--brokers needs a number"; exit 2; } ;;
    --brokers=*) brokers="${1#--brokers=}"; shift ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
case "$command" in
  start) start "$brokers" "$secure" ;;
  stop) stop ;;
  status) status ;;
  brokers) brokers_list ;;
  env) client_env ;;
  logs) for i in $(nodes); do tail -n 30 "$(node_dir "$i")/kafka.log" "$(node_dir "$i")/stdout.log"; done ;;
  *) echo "usage: $0 start [--brokers N] [--secure|--plaintext] | stop | status | brokers | env | logs"; exit 2 ;;
esac
