#!/usr/bin/env bash
# S3Proxy (an S3-compatible server, Apache 2.0) on 127.0.0.1 from Maven Central jars, with its filesystem backend, for
# development and CI without Docker (docker-compose.yml runs MinIO instead).
#   run.sh start | stop | status | env | logs
# Listens on S3_PORT (9000); objects live in S3_DIR/data (S3_DIR: .cache/s3proxy); access key / secret in S3_DIR/credentials.
# Needs Java >= 21 (S3PROXY_JAVA, else the first java >= 21 found: PATH, then /usr/lib/jvm/*) and mvn for the first fetch.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${S3_DIR:-$root/.cache/s3proxy}"
port="${S3_PORT:-9000}"
libs="$dir/libs"
pidfile="$dir/s3proxy.pid"

java_major() { "$1" -version 2>&1 | sed -n 's/.* version "\([0-9]*\)[."].*/\1/p' | sed -n 1p; }
find_java() {
  local candidates=("${S3PROXY_JAVA:-}" "$(command -v java || true)")
  for j in /usr/lib/jvm/*/bin/java; do candidates+=("$j"); done
  for j in "${candidates[@]}"; do
    [ -n "$j" ] && [ -x "$j" ] || continue
    [ "$(java_major "$j")" -ge 21 ] 2>/dev/null && { echo "$j"; return; }
  done
  echo "S3Proxy needs Java >= 21 (set S3PROXY_JAVA)" >&2; return 1
}

# The jars are fetched once per pom.xml: the marker holds the pom's checksum, so a version bump refetches.
fetch() {
  local want; want="$(sha256sum "$here/pom.xml" | cut -d' ' -f1)"
  if [ -f "$libs/.complete" ] && [ "$(cat "$libs/.complete")" = "$want" ]; then return; fi
  echo "Fetching S3Proxy jars from Maven Central into $libs (once)…"
  rm -rf "$libs"; mkdir -p "$libs"
  if ! mvn -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime >"$dir/fetch.log" 2>&1; then
    echo "mvn could not fetch S3Proxy; the end of $dir/fetch.log:"; tail -30 "$dir/fetch.log"; exit 1
  fi
  echo "$want" > "$libs/.complete"
}

running() {
  [ -f "$pidfile" ] || return 1
  local pid; pid="$(cat "$pidfile" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'org.gaul.s3proxy.Main' || return 1
}
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

credentials() {
  if [ ! -f "$dir/credentials" ]; then
    mkdir -p "$dir"
    printf 'S3_ACCESS_KEY_ID=onestop\nS3_SECRET_ACCESS_KEY=%s\n' "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$dir/credentials"
    chmod 600 "$dir/credentials"
  fi
  # shellcheck disable=SC1091
  . "$dir/credentials"
}

start() {
  if running; then echo "S3Proxy already running on 127.0.0.1:$port (pid $(cat "$pidfile"))"; return; fi
  mkdir -p "$dir/data"
  fetch
  credentials
  local java; java="$(find_java)"
  cat > "$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY_ID
s3proxy.credential=$S3_SECRET_ACCESS_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$dir/data
CONF
  nohup "$java" -cp "$libs/*" org.gaul.s3proxy.Main --properties "$dir/s3proxy.conf" >"$dir/s3proxy.log" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 60); do
    answers && { echo "S3Proxy on 127.0.0.1:$port (pid $(cat "$pidfile"), data in $dir/data)"; return; }
    running || break
    sleep 1
  done
  echo "S3Proxy did not start; the end of $dir/s3proxy.log:"; tail -30 "$dir/s3proxy.log"; exit 1
}

stop() {
  if ! running; then echo "S3Proxy not running"; rm -f "$pidfile"; return; fi
  local pid; pid="$(cat "$pidfile")"
  kill "$pid"
  for _ in $(seq 1 30); do [ -r "/proc/$pid/cmdline" ] || break; sleep 0.5; done
  rm -f "$pidfile"; echo "S3Proxy stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running && answers; then echo "running on 127.0.0.1:$port (pid $(cat "$pidfile"))"; else echo "not running"; exit 1; fi ;;
  env) credentials; echo "S3_ENDPOINT=http://127.0.0.1:$port"; echo "S3_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID"; echo "S3_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY" ;;
  logs) tail -n 100 "$dir/s3proxy.log" ;;
  *) echo "usage: run.sh start|stop|status|env|logs"; exit 2 ;;
esac
