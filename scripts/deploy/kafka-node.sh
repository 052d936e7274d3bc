#!/usr/bin/env bash
# One node (broker + controller, KRaft) of docker-compose.yml's cluster, in the apache/kafka image, secured as
# scripts/kafka/run.sh --secure secures a local one: clients SASL_SSL (TLS, then SCRAM-SHA-512), controllers mutual TLS
# accepting only the brokers' certificate, ACLs enforced, nothing allowed without one. Settings come from KAFKA_CFG_*
# (KAFKA_CFG_NODE_ID=1 → node.id=1); the security settings are this script's and cannot be overridden. A listener map
# naming PLAINTEXT or SASL_PLAINTEXT is refused. The storage is formatted on first start with the admin's SCRAM user;
# the one-shot kafka-users service adds the others. Secrets (read-only): /run/secrets/kafka-broker-keystore,
# kafka-ca, kafka-admin-password.
set -euo pipefail
: "${KAFKA_CLUSTER_ID:?}"
# (the paths of the apache/kafka image; overridable to try this script outside it)
bin="${KAFKA_HOME:-/opt/kafka}/bin"
secrets="${SECRETS_DIR:-/run/secrets}"
data="${KAFKA_DATA_DIR:-/var/lib/kafka/data}"
conf="${KAFKA_CONF_DIR:-/tmp/onestop-kafka}"
umask 077
mkdir -p "$conf"
admin_password="$(tr -d '\n' < $secrets/kafka-admin-password)"

{
  env | sed -n 's/^KAFKA_CFG_\([A-Z0-9_]*\)=\(.*\)$/\1=\2/p' | while IFS='=' read -r name value; do
    echo "$(echo "$name" | tr 'A-Z_' 'a-z.')=$value"
  done
  cat <<PROPS
log.dirs=$data
ssl.keystore.type=PEM
ssl.keystore.location=$secrets/kafka-broker-keystore
ssl.truststore.type=PEM
ssl.truststore.location=$secrets/kafka-ca
ssl.endpoint.identification.algorithm=https
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin_password";
listener.name.controller.ssl.client.auth=required
listener.name.controller.ssl.principal.mapping.rules=RULE:^.*CN=([^,]+).*\$/\$1/,DEFAULT
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:kafka-broker
PROPS
} > "$conf/server.properties"

map="$(sed -n 's/^listener\.security\.protocol\.map=//p' "$conf/server.properties")"
[ -n "$map" ] || { echo "KAFKA_CFG_LISTENER_SECURITY_PROTOCOL_MAP is required"; exit 2; }
for protocol in $(echo "$map" | tr ',' '\n' | cut -d: -f2); do
  case "$protocol" in SASL_SSL|SSL) ;; *) echo "refusing to start: listener protocol $protocol (only SASL_SSL and SSL)"; exit 2 ;; esac
done

# the healthcheck's client (as admin, over SASL_SSL like every client)
cat > "$conf/client.properties" <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin_password";
ssl.truststore.type=PEM
ssl.truststore.location=$secrets/kafka-ca
PROPS

if [ ! -f "$data/meta.properties" ]; then
  $bin/kafka-storage.sh format -t "$KAFKA_CLUSTER_ID" -c "$conf/server.properties" --ignore-formatted \
    --add-scram "SCRAM-SHA-512=[name=admin,password=$admin_password]"
fi
exec $bin/kafka-server-start.sh "$conf/server.properties"
