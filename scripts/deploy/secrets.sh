#!/usr/bin/env bash
# The secrets docker-compose.yml mounts, made with openssl alone, each only when missing (delete a file to renew it),
# in deploy/secrets (or the folder given), which git and Docker ignore:
#   kafka/            ca.pem (+ ca.key, mounted nowhere), the brokers' certificate for kafka-1..3 (broker-keystore.pem)
#                     and a SCRAM password per Kafka user of scripts/kafka/users (scripts/kafka/certs.sh)
#   handoff/          <agency>.key.pem: each subgraph's own Ed25519 signing key (mounted into that subgraph only)
#   handoff-public/   <agency>.pub.pem: the keys the agencies trust (partners outside, police and social insurance,
#                     put theirs here; a public key grants nothing: the contracts' access table does)
#   auth/             gateway-identity.key.pem (the gateway only) and gateway-identity.pub.pem (the subgraphs)
#   db/               root.password (MariaDB's root) and <subgraph>.password (each subgraph's own database user)
#   s3/               root.password (MinIO's root) and <agency>.password (the document store's user of each agency keeping documents)
#   analytics-pseudonym.key   ANALYTICS_PSEUDONYM_KEY of every subgraph
# Containers run as other users than the operator and bind mounts keep the host's modes: files are 0644 (ca.key 0600)
# inside a 0700 folder, so only the operator and root reach them on the host, and each container sees only its mounts.
#   secrets.sh [dir]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${1:-$root/deploy/secrets}"
# the subgraphs (scripts/src/stack/subgraphs.ts; a test checks these lists against the code)
subgraphs=(single-window civil-status business-registration land tax)
command -v openssl >/dev/null || { echo "openssl not found"; exit 1; }
mkdir -p "$dir"
chmod 700 "$dir"

random() { openssl rand -base64 "$1" | tr '+/' '-_' | tr -d '=\n'; }
ed25519() { # <private key file> <public key file>
  [ -s "$1" ] || openssl genpkey -algorithm ed25519 -out "$1"
  [ -s "$2" ] || openssl pkey -in "$1" -pubout -out "$2"
}

# shellcheck disable=SC2046
KAFKA_CERT_SANS="${KAFKA_CERT_SANS:-DNS:kafka-1,DNS:kafka-2,DNS:kafka-3,DNS:localhost}" \
  bash "$root/scripts/kafka/certs.sh" "$dir/kafka" $(grep -v '^#' "$root/scripts/kafka/users")

mkdir -p "$dir/handoff" "$dir/handoff-public" "$dir/auth" "$dir/db"
for agency in "${subgraphs[@]}"; do ed25519 "$dir/handoff/$agency.key.pem" "$dir/handoff-public/$agency.pub.pem"; done
ed25519 "$dir/auth/gateway-identity.key.pem" "$dir/auth/gateway-identity.pub.pem"
for user in root "${subgraphs[@]}"; do [ -s "$dir/db/$user.password" ] || random 32 > "$dir/db/$user.password"; done
[ -s "$dir/analytics-pseudonym.key" ] || random 48 > "$dir/analytics-pseudonym.key"
# the document store (MinIO): its root, and each agency that keeps documents
mkdir -p "$dir/s3"
for user in root single-window; do [ -s "$dir/s3/$user.password" ] || random 32 > "$dir/s3/$user.password"; done

find "$dir" -mindepth 1 -type d -exec chmod 755 {} +
find "$dir" -type f -exec chmod 644 {} +
chmod 600 "$dir/kafka/ca.key"
echo "secrets in $dir"
for partner in police social-insurance; do
  [ -s "$dir/handoff-public/$partner.pub.pem" ] || echo "  waiting for $partner's public key: $dir/handoff-public/$partner.pub.pem (its Kafka password: $dir/kafka/$partner.password)"
done
