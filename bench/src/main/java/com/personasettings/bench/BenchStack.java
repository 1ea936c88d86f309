package com.personasettings.bench;

import com.personasettings.gateway.GatewayApp;
import com.personasettings.gateway.GatewayConfig;
import com.personasettings.processor.ProcessorApp;
import com.personasettings.processor.ProcessorConfig;
import com.personasettings.devstack.FileTrees;
import com.personasettings.devstack.KafkaServer;
import com.personasettings.devstack.Postgres;
import com.personasettings.devstack.SchemaRegistryServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The dev stack's parts, started fresh for a benchmark: a Kafka broker and the schema registry as child
 * processes, PostgreSQL from the embedded binaries, the processor and the gateway in this JVM, where the
 * benchmark can stop and restart the processor.
 */
final class BenchStack implements AutoCloseable {

    final KafkaServer kafka;
    final Postgres postgres;
    final SchemaRegistryServer registry;
    private final Path dir;
    /** Processor settings over the bench's own (for example a dedup window). */
    private final Map<String, String> processorSettings;
    private ProcessorApp processor;
    private GatewayApp gateway;

    private BenchStack(Path dir, KafkaServer kafka, Postgres postgres, SchemaRegistryServer registry,
                       Map<String, String> processorSettings) {
        this.dir = dir;
        this.processorSettings = Map.copyOf(processorSettings);
        this.kafka = kafka;
        this.postgres = postgres;
        this.registry = registry;
    }

    static BenchStack start(Path dir) {
        return start(dir, Map.of());
    }

    static BenchStack start(Path dir, Map<String, String> processorSettings) {
        FileTrees.delete(dir);
        var kafka = CompletableFuture.supplyAsync(() -> KafkaServer.open(dir.resolve("kafka"), freePortPair()));
        var postgres = CompletableFuture.supplyAsync(() -> Postgres.start(dir.resolve("postgres")));
        var registry = CompletableFuture.supplyAsync(() -> SchemaRegistryServer.start(
                SchemaRegistryServer.locateAppJar(), dir.resolve("registry")));
        return new BenchStack(dir, kafka.join(), postgres.join(), registry.join(), processorSettings);
    }

    /** The processor's configuration, committing by its defaults when {@code commit} is null. */
    ProcessorConfig processorConfig(CommitPolicy commit) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registry.url(),
                "DATABASE_URL", postgres.jdbcUrl(),
                "DATABASE_USER", Postgres.USER,
                "PROCESSOR_HTTP_PORT", "0", "PROCESSOR_STATE_DIR", processorStateDir().toString(),
                "PROCESSOR_INSTANCE_ID", "bench",
                "TOPIC_PARTITIONS", "6"));
        settings.putAll(processorSettings);
        if (commit != null) {
            settings.put("PROCESSOR_COMMIT_INTERVAL_MS", Long.toString(commit.interval().toMillis()));
            settings.put("PROCESSOR_COMMIT_ON_DEMAND", Boolean.toString(commit.onDemand()));
        }
        return ProcessorConfig.from(settings);
    }

    Path processorStateDir() {
        return dir.resolve("processor-state");
    }

    /** Starts the processor as configured by default and returns how long it took to reach RUNNING. */
    Duration startProcessor() throws InterruptedException {
        return startProcessor(null);
    }

    /** Starts the processor committing so (null: by its defaults) and returns the time to RUNNING. */
    Duration startProcessor(CommitPolicy commit) throws InterruptedException {
        long start = System.nanoTime();
        processor = ProcessorApp.start(processorConfig(commit));
        processor.awaitRunning(Duration.ofMinutes(5));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    void stopProcessor() {
        processor.close();
        processor = null;
    }

    URI startGateway() {
        gateway = GatewayApp.start(GatewayConfig.from(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registry.url(),
                "DATABASE_URL", postgres.jdbcUrl(),
                "DATABASE_USER", Postgres.USER,
                "GATEWAY_PORT", "0",
                "GATEWAY_INSTANCE_ID", "bench",
                // The benchmark measures the pipeline, at rates above what one key may send by default.
                "GATEWAY_KEY_RATE_LIMIT", "0",
                "GATEWAY_ORG_RATE_LIMIT", "0")));
        return URI.create("http://localhost:" + gateway.port());
    }

    /**
     * A port whose successor is free too (the broker's controller listens there), below the ephemeral range
     * where the load generator's thousands of client connections take theirs.
     */
    private static int freePortPair() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 21_000 + random.nextInt(8_000);
            try (ServerSocket first = new ServerSocket(port); ServerSocket second = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no two free consecutive ports");
    }

    @Override
    public void close() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (processor != null) {
            processor.close();
        }
        registry.close();
        postgres.close();
        kafka.close();
    }
}
