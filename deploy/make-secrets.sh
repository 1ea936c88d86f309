#!/bin/sh
# Writes the Kafka secrets docker-compose.yml mounts, once: the super user's password and, per principal, the JAAS
# line its service reads through KAFKA_SASL_JAAS_CONFIG_FILE, each with a random password. Existing files are kept
# (the broker's log was formatted with the admin password). Usage: deploy/make-secrets.sh [DIR] (default: secrets)
set -eu
dir=${1:-secrets}
mkdir -p "$dir"
umask 077
random() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }
[ -e "$dir/kafka-admin.password" ] || random > "$dir/kafka-admin.password"
for user in processor gateway operator service schema-registry; do
  file="$dir/kafka-$user.jaas"
  [ -e "$file" ] || printf 'org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' \
    "$user" "$(random)" > "$file"
done
echo "Kafka secrets in $dir"
