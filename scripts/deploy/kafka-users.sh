#!/usr/bin/env bash
# One-shot (docker-compose.yml's kafka-users, in the apache/kafka image): as admin, gives every Kafka user of
# scripts/kafka/users but admin its SCRAM-SHA-512 password from $secrets/kafka-<user>-password (set again on each
# run: a renewed file renews the password). KAFKA_BOOTSTRAP names a broker; the CA is $secrets/kafka-ca.
set -euo pipefail
: "${KAFKA_BOOTSTRAP:?}" "${KAFKA_USERS:?space-separated Kafka users}"
bin="${KAFKA_HOME:-/opt/kafka}/bin"
secrets="${SECRETS_DIR:-/run/secrets}"
umask 077
conf="$(mktemp -d)"
trap 'rm -rf "$conf"' EXIT
cat > "$conf/admin.properties" <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(tr -d '\n' < $secrets/kafka-admin-password)";
ssl.truststore.type=PEM
ssl.truststore.location=$secrets/kafka-ca
PROPS
for user in $KAFKA_USERS; do
  [ "$user" = admin ] && continue
  password="$(tr -d '\n' < "$secrets/kafka-$user-password")"
  $bin/kafka-configs.sh --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$conf/admin.properties" \
    --alter --entity-type users --entity-name "$user" --add-config "SCRAM-SHA-512=[password=$password]" >/dev/null
  echo "kafka-users: $user"
done
