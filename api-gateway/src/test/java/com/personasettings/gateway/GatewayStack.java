package com.personasettings.gateway;

import com.personasettings.client.PersonaClient;
import com.personasettings.gateway.admin.Operator;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.gateway.db.PersonaRow;
import com.personasettings.gateway.kafka.CommandPublisher;
import com.personasettings.processor.ProcessorApp;
import com.personasettings.processor.ProcessorConfig;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.testkit.KafkaBroker;
import com.personasettings.devstack.Postgres;
import com.personasettings.testkit.SharedInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/** The whole product on real parts: broker, PostgreSQL, registry, processor and a gateway. */
final class GatewayStack implements AutoCloseable {

    final String bootstrapServers;
    /** The broker or cluster under the stack, closed with it. */
    private final KafkaBroker kafka;
    final String databaseUrl;
    final SchemaRegistryClient registry;
    final ProcessorApp processor;
    final GatewayApp gateway;
    final GatewayDatabase db;
    private final PGSimpleDataSource dataSource;
    final Operator operator;
    private final PersonaClient operatorClient;
    /** For commands sent straight to Kafka, as built by a test. */
    private final CommandPublisher rawPublisher;

    GatewayStack(String name) {
        this(name, null, SharedInfrastructure.postgres());
    }

    /**
     * @param cluster  a cluster whose brokers the test stops and starts, or null for a broker of the stack's own
     * @param postgres the server the stack's database lives on (one of the test's own, to stop it)
     */
    GatewayStack(String name, KafkaBroker cluster, Postgres postgres) {
        Path dir = SharedInfrastructure.workDir().resolve(name);
        kafka = cluster != null ? cluster : KafkaBroker.start(dir.resolve("kafka"));
        bootstrapServers = kafka.bootstrapServers();
        databaseUrl = postgres.createDatabase(name.replace('-', '_'));
        registry = new SchemaRegistryClient(SharedInfrastructure.registry().url());
        processor = ProcessorApp.start(ProcessorConfig.from(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "SCHEMA_REGISTRY_URL", registry.baseUrl(),
                "DATABASE_URL", databaseUrl,
                "PROCESSOR_HTTP_PORT", "0", "PROCESSOR_STATE_DIR", dir.resolve("state").toString(),
                "TOPIC_PARTITIONS", "3")));
        await().atMost(Duration.ofSeconds(60)).until(() -> processor.streams().state() == KafkaStreams.State.RUNNING);
        gateway = startGateway("gw-1", Map.of());
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(databaseUrl);
        dataSource.setUser(Postgres.USER);
        db = new GatewayDatabase(dataSource);
        rawPublisher = new CommandPublisher(bootstrapServers, registry, null);
        operatorClient = Operator.client(bootstrapServers, registry.baseUrl());
        operator = new Operator(db, operatorClient);
    }

    GatewayApp startGateway(String instanceId, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "SCHEMA_REGISTRY_URL", registry.baseUrl(),
                "DATABASE_URL", databaseUrl,
                "GATEWAY_PORT", "0",
                "GATEWAY_INSTANCE_ID", instanceId,
                "GATEWAY_REPLY_TIMEOUT_MS", "15000",
                // Numbers left on deleted personas are detached within a second, not the default ten.
                "GATEWAY_SWEEP_MS", "500"));
        env.putAll(overrides);
        return GatewayApp.start(GatewayConfig.from(env));
    }

    /** How many records the commands topic holds, over all partitions. */
    long commandsWritten() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.COMMANDS)).allTopicNames().get()
                    .get(Topics.COMMANDS).partitions().stream()
                    .map(p -> new TopicPartition(Topics.COMMANDS, p.partition())).toList();
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get().values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The traceparent header of every record in the topic so far. */
    List<String> traceparents(String topic) {
        return headers(topic).stream().map(headers -> headers.get("traceparent")).filter(java.util.Objects::nonNull)
                .toList();
    }

    /** The headers of every committed record in the topic so far, each record's as name → last value. */
    List<Map<String, String>> headers(String topic) {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrapServers, "isolation.level", "read_committed");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(config,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<Map<String, String>> found = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    Map<String, String> headers = new java.util.HashMap<>();
                    record.headers().forEach(header -> headers.put(header.key(),
                            header.value() == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8)));
                    found.add(headers);
                }
            }
            return found;
        }
    }

    javax.sql.DataSource dataSource() {
        return dataSource;
    }

    /** Sends a command straight to the commands topic, as another service may; completes when the broker has it. */
    void send(com.personasettings.schemas.InboundCommand command) {
        rawPublisher.publish(command).join();
    }

    /** One statement on the database, as an operator would run it by hand. */
    void execute(String sql, Object... parameters) {
        try (var connection = dataSource.getConnection(); var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** A new org with a key. */
    Org org(String name) {
        UUID id = operator.createOrg(name);
        return new Org(id, operator.createKey(id));
    }

    /** Provisions a number and waits until the processor has recorded it. */
    void provision(Org org, String phone, Long id) {
        operator.provision(org.id(), phone, "line " + phone, id).written().join();
        await().atMost(Duration.ofSeconds(30)).until(() -> db.numbers().orgOf(phone).isPresent());
    }

    /** A persona with a chosen id (the API draws random ones), for reproducing Bland's examples verbatim. */
    void persona(Org org, String personaId) {
        Instant now = Instant.parse("2025-09-23T16:00:00Z");
        db.personas().insert(new PersonaRow(UUID.fromString(personaId), org.id(), "Example", null, now, now));
    }

    record Org(UUID id, String key) {
    }

    @Override
    public void close() throws Exception {
        gateway.close();
        operatorClient.close();
        rawPublisher.close();
        processor.close();
        kafka.close();
    }
}
