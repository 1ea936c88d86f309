package com.personasettings.processor;

import com.personasettings.platform.Database;
import com.personasettings.platform.KafkaClientSettings;
import com.personasettings.platform.Settings;
import com.personasettings.processor.stream.OperatorSignature;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The processor's settings, read by {@link Settings}: environment variables (names below), else the same keys in
 * the properties file named by {@code PERSONA_SETTINGS_CONFIG}, else the defaults.
 *
 * @param kafkaSecurity          the Kafka client security settings (KAFKA_SECURITY_PROTOCOL, ...), for every client
 * @param topicReplicationFactor replicas of the topics the processor creates; -1 takes the broker default
 * @param commitInterval         how often the Kafka transaction (and with it the database batch) commits
 * @param databaseRetry          how long a commit waits for an unreachable PostgreSQL before the
 *                               transaction is aborted and its records processed again
 * @param instanceId             stable name of this instance (static group membership), or null: a
 *                               restarted instance with the same name takes its partitions back at once
 *                               instead of waiting for the group to notice the old one is gone
 * @param dedupWindow            how long a command id is recognised from the state store; an older id is
 *                               recognised by the database, at the cost of processing its batch again
 * @param httpPort               the port of /metrics, /health/live and /health/ready; 0 for any free one
 * @param commitOnDemand         whether a record with a caller waiting (a reply-to) asks Kafka Streams to commit at the
 *                               end of the current loop instead of at the next interval (which stays the upper bound)
 * @param operatorSignature      from PROCESSOR_OPERATOR_KEY(_FILE): the key that signs what is copied from the
 *                               operator topic; without one, operator commands are accepted from either topic
 */
public record ProcessorConfig(
        String bootstrapServers,
        KafkaClientSettings kafkaSecurity,
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
        Duration dedupWindow,
        int httpPort,
        boolean commitOnDemand,
        OperatorSignature operatorSignature) {

    public static final String CONFIG_FILE = Settings.CONFIG_FILE;
    /** PROCESSOR_APPLICATION_ID's default: the Streams application id, which names its group, changelogs and transactions. */
    public static final String DEFAULT_APPLICATION_ID = "persona-settings-processor";

    public static ProcessorConfig fromEnvironment() {
        return from(System.getenv());
    }

    /** From these environment variables (and the file {@value #CONFIG_FILE} names, if one does). */
    public static ProcessorConfig from(Map<String, String> environment) {
        Settings settings = Settings.from(environment);
        Database database = Database.from(settings);
        return new ProcessorConfig(
                settings.text("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                KafkaClientSettings.from(settings),
                settings.text("SCHEMA_REGISTRY_URL", "http://localhost:8081"),
                database.url(),
                database.user(),
                database.password(),
                settings.text("PROCESSOR_APPLICATION_ID", DEFAULT_APPLICATION_ID),
                Path.of(settings.text("PROCESSOR_STATE_DIR", "data/processor-state")),
                settings.integer("PROCESSOR_THREADS", 1),
                settings.millis("PROCESSOR_COMMIT_INTERVAL_MS", 20),
                settings.millis("PROCESSOR_DATABASE_RETRY_MS", 20_000),
                settings.text("REPLY_TOPIC_ALLOWLIST", "persona.inbound.replies*"),
                settings.integer("TOPIC_PARTITIONS", 6),
                settings.shortInteger("TOPIC_REPLICATION_FACTOR", (short) -1),
                settings.text("PROCESSOR_INSTANCE_ID", null),
                settings.millis("PROCESSOR_DEDUP_WINDOW_MS", 86_400_000),
                settings.integer("PROCESSOR_HTTP_PORT", 8090),
                settings.bool("PROCESSOR_COMMIT_ON_DEMAND", true),
                operatorSignature(settings.secret("PROCESSOR_OPERATOR_KEY", null)));
    }

    public ProcessorConfig {
        // A command seen twice in one batch is recognised only by the store (the database has neither yet): the
        // window must outlast a batch by far.
        Duration shortest = commitInterval.multipliedBy(10).compareTo(Duration.ofSeconds(1)) > 0
                ? commitInterval.multipliedBy(10) : Duration.ofSeconds(1);
        if (dedupWindow.compareTo(shortest) < 0) {
            throw new Settings.InvalidSetting("PROCESSOR_DEDUP_WINDOW_MS must be at least " + shortest.toMillis()
                    + " (1 s, and 10 commit intervals)");
        }
    }

    private static OperatorSignature operatorSignature(String key) {
        try {
            return key == null || key.isBlank() ? OperatorSignature.none() : OperatorSignature.withKey(key);
        } catch (IllegalArgumentException e) {
            throw new Settings.InvalidSetting("PROCESSOR_OPERATOR_KEY: " + e.getMessage());
        }
    }

    /** {@code bootstrap.servers} and the security settings: the start of every Kafka client's configuration. */
    public java.util.Map<String, Object> kafkaClient() {
        return kafkaSecurity.client(bootstrapServers);
    }

    /** The database to connect to, as {@link com.personasettings.platform.DataSources#pooled} takes it. */
    public Database database() {
        return new Database(databaseUrl, databaseUser, databasePassword);
    }
}
