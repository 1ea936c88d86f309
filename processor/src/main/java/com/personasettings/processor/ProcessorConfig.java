package com.personasettings.processor;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The processor's settings, from environment variables (names below) or a properties file with the same
 * keys named by {@code PERSONA_SETTINGS_CONFIG}; the environment wins over the file.
 *
 * @param topicReplicationFactor replicas of the topics the processor creates; -1 takes the broker default
 * @param commitInterval         how often the Kafka transaction (and with it the database batch) commits
 * @param databaseRetry          how long a commit waits for an unreachable PostgreSQL before the
 *                               transaction is aborted and its records processed again
 * @param instanceId             stable name of this instance (static group membership), or null: a
 *                               restarted instance with the same name takes its partitions back at once
 *                               instead of waiting for the group to notice the old one is gone
 * @param dedupWindow            how long a command id is recognised from the state store; an older id is
 *                               recognised by the database, at the cost of processing its batch again
 */
public record ProcessorConfig(
        String bootstrapServers,
        String schemaRegistryUrl,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        String applicationId,
        Path stateDir,
        int streamThreads,
        Duration commitInterval,
        Duration databaseRetry,
        String replyTopicAllowlist,
        int topicPartitions,
        short topicReplicationFactor,
        String instanceId,
        Duration dedupWindow) {

    public static final String CONFIG_FILE = "PERSONA_SETTINGS_CONFIG";

    public static ProcessorConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static ProcessorConfig from(Map<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        String file = environment.get(CONFIG_FILE);
        if (file != null && !file.isBlank()) {
            values.putAll(readProperties(Path.of(file)));
        }
        values.putAll(environment);
        Settings settings = new Settings(values);
        return new ProcessorConfig(
                settings.get("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                settings.get("SCHEMA_REGISTRY_URL", "http://localhost:8081"),
                settings.get("DATABASE_URL", "jdbc:postgresql://localhost:5432/persona_settings"),
                settings.get("DATABASE_USER", "postgres"),
                settings.get("DATABASE_PASSWORD", ""),
                settings.get("PROCESSOR_APPLICATION_ID", "persona-settings-processor"),
                Path.of(settings.get("PROCESSOR_STATE_DIR", "data/processor-state")),
                Integer.parseInt(settings.get("PROCESSOR_THREADS", "1")),
                Duration.ofMillis(Long.parseLong(settings.get("PROCESSOR_COMMIT_INTERVAL_MS", "20"))),
                Duration.ofMillis(Long.parseLong(settings.get("PROCESSOR_DATABASE_RETRY_MS", "20000"))),
                settings.get("REPLY_TOPIC_ALLOWLIST", "persona.inbound.replies*"),
                Integer.parseInt(settings.get("TOPIC_PARTITIONS", "6")),
                Short.parseShort(settings.get("TOPIC_REPLICATION_FACTOR", "-1")),
                settings.get("PROCESSOR_INSTANCE_ID", null),
                Duration.ofMillis(Long.parseLong(settings.get("PROCESSOR_DEDUP_WINDOW_MS", "86400000"))));
    }

    public ProcessorConfig {
        // A command seen twice in one batch is recognised only by the store (the database has neither yet): the
        // window must outlast a batch by far.
        Duration shortest = commitInterval.multipliedBy(10).compareTo(Duration.ofSeconds(1)) > 0
                ? commitInterval.multipliedBy(10) : Duration.ofSeconds(1);
        if (dedupWindow.compareTo(shortest) < 0) {
            throw new IllegalArgumentException("PROCESSOR_DEDUP_WINDOW_MS must be at least " + shortest.toMillis()
                    + " (1 s, and 10 commit intervals)");
        }
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CONFIG_FILE + " " + file, e);
        }
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }

    private record Settings(Map<String, String> values) {
        String get(String name, String defaultValue) {
            String value = values.get(name);
            return value == null || value.isBlank() ? defaultValue : value.trim();
        }
    }
}
