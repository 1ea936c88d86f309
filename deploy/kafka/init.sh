#!/bin/sh
# The kafka-init service of docker-compose.yml, run once the broker is up: the SCRAM users and their ACLs, as the
# super user. The same principals and ACLs as ./persona-settings dev --secure (KafkaAccess; ComposeAclsTest compares
# the "allow" lines below with it). Each user's password is the one in its JAAS secret, which the service reads.
set -eu
bootstrap=kafka:9092
config=/tmp/admin.properties
umask 077
printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="%s";\n' \
  "$(cat /run/secrets/kafka_admin_password)" > "$config"

for user in processor gateway operator service schema-registry; do
  password=$(sed -n 's/.*password="\([^"]*\)".*/\1/p' "/run/secrets/kafka_$(echo "$user" | tr - _)_jaas")
  /opt/kafka/bin/kafka-configs.sh --bootstrap-server "$bootstrap" --command-config "$config" --alter \
    --entity-type users --entity-name "$user" --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]"
done

# allow PRINCIPAL RESOURCE_TYPE NAME PATTERN OPERATION...
allow() {
  principal=$1 type=$2 name=$3 pattern=$4
  shift 4
  operations=""
  for operation in "$@"; do operations="$operations --operation $operation"; done
  case $type in
    topic) resource="--topic $name" ;;
    group) resource="--group $name" ;;
    transactional-id) resource="--transactional-id $name" ;;
    cluster) resource="--cluster" ;;
  esac
  # shellcheck disable=SC2086 # resource and operations are lists of options
  /opt/kafka/bin/kafka-acls.sh --bootstrap-server "$bootstrap" --command-config "$config" --add \
    --allow-principal "User:$principal" $resource --resource-pattern-type "$pattern" $operations
}

# The processor (PROCESSOR_APPLICATION_ID persona-settings-processor names its group, changelogs and transactions).
allow processor topic persona.inbound.commands literal Read Write Describe Create
allow processor topic persona.inbound.operator literal Read Describe Create
allow processor topic persona.inbound.outcomes literal Write Describe Create
allow processor topic persona.inbound.numbers literal Write Describe Create
allow processor topic persona.inbound.commands.dlq literal Write Describe Create
allow processor topic persona.inbound.replies literal Write Describe Create
allow processor topic persona.inbound.replies prefixed Write Describe
allow processor topic persona-settings-processor- prefixed All
allow processor group persona-settings-processor literal Read
allow processor transactional-id persona-settings-processor- prefixed Write Describe
allow processor cluster kafka-cluster literal IdempotentWrite

# The gateway: commands, and its own reply topics (GATEWAY_INSTANCE_ID starts with "gateway").
allow gateway topic persona.inbound.commands literal Write Describe
allow gateway topic persona.inbound.replies.gateway prefixed Create Read Describe

# The operator (./persona-settings admin): provisioning and releasing are accepted only from the operator topic.
allow operator topic persona.inbound.operator literal Write Describe
allow operator topic persona.inbound.commands literal Write Describe
allow operator topic persona.inbound.replies.operator prefixed Create Read Describe

# An example of another service: commands (not the operator topic), its own reply topics and consumer groups.
allow service topic persona.inbound.commands literal Write Describe
allow service topic persona.inbound.replies.service prefixed Create Read Describe
allow service group service prefixed Read

# The schema registry keeps its schemas in the _schemas topic and elects its leader through a group.
allow schema-registry topic _schemas literal All
allow schema-registry group schema-registry prefixed Read Describe
echo "Kafka users and ACLs are set up"
