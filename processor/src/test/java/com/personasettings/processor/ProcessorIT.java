package com.personasettings.processor;

import com.personasettings.processor.db.Repository;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.testing.NewerContract;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.testkit.KafkaBroker;
import com.personasettings.testkit.SharedInfrastructure;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
                "PROCESSOR_HTTP_PORT", "0", "PROCESSOR_STATE_DIR", SharedInfrastructure.workDir().resolve("processor-it-state").toString(),
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
    void commandsWithValuesPostgresCannotHoldAreAnsweredWithErrorsAndTheNextCommandIsProcessed() {
        String phone = "+14155553500";
        producer.send(KafkaClients.record(commands.provision(phone, 3500), null, null));
        producer.send(KafkaClients.record(commands.attach(phone, PERSONA), null, null));
        // Each of these once stopped the partition: the refused command's audit row carried the NUL (or the
        // date) into PostgreSQL, which refused the batch, and the same batch was retried forever.
        List<InboundCommand> poison = List.of(
                commands.update(phone, PERSONA, settings("\u0000", null, null)),
                withActor(commands.update(phone, PERSONA, null), "svc\u0000"),
                withOrg(commands.update(phone, PERSONA, null), "org\u0000"),
                commands.command(TestCommands.ORG, "+1415555\u00003501", new com.personasettings.schemas.ProvisionNumber(1L, "x")),
                withIssuedAt(commands.update(phone, PERSONA, null), java.time.Instant.parse("+300000-01-01T00:00:00Z")));
        for (int i = 0; i < poison.size(); i++) {
            producer.send(KafkaClients.record(poison.get(i), Topics.REPLIES, "poison-" + i));
        }
        InboundCommand valid = commands.update(phone, PERSONA, settings("after", 1L, null));
        producer.send(KafkaClients.record(valid, Topics.REPLIES, "after-poison"));

        for (int i = 0; i < poison.size(); i++) {
            CommandOutcome refused = awaitReply("poison-" + i).value();
            assertThat(refused.getErrors()).as("poison %d", i).singleElement()
                    .satisfies(error -> assertThat(error.getError()).isEqualTo("INVALID_REQUEST"));
            var row = repository.outcomes().find(poison.get(i).getCommandId());
            assertThat(row).as("audit row of poison %d", i).isPresent();
            assertThat(row.get().succeeded()).isFalse();
        }
        assertThat(repository.outcomes().find(poison.get(0).getCommandId()).orElseThrow().command())
                .contains("\uFFFD").doesNotContain("\\u0000");
        // An org_id that is not a UUID has no place in the uuid column: its command is recorded with a null org.
        assertThat(repository.outcomes().find(poison.get(2).getCommandId()).orElseThrow().orgId()).isNull();
        assertThat(awaitReply("after-poison").value().getErrors()).isNull();
        assertThat(repository.numbers().find(phone).orElseThrow().personaSettings()).contains("after");
    }

    @Test
    void aCommandOfANewerContractVersionWithAnUnknownPayloadIsDeadLetteredAndChangesNothing() {
        String phone = "+14155553600";
        producer.send(KafkaClients.record(commands.provision(phone, 3600), null, null));
        producer.send(KafkaClients.record(commands.attach(phone, PERSONA), Topics.REPLIES, "attached-3600"));
        assertThat(awaitReply("attached-3600").value().getErrors()).isNull();

        // Another team registers a BACKWARD-compatible version with one more payload branch and uses it.
        Schema newer = NewerContract.withChangeLabel();
        String subject = Topics.valueSubject(Topics.COMMANDS);
        assertThat(registry.isCompatible(subject, newer)).isTrue();
        int id = registry.register(subject, newer);
        InboundCommand template = commands.update(phone, PERSONA, null);
        byte[] changeLabel = NewerContract.changeLabel(id, newer, template, "front desk");
        try (var raw = KafkaClients.rawProducer(kafka.bootstrapServers());
             var deadLetters = KafkaClients.raw(kafka.bootstrapServers(), Topics.COMMANDS_DLQ)) {
            raw.send(new ProducerRecord<>(Topics.COMMANDS, phone.getBytes(StandardCharsets.UTF_8), changeLabel));
            InboundCommand after = commands.update(phone, PERSONA, settings("still-mine", null, null));
            producer.send(KafkaClients.record(after, Topics.REPLIES, "after-newer"));

            assertThat(awaitReply("after-newer").value().getErrors()).isNull();
            List<ConsumerRecord<String, byte[]>> dead = await().atMost(Duration.ofSeconds(30))
                    .until(() -> deadLetters.matching(r -> phone.equals(r.key())), list -> !list.isEmpty());
            assertThat(dead).singleElement().satisfies(record -> {
                assertThat(header(record, Topics.DLQ_REASON_HEADER)).isEqualTo("UNKNOWN_BRANCH");
                assertThat(header(record, Topics.DLQ_ERROR_HEADER)).contains("com.personasettings.schemas.ChangeLabel");
            });
        }
        var number = repository.numbers().find(phone).orElseThrow();
        assertThat(number.released()).isFalse();
        assertThat(number.personaId()).isEqualTo(PERSONA);
        assertThat(repository.outcomes().find(template.getCommandId())).isEmpty();
        assertThat(TestDatabase.outcomeRowsFor(repository, phone)).isEqualTo(3);
    }

    @Test
    void aRecordWhoseRowsPostgresRefusesIsDeadLetteredAndTheRestOfItsBatchCommits() throws Exception {
        // A constraint PostgreSQL enforces and no rule of ours knows: it refuses exactly one record's row.
        try (var connection = TestDatabase.dataSource(database).getConnection(); var statement = connection.createStatement()) {
            statement.execute("alter table command_outcomes add constraint refuse_for_test check (actor <> 'refused-by-test')");
        }
        try (var deadLetters = KafkaClients.raw(kafka.bootstrapServers(), Topics.COMMANDS_DLQ)) {
            InboundCommand before = commands.provision("+14155553700", 3700);
            InboundCommand refused = withActor(commands.provision("+14155553701", 3701), "refused-by-test");
            InboundCommand after = commands.provision("+14155553702", 3702);
            producer.send(KafkaClients.record(before, Topics.REPLIES, "before-refused"));
            producer.send(KafkaClients.record(refused, Topics.REPLIES, "refused"));
            producer.send(KafkaClients.record(after, Topics.REPLIES, "after-refused"));

            assertThat(awaitReply("before-refused").value().getErrors()).isNull();
            assertThat(awaitReply("after-refused").value().getErrors()).isNull();
            List<ConsumerRecord<String, byte[]>> dead = await().atMost(Duration.ofSeconds(30))
                    .until(() -> deadLetters.matching(r -> "+14155553701".equals(r.key())), list -> !list.isEmpty());
            assertThat(dead).singleElement().satisfies(record -> {
                assertThat(header(record, Topics.DLQ_REASON_HEADER)).isEqualTo("DATABASE_REFUSED");
                assertThat(header(record, Topics.DLQ_ERROR_HEADER)).contains("SQLSTATE 23514").contains("refuse_for_test");
            });
            assertThat(repository.outcomes().find(refused.getCommandId())).isEmpty();
            assertThat(repository.numbers().find("+14155553701")).isEmpty();
            assertThat(repository.numbers().find("+14155553702")).isPresent();
            assertThat(replies.matching(r -> "refused".equals(header(r, Topics.CORRELATION_ID_HEADER)))).isEmpty();
        } finally {
            try (var connection = TestDatabase.dataSource(database).getConnection(); var statement = connection.createStatement()) {
                statement.execute("alter table command_outcomes drop constraint refuse_for_test");
            }
        }
    }

    @Test
    void aReplyTopicDeletedAfterUseCostsOnlyItsReplies() throws Exception {
        String phone = "+14155553800";
        String vanishing = Topics.REPLIES + ".vanishing";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
             var vanishingReplies = KafkaClients.outcomes(kafka.bootstrapServers(), registry, createTopic(admin, vanishing))) {
            producer.send(KafkaClients.record(commands.provision(phone, 3800), vanishing, "while-it-exists"));
            await().atMost(Duration.ofSeconds(30)).until(() -> !vanishingReplies.matching(
                    r -> "while-it-exists".equals(header(r, Topics.CORRELATION_ID_HEADER))).isEmpty());
            admin.deleteTopics(List.of(vanishing)).all().get();

            // The processor still believes the topic exists: the send fails (after the producer's max.block.ms).
            InboundCommand orphan = commands.attach(phone, PERSONA);
            producer.send(KafkaClients.record(orphan, vanishing, "to-nowhere"));
            InboundCommand next = commands.update(phone, PERSONA, settings("next", null, null));
            producer.send(KafkaClients.record(next, Topics.REPLIES, "after-vanished"));

            // The partition pauses for the failed send (delivery.timeout.ms) and goes on; it used to stop for good.
            assertThat(await().atMost(Duration.ofSeconds(90)).until(
                    () -> replies.matching(r -> "after-vanished".equals(header(r, Topics.CORRELATION_ID_HEADER))),
                    list -> !list.isEmpty()).get(0).value().getErrors()).isNull();
            assertThat(repository.outcomes().find(orphan.getCommandId()).orElseThrow().succeeded()).isTrue();
        }
    }

    private static String createTopic(Admin admin, String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        return topic;
    }

    @Test
    void theContractSubjectsAreRegisteredAndRejectIncompatibleChanges() {
        Schema withoutDefault = SchemaBuilder.record("InboundCommand").namespace("com.personasettings.schemas")
                .fields().requiredString("something_new").endRecord();

        for (String topic : List.of(Topics.COMMANDS, Topics.OUTCOMES, Topics.REPLIES, Topics.NUMBERS)) {
            assertThat(registry.isCompatible(Topics.valueSubject(topic), withoutDefault)).as(topic).isFalse();
        }
    }

    private static InboundCommand withActor(InboundCommand command, String actor) {
        return copy(command, command.getOrgId(), actor, command.getIssuedAt());
    }

    private static InboundCommand withOrg(InboundCommand command, String org) {
        return copy(command, org, command.getActor(), command.getIssuedAt());
    }

    private static InboundCommand withIssuedAt(InboundCommand command, java.time.Instant issuedAt) {
        return copy(command, command.getOrgId(), command.getActor(), issuedAt);
    }

    /** Not {@code newBuilder(command)}: its deep copy of the payload runs into Avro's class guard. */
    private static InboundCommand copy(InboundCommand command, String org, String actor, java.time.Instant issuedAt) {
        return new InboundCommand(command.getCommandId(), org, issuedAt, actor, command.getPhoneNumber(),
                command.getPayload());
    }

    private static ConsumerRecord<String, CommandOutcome> awaitReply(String correlationId) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> replies.matching(r -> correlationId.equals(header(r, Topics.CORRELATION_ID_HEADER))),
                list -> !list.isEmpty()).get(0);
    }
}
