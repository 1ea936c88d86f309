package com.personasettings.processor;

import com.personasettings.processor.db.Repository;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.testkit.KafkaBroker;
import com.personasettings.testkit.SharedInfrastructure;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.personasettings.processor.KafkaClients.header;
import static com.personasettings.processor.TestCommands.PERSONA;
import static com.personasettings.processor.TestCommands.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The processor in this JVM against a real broker, PostgreSQL and schema registry. */
class ProcessorIT {

    private static KafkaBroker kafka;
    private static SchemaRegistryClient registry;
    private static Repository repository;
    private static ProcessorApp processor;
    private static String database;
    private static KafkaProducer<String, InboundCommand> producer;
    private static KafkaClients.TopicReader<CommandOutcome> replies;

    private final TestCommands commands = new TestCommands();

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.start(SharedInfrastructure.workDir().resolve("processor-it"));
        registry = new SchemaRegistryClient(SharedInfrastructure.registry().url());
        database = SharedInfrastructure.postgres().createDatabase("processor_it");
        ProcessorConfig config = ProcessorConfig.from(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registry.baseUrl(),
                "DATABASE_URL", database,
                "PROCESSOR_STATE_DIR", SharedInfrastructure.workDir().resolve("processor-it-state").toString(),
                "TOPIC_PARTITIONS", "3"));
        processor = ProcessorApp.start(config);
        repository = TestDatabase.repository(database);
        await().atMost(Duration.ofSeconds(60)).until(() -> processor.streams().state() == KafkaStreams.State.RUNNING);
        producer = KafkaClients.commandProducer(kafka.bootstrapServers(), registry);
        replies = KafkaClients.outcomes(kafka.bootstrapServers(), registry, Topics.REPLIES);
    }

    @AfterAll
    static void stop() throws Exception {
        replies.close();
        producer.close();
        processor.close();
        kafka.close();
    }

    @Test
    void aCommandIsPersistedBeforeItsReplyArrivesWithTheCallersCorrelationId() {
        String phone = "+14155551234";
        producer.send(KafkaClients.record(commands.provision(phone, 42), null, null));
        producer.send(KafkaClients.record(commands.attach(phone, PERSONA), null, null));
        InboundCommand update = commands.update(phone, PERSONA, settings("pathway_abc123", 2L, "node_xyz"));
        String correlationId = UUID.randomUUID().toString();
        producer.send(KafkaClients.record(update, Topics.REPLIES, correlationId));

        ConsumerRecord<String, CommandOutcome> reply = awaitReply(correlationId);

        // Read at once, no waiting: the rows were committed before the reply became visible.
        var row = repository.outcomes().find(update.getCommandId());
        assertThat(row).isPresent();
        assertThat(row.get().succeeded()).isTrue();
        var number = repository.numbers().find(phone).orElseThrow();
        assertThat(number.id()).isEqualTo(42);
        assertThat(number.personaId()).isEqualTo(PERSONA);
        assertThat(number.personaSettings())
                .isEqualTo("{\"pathway_id\": \"pathway_abc123\", \"start_node_id\": \"node_xyz\", \"pathway_version\": 2}");
        assertThat(number.updatedAt()).isEqualTo(update.getIssuedAt());

        assertThat(reply.key()).isEqualTo(phone);
        assertThat(reply.value().getCommandId()).isEqualTo(update.getCommandId());
        assertThat(reply.value().getErrors()).isNull();
        assertThat(reply.value().getData().getPersonaSettings().getStartNodeId()).isEqualTo("node_xyz");
    }

    @Test
    void noReplyIsVisibleWhileTheDatabaseWriteCannotCommit() throws Exception {
        String phone = "+14155551500";
        InboundCommand provision = commands.provision(phone, 1500);
        try (TableLock lock = TableLock.exclusive(database, "command_outcomes")) {
            producer.send(KafkaClients.record(provision, Topics.REPLIES, "frozen"));
            await().atMost(Duration.ofSeconds(30)).until(lock::hasWaiters);
            // The processor has the outcome and is writing it; the reply must wait for the write.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> replies.matching(r -> "frozen".equals(header(r, Topics.CORRELATION_ID_HEADER))).isEmpty());
        }
        awaitReply("frozen");
        assertThat(repository.outcomes().find(provision.getCommandId())).isPresent();
    }

    @Test
    void theSameCommandTwiceChangesOnceAndAnswersTwiceIdentically() {
        String phone = "+14155552000";
        producer.send(KafkaClients.record(commands.provision(phone, 7), null, null));
        producer.send(KafkaClients.record(commands.attach(phone, PERSONA), null, null));
        InboundCommand update = commands.update(phone, PERSONA, settings("once", 1L, null));
        InboundCommand later = commands.update(phone, PERSONA, settings("later", 2L, null));
        producer.send(KafkaClients.record(update, Topics.REPLIES, "first"));
        producer.send(KafkaClients.record(later, null, null));
        producer.send(KafkaClients.record(update, Topics.REPLIES, "second"));

        CommandOutcome first = awaitReply("first").value();
        CommandOutcome second = awaitReply("second").value();

        assertThat(second).isEqualTo(first);
        assertThat(first.getData().getPersonaSettings().getPathwayId()).isEqualTo("once");
        assertThat(repository.numbers().find(phone).orElseThrow().personaSettings()).contains("later");
        assertThat(TestDatabase.outcomeRowsFor(repository, phone)).isEqualTo(4);
    }

    @Test
    void aPoisonPillGoesToTheDeadLetterTopicAndTheNextCommandIsStillProcessed() {
        String phone = "+14155553000";
        try (var raw = KafkaClients.rawProducer(kafka.bootstrapServers());
             var deadLetters = KafkaClients.raw(kafka.bootstrapServers(), Topics.COMMANDS_DLQ)) {
            raw.send(new ProducerRecord<>(Topics.COMMANDS, phone.getBytes(StandardCharsets.UTF_8),
                    "definitely not avro".getBytes(StandardCharsets.UTF_8)));
            InboundCommand provision = commands.provision(phone, 3000);
            producer.send(KafkaClients.record(provision, Topics.REPLIES, "after-the-pill"));

            assertThat(awaitReply("after-the-pill").value().getErrors()).isNull();
            List<ConsumerRecord<String, byte[]>> dead = await().atMost(Duration.ofSeconds(30))
                    .until(() -> deadLetters.matching(r -> phone.equals(r.key())), list -> !list.isEmpty());
            assertThat(dead).singleElement().satisfies(record -> {
                assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("definitely not avro");
                assertThat(header(record, Topics.DLQ_REASON_HEADER)).isEqualTo("UNDESERIALIZABLE");
            });
        }
    }

    @Test
    void theContractSubjectsAreRegisteredAndRejectIncompatibleChanges() {
        Schema withoutDefault = SchemaBuilder.record("InboundCommand").namespace("com.personasettings.schemas")
                .fields().requiredString("something_new").endRecord();

        for (String topic : List.of(Topics.COMMANDS, Topics.OUTCOMES, Topics.REPLIES, Topics.NUMBERS)) {
            assertThat(registry.isCompatible(Topics.valueSubject(topic), withoutDefault)).as(topic).isFalse();
        }
    }

    private static ConsumerRecord<String, CommandOutcome> awaitReply(String correlationId) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> replies.matching(r -> correlationId.equals(header(r, Topics.CORRELATION_ID_HEADER))),
                list -> !list.isEmpty()).get(0);
    }
}
