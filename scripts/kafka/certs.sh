#!/usr/bin/env bash
# The secrets of the secured bus, made with openssl alone, each only when missing (delete a file to renew it):
#   ca.key, ca.pem                 a CA of this installation (what clients trust: KAFKA_CA_FILE=…/ca.pem)
#   broker.key, broker.pem         the brokers' certificate, signed by it (CN=kafka-broker; IP:127.0.0.1, DNS:localhost)
#   broker-keystore.pem            key + certificate + CA, for ssl.keystore.type=PEM
#   <user>.password                a random SCRAM-SHA-512 password per Kafka user (admin, each member, gateway)
# Everything 0600 in a 0700 directory.
#   certs.sh <secrets dir> [user…]
set -euo pipefail
dir="${1:?usage: certs.sh <secrets dir> [user…]}"
shift
umask 077
mkdir -p "$dir"
chmod 700 "$dir"
days="${KAFKA_CERT_DAYS:-825}"
sans="${KAFKA_CERT_SANS:-IP:127.0.0.1,DNS:localhost}"

if [ ! -f "$dir/ca.key" ] || [ ! -f "$dir/ca.pem" ]; then
  openssl req -x509 -newkey rsa:3072 -sha256 -nodes -days 3650 -subj "/O=onestop/CN=onestop Kafka CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  rm -f "$dir/broker.pem" "$dir/broker-keystore.pem"  # signed by the CA before, if any
  echo "made a CA: $dir/ca.pem"
fi
if [ ! -f "$dir/broker.key" ] || [ ! -f "$dir/broker.pem" ]; then
  openssl req -newkey rsa:3072 -sha256 -nodes -subj "/O=onestop/CN=kafka-broker" -keyout "$dir/broker.rsa.key" -out "$dir/broker.csr" 2>/dev/null
  # Kafka's PEM keystore wants PKCS#8
  openssl pkcs8 -topk8 -nocrypt -in "$dir/broker.rsa.key" -out "$dir/broker.key"
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n' "$sans" > "$dir/broker.ext"
  openssl x509 -req -sha256 -days "$days" -in "$dir/broker.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -extfile "$dir/broker.ext" -out "$dir/broker.pem" 2>/dev/null
  rm -f "$dir/broker.rsa.key" "$dir/broker.csr" "$dir/broker.ext" "$dir/broker-keystore.pem"
  echo "made the broker certificate: $dir/broker.pem ($sans)"
fi
[ -f "$dir/broker-keystore.pem" ] || cat "$dir/broker.key" "$dir/broker.pem" "$dir/ca.pem" > "$dir/broker-keystore.pem"

for user in "$@"; do
  [[ "$user" =~ ^[a-z][a-z0-9-]*$ ]] || { echo "not a user name: $user"; exit 2; }
  [ -s "$dir/$user.password" ] && continue
  # 32 random bytes, URL-safe base64 without padding: no character that needs quoting in a JAAS line or a shell
  openssl rand -base64 32 | tr '+/' '-_' | tr -d '=\n' > "$dir/$user.password"
done
chmod 600 "$dir"/*
