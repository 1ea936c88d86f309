#!/bin/sh
# Writes the Kafka secrets docker-compose.yml mounts, once: the super user's password and, per principal, the JAAS
# line its service reads through KAFKA_SASL_JAAS_CONFIG_FILE, each with a random password, and the processor's
# operator signing key. Existing files are kept
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
# The processor's operator signing key (PROCESSOR_OPERATOR_KEY_FILE): 48 random bytes, base64.
[ -e "$dir/processor-operator.key" ] || head -c 48 /dev/urandom | base64 | tr -d '\n' > "$dir/processor-operator.key"
echo "Kafka secrets and the operator signing key in $dir"
