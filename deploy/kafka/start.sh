#!/bin/sh
# The kafka service's command: formats the log on first start with the super user's SCRAM credential (in KRaft the
# first credential must be written at format time: nobody could log in to create it later), then runs the broker
# with its own login (the same user) in a JAAS file. The password comes from the kafka_admin_password secret.
set -eu
config=/etc/persona-kafka/server.properties
password=$(cat /run/secrets/kafka_admin_password)
jaas="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$password\";"
umask 077
printf 'KafkaServer {\n  %s\n};\n' "$jaas" > /tmp/kafka_server_jaas.conf
# For the health check's client.
printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=%s\n' "$jaas" > /tmp/admin.properties
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted -t "$CLUSTER_ID" -c "$config" \
  --add-scram "SCRAM-SHA-512=[name=admin,password=$password]"
export KAFKA_OPTS="-Djava.security.auth.login.config=/tmp/kafka_server_jaas.conf"
exec /opt/kafka/bin/kafka-server-start.sh "$config"
