package com.personasettings.processor;

import com.personasettings.processor.db.Repository;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.testkit.KafkaBroker;
import com.personasettings.devstack.Postgres;
import com.personasettings.testkit.SharedInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static com.personasettings.processor.KafkaClients.header;
import static com.personasettings.processor.TestCommands.PERSONA;
import static com.personasettings.processor.TestCommands.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL stopped mid-stream and started again: the processor emits no outcome it has not persisted,
 * and once the database is back it persists and answers every command exactly once.
 */
class PostgresOutageIT {

    private static final int NUMBERS = 20;

    private static KafkaBroker kafka;
    private static Postgres postgres;
    private static SchemaRegistryClient registry;
    private static ProcessorApp processor;

    @BeforeAll
    static void start() {
        Path workDir = SharedInfrastructure.workDir().resolve("outage-it");
        kafka = KafkaBroker.start(workDir.resolve("kafka"));
        postgres = Postgres.start(workDir.resolve("postgres")); // its own server: this test stops it
        registry = new SchemaRegistryClient(SharedInfrastructure.registry().url());
        processor = ProcessorApp.start(ProcessorConfig.from(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registry.baseUrl(),
                "DATABASE_URL", postgres.jdbcUrl(),
                "PROCESSOR_HTTP_PORT", "0", "PROCESSOR_STATE_DIR", workDir.resolve("state").toString(),
                "TOPIC_PARTITIONS", "3",
                // Shorter than the outage below, so the abort-and-reprocess path is exercised too.
                "PROCESSOR_DATABASE_RETRY_MS", "2000")));
        await().atMost(Duration.ofSeconds(60)).until(() -> processor.streams().state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    static void stop() throws Exception {
        processor.close();
        kafka.close();
        postgres.close();
    }

    @Test
    void nothingIsAnsweredUntilPersistedAndNothingIsLostOrDoubled() throws Exception {
        TestCommands factory = new TestCommands();
        List<InboundCommand> before = new ArrayList<>();
        List<InboundCommand> during = new ArrayList<>();
        for (int n = 0; n < NUMBERS; n++) {
            String phone = "+1415700" + String.format("%04d", n);
            before.add(factory.provision(phone, 5000 + n));
            before.add(factory.attach(phone, PERSONA));
            for (int v = 0; v < 10; v++) {
                during.add(factory.update(phone, PERSONA, settings("v" + v, (long) v, null)));
            }
        }
        Repository repository = TestDatabase.repository(postgres.jdbcUrl());

        try (KafkaProducer<String, InboundCommand> producer = KafkaClients.commandProducer(kafka.bootstrapServers(), registry);
             var replies = KafkaClients.outcomes(kafka.bootstrapServers(), registry, Topics.REPLIES)) {
            send(producer, before, "before");
            await().atMost(Duration.ofSeconds(60)).until(() -> replies.poll().size() == before.size());

            postgres.stop();
            send(producer, during, "during");
            // While the database is down, not one outcome of the new commands becomes visible.
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10))
                    .until(() -> replies.poll().size() == before.size());
            postgres.restart();

            List<ConsumerRecord<String, CommandOutcome>> all = await().atMost(Duration.ofSeconds(120))
                    .until(replies::poll, list -> list.size() >= before.size() + during.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> replies.poll().size() == before.size() + during.size());

            Set<UUID> answered = all.stream().map(r -> r.value().getCommandId()).collect(Collectors.toSet());
            assertThat(answered).hasSize(before.size() + during.size());
            assertThat(all).allSatisfy(reply -> assertThat(reply.value().getErrors()).isNull());
            assertThat(repository.outcomes().count()).isEqualTo(before.size() + during.size());
            Set<UUID> persisted = new HashSet<>();
            for (UUID id : answered) {
                repository.outcomes().find(id).ifPresent(row -> persisted.add(row.commandId()));
            }
            assertThat(persisted).isEqualTo(answered);
            assertThat(all.stream().filter(r -> "during".equals(header(r, Topics.CORRELATION_ID_HEADER))))
                    .hasSize(during.size());
            for (int n = 0; n < NUMBERS; n++) {
                var row = repository.numbers().find("+1415700" + String.format("%04d", n)).orElseThrow();
                assertThat(row.personaSettings()).contains("\"v9\"");
            }
        }
    }

    private static void send(KafkaProducer<String, InboundCommand> producer, List<InboundCommand> commands, String tag) {
        commands.forEach(c -> producer.send(KafkaClients.record(c, Topics.REPLIES, tag)));
        producer.flush();
    }
}
