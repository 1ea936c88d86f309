// Changes a number's settings through Kafka, as the Java client does: an Avro InboundCommand on
// persona.inbound.commands (key = phone number) with reply-to and correlation-id headers, and the CommandOutcome
// read back from the service's own reply topic.
//   node change-settings.js ORG_ID PERSONA_ID +E164 START_NODE_ID
// with KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL set (the export line `./persona-settings dev` prints).
const { Kafka } = require('kafkajs');
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry');
const { randomUUID } = require('crypto');

const [orgId, personaId, phoneNumber, startNodeId] = process.argv.slice(2);
const service = 'billing-js';
const replyTopic = `persona.inbound.replies.${service}`; // on the processor's default allowlist

const kafka = new Kafka({ clientId: service, brokers: process.env.KAFKA_BOOTSTRAP_SERVERS.split(',') });
const registry = new SchemaRegistry({ host: process.env.SCHEMA_REGISTRY_URL });

async function main() {
  // The reply topic must exist before the command is processed (the processor never creates it): as the Java
  // client and the gateway make theirs, one partition, replies kept an hour.
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ // resolves false when it exists already
    topics: [{ topic: replyTopic, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
  });
  await admin.disconnect();

  const commandId = randomUUID();
  // KafkaJS reads committed records only (readUncommitted: false): an outcome is never one that could be rolled back.
  const consumer = kafka.consumer({ groupId: `${service}-replies-${randomUUID()}`, readUncommitted: false });
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.connect();
  await consumer.subscribe({ topic: replyTopic, fromBeginning: false });
  const outcome = new Promise((resolve) => consumer.run({
    eachMessage: async ({ message }) => {
      if (String(message.headers['correlation-id']) === commandId) {
        resolve(await registry.decode(message.value));
      }
    },
  }));
  await joined; // listening from the end of the topic before the command goes out, so its reply is not missed

  const producer = kafka.producer({ idempotent: true }); // acks=all
  await producer.connect();
  const schemaId = await registry.getLatestSchemaId('persona.inbound.commands-value');
  const command = {
    command_id: commandId,
    org_id: orgId,
    issued_at: Date.now(),
    actor: service,
    phone_number: phoneNumber,
    // the payload union has several records, so its branch is named; ["null", X] unions take the value as it is
    payload: {
      'com.personasettings.schemas.UpdatePersonaSettings': {
        persona_id: personaId,
        persona_settings: { pathway_id: 'pathway_abc123', pathway_version: 2, start_node_id: startNodeId },
      },
    },
  };
  await producer.send({
    topic: 'persona.inbound.commands',
    messages: [{
      key: phoneNumber,
      value: await registry.encode(schemaId, command),
      headers: { 'reply-to': replyTopic, 'correlation-id': commandId },
    }],
  });

  const result = await Promise.race([outcome,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no outcome for ${commandId} within 30 s`)), 30000))]);
  console.log(JSON.stringify(result));
  await producer.disconnect();
  await consumer.disconnect();
  process.exit(result.errors ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
